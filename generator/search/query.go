package search

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Query limits shared with the client.
const (
	maxRangeTerms  = 64 // terms a typed prefix expands to
	maxRangeChunks = 3  // chunks a typed prefix may fetch
	maxPairTerms   = 4  // candidates per word tried for phrase pairs
	stemSuffix     = 5  // a stem is at most this many characters shorter than its word ...
	minStem        = 5  // ... and at least this long
	phraseBonus    = 32 // score of a phrase pair per unit of pair weight
)

// Index reads an index written by Builder.Write and answers queries the
// way the browser client does. It exists so that tests can check recall,
// ranking and the bytes a query fetches on a real index; it is not safe
// for concurrent use.
type Index struct {
	fsys    fs.FS
	dir     string
	m       Manifest
	stop    map[string]bool
	chunks  map[int]*chunkFile
	post    map[string][]posting
	idf     map[string]float64
	frags   map[int]*Fragment
	titles  []pageTitle // the titles table, once read
	fetched []Fetch
	delta   *delta // changes written by Live, or nil
}

// delta is a Live delta file, decoded.
type delta struct {
	dead  map[uint32]bool
	terms []string // UTF-16 order
	post  map[string]deltaTerm
	frags map[int]*Fragment
}

type deltaTerm struct {
	gone bool // no page has the term any more
	idf  float64
	ps   []posting
}

// deltaFile is the JSON of a delta file (see Live).
type deltaFile struct {
	Dead     []uint32    `json:"x"`
	Docs     []int       `json:"d"`
	Frags    []*Fragment `json:"f"`
	Terms    []string    `json:"t"`
	Postings []string    `json:"p"`
}

// pageTitle is one page of the titles table.
type pageTitle struct{ url, title string }

// Fetch records one file the query side read, as the browser would
// download it.
type Fetch struct {
	Path  string
	Bytes int
}

// Fragment is a result fragment file.
type Fragment struct {
	URL      string      `json:"u"`
	Kind     string      `json:"k"`
	Title    string      `json:"t"`
	Summary  string      `json:"s"`
	Sections [][3]string `json:"h"` // anchor, heading, text
}

// Hit is one search result.
type Hit struct {
	Doc     int     // document number in the index
	URL     string  // page URL, with #anchor of the best section
	Title   string  // page title
	Heading string  // heading of the best section, "" for the page top
	Section int     // best section index
	Score   float64 // ranking score
	Matched int     // number of query words the page matched
}

// Open reads the manifest of lang's index from fsys (the site's output
// directory, holding search/<lang>/).
func Open(fsys fs.FS, lang string) (*Index, error) {
	ix := &Index{fsys: fsys, dir: path.Join("search", lang), chunks: map[int]*chunkFile{},
		post: map[string][]posting{}, idf: map[string]float64{}, frags: map[int]*Fragment{}}
	if err := ix.readJSON("manifest.json", &ix.m); err != nil {
		return nil, err
	}
	if ix.m.Version != FormatVersion {
		return nil, fmt.Errorf("search: %s/manifest.json: format version %d, want %d; rebuild the site", ix.dir, ix.m.Version, FormatVersion)
	}
	if len(ix.m.ChunkFirst) != len(ix.m.ChunkHash) {
		return nil, fmt.Errorf("search: %s/manifest.json: %d chunk names for %d chunks", ix.dir, len(ix.m.ChunkHash), len(ix.m.ChunkFirst))
	}
	if ix.m.Titles == "" && len(ix.m.FragHashes) > 0 {
		return nil, fmt.Errorf("search: %s/manifest.json: no titles table (\"tt\"); rebuild the site", ix.dir)
	}
	ix.stop = map[string]bool{}
	for _, w := range ix.m.Stop {
		ix.stop[w] = true
	}
	if ix.m.Delta != "" {
		if err := ix.readDelta(); err != nil {
			return nil, err
		}
	}
	return ix, nil
}

