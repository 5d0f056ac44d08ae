package search

import "testing"

// BenchmarkAddSite adds every page of $SEARCH_CORPUS (see
// BenchmarkBuildCorpus) in all eleven languages, fallback pages
// included, on one goroutine, and analyses the last batch, without
// writing: Add as a site build runs it, for instruction counts and
// simulated cache misses of the analysis (callgrind or cachegrind on
// one run, with -test.benchtime 1x; the corpus is read before the timer
// starts).
func BenchmarkAddSite(b *testing.B) {
	langs, docs := cachedCorpus(b)
	c0 := cpuTime()
	for range b.N {
		analyseAll(langs, docs)
	}
	b.ReportMetric(float64(len(docs)), "pages")
	b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/float64(b.N)/1e6, "cpu-ms/op")
}
