package search

import "testing"

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
