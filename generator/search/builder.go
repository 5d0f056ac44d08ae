package search

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unsafe"
)

// SourceLang is the language the portal's content is written in first.
// Title words of a page in this language are also indexed in every other
// language's index (see Doc.Key), because readers mix Italian terms such
// as "permesso di soggiorno" into queries in their own language.
const SourceLang = "it"

// Doc is one indexable page in one site language.
type Doc struct {
	Lang     string              // the site language whose index this goes into (e.g. "ur")
	TextLang string              // language of the text (differs for fallback pages, e.g. "en"); tokenise by this
	URL      string              // page URL path, e.g. "/ur/guides/residence/rinnovo-permesso/"
	Title    string              // page title
	Summary  string              // description
	Kind     string              // "guide", "page", "desk", "topic"
	Topic    string              // guide topic, or ""
	Filters  map[string][]string // e.g. {"service": [...], "municipality": ["Saronno"]} for desks
	Sections []Section           // the page text, split at headings
	Weight   float64             // optional boost, 0 = normal; 1 doubles the page's scores
	// Key identifies the page across languages (for example its content
	// path without the language, "guides/residence/rinnovo-permesso").
	// When set, the title of the SourceLang version with the same Key is
	// indexed in this page's language too.
	Key string
}

// Section is a heading and the plain text under it (first section: Anchor "" = page top).
type Section struct {
	Anchor  string // heading id, without "#"
	Heading string // heading text
	Level   int    // heading level, 1-6 (0 for the page top)
	Text    string // plain text under the heading
}

// Builder collects documents and writes one index per language. Its
// methods are safe for concurrent use.
type Builder struct {
	langs []string

	mu        sync.Mutex
	text      strStore              // the text of every term but pairs (see terms)
	terms     []uint64              // id -> pairIDFlag|first<<32|second for a pair, else the strLoc of its text in text
	dict      strIndex              // word term or filter key -> id (see wordIDLocked)
	pairDict  pairTab               // first<<32|second word id -> id of the pair term
	hanDict   hanTab                // Han bigram or unigram (see hanKey) -> id; such terms are not in dict
	hanOwner  *worker               // the worker whose Han table holds every Han term, if any (see hanIDLocked); hanDict lacks them
	hanSeen   bool                  // some Han term has been numbered
	resolved  map[*stemmer]*codeTab // raw word -> term id or token code, for every worker (see worker.resolveRaw)
	nresolved int                   // words in resolved, all languages
	texts     map[[2]uint64]*analysis
	docs      []*docRec
	altTitle  map[string]altRec // Key -> source-language title
	stemmers  map[string]*stemmer
	free      []*worker // idle workers
	frags     *spill    // fragment text, written out of memory as it comes
	errs      []error
	keep      bool  // Write keeps what Live needs
	live      *Live // made by Write when keep is set

	// What the builder keeps of every page until Write (see blocks and
	// addDoc).
	recs        blocks[docRec]         // docs' records
	analyses    blocks[analysis]       // texts' analyses
	kindFilters map[kindTopic][]uint32 // the filter ids of pages without Doc.Filters, by kind and topic

	// Pages whose text is new wait in pending until batchSize of them
	// can be analysed one after another by one worker, language by
	// language, whose tables then stay in the processor's caches from
	// one page to the next (the site build calls Add between renderings
	// of pages, which evict them). Write analyses the rest first (see
	// drain).
	pendMu  sync.Mutex
	pending []job
	spare   [][]job // batches analysed and emptied, for pending to reuse (see recycle)
	batch   int     // texts a batch holds: batchSize, or fewer in tests

	recent recent // the last new texts, to know their fallback pages without hashing
}

// docRec is one added page; its text lives in a shared analysis.
type docRec struct {
	lang, textLang, url, kind, key string
	filters                        []uint32 // filter key ids (kind, topic and Doc.Filters), sorted, unique
	weight                         float64
	a                              *analysis
}

