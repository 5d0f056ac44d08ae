package search

import (
	"math/rand/v2"
	"testing"
)

// TestMainTextLang checks mainTextLang, which counts pages by runs of
// the same text language, against a count page by page, on pages in
// runs and shuffled, with ties and with text languages that share a
// base language ("pt" and "pt-BR").
func TestMainTextLang(t *testing.T) {
	byPage := func(docs []*docRec) string {
		n := map[string]int{}
		best := ""
		for _, d := range docs {
			tl := baseLang(d.textLang)
			n[tl]++
			if n[tl] > n[best] || n[tl] == n[best] && tl < best {
				best = tl
			}
		}
		return best
	}
	r := rand.New(rand.NewPCG(5, 6))
	langs := []string{"it", "en", "ar", "pt", "pt-BR", "zh", ""}
	for c := range 500 {
		var docs []*docRec
		for range r.IntN(6) {
			tl := langs[r.IntN(len(langs))]
			for range 1 + r.IntN(4) {
				docs = append(docs, &docRec{textLang: tl})
			}
		}
		if c%2 == 1 {
			r.Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
		}
		if got, want := mainTextLang(docs), byPage(docs); got != want {
			t.Fatalf("case %d: mainTextLang = %q, want %q", c, got, want)
		}
	}
}
