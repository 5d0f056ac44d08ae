package search

import (
	"math/rand"
	"strings"
	"testing"
	"unicode"
)

// TestPrepareFastPath checks prepare, which skips NFKC for text made of
// characters NFKC cannot change, against its definition (preparePlain):
// every BMP character alone, after a base letter and before a combining
// mark, and random mixtures of letters, capitals, marks, compatibility
// characters, Hangul jamo, invisible characters and invalid bytes.
func TestPrepareFastPath(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, want := prepare(s), preparePlain(s); got != want {
			t.Fatalf("prepare(%+q) = %+q, want %+q", s, got, want)
		}
	}
	for r := rune(0x80); r < 0x10000; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue
		}
		c := string(r)
		check(c)
		check("a" + c)
		check("\u0627" + c)  // Arabic alef, which composes with hamza marks
		check("\u1100" + c)  // Hangul choseong, which composes with vowels
		check(c + "\u0301")  // combining acute
		check(c + "\u0654")  // Arabic hamza above
		check("É" + c + "ﬁ") // capital, and a ligature NFKC splits
		check(c + "\u1161")  // Hangul jungseong, which composes with a choseong
		check(c + "\u11a8")  // Hangul jongseong, which composes with an LV syllable
		check(c + "\u0bbe")  // Tamil vowel sign aa, a starter that composes backwards
		check(c + "\u3099")  // kana voiced sound mark
	}
	pieces := []string{"a", "Z", "é", "É", "e\u0301", "\u0627\u0654", "أ", "ﬁ", "①", "½", "™", "\u00ad", "\u200b",
		"\ufeff", "\u1100\u1161", "가", "ｶ", "ｶﾞ", "\u3099", "居留", "İ", "Σ", "ς", "Ω", "\u2126", "\xff", "\u00a0", " ", "ٱ", "ـ", "١٢"}
	r := rand.New(rand.NewSource(7))
	// Pairs of characters drawn from the whole BMP.
	for i := 0; i < 200000; i++ {
		a, b := rune(0x80+r.Intn(0xD800-0x80)), rune(0x80+r.Intn(0xD800-0x80))
		check(string(a) + string(b))
	}
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for k := 1 + r.Intn(8); k > 0; k-- {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		check(b.String())
	}
}

// TestWordRuneTable checks the table behind isWordRune on the whole BMP.
func TestWordRuneTable(t *testing.T) {
	for r := rune(0); r < 0x10000; r++ {
		want := unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsNumber(r)
		if got := isWordRune(r); got != want {
			t.Fatalf("isWordRune(%U) = %v, want %v", r, got, want)
		}
	}
}
