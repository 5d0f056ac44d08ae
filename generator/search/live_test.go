package search

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// editKey is the fixture guide the Live tests edit: its English text is
// also every fallback language's.
const editKey = "guides/residence/primo-permesso"

// fixtureDocs returns the fixture's documents with the edit key's pages
// changed by edit (nil edit: unchanged; edit returning false: removed).
func fixtureDocs(t *testing.T, edit func(d *Doc) bool) ([]string, []Doc) {
	f := loadFixture(t)
	var docs []Doc
	for _, d := range f.Docs {
		d.Sections = slices.Clone(d.Sections)
		if d.Key == editKey && edit != nil && !edit(&d) {
			continue
		}
		docs = append(docs, d)
	}
	return f.Langs, docs
}

// before puts a word in the page that the edit removes.
func before(d *Doc) bool {
	if d.TextLang == "en" {
		d.Sections[0].Text += " The xylophonic clause."
	}
	return true
}

// after removes that word, adds a new one to the English text and one to
// the Italian title (which every language's index also holds).
func after(d *Doc) bool {
	if d.TextLang == "en" {
		d.Sections[0].Text += " The zanzibarite clause."
	}
	if d.Lang == "it" {
		d.Title += " velocissimo"
	}
	return true
}

func keyDocs(docs []Doc) []Doc {
	return slices.DeleteFunc(slices.Clone(docs), func(d Doc) bool { return d.Key != editKey })
}

// liveIndex writes the base index with KeepForUpdates and returns its Live.
func liveIndex(t *testing.T, dir string, docs []Doc, langs []string) *Live {
	t.Helper()
	b := NewBuilder(langs)
	b.KeepForUpdates()
	for _, d := range docs {
		b.Add(d)
	}
	if _, err := b.Write(dir); err != nil {
		t.Fatal(err)
	}
	l := b.Live()
	if l == nil {
		t.Fatal("Live() = nil after KeepForUpdates and Write")
	}
	return l
}

// answers runs q on lang's index in dir: the total and the hit URLs in
// rank order.
func answers(t *testing.T, dir, lang, q string) (int, []string) {
	t.Helper()
	ix := openIndex(t, dir, lang)
	hits, total, err := ix.Search(q, nil, 1000)
	if err != nil {
		t.Fatalf("%s %q: %v", lang, q, err)
	}
	var urls []string
	for _, h := range hits {
		urls = append(urls, strings.SplitN(h.URL, "#", 2)[0])
	}
	return total, urls
}

func TestLiveReplace(t *testing.T) {
	langs, base := fixtureDocs(t, before)
	_, edited := fixtureDocs(t, after)
	live := t.TempDir()
	l := liveIndex(t, live, base, langs)
	if err := l.Replace(editKey, keyDocs(edited)); err != nil {
		t.Fatal(err)
	}
	// The same documents, built from scratch.
	fresh := t.TempDir()
	b := NewBuilder(langs)
	for _, d := range edited {
		b.Add(d)
	}
	if _, err := b.Write(fresh); err != nil {
		t.Fatal(err)
	}

	page := func(lang string) string { return "/" + lang + "/guides/residence/primo-permesso/" }
	for _, lang := range []string{"en", "ar", "zh", "ur"} {
		_, urls := answers(t, live, lang, "zanzibarite")
		if !slices.Contains(urls, page(lang)) {
			t.Errorf("%s: zanzibarite (added by the edit) finds %v, want %s", lang, urls, page(lang))
		}
		if n, urls := answers(t, live, lang, "xylophonic"); n != 0 {
			t.Errorf("%s: xylophonic (removed by the edit) still finds %v", lang, urls)
		}
		if _, urls := answers(t, live, lang, "velocissimo"); !slices.Contains(urls, page(lang)) {
			t.Errorf("%s: velocissimo (added to the Italian title) finds %v, want %s", lang, urls, page(lang))
		}
	}

	// Every other query answers with the same pages as a full rebuild
	// (ranks may differ a little: the delta keeps the base's average page
	// length).
	queries := [][2]string{{"it", "permesso di soggiorno"}, {"en", "first residence permit"}, {"en", "permit"},
		{"ar", "permesso"}, {"zh", "居留"}, {"uk", "посвідка"}, {"it", "prim"}, {"en", "clau"}, {"es", "permiso"}}
	for _, q := range queries {
		nLive, got := answers(t, live, q[0], q[1])
		nFresh, want := answers(t, fresh, q[0], q[1])
		slices.Sort(got)
		slices.Sort(want)
		if nLive != nFresh || !slices.Equal(got, want) {
			t.Errorf("%s %q: live index finds %d %v, a rebuild %d %v", q[0], q[1], nLive, got, nFresh, want)
		}
	}
}

