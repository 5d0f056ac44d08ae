package search

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// Field weights: how much one occurrence of a word counts towards a page's
// score for that word.
const (
	weightTitle   = 2 // plus the title bonus, see titleBonus
	weightHeading = 5
	weightSummary = 3
	weightBody    = 1
	weightFilter  = 3 // filter values (municipality, service) are searchable words too
	weightAltText = 2 // source-language title words in other languages' indexes
)

// Title bonus added to a term's 0-31 score on a page when the term is in
// the page title (or in the source-language title): a title match should
// outrank any amount of body text, which BM25 alone would saturate.
const (
	titleBonus    = 11
	altTitleBonus = 6
	bodyScale     = 20 // the BM25 part of a term's score is 0-bodyScale
)

// Phrase weights (0-31) of a pair of adjacent words, by where the pair
// occurs.
const (
	pairTitle   = 31
	pairHeading = 20
	pairSummary = 12
)

// Fragment limits: excerpts are cut from the first fragSectionRunes
// characters of each section, and a page's fragment carries at most
// fragTotalRunes characters of section text (CJK characters count two:
// see appendCut).
const (
	fragSectionRunes = 400
	fragTotalRunes   = 2400
)

// analysis is the indexable content of one distinct text, shared by every
// page that shows the same text (such as fallback pages). Its terms are
// compact varint records rather than structs or maps, and those of page
// texts wait in the builder's temporary file with the fragments, since a
// 10k page site has about ten thousand of them until Write.
type analysis struct {
	once      sync.Once
	terms     []byte  // per term: id, wtf<<1|hasTTL, [ttl], section (uvarints)
	pairs     []byte  // per adjacent word pair: id, weight (uvarints)
	recs      fragRef // terms then pairs, when they wait in the temporary file instead
	termBytes uint32  // length of the terms part of recs
	length    uint32  // number of tokens
	frag      fragRef
	err       error // storing the records or fragment failed
}

// termStat is what the index keeps of one term on one page.
type termStat struct {
	id  uint32 // term id in the builder's dictionary
	wtf uint32 // weighted term frequency (weights are whole numbers)
	sec uint16 // section where the term weighs most
	ttl uint8  // title bonus
}

// appendTerms appends the records of accs: for each, its term id, its
// weighted frequency times two plus one if it has a title bonus, the
// bonus if so, and its section (readTerm reads one back). It replaced a
// function encoding one record (now the tests' reference, appendTerm),
// too large to be inlined, which cost a call for each of the five
// million terms of the texts of the 10k bench corpus. Callgrind, finish
// on the Italian pages of the bench corpus: 81 to 62 million
// instructions. (Storing each number's bytes in one four-byte store
// after making room for all records took 85 million.)
//
// A record whose count and section take a byte each and that has no
// title bonus (most of them) is appended whole, in one append: a call
// of appendUvarint for each number checked the room left and stored the
// length three times (callgrind, Add of the Italian bench pages: 38 to
// 32 million instructions; of the Chinese ones, 108 to 90).
func appendTerms(b []byte, accs []acc) []byte {
	for i := range accs {
		e := &accs[i]
		sec := uint64(uint16(min(e.best, 0xFFFF)))
		if w2 := uint64(e.wtf) << 1; e.ttl == 0 && w2 < 1<<7 && sec < 1<<7 {
			switch id := uint64(e.id); {
			case id < 1<<7:
				b = append(b, byte(id), byte(w2), byte(sec))
				continue
			case id < 1<<14:
				b = append(b, byte(id)|0x80, byte(id>>7), byte(w2), byte(sec))
				continue
			case id < 1<<21:
				b = append(b, byte(id)|0x80, byte(id>>7)|0x80, byte(id>>14), byte(w2), byte(sec))
				continue
			}
		}
		b = appendUvarint(b, uint64(e.id))
		if e.ttl == 0 {
			b = appendUvarint(b, uint64(e.wtf)<<1)
		} else {
			b = appendUvarint(b, uint64(e.wtf)<<1|1)
			b = append(b, e.ttl)
		}
		b = appendUvarint(b, sec)
	}
	return b
}

// appendUvarint is binary.AppendUvarint with the lengths of nearly all
// numbers in term records (ids below 2^21, small counts) written out
// rather than looped over: term records took about 4 % of the
// instructions of Add on Italian text (callgrind, AddCorpus/it).
func appendUvarint(b []byte, v uint64) []byte {
	switch {
	case v < 1<<7:
		return append(b, byte(v))
	case v < 1<<14:
		return append(b, byte(v)|0x80, byte(v>>7))
	case v < 1<<21:
		return append(b, byte(v)|0x80, byte(v>>7)|0x80, byte(v>>14))
	}
	return binary.AppendUvarint(b, v)
}

// appendPair appends a pair record (id and phrase weight).
func appendPair(b []byte, id, w uint32) []byte {
	return binary.AppendUvarint(binary.AppendUvarint(b, uint64(id)), uint64(w))
}

