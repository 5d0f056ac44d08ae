package search

import (
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestCutTextPlain checks cutText's plain report on random texts: plain
// only when the cut text, quoted, is what encoding/json writes for it,
// and nearly always then (not when what made it otherwise was cut off).
func TestCutTextPlain(t *testing.T) {
	r := rand.New(rand.NewSource(29))
	var plainSeen, escapedSeen, missed int
	for i := 0; i < 20000; i++ {
		s := randomFragmentText(r)
		n := r.Intn(120)
		out, width, plain := cutText([]byte("≠"), s, n)
		got := string(out[len("≠"):])
		if want := refCutText(s, n); got != want || width != textWidth(got) {
			t.Fatalf("cutText(%q, %d) = %q (width %d), want %q", s, n, got, width, want)
		}
		wantPlain := string(jsonString(got)) == `"`+got+`"` && utf8.ValidString(got)
		if plain && !wantPlain {
			t.Fatalf("cutText(%q, %d) = %q: plain %v, want %v (encoding/json writes %s)", s, n, got, plain, wantPlain, jsonString(got))
		}
		switch {
		case plain:
			plainSeen++
		case wantPlain:
			missed++
		default:
			escapedSeen++
		}
	}
	if missed > plainSeen/50 {
		t.Errorf("%d of %d plain texts reported as needing escapes", missed, missed+plainSeen)
	}
	if plainSeen < 1000 || escapedSeen < 1000 {
		t.Fatalf("%d plain and %d escaped texts: the random texts do not exercise both", plainSeen, escapedSeen)
	}
}

// TestFragmentRandom checks fragment, which cuts section texts straight
// into its output, against encoding/json on random pages whose texts
// need escaping or not.
func TestFragmentRandom(t *testing.T) {
	r := rand.New(rand.NewSource(31))
	var scratch []byte
	for i := 0; i < 3000; i++ {
		d := Doc{Title: randomFragmentText(r), Summary: randomFragmentText(r)}
		for k := r.Intn(8); k > 0; k-- {
			text := randomFragmentText(r)
			if r.Intn(4) == 0 {
				text = strings.Repeat(text+" ", 30)
			}
			d.Sections = append(d.Sections, Section{Anchor: "s", Heading: randomFragmentText(r), Text: text})
		}
		want := refFragment(t, &d)
		prefix := []byte(`[1,`) // fragment appends after what is there
		if got := string(fragment(prefix, &scratch, &d)); got != string(prefix)+want {
			t.Fatalf("fragment of page %d:\n got %s\nwant %s%s", i, got, prefix, want)
		}
	}
}

// randomFragmentText joins random pieces: long ASCII runs, every kind of
// white space, CJK and Arabic text, control characters, quotes,
// backslashes, U+2028 and invalid bytes.
func randomFragmentText(r *rand.Rand) string {
	pieces := []string{"permessodisoggiorno", "a", "bé", "città", "الإقامة", "居留许可", " ", "  ", "\t", "\n", "\r\n",
		"\u00a0", "\u3000", "\u2028", "\u2029", "\xff", "\xe2", "\xe2\x80", "\xed\xa0\x80", "\x01", "\x1f", "\x7f", `"`, `\`,
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "!#$%&'()*+,-./", "𠀀", "\ufffd", "\U0001F600",
		"дом", "ß", "\u07ff", "\u0085", "\xc3(", "\xc3"} // lone two-byte letters, the last and a two-byte space below U+00C0, broken forms
	var b strings.Builder
	for k := r.Intn(24); k > 0; k-- {
		p := pieces[r.Intn(len(pieces))]
		if r.Intn(3) > 0 { // mostly text that needs no escaping
			p = pieces[r.Intn(8)]
		}
		b.WriteString(p)
	}
	return b.String()
}

// TestCutRunStops checks cutRunStops on every byte value in every
// position of chunks of words, spaces and other bytes against its
// definition: cutStops, less each ' ' followed in the chunk by a byte
// that is no stop.
func TestCutRunStops(t *testing.T) {
	stop := func(c byte) bool { return c <= ' ' || c >= 0x80 || c == '"' || c == '\\' }
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 8; pos++ {
			for _, fill := range []string{"ab cd ef", "a  b c d", " a b c d", "abcdefg ", "é a\xa0b c", "a\" b\\ c", "a\tb c\nd"} {
				var b [8]byte
				copy(b[:], fill)
				b[pos] = byte(c)
				got := cutRunStops(load64(string(b[:])))
				for k := range b {
					want := stop(b[k]) && !(b[k] == ' ' && k < 7 && !stop(b[k+1]))
					if (got>>(8*k+7))&1 == 1 != want {
						t.Fatalf("cutRunStops(%q): byte %d (%#x) stop = %v, want %v", b, k, b[k], !want, want)
					}
				}
				if got&^0x8080808080808080 != 0 {
					t.Fatalf("cutRunStops(%q) = %#x: bits other than high bits", b, got)
				}
			}
		}
	}
}
