package search

import (
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"
)

// BenchmarkWriteCorpus measures Write alone on the shared bench corpus
// named by $SEARCH_CORPUS (see BenchmarkBuildCorpus): its CPU time
// (garbage collection included), the bytes it allocates, and the peak of
// the live heap while it runs above the heap before it (sampled every
// millisecond in a second, untimed Write with garbage collected after
// every 10% of heap growth, so that the peak is close to what Write
// keeps alive at once), and its system time and minor page faults. Set TMPDIR to a RAM disk: creating thousands of files on
// a slow disk otherwise dominates.
//
// "real" gives the desk pages of every language but Italian a text of
// their own, as the site build does (its desk pages carry labels in the
// page's language), so that every language has its own index and Write
// builds all eleven; "bench" is the corpus as BenchmarkBuildCorpus reads
// it, where the fallback languages share their base's index.
func BenchmarkWriteCorpus(b *testing.B) {
	langs, base := cachedCorpus(b)
	real := make([]Doc, len(base))
	for i, d := range base {
		if d.Kind == "desk" && d.Lang != "it" {
			d.Summary += " · " + d.Lang
		}
		real[i] = d
	}
	for _, c := range []struct {
		name string
		docs []Doc
	}{{"real", real}, {"bench", base}} {
		b.Run(c.name, func(b *testing.B) {
			var cpu, sys time.Duration
			var alloc, peak, faults uint64
			for range b.N {
				b.StopTimer()
				bl := NewBuilder(langs)
				addAll(bl, c.docs)
				bl.drain()
				out := b.TempDir()
				runtime.GC()
				var before runtime.MemStats
				runtime.ReadMemStats(&before)
				stop := make(chan struct{})
				var wg sync.WaitGroup
				var top uint64
				wg.Go(func() { top = heapPeak(stop) })
				b.StartTimer()
				c0 := cpuTime()
				r0 := sysUsage()
				if _, err := bl.Write(out); err != nil {
					b.Fatal(err)
				}
				cpu += cpuTime() - c0
				r1 := sysUsage()
				sys += r1.sys - r0.sys
				faults += r1.faults - r0.faults
				b.StopTimer()
				close(stop)
				wg.Wait()
				var after runtime.MemStats
				runtime.ReadMemStats(&after)
				alloc += after.TotalAlloc - before.TotalAlloc
				// The peak of the live heap: Write again, untimed,
				// with garbage collected after every 10% of growth.
				runtime.GC()
				runtime.ReadMemStats(&before)
				old := debug.SetGCPercent(10)
				stop = make(chan struct{})
				wg.Go(func() { top = heapPeak(stop) })
				if _, err := bl.Write(b.TempDir()); err != nil {
					b.Fatal(err)
				}
				close(stop)
				wg.Wait()
				debug.SetGCPercent(old)
				peak += top - min(top, before.HeapAlloc)
				b.StartTimer()
			}
			n := float64(b.N)
			b.ReportMetric(cpu.Seconds()/n, "cpu-write-s/op")
			b.ReportMetric(sys.Seconds()/n, "sys-write-s/op")
			b.ReportMetric(float64(faults)/n, "minflt/op")
			b.ReportMetric(float64(alloc)/n/(1<<20), "MiB-alloc/op")
			b.ReportMetric(float64(peak)/n/(1<<20), "MiB-peak-live/op")
		})
	}
}

// usage is the process's system CPU time and minor page faults so far.
type usage struct {
	sys    time.Duration
	faults uint64
}

// sysUsage returns the process's usage so far: the system time is that
// of the files Write creates, reading back its temporary file and
// faulting in fresh memory; the faults are mostly the latter.
func sysUsage() usage {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return usage{}
	}
	return usage{sys: time.Duration(ru.Stime.Nano()), faults: uint64(ru.Minflt)}
}

// heapPeak samples the bytes of live and not yet swept heap objects
// every millisecond until stop is closed, and returns the largest.
func heapPeak(stop <-chan struct{}) uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var top uint64
	t := time.NewTicker(time.Millisecond)
	defer t.Stop()
	for {
		metrics.Read(s)
		top = max(top, s[0].Value.Uint64())
		select {
		case <-stop:
			return top
		case <-t.C:
		}
	}
}

// corpusBuilder returns a builder holding the bench corpus
// ($SEARCH_CORPUS), every text analysed, ready for Write's steps; it
// skips b without a corpus.
func corpusBuilder(b *testing.B) *Builder {
	langs, docs := cachedCorpus(b)
	bl := NewBuilder(langs)
	addAll(bl, docs)
	bl.drain()
	return bl
}

