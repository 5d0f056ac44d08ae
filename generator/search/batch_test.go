package search

import (
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
)

// TestByLang checks byLang against the stable sort by language it
// replaced, on batches of random languages.
func TestByLang(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	sts := []*stemmer{newStemmer("it"), newStemmer("en"), newStemmer("zh"), newStemmer("ar")}
	for n := range 60 {
		jobs := make([]job, n)
		for i := range jobs {
			jobs[i] = job{st: sts[r.Intn(len(sts))], d: Doc{URL: strings.Repeat("x", i)}}
		}
		want := slices.Clone(jobs)
		slices.SortStableFunc(want, func(x, y job) int { return strings.Compare(x.st.lang, y.st.lang) })
		got := byLang(slices.Clone(jobs))
		if len(got) != len(want) {
			t.Fatalf("%d jobs: byLang returned %d", n, len(got))
		}
		for i := range got {
			if got[i].st != want[i].st || got[i].d.URL != want[i].d.URL {
				t.Fatalf("%d jobs: job %d is %s %d, want %s %d", n, i, got[i].st.lang, len(got[i].d.URL), want[i].st.lang, len(want[i].d.URL))
			}
		}
		order := langOrder(jobs, []int32{7, 7, 7}) // what a worker's order held before
		if len(order) != len(want) {
			t.Fatalf("%d jobs: langOrder returned %d", n, len(order))
		}
		for i, k := range order {
			if j := &jobs[k]; j.st != want[i].st || j.d.URL != want[i].d.URL {
				t.Fatalf("%d jobs: langOrder's job %d is %s %d, want %s %d", n, i, j.st.lang, len(j.d.URL), want[i].st.lang, len(want[i].d.URL))
			}
		}
	}
}

// TestBatchRecycled checks that a batch, once analysed, is emptied of
// its jobs (so that their texts can be freed) and reused for the next.
func TestBatchRecycled(t *testing.T) {
	b := NewBuilder([]string{"it"})
	b.batch = 3
	doc := func(i int) Doc {
		return Doc{Lang: "it", URL: fmt.Sprintf("/it/%d/", i), Title: fmt.Sprintf("Permesso %d", i), Sections: []Section{{Text: "Rinnovo del permesso di soggiorno."}}}
	}
	for i := range 2 {
		b.Add(doc(i))
	}
	b.pendMu.Lock()
	first := &b.pending[:1][0]
	b.pendMu.Unlock()
	b.Add(doc(2)) // completes the batch
	b.pendMu.Lock()
	if b.pending != nil || len(b.spare) != 1 || &b.spare[0][:1][0] != first {
		t.Fatalf("after a batch: %d pending, %d spare (want none and the batch)", len(b.pending), len(b.spare))
	}
	for i, j := range b.spare[0][:3] {
		if j.a != nil || j.st != nil || j.d.URL != "" || j.d.Sections != nil {
			t.Errorf("job %d of the spare batch is not cleared: %+v", i, j)
		}
	}
	b.pendMu.Unlock()
	b.Add(doc(3))
	b.pendMu.Lock()
	if len(b.pending) != 1 || &b.pending[0] != first || len(b.spare) != 0 {
		t.Errorf("the next text does not reuse the spare batch")
	}
	b.pendMu.Unlock()
	if _, err := b.Write(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if n := len(b.docs); n != 4 {
		t.Errorf("%d pages written, want 4", n)
	}
}

// TestDistinctPairs checks finish's distinct pairs, packed and sorted as
// integers or sorted with a comparison (ids of 2^29 and more, weights of
// 32 and more), against a map of the highest weights.
func TestDistinctPairs(t *testing.T) {
	r := rand.New(rand.NewSource(4))
	w := newWorker(NewBuilder([]string{"it"}))
	for n := range 300 {
		w.pairs = w.pairs[:0]
		want := map[uint64]uint32{}
		big := n%3 == 0
		for range r.Intn(50) + 1 {
			first, second := uint64(r.Intn(40)), uint64(r.Intn(40))
			if r.Intn(3) == 0 {
				first, second = uint64(r.Intn(1<<29)), uint64(r.Intn(1<<29))
			}
			if big && r.Intn(10) == 0 {
				first = 1<<29 + uint64(r.Intn(1<<30))
			}
			wt := []uint32{pairTitle, pairHeading, pairSummary, 1}[r.Intn(4)]
			if big && r.Intn(10) == 0 {
				wt = 40
			}
			k := first<<32 | second
			w.pairs = append(w.pairs, pairHit{key: k, w: wt})
			want[k] = max(want[k], wt)
		}
		keys, weights := w.distinctPairs()
		if !slices.IsSorted(keys) || len(keys) != len(want) {
			t.Fatalf("case %d: %d keys (want %d), sorted %v", n, len(keys), len(want), slices.IsSorted(keys))
		}
		for i, k := range keys {
			if weights[i] != want[k] {
				t.Fatalf("case %d: pair %x has weight %d, want %d", n, k, weights[i], want[k])
			}
		}
		for i := 1; i < len(keys); i++ {
			if keys[i] <= keys[i-1] {
				t.Fatalf("case %d: keys %x and %x out of order or repeated", n, keys[i-1], keys[i])
			}
		}
	}
}
