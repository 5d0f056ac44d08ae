package search

import (
	"math/bits"
	"strings"
)

// wordTab maps raw words to codes (local term numbers or token codes) for
// one language of one worker: an open-addressing table that holds words
// of up to wordInline bytes in its slots, so that a lookup reads one or
// two cache lines, with a map behind it for longer words. A small
// direct-mapped front holds the words met last, which, words being as
// unequally frequent as they are, answers most lookups from the
// processor's first-level cache.
type wordTab struct {
	front [frontSize]wordEnt
	ents  []wordEnt // a power of two of them, at most three quarters full
	n     int
	long  map[string]uint32
}

// frontSize is the number of slots of a wordTab's front.
const frontSize = 1 << 9

// wordInline is the longest word a wordTab slot holds.
const wordInline = 24

// wordEnt is a wordTab slot: tag is 0 when the slot is empty, else the
// word's hash with its length in the low five bits.
type wordEnt struct {
	tag  uint32
	code uint32
	key  wordKey
}

// wordKey is a word of up to wordInline bytes as three integers: its
// bytes in order, first byte lowest, padded with zeros (a word's length,
// in its tag, tells "ab" from "ab\x00"). A word's key is read from the
// text once (keyOf), then hashed and compared as integers: reading the
// bytes again to compare them, in a call (sameWord), as well as to hash
// them, made scanning and looking up the words of the Italian bench pages
// about 11 % slower (BenchmarkAnalyse).
type wordKey [wordInline / 8]uint64

func newWordTab() *wordTab {
	return &wordTab{ents: make([]wordEnt, 1<<12), long: map[string]uint32{}}
}

// keyOf returns the key of s, of up to wordInline bytes, as three
// integers (in registers: a wordKey returned or built in memory is
// written by narrow stores and read back by wide loads, which wait for
// the stores to reach the cache). It reads each byte once or twice with
// overlapping loads; the overlaps hold the same bytes in the same
// places, so or-ing them in is harmless.
func keyOf(s string) (k0, k1, k2 uint64) {
	switch n := len(s); {
	case n > 16:
		return load64(s), load64(s[8:]), load64(s[n-8:]) >> ((24 - n) * 8 & 63)
	case n > 8:
		return load64(s), load64(s[n-8:]) >> ((16 - n) * 8 & 63), 0
	case n >= 4:
		return uint64(load32(s)) | uint64(load32(s[n-4:]))<<((n-4)*8&63), 0, 0
	case n > 0:
		return uint64(s[0]) | uint64(s[n>>1])<<((n>>1)*8&63) | uint64(s[n-1])<<((n-1)*8&63), 0, 0
	}
	return 0, 0, 0
}

// keyMasks holds, for each word length n up to wordInline, the masks
// of the bytes of the word in its key's three integers (see findIn). A
// table: computing them with min, max and shifts took more
// instructions than keyOf's branches, and branches of its own.
var keyMasks = func() (m [wordInline + 1][3]uint64) {
	for n := range m {
		for i := range m[n] {
			for b := range 8 {
				if 8*i+b < n {
					m[n][i] |= 0xFF << (8 * b)
				}
			}
		}
	}
	return m
}()

// keyHash returns the hash of the word of n bytes whose key is k0, k1,
// k2.
func keyHash(k0, k1, k2 uint64, n int) uint32 {
	x := k0 ^ (k1<<29 | k1>>35) ^ k2*0xFF51AFD7ED558CCD
	x = (x ^ uint64(n)<<58) * 0x9E3779B97F4A7C15
	return uint32(x>>32) ^ uint32(x>>7)
}

// is reports whether e holds the word whose key is k0, k1, k2 and whose
// tag is tag.
func (e *wordEnt) is(tag uint32, k0, k1, k2 uint64) bool {
	return e.tag == tag && e.key[0] == k0 && e.key[1] == k1 && e.key[2] == k2
}

// wordTag is the tag of a word of up to wordInline bytes with hash h.
func wordTag(h uint32, n int) uint32 { return h&^31 | uint32(n) }

// find returns the code of word, if the table has it.
func (t *wordTab) find(word string) (uint32, bool) {
	return t.findIn(word, 0, len(word))
}