// NewBuilder returns a builder for the given site languages. Documents
// for other languages are reported as errors by Write.
func NewBuilder(langs []string) *Builder {
	b := &Builder{
		langs:       slices.Clone(langs),
		resolved:    map[*stemmer]*codeTab{},
		texts:       map[[2]uint64]*analysis{},
		kindFilters: map[kindTopic][]uint32{},
		altTitle:    map[string]altRec{},
		stemmers:    map[string]*stemmer{},
		frags:       newSpill(),
		batch:       batchSize,
	}
	return b
}

// batchSize is the number of new texts analysed together (see
// Builder.pending). The larger the batch, the more texts of each
// language in a row and the fewer batches running at once (each on a
// worker of its own, with tables of its own to fill): on the 10k bench
// corpus the analysis took 1.0 s CPU per build in batches of 64 and 0.71
// s in batches of 1,024 (profiles of the whole build). The texts waiting
// hold about 10 MB there; those left at the end cost Write a short
// parallel drain.
const batchSize = 1024

// job is the analysis of a new text, waiting in Builder.pending.
type job struct {
	a   *analysis
	st  *stemmer
	d   Doc
	alt bool // also analyse d's title as its Key's source-language title (see addDoc)
}

// run analyses j's text into j.a (once, whoever runs it first) with w,
// and stores its records and fragment.
func (j *job) run(w *worker) error {
	j.a.once.Do(func() {
		a, d := j.a, &j.d
		w.analyseDoc(j.st, d, a)
		a.termBytes = uint32(w.recTerms)
		err := w.b.frags.add(&a.recs, w.rec)
		w.frag = fragment(w.frag[:0], &w.scratch, d)
		if err == nil {
			err = w.b.frags.add(&a.frag, w.frag)
		}
		if err != nil {
			a.err = fmt.Errorf("search: %s: %w", d.URL, err)
		}
	})
	if j.alt {
		// With the text's own analysis, on the same worker: the source
		// language's tables are in the caches, where analysing the title
		// in Add found them cold (half of what it cost).
		alt := &analysis{}
		w.analyseAlt(w.b.stemmerFor(SourceLang), j.d.Title, alt)
		w.b.keepAlt(&j.d, alt)
	}
	return j.a.err
}

// drain analyses every pending text, language by language on up to two
// goroutines (nothing else runs while Write waits for it); the caller
// must not hold mu. Write calls it first.
func (b *Builder) drain() {
	b.pendMu.Lock()
	jobs := b.pending
	b.pending, b.spare = nil, nil
	b.pendMu.Unlock()
	if len(jobs) == 0 {
		return
	}
	jobs = byLang(jobs)
	var runs [][]job // one per language
	for i := 0; i < len(jobs); {
		j := i + 1
		for j < len(jobs) && jobs[j].st == jobs[i].st {
			j++
		}
		runs = append(runs, jobs[i:j])
		i = j
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range min(2, len(runs), runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for {
				mu.Lock()
				if len(runs) == 0 {
					mu.Unlock()
					return
				}
				r := runs[0]
				runs = runs[1:]
				mu.Unlock()
				b.runJobs(r)
			}
		})
	}
	wg.Wait()
}

// runJobs analyses jobs with one worker and records their errors. It
// takes the texts language by language (in byLang's order, without
// moving them: see langOrder), so that each language's word table serves
// several texts in a row.
func (b *Builder) runJobs(jobs []job) {
	w := b.worker()
	var errs []error
	w.order = langOrder(jobs, w.order)
	for _, i := range w.order {
		if err := jobs[i].run(w); err != nil {
			errs = append(errs, err)
		}
	}
	b.release(w)
	if errs != nil {
		b.mu.Lock()
		b.errs = append(b.errs, errs...)
		b.mu.Unlock()
	}
}

// byLang returns jobs ordered by language, in their order within a
// language (langOrder's order). It moves each job once: a stable sort
// of a batch moved each of its 1,024 jobs, of about 200 bytes, many
// times over (about 10 ms of a site build's CPU).
func byLang(jobs []job) []job {
	out := make([]job, len(jobs))
	for i, k := range langOrder(jobs, nil) {
		out[i] = jobs[k]
	}
	return out
}

