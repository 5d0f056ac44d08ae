package search

import (
	"encoding/binary"
	mathbits "math/bits"
	"slices"
)

// packedScores holds the scored postings of one text (see textPostings:
// term id, score 1-31, section) while Write's language builds that show
// the text still need them. Written as id<<32 | tf<<16 | sec they take
// eight bytes each, and on a site of ten thousand pages Write holds tens
// of megabytes of them at once (a text in the source language, such as a
// desk, waits from the first language build to the last). Most texts fit
// each posting in 32 bits: the ids of the bench corpus's 410,000 terms
// take 19 bits (21 at 40,000 pages), a score 5, and a page rarely has
// more than a few dozen sections. So a text keeps its postings as
// id<<(5+secBits) | tf<<secBits | sec, with secBits the fewest bits its
// largest section number needs, in half the memory, and only a text
// that does not fit (very many terms or sections) keeps the 64-bit form.
type packedScores struct {
	narrow  []uint32 // the postings packed in 32 bits, if they fit
	wide    []uint64 // else id<<32 | tf<<16 | sec
	secBits uint8    // bits of sec in narrow
	// secUsed is the bits of the text's largest section number, at most
	// secBits: a language build packs its postings with the largest of
	// its pages' (scorePacked packs every text with as many bits of
	// section as the ids leave, and most texts need fewer).
	secUsed uint8
}

// packBits returns ps (id<<32 | tf<<16 | sec, tf below 32) packed, in
// memory from arena (or of its own if arena is nil), given bits, every
// posting of ps or-ed together, as textPostings works it out while it
// appends them (a pass over the postings less): its top 32 bits are as
// long as the largest id, and its low 16 as the largest section. The
// result does not share memory with ps.
func packBits(ps []uint64, bits uint64, arena *scoreArena) packedScores {
	secBits := uint8(mathbits.Len16(uint16(bits)))
	if mathbits.Len32(uint32(bits>>32))+5+int(secBits) > 32 {
		return packedScores{wide: slices.Clone(ps)}
	}
	var narrow []uint32
	if arena != nil {
		narrow = arena.alloc(len(ps))
	} else {
		narrow = make([]uint32, len(ps))
	}
	for i, p := range ps {
		narrow[i] = uint32(p>>32)<<(5+secBits) | uint32(p>>16&31)<<secBits | uint32(uint16(p))
	}
	return packedScores{narrow: narrow, secBits: secBits, secUsed: secBits}
}

// scoreArena hands out the memory of packed scores that live as long
// as one language build: those of the texts that no other build shows
// (most texts of a language without fallback languages). The builds on
// one worker reuse the same blocks, where each text's scores were a
// slice of their own, garbage for the collector once the build was
// done: BenchmarkWriteCorpus/real allocates 99 -> 89 MiB a Write.
type scoreArena struct {
	blocks [][]uint32
	cur    int // the block being filled
	used   int // its elements handed out
}

// arenaBlock is the number of elements of an arena block (1 MiB).
const arenaBlock = 256 << 10

// alloc returns n elements, not cleared. They stay the caller's until
// reset.
func (a *scoreArena) alloc(n int) []uint32 {
	if n > arenaBlock/4 {
		return make([]uint32, n) // a rare large text: no block room lost
	}
	if a.cur < len(a.blocks) && a.used+n > len(a.blocks[a.cur]) {
		a.cur, a.used = a.cur+1, 0
	}
	if a.cur == len(a.blocks) {
		a.blocks = append(a.blocks, make([]uint32, arenaBlock))
	}
	s := a.blocks[a.cur][a.used : a.used+n : a.used+n]
	a.used += n
	return s
}

// reset takes back everything alloc handed out.
func (a *scoreArena) reset() { a.cur, a.used = 0, 0 }

