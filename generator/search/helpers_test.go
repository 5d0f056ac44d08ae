package search

import (
	"encoding/json"
	"os"
	"runtime"
	"sync"
	"testing"
)

type fixture struct {
	Langs []string `json:"langs"`
	Docs  []Doc    `json:"docs"`
}

// loadFixture reads the multilingual fixture site: guides in several
// languages with fallback pages, topic pages and desks.
func loadFixture(t testing.TB) fixture {
	t.Helper()
	data, err := os.ReadFile("testdata/fixture.json")
	if err != nil {
		t.Fatal(err)
	}
	var f fixture
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("testdata/fixture.json: %v", err)
	}
	return f
}

// buildFixture writes the fixture's indexes into dir.
func buildFixture(t testing.TB, dir string) Stats {
	t.Helper()
	f := loadFixture(t)
	b := NewBuilder(f.Langs)
	for _, d := range f.Docs {
		b.Add(d)
	}
	st, err := b.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// openIndex opens lang's index under dir.
func openIndex(t testing.TB, dir, lang string) *Index {
	t.Helper()
	ix, err := Open(os.DirFS(dir), lang)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// addAll adds docs to bl from GOMAXPROCS goroutines, as the site build's
// render workers do.
func addAll(bl *Builder, docs []Doc) {
	var wg sync.WaitGroup
	ch := make(chan Doc)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range ch {
				bl.Add(d)
			}
		}()
	}
	for _, d := range docs {
		ch <- d
	}
	close(ch)
	wg.Wait()
}