// langOrder returns the indices of jobs in byLang's order, in order's
// array. A batch's jobs are taken in that order where they lie: a batch
// of 1,024 jobs moved into a new array took a large allocation of 230
// KB (see recycle).
func langOrder(jobs []job, order []int32) []int32 {
	order = order[:0]
	var langs []string
	for i := range jobs {
		if l := jobs[i].st.lang; !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	slices.Sort(langs)
	for _, l := range langs {
		for i := range jobs {
			if jobs[i].st.lang == l {
				order = append(order, int32(i))
			}
		}
	}
	return order
}

// newBatchLocked returns an empty batch for pending, with room for
// b.batch jobs: a spare one if there is one. The caller must hold
// pendMu.
func (b *Builder) newBatchLocked() []job {
	if n := len(b.spare); n > 0 {
		s := b.spare[n-1]
		b.spare = b.spare[:n-1]
		return s
	}
	return make([]job, 0, b.batch)
}

// recycle keeps batch, whose jobs have all run, for a later batch to
// reuse. Grown by append from nothing, pending took a dozen large
// allocations a batch (about 470 KB in all for 1,024 jobs of about 230
// bytes, each a fresh span from the heap), about 5 MB per build of the
// 10k corpus while the site renders at its soft memory limit, where
// fresh spans cost page faults. The jobs are cleared first, so that the
// texts they point to are not kept alive.
func (b *Builder) recycle(batch []job) {
	clear(batch)
	b.pendMu.Lock()
	if len(b.spare) < 2 && cap(batch) >= b.batch {
		b.spare = append(b.spare, batch[:0])
	}
	b.pendMu.Unlock()
}

func (b *Builder) stemmerFor(lang string) *stemmer {
	b.mu.Lock()
	defer b.mu.Unlock()
	k := baseLang(lang)
	st := b.stemmers[k]
	if st == nil {
		st = newStemmer(k)
		b.stemmers[k] = st
	}
	return st
}

// worker takes an idle worker or makes one; put it back with release.
// The owner of the Han terms comes first (see hanIDLocked).
func (b *Builder) worker() *worker {
	b.mu.Lock()
	defer b.mu.Unlock()
	if i := slices.Index(b.free, b.hanOwner); i >= 0 && b.hanOwner != nil {
		b.free = slices.Delete(b.free, i, i+1)
		return b.hanOwner
	}
	if n := len(b.free); n > 0 {
		w := b.free[n-1]
		b.free = b.free[:n-1]
		return w
	}
	return newWorker(b)
}

func (b *Builder) release(w *worker) {
	b.mu.Lock()
	b.free = append(b.free, w)
	b.mu.Unlock()
}

// Add queues d for indexing. Pages that show the same text (fallback
// pages) share one analysis, so the cost of a page in many languages is
// paid once; a page given with the very strings of a text added shortly
// before (as the site build gives fallback pages) is known without
// hashing its text again (see recent). New texts are analysed batchSize at a time, by the call that
// completes a batch, and the last ones by Write; Add keeps its own copy
// of d. Problems with d are reported by Write.
func (b *Builder) Add(d Doc) {
	rec, batch, err := b.addDoc(d, true)
	if batch != nil {
		b.runJobs(batch)
		b.recycle(batch)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if err != nil {
		b.errs = append(b.errs, err)
		return
	}
	r := b.recs.next()
	*r = rec
	b.docs = append(b.docs, r)
}

// add analyses d's text, unless a page with the same text was analysed,
// and returns d's record.
func (b *Builder) add(d Doc) (*docRec, error) {
	rec, _, err := b.addDoc(d, false)
	if err != nil {
		return nil, err
	}
	return &rec, nil
}

// blocks hands out values of T carved from blocks of allocBlock values
// rather than allocated one by one. The builder keeps every page's
// record and every text's analysis (10k pages at the 10k bench corpus,
// 20k on its eleven languages) until Write: as one object each, they
// cost an allocation each, and an object for the garbage
// collector to find and mark in every cycle while the site renders
// (BenchmarkBuilderMark). A block lives as long as any of its values,
// which is as long as the builder for a site build. The owner guards it.
type blocks[T any] struct{ rest []T }

// allocBlock is the number of values of a block (see blocks).
const allocBlock = 256

// next returns a new zero value that lives with its block.
func (s *blocks[T]) next() *T {
	if len(s.rest) == 0 {
		s.rest = make([]T, allocBlock)
	}
	v := &s.rest[0]
	s.rest = s.rest[1:]
	return v
}

// kindTopic is the kind and topic of a page (see Builder.kindFilters).
type kindTopic struct{ kind, topic string }

// addDoc finds the analysis of d's text, or makes it, and returns d's
// record. With later set, a new text waits in pending, and addDoc returns
// the pending texts when there are batchSize of them, for the caller to
// analyse; otherwise the text is analysed at once.
func (b *Builder) addDoc(d Doc, later bool) (docRec, []job, error) {
	if err := checkDoc(&d, b.langs); err != nil {
		return docRec{}, nil, err
	}
	if d.TextLang == "" {
		d.TextLang = d.Lang
	}
	var a *analysis
	isNew := false
	known, isKnown := b.recent.find(&d)
	var sections []Section // the builder's copy of a new text's sections
	if isKnown {
		a = known.a
	} else {
		h := textHash(&d)
		b.mu.Lock()
		a = b.texts[h]
		isNew = a == nil
		if isNew {
			a = b.analyses.next()
			b.texts[h] = a
		}
		b.mu.Unlock()
		if isNew && later {
			ownCopy(&d) // for the text's job, which waits in pending
			sections = d.Sections
		}
	}
	var w *worker
	var aerr error
	var batch []job
	wantAlt := d.Key != "" && baseLang(d.Lang) == SourceLang && baseLang(d.TextLang) == SourceLang
	if isNew || !later {
		j := job{a: a, st: b.stemmerFor(d.TextLang), d: d} // (a page whose text is known needs no stemmer)
		if later {
			j.alt, wantAlt = wantAlt, false // the job analyses the title too
			b.pendMu.Lock()
			if b.pending == nil {
				b.pending = b.newBatchLocked()
			}
			b.pending = append(b.pending, j)
			if len(b.pending) >= b.batch {
				batch, b.pending = b.pending, nil
			}
			b.pendMu.Unlock()
		} else {
			w = b.worker()
			aerr = j.run(w)
		}
	}
	var alt *analysis
	if wantAlt {
		if w == nil {
			w = b.worker()
		}
		alt = &analysis{}
		w.analyseAlt(b.stemmerFor(SourceLang), d.Title, alt)
	}
	if w != nil {
		b.release(w)
	}
	rec := docRec{lang: d.Lang, textLang: d.TextLang, url: d.URL, kind: d.Kind, key: d.Key,
		weight: d.Weight, a: a}
	if isKnown && known.kind == d.Kind && known.topic == d.Topic {
		// Same text, kind and topic, no Doc.Filters (see recent): same filters.
		rec.filters = known.filters
		if alt != nil {
			b.keepAlt(&d, alt)
		}
		return rec, batch, aerr
	}
	if len(d.Filters) == 0 {
		// The filters of a page without Doc.Filters are those of its
		// kind and topic, the same few for every page: they are found
		// once and shared (read only, as rec.filters always is), which
		// saves making and looking up two filter keys and a slice for
		// every new text, and a slice the builder keeps for every page.
		kt := kindTopic{d.Kind, d.Topic}
		b.mu.Lock()
		f, ok := b.kindFilters[kt]
		if !ok {
			f = b.filtersLocked(&d)
			b.kindFilters[kt] = f
		}
		b.mu.Unlock()
		rec.filters = f
	} else {
		b.mu.Lock()
		rec.filters = b.filtersLocked(&d)
		b.mu.Unlock()
	}
	if alt != nil {
		b.keepAlt(&d, alt)
	}
	if sections != nil && len(d.Filters) == 0 {
		b.recent.remember(recentText{textLang: d.TextLang, title: d.Title, summary: d.Summary, sections: sections,
			a: a, kind: d.Kind, topic: d.Topic, filters: rec.filters})
	}
	return rec, batch, aerr
}

// filtersLocked returns the ids of d's filter keys (Doc.Filters, kind
// and topic), sorted, each once, numbering the new ones. The caller must
// hold b.mu.
func (b *Builder) filtersLocked(d *Doc) []uint32 {
	var ids []uint32
	for k, vs := range d.Filters {
		for _, v := range vs {
			ids = append(ids, b.wordIDLocked(filterKey(k, v)))
		}
	}
	if d.Kind != "" {
		ids = append(ids, b.wordIDLocked(filterKey("kind", d.Kind)))
	}
	if d.Topic != "" {
		ids = append(ids, b.wordIDLocked(filterKey("topic", d.Topic)))
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// ownCopy gives d copies of what it points to that the caller may
// change (the strings cannot change): the builder's own, for a text
// that waits for its analysis.
func ownCopy(d *Doc) {
	d.Sections = slices.Clone(d.Sections)
	d.Filters = maps.Clone(d.Filters)
	for k, vs := range d.Filters {
		d.Filters[k] = slices.Clone(vs)
	}
}

// keepAlt records alt, the analysis of the title of d, a SourceLang page,
// as its Key's source-language title.
func (b *Builder) keepAlt(d *Doc, alt *analysis) {
	b.mu.Lock()
	defer b.mu.Unlock()
	// Two source pages with one Key would be a content error elsewhere;
	// keep the first by URL so that the output does not depend on order.
	if prev, ok := b.altTitle[d.Key]; !ok || d.URL < prev.url {
		b.altTitle[d.Key] = altRec{url: d.URL, a: alt}
	}
}

// wordID returns the id of a word term or filter key, adding it if new.
func (b *Builder) wordID(t string) uint32 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.wordIDLocked(t)
}

func (b *Builder) wordIDLocked(t string) uint32 {
	h := strHash(t)
	id, ok := b.dict.find(&b.text, b.terms, t, h)
	if !ok {
		id = b.newTermLocked(b.text.add(t)) // t may point into a page's text: do not keep the page alive
		b.dict.insert(id, h)
	}
	return id
}

// newTermLocked numbers a new term: term is pairIDFlag|first<<32|second
// for a pair, else the place of the term's text in b.text.
//
// The term table grows by doubling rather than by append's quarter for
// large slices: it reaches hundreds of thousands of entries (a pair term
// for every new adjacent pair of words, a Han term for every new bigram),
// and each growth copies it while the workers wait for b.mu.
func (b *Builder) newTermLocked(term uint64) uint32 {
	if n := len(b.terms); n == cap(b.terms) {
		b.terms = slices.Grow(b.terms, max(n, 1<<10))
	}
	b.terms = append(b.terms, term)
	return uint32(len(b.terms) - 1)
}

// word returns the text of term id, or "" for a pair (see pair and
// termString). The string points into the builder's blocks rather than
// being a copy. The caller must hold b.mu.
func (b *Builder) word(id uint32) string {
	t := b.terms[id]
	if t&pairIDFlag != 0 {
		return ""
	}
	return b.text.get(t)
}

// pair returns the ids of the words of term id and true if it is a
// pair, "first second". The caller must hold b.mu.
func (b *Builder) pair(id uint32) (first, second uint32, ok bool) {
	t := b.terms[id]
	if t&pairIDFlag == 0 {
		return 0, 0, false
	}
	return uint32(t>>32) &^ (1 << 31), uint32(t), true
}

// numTerms returns the number of terms. The caller must hold b.mu.
func (b *Builder) numTerms() int {
	return len(b.terms)
}

// maxResolved bounds the words whose codes the builder keeps for all
// workers.
const maxResolved = 1 << 20

// resolvedCode returns the code of raw word in st's language that a
// worker found before, if any.
func (b *Builder) resolvedCode(st *stemmer, word string) (uint32, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if t := b.resolved[st]; t != nil {
		return t.find(word)
	}
	return 0, false
}

// keepResolved records the code of raw word for the other workers.
func (b *Builder) keepResolved(st *stemmer, word string, code uint32) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.nresolved >= maxResolved {
		return
	}
	t := b.resolved[st]
	if t == nil {
		t = &codeTab{}
		b.resolved[st] = t
	}
	if t.add(word, code) {
		b.nresolved++
	}
}

// hanID returns the id of the Han bigram or unigram tok, whose key is k,
// adding it if new, for worker w (nil in tests), whose Han table lacks
// it. Every Han bigram and unigram term comes through here (see
// newHanEnt), keyed by its characters rather than by its text.
func (b *Builder) hanID(w *worker, k uint32, tok string) uint32 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.hanIDLocked(w, k, tok)
}

// newHanEnt numbers Han term tok, whose key is k, as hanID does, and
// adds it to w's Han table, which lacks it; it returns w's new entry.
// Every insertion into a worker's Han table happens here, with b.mu
// held, so that the table of the owner of the Han terms (see
// hanIDLocked) can be read by another worker that ends its ownership.
func (b *Builder) newHanEnt(w *worker, k uint32, tok string) *hanEnt {
	b.mu.Lock()
	defer b.mu.Unlock()
	id := b.hanIDLocked(w, k, tok)
	e := w.han.insert(k)
	e.id, e.slot = id, ^uint32(0)
	return e
}

// hanIDLocked is hanID with b.mu held.
//
// The first worker to ask becomes the owner of the Han terms: as long as
// no other worker asks and its table keeps every Han term it numbered
// (see worker.reset), a key its table lacks is new, and is numbered
// without looking it up in hanDict, a table as large as the worker's
// and colder. The owner's table, which holds exactly the Han terms, is
// copied into hanDict only when another worker asks or the owner
// resets. A site build has one owner throughout (see worker), which
// saves a lookup and an insertion in a table of a hundred thousand
// bigrams or more for each new Han term: about a third of the cost of
// numbering a Chinese text's new bigrams. (The owner's terms waited in a
// list of their own before, 1.3 MB on the 10k corpus, held all through
// the site's rendering.)
func (b *Builder) hanIDLocked(w *worker, k uint32, tok string) uint32 {
	if b.hanOwner == nil && w != nil && !b.hanSeen {
		b.hanOwner = w // no Han term yet: w's table is empty
	}
	b.hanSeen = true
	if w != nil && b.hanOwner == w {
		return b.newTermLocked(b.text.add(tok))
	}
	b.endHanOwnerLocked()
	e := b.hanDict.find(k)
	if e.key == 0 {
		e = b.hanDict.insert(k)
		e.id = b.newTermLocked(b.text.add(tok))
	}
	return e.id
}

// endHanOwner ends w's ownership of the Han terms, if it has it, before
// its Han table forgets them (see hanIDLocked).
func (b *Builder) endHanOwner(w *worker) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.hanOwner == w {
		b.endHanOwnerLocked()
	}
}