// readTerm decodes the term record at the start of b (see appendTerm)
// and returns the rest. Scoring decodes every term record of every text
// (about six million in a Write of the bench corpus), and decoding it
// with binary.Uvarint, a loop, took half of textPostings' time: readTerm
// reads the numbers of one to three bytes (below 2^21: nearly every
// term id, count and section) without one, and leaves the rest to
// binary.Uvarint. BenchmarkTextPostings: 86 to 70 ms (best of eight).
func readTerm(b []byte) (termStat, []byte) {
	var t termStat
	var v uint64
	var n int
	// The id.
	if len(b) >= 3 && b[0] < 0x80 {
		v, n = uint64(b[0]), 1
	} else if len(b) >= 3 && b[1] < 0x80 {
		v, n = uint64(b[0]&0x7f)|uint64(b[1])<<7, 2
	} else if len(b) >= 3 && b[2] < 0x80 {
		v, n = uint64(b[0]&0x7f)|uint64(b[1]&0x7f)<<7|uint64(b[2])<<14, 3
	} else {
		v, n = binary.Uvarint(b)
	}
	t.id = uint32(v)
	b = b[n:]
	// The weighted count and the title flag.
	if len(b) >= 2 && b[0] < 0x80 {
		v, n = uint64(b[0]), 1
	} else if len(b) >= 2 && b[1] < 0x80 {
		v, n = uint64(b[0]&0x7f)|uint64(b[1])<<7, 2
	} else {
		v, n = binary.Uvarint(b)
	}
	b = b[n:]
	t.wtf = uint32(v >> 1)
	if v&1 != 0 {
		t.ttl = b[0]
		b = b[1:]
	}
	// The section.
	if len(b) >= 1 && b[0] < 0x80 {
		v, n = uint64(b[0]), 1
	} else {
		v, n = binary.Uvarint(b)
	}
	t.sec = uint16(v)
	return t, b[n:]
}

// readPair decodes the pair record at the start of b (see appendPair
// and readTerm). It spells out readTerm's decoding of the id again: a
// shared helper with binary.Uvarint's fallback is too large for the
// compiler to inline, and a call per number is what readTerm saves.
func readPair(b []byte) (id, w uint32, rest []byte) {
	var v uint64
	var n int
	if len(b) >= 3 && b[0] < 0x80 {
		v, n = uint64(b[0]), 1
	} else if len(b) >= 3 && b[1] < 0x80 {
		v, n = uint64(b[0]&0x7f)|uint64(b[1])<<7, 2
	} else if len(b) >= 3 && b[2] < 0x80 {
		v, n = uint64(b[0]&0x7f)|uint64(b[1]&0x7f)<<7|uint64(b[2])<<14, 3
	} else {
		v, n = binary.Uvarint(b)
	}
	b = b[n:]
	x, m := binary.Uvarint(b) // the weight: one byte, nearly always
	return uint32(v), uint32(x), b[m:]
}

// Token codes in a worker's word tables besides local term numbers.
const (
	codeStop   = ^uint32(0)     // a stop word: counts towards length, not indexed
	codeDrop   = ^uint32(0) - 1 // a single letter: not a token at all
	codeMixed  = ^uint32(0) - 2 // folds to CJK characters: takes the general path
	noPrev     = int64(-1)
	maxCached  = 1 << 17 // words a worker caches before it starts afresh
	maxLocal   = 1 << 20 // terms a worker numbers before it starts afresh
	pairIDFlag = 1 << 63 // marks a pair in Builder.terms
)

// acc accumulates one term of the current text. Accumulators are dense,
// in order of first occurrence; a term finds its own through a slot
// number kept with the term (termRef.slot, hanEnt.slot), which is
// current when it points at an accumulator of the same id (so that
// nothing needs clearing between texts).
type acc struct {
	id                  uint32
	wtf                 uint32
	cur, best           int32
	curScore, bestScore uint32
	ttl                 uint8
}

// termRef is a word term a worker has numbered: its id in the builder's
// dictionary and its accumulator slot.
type termRef struct {
	id, slot uint32
}

// worker holds the scratch state of one analysis at a time: tables from
// raw words to terms (so that lowering, folding and stemming run once per
// distinct word, not once per occurrence, and without locks), and dense
// per-term accumulators that replace per-page maps. Add takes a worker
// from the builder's free list, so there are about as many as concurrent
// callers.
//
// A worker numbers the word terms it meets itself, densely from 0 (local
// numbers), so that its tables stay small and close together whatever
// the size of the builder's dictionary. Han bigrams, most of the terms of
// a Chinese text, are keyed by their two characters in a table of their
// own.
type worker struct {
	b      *Builder
	tabs   map[*stemmer]*wordTab // per language: raw word -> local number or code
	cached int                   // words in tabs

	terms []termRef         // by local number
	local map[uint32]uint32 // term id -> local number
	han   hanTab            // Han bigram or unigram key (see hanKey) -> term
	other map[uint64]uint32 // other CJK tokens (first<<32|second character) -> local number

	accs  []acc
	spans []span
	pairs []pairHit // adjacent word pairs in order of occurrence, repeats included
	prev  int64
	len   uint32

	hanKeys [hanBatch]uint32 // addHan's keys
	sink    byte             // what touchDoc read, kept so that the reads are not left out

	pairKeys []uint64 // finish's buffers
	pairWs   []uint32
	pairSort []uint64
	pairIDs  []uint32

	order []int32 // runJobs' order of a batch's jobs

	frag, scratch []byte // buffers for building result fragments
	rec           []byte // the records finish encodes
	recTerms      int    // bytes of rec that are terms; pairs follow
}

