package search

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSortHalves(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 3, 10, 1001} {
		s := make([]int, n)
		for i := range s {
			s[i] = r.IntN(50) // duplicates too
		}
		want := slices.Sorted(slices.Values(s))
		got := make([]int, n)
		sortHalves(slices.Clone(s), cmp.Compare[int], func(i, x int) { got[i] = x })
		if !slices.Equal(got, want) {
			t.Errorf("n=%d: sortHalves = %v, want %v", n, got, want)
		}
	}
}

func TestPackScores(t *testing.T) {
	p := func(id uint32, tf uint8, sec uint16) uint64 { return uint64(id)<<32 | uint64(tf)<<16 | uint64(sec) }
	for _, c := range []struct {
		name string
		ps   []uint64
		wide bool
	}{
		{"empty", nil, false},
		{"section 0 only", []uint64{p(7, 31, 0), p(0, 1, 0), p(410_000, 12, 0)}, false},
		{"small", []uint64{p(3, 4, 5), p(1, 31, 63), p(1<<21-1, 1, 1)}, false},
		{"27 bits of id", []uint64{p(1<<27-1, 31, 0), p(5, 2, 0)}, false},
		{"id and sections too wide", []uint64{p(1<<21, 3, 64), p(2, 31, 1)}, true},
		{"many sections", []uint64{p(9, 17, 65535), p(1<<20, 1, 2)}, true},
	} {
		in := slices.Clone(c.ps)
		s := packScores(c.ps)
		if (s.wide != nil) != c.wide {
			t.Errorf("%s: wide = %v, want %v", c.name, s.wide != nil, c.wide)
		}
		if got := s.unpack(nil); !slices.Equal(got, in) {
			t.Errorf("%s: unpacked %x, want %x", c.name, got, in)
		}
		if len(c.ps) > 0 {
			c.ps[0] = 0 // packScores must not keep ps
			if got := s.unpack(nil); !slices.Equal(got, in) {
				t.Errorf("%s: changing ps changed the packed postings", c.name)
			}
		}
	}
}

// TestTermOrder checks the client order of a dictionary whose terms
// share long beginnings (so that sortTies goes several levels deep), with
// pairs, short terms, and terms one of which begins another, against
// the order of the spelled-out terms in UTF-16 code units; and the
// slower path for a term with a character from U+E000 up.
func TestTermOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	stems := []string{"", "a", "permesso", "permessi", "soggiornante", "soggiorno", "z", "città", "居留", "é"}
	for _, extra := range []string{"", "\uff5e", "\U0001F600x"} {
		b := NewBuilder([]string{"it"})
		var words []uint32
		for range 600 {
			w := stems[r.IntN(len(stems))] + stems[r.IntN(len(stems))] + string(rune('a'+r.IntN(3)))
			words = append(words, b.wordID(w))
		}
		if extra != "" {
			words = append(words, b.wordID(extra))
		}
		var keys []uint64
		for range 2000 {
			keys = append(keys, uint64(words[r.IntN(len(words))])<<32|uint64(words[r.IntN(len(words))]))
		}
		slices.Sort(keys)
		b.pairIDs(nil, slices.Compact(keys))
		b.mu.Lock()
		order, rank := b.termOrder()
		tj, _ := b.termJSON()
		var want []string
		for id := range b.numTerms() {
			p := b.termParts(uint32(id))
			want = append(want, p[0]+p[1]+p[2])
		}
		b.mu.Unlock()
		got := make([]string, len(order))
		for i, id := range order {
			got[i] = want[id]
			if rank[id] != uint32(i) {
				t.Fatalf("%q: rank[%d] = %d, want %d", extra, id, rank[id], i)
			}
			if s, err := tj.term(uint32(i)); err != nil || s != got[i] {
				t.Fatalf("%q: JSON of rank %d = %q (%v), want %q", extra, i, s, err, got[i])
			}
		}
		slices.SortFunc(want, compareUTF16)
		if !slices.Equal(got, want) {
			t.Errorf("%q: termOrder gives\n%q\nwant\n%q", extra, got, want)
		}
	}
}

func TestCompareParts(t *testing.T) {
	for _, c := range []struct {
		x, y [3]string
		want int
	}{
		{[3]string{"ab"}, [3]string{"ab"}, 0},
		{[3]string{"a", " ", "b"}, [3]string{"a b"}, 0},
		{[3]string{"a", " ", "b"}, [3]string{"a"}, 1},
		{[3]string{""}, [3]string{"a"}, -1},
		{[3]string{"ab", " ", "c"}, [3]string{"a", " ", "bc"}, 1},
		{[3]string{"permesso", " ", "di"}, [3]string{"permesso", " ", "d"}, 1},
	} {
		if got := compareParts(c.x, c.y); got != c.want {
			t.Errorf("compareParts(%q, %q) = %d, want %d", c.x, c.y, got, c.want)
		}
		if got := compareParts(c.y, c.x); got != -c.want {
			t.Errorf("compareParts(%q, %q) = %d, want %d", c.y, c.x, got, -c.want)
		}
	}
}

func TestTitleSet(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var s titleSet
	for _, n := range []int{0, 1, 7, 8, 9, 40, 300} {
		var ts []termStat
		want := map[uint32]int{}
		for i := range n {
			id := uint32(r.IntN(2 * n)) // repeats: the last index counts
			if i%5 == 0 {
				id = uint32(i) << 16 // ids that share their low bits
			}
			ts = append(ts, termStat{id: id})
			want[id] = i
		}
		s.reset(ts)
		for id := range uint32(2*n + 1) {
			for _, id := range []uint32{id, id << 16} {
				k, ok := s.find(id)
				if w, in := want[id]; ok != in || ok && k != w {
					t.Errorf("n=%d: find(%d) = %d, %v; want %d, %v", n, id, k, ok, w, in)
				}
			}
		}
	}
}
