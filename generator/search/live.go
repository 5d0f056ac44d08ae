package search

import (
	"cmp"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Live keeps an index written by Write up to date with page edits, for
// preview sessions: instead of rebuilding every language's index (seconds
// on a large site), Replace writes for each language a small delta file,
// d/<hash>.json, and points the language's manifest at it ("dx"). The
// query side (the client and Index) merges the delta into what it reads:
//
//	{"x": [base pages that are gone or replaced],
//	 "d": [page numbers of the delta's pages], "f": [their fragments],
//	 "t": [terms in UTF-16 order], "p": [postings strings]}
//
// The delta lists every term of the pages it removes or adds. A term's
// postings string holds its new idf (from its new page count) and the
// postings of the delta's pages; "" means no page has the term any more.
// A replaced page keeps its number; a new page gets a number after the
// base's. The query side drops the postings of pages in "x" from the
// base chunks, adds the delta's, and takes the delta's idf. Scores use
// the base's page count and average length, so ranking after edits can
// differ slightly from a full rebuild's; the next full build (or a new
// session) writes a fresh index.
//
// Get a Live from a Builder on which KeepForUpdates was called before
// Write. Its methods are safe for concurrent use.
type Live struct {
	b    *Builder
	root string // <dir>/search

	mu      sync.Mutex
	langs   map[string]*liveLang
	refs    map[string]int     // delta file name -> languages whose manifest names it
	baseAlt map[string]altRec  // the source-language titles the base was written with
	avgs    map[string]float64 // the base's average text length per text language (BM25)
}

// liveStats is what a language build leaves for Live.
type liveStats struct {
	df []uint32 // pages per term id
}

// liveLang is one language's base index and its changes.
type liveLang struct {
	lang  string
	m     Manifest       // as written by Write
	docs  []*docRec      // base pages by number
	byURL map[string]int // URL -> base page number
	byKey map[string][]int
	st    *liveStats

	touched map[string]bool      // keys replaced since Write
	edits   map[string][]*docRec // key -> its pages now
	delta   string               // current delta file name, "" for none
}

// KeepForUpdates makes Write keep what Live needs (the page records and
// per-language term counts, a few MB on a 10k-page site). Call it before
// Write.
func (b *Builder) KeepForUpdates() {
	b.mu.Lock()
	b.keep = true
	b.mu.Unlock()
}

// Live returns the updater of the index the last Write wrote, or nil if
// KeepForUpdates was not called before it.
func (b *Builder) Live() *Live {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.live
}

// SetDir tells l that the site Write wrote has moved to dir (the index
// is under dir/search), for builds that write into a temporary folder and
// rename it into place.
func (l *Live) SetDir(dir string) {
	l.mu.Lock()
	l.root = filepath.Join(dir, "search")
	l.mu.Unlock()
}

func (l *Live) addLang(lang string, m Manifest, docs []*docRec, st *liveStats) {
	docs = slices.Clone(docs)
	slices.SortFunc(docs, func(x, y *docRec) int { return strings.Compare(x.url, y.url) })
	ll := &liveLang{lang: lang, m: m, docs: docs, byURL: map[string]int{}, byKey: map[string][]int{},
		st: st, touched: map[string]bool{}, edits: map[string][]*docRec{}}
	for i, d := range docs {
		ll.byURL[d.url] = i
		if d.key != "" {
			ll.byKey[d.key] = append(ll.byKey[d.key], i)
		}
	}
	l.langs[lang] = ll
}

// Replace makes the index show docs instead of the pages whose Doc.Key is
// key (in every language; no docs removes them), and writes the changed
// delta files and manifests. Every doc must have Key set to key.
func (l *Live) Replace(key string, docs []Doc) error {
	if key == "" {
		return fmt.Errorf("search: Live.Replace: empty key; pass the Doc.Key of the pages to replace")
	}
	for _, d := range docs {
		if d.Key != key {
			return fmt.Errorf("search: %s: Doc.Key is %q, want %q (the key being replaced)", d.URL, d.Key, key)
		}
		// Every problem is found before anything changes.
		if err := checkDoc(&d, l.b.langs); err != nil {
			return err
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.b
	// The source-language page sets the title that every language's page
	// of the key also indexes: add it first.
	docs = slices.Clone(docs)
	isSource := func(d Doc) bool {
		return baseLang(d.Lang) == SourceLang && baseLang(cmp.Or(d.TextLang, d.Lang)) == SourceLang
	}
	slices.SortStableFunc(docs, func(x, y Doc) int {
		if isSource(x) != isSource(y) {
			if isSource(x) {
				return -1
			}
			return 1
		}
		return 0
	})
	b.mu.Lock()
	delete(b.altTitle, key)
	b.mu.Unlock()
	byLang := map[string][]*docRec{}
	for _, d := range docs {
		rec, err := b.add(d)
		if err != nil {
			return err
		}
		byLang[rec.lang] = append(byLang[rec.lang], rec)
	}
	if err := b.frags.flush(); err != nil {
		return err
	}
	for _, lang := range b.langs {
		ll := l.langs[lang]
		if ll == nil {
			continue
		}
		recs := byLang[lang]
		if len(recs) == 0 && len(ll.byKey[key]) == 0 && len(ll.edits[key]) == 0 {
			continue
		}
		slices.SortFunc(recs, func(x, y *docRec) int { return strings.Compare(x.url, y.url) })
		ll.touched[key] = true
		if len(recs) == 0 {
			delete(ll.edits, key)
		} else {
			ll.edits[key] = recs
		}
		if err := l.writeLang(ll); err != nil {
			return err
		}
	}
	return nil
}

// writeLang writes ll's delta file and its manifest.
func (l *Live) writeLang(ll *liveLang) error {
	b := l.b
	n := len(ll.docs)
	var dead []int
	for key := range ll.touched {
		dead = append(dead, ll.byKey[key]...)
	}
	slices.Sort(dead)
	isDead := map[int]bool{}
	for _, i := range dead {
		isDead[i] = true
	}

	// Number the delta's pages: a replaced page keeps its number.
	var recs []*docRec
	for _, rs := range ll.edits {
		recs = append(recs, rs...)
	}
	slices.SortFunc(recs, func(x, y *docRec) int { return strings.Compare(x.url, y.url) })
	nums := make([]int, len(recs))
	added := 0
	for i, d := range recs {
		if i > 0 && recs[i-1].url == d.url {
			return fmt.Errorf("search: %s: added twice to the %s index; add each page once per language", d.url, ll.lang)
		}
		if j, ok := ll.byURL[d.url]; ok {
			if !isDead[j] {
				return fmt.Errorf("search: %s: the page is in the index under key %q; replace that key instead", d.url, ll.docs[j].key)
			}
			nums[i] = j
		} else {
			nums[i] = n + added
			added++
		}
	}
	order := make([]int, len(recs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int { return nums[x] - nums[y] })

	// Terms: page count changes and the delta pages' postings.
	b.mu.Lock()
	nterms := b.numTerms()
	b.mu.Unlock()
	lw := &langWriter{b: b, lang: ll.lang, nterms: nterms}
	change := map[uint32]int{}
	post := map[uint32][]posting{}
	lw.alts = l.baseAlt // the base pages' terms, as Write saw them
	for _, i := range dead {
		if err := lw.postings(ll.docs[i], l.avgs, false, func(id uint32, _ uint8, _ uint16) { change[id]-- }); err != nil {
			return err
		}
	}
	lw.alts = nil
	for _, k := range order {
		doc := uint32(nums[k])
		err := lw.postings(recs[k], l.avgs, true, func(id uint32, tf uint8, sec uint16) {
			change[id]++
			post[id] = append(post[id], posting{doc: doc, tf: tf, sec: sec})
		})
		if err != nil {
			return err
		}
	}
	type entry struct {
		term string
		id   uint32
	}
	entries := make([]entry, 0, len(change))
	for id := range change {
		entries = append(entries, entry{b.termString(id), id})
	}
	slices.SortFunc(entries, func(x, y entry) int { return compareUTF16(x.term, y.term) })

	data := []byte(`{"x":[`)
	for i, d := range dead {
		if i > 0 {
			data = append(data, ',')
		}
		data = strconv.AppendInt(data, int64(d), 10)
	}
	data = append(data, `],"d":[`...)
	for i, k := range order {
		if i > 0 {
			data = append(data, ',')
		}
		data = strconv.AppendInt(data, int64(nums[k]), 10)
	}
	data = append(data, `],"f":[`...)
	prefix := "/" + ll.lang + "/"
	for i, k := range order {
		if i > 0 {
			data = append(data, ',')
		}
		var err error
		if data, err = b.appendFragment(data, recs[k], prefix); err != nil {
			return err
		}
	}
	data = append(data, `],"t":[`...)
	for i, e := range entries {
		if i > 0 {
			data = append(data, ',')
		}
		data = appendJSONString(data, e.term)
	}
	data = append(data, `],"p":[`...)
	var enc []byte
	for i, e := range entries {
		if i > 0 {
			data = append(data, ',')
		}
		enc = enc[:0]
		df := change[e.id]
		if int(e.id) < len(ll.st.df) {
			df += int(ll.st.df[e.id])
		}
		if df > 0 {
			if e.term[0] == '=' {
				enc = appendVarint(enc, 0)
			} else {
				idf := math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
				enc = appendVarint(enc, uint32(max(1, math.Round(idf*8))))
			}
			var last uint32
			for _, p := range post[e.id] {
				enc = appendVarint(enc, p.doc-last)
				enc = appendVarint(enc, uint32(p.tf))
				enc = appendVarint(enc, uint32(p.sec))
				last = p.doc
			}
		}
		data = append(data, '"')
		data = append(data, enc...)
		data = append(data, '"')
	}
	data = append(data, "]}"...)

	name := contentHash(data)
	if l.refs[name] == 0 {
		if err := writeAtomic(filepath.Join(l.root, "d", name+".json"), data); err != nil {
			return err
		}
	}
	m := ll.m
	m.Docs = n + added
	m.Delta = name
	js, err := marshal(m)
	if err != nil {
		return err
	}
	if err := writeAtomic(filepath.Join(l.root, ll.lang, "manifest.json"), js); err != nil {
		return err
	}
	l.refs[name]++
	if old := ll.delta; old != "" {
		if l.refs[old]--; l.refs[old] == 0 {
			delete(l.refs, old)
			if err := os.Remove(filepath.Join(l.root, "d", old+".json")); err != nil && !os.IsNotExist(err) {
				return fmt.Errorf("search: %w", err)
			}
		}
	}
	ll.delta = name
	return nil
}

// termString spells out term id (a pair as "first second").
func (b *Builder) termString(id uint32) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if first, second, ok := b.pair(id); ok {
		return b.word(first) + " " + b.word(second)
	}
	return b.word(id)
}

// writeAtomic writes data to path through a temporary file and a rename,
// so that a server never sends half a file.
func writeAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("search: writing index: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("search: writing index: %w", err)
	}
	return nil
}