func newWorker(b *Builder) *worker {
	w := &worker{b: b}
	w.reset()
	return w
}

// reset forgets every word and term the worker has numbered.
func (w *worker) reset() {
	if w.han.n > 0 {
		w.b.endHanOwner(w)
	}
	w.tabs = map[*stemmer]*wordTab{}
	w.cached = 0
	w.terms = w.terms[:0]
	w.local = map[uint32]uint32{}
	w.han = hanTab{}
	w.other = map[uint64]uint32{}
}

// begin starts a new text.
func (w *worker) begin() {
	w.accs = w.accs[:0]
	w.pairs = w.pairs[:0]
	w.len = 0
	if w.cached > maxCached || len(w.terms)+w.han.n > maxLocal {
		w.reset()
	}
}

// localNum returns the local number of term id, numbering it if new.
func (w *worker) localNum(id uint32) uint32 {
	if l, ok := w.local[id]; ok {
		return l
	}
	l := uint32(len(w.terms))
	w.terms = append(w.terms, termRef{id: id, slot: ^uint32(0)})
	w.local[id] = l
	return l
}

// tab returns the word table of st's language.
func (w *worker) tab(st *stemmer) *wordTab {
	t := w.tabs[st]
	if t == nil {
		t = newWordTab()
		w.tabs[st] = t
	}
	return t
}

// add indexes text with weight wt; sec >= 0 ties occurrences to a section
// (secW is then what they count towards choosing its best section);
// pairW > 0 records adjacent word pairs with that phrase weight. ttl > 0
// marks the text as a title with that bonus.
//
// Words are taken from the text as it is when scan can (nearly always),
// and from the prepared text otherwise; either way a word's term depends
// on the word alone, which is what the word tables rely on.
func (w *worker) add(st *stemmer, text string, wt uint32, sec int32, secW uint32, pairW uint32, ttl uint8) {
	tab := w.tab(st)
	w.prev = noPrev
	spans, ok := scan(text, true, w.spans[:0])
	if !ok {
		text = prepare(text)
		spans, _ = scan(text, false, spans[:0])
	}
	w.spans = spans
	// A span's word, text[s.start:s.end], is sliced only where it is
	// needed: sliced (with its bounds checks) for every span, it took
	// about a fifth of this loop's instructions (callgrind).
	for _, s := range spans {
		switch s.kind {
		case spanHan:
			w.addHan(text[s.start:s.end], wt, sec, secW, pairW, ttl)
			continue
		case spanMixed:
			w.addMixed(st, strings.ToLower(text[s.start:s.end]), wt, sec, secW, pairW, ttl)
			continue
		}
		code, ok := tab.findIn(text, s.start, s.end)
		if !ok {
			word := text[s.start:s.end]
			code = w.resolveRaw(st, tab, word)
			tab.insert(word, code)
			w.cached++
		}
		switch {
		case code < codeMixed:
			w.len++
			t := &w.terms[code]
			if pairW == 0 {
				// hit without pairs, written out: the count inlined
				// (about two words in five of body text), and for a
				// word new to the text newAcc called without a call of
				// hit in between (callgrind: hit's own instructions
				// were a quarter of those of counting a new word).
				if s := t.slot; int(s) < len(w.accs) && w.accs[s].id == t.id {
					w.accs[s].count(wt, sec, secW, ttl)
				} else {
					w.newAcc(&t.slot, t.id, wt, sec, secW, ttl)
				}
				continue
			}
			w.hit(&t.slot, t.id, false, wt, sec, secW, pairW, ttl)
		case code == codeStop:
			w.len++
		case code == codeMixed:
			w.addMixed(st, strings.ToLower(text[s.start:s.end]), wt, sec, secW, pairW, ttl)
		}
	}
}

// resolveRaw returns the code of a word without CJK characters as found
// by scan, which tab (st's word table) lacks: its local number, or
// codeStop, codeDrop or codeMixed. A word's code depends on its lower
// case alone, so a word with capitals takes the code of its lower case
// when tab has that: about 4,000 of the 10,000 distinct words of each
// Latin-script language of the bench corpus differ from another only by
// their capitals (a sentence's first word), and folding and stemming
// them again took about a third of the time spent here. Another worker
// may have met the word already: the builder keeps the codes (with term
// ids for local numbers) that workers find.
func (w *worker) resolveRaw(st *stemmer, tab *wordTab, word string) uint32 {
	lower := strings.ToLower(word)
	if lower != word {
		if code, ok := tab.find(lower); ok {
			return code
		}
	}
	code, ok := w.b.resolvedCode(st, word)
	if !ok {
		var cacheable bool
		code, cacheable = w.resolve(st, lower)
		if !cacheable {
			code = codeMixed
		}
		w.b.keepResolved(st, word, code)
	}
	if code >= codeMixed {
		return code
	}
	return w.localNum(code)
}

