package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCommitAndAbort(t *testing.T) {
	root := t.TempDir()
	final := filepath.Join(root, "public")

	d, err := Begin(final)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Write("it/index.html", []byte("<!doctype html><html lang=it><p>  uno  </p></html>")); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	first, _ := os.ReadFile(filepath.Join(final, "it/index.html"))
	if string(first) == "" || len(first) >= len("<!doctype html><html lang=it><p>  uno  </p></html>") {
		t.Errorf("not minified: %q", first)
	}

	// A second build that is aborted leaves the first untouched.
	d2, _ := Begin(final)
	_ = d2.Write("it/index.html", []byte("due"))
	_ = d2.Write("stale.html", []byte("x"))
	if err := d2.Abort(); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(final, "it/index.html"))
	if string(got) != string(first) {
		t.Errorf("aborted build changed the site: %q", got)
	}

	// A committed build replaces everything, removing files it did not write.
	d3, _ := Begin(final)
	_ = d3.Write("en/index.html", []byte("<p>three</p>"))
	if err := d3.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(final, "it/index.html")); !os.IsNotExist(err) {
		t.Errorf("old file survived: %v", err)
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 1 {
		t.Errorf("leftover temporary directories: %v", entries)
	}
	if err := d3.WriteRaw("../escape", nil); err == nil {
		t.Error("path escaping the site was accepted")
	}
}

// TestFolderWriteFile checks that a Folder creates and truncates files
// by names relative to it, in its subfolders too, and that an error
// names the whole path.
func TestFolderWriteFile(t *testing.T) {
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "t"), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := OpenFolder(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, data string }{
		{"a.json", "first, longer than the second"},
		{"a.json", "second"}, // truncated, not overwritten in place
		{"t/b.json", "in a subfolder"},
		{"empty.json", ""},
	} {
		if err := f.WriteFile(c.name, []byte(c.data)); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(c.name)))
		if err != nil || string(got) != c.data {
			t.Errorf("%s: got %q, %v; want %q", c.name, got, err, c.data)
		}
	}
	err = f.WriteFile("missing/c.json", []byte("x"))
	if err == nil || !strings.Contains(err.Error(), filepath.Join(root, "missing", "c.json")) && !strings.Contains(err.Error(), root+"/missing/c.json") {
		t.Errorf("writing into a missing folder: got %v, want an error naming the path", err)
	}
	if _, err := OpenFolder(filepath.Join(root, "a.json")); err == nil {
		t.Error("a file was opened as a folder")
	}
	if err := f.Close(); err != nil {
		t.Error(err)
	}
}
