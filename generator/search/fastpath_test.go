package search

import (
	"testing"
	"unicode/utf8"
)

// TestHanAt checks hanAt on every BMP character and on cut and invalid
// sequences, and that the characters it takes have the classes scan and
// cutText assume.
func TestHanAt(t *testing.T) {
	cls := charClasses()
	for r := rune(0x80); r < 0x10000; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue
		}
		s := string(r)
		want := isHan(r) && r >= 0x4000
		if got := hanAt("x"+s, 1); got != want {
			t.Fatalf("hanAt(%U) = %v, want %v", r, got, want)
		}
		if want {
			if k := cls[r]; k&(clsWord|clsSettled|clsHan|clsCJK|clsWide) != clsWord|clsSettled|clsHan|clsCJK|clsWide || k&clsSpace != 0 {
				t.Fatalf("%U: class %08b, want word, settled, Han, CJK and wide, not space", r, k)
			}
			if hanAt(s[:2], 0) || hanAt(s[:2]+"a", 0) || hanAt(s[:1]+"a"+s[2:], 0) {
				t.Fatalf("hanAt takes a cut or broken %U", r)
			}
		}
	}
}

// TestPlainTwoByte checks scan's bits for two-byte characters against
// the character classes.
func TestPlainTwoByte(t *testing.T) {
	cls, two := charClasses(), plainTwoByte()
	for r := rune(0x80); r < 0x800; r++ {
		s := string(r)
		got := two[s[0]&0x1F]>>(s[1]&0x3F)&1 != 0
		want := cls[r]&clsWord != 0 && cls[r]&clsSettled != 0
		if got != want {
			t.Fatalf("%U: plain two-byte bit %v, want %v", r, got, want)
		}
		if got && cls[r]&(clsHan|clsCJK) != 0 {
			t.Fatalf("%U: plain two-byte bit set for a CJK character", r)
		}
	}
}

// TestTwoByte4 checks twoByte4 against decoding, with each two-byte
// character in each lane, and that the characters it takes are what
// cutText assumes: plain, of width 1, not spaces.
func TestTwoByte4(t *testing.T) {
	cls := charClasses()
	take := func(r rune, size int) bool { return size == 2 && r >= 0xC0 }
	for c := 0; c < 256; c++ {
		for c1 := 0; c1 < 256; c1++ {
			pair := string([]byte{byte(c), byte(c1)})
			r, size := utf8.DecodeRuneInString(pair)
			for lane := 0; lane < 4; lane++ {
				s := ""
				for k := 0; k < 4; k++ {
					if k == lane {
						s += pair
					} else {
						s += "ж"
					}
				}
				if got, want := twoByte4(load64(s)), take(r, size); got != want {
					t.Fatalf("twoByte4(%+q) = %v, want %v", s, got, want)
				}
			}
			if take(r, size) && (cls[r]&(clsSpace|clsWide) != 0 || runeWidth(r) != 1) {
				t.Fatalf("%U: a space or wide, but twoByte4 takes it", r)
			}
		}
	}
}