// decodeTerms appends the term records of b (see appendTerms) to dst,
// as readTerm reads them. Write decodes every term record of every text
// (about six million on the bench corpus); readTerm, a call for each
// with a test and a reslice for each number, took a third of the
// scoring. Where eight bytes are left, this reads them as one integer,
// and takes a record whose id has up to three bytes, count up to two
// and section up to two (all but a few) from it: the id's length from
// its stop bit, without a branch (ids are as often two bytes long as
// three), the others' with a branch that nearly always goes the same
// way. The rest goes to readTerm.
func decodeTerms(dst []termStat, b []byte) []termStat {
	for len(b) >= 8 {
		x := binary.LittleEndian.Uint64(b)
		stop := ^x & 0x808080 // the id ends at the first byte below 0x80
		if stop == 0 {
			break // an id of four bytes or more
		}
		// Shift counts are masked (they are below 64 anyway), so that
		// they need no test for Go's result past the width.
		n := uint(mathbits.TrailingZeros64(stop))>>3 + 1
		var t termStat
		t.id = uint32((x&0x7f | x>>1&0x3f80 | x>>2&0x1fc000) & idMasks[n&3])
		x >>= 8 * n & 63
		var v uint64 // the weighted count times two, plus one for a title bonus
		switch {
		case x&0x80 == 0:
			v, x, n = x&0x7f, x>>8, n+1
		case x&0x8000 == 0:
			v, x, n = x&0x7f|x>>1&0x3f80, x>>16, n+2
		default:
			return decodeTermsSlow(dst, b)
		}
		t.wtf = uint32(v >> 1)
		if v&1 != 0 {
			t.ttl, x, n = uint8(x), x>>8, n+1
		}
		// At most six bytes are taken so far: the section's two are in x.
		switch {
		case x&0x80 == 0:
			t.sec, n = uint16(x&0x7f), n+1
		case x&0x8000 == 0:
			t.sec, n = uint16(x&0x7f|x>>1&0x3f80), n+2
		default:
			return decodeTermsSlow(dst, b)
		}
		dst = append(dst, t)
		b = b[n:]
	}
	return decodeTermsSlow(dst, b)
}

// idMasks holds, by the length in bytes of a term record's id (one to
// three), the mask of the id's bits: a load instead of working out
// 1<<(7*n)-1 (18 instructions for the id, where it is 11).
var idMasks = [4]uint64{0, 1<<7 - 1, 1<<14 - 1, 1<<21 - 1}

// decodeTermsSlow appends the term records of b to dst with readTerm.
func decodeTermsSlow(dst []termStat, b []byte) []termStat {
	for len(b) > 0 {
		var t termStat
		t, b = readTerm(b)
		dst = append(dst, t)
	}
	return dst
}

// unpack appends the postings to dst as id<<32 | tf<<16 | sec, in order.
func (s *packedScores) unpack(dst []uint64) []uint64 {
	if s.wide != nil {
		return append(dst, s.wide...)
	}
	mask := uint32(1)<<s.secBits - 1
	for _, e := range s.narrow {
		dst = append(dst, uint64(e>>(5+s.secBits))<<32|uint64(e>>s.secBits&31)<<16|uint64(e&mask))
	}
	return dst
}

// titleSet finds the terms (or pairs) of a page's source-language title
// by id, while textPostings merges them into the page's own: an
// open-addressing table sized for the title, a few dozen slots that stay
// in the processor's cache. (A table by term id, the size of the
// dictionary, missed the cache at nearly every one of the page's terms
// and cost a fifth of textPostings.)
//
// Most of a page's terms are not in the title, so the set also keeps a
// 256-bit filter, a bit for each id's top eight hash bits, and find
// looks no further for an id whose bit is clear, as it is for all but
// a few in a hundred of them (a title has a few dozen terms at most):
// a test of one bit, well predicted, instead of a probe that ends at
// an empty slot. BenchmarkTextPostings: 102 to 86 ms (best of eight).
type titleSet struct {
	slots  []uint64  // (id+1)<<32 | index in the title's terms; 0 when empty
	shift  uint      // 32 - log2(len(slots)): an id's slot is its hash>>shift
	filter [4]uint64 // bit hash>>24 set for the hash of every id in the set
}

