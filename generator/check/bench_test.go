package check

import (
	"context"
	"testing"
)

// BenchmarkRun checks the project's own content, as an editor's save
// would (portal check is meant to be fast enough for every save).
func BenchmarkRun(b *testing.B) {
	opt := Options{Root: "../..", Today: today}
	for b.Loop() {
		rep, err := Run(context.Background(), opt)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Analysis == nil {
			b.Fatalf("content does not load: %v", rep.Diagnostics)
		}
	}
}

// BenchmarkSite measures the checks this package adds, without loading.
func BenchmarkSite(b *testing.B) {
	rep, err := Run(context.Background(), Options{Root: "../..", Today: today})
	if err != nil || rep.Analysis == nil {
		b.Fatalf("%v %v", err, rep.Diagnostics)
	}
	for b.Loop() {
		Site(rep.Analysis, rep.Desks, Options{Today: today})
	}
}
