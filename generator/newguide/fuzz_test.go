package newguide

import (
	"strings"
	"testing"

	"portal/generator/content"
	"portal/generator/markdown"
	"portal/generator/meta"
)

// FuzzSkeleton feeds arbitrary Italian bodies to the skeleton maker: it
// must not panic, its front matter must always decode, and the skeleton
// must keep the Italian text's heading and link counts.
func FuzzSkeleton(f *testing.F) {
	f.Add("Testo.\n\n## Cosa serve {#cosa-serve}\n\n- [ ] Passaporto\n")
	f.Add("Titolo\n======\n\n[a](b.md) [c](#titolo)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
	f.Add("```\n## non un titolo\n```\n> citazione\n\n1. uno\n   seguito\n")
	f.Add("  ## rientrato\n\n    codice\n\n* [x] fatto\n")
	f.Fuzz(func(t *testing.T, body string) {
		src := "---\ntitle: \"T\"\ndescription: \"D\"\nreviewed: 2026-01-01\nsources:\n  - text: \"L\"\n---\n" + body
		out, err := skeleton(Options{Lang: "en", Today: today}, "guides/entry/x.it.md", "x.it.md", []byte(src))
		if err != nil {
			return // the Italian text itself does not parse
		}
		s, err := meta.Parse("x.en.md", out)
		if err != nil {
			t.Fatalf("skeleton does not parse: %v\n%s", err, out)
		}
		var m content.Meta
		if err := s.Decode(&m); err != nil {
			t.Fatalf("skeleton front matter: %v\n%s", err, out)
		}
		if m.TranslationOf != "guides/entry/x.it.md" || !m.Draft {
			t.Fatalf("front matter = %+v", m)
		}
		if strings.ContainsRune(body, '\r') || strings.ContainsRune(body, 0) {
			return // line structure differs between the two readings
		}
		ps, _ := meta.Parse("x.it.md", []byte(src))
		a, _ := markdown.New("it").Render(markdown.Doc{Path: "x.it.md", Rel: "guides/entry/x.it.md", Body: ps.Body, BodyLine: 1})
		b, _ := markdown.New("en").Render(markdown.Doc{Path: "x.en.md", Rel: "guides/entry/x.en.md", Body: s.Body, BodyLine: 1})
		if len(a.Headings) != len(b.Headings) {
			t.Fatalf("headings: %d in Italian, %d in the skeleton\n%s", len(a.Headings), len(b.Headings), out)
		}
		if len(a.Links) != len(b.Links) {
			t.Fatalf("links: %d in Italian, %d in the skeleton\n%s", len(a.Links), len(b.Links), out)
		}
	})
}
