package search

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// TestTextHash checks that pages with the same indexable text hash the
// same, whatever else differs and wherever their strings are, and that
// any change to the text, including a character moved from one field to
// the next, gives another hash.
func TestTextHash(t *testing.T) {
	base := Doc{Lang: "en", TextLang: "it", URL: "/en/a/", Title: "Rinnovo", Summary: "Come fare",
		Kind: "guide", Topic: "residence", Key: "guides/a", Weight: 1,
		Sections: []Section{{Text: "Intro."}, {Anchor: "costi", Heading: "Costi", Level: 2, Text: "Il bollettino."}},
		Filters:  map[string][]string{"municipality": {"Saronno", "Como"}, "service": {"legal"}}}
	clone := func(d Doc) Doc {
		d.Title = strings.Clone(d.Title)
		d.Sections = slices.Clone(d.Sections)
		for i := range d.Sections {
			d.Sections[i].Text = strings.Clone(d.Sections[i].Text)
		}
		d.Filters = maps.Clone(d.Filters)
		for k, vs := range d.Filters {
			d.Filters[k] = slices.Clone(vs)
		}
		return d
	}
	same := map[string]func(d *Doc){
		"copies of the strings":  func(d *Doc) {},
		"another site language":  func(d *Doc) { d.Lang, d.URL = "ur", "/ur/a/" },
		"regional text language": func(d *Doc) { d.TextLang = "it-CH" },
		"kind, topic, key, weight": func(d *Doc) {
			d.Kind, d.Topic, d.Key, d.Weight = "page", "", "pages/a", 0
		},
	}
	differ := map[string]func(d *Doc){
		"text language":             func(d *Doc) { d.TextLang = "en" },
		"title":                     func(d *Doc) { d.Title = "Rinnovi" },
		"summary":                   func(d *Doc) { d.Summary = "" },
		"title into summary":        func(d *Doc) { d.Title, d.Summary = "Rinnov", "oCome fare" },
		"section text":              func(d *Doc) { d.Sections[1].Text = "Il bollettino!" },
		"text into the next anchor": func(d *Doc) { d.Sections[0].Text, d.Sections[1].Anchor = "Intro", ".costi" },
		"heading into text":         func(d *Doc) { d.Sections[1].Heading, d.Sections[1].Text = "Cost", "iIl bollettino." },
		"anchor and heading swapped": func(d *Doc) {
			d.Sections[1].Anchor, d.Sections[1].Heading = d.Sections[1].Heading, d.Sections[1].Anchor
		},
		"one text split in two": func(d *Doc) {
			d.Sections = []Section{{Text: "Intro."}, {Anchor: "costi", Heading: "Costi", Text: "Il"}, {Text: "bollettino."}}
		},
		"empty section added": func(d *Doc) { d.Sections = append(d.Sections, Section{}) },
		"no sections":         func(d *Doc) { d.Sections = nil },
		"filter value":        func(d *Doc) { d.Filters["municipality"] = []string{"Saronno"} },
		"filter value moved": func(d *Doc) {
			d.Filters["municipality"], d.Filters["service"] = []string{"Saronno"}, []string{"Como", "legal"}
		},
		"no filters": func(d *Doc) { d.Filters = nil },
	}
	want := textHash(&base)
	for name, change := range same {
		d := clone(base)
		change(&d)
		if got := textHash(&d); got != want {
			t.Errorf("%s: another hash, want the same", name)
		}
	}
	seen := map[[2]uint64]string{}
	for name, change := range differ {
		d := clone(base)
		change(&d)
		got := textHash(&d)
		if got == want {
			t.Errorf("%s: the same hash, want another", name)
		}
		if prev, ok := seen[got]; ok {
			t.Errorf("%s and %s: the same hash", name, prev)
		}
		seen[got] = name
	}
}

// BenchmarkTextHash hashes the texts of $SEARCH_CORPUS (see
// BenchmarkBuildCorpus) whose text is in the page's own language, as Add
// does for every new text; it reports nanoseconds per page.
func BenchmarkTextHash(b *testing.B) {
	_, all := cachedCorpus(b)
	var docs []Doc
	for _, d := range all {
		if d.TextLang == "" || d.TextLang == d.Lang {
			docs = append(docs, d)
		}
	}
	b.ResetTimer()
	var sink uint64
	for range b.N {
		for i := range docs {
			sink += textHash(&docs[i])[0]
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(docs)), "ns/page")
	_ = sink
}
