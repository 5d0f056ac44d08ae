package search

import (
	"bytes"
	"slices"
)

// A language whose pages fall back to another's (Ukrainian, Urdu and
// Bengali show the English texts) has the same pages at the same
// numbers as that language but for a few (its desk and list pages carry
// labels in its own language), and so the same postings for nearly every
// term, and most of the same chunk files. Write builds such a language
// from its base's build: a term on none of the pages that differ, in
// either language, has the same postings string in both (same pages,
// same scores, and so the same page count and idf), which the derived
// build copies instead of placing and encoding the postings; and a run
// of such terms that made a chunk of the base makes the same chunk,
// which the derived build names after the base's without building or
// hashing it again.

// deriveBuilds lets Write derive builds; tests turn it off to compare
// the output with that of builds made in full.
var deriveBuilds = true

// maxDirtyShare bounds the pages that may differ from the base's, as a
// fraction 1/maxDirtyShare of them, for a language to be built from it:
// beyond that few terms are left unchanged.
const maxDirtyShare = 8

// baseBuild is what a language build leaves for the builds derived from
// it.
type baseBuild struct {
	dirty []bool        // by page number: the page differs in some derived language
	done  chan struct{} // closed when the base build has finished
	ok    bool          // the base build finished without error; set before done is closed

	// Set by the base build.
	dirtyIDs []uint64    // by term id, one bit a term: on a page marked in dirty
	ranks    []uint32    // the base's terms with postings, in client order
	strEnd   []uint32    // by position in ranks: end of its postings string in strs
	strs     []byte      // the postings strings, idf included, one after another (see langWriter.sameAsBase)
	chunks   []baseChunk // the base's chunks, in order
}

// baseChunk is one chunk of a base build.
type baseChunk struct {
	from, n     int    // its terms: positions in baseBuild.ranks
	hash, first string // its file name and first term
	bytes       int64
	last        bool // closed by the end of the terms rather than by its size
}

// str returns the postings string of the base's term at position k.
func (bb *baseBuild) str(k int) []byte {
	from := uint32(0)
	if k > 0 {
		from = bb.strEnd[k-1]
	}
	return bb.strs[from:bb.strEnd[k]]
}

// dirtyPages returns the page numbers at which docs and base (two
// languages' pages, sorted by URL, with their score keys, keys and
// baseKeys) differ in what their postings depend on, or ok false if they
// cannot be compared (another number of pages) or differ in more than
// one page in maxDirtyShare.
func dirtyPages(docs, base []*docRec, keys, baseKeys []scoreKey) (dirty []int, ok bool) {
	if len(docs) != len(base) {
		return nil, false
	}
	for i, d := range docs {
		if keys[i] != baseKeys[i] || !slices.Equal(d.filters, base[i].filters) {
			dirty = append(dirty, i)
			if len(dirty)*maxDirtyShare > len(docs) {
				return nil, false
			}
		}
	}
	return dirty, true
}

// hasBit reports whether bit i of the set bits is set.
func hasBit(bits []uint64, i uint32) bool {
	return bits[i/64]&(1<<(i%64)) != 0
}

// markPage sets the bits of the terms of page i (its scored postings
// and filter values) in bits.
func markPage(bits []uint64, ps *packedScores, d *docRec) {
	set := func(id uint32) { bits[id/64] |= 1 << (id % 64) }
	if ps.wide != nil {
		for _, p := range ps.wide {
			set(uint32(p >> 32))
		}
	} else {
		shift := 5 + ps.secBits
		for _, e := range ps.narrow {
			set(e >> shift)
		}
	}
	for _, id := range d.filters {
		set(id)
	}
}

// baseChunkAt returns the base's chunk that the derived build can take
// as it is at its term k, if there is one: only when k starts a chunk
// (at a chunk boundary, start), and the base's chunk starts with the
// same term and holds only terms whose postings are the base's
// (baseIdx, see langWriter.write) with none of the derived build's own
// among them. A chunk closed by the end of the base's terms is the same
// only if it also ends the derived build's. bc is the first of the
// base's chunks not yet passed; baseChunkAt advances it.
func (lw *langWriter) baseChunkAt(k int, baseIdx []int32, bc *int, start bool) (baseChunk, bool) {
	bb := lw.base
	if bb == nil || !start || baseIdx[k] < 0 {
		return baseChunk{}, false
	}
	from := int(baseIdx[k])
	for *bc < len(bb.chunks) && bb.chunks[*bc].from < from {
		*bc++
	}
	if *bc == len(bb.chunks) || bb.chunks[*bc].from != from {
		return baseChunk{}, false
	}
	c := bb.chunks[*bc]
	if k+c.n > len(baseIdx) || c.last && k+c.n != len(baseIdx) {
		return baseChunk{}, false
	}
	for j := range c.n {
		if int(baseIdx[k+j]) != from+j {
			return baseChunk{}, false
		}
	}
	return c, true
}

// sameAsBase returns the base's chunk that is the same, byte for byte,
// as the chunk the derived build has assembled the postings of: its
// terms from position start in used on (their positions in the base's
// build in basePos, see langWriter.write), and their postings strings
// in encs, quoted and a comma between two, as in the chunk's JSON, each
// ending at encEnd (and starting three bytes after the one before). Most terms on the pages that differ
// (a desk's labels in the language) have the same postings in both
// builds all the same (the same pages with the same scores), and a
// chunk of them and of terms on none of those pages has the same
// bytes as the base's: comparing the strings with the base's is far
// cheaper than assembling the chunk and hashing it. (On the bench
// corpus, a derived build's chunks were three quarters the same as the
// base's, and baseChunkAt, which takes only chunks of terms on none of
// those pages, found a third of them.) bs is the first of the base's
// chunks not yet passed; sameAsBase advances it.
func (lw *langWriter) sameAsBase(start int, basePos []int32, encs []byte, encEnd []int, bs *int) (baseChunk, bool) {
	bb := lw.base
	if bb == nil || basePos[start] < 0 {
		return baseChunk{}, false
	}
	from := int(basePos[start])
	for *bs < len(bb.chunks) && bb.chunks[*bs].from < from {
		*bs++
	}
	if *bs == len(bb.chunks) || bb.chunks[*bs].from != from || bb.chunks[*bs].n != len(encEnd) {
		return baseChunk{}, false
	}
	c := bb.chunks[*bs]
	prev := 1 // after the first string's opening quote
	for j, end := range encEnd {
		if int(basePos[start+j]) != from+j || !bytes.Equal(encs[prev:end], bb.str(from+j)) {
			return baseChunk{}, false
		}
		prev = end + len(`","`)
	}
	return c, true
}
