package search

import (
	"math/rand"
	"testing"
)

// TestBaseLang checks baseLang's reading of plain codes against
// baseLangFold, the general way, on real tags and random strings of the
// characters that matter (capitals, separators, non-ASCII letters whose
// lower case is ASCII, such as the Kelvin sign).
func TestBaseLang(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"it", "it"}, {"zh-Hans", "zh"}, {"pt_BR", "pt"}, {"EN", "en"}, {"Zh-hant", "zh"}, {"", ""},
		{"-x", ""}, {"\u212Aa", "ka"}, {"sr-Latn-RS", "sr"},
	} {
		if got := baseLang(c.in); got != c.want {
			t.Errorf("baseLang(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	r := rand.New(rand.NewSource(1))
	pieces := []string{"a", "z", "A", "Z", "-", "_", "\u212A", "é", "É", "1", "@", "[", "`", "{"}
	for range 20000 {
		var s string
		for k := r.Intn(6); k > 0; k-- {
			s += pieces[r.Intn(len(pieces))]
		}
		if got, want := baseLang(s), baseLangFold(s); got != want {
			t.Fatalf("baseLang(%q) = %q, want %q", s, got, want)
		}
	}
}