// endHanOwnerLocked puts the Han terms that the owner numbered, the
// entries of its Han table, in hanDict and ends its ownership. The
// caller must hold b.mu. The owner may be counting occurrences at the
// same time: that writes the slot field of its table's entries alone,
// never the key and id read here, and everything else that changes its
// table happens with b.mu held (newHanEnt).
func (b *Builder) endHanOwnerLocked() {
	if o := b.hanOwner; o != nil {
		b.hanDict.reserve(b.hanDict.n + o.han.n) // the keys come in slot order (see reserve)
		for i := range o.han.ents {
			if e := &o.han.ents[i]; e.key != 0 {
				b.hanDict.insert(e.key).id = e.id
			}
		}
	}
	b.hanOwner = nil
}

// pairIDs appends to out the ids of adjacent word pairs (first<<32|second
// word id), adding new ones. A pair's term, "first second", is only spelt out
// by Write.
func (b *Builder) pairIDs(out []uint32, keys []uint64) []uint32 {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pairDict.touch(keys) // the table holds a pair for nearly every pair of words in titles and headings: overlap its cache misses
	for _, k := range keys {
		id, ok := b.pairDict.find(k)
		if !ok {
			id = b.newTermLocked(pairIDFlag | k)
			b.pairDict.insert(k, id)
		}
		out = append(out, id)
	}
	return out
}

