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
