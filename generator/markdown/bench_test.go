package markdown

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
)

// BenchmarkRenderCorpus renders the Italian bodies of the corpus named by
// $SEARCH_CORPUS (a content/ folder written by the shared bench's
// gencorpus.py), with and without the section texts the search index
// reads, and reports bytes of body per second. Without the variable
// there is nothing to measure.
func BenchmarkRenderCorpus(b *testing.B) {
	dir := os.Getenv("SEARCH_CORPUS")
	if dir == "" {
		b.Skip("set SEARCH_CORPUS to a gencorpus.py content folder")
	}
	bodies := corpusBodies(b, dir)
	var size int64
	for _, body := range bodies {
		size += int64(len(body))
	}
	for _, sections := range []bool{true, false} {
		name := "sections"
		if !sections {
			name = "nosections"
		}
		b.Run(name, func(b *testing.B) {
			r := New("it")
			r.NoSections = !sections
			b.SetBytes(size)
			for range b.N {
				for _, body := range bodies {
					r.Render(Doc{Path: "p", Rel: "guides/x/y.md", Body: body})
				}
			}
		})
	}
}

// BenchmarkSectionsCorpus splits the parsed Italian bodies of
// $SEARCH_CORPUS (see BenchmarkRenderCorpus) into sections, as Render
// does ("render") and as refSections does ("reference": every text
// copied out of a reused buffer, every heading read again).
func BenchmarkSectionsCorpus(b *testing.B) {
	dir := os.Getenv("SEARCH_CORPUS")
	if dir == "" {
		b.Skip("set SEARCH_CORPUS to a gencorpus.py content folder")
	}
	type parsed struct {
		w    *walker
		root ast.Node
	}
	var docs []parsed
	var size int64
	r := New("it")
	for _, body := range corpusBodies(b, dir) {
		w, root := parseWalk(r, body)
		docs = append(docs, parsed{w, root})
		size += int64(len(body))
	}
	b.Run("render", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for range b.N {
			for _, d := range docs {
				d.w.res.Sections = nil
				d.w.sections(d.root)
			}
		}
	})
	b.Run("reference", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for range b.N {
			for _, d := range docs {
				d.w.refSections(d.root)
			}
		}
	})
}

// corpusBodies reads the bodies (front matter cut off) of the Italian
// pages under dir.
func corpusBodies(b *testing.B, dir string) [][]byte {
	var bodies [][]byte
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".it.md") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if rest, ok := bytes.CutPrefix(data, []byte("---\n")); ok {
			if _, body, ok := bytes.Cut(rest, []byte("\n---\n")); ok {
				data = body
			}
		}
		bodies = append(bodies, data)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return bodies
}
