package generator

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestReproducible builds the starter content twice, a second apart, with
// the same Config.Now, and wants the same files with the same bytes: a
// deploy of an unchanged commit then uploads nothing, and the desk feeds
// that other sites read change only when a desk does.
func TestReproducible(t *testing.T) {
	root := testRoot(t, "../i18n")
	now := time.Date(2026, 3, 4, 10, 30, 0, 0, time.UTC)
	build := func() string {
		out := filepath.Join(t.TempDir(), "public")
		_, err := Build(context.Background(), Config{Root: root, Content: "../content", Out: out, BaseURL: "https://sportelli.example.org", Now: now})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	a := build()
	time.Sleep(1100 * time.Millisecond) // a clock read anywhere would now differ
	b := build()
	files := 0
	err := filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		rel, _ := filepath.Rel(a, p)
		x, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil {
			t.Errorf("%s: in the first build only", rel)
			return nil
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s: differs between two builds with the same Config.Now", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("only %d files built", files)
	}
	feed, err := os.ReadFile(filepath.Join(a, "api", "desks.json"))
	if err != nil {
		t.Fatal(err)
	}
	if want := `"generated": "2026-03-04T10:30:00Z"`; !strings.Contains(string(feed), want) {
		t.Errorf("api/desks.json does not say %s", want)
	}
}
