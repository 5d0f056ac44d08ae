package search

import (
	"runtime"
	"testing"
)

// BenchmarkBuilderMark measures what a builder holding the bench corpus
// ($SEARCH_CORPUS, every page added, the last batch still pending, as
// when the site build has rendered its last page) costs each garbage
// collection: the CPU time of a full collection with the builder alive,
// less that of one after it is dropped (the corpus's own documents stay
// alive in both). The site build collects a few dozen times while it
// renders, with the builder growing to this size, so each millisecond
// here costs up to a few dozen of the build's.
func BenchmarkBuilderMark(b *testing.B) {
	langs, docs := cachedCorpus(b)
	bl := NewBuilder(langs)
	addAll(bl, docs)
	gcCPU := func(rounds int) float64 {
		runtime.GC()
		c0 := cpuTime()
		for range rounds {
			runtime.GC()
		}
		return float64((cpuTime() - c0).Nanoseconds()) / float64(rounds) / 1e6
	}
	b.ResetTimer()
	var with, without float64
	for range b.N {
		with += gcCPU(20)
	}
	b.StopTimer()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	objects := ms.HeapObjects
	runtime.KeepAlive(bl)
	bl = nil
	runtime.GC()
	runtime.ReadMemStats(&ms)
	objects -= ms.HeapObjects
	for range b.N {
		without += gcCPU(20)
	}
	runtime.KeepAlive(docs)
	b.ReportMetric(with/float64(b.N), "gc-ms-with")
	b.ReportMetric(without/float64(b.N), "gc-ms-without")
	b.ReportMetric((with-without)/float64(b.N), "gc-ms-builder")
	b.ReportMetric(float64(objects), "builder-objects")
}

// BenchmarkAddBookkeeping adds the pages of $SEARCH_CORPUS (see
// BenchmarkBuildCorpus) in their order, one goroutine, with a batch
// larger than the corpus, so that no text is analysed: what Add costs
// besides the analysis (finding a page's text among those seen, its
// record and filters, queueing a new text), per page, with its
// allocations.
func BenchmarkAddBookkeeping(b *testing.B) {
	langs, docs := cachedCorpus(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		bl := NewBuilder(langs)
		bl.batch = len(docs) + 1
		runtime.GC()
		b.StartTimer()
		for _, d := range docs {
			bl.Add(d)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(docs)), "ns/page")
}