// resolve turns a lower-case word without CJK characters into its term
// id, or codeStop or codeDrop, exactly as emitRun and stemmer.term would.
// cacheable is false when the folded word turned out to hold CJK
// characters after all; the caller then takes the general path.
func (w *worker) resolve(st *stemmer, word string) (code uint32, cacheable bool) {
	f := foldWord(word)
	if f == "" {
		return codeDrop, true
	}
	r, _ := utf8.DecodeRuneInString(f)
	n := 0
	for _, c := range f {
		if isCJK(c) {
			return 0, false
		}
		n++
	}
	if n == 1 && !unicode.IsNumber(r) {
		return codeDrop, true
	}
	part, raw := f, word
	if n > maxTokenRunes {
		part = truncRunes(f, maxTokenRunes)
		raw = part
	}
	if st.stop[part] {
		return codeStop, true
	}
	return w.b.wordID(st.term(part, raw, false)), true
}

// hanKey is the key of a Han bigram of characters a and b, or of a
// unigram when b is 0; a and b are isHan characters, which are all three
// bytes long in UTF-8.
func hanKey(a, b rune) uint32 {
	k := uint32(a-0x3400+1) << 15
	if b != 0 {
		k |= uint32(b - 0x3400 + 1)
	}
	return k
}

// han3 decodes the Han character at the start of s.
func han3(s string) rune {
	return rune(s[0]&0x0F)<<12 | rune(s[1]&0x3F)<<6 | rune(s[2]&0x3F)
}

// hanTerm returns the table entry of the Han bigram or unigram tok with
// key k, adding it if new.
func (w *worker) hanTerm(tok string, k uint32) *hanEnt {
	e := w.han.find(k)
	if e.key == 0 {
		e = w.b.newHanEnt(w, k, tok)
	}
	return e
}

// addHan indexes a word of Han characters only (which folding and lower
// case leave alone): overlapping bigrams, or a unigram for a lone
// character.
func (w *worker) addHan(word string, wt uint32, sec int32, secW uint32, pairW uint32, ttl uint8) {
	a := han3(word)
	if len(word) == 3 {
		w.len++
		e := w.hanTerm(word, hanKey(a, 0))
		w.hit(&e.slot, e.id, true, wt, sec, secW, pairW, ttl)
		return
	}
	// The bigrams' keys go hanBatch at a time through w.han.touch first:
	// a lookup in a table of a hundred thousand bigrams nearly always
	// misses the processor's caches, and the lookups below, each waiting
	// for the one before, would wait for those misses one at a time
	// (about a third of the analysis of a Chinese text).
	keys := &w.hanKeys
	for i := 3; i < len(word); {
		m := 0
		for ; m < hanBatch && i+3*m < len(word); m++ {
			b := han3(word[i+3*m:])
			keys[m] = hanKey(a, b)
			a = b
		}
		w.han.touch(keys[:m])
		// hanTerm and hit, written out for the bigram found (nearly
		// always) and with the rare calls left for the rest: a call of
		// each for every bigram took about a fifth of the instructions
		// of a Chinese text's analysis (callgrind).
		for _, k := range keys[:m] {
			w.len++
			e := w.han.find(k)
			if e.key == 0 {
				e = w.hanTerm(word[i-3:i+3], k)
			}
			if s := e.slot; int(s) < len(w.accs) && w.accs[s].id == e.id {
				w.accs[s].count(wt, sec, secW, ttl)
			} else {
				w.newAcc(&e.slot, e.id, wt, sec, secW, ttl)
			}
			i += 3
		}
	}
	if pairW > 0 {
		w.prev = noPrev // what hit does for a CJK term: no pair across it
	}
}

// hanBatch is the number of Han bigram lookups addHan starts at once.
const hanBatch = 16

// addMixed indexes a lower-case word holding CJK characters: its CJK
// runs become bigrams and its other runs tokens of their own.
func (w *worker) addMixed(st *stemmer, word string, wt uint32, sec int32, secW uint32, pairW uint32, ttl uint8) {
	emitRun(word, foldWord(word), func(tok, raw string, cjk bool) {
		w.len++
		if cjk {
			a, n := utf8.DecodeRuneInString(tok)
			b := rune(-1)
			if n < len(tok) {
				b, _ = utf8.DecodeRuneInString(tok[n:])
			}
			w.hitCJK(tok, a, b, wt, sec, secW, pairW, ttl)
			return
		}
		if st.stop[tok] {
			return
		}
		t := &w.terms[w.localNum(w.b.wordID(st.term(tok, raw, false)))]
		w.hit(&t.slot, t.id, false, wt, sec, secW, pairW, ttl)
	})
}

