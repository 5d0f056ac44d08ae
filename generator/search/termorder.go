package search

import (
	"cmp"
	"encoding/binary"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// Write puts every term of the dictionary (410,000 on the bench corpus,
// most of them word pairs and Han bigrams) in the client's order once,
// and every language build takes its terms in that order. The functions
// here do it without spelling the terms out: a pair term is read as its
// two words, and the sort works on the first eight bytes of each term,
// held as an integer beside its id, with a radix sort (a few passes over
// the keys, no comparisons); only terms whose first eight bytes are the
// same are then compared whole. Spelt out as a []string, the dictionary
// took 19 MB and a comparison sort of it about 60 ms of CPU on two cores.

// termParts returns the text of term id in up to three parts: a word
// term is its word, a pair its first word, " " and its second word.
// The strings point into the builder's blocks. The caller must hold b.mu.
func (b *Builder) termParts(id uint32) [3]string {
	if first, second, ok := b.pair(id); ok {
		return [3]string{b.word(first), " ", b.word(second)}
	}
	return [3]string{b.word(id)}
}

// termHead returns the first eight bytes of a term (in parts, see
// termParts) as a big-endian integer, padded with zero bytes: the order
// of heads is the byte order of the terms' beginnings.
func termHead(parts [3]string) uint64 {
	return termHeadAt(parts, 0)
}

// termHeadAt returns the eight bytes of a term (in parts, see termParts)
// from byte off on, as termHead does the first eight.
func termHeadAt(parts [3]string, off int) uint64 {
	var h [8]byte
	n := 0
	for _, p := range parts {
		if off >= len(p) {
			off -= len(p)
			continue
		}
		n += copy(h[n:], p[off:])
		off = 0
	}
	return binary.BigEndian.Uint64(h[:])
}

// sortTies orders the runs of keys whose heads are the same, terms that
// share their first off bytes, by the rest of their text: by the next
// eight bytes, read once for each term and sorted as integers, and so on
// while terms go on. Pair terms often share their first eight bytes
// ("permesso di", "permesso soggiorno"): comparing them whole, which
// reads both terms from the builder's blocks at every step of a
// comparison sort, took four times as long as the radix sort of all the
// heads. tmp is scratch as long as keys. The caller must hold b.mu.
func (b *Builder) sortTies(keys, tmp []headKey, off int) {
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j].head == keys[i].head {
			j++
		}
		if j-i > 1 {
			b.sortFrom(keys[i:j], tmp[i:j], off)
		}
		i = j
	}
}

// sortFrom sorts keys, terms that share their first off bytes, by the
// rest of their text (see sortTies).
func (b *Builder) sortFrom(keys, tmp []headKey, off int) {
	longer := false // some term goes on past the next eight bytes
	for k := range keys {
		p := b.termParts(keys[k].id)
		keys[k].head = termHeadAt(p, off)
		longer = longer || len(p[0])+len(p[1])+len(p[2]) > off+8
	}
	if !longer {
		// The terms end within these eight bytes: whole comparisons of
		// short terms (the heads alone would not tell "a" from "a\x00").
		slices.SortFunc(keys, func(x, y headKey) int {
			return compareParts(b.termParts(x.id), b.termParts(y.id))
		})
		return
	}
	if len(keys) >= 256 {
		if sorted := radixSortHeads(keys, tmp); &sorted[0] != &keys[0] {
			copy(keys, sorted)
		}
	} else {
		slices.SortFunc(keys, func(x, y headKey) int { return cmp.Compare(x.head, y.head) })
	}
	b.sortTies(keys, tmp, off+8)
}

// compareParts compares two terms given in parts (see termParts) byte by
// byte, as strings.Compare would their concatenations.
func compareParts(x, y [3]string) int {
	i, j := 0, 0
	xs, ys := x[0], y[0]
	for {
		for xs == "" && i < len(x)-1 {
			i++
			xs = x[i]
		}
		for ys == "" && j < len(y)-1 {
			j++
			ys = y[j]
		}
		if xs == "" || ys == "" {
			return min(len(xs), 1) - min(len(ys), 1) // the one that ended first is less
		}
		n := min(len(xs), len(ys))
		if c := strings.Compare(xs[:n], ys[:n]); c != 0 {
			return c
		}
		xs, ys = xs[n:], ys[n:]
	}
}

