package search

import (
	"bytes"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/index from the fixture")

// parityQueries are answered by the Go query side into
// testdata/index/expect.json; static/js/search.test.js runs the browser
// client over the same index files and must return the same hits.
var parityQueries = []expectQuery{
	{Lang: "it", Q: "rinnovo permesso di soggiorno"},
	{Lang: "it", Q: "Rinnovo del Permesso"},
	{Lang: "it", Q: "kit postale"},
	{Lang: "it", Q: "ricong"},
	{Lang: "it", Q: "cittadinanza "},
	{Lang: "it", Q: "permessi"},
	{Lang: "it", Q: "", Filters: map[string]string{"municipality": "Saronno"}},
	{Lang: "it", Q: "sportello", Filters: map[string]string{"service": "cittadinanza"}},
	{Lang: "it", Q: "permesso", Filters: map[string]string{"topic": "residence", "kind": "guide"}},
	{Lang: "en", Q: "citizenship by marriage"},
	{Lang: "en", Q: "receipt"},
	{Lang: "en", Q: "permesso di soggiorno"},
	{Lang: "en", Q: "renew"},
	{Lang: "ar", Q: "تجديد تصريح الإقامة"},
	{Lang: "ar", Q: "الجنسية بالزواج"},
	{Lang: "ar", Q: "الاقامه"},
	{Lang: "ar", Q: "permesso di soggiorno"},
	{Lang: "zh", Q: "居留许可 续签"},
	{Lang: "zh", Q: "国"},
	{Lang: "zh", Q: "家庭团聚"},
	{Lang: "uk", Q: "посвідка"},
	{Lang: "uk", Q: "codice fiscale"},
	{Lang: "ur", Q: "citizenship marriage"},
	{Lang: "fr", Q: "titre de séjour"},
	{Lang: "es", Q: "renovación permiso"},
}

type expectQuery struct {
	Lang    string            `json:"lang"`
	Q       string            `json:"q"`
	Filters map[string]string `json:"filters,omitempty"`
	Total   int               `json:"total"`
	Hits    []expectHit       `json:"hits"`
}

type expectHit struct {
	URL    string  `json:"url"`
	Score  float64 `json:"score"`
	Match  int     `json:"matched"`
	Reason string  `json:"-"`
}

func answer(t *testing.T, dir string, qs []expectQuery) []expectQuery {
	t.Helper()
	out := make([]expectQuery, len(qs))
	for i, q := range qs {
		ix := openIndex(t, dir, q.Lang)
		hits, total, err := ix.Search(q.Q, q.Filters, 5)
		if err != nil {
			t.Fatalf("%s %q: %v", q.Lang, q.Q, err)
		}
		q.Total = total
		q.Hits = []expectHit{}
		for _, h := range hits {
			q.Hits = append(q.Hits, expectHit{URL: h.URL, Score: h.Score, Match: h.Matched})
		}
		out[i] = q
	}
	return out
}

// TestIndexGolden builds the fixture and compares every written file with
// testdata/index, and the Go query side's answers with
// testdata/index/expect.json. Run with -update after changing the format.
func TestIndexGolden(t *testing.T) {
	dir := t.TempDir()
	buildFixture(t, dir)
	got := answer(t, dir, parityQueries)
	gotExpect, err := json.MarshalIndent(got, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "index")
	if *update {
		if err := os.RemoveAll(golden); err != nil {
			t.Fatal(err)
		}
		if err := os.CopyFS(golden, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(golden, "expect.json"), append(gotExpect, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := readTree(t, golden)
	delete(want, "expect.json")
	if diff := cmp.Diff(want, readTree(t, dir)); diff != "" {
		t.Errorf("written index differs from testdata/index (run go test -update if intended):\n%s", diff)
	}
	wantExpect, err := os.ReadFile(filepath.Join(golden, "expect.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(bytes.TrimSpace(wantExpect), gotExpect) {
		t.Errorf("query answers differ from testdata/index/expect.json (run go test -update if intended):\n%s",
			cmp.Diff(string(wantExpect), string(gotExpect)))
	}
}

// readTree maps every file under dir to its content.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