// hitCJK counts an occurrence of a CJK bigram tok of characters a and b
// (b is -1 for a unigram).
func (w *worker) hitCJK(tok string, a, b rune, wt uint32, sec int32, secW uint32, pairW uint32, ttl uint8) {
	if isHan(a) && (b < 0 || isHan(b)) {
		e := w.hanTerm(tok, hanKey(a, max(b, 0)))
		w.hit(&e.slot, e.id, true, wt, sec, secW, pairW, ttl)
		return
	}
	k := uint64(a)<<32 | uint64(uint32(b))
	l, ok := w.other[k]
	if !ok {
		l = w.localNum(w.b.wordID(tok))
		w.other[k] = l
	}
	t := &w.terms[l]
	w.hit(&t.slot, t.id, true, wt, sec, secW, pairW, ttl)
}

// hit counts one occurrence of term id, whose accumulator slot is *slot.
func (w *worker) hit(slot *uint32, id uint32, cjk bool, wt uint32, sec int32, secW uint32, pairW uint32, ttl uint8) {
	if s := *slot; int(s) < len(w.accs) && w.accs[s].id == id {
		w.accs[s].count(wt, sec, secW, ttl)
	} else {
		w.newAcc(slot, id, wt, sec, secW, ttl)
	}
	if pairW > 0 {
		if cjk {
			w.prev = noPrev
			return
		}
		if w.prev >= 0 {
			w.pairs = append(w.pairs, pairHit{key: uint64(w.prev)<<32 | uint64(id), w: pairW})
		}
		w.prev = int64(id)
	}
}

// count adds an occurrence with weight wt to e (see hit). It is small
// enough to be inlined, so that add counts a repeated word of body text
// (about two words in five) without calling hit.
func (e *acc) count(wt uint32, sec int32, secW uint32, ttl uint8) {
	e.wtf += wt
	e.ttl = max(e.ttl, ttl)
	if sec >= 0 {
		if e.cur != sec {
			e.cur, e.curScore = sec, 0
		}
		e.curScore += secW
		if e.curScore > e.bestScore {
			e.best, e.bestScore = sec, e.curScore
		}
	}
}

// newAcc starts the accumulator of term id, met for the first time in
// the current text, as hit's update of an empty accumulator would leave
// it, and points *slot at it.
//
// The accumulator is written field by field where it lies rather than
// appended as a composite literal: the compiler builds such a literal on
// the stack with overlapping stores and copies it with wide loads, which
// cannot take their data from those stores and wait for them to reach
// the cache (that wait was more than half of hit's time on Chinese text,
// where most bigrams of a text are new to it).
func (w *worker) newAcc(slot *uint32, id uint32, wt uint32, sec int32, secW uint32, ttl uint8) {
	s := len(w.accs)
	if s == cap(w.accs) {
		w.accs = slices.Grow(w.accs, 1)
	}
	w.accs = w.accs[:s+1]
	*slot = uint32(s)
	e := &w.accs[s]
	e.id, e.wtf, e.ttl = id, wt, ttl
	e.cur, e.curScore, e.best, e.bestScore = -1, 0, 0, 0
	if sec >= 0 {
		e.cur, e.curScore = sec, secW
		if secW > 0 {
			e.best, e.bestScore = sec, secW
		}
	}
}

// pairHit is an occurrence of an adjacent word pair: first<<32|second
// term id, and its phrase weight there.
type pairHit struct {
	key uint64
	w   uint32
}

// finish encodes the current text's terms and then its pairs in w.rec
// (w.recTerms bytes of terms), and sets a's length.
func (w *worker) finish(a *analysis) {
	a.length = w.len
	rec := slices.Grow(w.rec[:0], 16*len(w.accs)) // a term record takes at most 5+5+1+3 bytes
	rec = appendTerms(rec, w.accs)
	w.recTerms = len(rec)
	if len(w.pairs) > 0 {
		// One record per distinct pair, with its highest weight, in order
		// of pairs (deterministic records; the output does not depend on
		// the order).
		keys, weights := w.distinctPairs()
		w.pairIDs = w.b.pairIDs(w.pairIDs[:0], keys)
		for i, id := range w.pairIDs {
			rec = appendPair(rec, id, weights[i])
		}
		w.pairKeys, w.pairWs = keys, weights
	}
	w.rec = rec
}