// reset makes ts the set's terms; an id found twice is found at its
// last index.
func (s *titleSet) reset(ts []termStat) {
	size := 16
	for size < 2*len(ts) {
		size *= 2
	}
	if len(s.slots) != size {
		s.slots = make([]uint64, size)
		s.shift = slotShift(32, size)
	} else {
		clear(s.slots)
	}
	s.filter = [4]uint64{}
	mask := uint32(size - 1)
	for i, t := range ts {
		h := titleHash(t.id)
		s.filter[h>>30] |= 1 << (h >> 24 & 63)
		for k := s.slot(t.id); ; k = (k + 1) & mask {
			if e := s.slots[k]; e == 0 || uint32(e>>32) == t.id+1 {
				s.slots[k] = uint64(t.id+1)<<32 | uint64(i)
				break
			}
		}
	}
}

// titleHash is the hash of id in a titleSet: its slot and filter bit
// are taken from the top bits.
func titleHash(id uint32) uint32 { return id * 0x9E3779B9 }

// slot returns the first slot to look at for id.
func (s *titleSet) slot(id uint32) uint32 {
	return titleHash(id) >> s.shift
}

// find returns the index of id among the terms given to reset.
func (s *titleSet) find(id uint32) (int, bool) {
	if h := titleHash(id); s.filter[h>>30]&(1<<(h>>24&63)) == 0 {
		return 0, false
	}
	mask := uint32(len(s.slots) - 1)
	for k := s.slot(id); ; k = (k + 1) & mask {
		e := s.slots[k]
		if e == 0 {
			return 0, false
		}
		if uint32(e>>32) == id+1 {
			return int(uint32(e)), true
		}
	}
}

// placePostings writes the postings of every page of docs (its text's
// scored postings, scores[i], and its filter values) into all, each term's
// from next[id] on, and advances next. A posting is page<<(5+secBits) |
// score<<secBits | section, where secBits is at least every page's
// packedScores.secBits (16 for a page with wide scores).
//
// The terms whose bits are set in skip (nil for none) are left out: a
// derived build takes their postings from its base's (see derive.go).
func placePostings[W uint32 | uint64](all []W, next []uint32, scores []*textScores, docs []*docRec, secBits uint8, skip []uint64) {
	for i, d := range docs {
		doc := W(i) << (5 + secBits)
		if ps := &scores[i].ps; ps.wide != nil {
			for _, p := range ps.wide {
				id := uint32(p >> 32)
				if skip != nil && hasBit(skip, id) {
					continue
				}
				all[next[id]] = doc | W(p>>16&31)<<secBits | W(uint16(p))
				next[id]++
			}
		} else if skip == nil {
			placeNarrow(all, next, ps.narrow, ps.secBits, doc, secBits)
		} else {
			placeNarrowSkip(all, next, ps.narrow, ps.secBits, doc, secBits, skip)
		}
		for _, id := range d.filters {
			if skip != nil && hasBit(skip, id) {
				continue
			}
			all[next[id]] = doc | 1<<secBits
			next[id]++
		}
	}
}

// placeNarrow places the narrow postings of one page, packed with s
// bits of section (see packedScores), as placePostings does with doc,
// the page's number already shifted, and secBits. It is
// placePostings's inner loop for builds that skip no term (all but the
// derived ones), on its own so that its few values stay in registers
// (in placePostings, with the test of the skipped terms, half of them
// lived on the stack), and its shift counts masked, as they are below
// 32 anyway, so that no shift needs the instructions that give Go's
// result for counts past the width.
func placeNarrow[W uint32 | uint64](all []W, next []uint32, narrow []uint32, s uint8, doc W, secBits uint8) {
	s &= 31
	secBits &= 31
	shift, mask := (5+s)&31, uint32(1)<<s-1
	if s == secBits {
		// Packed as the build's postings (as most texts are, see
		// langWriter.write): the score and section bits go as they are.
		low := uint32(1)<<shift - 1
		for _, e := range narrow {
			id := e >> shift
			n := next[id]
			all[n] = doc | W(e&low)
			next[id] = n + 1
		}
		return
	}
	for _, e := range narrow {
		id := e >> shift
		n := next[id]
		all[n] = doc | W(e>>s&31)<<secBits | W(e&mask)
		next[id] = n + 1
	}
}

