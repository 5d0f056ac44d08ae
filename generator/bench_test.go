package generator

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"portal/generator/output"
)

// BenchmarkSessionEdit measures one guide edit in a preview session on a
// corpus written by ../shared/bench/gencorpus.py:
//
//	PORTAL_CORPUS=/tmp/c10k/content go test -run '^$' -bench SessionEdit ./generator
//
// The time per operation is from the file write to every dependent page,
// the sitemap, the feeds and the search index being on disk.
func BenchmarkSessionEdit(b *testing.B) {
	s, corpus := benchSession(b)
	ctx := context.Background()
	guide := filepath.Join(corpus, "guides", "entry", "entry-00000.it.md")
	orig, err := os.ReadFile(guide)
	if err != nil {
		b.Fatal(err)
	}
	defer os.WriteFile(guide, orig, 0o644)
	b.ResetTimer()
	for i := range b.N {
		edited := append([]byte(nil), orig...)
		edited = append(edited, []byte("\nEdit "+string(rune('a'+i%26))+".\n")...)
		if err := os.WriteFile(guide, edited, 0o644); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Rebuild(ctx, []string{guide}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	s.WaitSearch()
}

// benchSession starts a preview session on the corpus named by
// PORTAL_CORPUS (a gencorpus.py content folder), after its first build.
func benchSession(b *testing.B) (s *Session, corpus string) {
	corpus = os.Getenv("PORTAL_CORPUS")
	if corpus == "" {
		b.Skip("set PORTAL_CORPUS to a gencorpus.py content folder")
	}
	s = NewSession(Config{Root: "..", Content: corpus, Out: filepath.Join(b.TempDir(), "public")})
	if _, err := s.Rebuild(context.Background(), nil); err != nil {
		b.Fatal(err)
	}
	return s, corpus
}

// discard is a sink that keeps nothing, for benchmarks of the CPU work of
// rendering.
type discard struct{ out *output.Dir }

func (discard) Write(string, []byte) error            { return nil }
func (discard) WriteRaw(string, []byte) error         { return nil }
func (d discard) MinifyHTML(b []byte) ([]byte, error) { return d.out.MinifyHTML(b) }
func (d discard) Path() string                        { return d.out.Path() }

// BenchmarkRenderGroup measures rendering the project's own content, one
// content group (a text in every language, fallback pages included) per
// operation, without disk writes: Markdown, layouts, minification and
// search analysis.
//
//	go test -run '^$' -bench RenderGroup -benchmem ./generator
func BenchmarkRenderGroup(b *testing.B) {
	bl, err := load(Config{Root: "..", Content: "../content", BaseURL: "https://example.org", Jobs: 1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	bl.releaseBodies = false
	bl.out = discard{out: output.InPlace(b.TempDir())}
	groups := bl.site.Groups
	pages := 0
	b.ResetTimer()
	for i := range b.N {
		g := groups[i%len(groups)]
		if err := bl.renderGroup(g); err != nil {
			b.Fatal(err)
		}
		pages += len(bl.langs.All())
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(pages), "ns/page")
}