// distinctPairs returns the distinct pairs of w.pairs in order, each
// with its highest weight, in w.pairKeys and w.pairWs.
//
// When both words' ids are below 2^29 and the weights below 32 (nearly
// always: a builder would need half a billion terms), each pair and its
// weight are packed in one integer that sorts as they should, and sorted
// as integers, which takes a third of the time of sorting the pairs with
// a comparison function (about 10 ms of a site build's CPU).
func (w *worker) distinctPairs() (keys []uint64, weights []uint32) {
	keys, weights = w.pairKeys[:0], w.pairWs[:0]
	packed := w.pairSort[:0]
	for _, p := range w.pairs {
		first, second := p.key>>32, p.key&(1<<32-1)
		if first >= 1<<29 || second >= 1<<29 || p.w >= 32 {
			packed = nil
			break
		}
		packed = append(packed, (first<<29|second)<<5|uint64(31-p.w)) // pair, then weight from the highest
	}
	if packed != nil {
		slices.Sort(packed)
		for i, x := range packed {
			if i == 0 || x>>5 != packed[i-1]>>5 {
				keys = append(keys, x>>34<<32|x>>5&(1<<29-1))
				weights = append(weights, 31-uint32(x&31))
			}
		}
		w.pairSort = packed
		return keys, weights
	}
	slices.SortFunc(w.pairs, func(x, y pairHit) int {
		return cmp.Or(cmp.Compare(x.key, y.key), cmp.Compare(y.w, x.w))
	})
	for i, p := range w.pairs {
		if i == 0 || p.key != w.pairs[i-1].key {
			keys = append(keys, p.key)
			weights = append(weights, p.w)
		}
	}
	return keys, weights
}

// analyseDoc runs the analyser over every field of d.
func (w *worker) analyseDoc(st *stemmer, d *Doc, a *analysis) {
	w.sink = touchDoc(d)
	w.begin()
	w.add(st, d.Title, weightTitle, -1, 0, pairTitle, titleBonus)
	w.add(st, d.Summary, weightSummary, -1, 0, pairSummary, 0)
	for i, s := range d.Sections {
		w.add(st, s.Heading, weightHeading, int32(i), weightHeading, pairHeading, 0)
		w.add(st, s.Text, weightBody, int32(i), weightBody, 0, 0)
	}
	for _, k := range sortedKeys(d.Filters) {
		for _, v := range d.Filters[k] {
			w.add(st, v, weightFilter, -1, 0, 0, 0)
		}
	}
	w.finish(a)
}

// touchDoc reads a byte of every cache line of d's texts, up to
// touchLimit bytes of them, and returns their or.
//
// A text waits in its batch for about a thousand pages to be rendered
// and added before it is analysed, and by then it has left the
// processor's caches: scan, which reads it first, waited for it one
// cache line at a time, as far as the processor's own prefetching does
// not run ahead of it (it does not across the 4 KB pages of memory,
// and it starts afresh at each of a page's texts). These reads do not
// depend on each other, so their cache misses overlap; the analysis and
// the fragment then find the text in the caches.
func touchDoc(d *Doc) byte {
	x := touchText(d.Title, 0) | touchText(d.Summary, 0)
	budget := touchLimit
	for i := range d.Sections {
		s := &d.Sections[i]
		x |= touchText(s.Heading, 0) | touchText(s.Text, budget)
		if budget -= len(s.Text); budget <= 0 {
			break
		}
	}
	return x
}

// touchLimit is the most bytes of section text that touchDoc reads
// ahead, so that a very long page does not push the word tables out of
// the second-level cache (a page of the bench corpus has about 7 KB of
// text).
const touchLimit = 64 << 10

// touchText reads a byte of every 64-byte cache line of s, in its first
// limit bytes if limit > 0 (see touchDoc).
func touchText(s string, limit int) byte {
	if limit > 0 && len(s) > limit {
		s = s[:limit]
	}
	var x byte
	for i := 0; i < len(s); i += 64 {
		x |= s[i]
	}
	if len(s) > 0 {
		x |= s[len(s)-1] // the last line, which the steps of 64 bytes miss when s does not start a line
	}
	return x
}

// analyseAlt analyses a source-language title as it is indexed in other
// languages; its few records stay in memory.
func (w *worker) analyseAlt(st *stemmer, title string, a *analysis) {
	w.begin()
	w.add(st, title, weightAltText, -1, 0, pairHeading, altTitleBonus)
	w.finish(a)
	a.terms = slices.Clone(w.rec[:w.recTerms])
	a.pairs = slices.Clone(w.rec[w.recTerms:])
}

// fragment appends to b the shared part of a result fragment, the JSON
// object {"t","s","h"}: title, summary and sections with their text cut
// to the fragment limits. It writes what encoding/json would. scratch is
// reused for cut texts that need escaping.
func fragment(b []byte, scratch *[]byte, d *Doc) []byte {
	b = append(b, `{"t":`...)
	b = appendJSONString(b, d.Title)
	if d.Summary != "" {
		b = append(b, `,"s":`...)
		b = appendJSONString(b, d.Summary)
	}
	b = append(b, `,"h":[`...)
	budget := fragTotalRunes
	for i, s := range d.Sections {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = appendJSONString(b, s.Anchor)
		b = append(b, ',')
		b = appendJSONString(b, s.Heading)
		b = append(b, ',', '"')
		// The text is cut straight into b, as a JSON string if nothing in
		// it needs escaping (nearly always), which saves a second pass
		// over it; otherwise it is cut again through appendJSONString.
		start := len(b)
		var runes int
		var plain bool
		b, runes, plain = cutText(b, s.Text, min(fragSectionRunes, budget))
		budget -= runes
		if plain {
			b = append(b, '"')
		} else {
			*scratch = append((*scratch)[:0], b[start:]...)
			text := unsafe.String(unsafe.SliceData(*scratch), len(*scratch)) // read before scratch changes
			b = appendJSONString(b[:start-1], text)
		}
		b = append(b, ']')
	}
	return append(b, "]}"...)
}