// placeNarrowSkip is placeNarrow leaving out the terms whose bits are
// set in skip.
func placeNarrowSkip[W uint32 | uint64](all []W, next []uint32, narrow []uint32, s uint8, doc W, secBits uint8, skip []uint64) {
	s &= 31
	secBits &= 31
	shift, mask := (5+s)&31, uint32(1)<<s-1
	if s == secBits {
		// Packed as the build's postings: see placeNarrow.
		low := uint32(1)<<shift - 1
		for _, e := range narrow {
			id := e >> shift
			if hasBit(skip, id) {
				continue
			}
			n := next[id]
			all[n] = doc | W(e&low)
			next[id] = n + 1
		}
		return
	}
	for _, e := range narrow {
		id := e >> shift
		if hasBit(skip, id) {
			continue
		}
		n := next[id]
		all[n] = doc | W(e>>s&31)<<secBits | W(e&mask)
		next[id] = n + 1
	}
}

// appendPostings appends to dst the postings string of ps (placed by
// placePostings with secBits) without its idf: for each page, the
// difference of its number from the page before, its score and its
// section.
//
// A score, 1-31, is always one character; so are the page difference
// and the section of most postings (pages a few apart, a section below
// 32), which are then stored as three bytes at once. Of the others,
// nearly all have numbers below 1,024, of one or two characters: these
// are read from a table (varint2) and stored two bytes at a time, the
// position moved on by their length, with no branch on whether each
// takes one character or two (a branch that went either way about as
// often). dst is first given room for the longest string ps can make,
// and the bytes are stored into that room by index, without append's
// length and capacity update for each. BenchmarkAppendPostings, against
// appendPostingsRef (the branches and appends it replaced), 6 runs each
// on a busy machine: "terms" 4.9-8.0 against 6.8-9.6 ns a posting,
// "uniform" 7.3-11.6 against 12.3-16.4.
func appendPostings[W uint32 | uint64](dst []byte, ps []W, secBits uint8) []byte {
	var last uint32
	// Shift counts below 32, masked: the shifts need no width check.
	secBits &= 31
	docShift := (5 + secBits) & 31
	mask := W(1)<<secBits - 1
	n := len(dst)
	buf := slices.Grow(dst, len(ps)*maxPostingLen)
	buf = buf[:cap(buf)]
	for _, p := range ps {
		doc := uint32(p >> docShift)
		d, tf, sec := doc-last, uint32(p>>secBits&31), uint32(p&mask)
		last = doc
		if d|sec < 32 {
			b := buf[n : n+3 : n+3]
			b[0], b[1], b[2] = alphabet[d], alphabet[tf], alphabet[sec]
			n += 3
			continue
		}
		if d|sec < uint32(len(varint2)) {
			ed, es := varint2[d], varint2[sec]
			b := buf[n : n+5 : n+5]
			b[0], b[1] = byte(ed), byte(ed>>8)
			k := int(ed >> 16)
			b = buf[n+k : n+k+3 : n+k+3]
			b[0], b[1], b[2] = alphabet[tf], byte(es), byte(es>>8)
			n += k + 1 + int(es>>16)
			continue
		}
		n = putVarint(buf, n, d)
		buf[n] = alphabet[tf]
		n = putVarint(buf, n+1, sec)
	}
	return buf[:n]
}

// varint2 holds the postings encoding of every number below 1,024, one
// or two characters: the first in the low byte, the second (if any) in
// the next, and the length in the bits from 16 on.
var varint2 = func() (t [1024]uint32) {
	for v := range t {
		e := appendVarint(nil, uint32(v))
		t[v] = uint32(len(e)) << 16
		for i, c := range e {
			t[v] |= uint32(c) << (8 * i)
		}
	}
	return t
}()

// maxPostingLen is the longest a posting can be in a postings string:
// a page difference and a section of up to 32 bits (seven characters
// each) and a score.
const maxPostingLen = 7 + 1 + 7

// putVarint stores v in the postings encoding (see appendVarint) into
// buf from n on, and returns the position after it. buf must have room.
func putVarint(buf []byte, n int, v uint32) int {
	for v >= 32 {
		buf[n] = alphabet[32+v&31]
		v >>= 5
		n++
	}
	buf[n] = alphabet[v]
	return n + 1
}

// grow returns s with length n, reusing its memory if it has room, else
// in a new slice with a quarter more room, so that the larger languages
// that follow do not each make a new one.
func grow[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n, n+n/4)
}
