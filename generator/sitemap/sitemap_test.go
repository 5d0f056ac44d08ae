package sitemap

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

func TestBuild(t *testing.T) {
	d := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	entries := []Entry{
		{Loc: "https://x.it/it/b/", LastMod: d, Alternates: []Alternate{{"it", "https://x.it/it/b/"}, {"ar", "https://x.it/ar/b/"}, {"x-default", "https://x.it/it/b/"}}},
		{Loc: "https://x.it/it/a/?q=1&r=2"},
	}
	files := Build(entries, "https://x.it", 0)
	if len(files) != 1 || files[0].Name != "sitemap.xml" {
		t.Fatalf("files = %v", files)
	}
	s := string(files[0].Data)
	for _, want := range []string{
		`<loc>https://x.it/it/a/?q=1&amp;r=2</loc>`,
		`<lastmod>2026-11-22</lastmod>`,
		`<xhtml:link rel="alternate" hreflang="ar" href="https://x.it/ar/b/"/>`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("sitemap lacks %s:\n%s", want, s)
		}
	}
	if strings.Index(s, "/it/a/") > strings.Index(s, "/it/b/") {
		t.Error("entries not sorted")
	}
	var v struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(files[0].Data, &v); err != nil || len(v.URLs) != 2 {
		t.Fatalf("not well-formed: %v %v", err, v)
	}
}

func TestIndexSplit(t *testing.T) {
	var entries []Entry
	for i := range 5 {
		entries = append(entries, Entry{Loc: "https://x.it/" + string(rune('a'+i)) + "/"})
	}
	files := Build(entries, "https://x.it", 2)
	if len(files) != 4 {
		t.Fatalf("got %d files", len(files))
	}
	if !strings.Contains(string(files[0].Data), "<sitemapindex") || !strings.Contains(string(files[0].Data), "<loc>https://x.it/sitemap-3.xml</loc>") {
		t.Errorf("index = %s", files[0].Data)
	}
	if n := strings.Count(string(files[3].Data), "<url>"); n != 1 {
		t.Errorf("last part has %d urls", n)
	}
}
