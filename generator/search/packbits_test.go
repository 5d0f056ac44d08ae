package search

import (
	"reflect"
	"testing"
)

// TestTextPostingsBits checks what textPostings leaves in lw.bits for
// packBits (every posting it appended, or-ed together) on the texts of
// a site with source-language titles to merge in, and that packBits
// packs them as packScores does.
func TestTextPostingsBits(t *testing.T) {
	b := drainedDeriveSite()
	if err := b.frags.flush(); err != nil {
		t.Fatal(err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	lw := &langWriter{b: b}
	avgs := b.textAverages()
	alts := 0
	for _, d := range b.docs {
		if altFor(b.altTitle, d) != nil {
			alts++
		}
		lw.bits = 1 << 63 // must be replaced, not or-ed into
		var err error
		if lw.tmp, err = lw.textPostings(lw.tmp[:0], d, avgs); err != nil {
			t.Fatal(err)
		}
		var want uint64
		for _, p := range lw.tmp {
			want |= p
		}
		if lw.bits != want {
			t.Fatalf("%s: bits %x, want %x", d.url, lw.bits, want)
		}
		if got, want := packBits(lw.tmp, lw.bits, nil), packScores(lw.tmp, nil); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: packBits and packScores differ", d.url)
		}
	}
	if alts == 0 {
		t.Fatal("no page takes in a source-language title: the test wants some")
	}
}

// packScores is packBits working out the bits itself: the tests'
// reference, and their way to pack postings.
func packScores(ps []uint64, arena *scoreArena) packedScores {
	var bits uint64
	for _, p := range ps {
		bits |= p
	}
	return packBits(ps, bits, arena)
}
