package search

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strings"
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
		s := packScores(c.ps, nil)
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
	// Quotes and backslashes (as in filter values) are escaped in JSON:
	// such terms are ordered by their own text, not their JSON.
	stems := []string{"", "a", "permesso", "permessi", "soggiornante", "soggiorno", "z", "città", "居留", "é", `permesso"`, `permesso\`}
	for _, c := range []struct {
		extra   string
		control bool // words with a control character
		byWords bool // termJSONByWords can order the terms
	}{
		{"", false, true},
		{"", true, false},
		{"\uff5e", false, false},            // not in UTF-16 order by its bytes
		{"\U0001F600x", false, false},       // the same
		{"=comune:San Donato", false, true}, // a filter key with a space
		{"permesso soggiorno", false, false},
	} {
		extra := c.extra
		b := NewBuilder([]string{"it"})
		var words []uint32
		for range 600 {
			w := stems[r.IntN(len(stems))] + stems[r.IntN(len(stems))] + string(rune('a'+r.IntN(3)))
			if c.control && r.IntN(8) == 0 {
				w += "\x01" + stems[r.IntN(len(stems))]
			}
			words = append(words, b.wordID(w))
		}
		if extra != "" {
			words = append(words, b.wordID(extra))
		}
		if strings.HasPrefix(extra, "=") {
			// Filter keys are words, but never the words of pairs.
			words = words[:len(words)-1]
			b.wordID("=comune:San")
			b.wordID("=comune:Sa")
		}
		var keys []uint64
		for range 2000 {
			keys = append(keys, uint64(words[r.IntN(len(words))])<<32|uint64(words[r.IntN(len(words))]))
		}
		slices.Sort(keys)
		b.pairIDs(nil, slices.Compact(keys))
		b.mu.Lock()
		order, rank, size := b.termOrder()
		tj, _ := b.termJSON()
		if _, _, ok := b.termJSONByWords(); ok != c.byWords {
			t.Errorf("%q: termJSONByWords ok = %v, want %v", extra, ok, c.byWords)
		}
		var want []string
		wantSize := 0
		for id := range b.numTerms() {
			p := b.termParts(uint32(id))
			want = append(want, p[0]+p[1]+p[2])
			wantSize += len(want[id])
		}
		b.mu.Unlock()
		if size != wantSize {
			t.Errorf("%q: size %d, want %d", extra, size, wantSize)
		}
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

// TestPlacePostings places the postings of pages with narrow and wide
// scored postings and filter values in 32 and in 64 bits, and checks
// every term's postings string against one written from the postings
// listed term by term.
func TestPlacePostings(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	const nterms = 5000 // ids of 13 bits: a section number of 16 makes a page wide
	var docs []*docRec
	var scores []*textScores
	for i := range 40 {
		var ps []uint64
		maxSec := r.IntN(40)
		for _, id := range r.Perm(44)[:r.IntN(20)] {
			ps = append(ps, uint64(id)<<32|uint64(1+r.IntN(31))<<16|uint64(r.IntN(maxSec+1)))
		}
		if i == 7 {
			ps = append(ps, uint64(nterms-6)<<32|3<<16|40000) // wide
		}
		sc := &textScores{ps: packScores(ps, nil)}
		if (i == 7) != (sc.ps.wide != nil) {
			t.Fatalf("page %d: wide = %v", i, sc.ps.wide != nil)
		}
		docs = append(docs, &docRec{filters: []uint32{nterms - 5 + uint32(r.IntN(5))}})
		scores = append(scores, sc)
	}
	// want returns each term's postings string, written page by page.
	want := func(docs []*docRec, scores []*textScores) [][]byte {
		out := make([][]byte, nterms)
		last := make([]uint32, nterms)
		add := func(id, doc, tf, sec uint32) {
			out[id] = appendVarint(out[id], doc-last[id])
			out[id] = appendVarint(appendVarint(out[id], tf), sec)
			last[id] = doc
		}
		for i, d := range docs {
			for _, p := range scores[i].ps.unpack(nil) {
				add(uint32(p>>32), uint32(i), uint32(p>>16)&31, uint32(uint16(p)))
			}
			for _, id := range d.filters {
				add(id, uint32(i), 1, 0)
			}
		}
		return out
	}
	// place places with 32 or 64 bits and returns each term's string.
	place := func(docs []*docRec, scores []*textScores, narrow bool, secBits uint8) [][]byte {
		w := want(docs, scores)
		next := make([]uint32, nterms)
		start := make([]uint32, nterms+1)
		for id := range nterms {
			n := uint32(len(w[id])) // at least as many bytes as postings
			start[id+1] = start[id] + n
			next[id] = start[id]
		}
		out := make([][]byte, nterms)
		if narrow {
			all := make([]uint32, start[nterms])
			placePostings(all, next, scores, docs, secBits, nil)
			for id := range nterms {
				out[id] = appendPostings(nil, all[start[id]:next[id]], secBits)
			}
		} else {
			all := make([]uint64, start[nterms])
			placePostings(all, next, scores, docs, secBits, nil)
			for id := range nterms {
				out[id] = appendPostings(nil, all[start[id]:next[id]], secBits)
			}
		}
		return out
	}
	narrowDocs := slices.Concat(docs[:7], docs[8:])
	narrowScores := slices.Concat(scores[:7], scores[8:])
	var secBits uint8
	for _, sc := range narrowScores {
		secBits = max(secBits, sc.ps.secBits)
	}
	for _, c := range []struct {
		name    string
		docs    []*docRec
		scores  []*textScores
		narrow  bool
		secBits uint8
	}{
		{"64 bits, a wide page", docs, scores, false, 16},
		{"64 bits", narrowDocs, narrowScores, false, 16},
		{"32 bits", narrowDocs, narrowScores, true, secBits},
	} {
		w := want(c.docs, c.scores)
		got := place(c.docs, c.scores, c.narrow, c.secBits)
		for id := range nterms {
			if string(got[id]) != string(w[id]) {
				t.Errorf("%s: term %d: postings %q, want %q", c.name, id, got[id], w[id])
			}
		}
	}
}

// TestReadTerm checks that readTerm and readPair decode the records of
// appendTerm and appendPair as nextTerm and nextPair do, for numbers of
// every length, and leave the same rest.
func TestReadTerm(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	num := func(bits int) uint32 { return uint32(r.Uint64() >> (64 - bits)) }
	var recs, pairs []byte
	for i := range 2000 {
		ts := termStat{id: num(1 + i%32), wtf: num(1 + i%31), sec: uint16(num(1 + i%16))}
		if i%3 == 0 {
			ts.ttl = uint8(num(8))
		}
		recs = appendTerm(recs, ts)
		pairs = appendPair(pairs, num(1+i%32), num(1+(i/7)%32))
	}
	for rest, want := recs, recs; len(want) > 0; {
		var got, exp termStat
		got, rest = readTerm(rest)
		exp, want = nextTerm(want)
		if got != exp || len(rest) != len(want) {
			t.Fatalf("readTerm = %+v, %d bytes left; nextTerm = %+v, %d", got, len(rest), exp, len(want))
		}
	}
	for rest, want := pairs, pairs; len(want) > 0; {
		id, w, r1 := readPair(rest)
		eid, ew, r2 := nextPair(want)
		if id != eid || w != ew || len(r1) != len(r2) {
			t.Fatalf("readPair = %d, %d, %d bytes left; nextPair = %d, %d, %d", id, w, len(r1), eid, ew, len(r2))
		}
		rest, want = r1, r2
	}
}

// TestScoreArena packs many texts' scores into one arena, across block
// boundaries and with a text too large for a block, and checks that no
// text's scores overwrite another's, and that after reset the arena
// hands out its blocks again rather than new memory.
func TestScoreArena(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var a scoreArena
	for round := range 2 {
		var ins [][]uint64
		var packed []packedScores
		for _, n := range []int{0, 1, 700, arenaBlock / 4, arenaBlock/4 + 1, 5000, arenaBlock / 4, arenaBlock / 4, arenaBlock / 4, 3} {
			ps := make([]uint64, n)
			for i := range ps {
				ps[i] = uint64(r.IntN(1<<19))<<32 | uint64(1+r.IntN(31))<<16 | uint64(r.IntN(40))
			}
			ins = append(ins, ps)
			packed = append(packed, packScores(ps, &a))
		}
		for i, s := range packed {
			if s.wide != nil {
				t.Fatalf("round %d, text %d: wide scores", round, i)
			}
			if got := s.unpack(nil); !slices.Equal(got, ins[i]) && len(ins[i]) > 0 {
				t.Errorf("round %d, text %d (%d postings): scores changed after later texts were packed", round, i, len(ins[i]))
			}
		}
		// Four texts of a quarter of a block and the small ones need a
		// second block, no more (the text of more than a quarter has
		// memory of its own), in the second round too.
		if len(a.blocks) != 2 {
			t.Errorf("round %d: %d blocks, want 2", round, len(a.blocks))
		}
		a.reset()
	}
}
