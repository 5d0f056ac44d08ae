package search

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestRecordFilters checks the filter ids of each page's record against
// the ids of the keys its kind, topic and Doc.Filters name, and that the
// pages without Doc.Filters share one list per kind and topic (see
// Builder.kindFilters), whether their text is new or known.
func TestRecordFilters(t *testing.T) {
	b := NewBuilder([]string{"it", "en"})
	text := func(s string) []Section { return []Section{{Text: s}} }
	shared := text("Testo condiviso da una pagina e dalla sua traduzione mancante.")
	docs := []struct {
		d    Doc
		keys []string // filter keys the page must have
	}{
		{Doc{Lang: "it", URL: "/it/a/", Title: "A", Kind: "guide", Topic: "residence", Sections: text("Uno.")},
			[]string{"=kind:guide", "=topic:residence"}},
		{Doc{Lang: "it", URL: "/it/b/", Title: "B", Kind: "guide", Topic: "residence", Sections: text("Due.")},
			[]string{"=kind:guide", "=topic:residence"}},
		{Doc{Lang: "it", URL: "/it/c/", Title: "C", Kind: "guide", Topic: "work", Sections: text("Tre.")},
			[]string{"=kind:guide", "=topic:work"}},
		{Doc{Lang: "it", URL: "/it/d/", Title: "D", Kind: "page", Sections: text("Quattro.")},
			[]string{"=kind:page"}},
		{Doc{Lang: "it", URL: "/it/e/", Title: "E", Sections: text("Cinque.")},
			nil},
		{Doc{Lang: "it", URL: "/it/f/", Title: "F", Kind: "guide", Topic: "work", Sections: shared},
			[]string{"=kind:guide", "=topic:work"}},
		// The same text as /it/f/ (known by its strings), another topic.
		{Doc{Lang: "en", TextLang: "it", URL: "/en/f/", Title: "F", Kind: "guide", Topic: "residence", Sections: shared},
			[]string{"=kind:guide", "=topic:residence"}},
		{Doc{Lang: "it", URL: "/it/desk/", Title: "Sportello", Kind: "desk", Sections: text("Sei."),
			Filters: map[string][]string{"service": {"legal", "housing", "legal"}, "municipality": {"Como"}}},
			[]string{"=kind:desk", "=municipality:Como", "=service:housing", "=service:legal"}},
		{Doc{Lang: "it", URL: "/it/desk2/", Title: "Sportello 2", Kind: "desk", Sections: text("Sette."),
			Filters: map[string][]string{"municipality": {"Lecco"}}},
			[]string{"=kind:desk", "=municipality:Lecco"}},
	}
	for _, c := range docs {
		b.Add(c.d)
	}
	if len(b.errs) > 0 {
		t.Fatal(b.errs)
	}
	byURL := map[string]*docRec{}
	for _, r := range b.docs {
		byURL[r.url] = r
	}
	first := map[kindTopic]*docRec{}
	for _, c := range docs {
		r := byURL[c.d.URL]
		if r == nil {
			t.Fatalf("%s: no record", c.d.URL)
		}
		var want []uint32
		for _, k := range c.keys {
			want = append(want, b.wordID(k))
		}
		slices.Sort(want)
		if !slices.Equal(r.filters, want) {
			t.Errorf("%s: filters %v, want %v (%v)", c.d.URL, r.filters, want, c.keys)
		}
		if len(c.d.Filters) > 0 || len(r.filters) == 0 {
			continue
		}
		kt := kindTopic{c.d.Kind, c.d.Topic}
		if p := first[kt]; p == nil {
			first[kt] = r
		} else if &p.filters[0] != &r.filters[0] {
			t.Errorf("%s and %s (%v): filter lists not shared", p.url, r.url, kt)
		}
	}
	if got := b.numTerms(); got != 9 {
		t.Errorf("%d terms before Write, want the 9 filter keys (texts wait in a batch)", got)
	}
}

