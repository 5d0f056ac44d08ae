package generator

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkSessionEdit measures one guide edit in a preview session on a
// corpus written by ../shared/bench/gencorpus.py:
//
//	PORTAL_CORPUS=/tmp/c10k/content go test -run '^$' -bench SessionEdit ./generator
//
// The time per operation is from the file write to every dependent page,
// the sitemap and the feeds being on disk (the search index follows in the
// background and is not included).
func BenchmarkSessionEdit(b *testing.B) {
	corpus := os.Getenv("PORTAL_CORPUS")
	if corpus == "" {
		b.Skip("set PORTAL_CORPUS to a gencorpus.py content folder")
	}
	out := filepath.Join(b.TempDir(), "public")
	s := NewSession(Config{Root: "..", Content: corpus, Out: out})
	ctx := context.Background()
	if _, err := s.Rebuild(ctx, nil); err != nil {
		b.Fatal(err)
	}
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