// BenchmarkTermJSON measures Write's first step, every term of the
// bench corpus's dictionary as JSON in the client's order (see
// Builder.termJSON), with its CPU time on all goroutines.
func BenchmarkTermJSON(b *testing.B) {
	bl := corpusBuilder(b)
	bl.mu.Lock()
	defer bl.mu.Unlock()
	runtime.GC()
	b.ResetTimer()
	c0 := cpuTime()
	for range b.N {
		bl.termJSON()
	}
	b.ReportMetric((cpuTime()-c0).Seconds()*1000/float64(b.N), "cpu-ms/op")
}

// BenchmarkTextPostings measures the scoring of every distinct text of
// the bench corpus, with its source-language title merged in, as
// Write's language builds do it once per text: "packed" as Write does
// it (scorePacked: decoded, scored and packed in one pass), and
// "unpacked" as it did before (textPostings, then packBits), each
// text's records read back beforehand.
func BenchmarkTextPostings(b *testing.B) {
	bl := corpusBuilder(b)
	if err := bl.frags.flush(); err != nil {
		b.Fatal(err)
	}
	bl.mu.Lock()
	defer bl.mu.Unlock()
	seen := map[scoreKey]bool{}
	var texts []*docRec
	for _, d := range bl.docs {
		if k := bl.scoreKey(d); !seen[k] {
			seen[k] = true
			texts = append(texts, d)
		}
	}
	// The records, read back from the temporary file before the timing,
	// as Write prefetches them a group of pages at a time.
	var batch spillBatch
	refs := make([]*fragRef, len(texts))
	for i, d := range texts {
		refs[i] = &d.a.recs
	}
	if err := bl.frags.prefetch(&batch, refs); err != nil {
		b.Fatal(err)
	}
	shared := &writeShared{avgs: bl.textAverages()}
	for _, packed := range []bool{true, false} {
		name := "unpacked"
		if packed {
			name = "packed"
		}
		b.Run(name, func(b *testing.B) {
			lw := &langWriter{b: bl, nterms: bl.numTerms(), shared: shared, batch: &batch}
			var arena scoreArena
			n := 0
			for range b.N {
				arena.reset()
				for _, d := range texts {
					ps, ok, err := packedScores{}, false, error(nil)
					if packed {
						ps, ok, err = lw.scorePacked(d, &arena)
					}
					if !ok && err == nil {
						lw.tmp, err = lw.textPostings(lw.tmp[:0], d, shared.avgs)
						ps = packBits(lw.tmp, lw.bits, &arena)
					}
					if err != nil {
						b.Fatal(err)
					}
					n += len(ps.narrow) + len(ps.wide)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/posting")
		})
	}
}

// BenchmarkAppendPostings measures the encoding of postings strings
// (see appendPostings) on 200,000 postings: "uniform", pages 1-60
// apart and sections below 40 (as BenchmarkAppendPostings was first
// written), and "terms", terms of 1,905 pages with page counts as
// skewed as words' (a few terms on most pages, most on a few), pages
// at random among them and sections below 32: about 79% of postings
// with a page difference below 32, 20% below 1,024 and 1% above, where
// the bench corpus's chunks have 78%, 18% and 3%. Each
// encodes with appendPostings ("table") and with the branch on each
// number's length it replaced (appendPostingsRef, "branch").
func BenchmarkAppendPostings(b *testing.B) {
	const secBits = 6
	for _, dist := range []string{"uniform", "terms"} {
		r := rand.New(rand.NewPCG(11, 12))
		ps := make([]uint32, 0, 200_000)
		var ends []int // where each term's postings end
		secs := 40
		if dist == "terms" {
			secs = 32
		}
		for len(ps) < cap(ps) {
			var docs []uint32
			if dist == "uniform" {
				doc := uint32(0)
				for range 500 {
					doc += 1 + uint32(r.IntN(60))
					docs = append(docs, doc)
				}
			} else {
				// Page counts from 1 to 1,905, most of them small.
				df := max(1, int(1905/(1+1500*r.Float64()*r.Float64())))
				for _, p := range r.Perm(1905)[:df] {
					docs = append(docs, uint32(p))
				}
				slices.Sort(docs)
			}
			for _, doc := range docs[:min(len(docs), cap(ps)-len(ps))] {
				ps = append(ps, doc<<(5+secBits)|uint32(1+r.IntN(31))<<secBits|uint32(r.IntN(secs)))
			}
			ends = append(ends, len(ps))
		}
		for _, c := range []struct {
			name string
			fn   func([]byte, []uint32, uint8) []byte
		}{{"table", appendPostings[uint32]}, {"branch", appendPostingsRef[uint32]}} {
			b.Run(dist+"/"+c.name, func(b *testing.B) {
				var dst []byte
				for range b.N {
					dst = dst[:0]
					from := 0
					for _, end := range ends {
						dst = c.fn(dst, ps[from:end], secBits)
						from = end
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ps)), "ns/posting")

			})
		}
	}
}