// findIn returns the code of text[start:end], if the table has it.
//
// When at least wordInline bytes of text follow start (nearly always:
// the word is in a longer text), the key is read as three whole
// eight-byte loads, with the bytes past end masked off (keyMasks). That
// takes no branch on the word's length, where keyOf takes up to three,
// which words of every length from 1 to 16 bytes, mixed as they come in
// running text, send either way at random (callgrind's branch
// simulation, Add of every page of the 10k bench corpus: keyOf
// mispredicted about twice in three lookups).
func (t *wordTab) findIn(text string, start, end int) (uint32, bool) {
	n := end - start
	if uint(n) > wordInline { // (unsigned, so that keyMasks[n] needs no bounds check)
		c, ok := t.long[text[start:end]]
		return c, ok
	}
	var k0, k1, k2 uint64
	if start+wordInline <= len(text) {
		// The key is the word's three eight-byte words, each with the
		// bytes at and past end masked off (keyMasks): keyOf's result.
		// (Not a function of its own: too large to be inlined, its call
		// would cost about as much as the branches saved.)
		p, m := text[start:start+wordInline], &keyMasks[n]
		k0, k1, k2 = load64(p)&m[0], load64(p[8:])&m[1], load64(p[16:])&m[2]
	} else {
		k0, k1, k2 = keyOf(text[start:end])
	}
	h := keyHash(k0, k1, k2, n)
	tag, mask := wordTag(h, n), uint32(len(t.ents)-1)
	f := &t.front[h>>20&(frontSize-1)]
	if f.is(tag, k0, k1, k2) {
		return f.code, true
	}
	for i := h & mask; ; i = (i + 1) & mask {
		e := &t.ents[i]
		if e.is(tag, k0, k1, k2) {
			*f = *e
			return e.code, true
		}
		if e.tag == 0 {
			return 0, false
		}
	}
}

// insert adds word, which the table does not have, with code.
func (t *wordTab) insert(word string, code uint32) {
	if len(word) > wordInline {
		t.long[strings.Clone(word)] = code
		return
	}
	if 4*(t.n+1) > 3*len(t.ents) {
		old := t.ents
		t.ents = make([]wordEnt, 2*len(old))
		for i := range old {
			if e := &old[i]; e.tag != 0 {
				*t.slot(keyHash(e.key[0], e.key[1], e.key[2], int(e.tag&31))) = *e
			}
		}
	}
	k0, k1, k2 := keyOf(word)
	h := keyHash(k0, k1, k2, len(word))
	e := t.slot(h)
	e.tag, e.code = wordTag(h, len(word)), code
	e.key[0], e.key[1], e.key[2] = k0, k1, k2
	t.n++
}

// slot returns the first empty slot for hash h.
func (t *wordTab) slot(h uint32) *wordEnt {
	mask := uint32(len(t.ents) - 1)
	i := h & mask
	for t.ents[i].tag != 0 {
		i = (i + 1) & mask
	}
	return &t.ents[i]
}