// appendCut appends s to dst with runs of white space collapsed into
// single spaces (and dropped at both ends), cut to a width of at most n at
// a space where one is near, the cut marked with "…". Width is counted in
// characters, CJK ones (which show twice as wide and say about as much as
// a word) counting two. It returns the result and the width appended, and
// reads only as much of s as it needs.
func appendCut(dst []byte, s string, n int) ([]byte, int) {
	out, w, _ := cutText(dst, s, n)
	return out, w
}

// cutText is appendCut, and also reports whether what it appended is
// plain: valid UTF-8 without '"', '\\' or control characters, so that,
// quoted, it is the JSON string encoding/json would write for it. (U+2028
// and U+2029, which encoding/json escapes, are white space, and so never
// appended.) A text cut at a space may be reported not plain because of
// what the cut dropped.
func cutText(dst []byte, s string, n int) (out []byte, width int, plain bool) {
	if n <= 0 {
		return dst, 0, true
	}
	cls := charClasses()
	base := len(dst)
	out = dst
	plain = true
	runes, i := 0, 0
	more := false // the collapsed text goes on past n runes
	for !more {
		// Skip white space up to the next word.
		for i < len(s) {
			if c := s[i]; c < utf8.RuneSelf {
				if !asciiSpace[c] {
					break
				}
				i++
				continue
			}
			r, size := decodeAt(s, i)
			if r < 0x10000 && cls[r]&clsSpace == 0 || r >= 0x10000 && !unicode.IsSpace(r) {
				break
			}
			i += size
		}
		if i >= len(s) {
			break
		}
		if runes > 0 {
			if runes == n {
				more = true
				break
			}
			out = append(out, ' ')
			runes++
		}
		start := i
		for i < len(s) {
			// Take printable ASCII other than '"' and '\\', and single
			// spaces between such characters (which the collapsed text
			// keeps as they are), eight bytes at a time; not when the
			// text goes on with a non-ASCII character (it stops the
			// step at once: Chinese text spent a fifth of cutText's
			// instructions in such steps).
			//
			// The steps run in a loop of their own, which returns to
			// this one at the first step that stops short, rather than
			// each through this loop's tests for the other kinds of
			// characters (callgrind, the fragments of the Italian bench
			// pages: 50 to 46 million instructions).
			if i+8 <= len(s) && runes < n && s[i] < utf8.RuneSelf {
				k := 8
				for k == 8 && i+8 <= len(s) {
					if st := cutRunStops(load64(s[i:])); st != 0 {
						k = bits.TrailingZeros64(st) >> 3
					}
					k = min(k, n-runes)
					runes += k
					i += k
				}
				if k > 0 {
					continue
				}
			}
			// Four two-byte characters at a time (Arabic, Cyrillic and
			// Greek words), then one at a time (the rest of such words,
			// accented Latin letters), and Han characters one at a
			// time, without the decoding and class lookup below: see
			// twoByte4 and hanAt. (A two-byte character U+00C0-U+07FF,
			// lead byte 0xC3-0xDF, is plain, of width 1 and no space:
			// see twoByte4. Through the decoding below, the words' last
			// letters took about a fifth of cutText's instructions on
			// the Arabic bench pages: callgrind, 230 to 180 million.)
			if c := s[i]; c&0xE0 == 0xC0 {
				if i+8 <= len(s) && runes+4 <= n && twoByte4(load64(s[i:])) {
					runes += 4
					i += 8
					continue
				}
				if c >= 0xC3 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 && runes < n {
					runes++
					i += 2
					continue
				}
			}
			if hanAt(s, i) {
				if runes+2 > n {
					more = true
					break
				}
				runes += 2
				for i += 3; runes+2 <= n && hanAt(s, i); i += 3 { // the rest of a run of them, in a loop of its own
					runes += 2
				}
				continue
			}
			size, w, esc := 1, 1, false
			if c := s[i]; c < utf8.RuneSelf {
				if asciiSpace[c] {
					// A single space before a two-byte character of
					// U+00C0 or beyond (none is a space: Arabic,
					// Cyrillic and Greek words) stays as it is in the
					// collapsed text: taken here, such words are
					// appended together rather than one by one through
					// the outer loop (a fifth of cutText's instructions
					// on Arabic pages).
					if c == ' ' && i+1 < len(s) && s[i+1]-0xC3 < 0xE0-0xC3 && runes < n {
						runes++
						i++
						continue
					}
					break
				}
				esc = c < 0x20 || c == '"' || c == '\\'
			} else {
				var r rune
				if r, size = decode2(s, i); size == 0 {
					r, size = decodeRest(s, i)
				}
				if r < 0x10000 {
					k := cls[r]
					if k&clsSpace != 0 {
						break
					}
					if k&clsWide != 0 {
						w = 2
					}
					esc = size == 1 // utf8.RuneError for an invalid byte
				} else {
					if unicode.IsSpace(r) {
						break
					}
					w = runeWidth(r)
				}
			}
			if runes+w > n {
				more = true
				break
			}
			runes += w
			i += size // invalid bytes are kept as they are
			plain = plain && !esc
		}
		out = append(out, s[start:i]...)
	}
	if !more {
		return out, runes, plain
	}
	if k := bytes.LastIndexByte(out[base:], ' '); k > (len(out)-base)*3/4 {
		for _, r := range string(out[base+k:]) {
			runes -= runeWidth(r)
		}
		out = out[:base+k]
	}
	return append(out, "…"...), runes + 1, plain
}

