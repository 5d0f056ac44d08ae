package search

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// deriveSite returns pages in it, en and three languages that show the
// English texts (uk, ur, bn), as a site with fallback languages has
// them: the same pages at the same numbers but for a few whose text is
// their own (desks with labels in the page's language; in bn, also a
// weight on one of them). The texts are random words from a vocabulary
// large enough for several chunks per language; the desks', from one of
// their own.
func deriveSite() ([]string, []Doc) {
	langs := []string{"it", "en", "uk", "ur", "bn"}
	r := rand.New(rand.NewPCG(11, 12))
	vocab := make([]string, 3000)
	for i := range vocab {
		var w []byte
		for range 3 + r.IntN(8) {
			w = append(w, byte('a'+r.IntN(26)))
		}
		vocab[i] = string(w)
	}
	// Desks have words of their own, all beginning with "aa", so that
	// the terms of the pages that differ are in the first chunk and
	// change its size only a little: the chunks after it begin at the
	// same terms in every language.
	deskVocab := make([]string, 30)
	for i := range deskVocab {
		deskVocab[i] = fmt.Sprintf("aa%c%c", 'a'+i%26, 'a'+i/26)
	}
	desk := false
	text := func(n int) string {
		ws := make([]string, n)
		for i := range ws {
			if desk {
				ws[i] = deskVocab[r.IntN(len(deskVocab))]
			} else {
				ws[i] = vocab[r.IntN(len(vocab))]
			}
		}
		return strings.Join(ws, " ")
	}
	var docs []Doc
	for p := range 160 {
		kind, key := "guide", fmt.Sprintf("guides/g%03d", p)
		desk = p%16 == 0
		if desk {
			kind, key = "desk", fmt.Sprintf("desks/d%03d", p)
		}
		it := Doc{Title: text(4), Summary: text(10), Kind: kind, Key: key, Topic: fmt.Sprint("t", p%5),
			Sections: []Section{{Text: text(120)}, {Anchor: "a", Heading: text(3), Level: 2, Text: text(80)}}}
		en := it
		en.Title, en.Summary = text(4), text(10)
		en.Sections = []Section{{Text: text(120)}}
		for _, l := range langs {
			d := en
			d.Lang, d.TextLang, d.URL = l, "en", "/"+l+"/"+key+"/"
			switch {
			case l == "it":
				d = it
				d.Lang, d.TextLang, d.URL = l, "it", "/it/"+key+"/"
			case kind == "desk" && l != "en":
				// The desk page's labels in its own language: a word
				// on its own (no word pairs), after every other term.
				d.Sections = append(slices.Clone(d.Sections), Section{Anchor: "l", Level: 2, Text: "zzz" + l})
				if l == "bn" && p == 80 {
					// Also a word of the other pages, which only this
					// page's terms tell.
					d.Weight = 1
					d.Sections[len(d.Sections)-1].Text = vocab[0] + " zzzbn"
				}
			}
			if l == "en" && p == 96 {
				// A word of the other pages that only the base
				// language's page has.
				d.Sections = append(slices.Clone(d.Sections), Section{Anchor: "l", Level: 2, Text: vocab[1]})
			}
			if kind == "desk" {
				d.Filters = map[string][]string{"service": {"s" + key[len(key)-1:]}}
			}
			docs = append(docs, d)
		}
	}
	return langs, docs
}

// TestDerivedBuilds checks that languages built from another's build
// (see derive.go) get the same files as when every language is built in
// full.
func TestDerivedBuilds(t *testing.T) {
	langs, docs := deriveSite()
	write := func(derive bool) (string, Stats) {
		deriveBuilds = derive
		defer func() { deriveBuilds = true }()
		b := NewBuilder(langs)
		for _, d := range docs {
			b.Add(d)
		}
		dir := t.TempDir()
		st, err := b.Write(dir)
		if err != nil {
			t.Fatal(err)
		}
		return dir, st
	}
	full, fullStats := write(false)
	derived, derivedStats := write(true)
	if fmt.Sprint(fullStats) != fmt.Sprint(derivedStats) {
		t.Errorf("stats differ:\nfull    %v\nderived %v", fullStats, derivedStats)
	}
	for _, l := range langs {
		if n := fullStats.Langs[l].Chunks; n < 3 {
			t.Errorf("%s: %d chunks; the test wants several", l, n)
		}
	}
	want, got := readTree(t, filepath.Join(full, "search")), readTree(t, filepath.Join(derived, "search"))
	for _, rel := range sortedKeys(want) {
		g, ok := got[rel]
		switch {
		case !ok:
			t.Errorf("%s: missing from the derived build", rel)
		case g != want[rel]:
			t.Errorf("%s differs", rel)
		}
	}
	for rel := range got {
		if _, ok := want[rel]; !ok {
			t.Errorf("%s: only in the derived build", rel)
		}
	}
	if len(want) != fullStats.Files {
		t.Errorf("%d files, stats say %d", len(want), fullStats.Files)
	}
}

// drainedDeriveSite returns a builder that has analysed every page of
// deriveSite, as Write finds it.
func drainedDeriveSite() *Builder {
	langs, docs := deriveSite()
	b := NewBuilder(langs)
	for _, d := range docs {
		b.Add(d)
	}
	b.drain()
	return b
}

// TestDirtyPages checks which languages can be derived from which.
func TestDirtyPages(t *testing.T) {
	b := drainedDeriveSite()
	byLang := map[string][]*docRec{}
	for _, d := range b.docs {
		byLang[d.lang] = append(byLang[d.lang], d)
	}
	for _, l := range b.langs {
		sortByURL(byLang[l])
	}
	for _, c := range []struct {
		lang, base string
		dirty      int // -1: cannot be derived
	}{
		{"uk", "en", 10},
		{"bn", "en", 10},
		{"ur", "uk", 10},
		{"en", "it", -1},
	} {
		dirty, ok := dirtyPages(byLang[c.lang], byLang[c.base], b.scoreKeys(byLang[c.lang]), b.scoreKeys(byLang[c.base]))
		if got := len(dirty); !ok && c.dirty != -1 || ok && got != c.dirty {
			t.Errorf("%s from %s: %d pages differ (ok %v), want %d", c.lang, c.base, got, ok, c.dirty)
		}
	}
	uk, en := byLang["uk"], byLang["en"]
	if _, ok := dirtyPages(uk[1:], en[1:], b.scoreKeys(uk[1:]), b.scoreKeys(en[1:])); !ok {
		t.Error("uk from en without the first page: cannot be derived")
	}
	if _, ok := dirtyPages(uk[1:], en, b.scoreKeys(uk[1:]), b.scoreKeys(en)); ok {
		t.Error("uk from en with a page less: can be derived")
	}
}

func sortByURL(docs []*docRec) {
	slices.SortFunc(docs, func(x, y *docRec) int { return strings.Compare(x.url, y.url) })
}
