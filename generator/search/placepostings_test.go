package search

import (
	"math/bits"
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

// repack packs postings (id<<32 | tf<<16 | sec) with s bits of
// section, as scorePacked does, whatever bits their sections need.
func repack(ps []uint64, s uint8) packedScores {
	out := packedScores{secBits: s}
	for _, p := range ps {
		out.narrow = append(out.narrow, uint32(p>>32)<<(5+s)|uint32(p>>16&31)<<s|uint32(uint16(p)))
		out.secUsed = max(out.secUsed, uint8(bits.Len16(uint16(p))))
	}
	return out
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
// and a random half of them. Most pages are packed with as many bits of
// section as the build (placeNarrow takes their bits as they are), some
// with fewer.
func TestPlaceNarrow(t *testing.T) {
	const nterms = 30_000
	docs, scores, counts, secBits := placeSite(300, 150, nterms)
	// Every third page packed with two more bits of section, as
	// scorePacked packs most texts: the build takes that many.
	secBits += 2
	for i, sc := range scores {
		if i%3 == 0 {
			sc.ps = repack(sc.ps.unpack(nil), secBits)
		}
	}
	same := 0
	for _, sc := range scores {
		if sc.ps.secBits == secBits {
			same++
		}
	}
	if same == 0 || same == len(scores) {
		t.Fatalf("%d of %d pages packed with the build's bits of section: the test wants some of each", same, len(scores))
	}
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

// TestAppendPostings checks appendPostings against the postings
// string written number by number with appendVarint, for page
// differences and sections on both sides of every length of their
// encoding (one character up to 31, two up to 1,023, where its table
// ends, and longer), in 32 and 64 bits, appended after other bytes.
func TestAppendPostings(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	edges := []uint32{0, 1, 31, 32, 33, 1023, 1024, 1025, 32767, 32768, 1 << 20, 1<<21 - 1}
	for _, c := range []struct {
		name    string
		secBits uint8
		maxDoc  uint32 // page numbers stay below
	}{
		{"32 bits, sections of 5 bits", 5, 1<<22 - 1},
		{"32 bits, sections of 11 bits", 11, 1<<16 - 1},
		{"64 bits, sections of 16 bits", 16, 1 << 26},
	} {
		pick := func(limit uint32) uint32 {
			if r.IntN(2) == 0 {
				if e := edges[r.IntN(len(edges))]; e < limit {
					return e
				}
			}
			return uint32(r.IntN(int(min(limit, 40))))
		}
		var docs, tfs, secs []uint32
		doc := uint32(0)
		for range 3000 {
			d := pick(c.maxDoc / 4096)
			if r.IntN(50) == 0 {
				d = pick(c.maxDoc - doc) // now and then a long jump
			}
			if doc+d >= c.maxDoc {
				break
			}
			doc += d
			docs, tfs, secs = append(docs, doc), append(tfs, 1+uint32(r.IntN(31))), append(secs, pick(1<<c.secBits))
		}
		want := []byte("idf:")
		last := uint32(0)
		for i := range docs {
			want = appendVarint(want, docs[i]-last)
			want = appendVarint(appendVarint(want, tfs[i]), secs[i])
			last = docs[i]
		}
		pack := func(i int) uint64 {
			return uint64(docs[i])<<(5+c.secBits) | uint64(tfs[i])<<c.secBits | uint64(secs[i])
		}
		var got []byte
		if narrow := 5+int(c.secBits)+bits.Len32(c.maxDoc) <= 32; narrow != (c.secBits < 16) {
			t.Fatalf("%s: narrow = %v", c.name, narrow)
		} else if narrow {
			ps := make([]uint32, len(docs))
			for i := range ps {
				ps[i] = uint32(pack(i))
			}
			got = appendPostings([]byte("idf:"), ps, c.secBits)
		} else {
			ps := make([]uint64, len(docs))
			for i := range ps {
				ps[i] = pack(i)
			}
			got = appendPostings([]byte("idf:"), ps, c.secBits)
		}
		if string(got) != string(want) {
			t.Errorf("%s: %d postings: got %d bytes, want %d; first difference at %d", c.name, len(docs), len(got), len(want), firstDiff(got, want))
		}
		// Decoded, the string gives back the numbers.
		nums, err := decodeVarints(string(got[len("idf:"):]))
		if err != nil || len(nums) != 3*len(docs) {
			t.Fatalf("%s: decoding: %d numbers, %v; want %d", c.name, len(nums), err, 3*len(docs))
		}
	}
}

// firstDiff returns the first index at which a and b differ.
func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// appendPostingsRef is appendPostings as it was before it read its
// numbers from a table: a branch on whether the page difference and
// the section are one character each. TestAppendPostings and
// BenchmarkAppendPostings compare the two.
func appendPostingsRef[W uint32 | uint64](dst []byte, ps []W, secBits uint8) []byte {
	var last uint32
	secBits &= 31
	docShift := (5 + secBits) & 31
	mask := W(1)<<secBits - 1
	for _, p := range ps {
		doc := uint32(p >> docShift)
		d, tf, sec := doc-last, uint32(p>>secBits&31), uint32(p&mask)
		last = doc
		if d|sec < 32 {
			dst = append(dst, alphabet[d], alphabet[tf], alphabet[sec])
			continue
		}
		dst = appendVarint(dst, d)
		dst = append(dst, alphabet[tf])
		dst = appendVarint(dst, sec)
	}
	return dst
}
