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
