package feed

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

func TestMarshal(t *testing.T) {
	d1 := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	d2 := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	out, err := Marshal(Feed{Title: "Guide <nuove>", ID: "https://x.it/ar/feed.xml", Link: "https://x.it/ar/", Lang: "ar", Author: "Rete",
		Entries: []Entry{{Title: "تجديد & تصريح", URL: "https://x.it/ar/g/", Summary: "s", Updated: d1, Lang: "ar"}, {Title: "Rinnovo", URL: "https://x.it/ar/h/", Updated: d2, Lang: "it"}}})
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, want := range []string{`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">`, `<title>Guide &lt;nuove&gt;</title>`, `<updated>2026-11-22T00:00:00Z</updated>`, `تجديد &amp; تصريح`, `<entry xml:lang="it">`} {
		if !strings.Contains(s, want) {
			t.Errorf("feed lacks %s:\n%s", want, s)
		}
	}
	var v struct {
		Entries []struct {
			ID string `xml:"id"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(out, &v); err != nil || len(v.Entries) != 2 {
		t.Fatalf("not well-formed: %v", err)
	}
}
