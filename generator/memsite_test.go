package generator

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"portal/generator/output"
)

// TestMemSiteFS checks the served view of a preview session's site: pages
// in memory over the disk folder, as a well-behaved fs.FS (fstest.TestFS
// opens, reads, seeks, stats and lists everything), with memory winning
// over disk and removals taking effect.
func TestMemSiteFS(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"search/it/manifest.json": `{"v":3}`,
		"api/desks.json":          `[]`,
		"it/index.html":           "old page on disk",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m := newMemSite(output.InPlace(dir))
	buf := []byte("<p>pagina</p>")
	for _, rel := range []string{"/it/index.html", "it/guides/residence/rinnovo/index.html", "search/it/extra.json", "_redirects"} {
		if err := m.WriteRaw(rel, buf); err != nil {
			t.Fatal(err)
		}
	}
	buf[0] = 'X' // the caller's buffer is reused: the site keeps its own copy
	for _, bad := range []string{"", "/", "../x", "a//b"} {
		if err := m.WriteRaw(bad, buf); err == nil {
			t.Errorf("WriteRaw(%q) accepted", bad)
		}
	}
	fsys := m.FS(dir)
	if err := fstest.TestFS(fsys, "it/index.html", "it/guides/residence/rinnovo/index.html", "search/it/manifest.json",
		"search/it/extra.json", "api/desks.json", "_redirects"); err != nil {
		t.Fatal(err)
	}
	if got, _ := fs.ReadFile(fsys, "it/index.html"); string(got) != "<p>pagina</p>" {
		t.Errorf("it/index.html = %q, want the page in memory", got)
	}
	if info, err := fs.Stat(fsys, "it/guides"); err != nil || !info.IsDir() {
		t.Errorf("it/guides: %v %v, want a folder", info, err)
	}
	if err := m.Remove("it/index.html"); err != nil {
		t.Fatal(err)
	}
	if got, _ := fs.ReadFile(fsys, "it/index.html"); string(got) != "old page on disk" {
		t.Errorf("after Remove, it/index.html = %q, want the disk file again", got)
	}
	if err := m.Remove("api/desks.json"); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Stat(fsys, "api/desks.json"); err == nil {
		t.Error("Remove did not delete a file on disk")
	}
}
