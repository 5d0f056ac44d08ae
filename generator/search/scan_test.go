package search

import (
	"math/bits"
	"math/rand"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestScanMatchesByteScan checks scan, whose ASCII text goes eight bytes
// at a time through scanASCII, against scanRef, the scanner that takes
// it a byte at a time, on random texts of every script: mostly ASCII
// words and separators (so that scanASCII runs and stops at every
// offset, at accented letters, at the end of the text and across
// words of any length) and the pieces of TestAnalyseMatchesDefinition,
// raw and prepared.
func TestScanMatchesByteScan(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	ascii := []string{"a", "permesso", "di", "soggiorno", "x1", "2024", "Antidisestablishmentarianism", "ABCDEFGHIJ",
		" ", " ", "  ", ", ", ". ", "\n", "-", "'", "(", "**", "\t", "é", "città", "ß", "，", "居留",
		"تجديد", "الإقامة", "و", "дозвіл", "проживання", "Ελλάδα", "çà", "ñandú"} // runs of two-byte letters of every length
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for k := r.Intn(40); k >= 0; k-- {
			if r.Intn(8) == 0 {
				b.WriteString(analysePieces[r.Intn(len(analysePieces))])
			} else {
				b.WriteString(ascii[r.Intn(len(ascii))])
			}
		}
		text := b.String()
		if i%2 == 1 {
			text = randomText(r, r.Intn(30))
		}
		for _, raw := range []bool{true, false} {
			in := text
			if !raw {
				in = prepare(text)
			}
			want, wantOK := scanRef(in, raw, nil)
			got, gotOK := scan(in, raw, nil)
			if gotOK != wantOK || wantOK && !slices.Equal(got, want) {
				t.Fatalf("scan(%q, %v) = %v, %v; want %v, %v", in, raw, got, gotOK, want, wantOK)
			}
		}
	}
}

// TestLowerIdempotent checks what resolveRaw relies on to give a word
// with capitals the code of its lower case: lower case lowered again is
// itself, for every character.
func TestLowerIdempotent(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if l := strings.ToLower(string(r)); strings.ToLower(l) != l {
			t.Fatalf("%U: lower case %q lowers again to %q", r, l, strings.ToLower(l))
		}
	}
	for _, s := range []string{"\xff\xfeA", "İstanbul", "ΣΟΦΟΣ"} {
		if l := strings.ToLower(s); strings.ToLower(l) != l {
			t.Fatalf("%q: lower case %q lowers again to %q", s, l, strings.ToLower(l))
		}
	}
}

// scanRef is scan as it was before scanASCII: every character is looked
// at on its own (ASCII letters and digits in words eight at a time).
func scanRef(text string, raw bool, spans []span) ([]span, bool) {
	cls, two := charClasses(), plainTwoByte()
	i, n := 0, len(text)
	// classify decodes the character at i and returns its class and
	// size; ok is false when raw scanning must give up on it.
	classify := func(i int) (k uint8, size int, ok bool) {
		r, size := decode2(text, i)
		if size == 0 {
			r, size = decodeRest(text, i)
		}
		switch {
		case r < 0x10000 && r != utf8.RuneError:
			return cls[r], size, true
		case raw:
			return 0, size, false
		}
		return classOf(r), size, true
	}
	for i < n {
		// Skip separators.
		c := text[i]
		if c < utf8.RuneSelf {
			if !asciiWord[c] {
				i++
				continue
			}
		} else {
			k, size, ok := classify(i)
			if !ok {
				return spans, false
			}
			if raw && k&clsSettled == 0 && (k&clsInert == 0 || !boundAt(cls, text, i+size)) {
				return spans, false
			}
			if k&clsWord == 0 {
				i += size
				continue
			}
		}
		// A word starts at i.
		start := i
		han, cjk := true, false
	word:
		for i < n {
			c := text[i]
			if c < utf8.RuneSelf {
				if !asciiWord[c] {
					break
				}
				han = false
				i++
				// Skip letters and digits eight at a time.
				for i+8 <= n {
					stops := asciiStops(load64(text[i:]))
					if stops != 0 {
						i += bits.TrailingZeros64(stops) >> 3
						if text[i] < utf8.RuneSelf {
							break word // an ASCII separator, which ends the word: no need to look again
						}
						break
					}
					i += 8
				}
				continue
			}
			// Two-byte letters (accented Latin, Greek, Cyrillic, Arabic)
			// that scan takes as they are, one table bit each: about
			// half the instructions of the general path below.
			if c-0xC2 < 0xE0-0xC2 && i+1 < n {
				if c1 := text[i+1]; c1&0xC0 == 0x80 && two[c&0x1F]>>(c1&0x3F)&1 != 0 {
					han = false
					i += 2
					continue
				}
			}
			// Han characters, most of the text of Chinese pages, without
			// the decoding and the class table below (their class is
			// known: word, settled, Han and CJK).
			if hanAt(text, i) {
				cjk = true
				i += 3
				continue
			}
			k, size, ok := classify(i)
			if !ok {
				return spans, false
			}
			if k&clsWord == 0 {
				break // the separator loop checks it
			}
			if raw && k&clsSettled == 0 {
				return spans, false
			}
			han = han && k&clsHan != 0
			cjk = cjk || k&clsCJK != 0
			i += size
		}
		kind := spanPlain
		switch {
		case han:
			kind = spanHan
		case cjk:
			kind = spanMixed
		}
		spans = append(spans, span{start: start, end: i, kind: kind})
	}
	return spans, true
}
