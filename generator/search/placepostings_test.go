package search

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// placeRef is placePostings as a plain loop, each posting tested
// against skip: the reference TestPlaceNarrow compares it with.
func placeRef(all []uint32, next []uint32, scores []*textScores, docs []*docRec, secBits uint8, skip []uint64) {
	for i, d := range docs {
		doc := uint32(i) << (5 + secBits)
		for _, p := range scores[i].ps.unpack(nil) {
			if id := uint32(p >> 32); skip == nil || !hasBit(skip, id) {
				all[next[id]] = doc | uint32(p>>16&31)<<secBits | uint32(uint16(p))
				next[id]++
			}
		}
		for _, id := range d.filters {
			if skip == nil || !hasBit(skip, id) {
				all[next[id]] = doc | 1<<secBits
				next[id]++
			}
		}
	}
}

// placeSite returns pages with narrow scored postings as the bench
// corpus's are (ids over a dictionary of nterms, common terms on many
// pages, sections below 64) and filter values, and the postings
// counted by term.
func placeSite(npages, perPage, nterms int) (docs []*docRec, scores []*textScores, counts []uint32, secBits uint8) {
	r := rand.New(rand.NewPCG(21, 22))
	counts = make([]uint32, nterms)
	for range npages {
		seen := map[uint32]bool{}
		var ps []uint64
		for range perPage {
			// A third of a page's terms from the 2,000 most common.
			id := uint32(r.IntN(nterms - 10))
			if r.IntN(3) == 0 {
				id = uint32(r.IntN(2000))
			}
			if seen[id] {
				continue
			}
			seen[id] = true
			ps = append(ps, uint64(id)<<32|uint64(1+r.IntN(31))<<16|uint64(r.IntN(64)))
			counts[id]++
		}
		slices.Sort(ps)
		sc := &textScores{ps: packScores(ps, nil)}
		secBits = max(secBits, sc.ps.secBits)
		f := uint32(nterms - 1 - r.IntN(10))
		counts[f]++
		docs = append(docs, &docRec{filters: []uint32{f}})
		scores = append(scores, sc)
	}
	return docs, scores, counts, secBits
}

// starts returns where each term's postings start, from their counts.
func starts(counts []uint32) []uint32 {
	next := make([]uint32, len(counts))
	var np uint32
	for id, c := range counts {
		next[id], np = np, np+c
	}
	return next
}

// TestPlaceNarrow checks placePostings, whose inner loop for builds
// that skip no term is placeNarrow, against placeRef, skipping no term
// and a random half of them.
func TestPlaceNarrow(t *testing.T) {
	const nterms = 30_000
	docs, scores, counts, secBits := placeSite(300, 150, nterms)
	var np uint32
	for _, c := range counts {
		np += c
	}
	r := rand.New(rand.NewPCG(23, 24))
	half := make([]uint64, (nterms+63)/64)
	for i := range half {
		half[i] = r.Uint64()
	}
	for _, skip := range [][]uint64{nil, half} {
		want, got := make([]uint32, np), make([]uint32, np)
		nextWant, nextGot := starts(counts), starts(counts)
		placeRef(want, nextWant, scores, docs, secBits, skip)
		placePostings(got, nextGot, scores, docs, secBits, skip)
		if !slices.Equal(got, want) || !slices.Equal(nextGot, nextWant) {
			t.Errorf("skip %v: placePostings differs from placeRef", skip != nil)
		}
	}
}

// BenchmarkPlacePostings places the postings of 3,800 pages of about
// 220 terms each over a dictionary of 410,000 terms (a language of the
// bench corpus), skipping no term.
func BenchmarkPlacePostings(b *testing.B) {
	docs, scores, counts, secBits := placeSite(3800, 220, 410_000)
	var np uint32
	for _, c := range counts {
		np += c
	}
	all := make([]uint32, np)
	start := starts(counts)
	next := make([]uint32, len(start))
	b.ResetTimer()
	for range b.N {
		copy(next, start)
		placePostings(all, next, scores, docs, secBits, nil)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(np), "ns/posting")
}