func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func load32(s string) uint32 {
	_ = s[3]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// hanTab maps Han bigram and unigram keys (see hanKey; never 0) to
// their terms: an open-addressing table of twelve-byte slots.
type hanTab struct {
	ents  []hanEnt // a power of two of them, at most three quarters full; nil until the first insert
	n     int
	shift uint   // 32 - log2(len(ents))
	sink  uint32 // what touch read, kept so that the reads are not left out
}

// hanEnt is a hanTab slot; key 0 marks it empty. It holds the term's id
// and accumulator slot (see acc).
type hanEnt struct {
	key, id, slot uint32
}

// hanEmpty is what find returns for a key the table lacks.
var hanEmpty hanEnt

// find returns key's slot, or an empty slot (key 0) that must not be
// written to.
func (t *hanTab) find(key uint32) *hanEnt {
	if t.ents == nil {
		return &hanEmpty
	}
	mask := uint32(len(t.ents) - 1)
	for i := (key * 0x9E3779B1) >> t.shift; ; i = (i + 1) & mask {
		e := &t.ents[i]
		if e.key == key {
			return e
		}
		if e.key == 0 {
			return &hanEmpty
		}
	}
}

// touch reads the first slot of each of keys, so that the lookups of
// keys that follow find them in the processor's caches. The reads do not
// depend on each other, so their cache misses overlap.
func (t *hanTab) touch(keys []uint32) {
	if t.ents == nil {
		return
	}
	var x uint32
	for _, k := range keys {
		x |= t.ents[(k*0x9E3779B1)>>t.shift].key
	}
	t.sink = x
}

// insert adds key, which the table does not have, and returns its slot.
func (t *hanTab) insert(key uint32) *hanEnt {
	if 4*(t.n+1) > 3*len(t.ents) {
		t.resize(max(2*len(t.ents), 1<<12))
	}
	e := t.slot(key)
	e.key = key
	t.n++
	return e
}

// reserve makes room for n keys in all without growing again. Keys
// taken from another hanTab in slot order must go into a table at
// least as large: in a smaller one, which has the same hash, they
// arrive in the order of their slots and pile up into a few long runs
// that every later insertion walks (copying a Chinese site's Han terms
// into a growing table that way took seconds).
func (t *hanTab) reserve(n int) {
	size := max(len(t.ents), 1<<12)
	for 4*n > 3*size {
		size *= 2
	}
	if size > len(t.ents) {
		t.resize(size)
	}
}

// resize moves the table's keys into a table of size slots, a power of
// two.
func (t *hanTab) resize(size int) {
	old := t.ents
	t.ents = make([]hanEnt, size)
	t.shift = slotShift(32, size)
	for _, e := range old {
		if e.key != 0 {
			*t.slot(e.key) = e
		}
	}
}

// slot returns the first empty slot for key.
func (t *hanTab) slot(key uint32) *hanEnt {
	mask := uint32(len(t.ents) - 1)
	i := (key * 0x9E3779B1) >> t.shift
	for t.ents[i].key != 0 {
		i = (i + 1) & mask
	}
	return &t.ents[i]
}

// pairTab maps adjacent word pairs (first<<32|second term id) to the
// ids of their terms: an open-addressing table whose slots are single
// integers, 1<<63|first<<42|second<<21|id, for pairs whose two word ids
// and own id are below 2^21 (pairBits; a site would need two million
// terms to pass it), with a map behind it for the others.
//
// The table holds a pair for nearly every adjacent pair of words in the
// titles, headings and summaries of a site (about 300,000 on the 10k
// bench corpus) and lives from the first page added to the end of
// Write: with sixteen-byte slots (the pair and its id, padded) it was
// the largest thing the index kept in memory while the site was
// rendered (8 MB, and 17 MB allocated as it grew by doubling), in a
// build that runs at its soft memory limit; eight-byte slots halve
// both, and put eight slots in a cache line instead of four.
type pairTab struct {
	slots []uint64 // a power of two of them, at most three quarters full; 0 when empty; nil until the first insert
	n     int
	shift uint              // 64 - log2(len(slots))
	wide  map[uint64]uint32 // pairs that do not fit a slot
	sink  uint64            // what touch read, kept so that the reads are not left out
}

// pairBits is the number of bits each of a pair's two word ids and its
// own id take in a pairTab slot.
const pairBits = 21

// pairFull marks a used pairTab slot, after the pair is shifted down
// (see pairTab.find).
const pairFull = 1 << (63 - pairBits)

// packedPair returns first<<pairBits|second for pair k (first<<32|second),
// and whether both fit in pairBits.
func packedPair(k uint64) (uint64, bool) {
	first, second := k>>32, k&(1<<32-1)
	return first<<pairBits | second, first|second < 1<<pairBits
}

// pairHash returns the slot of packed pair p in a table of shift s.
func pairHash(p uint64, s uint) uint64 {
	return (p + 1) * 0x9E3779B97F4A7C15 >> s
}

// find returns the id of pair k, if the table has it.
func (t *pairTab) find(k uint64) (uint32, bool) {
	if p, ok := packedPair(k); ok && t.slots != nil {
		mask := uint64(len(t.slots) - 1)
		for i := pairHash(p, t.shift); ; i = (i + 1) & mask {
			v := t.slots[i]
			if v>>pairBits == p|pairFull {
				return uint32(v & (1<<pairBits - 1)), true
			}
			if v == 0 {
				break
			}
		}
	}
	if t.wide != nil {
		id, ok := t.wide[k]
		return id, ok
	}
	return 0, false
}

// touch reads the first slot of each pair of keys, so that the lookups
// that follow find them in the processor's caches (see hanTab.touch).
func (t *pairTab) touch(keys []uint64) {
	if t.slots == nil {
		return
	}
	var x uint64
	for _, k := range keys {
		p, _ := packedPair(k) // a pair that does not fit reads some slot: harmless
		x |= t.slots[pairHash(p, t.shift)]
	}
	t.sink = x
}

// insert adds pair k, which the table does not have, with term id.
func (t *pairTab) insert(k uint64, id uint32) {
	p, ok := packedPair(k)
	if !ok || id >= 1<<pairBits {
		if t.wide == nil {
			t.wide = map[uint64]uint32{}
		}
		t.wide[k] = id
		return
	}
	if 4*(t.n+1) > 3*len(t.slots) {
		old := t.slots
		size := max(2*len(old), 1<<12)
		t.slots = make([]uint64, size)
		t.shift = slotShift(64, size)
		for _, v := range old {
			if v != 0 {
				t.put(v)
			}
		}
	}
	t.put(pairFull<<pairBits | p<<pairBits | uint64(id))
	t.n++
}

// put stores slot value v in the first free slot from its pair's.
func (t *pairTab) put(v uint64) {
	mask := uint64(len(t.slots) - 1)
	i := pairHash(v>>pairBits&^pairFull, t.shift)
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = v
}

// slotShift is the shift that turns a multiplicative hash of keyBits bits
// into a slot of a table of size slots, a power of two: keyBits - log2(size).
func slotShift(keyBits uint, size int) uint {
	return keyBits + 1 - uint(bits.Len(uint(size)))
}