// headKey is a term's id and the first eight bytes of its text (see
// termHead), the unit that termOrder sorts.
type headKey struct {
	head uint64
	id   uint32
}

// termOrder returns the term ids in the client's order (UTF-16 code
// units), each id's rank in that order, and the length of all the terms
// together. The caller must hold b.mu.
func (b *Builder) termOrder() (order, rank []uint32, size int) {
	keys := make([]headKey, b.numTerms())
	fast := true
	for id := range keys {
		p := b.termParts(uint32(id))
		keys[id] = headKey{termHead(p), uint32(id)}
		size += len(p[0]) + len(p[1]) + len(p[2])
		fast = fast && byteOrderIsUTF16(p)
	}
	order, rank = b.sortKeys(keys, fast)
	return order, rank, size
}

// byteOrderIsUTF16 reports whether the byte order of a term (in parts,
// see termParts) agrees with UTF-16 order against any other such term:
// it does when every word is valid UTF-8 with no character from U+E000
// up (UTF-16 puts those below the characters it writes as surrogate
// pairs, from U+10000). A pair's words are words of their own, checked
// as such.
func byteOrderIsUTF16(p [3]string) bool {
	w := p[0]
	return p[1] != "" || isASCII(w) || utf8.ValidString(w) && !strings.ContainsFunc(w, func(r rune) bool { return r >= 0xE000 })
}

// sortKeys returns the ids of keys (every term's head, by id) in the
// client's order and each id's rank in that order; fast says that byte
// order is UTF-16 order for every term (see byteOrderIsUTF16). keys is
// reordered. The caller must hold b.mu.
func (b *Builder) sortKeys(keys []headKey, fast bool) (order, rank []uint32) {
	n := len(keys)
	order = make([]uint32, n)
	if fast {
		tmp := make([]headKey, n)
		if sorted := radixSortHeads(keys, tmp); n > 0 && &sorted[0] != &keys[0] {
			keys, tmp = sorted, keys
		}
		b.sortTies(keys, tmp, 8)
		for i, k := range keys {
			order[i] = k.id
		}
	} else {
		// Rare (a term with a character from U+E000 up): spell the terms
		// out and compare them in UTF-16 code units.
		terms := make([]string, n)
		for id := range terms {
			p := b.termParts(uint32(id))
			terms[id] = p[0] + p[1] + p[2]
		}
		ids := make([]uint32, n)
		for i := range ids {
			ids[i] = uint32(i)
		}
		sortHalves(ids, func(x, y uint32) int { return compareUTF16(terms[x], terms[y]) }, func(i int, id uint32) { order[i] = id })
	}
	rank = make([]uint32, n)
	for i, id := range order {
		rank[id] = uint32(i)
	}
	return order, rank
}

// radixDigit is the number of bits radixSortHeads sorts by in one pass.
const radixDigit = 11

// radixSortHeads sorts keys by head, keeping the order of equal heads,
// with a least-significant-digit radix sort: a pass for each eleven bits
// of the heads (skipping the bits in which all heads agree, such as the
// low bytes that short terms pad with zeros, and most of the top bits of
// ASCII text), each moving every key once between keys and tmp, which
// must be as long. It returns whichever of the two holds the result.
func radixSortHeads(keys, tmp []headKey) []headKey {
	const buckets = 1 << radixDigit
	var counts [(64 + radixDigit - 1) / radixDigit][buckets]int
	for _, k := range keys {
		for d := range counts {
			counts[d][k.head>>(d*radixDigit)%buckets]++
		}
	}
	for d := range counts {
		c := &counts[d]
		shift := d * radixDigit
		if len(keys) == 0 || c[keys[0].head>>shift%buckets] == len(keys) {
			continue // every key has the same digit here
		}
		pos := 0
		for i, k := range c {
			c[i] = pos
			pos += k
		}
		for _, k := range keys {
			dg := k.head >> shift % buckets
			tmp[c[dg]] = k
			c[dg]++
		}
		keys, tmp = tmp, keys
	}
	return keys
}