// readDelta reads the changes a preview session made to the index. Terms
// with postings in the delta are known at once; the rest of each term's
// postings joins them when its chunk loads.
func (ix *Index) readDelta() error {
	var f deltaFile
	name := "../d/" + ix.m.Delta + ".json"
	if err := ix.readJSON(name, &f); err != nil {
		return err
	}
	if len(f.Terms) != len(f.Postings) || len(f.Docs) != len(f.Frags) {
		return fmt.Errorf("search: %s/%s: %d terms, %d postings, %d pages, %d fragments", ix.dir, name, len(f.Terms), len(f.Postings), len(f.Docs), len(f.Frags))
	}
	d := &delta{dead: map[uint32]bool{}, terms: f.Terms, post: map[string]deltaTerm{}, frags: map[int]*Fragment{}}
	for _, x := range f.Dead {
		d.dead[x] = true
	}
	for i, doc := range f.Docs {
		fr := f.Frags[i]
		if fr == nil {
			return fmt.Errorf("search: %s/%s: page %d has no fragment", ix.dir, name, doc)
		}
		if rel, ok := strings.CutPrefix(fr.URL, "./"); ok {
			fr.URL = "/" + ix.m.Lang + "/" + rel
		}
		d.frags[doc] = fr
	}
	for i, t := range f.Terms {
		if f.Postings[i] == "" {
			d.post[t] = deltaTerm{gone: true}
			continue
		}
		idf, ps, err := decodePostings(f.Postings[i])
		if err != nil {
			return fmt.Errorf("search: %s/%s: term %q: %w", ix.dir, name, t, err)
		}
		d.post[t] = deltaTerm{idf: idf, ps: ps}
		if len(ps) > 0 {
			ix.post[t], ix.idf[t] = ps, idf
		}
	}
	ix.delta = d
	return nil
}

// decodePostings decodes a postings string: the idf, then the pages.
func decodePostings(s string) (float64, []posting, error) {
	v, err := decodeVarints(s)
	if err != nil || len(v)%3 != 1 {
		return 0, nil, fmt.Errorf("bad postings")
	}
	ps := make([]posting, 0, len(v)/3)
	var doc uint32
	for j := 1; j < len(v); j += 3 {
		doc += v[j]
		ps = append(ps, posting{doc: doc, tf: uint8(v[j+1]), sec: uint16(v[j+2])})
	}
	return float64(v[0]) / 8, ps, nil
}

// Manifest returns the index's manifest.
func (ix *Index) Manifest() Manifest { return ix.m }

// Fetched lists the files read so far, in order.
func (ix *Index) Fetched() []Fetch { return slices.Clone(ix.fetched) }

func (ix *Index) readJSON(name string, v any) error {
	p := path.Join(ix.dir, name)
	data, err := fs.ReadFile(ix.fsys, p)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	ix.fetched = append(ix.fetched, Fetch{Path: p, Bytes: len(data)})
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("search: %s: %w", p, err)
	}
	return nil
}

// chunkOf returns the chunk that holds term t if it exists.
func (ix *Index) chunkOf(t string) int {
	ck := ix.m.ChunkFirst
	i := sort.Search(len(ck), func(i int) bool { return compareUTF16(ck[i], t) > 0 })
	return max(0, i-1)
}

func (ix *Index) loadChunk(i int) error {
	if _, ok := ix.chunks[i]; ok || i >= len(ix.m.ChunkHash) {
		return nil
	}
	var c chunkFile
	if err := ix.readJSON("../t/"+ix.m.ChunkHash[i]+".json", &c); err != nil {
		return err
	}
	if len(c.Terms) != len(c.Postings) {
		return fmt.Errorf("search: chunk %s: %d terms, %d postings", ix.m.ChunkHash[i], len(c.Terms), len(c.Postings))
	}
	ix.chunks[i] = &c
	for k, t := range c.Terms {
		idf, ps, err := decodePostings(c.Postings[k])
		if err != nil {
			return fmt.Errorf("search: chunk %s: term %q: %w", ix.m.ChunkHash[i], t, err)
		}
		if d := ix.delta; d != nil {
			// Drop the pages the delta replaced or removed, add its own.
			ps = slices.DeleteFunc(ps, func(p posting) bool { return d.dead[p.doc] })
			if dt, ok := d.post[t]; ok {
				if dt.gone {
					continue
				}
				ps, idf = append(ps, dt.ps...), dt.idf
			}
			if len(ps) == 0 {
				continue
			}
		}
		ix.post[t] = ps
		ix.idf[t] = idf
	}
	return nil
}

