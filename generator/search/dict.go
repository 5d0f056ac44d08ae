package search

import (
	"hash/maphash"
	"unsafe"
)

// The builder's dictionaries (term text by id, term id by text, and the
// codes of raw words that workers share) hold hundreds of thousands of
// entries on a site of ten thousand pages (410,000 terms on the bench
// corpus, most of them word pairs and Han bigrams), and they live as
// long as the builder.
// Kept as Go maps with string keys and as a []string they cost 40 bytes
// or more an entry, and every string header is a pointer that each
// garbage collection cycle has to follow. The types below hold the same
// in a few large pointer-free allocations instead: the text in byte
// blocks (strStore), and the lookup by text in an open-addressing table
// of integers (strIndex), which compares keys through the blocks.

// blockBits is log2 of the size of the blocks that strStore copies
// strings into.
const blockBits = 16

// blockSize is the size of the blocks that strStore copies strings
// into. It is large enough that the blocks are few (about thirty for
// the terms of the bench corpus) and small enough that the unused end of the current
// block does not matter.
const blockSize = 1 << blockBits

// strStore keeps strings one after another in byte blocks. Adding a
// string returns its place, a strLoc, which get turns back into the
// string; the caller keeps the places in a table of plain integers
// (Builder.terms, codeTab.locs). The strings are never written again
// once added, so the strings that get returns (which point into the
// blocks) stay as they are. A strStore holds no pointers but one per
// block.
type strStore struct {
	// blocks hold the text. A string longer than blockSize gets a block
	// of its own, followed by nil entries for the further block numbers
	// it spans, so that a position is always block<<blockBits|offset.
	blocks [][]byte
}

// strLoc is where a string of a strStore is: its position,
// block<<blockBits|offset in the block, in the high 32 bits and its
// length in the low 32. Positions stay below 1<<31, so that the top bit
// is free for the builder to mark pair terms (see Builder.terms): that
// is 2 GiB of text, far more than a builder could hold in memory.
type strLoc = uint64

// maxBlocks bounds the blocks of a strStore (see strLoc).
const maxBlocks = 1 << (31 - blockBits)

// add copies t into s and returns its place.
func (s *strStore) add(t string) strLoc {
	last := len(s.blocks) - 1
	if last < 0 || len(t) > cap(s.blocks[last])-len(s.blocks[last]) {
		s.blocks = append(s.blocks, make([]byte, 0, max(blockSize, len(t))))
		last = len(s.blocks) - 1
		for spanned := blockSize; spanned < len(t); spanned += blockSize {
			s.blocks = append(s.blocks, nil) // a nil last block is full: the next string starts a new one
		}
		if len(s.blocks) > maxBlocks {
			panic("search: more than 2 GiB of distinct terms") // see strLoc
		}
	}
	blk := s.blocks[last]
	pos := uint32(last)<<blockBits | uint32(len(blk))
	s.blocks[last] = append(blk, t...) // fits: never moves the block
	return uint64(pos)<<32 | uint64(len(t))
}

// get returns the string at loc. The result points into s's block
// rather than being a copy; it stays valid as long as s.
func (s *strStore) get(loc strLoc) string {
	n, pos := uint32(loc), uint32(loc>>32)
	if n == 0 {
		return ""
	}
	blk := s.blocks[pos>>blockBits]
	return unsafe.String(&blk[pos&(blockSize-1)], n)
}

// strIndex finds strings by their text: an open-addressing table with
// linear probing whose slots hold a string's number and 32 bits of its
// hash (see strHash). The caller's table locs gives each number's place
// in a strStore. The hash bits save most
// comparisons of text with strings that only share the slot, and give
// the slot in a grown table without reading the strings again. An index
// need not hold every number of locs.
type strIndex struct {
	// slots are hash<<32 | number+1, 0 when empty: a power of two of
	// them, at most three quarters full; nil until the first insert.
	slots []uint64
	n     int  // strings in the index
	shift uint // 32 - log2(len(slots)): a hash's slot is hash>>shift
}

// strSeed seeds strHash. It changes from run to run, which does not
// matter: the numbers that strings get do not depend on the hash.
var strSeed = maphash.MakeSeed()

// strHash returns the hash of s that a strIndex uses.
func strHash(s string) uint32 {
	return uint32(maphash.String(strSeed, s) >> 32)
}

// find returns the number of the string key, whose hash is h, if the
// index has it. String number num is st.get(locs[num]).
func (x *strIndex) find(st *strStore, locs []strLoc, key string, h uint32) (uint32, bool) {
	if x.slots == nil {
		return 0, false
	}
	mask := uint32(len(x.slots) - 1)
	for i := h >> x.shift; ; i = (i + 1) & mask {
		e := x.slots[i]
		if e == 0 {
			return 0, false
		}
		if uint32(e>>32) == h {
			if num := uint32(e) - 1; st.get(locs[num]) == key {
				return num, true
			}
		}
	}
}

// insert adds string number num, whose hash is h, which must not be in
// the index yet.
func (x *strIndex) insert(num, h uint32) {
	if 4*(x.n+1) > 3*len(x.slots) {
		x.grow()
	}
	x.put(uint64(h)<<32 | uint64(num+1))
	x.n++
}

// grow doubles the table (or makes the first one).
func (x *strIndex) grow() {
	old := x.slots
	size := max(2*len(old), 1<<10)
	x.slots = make([]uint64, size)
	x.shift = slotShift(32, size)
	for _, e := range old {
		if e != 0 {
			x.put(e)
		}
	}
}

// put stores slot value e in the first free slot from its hash's.
func (x *strIndex) put(e uint64) {
	mask := uint32(len(x.slots) - 1)
	i := uint32(e>>32) >> x.shift
	for x.slots[i] != 0 {
		i = (i + 1) & mask
	}
	x.slots[i] = e
}

// codeTab maps the raw words of one language that workers have resolved
// to their codes (see worker.resolveRaw).
type codeTab struct {
	words strStore
	locs  []strLoc // word number -> place in words
	codes []uint32 // word number -> code
	index strIndex
}

// find returns the code of word, if the table has it.
func (t *codeTab) find(word string) (uint32, bool) {
	num, ok := t.index.find(&t.words, t.locs, word, strHash(word))
	if !ok {
		return 0, false
	}
	return t.codes[num], true
}

// add records the code of word, unless the table has it already, and
// reports whether it did.
func (t *codeTab) add(word string, code uint32) bool {
	h := strHash(word)
	if _, ok := t.index.find(&t.words, t.locs, word, h); ok {
		return false
	}
	num := uint32(len(t.locs))
	t.locs = append(t.locs, t.words.add(word))
	t.codes = append(t.codes, code)
	t.index.insert(num, h)
	return true
}
