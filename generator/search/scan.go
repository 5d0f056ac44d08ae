package search

import (
	_ "embed" // bmptables.bin
	"encoding/binary"
	"math/bits"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Character classes of the analyser's scanner, one byte per BMP
// character (see charClasses).
const (
	clsWord    = 1 << iota // letter, mark or number (isWordRune)
	clsSettled             // NFKC and lower case cannot change the word boundaries around it (see bmpBits.settled)
	clsBound               // NFKC segment boundary: the character never combines with the one before it
	clsInert               // not settled, but a separator whatever NFKC makes of it: skipped like one before a boundary
	clsHan                 // isHan
	clsCJK                 // isCJK
	clsSpace               // unicode.IsSpace
	clsWide                // runeWidth is 2
)

// bmpTablesData holds the tables of charClasses and bmpTables as
// computeCharClasses and computeBMPTables make them (see
// encodeBMPTables; TestBMPTablesData checks it, and rewrites it when run
// with -update-tables, twice: the classes are computed with the bits
// read). Computing them took about 20 ms of a site
// build's CPU (230 million instructions: a few Unicode lookups for each
// of 65,536 characters), where reading them takes microseconds.
//
//go:embed bmptables.bin
var bmpTablesData string

// bmpTablesSize is the length of bmpTablesData: a byte for each BMP
// character and three bits.
const bmpTablesSize = 0x10000 + 3*0x10000/8

// encodeBMPTables lays out the tables of bmpTablesData: the class byte of
// every BMP character, then bmpBits' settled, word and upper bits as
// little-endian uint64s.
func encodeBMPTables(c *[0x10000]uint8, t *bmpBits) []byte {
	b := append([]byte(nil), c[:]...)
	for _, bits := range [][]uint64{t.settled[:], t.word[:], t.upper[:]} {
		for _, x := range bits {
			b = binary.LittleEndian.AppendUint64(b, x)
		}
	}
	return b
}

// charClasses returns the class byte of every BMP character (read from
// bmpTablesData on first use).
var charClasses = sync.OnceValue(func() *[0x10000]uint8 {
	if len(bmpTablesData) != bmpTablesSize {
		return computeCharClasses(bmpTables()) // a file being remade (TestBMPTablesData)
	}
	c := new([0x10000]uint8)
	copy(c[:], bmpTablesData)
	return c
})

// computeCharClasses computes the class byte of every BMP character from
// the properties it stands for.
func computeCharClasses(t *bmpBits) *[0x10000]uint8 {
	c := new([0x10000]uint8)
	for r := rune(0); r < 0x10000; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue
		}
		bit := uint64(1) << (r % 64)
		var k uint8
		if t.word[r/64]&bit != 0 {
			k |= clsWord
		}
		// Settled characters are scanned as they are, and each word
		// lowered on its own: lower case must not change the class.
		const kinds = clsWord | clsHan | clsCJK
		if r < utf8.RuneSelf || t.settled[r/64]&bit != 0 && classOf(unicode.ToLower(r))&kinds == classOf(r)&kinds {
			k |= clsSettled
		}
		s := string(r)
		if norm.NFKC.PropertiesString(s).BoundaryBefore() {
			k |= clsBound
		}
		if k&(clsSettled|clsWord|clsBound) == clsBound && !invisible(r) && allSeparators(preparePlain(s)) {
			k |= clsInert
		}
		if isHan(r) {
			k |= clsHan
		}
		if isCJK(r) {
			k |= clsCJK
		}
		if unicode.IsSpace(r) {
			k |= clsSpace
		}
		if runeWidth(r) == 2 {
			k |= clsWide
		}
		c[r] = k
	}
	return c
}

// plainTwoByte returns a bit for every character U+0080-U+07FF (bit
// r&63 of word r>>6: the low bits of the two bytes of its UTF-8 form)
// that is a settled word character, which scan takes in a word without
// looking further. None of them is Han or CJK.
var plainTwoByte = sync.OnceValue(func() *[32]uint64 {
	cls := charClasses()
	t := new([32]uint64)
	for r := rune(0x80); r < 0x800; r++ {
		if cls[r]&(clsWord|clsSettled) == clsWord|clsSettled {
			t[r>>6] |= 1 << (r & 63)
		}
	}
	return t
})

// allSeparators reports whether s is not empty and holds no character of
// a word (and so, being what NFKC makes of an inert character, splits
// words exactly where the character itself does).
func allSeparators(s string) bool {
	for _, r := range s {
		if isWordRune(r) {
			return false
		}
	}
	return s != ""
}