func TestLiveRemoveAndCleanUp(t *testing.T) {
	langs, base := fixtureDocs(t, before)
	dir := t.TempDir()
	l := liveIndex(t, dir, base, langs)
	_, edited := fixtureDocs(t, after)
	if err := l.Replace(editKey, keyDocs(edited)); err != nil {
		t.Fatal(err)
	}
	if err := l.Replace(editKey, nil); err != nil {
		t.Fatal(err)
	}
	for _, lang := range langs {
		for _, q := range []string{"primo permesso", "zanzibarite", "xylophonic", "first residence permit"} {
			_, urls := answers(t, dir, lang, q)
			for _, u := range urls {
				if strings.Contains(u, "primo-permesso") {
					t.Errorf("%s %q: finds the removed page %s", lang, q, u)
				}
			}
		}
	}
	// Only the delta files the manifests name are left.
	names := map[string]bool{}
	for _, lang := range langs {
		data, err := os.ReadFile(filepath.Join(dir, "search", lang, "manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		var m Manifest
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		if m.Delta == "" {
			t.Errorf("%s: manifest names no delta after the page was removed", lang)
		}
		names[m.Delta+".json"] = true
	}
	files, err := os.ReadDir(filepath.Join(dir, "search", "d"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !names[f.Name()] {
			t.Errorf("search/d/%s: left behind; no manifest names it", f.Name())
		}
	}
	if len(files) == 0 {
		t.Error("search/d is empty")
	}
}

func TestLiveBadInput(t *testing.T) {
	langs, base := fixtureDocs(t, nil)
	l := liveIndex(t, t.TempDir(), base, langs)
	docs := keyDocs(base)
	docs[0].Key = "guides/other"
	if err := l.Replace(editKey, docs); err == nil || !strings.Contains(err.Error(), "Doc.Key") {
		t.Errorf("Replace with a page of another key: error %v, want one naming Doc.Key", err)
	}
	bad := keyDocs(base)
	bad[len(bad)-1].Lang = "xx"
	if err := l.Replace(editKey, bad); err == nil || !strings.Contains(err.Error(), "not a site language") {
		t.Errorf("Replace with a page in no site language: error %v", err)
	}
	if err := l.Replace("", nil); err == nil {
		t.Error("Replace with an empty key: no error")
	}
	// A page of another key cannot be taken over.
	other := base[0]
	for _, d := range base {
		if d.Key != "" && d.Key != editKey {
			other = d
			break
		}
	}
	other.Key = editKey
	if err := l.Replace(editKey, []Doc{other}); err == nil || !strings.Contains(err.Error(), "replace that key") {
		t.Errorf("Replace taking another key's URL: error %v", err)
	}
}

func TestLiveNeedsKeep(t *testing.T) {
	langs, base := fixtureDocs(t, nil)
	b := NewBuilder(langs)
	for _, d := range base {
		b.Add(d)
	}
	if _, err := b.Write(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if b.Live() != nil {
		t.Error("Live() without KeepForUpdates: want nil")
	}
}

// liveQueries are answered by the Go query side over an index changed by
// Live into testdata/live/expect.json; static/js/search.test.js must
// answer the same over the same files.
var liveQueries = append(slices.Clone(parityQueries),
	expectQuery{Lang: "en", Q: "zanzibarite"},
	expectQuery{Lang: "en", Q: "zanzib"},
	expectQuery{Lang: "en", Q: "xylophonic"},
	expectQuery{Lang: "ar", Q: "zanzibarite clause"},
	expectQuery{Lang: "zh", Q: "velocissimo"},
	expectQuery{Lang: "it", Q: "primo permesso velocissimo"},
	expectQuery{Lang: "en", Q: "first residence permit"},
	expectQuery{Lang: "uk", Q: "first permit"},
	expectQuery{Lang: "it", Q: "requisito lingua"},
	expectQuery{Lang: "en", Q: "language requirement"},
	expectQuery{Lang: "ar", Q: "language"},
)

// removedKey is the fixture guide TestLiveGolden removes.
const removedKey = "guides/citizenship/requisito-lingua"

// TestLiveGolden writes the fixture's index, applies an edit with Live,
// and compares the files with testdata/live and the answers with
// testdata/live/expect.json. Run with -update after changing the format.
func TestLiveGolden(t *testing.T) {
	langs, base := fixtureDocs(t, before)
	_, edited := fixtureDocs(t, after)
	dir := t.TempDir()
	l := liveIndex(t, dir, base, langs)
	if err := l.Replace(editKey, keyDocs(edited)); err != nil {
		t.Fatal(err)
	}
	if err := l.Replace(removedKey, nil); err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(answer(t, dir, liveQueries), "", " ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "live")
	if *update {
		if err := os.RemoveAll(golden); err != nil {
			t.Fatal(err)
		}
		if err := os.CopyFS(golden, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(golden, "expect.json"), append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := readTree(t, golden)
	delete(want, "expect.json")
	if diff := cmp.Diff(want, readTree(t, dir)); diff != "" {
		t.Errorf("written index differs from testdata/live (run go test -update if intended):\n%s", diff)
	}
	wantExpect, err := os.ReadFile(filepath.Join(golden, "expect.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(bytes.TrimSpace(wantExpect), got) {
		t.Errorf("query answers differ from testdata/live/expect.json (run go test -update if intended):\n%s",
			cmp.Diff(string(wantExpect), string(got)))
	}
}
