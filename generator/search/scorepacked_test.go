package search

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestDecodeTerms checks decodeTerms against readTerm on records of
// every length its fast path takes (ids of one to three bytes, counts
// of one or two, sections of one or two, with and without a title
// bonus) and of lengths it leaves to readTerm (ids and sections of more
// bytes), in runs that end at every offset from the end of the buffer.
func TestDecodeTerms(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	ids := []uint32{0, 1, 127, 128, 16383, 16384, 1<<21 - 1, 1 << 21, 1<<28 + 5, 1<<32 - 1}
	wtfs := []uint32{0, 1, 63, 64, 8191, 8192, 1 << 20}
	secs := []uint16{0, 1, 127, 128, 16383, 16384, 0xFFFF}
	ttls := []uint8{0, 6, 11, 200}
	for _, tc := range []struct {
		name string
		pick func() termStat
	}{
		{"short", func() termStat { // what the fast path takes
			return termStat{id: ids[r.IntN(6)], wtf: wtfs[r.IntN(4)], sec: secs[r.IntN(4)], ttl: ttls[r.IntN(len(ttls))]}
		}},
		{"any", func() termStat {
			return termStat{id: ids[r.IntN(len(ids))], wtf: wtfs[r.IntN(len(wtfs))], sec: secs[r.IntN(len(secs))], ttl: ttls[r.IntN(len(ttls))]}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for n := range 40 {
				var want []termStat
				var b []byte
				for range n {
					ts := tc.pick()
					want = append(want, ts)
					b = appendTerm(b, ts)
				}
				var ref []termStat
				for rest := b; len(rest) > 0; {
					var ts termStat
					ts, rest = readTerm(rest)
					ref = append(ref, ts)
				}
				if !slices.Equal(ref, want) {
					t.Fatalf("%d records: readTerm reads %v, want %v", n, ref, want)
				}
				prefix := []termStat{{id: 9}} // decodeTerms appends
				got := decodeTerms(slices.Clone(prefix), b)
				if !slices.Equal(got, append(prefix, want...)) {
					t.Fatalf("%d records: decodeTerms reads %v, want %v", n, got[1:], want)
				}
			}
		})
	}
}

// TestScorePacked checks that scorePacked gives the postings that
// textPostings and packBits give, on every page of a site with
// source-language titles to merge in and pages in the spill file, and
// that it declines (ok false) only where a section does not fit.
func TestScorePacked(t *testing.T) {
	b := drainedDeriveSite()
	if err := b.frags.flush(); err != nil {
		t.Fatal(err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	shared := &writeShared{avgs: b.textAverages()}
	var arena scoreArena
	for _, nterms := range []int{b.numTerms(), 1 << 25} { // 1<<25: ids of 26 bits, one bit of section left
		lw := &langWriter{b: b, nterms: nterms, shared: shared}
		alts, packed := 0, 0
		for _, d := range b.docs {
			if altFor(b.altTitle, d) != nil {
				alts++
			}
			var err error
			if lw.tmp, err = lw.textPostings(lw.tmp[:0], d, shared.avgs); err != nil {
				t.Fatal(err)
			}
			want := packBits(lw.tmp, lw.bits, nil)
			for _, a := range []*scoreArena{nil, &arena} {
				got, ok, err := lw.scorePacked(d, a)
				if err != nil {
					t.Fatal(err)
				}
				if !ok {
					if want.wide == nil && want.secBits <= 1 {
						t.Fatalf("%s: scorePacked declines sections of %d bits with ids of %d terms", d.url, want.secBits, nterms)
					}
					continue
				}
				packed++
				if got.secUsed != want.secBits {
					t.Fatalf("%s: secUsed %d, want %d", d.url, got.secUsed, want.secBits)
				}
				if g, w := got.unpack(nil), want.unpack(nil); !slices.Equal(g, w) {
					t.Fatalf("%s: scorePacked gives %x, want %x", d.url, g, w)
				}
			}
		}
		if alts == 0 || packed == 0 {
			t.Fatalf("%d terms: %d pages take in a source-language title, %d packed: the test wants some of each", nterms, alts, packed)
		}
	}
}