// scanRange calls fn, in client order, for the known terms that begin
// with b in the chunks a range expansion reads (at most maxRangeChunks
// from b's), until fn returns false.
func (ix *Index) scanRange(b string, fn func(t string) bool) {
	lo, hi := ix.chunkOf(b), ix.chunkOf(b+"\uffff")
	hi = min(hi, lo+maxRangeChunks-1)
	var terms []string
	for c := lo; c <= hi; c++ {
		ch := ix.chunks[c]
		if ch == nil {
			continue
		}
		i := sort.Search(len(ch.Terms), func(i int) bool { return compareUTF16(ch.Terms[i], b) >= 0 })
		for ; i < len(ch.Terms) && strings.HasPrefix(ch.Terms[i], b); i++ {
			terms = append(terms, ch.Terms[i])
		}
	}
	if d := ix.delta; d != nil {
		i := sort.Search(len(d.terms), func(i int) bool { return compareUTF16(d.terms[i], b) >= 0 })
		for ; i < len(d.terms) && strings.HasPrefix(d.terms[i], b); i++ {
			if c := ix.chunkOf(d.terms[i]); c >= lo && c <= hi {
				terms = append(terms, d.terms[i])
			}
		}
		slices.SortFunc(terms, compareUTF16)
		terms = slices.Compact(terms)
	}
	for _, t := range terms {
		if ix.has(t) && !fn(t) {
			return
		}
	}
}

// has reports whether term t is in a loaded chunk.
func (ix *Index) has(t string) bool {
	_, ok := ix.post[t]
	return ok
}

// cand is one dictionary term a query word matches, with its weight.
type cand struct {
	term string
	w    float64
}

// qword is one query word after folding.
type qword struct {
	tok    string
	cjk    bool
	prefix bool // expanded as a typed prefix
	cands  []cand
}

