package generator

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"portal/generator/diag"
	"portal/generator/search"
)

// TestSessionIncremental edits a preview session's content, with the pages
// on disk and in memory (as portal serve keeps them), and reads the site
// as it is served.
func TestSessionIncremental(t *testing.T) {
	for _, inMemory := range []bool{false, true} {
		t.Run(fmt.Sprintf("in memory %v", inMemory), func(t *testing.T) { testSessionIncremental(t, inMemory) })
	}
}

func testSessionIncremental(t *testing.T, inMemory bool) {
	root := testRoot(t, "testdata/site/i18n")
	content := writeSite(t, map[string]string{
		"guides/residence/_index.it.md": "---\ntitle: Permesso\n---\nIntro.\n",
		"guides/residence/a.it.md":      okGuide + "\n## Sezione {#sez}\n",
		"guides/residence/b.it.md":      okGuide + "\n[a](a.md#sez)\n",
		"guides/residence/b.en.md":      okGuide + "\n[a](a.md#sez)\n",
	})
	out := filepath.Join(t.TempDir(), "public")
	s := NewSession(Config{Root: root, Content: content, Out: out, NoMinify: true, InMemory: inMemory})
	ctx := context.Background()
	if _, err := s.Rebuild(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if onDisk := fileExists(filepath.Join(out, "it/guides/residence/a/index.html")); onDisk == inMemory {
		t.Errorf("pages on disk: %v, want %v", onDisk, !inMemory)
	}
	if !fileExists(filepath.Join(out, "search/it/manifest.json")) {
		t.Error("the search index is not on disk")
	}
	served := func(p string) bool {
		_, err := fs.Stat(s.FS(), p)
		return err == nil
	}
	read := func(p string) string {
		b, err := fs.ReadFile(s.FS(), p)
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
	if served("it/guides/residence/b/index.html") {
		t.Error("deleted guide still published")
	}
	s.WaitSearch()
	if !served("search/it/manifest.json") {
		t.Error("search index missing after the background rebuild")
	}

	// A layout change rebuilds everything.
	if res, err := s.Rebuild(ctx, []string{filepath.Join(root, "layouts", "guide.html")}); err != nil || res.Changed != nil {
		t.Errorf("layout change: res %+v err %v, want a full rebuild", res, err)
	}
}

// TestSessionSearchEdit edits a guide in a preview session and queries the
// served search index at once (no waiting for a background rebuild): the
// new word is found in the guide's language and in the fallback language
// that shows its text, the removed word no longer is, and deleting the
// guide removes it from the index.
func TestSessionSearchEdit(t *testing.T) {
	root := testRoot(t, "testdata/site/i18n")
	content := writeSite(t, map[string]string{
		"guides/residence/_index.it.md": "---\ntitle: Permesso\n---\nIntro.\n",
		"guides/residence/a.it.md":      okGuide + "\nIl modulo xilofono va firmato.\n",
		"guides/residence/b.it.md":      okGuide + "\nAltro testo.\n",
	})
	out := filepath.Join(t.TempDir(), "public")
	s := NewSession(Config{Root: root, Content: content, Out: out, NoMinify: true})
	ctx := context.Background()
	if _, err := s.Rebuild(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if s.live == nil {
		t.Fatal("the first build kept no search.Live: edits would rebuild the whole index")
	}
	find := func(lang, q string) []string {
		t.Helper()
		ix, err := search.Open(os.DirFS(out), lang)
		if err != nil {
			t.Fatal(err)
		}
		hits, _, err := ix.Search(q, nil, 10)
		if err != nil {
			t.Fatal(err)
		}
		var urls []string
		for _, h := range hits {
			urls = append(urls, h.URL)
		}
		return urls
	}
	a := func(lang string) string { return "/" + lang + "/guides/residence/a/" }
	for _, lang := range []string{"it", "ar"} {
		if got := find(lang, "xilofono"); !slices.Contains(got, a(lang)) {
			t.Fatalf("%s before the edit: xilofono finds %v, want %s", lang, got, a(lang))
		}
	}

	p := filepath.Join(content, "guides/residence/a.it.md")
	if err := os.WriteFile(p, []byte(okGuide+"\nIl modulo zanzibarite va firmato.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Rebuild(ctx, []string{p}); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"it", "en", "ar"} {
		if got := find(lang, "zanzibarite"); !slices.Equal(got, []string{a(lang)}) {
			t.Errorf("%s after the edit: zanzibarite finds %v, want [%s]", lang, got, a(lang))
		}
		if got := find(lang, "xilofono"); len(got) != 0 {
			t.Errorf("%s after the edit: xilofono (removed) still finds %v", lang, got)
		}
		if got := find(lang, "altro testo"); !slices.Contains(got, "/"+lang+"/guides/residence/b/") {
			t.Errorf("%s after the edit: the other guide is lost: %v", lang, got)
		}
	}

	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Rebuild(ctx, []string{p}); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"it", "ar"} {
		if got := find(lang, "zanzibarite"); len(got) != 0 {
			t.Errorf("%s after deleting the guide: zanzibarite finds %v", lang, got)
		}
	}
}

// BenchmarkSessionSearchEdit measures, for one guide edit in a preview
// session on a gencorpus.py corpus, the time from the file write to the
// served search index being up to date (the edit's pages replaced through
// delta files), as ns/op; search-ms/op is the search index update alone
// and search-ms-max its slowest:
//
//	PORTAL_CORPUS=/tmp/c10k/content go test -run '^$' -bench SessionSearchEdit ./generator
func BenchmarkSessionSearchEdit(b *testing.B) {
	s, corpus := benchSession(b)
	ctx := context.Background()
	if s.live == nil {
		b.Fatal("no search.Live after the first build")
	}
	// Not the guide BenchmarkSessionEdit edits: both may run at once on a
	// shared corpus.
	guides, _ := filepath.Glob(filepath.Join(corpus, "guides", "entry", "entry-*.it.md"))
	if len(guides) < 2 {
		b.Fatalf("the corpus has %d Italian entry guides, want 2", len(guides))
	}
	guide := guides[1]
	orig, err := os.ReadFile(guide)
	if err != nil {
		b.Fatal(err)
	}
	defer os.WriteFile(guide, orig, 0o644)
	var total, worst time.Duration
	b.ResetTimer()
	for i := range b.N {
		word := fmt.Sprintf("zq%dx", i)
		edited := append(slices.Clone(orig), "\nParola "+word+".\n"...)
		if err := os.WriteFile(guide, edited, 0o644); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Rebuild(ctx, []string{guide}); err != nil {
			b.Fatal(err)
		}
		total += s.lastSearch
		worst = max(worst, s.lastSearch)
	}
	b.StopTimer()
	ix, err := search.Open(os.DirFS(s.Config().Out), "it")
	if err != nil {
		b.Fatal(err)
	}
	if hits, _, err := ix.Search(fmt.Sprintf("zq%dx", b.N-1), nil, 1); err != nil || len(hits) != 1 || !strings.Contains(hits[0].URL, strings.TrimSuffix(filepath.Base(guide), ".it.md")) {
		b.Fatalf("the last edit's word finds %v (%v)", hits, err)
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "search-ms/op")
	b.ReportMetric(float64(worst.Microseconds())/1000, "search-ms-max")
}