// decodeAt decodes the non-ASCII character at s[i]: see decode2 and
// decodeRest.
func decodeAt(s string, i int) (rune, int) {
	r, size := decode2(s, i)
	if size == 0 {
		r, size = decodeRest(s, i)
	}
	return r, size
}

// decode2 decodes the two-byte character at s[i], if there is one, and
// otherwise returns size 0. It is small enough to be inlined, which
// decodeAt is not.
func decode2(s string, i int) (r rune, size int) {
	if i+1 < len(s) {
		if c, c1 := s[i], s[i+1]; c-0xC2 < 0xE0-0xC2 && c1&0xC0 == 0x80 {
			return rune(c&0x1F)<<6 | rune(c1&0x3F), 2
		}
	}
	return 0, 0
}

// decodeRest decodes the character at s[i] that decodeAt does not:
// three-byte sequences directly, the rest by utf8.DecodeRuneInString (so
// invalid bytes give utf8.RuneError, size 1, as there).
func decodeRest(s string, i int) (rune, int) {
	if c := s[i]; c >= 0xE1 && c < 0xF0 && c != 0xED && i+2 < len(s) {
		if c1, c2 := s[i+1], s[i+2]; c1&0xC0 == 0x80 && c2&0xC0 == 0x80 {
			return rune(c&0x0F)<<12 | rune(c1&0x3F)<<6 | rune(c2&0x3F), 3
		}
	}
	return utf8.DecodeRuneInString(s[i:])
}

// Kinds of words found by scan.
const (
	spanPlain = iota // no CJK character: a single token, looked up whole
	spanHan          // only isHan characters: bigrams straight from the text
	spanMixed        // CJK and other characters: the general path (addMixed)
)

// span is a word found by scan: text[start:end].
type span struct {
	start, end int
	kind       int
}

