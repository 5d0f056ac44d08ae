package generator

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"portal/generator/diag"
)

func TestSessionIncremental(t *testing.T) {
	root := testRoot(t, "testdata/site/i18n")
	content := writeSite(t, map[string]string{
		"guides/residence/_index.it.md": "---\ntitle: Permesso\n---\nIntro.\n",
		"guides/residence/a.it.md":      okGuide + "\n## Sezione {#sez}\n",
		"guides/residence/b.it.md":      okGuide + "\n[a](a.md#sez)\n",
		"guides/residence/b.en.md":      okGuide + "\n[a](a.md#sez)\n",
	})
	out := filepath.Join(t.TempDir(), "public")
	s := NewSession(Config{Root: root, Content: content, Out: out, NoMinify: true})
	ctx := context.Background()
	if _, err := s.Rebuild(ctx, nil); err != nil {
		t.Fatal(err)
	}
	read := func(p string) string {
		b, err := os.ReadFile(filepath.Join(out, p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	write := func(rel, data string) string {
		p := filepath.Join(content, rel)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}

	// Edit a guide's title: its pages in every language and its topic list change.
	p := write("guides/residence/a.it.md", strings.Replace(okGuide, "title: T", "title: Nuovo titolo", 1)+"\n## Sezione {#sez}\n")
	res, err := s.Rebuild(ctx, []string{p})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/it/guides/residence/a/", "/ar/guides/residence/a/", "/it/guides/residence/", "/sitemap.xml"} {
		found := false
		for _, c := range res.Changed {
			found = found || c == want
		}
		if !found {
			t.Errorf("Changed = %v, lacks %s", res.Changed, want)
		}
	}
	if len(res.Changed) > 60 {
		t.Errorf("an edit of one guide rewrote %d files", len(res.Changed))
	}
	if !strings.Contains(read("en/guides/residence/a/index.html"), "Nuovo titolo") || !strings.Contains(read("it/guides/residence/index.html"), "Nuovo titolo") {
		t.Error("the edit did not reach the fallback page or the topic list")
	}

	// Removing the heading others link to is an error; the site stays as it was.
	before := read("it/guides/residence/a/index.html")
	write("guides/residence/a.it.md", okGuide)
	_, err = s.Rebuild(ctx, []string{p})
	var le *diag.ListError
	if !errors.As(err, &le) || !strings.Contains(le.Error(), "#sez is not a heading of") {
		t.Fatalf("err = %v, want the broken anchor reported", err)
	}
	if read("it/guides/residence/a/index.html") != before {
		t.Error("a failed update changed a served page")
	}
	// Fixing it works again.
	write("guides/residence/a.it.md", okGuide+"\n## Sezione {#sez}\n")
	if _, err := s.Rebuild(ctx, []string{p}); err != nil {
		t.Fatal(err)
	}

	// A new translation appears and links to it get their language.
	np := write("guides/residence/a.en.md", strings.Replace(okGuide, "title: T", "title: English A", 1)+"\n## Section {#sez}\n")
	if _, err := s.Rebuild(ctx, []string{np}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(read("en/guides/residence/a/index.html"), "English A") {
		t.Error("new translation not published")
	}
	if eb := read("en/guides/residence/b/index.html"); !strings.Contains(eb, `href="/en/guides/residence/a/#sez">`) {
		t.Error("a page linking to the new translation still marks the link as Italian")
	}

	// Deleting a guide removes its pages.
	if err := os.Remove(filepath.Join(content, "guides/residence/b.it.md")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(content, "guides/residence/b.en.md")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Rebuild(ctx, []string{filepath.Join(content, "guides/residence/b.it.md"), filepath.Join(content, "guides/residence/b.en.md")}); err != nil {
		t.Fatal(err)
	}
	if fileExists(filepath.Join(out, "it/guides/residence/b/index.html")) {
		t.Error("deleted guide still published")
	}
	s.WaitSearch()
	if !fileExists(filepath.Join(out, "search/it/manifest.json")) {
		t.Error("search index missing after the background rebuild")
	}

	// A layout change rebuilds everything.
	if res, err := s.Rebuild(ctx, []string{filepath.Join(root, "layouts", "guide.html")}); err != nil || res.Changed != nil {
		t.Errorf("layout change: res %+v err %v, want a full rebuild", res, err)
	}
}
