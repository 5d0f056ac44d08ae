package search

import (
	"hash/maphash"
	"slices"
	"unsafe"
)

// The builder's dictionaries (term text by id, term id by text, and the
// codes of raw words that workers share) hold about a million entries on
// a site of ten thousand pages, and they live as long as the builder.
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
// into. It is large enough that the blocks are few (a hundred or so for
// a million terms) and small enough that the unused end of the current
// block does not matter.
const blockSize = 1 << blockBits

// strStore keeps strings one after another in byte blocks and names
// each by its number, 0, 1, 2... in the order they were added. The
// strings get never written again once added, so the strings that get
// returns (which point into the blocks) stay as they are. It holds no
// pointers but one per block.
type strStore struct {
	// blocks hold the text. A string longer than blockSize gets a block
	// of its own, followed by nil entries for the further block numbers
	// it spans, so that a position is always block<<blockBits|offset.
	blocks [][]byte
	locs   []strLoc // number -> place of the string
}

// strLoc is where a string of a strStore is: its position,
// block<<blockBits|offset in the block, and its length. Positions count
// up to 4 GiB of text, far more than a builder could hold in memory.
type strLoc struct {
	pos, n uint32
}

// len returns the number of strings in s.
func (s *strStore) len() int { return len(s.locs) }

// add copies t into s and returns its number.
//
// The number table grows by doubling rather than by append's quarter
// for large slices: it reaches a million entries, and each growth copies
// it while the workers wait for the builder's lock.
func (s *strStore) add(t string) uint32 {
	if n := len(s.locs); n == cap(s.locs) {
		s.locs = slices.Grow(s.locs, max(n, 1<<10))
	}
	last := len(s.blocks) - 1
	if last < 0 || len(t) > cap(s.blocks[last])-len(s.blocks[last]) {
		s.blocks = append(s.blocks, make([]byte, 0, max(blockSize, len(t))))
		last = len(s.blocks) - 1
		for spanned := blockSize; spanned < len(t); spanned += blockSize {
			s.blocks = append(s.blocks, nil) // a nil last block is full: the next string starts a new one
		}
	}
	blk := s.blocks[last]
	loc := strLoc{pos: uint32(last)<<blockBits | uint32(len(blk)), n: uint32(len(t))}
	s.blocks[last] = append(blk, t...) // fits: never moves the block
	s.locs = append(s.locs, loc)
	return uint32(len(s.locs) - 1)
}

// get returns string i of s. The result points into s's block rather
// than being a copy; it stays valid as long as s.
func (s *strStore) get(i uint32) string {
	loc := s.locs[i]
	if loc.n == 0 {
		return ""
	}
	blk := s.blocks[loc.pos>>blockBits]
	return unsafe.String(&blk[loc.pos&(blockSize-1)], loc.n)
}

// strIndex finds the strings of a strStore by their text: an
// open-addressing table with linear probing whose slots hold a string's
// number and 32 bits of its hash (see strHash). The hash bits save most
// comparisons of text with strings that only share the slot, and give
// the slot in a grown table without reading the strings again. An index
// need not hold every string of its store.
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

// find returns the number of the string key, whose hash is h, in store
// st, if the index has it.
func (x *strIndex) find(st *strStore, key string, h uint32) (uint32, bool) {
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
			if num := uint32(e) - 1; st.get(num) == key {
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
	x.shift = 32
	for s := size; s > 1; s >>= 1 {
		x.shift--
	}
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
	codes []uint32 // word number -> code
	index strIndex
}

// find returns the code of word, if the table has it.
func (t *codeTab) find(word string) (uint32, bool) {
	num, ok := t.index.find(&t.words, word, strHash(word))
	if !ok {
		return 0, false
	}
	return t.codes[num], true
}

// add records the code of word, unless the table has it already, and
// reports whether it did.
func (t *codeTab) add(word string, code uint32) bool {
	h := strHash(word)
	if _, ok := t.index.find(&t.words, word, h); ok {
		return false
	}
	num := t.words.add(word)
	t.codes = append(t.codes, code)
	t.index.insert(num, h)
	return true
}