// termJSON returns every term as JSON in the client's order, and each
// term id's rank in that order. The caller must hold b.mu. It orders the
// words alone and puts the pairs among them where it can (see
// termJSONByWords), else it orders every term (termJSONAll), as follows.
//
// Write runs it before any language build, while the other core has
// nothing of Write's to do, so it splits its work in two: the terms are
// read from the dictionary once, in id order, on two goroutines, a half
// of the ids each (each term's head for the sort and its JSON string,
// one after another); after the sort, the JSON strings are copied in
// rank order, again a half on each goroutine. Only the sort runs on one
// core. (Spelling the terms out in rank order after the sort, on one
// goroutine, took about as much CPU, all of it on one core.)
func (b *Builder) termJSON() (*termJSON, []uint32) {
	if j, rank, ok := b.termJSONByWords(); ok {
		return j, rank
	}
	return b.termJSONAll()
}

// halfJSON returns the JSON string of term id, written by one of two
// goroutines into its own buffer: lo holds the strings of the ids below
// mid, hi the others, one after another in id order, and idEnd[id] is
// where id's string ends in its buffer.
func halfJSON(lo, hi []byte, mid int, idEnd []uint32, id uint32) []byte {
	h, start, end := halfSpan(mid, idEnd, id)
	return [2][]byte{lo, hi}[h][start:end]
}

// halfSpan returns which buffer holds the JSON string of term id (0 for
// lo, 1 for hi: see halfJSON) and where it starts and ends in it.
func halfSpan(mid int, idEnd []uint32, id uint32) (h int, start, end uint32) {
	from := 0
	if int(id) >= mid {
		h, from = 1, mid
	}
	if int(id) > from {
		start = idEnd[id-1]
	}
	return h, start, idEnd[id]
}

// termJSONAll is termJSON for any dictionary: every term, pairs spelt
// out, is read, sorted and written as JSON.
func (b *Builder) termJSONAll() (*termJSON, []uint32) {
	n := b.numTerms()
	keys := make([]headKey, n)
	idEnd := make([]uint32, n) // by id: end of its JSON string in its half's buffer
	type half struct {
		from, to int
		buf      []byte
		fast     bool
	}
	halves := [2]half{{from: 0, to: n / 2}, {from: n / 2, to: n}}
	read := func(h *half) {
		h.fast = true
		h.buf = make([]byte, 0, (h.to-h.from)*16) // about the average term's JSON, pairs included
		for id := h.from; id < h.to; id++ {
			p := b.termParts(uint32(id))
			keys[id] = headKey{termHead(p), uint32(id)}
			h.fast = h.fast && byteOrderIsUTF16(p)
			h.buf = appendJSONString(h.buf, p[0])
			if p[1] != "" {
				// A pair: its first word's JSON string, without its
				// closing quote, then " " and its second word's,
				// without its opening one.
				h.buf = append(h.buf[:len(h.buf)-1], ' ')
				k := len(h.buf)
				h.buf = appendJSONString(h.buf, p[2])
				h.buf = append(h.buf[:k], h.buf[k+1:]...)
			}
			idEnd[id] = uint32(len(h.buf))
		}
	}
	var wg sync.WaitGroup
	wg.Go(func() { read(&halves[1]) })
	read(&halves[0])
	wg.Wait()
	order, rank := b.sortKeys(keys, halves[0].fast && halves[1].fast)
	// The JSON strings in rank order: where each ends, then the strings
	// themselves, copied in place, a half of the ranks on each goroutine.
	at := func(id uint32) []byte { return halfJSON(halves[0].buf, halves[1].buf, n/2, idEnd, id) }
	j := &termJSON{end: make([]uint32, n), order: order}
	var end uint32
	for r, id := range order {
		start := uint32(0)
		if int(id) != halves[0].from && int(id) != halves[1].from {
			start = idEnd[id-1]
		}
		end += idEnd[id] - start
		j.end[r] = end
	}
	j.data = make([]byte, end)
	copyRanks := func(from, to int) {
		for r := from; r < to; r++ {
			src := at(order[r])
			copy(j.data[j.end[r]-uint32(len(src)):], src)
		}
	}
	wg.Go(func() { copyRanks(n/2, n) })
	copyRanks(0, n/2)
	wg.Wait()
	return j, rank
}

