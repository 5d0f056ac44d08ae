package output

import (
	"os"
	"path/filepath"
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