// altRec is the source-language title of a Key.
type altRec struct {
	url string
	a   *analysis
}

// checkDoc reports what is wrong with d, naming the page.
func checkDoc(d *Doc, langs []string) error {
	switch {
	case d.URL == "":
		return fmt.Errorf("search: page %q (%s) has no URL; set Doc.URL to its path", d.Title, d.Lang)
	case !slices.Contains(langs, d.Lang):
		return fmt.Errorf("search: %s: language %q is not a site language (%s); set Doc.Lang to one of them",
			d.URL, d.Lang, strings.Join(langs, ", "))
	}
	for k := range d.Filters {
		if !validFilterName(k) || k == "kind" || k == "topic" {
			return fmt.Errorf("search: %s: filter name %q must be lower-case letters, digits, - or _ and not kind or topic (those come from Doc.Kind and Doc.Topic)", d.URL, k)
		}
	}
	return nil
}

func validFilterName(k string) bool {
	if k == "" {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// textHash identifies the indexable text of d (everything the analysis
// depends on) with 128 bits of two seeded hashes: ten thousand texts
// collide with odds of about 1 in 10^29. The seeds change from run to
// run, which does not matter since the hash never reaches the output.
//
// The fields are copied one after another into a buffer, each after its
// length (so that no two sequences of fields make the same bytes), the
// sections after their number, and the buffer is hashed whole, once per
// seed, by maphash.Comparable: the runtime's string hash, which takes a
// long string in one call. Fields hashed apart by maphash.String cost two
// calls each, about 60 for a page of ten sections, and maphash.String
// (like Bytes) hashes a long text in a call per 128 bytes: the calls cost
// more than the bytes. On the 10k corpus's texts (BenchmarkTextHash),
// callgrind counts 187 M instructions before and 57 M now, and a page
// takes 1.7 µs instead of 2.5.
func textHash(d *Doc) [2]uint64 {
	bp := hashBufs.Get().(*[]byte)
	b := (*bp)[:0]
	field := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	field(baseLang(d.TextLang))
	field(d.Title)
	field(d.Summary)
	b = binary.AppendUvarint(b, uint64(len(d.Sections)))
	for i := range d.Sections {
		s := &d.Sections[i]
		field(s.Anchor)
		field(s.Heading)
		field(s.Text)
	}
	if len(d.Filters) > 0 { // (sortedKeys costs about 900 instructions, even for no filters)
		for _, k := range sortedKeys(d.Filters) {
			field(k)
			b = binary.AppendUvarint(b, uint64(len(d.Filters[k])))
			for _, v := range d.Filters[k] {
				field(v)
			}
		}
	}
	t := unsafe.String(&b[0], len(b)) // (b holds at least the language's length)
	h := [2]uint64{maphash.Comparable(hashSeeds[0], t), maphash.Comparable(hashSeeds[1], t)}
	if cap(b) <= maxHashBuf {
		*bp = b
		hashBufs.Put(bp)
	}
	return h
}

// hashBufs holds textHash's buffers, for the texts added at the same
// time on several goroutines.
var hashBufs = sync.Pool{New: func() any { return new([]byte) }}

// maxHashBuf bounds the buffers hashBufs keeps: a page's text is a few KB,
// that of a rare long page is not kept.
const maxHashBuf = 256 << 10

var hashSeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// Stats describes the written indexes.
type Stats struct {
	Langs map[string]LangStats // per site language
	Bytes int64                // all files written
	Files int                  // number of files written
}

// LangStats describes one language's index.
type LangStats struct {
	Docs          int   // pages indexed
	Terms         int   // distinct terms, including phrase pairs and filter keys
	Chunks        int   // term chunk files
	ManifestBytes int64 // size of manifest.json
	ChunkBytes    int64 // size of all chunk files
	FragmentBytes int64 // size of all fragment files
}

// errList joins collected errors in a stable order.
func errList(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	slices.Sort(msgs)
	msgs = slices.Compact(msgs)
	out := make([]error, len(msgs))
	for i, m := range msgs {
		out[i] = errors.New(m)
	}
	return errors.Join(out...)
}