// scan splits text into words (runs of letters, marks and numbers) as
// forEachWord does after prepare, and appends them to spans. raw tells
// that text has not been prepared: scan then gives up, returning false,
// at the first character whose NFKC form or lower case could move a word
// boundary; otherwise the words of the raw text are those of the
// prepared text, each still to be lowered. Characters that NFKC turns
// into other separators (such as full-width punctuation) are separators
// here too.
func scan(text string, raw bool, spans []span) ([]span, bool) {
	cls, two := charClasses(), plainTwoByte()
	i, n := 0, len(text)
	blocks := asciiText(text)
	var start int
	var han, cjk bool
	for i < n {
		// Skip separators.
		c := text[i]
		if c < utf8.RuneSelf {
			if !asciiWord[c] {
				i++
				if blocks && i+8 <= n && text[i] < utf8.RuneSelf {
					var open int
					if i, open, spans = scanASCII(text, i, spans); open >= 0 {
						start, han, cjk = open, false, false // a word of ASCII letters or digits so far
						goto word
					}
				}
				continue
			}
		} else {
			r, size := decode2(text, i)
			if size == 0 {
				r, size = decodeRest(text, i)
			}
			var k uint8
			if r < 0x10000 && r != utf8.RuneError {
				k = cls[r]
			} else if raw {
				return spans, false
			} else {
				k = classOf(r)
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
		start, han, cjk = i, true, false
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
			// half the instructions of the general path below. A run of
			// them is taken in a loop of its own: through the loop
			// above, with its tests for the other kinds of characters,
			// each took about 45 instructions (callgrind), most of the
			// scan of an Arabic text.
			if c-0xC2 < 0xE0-0xC2 && i+1 < n {
				if c1 := text[i+1]; c1&0xC0 == 0x80 && two[c&0x1F]>>(c1&0x3F)&1 != 0 {
					han = false
					for i += 2; i+1 < n; i += 2 {
						c, c1 := text[i], text[i+1]
						if c-0xC2 >= 0xE0-0xC2 || c1&0xC0 != 0x80 || two[c&0x1F]>>(c1&0x3F)&1 == 0 {
							break
						}
					}
					continue
				}
			}
			// Han characters, most of the text of Chinese pages, without
			// the decoding and the class table below (their class is
			// known: word, settled, Han and CJK), a run of them in a
			// loop of its own (as the two-byte letters above).
			if hanAt(text, i) {
				cjk = true
				for i += 3; hanAt(text, i); i += 3 {
				}
				continue
			}
			// Decoded and classified as in the separator loop, written out
			// again: as a function (too large to inline) it made Arabic and
			// Chinese texts about 10 % slower to analyse (AddCorpus).
			r, size := decode2(text, i)
			if size == 0 {
				r, size = decodeRest(text, i)
			}
			var k uint8
			if r < 0x10000 && r != utf8.RuneError {
				k = cls[r]
			} else if raw {
				return spans, false
			} else {
				k = classOf(r)
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

// asciiText reports whether text looks like Latin-script text, whose
// words scanASCII takes eight bytes at a time: at least 16 bytes, of
// which the first 16 hold no more than two bytes of characters beyond
// ASCII. (For other text, such as Arabic or Chinese, scan does not try
// scanASCII at all.)
func asciiText(text string) bool {
	const highs = 0x8080808080808080
	return len(text) >= 16 && bits.OnesCount64(load64(text)&highs)+bits.OnesCount64(load64(text[8:])&highs) <= 2
}

// scanASCII appends to spans the words of text from i on, eight bytes at
// a time, up to the first byte that is not ASCII or the last eight bytes
// of text, and returns where it stopped and where the word open there
// starts (-1 when none is). text[i] must be ASCII and i+8 <= len(text).
// The words' bounds are where a byte's class (word or not) differs from
// the one before it, found in a mask rather than byte by byte: on the
// Italian, English and Spanish bench pages scan takes about 12 % less
// time than with the bytes one at a time (and than its loop in scan,
// where the other scripts' paths, missing registers, lost as much).
func scanASCII(text string, i int, spans []span) (int, int, []span) {
	const highs = 0x8080808080808080
	open := -1
	for i+8 <= len(text) {
		x := load64(text[i:])
		take, step := uint64(highs), 8 // the high bits of the bytes taken, and their number
		if wide := x & highs; wide != 0 {
			step = bits.TrailingZeros64(wide) >> 3
			take &= wide - 1
		}
		words := ^asciiStops(x) & take // the high bit of each byte of a word
		before := words << 8           // the same for the byte before each
		if open >= 0 {
			before |= 0x80
		}
		for bounds := (words ^ before) & take; bounds != 0; bounds &= bounds - 1 {
			at := i + bits.TrailingZeros64(bounds)>>3
			if open < 0 {
				open = at
			} else {
				spans = append(spans, span{start: open, end: at, kind: spanPlain})
				open = -1
			}
		}
		i += step
		if step < 8 {
			break
		}
	}
	return i, open, spans
}

// hanAt reports whether text holds at i one of the isHan characters
// U+4000-U+9FFF (lead bytes 0xE4-0xE9, all three bytes long), which are
// most of the characters of Chinese text; the rest of the Han blocks,
// U+3400-U+3FFF, take the general path.
func hanAt(text string, i int) bool {
	if i+2 < len(text) {
		c, c1, c2 := text[i], text[i+1], text[i+2]
		if c-0xE4 <= 0xE9-0xE4 && c1&0xC0 == 0x80 && c2&0xC0 == 0x80 {
			r := rune(c&0x0F)<<12 | rune(c1&0x3F)<<6 | rune(c2&0x3F)
			return r < 0x4DC0 || r >= 0x4E00 // not the Yijing hexagrams between the two blocks
		}
	}
	return false
}

// asciiStops returns the bytes of x (eight bytes of text, first byte
// lowest) that are not ASCII letters or digits, as a mask of their high
// bits.
func asciiStops(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	a := x &^ highs // seven bits a byte: the sums below never carry
	y := a | 0x20*ones
	letter := (y + (0x80-'a')*ones) &^ (y + (0x7F-'z')*ones)
	digit := (a + (0x80-'0')*ones) &^ (a + (0x7F-'9')*ones)
	return (^(letter | digit) | x) & highs
}

// boundAt reports whether the text at i is empty or starts with an NFKC
// segment boundary.
func boundAt(cls *[0x10000]uint8, text string, i int) bool {
	if i >= len(text) {
		return true
	}
	if text[i] < utf8.RuneSelf {
		return true
	}
	r, _ := decodeAt(text, i)
	return r < 0x10000 && r != utf8.RuneError && cls[r]&clsBound != 0
}

// classOf is the class of a character outside the BMP (or of
// utf8.RuneError) in prepared text, where only word and CJK matter.
func classOf(r rune) uint8 {
	var k uint8
	if isWordRune(r) {
		k |= clsWord
	}
	if isHan(r) {
		k |= clsHan
	}
	if isCJK(r) {
		k |= clsCJK
	}
	return k
}
