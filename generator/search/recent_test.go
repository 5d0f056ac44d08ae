package search

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRecentTexts checks how Add knows a fallback page's text without
// hashing it: by the very strings of a text added just before, never by
// a slice the caller has since changed, never for pages with filters.
func TestRecentTexts(t *testing.T) {
	src := Doc{Lang: "it", URL: "/it/guides/residence/rinnovo/", Title: "Rinnovo del permesso", Summary: "Come e quando",
		Kind: "guide", Topic: "residence", Key: "guides/residence/rinnovo",
		Sections: []Section{{Text: "Il permesso si rinnova in questura."}, {Anchor: "costi", Heading: "Costi", Level: 2, Text: "Il bollettino costa."}}}
	fallback := func(d Doc, lang string) Doc {
		d.Lang, d.TextLang, d.URL = lang, "it", "/"+lang+"/guides/residence/rinnovo/"
		return d
	}
	for _, tc := range []struct {
		name    string
		second  func(first Doc) Doc
		known   bool // the second page is found among the recent texts
		shared  bool // the two pages share one analysis
		sameIDs bool // the two pages have the same filters
	}{
		{"fallback page", func(d Doc) Doc { return fallback(d, "en") }, true, true, true},
		{"fallback page of another kind", func(d Doc) Doc { d = fallback(d, "en"); d.Kind = "page"; return d }, true, true, false},
		{"equal text elsewhere in memory", func(d Doc) Doc {
			d = fallback(d, "en")
			d.Title = strings.Clone(d.Title)
			d.Sections = slices.Clone(d.Sections)
			for i := range d.Sections {
				d.Sections[i].Text = strings.Clone(d.Sections[i].Text)
			}
			return d
		}, false, true, true},
		{"caller changed a section", func(d Doc) Doc {
			d = fallback(d, "en")
			d.Sections[1].Text = "Il bollettino costa di più."
			return d
		}, false, false, true},
		{"another language's text", func(d Doc) Doc { d = fallback(d, "en"); d.TextLang = "en"; return d }, false, false, true},
		{"filters", func(d Doc) Doc {
			d = fallback(d, "en")
			d.Filters = map[string][]string{"municipality": {"Saronno"}}
			return d
		}, false, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := NewBuilder([]string{"it", "en"})
			first := src
			first.Sections = slices.Clone(src.Sections) // the caller's slice, which second may change
			if tc.name == "filters" {
				first.Filters = map[string][]string{"municipality": {"Saronno"}}
			}
			b.Add(first)
			second := tc.second(first)
			if _, known := b.recent.find(&second); known != tc.known {
				t.Errorf("second page known from the recent texts: %v, want %v", known, tc.known)
			}
			b.Add(second)
			if len(b.docs) != 2 {
				t.Fatalf("%d pages added, want 2 (errors %v)", len(b.docs), b.errs)
			}
			x, y := b.docs[0], b.docs[1]
			if shared := x.a == y.a; shared != tc.shared {
				t.Errorf("pages share an analysis: %v, want %v", shared, tc.shared)
			}
			if same := slices.Equal(x.filters, y.filters); same != tc.sameIDs {
				t.Errorf("filters %v and %v; want them equal: %v", x.filters, y.filters, tc.sameIDs)
			}
		})
	}
}

// TestRecentTextsIndex checks that fallback pages given as the very
// strings of their text (as the site build does) give the same index as
// pages given as copies (as the fixture is decoded), and that they are
// known without hashing.
func TestRecentTextsIndex(t *testing.T) {
	f := loadFixture(t)
	copies := NewBuilder(f.Langs)
	for _, d := range f.Docs {
		copies.Add(d)
	}
	shared := NewBuilder(f.Langs)
	first := map[[2]uint64]Doc{}
	known := 0
	for _, d := range f.Docs {
		if d.TextLang == "" {
			d.TextLang = d.Lang
		}
		h := textHash(&d)
		if s, ok := first[h]; ok {
			d.Title, d.Summary, d.Sections = s.Title, s.Summary, s.Sections
		} else {
			first[h] = d
		}
		if _, ok := shared.recent.find(&d); ok {
			known++
		}
		shared.Add(d)
	}
	if known == 0 {
		t.Errorf("no page of the fixture was known from the recent texts")
	}
	dirCopies, dirShared := t.TempDir(), t.TempDir()
	if _, err := copies.Write(dirCopies); err != nil {
		t.Fatal(err)
	}
	if _, err := shared.Write(dirShared); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(readTree(t, dirCopies), readTree(t, dirShared)); diff != "" {
		t.Errorf("pages sharing their strings give another index (-copies +shared):\n%s", diff)
	}
}