// termJSONByWords is termJSON for a dictionary whose words (filter keys
// apart) have no byte up to ' ', as tokens never do: then a pair term,
// "first second", comes after its first word and before any word or
// pair that its first word is not a prefix of, and so the client's
// order is that of the words with each word's pairs after it, ordered
// by their second word. Only the words (about a quarter of the terms
// on the bench corpus) are read and sorted by their text; the pairs
// are sorted by the ranks of their two words, as integers, and their
// JSON strings are put together from their words'. Where that does not
// hold (a word with such a byte, a pair of a filter key, or words whose
// byte order is not their UTF-16 order), ok is false and nothing is
// returned. The words and pairs are then copied in order, a half of
// the ranks on each goroutine, without looking up a pair's words again.
// BenchmarkTermJSON: 83 -> 37 ms of CPU (medians of five, interleaved).
//
// Why the order holds: compare a pair "u x" with a word w. If w is u,
// or a word before u that is no prefix of u, or after u with u no
// prefix of it, the pair goes where u goes (after u itself, which is
// its prefix). If u is a proper prefix of w, the pair has ' ' where w
// has a byte above ' ', and goes before w, as u does. Pairs "u x" and
// "v y" compare as u and v do by the same argument, and as x and y do
// when u is v. A filter key ("=name:value") may hold spaces: no token
// starts with '=', so a token is no proper prefix of a filter key but
// for the empty one, and '=' is above ' '.
func (b *Builder) termJSONByWords() (*termJSON, []uint32, bool) {
	n := b.numTerms()
	idEnd := make([]uint32, n) // by id: end of its JSON string in its half's buffer (a pair's is empty)
	type half struct {
		from, to int
		words    []headKey // the words' heads
		pairs    []headKey // the pairs: id, and their words' ids as first<<32 | second
		buf      []byte    // the words' JSON strings, in id order
		ok       bool
	}
	halves := [2]half{{from: 0, to: n / 2}, {from: n / 2, to: n}}
	// Each half's words and pairs in slices of one array each, made to
	// size after counting them (growing them took a fifth of the time).
	nw := [2]int{}
	count := func(h int) {
		for id := halves[h].from; id < halves[h].to; id++ {
			if _, _, ok := b.pair(uint32(id)); !ok {
				nw[h]++
			}
		}
	}
	var wg sync.WaitGroup
	wg.Go(func() { count(1) })
	count(0)
	wg.Wait()
	// The words, the pairs and the radix sort's scratch in one block,
	// which the costliest language build takes as its postings array
	// once the terms are in order (see termJSON.spare).
	block := make([]headKey, n+max(nw[0]+nw[1], n-nw[0]-nw[1]))
	allWords := block[: nw[0]+nw[1] : nw[0]+nw[1]]
	allPairs := block[len(allWords):n:n]
	halves[0].words, halves[1].words = allWords[:0:nw[0]], allWords[nw[0]:nw[0]]
	np0 := halves[0].to - halves[0].from - nw[0]
	halves[0].pairs, halves[1].pairs = allPairs[:0:np0], allPairs[np0:np0]
	read := func(h *half) {
		h.ok = true
		// Room for the words' JSON strings, about 8 bytes each on the
		// bench corpus (from cap: h.words is empty yet). Sized from
		// len, 0, the buffer grew by doubling from 64 bytes: twice the
		// bytes allocated and copied.
		h.buf = make([]byte, 0, cap(h.words)*10+64)
		for id := h.from; id < h.to; id++ {
			if first, second, ok := b.pair(uint32(id)); ok {
				h.pairs = append(h.pairs, headKey{uint64(first)<<32 | uint64(second), uint32(id)})
				idEnd[id] = uint32(len(h.buf))
				continue
			}
			w := b.word(uint32(id))
			p := [3]string{w}
			h.words = append(h.words, headKey{termHead(p), uint32(id)})
			h.ok = h.ok && byteOrderIsUTF16(p) && (noSpaceOrControl(w) || w[0] == '=')
			h.buf = appendJSONString(h.buf, w)
			idEnd[id] = uint32(len(h.buf))
		}
	}
	wg.Go(func() { read(&halves[1]) })
	read(&halves[0])
	wg.Wait()
	if !halves[0].ok || !halves[1].ok {
		return nil, nil, false
	}
	// The words in order, and each word's rank among them (in rank,
	// which ends up holding the terms' ranks).
	words, pairs := allWords, allPairs
	tmp := block[n:]
	if len(words) > 0 {
		if sorted := radixSortHeads(words, tmp[:len(words)]); &sorted[0] != &words[0] {
			copy(words, sorted)
		}
	}
	b.sortTies(words, tmp[:len(words)], 8)
	rank := make([]uint32, n)
	// By rank among the words: where the word's JSON string is.
	wjs := wordJSON{bufs: [2][]byte{halves[0].buf, halves[1].buf}, refs: make([]uint64, len(words))}
	for i, k := range words {
		rank[k.id] = uint32(i)
		h, start, end := halfSpan(n/2, idEnd, k.id)
		wjs.refs[i] = uint64(h)<<63 | uint64(start)<<32 | uint64(end)
	}
	// The pairs by the ranks of their words.
	for i, p := range pairs {
		pairs[i].head = uint64(rank[uint32(p.head>>32)])<<32 | uint64(rank[uint32(p.head)])
	}
	if len(pairs) > 0 {
		if sorted := radixSortHeads(pairs, tmp[:len(pairs)]); &sorted[0] != &pairs[0] {
			copy(pairs, sorted)
		}
	}
	// Each word, then its pairs: the order and the end of each JSON
	// string; and the word at which the second half of the ranks starts.
	// idEnd is not read again: order takes its memory (1.6 MB a Write
	// on the bench corpus).
	order := idEnd[:0]
	j := &termJSON{end: make([]uint32, n)}
	var end uint32
	k := 0
	mid := [2]int{len(words), len(pairs)} // the first word and pair of the second half
	for wr, w := range words {
		if len(order) >= n/2 && mid[0] == len(words) {
			mid = [2]int{wr, k}
		}
		order = append(order, w.id)
		wj := wjs.at(uint32(wr))
		end += uint32(len(wj))
		j.end[len(order)-1] = end
		if k < len(pairs) && uint32(pairs[k].head>>32) == uint32(wr) && wj[1] == '=' {
			return nil, nil, false // a pair of a filter key
		}
		for ; k < len(pairs) && uint32(pairs[k].head>>32) == uint32(wr); k++ {
			order = append(order, pairs[k].id)
			end += uint32(len(wj) + len(wjs.at(uint32(pairs[k].head))) - 1) // without two quotes, with a space
			j.end[len(order)-1] = end
		}
	}
	if len(order) != n {
		return nil, nil, false // cannot happen: every pair's words are words
	}
	for r, id := range order {
		rank[id] = uint32(r)
	}
	j.order = order
	j.data = make([]byte, end)
	// The JSON strings, from the words and pairs in order, the ranks
	// from word w and pair k on, up to word wTo, on each goroutine.
	copyFrom := func(w, k, wTo int) {
		pos := 0
		if w > 0 || k > 0 {
			pos = int(j.end[w+k-1])
		}
		for ; w < wTo; w++ {
			wj := wjs.at(uint32(w))
			pos += copy(j.data[pos:], wj)
			for ; k < len(pairs) && uint32(pairs[k].head>>32) == uint32(w); k++ {
				// A pair: its first word's JSON string without its
				// closing quote, a space, its second word's without
				// its opening one.
				pos += copy(j.data[pos:], wj[:len(wj)-1])
				j.data[pos] = ' '
				pos += 1 + copy(j.data[pos+1:], wjs.at(uint32(pairs[k].head))[1:])
			}
		}
	}
	wg.Go(func() { copyFrom(mid[0], mid[1], len(words)) })
	copyFrom(0, 0, mid[0])
	wg.Wait()
	// Headkeys hold no pointers: their memory may be seen as uint32s.
	j.spare = unsafe.Slice((*uint32)(unsafe.Pointer(unsafe.SliceData(block))), len(block)*int(unsafe.Sizeof(headKey{})/4))
	return j, rank, true
}

// wordJSON finds the words' JSON strings, which termJSONByWords's
// goroutines wrote into a buffer each, by the words' ranks: refs[r] is
// half<<63 | start<<32 | end of the string of the word of rank r (a
// third of the memory of a [][]byte, 4.6 MB a Write on the bench
// corpus).
type wordJSON struct {
	bufs [2][]byte
	refs []uint64
}

// at returns the JSON string of the word of rank r.
func (w *wordJSON) at(r uint32) []byte {
	e := w.refs[r]
	return w.bufs[e>>63][uint32(e>>32)&(1<<31-1) : uint32(e)]
}

// noSpaceOrControl reports whether every byte of w is above ' '.
func noSpaceOrControl(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] <= ' ' {
			return false
		}
	}
	return true
}