// TestRecordBlocks adds pages across several of the blocks records and
// analyses are carved from (see blocks), on several
// goroutines, and checks that every page keeps its own record and its
// text's analysis, one analysis per text.
func TestRecordBlocks(t *testing.T) {
	b := NewBuilder([]string{"it", "en"})
	b.batch = 7
	n := 3*allocBlock + 5
	var docs []Doc
	for i := range n {
		s := strconv.Itoa(i)
		d := Doc{Lang: "it", URL: "/it/" + s + "/", Title: "Pagina " + s, Kind: "guide",
			Sections: []Section{{Text: "Testo numero " + s}}}
		docs = append(docs, d)
		d.Lang, d.TextLang, d.URL = "en", "it", "/en/"+s+"/"
		docs = append(docs, d)
	}
	addAll(b, docs)
	b.drain()
	if len(b.docs) != len(docs) {
		t.Fatalf("%d records, want %d", len(b.docs), len(docs))
	}
	if len(b.texts) != n {
		t.Errorf("%d analyses, want %d", len(b.texts), n)
	}
	seen := map[*docRec]bool{}
	byURL := map[string]*docRec{}
	for _, r := range b.docs {
		if seen[r] {
			t.Fatalf("%s: record given twice", r.url)
		}
		seen[r] = true
		byURL[r.url] = r
	}
	for i := range n {
		s := strconv.Itoa(i)
		it, en := byURL["/it/"+s+"/"], byURL["/en/"+s+"/"]
		if it == nil || en == nil {
			t.Fatalf("page %d: records missing", i)
		}
		if it.lang != "it" || en.lang != "en" || en.textLang != "it" {
			t.Errorf("page %d: languages %s/%s and %s/%s", i, it.lang, it.textLang, en.lang, en.textLang)
		}
		if it.a != en.a {
			t.Errorf("page %d: the two languages do not share their text's analysis", i)
		}
		if it.a.length == 0 {
			t.Errorf("page %d: text not analysed", i)
		}
	}
}

// TestTextLookup checks how Add tells texts apart: a text equal to one
// seen before, but in other strings (so not known from the recent
// texts), shares its analysis, whether the first is still waiting for
// its job or has been analysed; a text of the same shape (same title,
// headings and lengths) but other words does not; and the caller may
// change what it gave once Add returns.
func TestTextLookup(t *testing.T) {
	copyDoc := func(d Doc, lang string) Doc {
		d.Lang, d.URL = lang, "/"+lang+d.URL[3:]
		d.Title = strings.Clone(d.Title)
		d.Sections = slices.Clone(d.Sections)
		for i := range d.Sections {
			d.Sections[i].Text = strings.Clone(d.Sections[i].Text)
		}
		return d
	}
	first := Doc{Lang: "it", TextLang: "it", URL: "/it/a/", Title: "Rinnovo", Kind: "guide",
		Sections: []Section{{Text: "Il permesso si rinnova."}, {Anchor: "costi", Heading: "Costi", Level: 2, Text: "Costa poco."}}}
	sameShape := copyDoc(first, "en")
	sameShape.Sections[1].Text = "Costa molto" // as long as "Costa poco."
	for _, tc := range []struct {
		name     string
		drain    bool // the first text is analysed before the other is added
		batch    int
		second   Doc
		shared   bool
		analyses int // distinct analyses at the end
	}{
		{"equal text, first waiting", false, 100, copyDoc(first, "en"), true, 1},
		{"equal text, first analysed", true, 100, copyDoc(first, "en"), true, 1},
		{"same shape, other words, first waiting", false, 100, sameShape, false, 2},
		{"same shape, other words, first analysed", true, 100, sameShape, false, 2},
		{"equal text, batches of one", false, 1, copyDoc(first, "en"), true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := NewBuilder([]string{"it", "en"})
			b.batch = tc.batch
			mine := first
			mine.Sections = slices.Clone(first.Sections) // the caller's buffer, changed after Add
			b.Add(mine)
			mine.Sections[1].Text = "cambiato"
			if tc.drain {
				b.drain()
			}
			if _, known := b.recent.find(&tc.second); known {
				t.Fatalf("the second page is known from the recent texts; the test wants a lookup")
			}
			b.Add(tc.second)
			b.drain()
			if len(b.docs) != 2 || len(b.errs) > 0 {
				t.Fatalf("%d pages, errors %v", len(b.docs), b.errs)
			}
			if shared := b.docs[0].a == b.docs[1].a; shared != tc.shared {
				t.Errorf("pages share an analysis: %v, want %v", shared, tc.shared)
			}
			if len(b.texts) != tc.analyses {
				t.Errorf("%d analyses, want %d", len(b.texts), tc.analyses)
			}
			for _, r := range b.docs {
				if r.a.length == 0 {
					t.Errorf("%s: text not analysed", r.url)
				}
			}
			dir := t.TempDir()
			if _, err := b.Write(dir); err != nil {
				t.Fatal(err)
			}
			ix := openIndex(t, dir, "it")
			if hits, _, err := ix.Search("poco", nil, 5); err != nil || len(hits) != 1 {
				t.Errorf("the first page's own words: %d hits (%v), want 1 (its text changed after Add?)", len(hits), err)
			}
			if hits, _, err := ix.Search("cambiato", nil, 5); err != nil || len(hits) != 0 {
				t.Errorf("words the caller wrote after Add: %d hits (%v), want none", len(hits), err)
			}
		})
	}
}
