package search

import (
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
}

// packScores returns ps (id<<32 | tf<<16 | sec, tf below 32) packed.
// The result does not share memory with ps.
func packScores(ps []uint64) packedScores {
	var maxID uint32
	var maxSec uint16
	for _, p := range ps {
		maxID = max(maxID, uint32(p>>32))
		maxSec = max(maxSec, uint16(p))
	}
	secBits := uint8(mathbits.Len16(maxSec))
	if mathbits.Len32(maxID)+5+int(secBits) > 32 {
		return packedScores{wide: slices.Clone(ps)}
	}
	narrow := make([]uint32, len(ps))
	for i, p := range ps {
		narrow[i] = uint32(p>>32)<<(5+secBits) | uint32(p>>16&31)<<secBits | uint32(uint16(p))
	}
	return packedScores{narrow: narrow, secBits: secBits}
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