// cutStops returns the bytes of x (eight bytes of text, first byte
// lowest) that cutText must look at one by one: white space, control
// characters, '"', '\\' and the bytes of non-ASCII characters, as a mask
// of their high bits.
func cutStops(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	a := x &^ highs
	quote := ^((a ^ '"'*ones) + 0x7F*ones)
	slash := ^((a ^ '\\'*ones) + 0x7F*ones)
	return (^(a + (0x80-0x21)*ones) | quote | slash | x) & highs // below '!', '"', '\\', or not ASCII
}

// cutRunStops is cutStops without the spaces that cutText may take as
// they are: a ' ' followed, in the same eight bytes, by a byte that is no
// stop. Words in running text are mostly that short.
//
// It is small enough to be inlined (cutText calls it for every eight
// bytes of the texts it cuts): spaces are found among the stops, as the
// stops below '!' that are no other ASCII character below '!'.
func cutRunStops(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	stops := cutStops(x)
	space := stops &^ (^((x&^highs ^ ' '*ones) + 0x7F*ones) ^ highs | x) // ' '; seven bits a byte, so that the sum never carries
	return stops &^ (space &^ (stops>>8 | 0x80<<56))                     // less spaces before a non-stop (the byte after the last unknown, so taken as one)
}

// twoByte4 reports whether x (eight bytes of text, first byte lowest)
// is four two-byte characters U+00C0-U+07FF, which are all plain, of
// width 1 and not spaces (the two-byte spaces, U+0085 and U+00A0, are
// below U+00C0; so are the overlong forms C0 and C1).
func twoByte4(x uint64) bool {
	const lanes = 0x0001000100010001
	if x&(0xC0E0*lanes) != 0x80C0*lanes { // 110xxxxx 10xxxxxx
		return false
	}
	lead := x & (0x1F * lanes)                              // the five low bits of each lead byte: below 0x20, so the sum stays in its byte
	return (lead+(0x80-3)*lanes)&(0x80*lanes) == 0x80*lanes // each at least 3: lead byte 0xC3 or more
}

// runeWidth is the width of r in fragment limits: 2 for CJK characters
// and full-width forms, 1 for the rest.
func runeWidth(r rune) int {
	if r >= 0x1100 && (isCJK(r) || r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFF60) {
		return 2
	}
	return 1
}

// jsonStops returns a mask with the high bit of every byte of x (eight
// bytes of text, first byte lowest) that appendJSONString must look at
// one by one: control characters, '"', '\\' and 0xE2 (which starts
// U+2028 and U+2029); it may mark more bytes after the first it must.
func jsonStops(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	a := x &^ highs
	ascii := ^x & highs
	ctl := ^(a + (0x80-0x20)*ones) & ascii
	quote := ^((a ^ '"'*ones) + 0x7F*ones) & ascii
	slash := ^((a ^ '\\'*ones) + 0x7F*ones) & ascii
	z := x ^ 0xE2*ones
	e2 := (z - ones) &^ z & highs // a zero byte, or a byte after one
	return ctl | quote | slash | e2
}

// asciiSpace marks the ASCII white space of unicode.IsSpace.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// appendJSONString appends s as a JSON string, as encoding/json writes it
// without HTML escaping. Plain text takes a fast path; anything that needs
// escaping goes through encoding/json itself.
func appendJSONString(b []byte, s string) []byte {
	ascii := true
	for i := 0; i < len(s); i++ {
		// Skip eight bytes at a time while none needs a look.
		for i+8 <= len(s) {
			x := load64(s[i:])
			if jsonStops(x) != 0 {
				break
			}
			ascii = ascii && x&0x8080808080808080 == 0
			i += 8
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		switch {
		case c < 0x20 || c == '"' || c == '\\':
			return append(b, jsonString(s)...)
		case c == 0xE2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9): // U+2028, U+2029
			return append(b, jsonString(s)...)
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	if !ascii && !utf8.ValidString(s) {
		return append(b, jsonString(s)...)
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