// parseQuery tokenises q and drops stop words, as the client does.
func (ix *Index) parseQuery(q string) []qword {
	typing := q != "" && !unicode.IsSpace(lastRune(q))
	var raw []qword
	forEachToken(q, func(tok, _ string, cjk bool) { raw = append(raw, qword{tok: tok, cjk: cjk}) })
	var out []qword
	seen := map[string]bool{}
	for i, w := range raw {
		last := i == len(raw)-1
		if ix.stop[w.tok] && !(last && typing) {
			continue
		}
		w.prefix = last && typing
		if seen[w.tok] {
			continue
		}
		seen[w.tok] = true
		out = append(out, w)
	}
	return out
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// variants returns w as typed and with a clitic cut.
func (ix *Index) variants(w string) []string {
	if s := stripPrefix(w, ix.m.Prefixes); s != w {
		return []string{w, s}
	}
	return []string{w}
}

// trimmed returns the stem-like base used to find inflected forms of v in
// an unstemmed index, or "".
func (ix *Index) trimmed(v string, w qword) string {
	n := runeLen(v)
	if ix.m.Trim <= 0 || w.cjk || n-ix.m.Trim < 4 {
		return ""
	}
	return truncRunes(v, n-ix.m.Trim)
}

// prefixesOf returns the prefixes of v from minLen runes up to v itself.
func prefixesOf(v string) []string {
	n := runeLen(v)
	minLen := min(3, n)
	var out []string
	k := 0
	for i := range v {
		if k >= minLen {
			out = append(out, v[:i])
		}
		k++
	}
	return append(out, v)
}

// needChunks lists the chunks a query word needs.
func (ix *Index) needChunks(w qword, add func(int)) {
	for _, v := range ix.variants(w.tok) {
		for _, p := range prefixesOf(v) {
			add(ix.chunkOf(p))
		}
		if b := ix.trimmed(v, w); b != "" {
			lo, hi := ix.chunkOf(b), ix.chunkOf(b+"\uffff")
			for c := lo; c <= min(hi, lo+maxRangeChunks-1); c++ {
				add(c)
			}
		}
		if w.prefix {
			lo, hi := ix.chunkOf(v), ix.chunkOf(v+"\uffff")
			for c := lo; c <= min(hi, lo+maxRangeChunks-1); c++ {
				add(c)
			}
		}
	}
}

// match fills w.cands from the loaded chunks.
func (ix *Index) match(w *qword) {
	best := map[string]float64{}
	put := func(t string, x float64) {
		if x > best[t] {
			best[t] = x
		}
	}
	for _, v := range ix.variants(w.tok) {
		ps := prefixesOf(v)
		longest := 0
		for _, p := range ps {
			if ix.has(p) {
				longest = max(longest, runeLen(p))
			}
		}
		// The longest prefixes in the index match fully. Shorter ones
		// down to a stem's length match too, weaker the shorter they are:
		// a page may hold the word's stem ("reagrup") while another,
		// analysed in another language, holds the whole word.
		n := runeLen(v)
		floor := min(longest-1, max(n-stemSuffix, minStem))
		for _, p := range ps {
			if !ix.has(p) {
				continue
			}
			if k := runeLen(p); k >= longest-1 {
				put(p, 1)
			} else if k >= floor {
				put(p, float64(k)/float64(n))
			}
		}
		if b := ix.trimmed(v, *w); b != "" {
			// Inflected forms in an unstemmed language: words that share
			// all but the last Trim characters and are about as long.
			maxLen := runeLen(v) + 1
			ix.scanRange(b, func(t string) bool {
				if runeLen(t) <= maxLen && !strings.Contains(t, " ") {
					put(t, 0.9)
				}
				return true
			})
		}
		if w.prefix && (runeLen(v) >= 2 || w.cjk) {
			n := 0
			ix.scanRange(v, func(t string) bool {
				if n >= maxRangeTerms {
					return false
				}
				if t == v || strings.Contains(t, " ") {
					return true
				}
				put(t, 0.5+0.5*float64(runeLen(v))/float64(runeLen(t)))
				n++
				return true
			})
		}
	}
	if w.prefix {
		// A word being typed could still become any of its candidates:
		// they count as rare as the most common of them, so that a rare
		// one ("citi" of one page's "city", for "citiz") does not
		// outrank the common word the reader is typing.
		lo := math.Inf(1)
		for t := range best {
			lo = min(lo, ix.idf[t])
		}
		for t, x := range best {
			best[t] = float64(x * float64(lo/ix.idf[t]))
		}
	}
	w.cands = w.cands[:0]
	for t, x := range best {
		w.cands = append(w.cands, cand{t, x})
	}
	// Highest weight first, then client (UTF-16) order: the order the
	// client iterates in, so that sums are added in the same order.
	slices.SortFunc(w.cands, func(a, b cand) int {
		if a.w != b.w {
			if a.w > b.w {
				return -1
			}
			return 1
		}
		return compareUTF16(a.term, b.term)
	})
}

// scored is a document being ranked.
type scored struct {
	doc     uint32
	score   float64
	matched int
	votes   map[uint16]float64
}

// Search ranks the pages matching q and the filters (name -> value; empty
// values are ignored). It returns at most limit hits with their fragments
// loaded (limit <= 0: all, without titles) and the total number of
// matching pages.
func (ix *Index) Search(q string, filters map[string]string, limit int) ([]Hit, int, error) {
	words := ix.parseQuery(q)
	var fkeys []string
	for _, name := range sortedKeys(filters) {
		if v := filters[name]; v != "" {
			fkeys = append(fkeys, filterKey(name, v))
		}
	}
	if len(words) == 0 && len(fkeys) == 0 {
		return nil, 0, nil
	}

	// Fetch the chunks the words and filters need.
	need := map[int]bool{}
	add := func(c int) { need[c] = true }
	for _, w := range words {
		ix.needChunks(w, add)
	}
	for _, k := range fkeys {
		add(ix.chunkOf(k))
	}
	if err := ix.loadChunks(need); err != nil {
		return nil, 0, err
	}
	for i := range words {
		ix.match(&words[i])
	}

	// Filters: the pages every filter value lists.
	var allow map[uint32]bool
	for _, k := range fkeys {
		set := map[uint32]bool{}
		for _, p := range ix.post[k] {
			if allow == nil || allow[p.doc] {
				set[p.doc] = true
			}
		}
		allow = set
	}

	docs := map[uint32]*scored{}
	get := func(d uint32) *scored {
		s := docs[d]
		if s == nil {
			s = &scored{doc: d, votes: map[uint16]float64{}}
			docs[d] = s
		}
		return s
	}
	for _, w := range words {
		type bestOf struct {
			x   float64
			sec uint16
		}
		best := map[uint32]bestOf{}
		for _, c := range w.cands {
			idf := ix.idf[c.term]
			for _, p := range ix.post[c.term] {
				if allow != nil && !allow[p.doc] {
					continue
				}
				x := float64(float64(c.w*idf) * float64(p.tf))
				if b, ok := best[p.doc]; !ok || x > b.x {
					best[p.doc] = bestOf{x, p.sec}
				}
			}
		}
		for d, b := range best {
			s := get(d)
			s.score += b.x
			s.matched++
			s.votes[b.sec] += b.x
		}
	}
	if len(words) == 0 {
		for d := range allow {
			get(d)
		}
	}

	// Phrase pairs.
	if err := ix.phrases(words, docs); err != nil {
		return nil, 0, err
	}

	ranked := make([]*scored, 0, len(docs))
	for _, s := range docs {
		ranked = append(ranked, s)
	}
	slices.SortFunc(ranked, func(a, b *scored) int {
		switch {
		case a.matched != b.matched:
			return b.matched - a.matched
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return int(a.doc) - int(b.doc)
	})
	total := len(ranked)
	if limit > 0 && len(ranked) > limit {
		ranked = ranked[:limit]
	}
	hits := make([]Hit, 0, len(ranked))
	for _, s := range ranked {
		h := Hit{Doc: int(s.doc), Score: s.score, Matched: s.matched, Section: bestSection(s.votes)}
		if limit > 0 {
			// As the client: the title and URL from the titles table
			// first, then the section from the page's fragment.
			var err error
			if h.URL, h.Title, err = ix.Title(int(s.doc)); err != nil {
				return nil, 0, err
			}
			f, err := ix.Fragment(int(s.doc))
			if err != nil {
				return nil, 0, err
			}
			if h.Section > 0 && h.Section < len(f.Sections) && f.Sections[h.Section][0] != "" {
				h.URL += "#" + f.Sections[h.Section][0]
				h.Heading = f.Sections[h.Section][1]
			}
		}
		hits = append(hits, h)
	}
	return hits, total, nil
}

// bestSection picks the section with the most votes, the first on ties.
func bestSection(votes map[uint16]float64) int {
	best, bx := 0, 0.0
	for s, x := range votes {
		if x > bx || x == bx && int(s) < best {
			best, bx = int(s), x
		}
	}
	return best
}

// phrases adds the bonus for adjacent query words that appear as a pair
// in a page's title, headings or summary: for each pair of words, the best
// matching pair term of the page counts once.
func (ix *Index) phrases(words []qword, docs map[uint32]*scored) error {
	type pairKey struct {
		key string
		w   float64
	}
	var groups [][]pairKey
	need := map[int]bool{}
	for i := 0; i+1 < len(words); i++ {
		a, b := words[i], words[i+1]
		if a.cjk || b.cjk {
			continue
		}
		var g []pairKey
		for _, ca := range a.cands[:min(len(a.cands), maxPairTerms)] {
			for _, cb := range b.cands[:min(len(b.cands), maxPairTerms)] {
				k := ca.term + " " + cb.term
				g = append(g, pairKey{k, min(ca.w, cb.w)})
				need[ix.chunkOf(k)] = true
			}
		}
		groups = append(groups, g)
	}
	if err := ix.loadChunks(need); err != nil {
		return err
	}
	for _, g := range groups {
		bonus := map[uint32]float64{}
		for _, pk := range g {
			for _, p := range ix.post[pk.key] {
				if docs[p.doc] == nil {
					continue
				}
				x := float64(float64(phraseBonus*pk.w) * float64(p.tf))
				if x > bonus[p.doc] {
					bonus[p.doc] = x
				}
			}
		}
		for d, x := range bonus {
			docs[d].score += x
		}
	}
	return nil
}

func (ix *Index) loadChunks(need map[int]bool) error {
	ids := make([]int, 0, len(need))
	for c := range need {
		ids = append(ids, c)
	}
	slices.Sort(ids)
	for _, c := range ids {
		if err := ix.loadChunk(c); err != nil {
			return err
		}
	}
	return nil
}

// Title returns the URL and title of document d, from the titles table
// (read at the first call) or, for a page a preview session added or
// changed, from the delta.
func (ix *Index) Title(d int) (url, title string, err error) {
	if ix.delta != nil {
		if f := ix.delta.frags[d]; f != nil {
			return f.URL, f.Title, nil
		}
	}
	if ix.titles == nil {
		if err := ix.readTitles(); err != nil {
			return "", "", err
		}
	}
	if d < 0 || d >= len(ix.titles) {
		return "", "", fmt.Errorf("search: document %d not in the %s titles table", d, ix.m.Lang)
	}
	t := ix.titles[d]
	return t.url, t.title, nil
}

// readTitles reads and decodes the titles table (see titleTable).
func (ix *Index) readTitles() error {
	var tt struct {
		URLs   []string `json:"u"`
		Titles []string `json:"t"`
	}
	name := "../f/t." + ix.m.Titles + ".json"
	if err := ix.readJSON(name, &tt); err != nil {
		return err
	}
	if len(tt.URLs) != len(tt.Titles) {
		return fmt.Errorf("search: %s/%s: %d URLs for %d titles", ix.dir, name, len(tt.URLs), len(tt.Titles))
	}
	titles := make([]pageTitle, len(tt.URLs))
	prev := ""
	for i, u := range tt.URLs {
		k := -1
		if u != "" {
			k = int(alphaIndex[u[0]])
		}
		// k UTF-16 units of the previous URL, then the rest.
		cut := 0
		for units := 0; units < k && cut < len(prev); {
			r, n := utf8.DecodeRuneInString(prev[cut:])
			cut += n
			units += utf16Len(r)
		}
		if k < 0 || cut == len(prev) && utf16Units(prev) < k {
			return fmt.Errorf("search: %s/%s: URL %d (%q) does not start with a shared length up to that of the URL before it", ix.dir, name, i, u)
		}
		url := prev[:cut] + u[1:]
		prev = url
		if rel, ok := strings.CutPrefix(url, "./"); ok {
			url = "/" + ix.m.Lang + "/" + rel
		}
		titles[i] = pageTitle{url, tt.Titles[i]}
	}
	ix.titles = titles
	return nil
}

func utf16Units(s string) int {
	n := 0
	for _, r := range s {
		n += utf16Len(r)
	}
	return n
}

// Fragment loads the result fragment of document d.
func (ix *Index) Fragment(d int) (*Fragment, error) {
	if f := ix.frags[d]; f != nil {
		return f, nil
	}
	if ix.delta != nil {
		if f := ix.delta.frags[d]; f != nil {
			c := *f
			ix.frags[d] = &c
			return &c, nil
		}
	}
	g := d / max(1, ix.m.FragGroup)
	if d < 0 || d >= ix.m.Docs || g >= len(ix.m.FragHashes) {
		return nil, fmt.Errorf("search: document %d not in the %s index", d, ix.m.Lang)
	}
	if g >= len(ix.m.FragFile) || ix.m.FragFile[g] < 1 {
		return nil, fmt.Errorf("search: %s/manifest.json: no pages per file for fragment group %d", ix.dir, g)
	}
	per := ix.m.FragFile[g]
	first := d - d%per
	var fs []*Fragment
	if err := ix.readJSON("../f/"+strconv.Itoa(first)+"."+ix.m.FragHashes[g]+".json", &fs); err != nil {
		return nil, err
	}
	// A delta may have added pages after the last file's: it can hold
	// fewer than Docs-first.
	if len(fs) > per || d-first >= len(fs) || slices.Contains(fs, nil) {
		return nil, fmt.Errorf("search: fragment file %d.%s holds %d fragments, want %d up to page %d", first, ix.m.FragHashes[g], len(fs), per, d)
	}
	for i, f := range fs {
		if rel, ok := strings.CutPrefix(f.URL, "./"); ok {
			f.URL = "/" + ix.m.Lang + "/" + rel
		}
		ix.frags[first+i] = f
	}
	f := *fs[d-first]
	ix.frags[d] = &f
	return &f, nil
}
