package search

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	mathbits "math/bits"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"

	"github.com/cespare/xxhash/v2"

	"portal/generator/output"
)

// Ranking constants (BM25).
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// Layout constants.
const (
	// chunkTarget is the size in bytes at which a term chunk is closed.
	// Larger chunks mean fewer files to write (creating one costs about
	// as much CPU as writing 70 KB, and far more on a busy disk) but more
	// bytes for a query's words.
	chunkTarget = 48 << 10
	// chunkMax is the size at which a chunk is closed even between a
	// word and the adjacent pairs that follow it. Below it, a chunk
	// holds a word's pairs with the word, so that a query of two words
	// fetches two chunks, not three (the word, its pair, the other word).
	chunkMax = 2 * chunkTarget
	// fragGroup is the number of consecutive pages whose fragments share
	// one content hash in their file names.
	fragGroup = 64
	// fragFile is the least number of consecutive pages whose fragments
	// share one file; a group of small fragments (desks) puts two or four
	// times as many in a file, as long as a file stays under fragBytes.
	// Each is a divisor of fragGroup.
	fragFile  = 4
	fragBytes = 12 << 10
	// FormatVersion is written into every manifest; the client refuses
	// manifests of another version.
	FormatVersion = 4
)

// pairAt reports whether used[k] (rank<<32 | id, in client order) is an
// adjacent pair: the terms that follow a word in that order are its
// pairs (see termJSON).
func (lw *langWriter) pairAt(used []uint64, k int) bool {
	return k < len(used) && lw.b.terms[uint32(used[k])]&pairIDFlag != 0
}

// posting is one page in a term's postings.
type posting struct {
	doc uint32
	tf  uint8 // 1-31; for filter keys 1
	sec uint16
}

// Manifest is the JSON document at /search/<lang>/manifest.json.
type Manifest struct {
	Version    int                 `json:"v"`
	Lang       string              `json:"lang"`
	Docs       int                 `json:"n"`
	Stop       []string            `json:"stop"`           // folded words dropped from queries
	Prefixes   []string            `json:"pre,omitempty"`  // clitics cut from query words (Arabic)
	Trim       int                 `json:"trim,omitempty"` // unstemmed language: also match words sharing all but this many final characters
	FragGroup  int                 `json:"gs"`             // pages per fragment hash
	FragFile   []int               `json:"fp"`             // pages per fragment file, by fragment group
	FragHashes []string            `json:"fg"`             // hash of fragment group i
	Titles     string              `json:"tt"`             // file name of the titles table, f/t.<tt>.json
	ChunkFirst []string            `json:"ck"`             // first term of chunk i
	ChunkHash  []string            `json:"ch"`             // file name of chunk i, without .json
	Filters    map[string][]string `json:"f"`              // filter name -> values present
	Delta      string              `json:"dx,omitempty"`   // preview sessions: file name of the changes, d/<dx>.json (see Live)
}

// chunkFile is the JSON of one term chunk: terms in UTF-16 order and their
// postings strings.
type chunkFile struct {
	Terms    []string `json:"t"`
	Postings []string `json:"p"`
}

// Write writes the index of every site language under <dir>/search/:
// <lang>/manifest.json, and the term chunks t/<hash>.json and result
// fragments f/<doc>.<hash>.json, which languages share when they are the
// same (fallback pages). Any previous contents of search/t, search/f and
// the language directories are removed. The output depends only on the
// documents added, not on the order they were added.
func (b *Builder) Write(dir string) (st Stats, rerr error) {
	b.drain() // analyse the texts still waiting (see Builder.pending)
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := errList(b.errs); err != nil {
		return Stats{}, err
	}
	b.free = nil // the workers' caches are not needed any more
	if err := b.frags.flush(); err != nil {
		return Stats{}, err
	}
	// Every term as JSON, in the client's order; the terms themselves
	// (pairs spelled out) are not kept beyond this. termJSON runs on
	// goroutines of its own while this one clears the previous index
	// and plans the language builds, and while the builds do what
	// needs no term ranks (see writeShared.ready).
	nterms := b.numTerms()
	shared := &writeShared{
		scores: map[scoreKey]*textScores{},
		groups: map[[32]byte]*fragGroupRec{},
		ready:  make(chan struct{}),
	}
	var terms sync.WaitGroup
	terms.Go(func() {
		shared.json, shared.rank = b.termJSON()
		close(shared.ready)
	})
	defer terms.Wait() // before b.mu is unlocked, on every return
	out := &outDir{root: filepath.Join(dir, "search"), written: map[string]bool{}}
	err := out.clear(b.langs)
	defer func() {
		if cerr := out.close(); rerr == nil && cerr != nil {
			st, rerr = Stats{}, cerr
		}
	}()
	if err != nil {
		return Stats{}, err
	}
	byLang := map[string][]*docRec{}
	for _, d := range b.docs {
		byLang[d.lang] = append(byLang[d.lang], d)
	}
	// Languages whose pages are the same (all shown by fallback) have
	// the same chunks and fragments: build those once.
	type built struct {
		m  Manifest
		ls LangStats
		st *liveStats
	}
	sigs := map[string][32]byte{}
	results := map[[32]byte]*built{}
	shared.avgs = b.textAverages()
	type langJob struct {
		lang  string
		docs  []*docRec
		keys  []scoreKey    // by page: what its scores depend on
		main  string        // the language most of its texts are in
		base  *baseBuild    // the build this one is derived from (see derive.go), or nil
		dirty []int         // the pages that differ from the base's
		own   *baseBuild    // what this build leaves for those derived from it, or nil
		texts []*textScores // by page: its text's scores (see writeShared.hold)
		cost  int           // the tokens of its pages
	}
	var jobs []langJob
	for _, lang := range b.langs {
		docs := slices.Clone(byLang[lang])
		slices.SortFunc(docs, func(x, y *docRec) int { return strings.Compare(x.url, y.url) })
		for i := 1; i < len(docs); i++ {
			if docs[i].url == docs[i-1].url {
				return Stats{}, fmt.Errorf("search: %s: added twice to the %s index; add each page once per language", docs[i].url, lang)
			}
		}
		// What each page's scores depend on, worked out once for the
		// signature, the scores held and the comparison with a base
		// (a source-language title is looked up by Key in a map).
		keys := b.scoreKeys(docs)
		sig := b.signature(lang, docs, keys)
		sigs[lang] = sig
		if results[sig] != nil {
			continue
		}
		results[sig] = &built{}
		jobs = append(jobs, langJob{lang: lang, docs: docs, keys: keys, main: mainTextLang(docs), texts: shared.hold(keys)})
	}
	shared.scores = nil // the builds find their texts' scores in langJob.texts
	// Languages that show the same texts (a language and those that fall
	// back to it) are put together, the group of the costliest language
	// first, and a language whose pages are an earlier one's but for a
	// few is derived from that one's build (see derive.go).
	cost := map[string]int{} // by group: the tokens of its largest language
	for i := range jobs {
		j := &jobs[i]
		for _, d := range j.docs {
			j.cost += int(d.a.length)
		}
		cost[j.main] = max(cost[j.main], j.cost)
	}
	slices.SortStableFunc(jobs, func(x, y langJob) int {
		return cmp.Or(cost[y.main]-cost[x.main], strings.Compare(x.main, y.main))
	})
	refs := map[*baseBuild]int{} // builds still to be derived from each base
	for i := range jobs {
		for k := range i {
			jb := &jobs[k]
			if !deriveBuilds {
				break
			}
			if jb.base != nil || jb.main != jobs[i].main {
				continue
			}
			dirty, ok := dirtyPages(jobs[i].docs, jb.docs, jobs[i].keys, jb.keys)
			if !ok {
				continue
			}
			if jb.own == nil {
				jb.own = &baseBuild{dirty: make([]bool, len(jb.docs)), done: make(chan struct{})}
			}
			for _, p := range dirty {
				jb.own.dirty[p] = true
			}
			refs[jb.own]++
			jobs[i].base, jobs[i].dirty = jb.own, dirty
			break
		}
	}
	// The builds start in this order: the costliest first (Chinese, in
	// bigrams, takes as long as two or three others), the derived ones
	// (a fifth of a full build or less) last of all, so that the last
	// builds are short ones that fill in while the other worker ends its
	// last full build. (In the order of the groups, Spanish, a group
	// without derived builds and the cheapest, was left to the end and
	// ran alone for 40-50 ms of the 10k corpus's Write.) The scores of
	// the texts a base build shares with the builds derived from it
	// wait for those the longer (see writeShared.hold).
	derived := func(j langJob) int {
		if j.base != nil {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(jobs, func(x, y langJob) int {
		return cmp.Or(derived(x)-derived(y), y.cost-x.cost)
	})
	// The builds run on two workers, each taking the first job, in the
	// order above, that can start: a derived build waits for its base
	// without holding a worker, which meanwhile builds another language.
	var (
		mu       sync.Mutex // guards what follows, refs and results
		ready    = sync.NewCond(&mu)
		started  = make([]bool, len(jobs))
		left     = len(jobs)
		firstErr error
	)
	canStart := func(j *langJob) bool {
		if j.base == nil {
			return true
		}
		select {
		case <-j.base.done:
			return true
		default:
			return false
		}
	}
	take := func() *langJob { // under mu; nil when every job has started
		for left > 0 {
			for i := range jobs {
				if !started[i] && canStart(&jobs[i]) {
					started[i] = true
					left--
					return &jobs[i]
				}
			}
			ready.Wait()
		}
		return nil
	}
	run := func(j *langJob, sc *langScratch) error {
		base := j.base
		if base != nil && !base.ok {
			base = nil
		}
		lw := &langWriter{b: b, lang: j.lang, out: out, s: sc, nterms: nterms, shared: shared, texts: j.texts, base: base, dirty: j.dirty, own: j.own, batch: &sc.batch,
			spare: j == &jobs[0]} // the costliest build, as the order above has it
		m, ls, err := lw.write(j.docs)
		mu.Lock()
		defer mu.Unlock()
		if j.own != nil {
			j.own.ok = err == nil
			close(j.own.done)
			ready.Broadcast()
		}
		res := results[sigs[j.lang]]
		res.m, res.ls, res.st = m, ls, lw.live
		if j.base != nil {
			if refs[j.base]--; refs[j.base] == 0 {
				*j.base = baseBuild{} // the last build derived from it is done
			}
		}
		return err
	}
	const parallel = 2
	var workers sync.WaitGroup
	for range parallel {
		workers.Go(func() {
			// Each worker keeps one set of large buffers, so that its
			// next build reuses them instead of leaving garbage behind.
			sc := &langScratch{}
			for {
				mu.Lock()
				j := take()
				mu.Unlock()
				if j == nil {
					return
				}
				if err := run(j, sc); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		})
	}
	workers.Wait()
	if firstErr != nil {
		return Stats{}, firstErr
	}
	st = Stats{Langs: map[string]LangStats{}}
	if b.keep {
		b.live = &Live{b: b, root: out.root, langs: map[string]*liveLang{}, refs: map[string]int{}, baseAlt: maps.Clone(b.altTitle), avgs: shared.avgs}
	}
	for _, lang := range b.langs {
		res := results[sigs[lang]]
		m, ls := res.m, res.ls
		m.Lang, m.Trim = lang, trimFor(lang)
		if b.live != nil {
			b.live.addLang(lang, m, byLang[lang], res.st)
		}
		data, err := marshal(m)
		if err != nil {
			return Stats{}, err
		}
		ls.ManifestBytes = int64(len(data))
		st.Langs[lang] = ls
		if err := out.write(lang+"/manifest.json", data, false); err != nil {
			return Stats{}, err
		}
	}
	st.Files, st.Bytes = out.files, out.bytes
	return st, nil
}

// signature identifies what lang's index is built from, apart from the
// language itself: for each page in order, its URL (relative to
// /<lang>/ where it is in it), kind, text, source-language title,
// weight and filters. Languages with the same signature have the same
// chunk and fragment files. keys are the pages' score keys.
func (b *Builder) signature(lang string, docs []*docRec, keys []scoreKey) [32]byte {
	h := sha256.New()
	prefix := "/" + lang + "/"
	var buf []byte
	for i, d := range docs {
		k := &keys[i]
		buf = appendSigPage(buf[:0], d, prefix)
		buf = appendSigString(buf, baseLang(d.textLang))
		buf = binary.AppendUvarint(buf, uint64(uintptr(unsafe.Pointer(k.a))))
		buf = binary.AppendUvarint(buf, uint64(uintptr(unsafe.Pointer(k.alt))))
		buf = binary.AppendUvarint(buf, math.Float64bits(k.weight))
		buf = binary.AppendUvarint(buf, uint64(len(d.filters)))
		for _, id := range d.filters {
			buf = binary.AppendUvarint(buf, uint64(id))
		}
		h.Write(buf)
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// appendSigPage appends to a signature what every file of an index that
// shows page d depends on: its URL (relative to prefix, /<lang>/, where
// it is under it) and its kind.
func appendSigPage(buf []byte, d *docRec, prefix string) []byte {
	if rel, ok := strings.CutPrefix(d.url, prefix); ok {
		buf = appendSigString(append(buf, 1), rel)
	} else {
		buf = appendSigString(append(buf, 0), d.url)
	}
	return appendSigString(buf, d.kind)
}

// appendSigString appends s to a signature, its length first.
func appendSigString(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

// outDir writes index files, each shared file once.
type outDir struct {
	root string // <dir>/search
	// The folders files go in (t, f and the languages'), open from
	// clear to close, by name: a file is created by its name in its
	// folder, so that the kernel does not walk the whole path again
	// for each of the thousands of files.
	dirs map[string]*output.Folder

	mu      sync.Mutex
	written map[string]bool // shared files written or being written
	files   int
	bytes   int64
}

// clear removes the previous index, makes the directories and opens
// them for write (close closes them).
func (o *outDir) clear(langs []string) error {
	o.dirs = map[string]*output.Folder{}
	for _, sub := range append([]string{"t", "f", "d"}, langs...) {
		p := filepath.Join(o.root, sub)
		if err := os.RemoveAll(p); err != nil {
			return fmt.Errorf("search: clearing %s: %w", p, err)
		}
		if err := os.MkdirAll(p, 0o755); err != nil {
			return fmt.Errorf("search: %w", err)
		}
		if sub == "d" {
			continue // written by Live, not by Write
		}
		f, err := output.OpenFolder(p)
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		o.dirs[sub] = f
	}
	return nil
}

// close closes the folders clear opened.
func (o *outDir) close() error {
	var errs []error
	for _, f := range o.dirs {
		errs = append(errs, f.Close())
	}
	o.dirs = nil
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	return nil
}

// write writes rel (relative to search/) unless a shared file of that
// name was already written: shared files are named after their content.
func (o *outDir) write(rel string, data []byte, shared bool) error {
	o.mu.Lock()
	if shared && o.written[rel] {
		o.mu.Unlock()
		return nil
	}
	o.written[rel] = true
	o.files++
	o.bytes += int64(len(data))
	o.mu.Unlock()
	var err error
	if dir, name, ok := strings.Cut(rel, "/"); ok && o.dirs[dir] != nil {
		err = o.dirs[dir].WriteFile(name, data)
	} else {
		// rel is clean: joined without filepath.Join's Clean (a few
		// milliseconds over the thousands of files of a Write).
		err = output.WriteFile(o.root+string(filepath.Separator)+rel, data)
	}
	if err != nil {
		return fmt.Errorf("search: writing index: %w", err)
	}
	return nil
}

// sortHalves sorts s by cmp on two goroutines, a half each, and calls
// emit with each element and its place in the merged order (s itself is
// left as two sorted halves): Write sorts the whole dictionary while
// nothing else runs, and keeps only the ids of what it sorted.
func sortHalves[T any](s []T, cmp func(x, y T) int, emit func(i int, x T)) {
	half := len(s) / 2
	var wg sync.WaitGroup
	wg.Go(func() { slices.SortFunc(s[:half], cmp) })
	slices.SortFunc(s[half:], cmp)
	wg.Wait()
	a, b := s[:half], s[half:]
	for i := range s {
		if len(b) == 0 || len(a) > 0 && cmp(b[0], a[0]) >= 0 {
			emit(i, a[0])
			a = a[1:]
		} else {
			emit(i, b[0])
			b = b[1:]
		}
	}
}

// termJSON holds every term as a JSON string, in the client's order, one
// after another: each language build copies its terms from here into its
// chunks in the order it writes them, instead of reaching for each term
// and escaping it again.
type termJSON struct {
	data  []byte
	end   []uint32 // by rank: end of the term's JSON string in data
	order []uint32 // by rank: the term's id

	// spare is memory that termJSON used for sorting and no longer
	// needs (or nil): the costliest language build takes it as its
	// postings array (langScratch.all32), rather than make one as
	// large (10 MB a Write on the bench corpus, on top of the other
	// worker's 4: what Write allocates brings on the next garbage
	// collection, and fresh memory is faulted in). The build that may
	// take it sets it to nil, whether it takes it or not.
	spare []uint32
}

// term returns the term of rank r.
func (j *termJSON) term(r uint32) (string, error) {
	var t string
	if err := json.Unmarshal(j.at(r), &t); err != nil {
		return "", fmt.Errorf("search: term %d: %w", r, err)
	}
	return t, nil
}

// at returns the JSON string of the term of rank r.
func (j *termJSON) at(r uint32) []byte {
	start := uint32(0)
	if r > 0 {
		start = j.end[r-1]
	}
	return j.data[start:j.end[r]]
}

// langWriter builds and writes one language's index.
type langWriter struct {
	b      *Builder
	lang   string
	out    *outDir
	shared *writeShared // what every language build of one Write shares

	s      *langScratch
	nterms int               // terms in the dictionary (ids below it)
	texts  []*textScores     // by page: its text's scores, computed by the first build that needs them
	base   *baseBuild        // the build this one is derived from, or nil (see derive.go)
	dirty  []int             // the pages that differ from the base's
	own    *baseBuild        // what this build leaves for builds derived from it, or nil
	live   *liveStats        // what Live needs, when the builder keeps it
	spare  bool              // the build may take termJSON.spare
	alts   map[string]altRec // source-language titles to use instead of the builder's

	altUsed []bool      // scratch for merging a page's terms with its source-language title
	title   titleSet    // the title's terms or pairs, by id, for the same
	at      []termStat  // the title's terms or pairs, scratch for the same
	rec     []byte      // scratch for a page's records read back
	batch   *spillBatch // the records or fragments of a group of pages, read back at once; nil outside Write
	tmp     []uint64    // scratch for postings
	ts      []termStat  // scratch for a text's term records (scorePacked)
	scorer  bodyScorer  // the scorer of the text being scored
	packed  []uint32    // scratch for a text's packed postings (scorePacked)
	bits    uint64      // the postings textPostings last appended, or-ed together
}

// langScratch holds the large buffers of one language build.
type langScratch struct {
	next   []uint32      // by term id: postings counted, then next free place in all32 or all64; left all zero
	seen   []uint64      // by rank, one bit a term: it has postings; left all zero
	used   []uint64      // rank<<32 | id of the terms with postings, in client order
	batch  spillBatch    // records or fragments read back at once
	refs   []*fragRef    // scratch for prefetching them
	start  []uint32      // by position in used: first posting in all32 or all64
	all32  []uint32      // postings of every used term, by term then page (see placePostings)
	all64  []uint64      // the same, for a language whose postings need more than 32 bits
	scores []*textScores // by page: its text's scored postings
	arena  scoreArena    // the packed scores of the build's texts no other build shows

	// Buffers for the chunk and fragment files, kept for the next
	// language build rather than grown again for each (10 MB a Write).
	chunkTerms []uint64
	encs       []byte
	encEnd     []int
	data       []byte
	frags      []byte
	ends       []int
	file       []byte
	sigBuf     []byte
	titles     titleTable
	idf        [1024]uint32 // by page count: the idf of the postings strings, 0 if not yet known
}

// writeShared is what the language builds of one Write share.
type writeShared struct {
	rank []uint32  // id -> rank in the client's order
	json *termJSON // the terms as JSON strings, by rank
	// ready, if not nil, is closed once rank and json are set: the
	// builds start before termJSON is done, score and count their
	// pages and write their fragments meanwhile, and wait for it only
	// then (without that, one core sat idle while termJSON sorted).
	ready chan struct{}
	avgs  map[string]float64 // text language -> average length (BM25)

	// A text shown in several languages (by fallback) is scored once:
	// its postings wait for the other languages' builds, and go when the
	// last of them has taken them. Each build finds its pages' scores
	// in the slice that hold gave it (langJob.texts); the map, by what
	// the scores depend on, serves hold alone, before the builds start.
	mu     sync.Mutex                 // guards textScores.refs and groups
	scores map[scoreKey]*textScores   // nil once the builds start
	holds  int                        // calls of hold so far
	groups map[[32]byte]*fragGroupRec // fragment groups already written
}

// scoreKey identifies what a page's scored postings depend on, besides
// its filters (added per page).
type scoreKey struct {
	a, alt *analysis
	weight float64
}

// textScores holds the scored postings of one text, computed once by
// the first language build that needs them.
type textScores struct {
	once sync.Once
	done atomic.Bool // once has run: the text's records need not be read
	ps   packedScores
	err  error
	refs int  // pages still to take them; under writeShared.mu
	alt  bool // the text takes in a source-language title
	// shared says that more than one language build shows the text,
	// and hold is the writeShared.hold call that first counted it.
	// The scores of a text only one build shows go when that build
	// ends: they are packed in its worker's scoreArena.
	shared bool
	hold   int
}

// fragGroupRec is a fragment group already written: a language whose
// group has the same pages reuses it without reading its fragments back.
type fragGroupRec struct {
	hash string
	per  int
	// The pages' URLs and titles, for the titles table: JSON strings,
	// a URL and its title after it, one after another in text (a few
	// allocations a group as it grows, where a copy of each made two
	// a page), each ending at ends[k].
	text  []byte
	ends  []uint32
	bytes int64 // fragment bytes
}

// groupSignature identifies the fragment files of the group of pages
// numbered from g: their numbers and, for each page, its URL (relative to
// prefix where it is under it), kind and fragment. buf is scratch, and
// is returned for the next call.
func groupSignature(buf []byte, g int, docs []*docRec, prefix string) ([32]byte, []byte) {
	h := sha256.New()
	buf = binary.AppendUvarint(buf[:0], uint64(g))
	for _, d := range docs {
		buf = appendSigPage(buf, d, prefix)
		// The fragment itself: where it waits (every text's has its own
		// place), or, held in memory, its address.
		f := &d.a.frag
		if f.mem != nil {
			buf = append(buf, 1)
			buf = binary.AppendUvarint(buf, uint64(uintptr(unsafe.Pointer(unsafe.SliceData(f.mem)))))
		} else {
			buf = append(buf, 0)
			buf = binary.AppendUvarint(buf, uint64(f.off))
		}
		buf = binary.AppendUvarint(buf, uint64(f.n))
	}
	h.Write(buf)
	var out [32]byte
	h.Sum(out[:0])
	return out, buf
}

// textAverages returns the average length of the distinct texts of each
// text language, for BM25: a page's scores then depend on its text only,
// not on the site language whose index shows it, and Chinese texts
// (counted in bigrams) are not measured against Italian ones.
func (b *Builder) textAverages() map[string]float64 {
	type sum struct{ total, n float64 }
	sums := map[string]*sum{}
	seen := map[*analysis]bool{}
	for _, d := range b.docs {
		if seen[d.a] {
			continue
		}
		seen[d.a] = true
		tl := baseLang(d.textLang)
		if sums[tl] == nil {
			sums[tl] = &sum{}
		}
		sums[tl].total += float64(d.a.length)
		sums[tl].n++
	}
	avgs := make(map[string]float64, len(sums))
	for tl, s := range sums {
		avgs[tl] = 1
		if s.total > 0 {
			avgs[tl] = s.total / s.n
		}
	}
	return avgs
}

// mainTextLang returns the language most of docs' texts are in (of
// those as many, the first in byte order).
func mainTextLang(docs []*docRec) string {
	// Counted by runs of pages with the same text language, as pages
	// nearly always come (by URL), rather than a map update and a
	// baseLang call for each page.
	n := map[string]int{}
	for i := 0; i < len(docs); {
		j := i + 1
		for j < len(docs) && docs[j].textLang == docs[i].textLang {
			j++
		}
		n[baseLang(docs[i].textLang)] += j - i
		i = j
	}
	best := ""
	for tl, c := range n {
		if c > n[best] || c == n[best] && tl < best {
			best = tl
		}
	}
	return best
}

// altFor returns the source-language title that page d's terms take in,
// from alts (Key -> title), or nil: pages in the source language and
// pages without a Key have none.
func altFor(alts map[string]altRec, d *docRec) *analysis {
	if d.key == "" || baseLang(d.textLang) == SourceLang {
		return nil
	}
	return alts[d.key].a
}

// altOf returns the source-language title that page d's terms take in
// this build (see altFor): from the titles the build was given instead
// of the builder's, if any.
func (lw *langWriter) altOf(d *docRec) *analysis {
	alts := lw.b.altTitle
	if lw.alts != nil {
		alts = lw.alts
	}
	return altFor(alts, d)
}

// scoreKey returns the key of d's scored postings.
func (b *Builder) scoreKey(d *docRec) scoreKey {
	return scoreKey{a: d.a, alt: altFor(b.altTitle, d), weight: d.weight}
}

// scoreKeys returns the keys of the scored postings of docs.
func (b *Builder) scoreKeys(docs []*docRec) []scoreKey {
	keys := make([]scoreKey, len(docs))
	for i, d := range docs {
		keys[i] = b.scoreKey(d)
	}
	return keys
}

// hold counts the pages of docs as takers of their texts' scores, and
// returns them by page: a language build takes its pages' scores from
// there, without working out what they depend on again (an alternative
// title looked up by Key, a map of the scores by key: a twentieth of
// Write's CPU when each build looked them up itself).
func (sh *writeShared) hold(keys []scoreKey) []*textScores {
	sh.holds++
	texts := make([]*textScores, len(keys))
	var slab []textScores // the new texts' scores, allocated 256 at a time rather than one each
	for i, k := range keys {
		sc := sh.scores[k]
		if sc == nil {
			if len(slab) == 0 {
				slab = make([]textScores, min(256, len(keys)-i))
			}
			sc, slab = &slab[0], slab[1:]
			sc.alt, sc.hold = k.alt != nil, sh.holds
			sh.scores[k] = sc
		}
		sc.shared = sc.shared || sc.hold != sh.holds
		sc.refs++
		texts[i] = sc
	}
	return texts
}

// scored returns the scored postings of page i, d, computing them if no
// other language build has.
func (lw *langWriter) scored(i int, d *docRec) (*textScores, error) {
	sc := lw.texts[i]
	sc.once.Do(func() {
		arena := &lw.s.arena // the scores go with this build
		if sc.shared {
			arena = nil // other builds take them too
		}
		var ok bool
		if sc.ps, ok, sc.err = lw.scorePacked(d, arena); !ok && sc.err == nil {
			lw.tmp, sc.err = lw.textPostings(lw.tmp[:0], d, lw.shared.avgs)
			sc.ps = packBits(lw.tmp, lw.bits, arena)
		}
		sc.done.Store(true)
	})
	return sc, sc.err
}

// scorePacked returns the scored postings of d's text, as textPostings
// and packBits give them, but packed as they are scored: every text
// with as many bits of section as the dictionary's ids leave (secUsed
// says how many it needs), so that the packing need not wait for the
// largest id and section. That saves textPostings' 64-bit postings and
// packBits' pass over them. ok is false, and nothing is done, where a
// section does not fit those bits (or the ids leave none): the caller
// then takes the long way.
func (lw *langWriter) scorePacked(d *docRec, arena *scoreArena) (ps packedScores, ok bool, err error) {
	idBits := mathbits.Len32(uint32(lw.nterms))
	if idBits+5 >= 32 {
		return packedScores{}, false, nil
	}
	secBits := uint8(min(16, 32-5-idBits))
	terms, pairs, err := lw.records(d)
	if err != nil {
		return packedScores{}, false, err
	}
	alt := lw.altOf(d)
	sc := &lw.scorer
	sc.reset(d, lw.shared.avgs)
	shift := (5 + secBits) & 31
	out := lw.packed[:0]
	var ids, secs uint32 // every id and section, or-ed together
	ts := decodeTerms(lw.ts[:0], terms)
	if alt == nil {
		out = slices.Grow(out, len(ts))
		for i := range ts {
			t := &ts[i]
			b := sc.small[t.wtf%32]
			if t.wtf >= 32 {
				b = sc.body(t.wtf)
			}
			ids |= t.id
			secs |= uint32(t.sec)
			out = append(out, t.id<<shift|clampScore(b, t.ttl)<<secBits|uint32(t.sec))
		}
		for rest := pairs; len(rest) > 0; {
			var id, w uint32
			id, w, rest = readPair(rest)
			ids |= id
			out = append(out, id<<shift|uint32(quant(float64(w)))<<secBits)
		}
	} else {
		// Terms: the page's, with the title's added in; then the
		// title's other terms (as textPostings does). A term whose
		// filter bit is clear is in no title (see titleSet): the test
		// is made here, without a call of find for each term.
		at := decodeTerms(lw.at[:0], alt.terms)
		lw.mark(at)
		title := &lw.title
		out = slices.Grow(out, len(ts)+len(at))
		for i := range ts {
			t := &ts[i]
			wtf, ttl := t.wtf, t.ttl
			if h := titleHash(t.id); title.filter[h>>30]&(1<<(h>>24&63)) != 0 {
				if k, ok := title.find(t.id); ok {
					o := &at[k]
					wtf += o.wtf
					ttl = max(ttl, o.ttl)
					lw.altUsed[k] = true
				}
			}
			b := sc.small[wtf%32]
			if wtf >= 32 {
				b = sc.body(wtf)
			}
			ids |= t.id
			secs |= uint32(t.sec)
			out = append(out, t.id<<shift|clampScore(b, ttl)<<secBits|uint32(t.sec))
		}
		for i, t := range at {
			if !lw.altUsed[i] {
				ids |= t.id
				secs |= uint32(t.sec)
				out = append(out, t.id<<shift|sc.score(t.wtf, t.ttl)<<secBits|uint32(t.sec))
			}
		}
		at = lw.markPairs(at, alt.pairs)
		for rest := pairs; len(rest) > 0; {
			var id, w uint32
			id, w, rest = readPair(rest)
			if k, ok := lw.title.find(id); ok {
				w += at[k].wtf
				lw.altUsed[k] = true
			}
			ids |= id
			out = append(out, id<<shift|uint32(quant(float64(w)))<<secBits)
		}
		for i, t := range at {
			if !lw.altUsed[i] {
				ids |= t.id
				out = append(out, t.id<<shift|uint32(quant(float64(t.wtf)))<<secBits)
			}
		}
		lw.at = at
	}
	lw.ts, lw.packed = ts, out
	if mathbits.Len32(ids) > idBits || mathbits.Len32(secs) > int(secBits) {
		return packedScores{}, false, nil
	}
	var narrow []uint32
	if arena != nil {
		narrow = arena.alloc(len(out))
	} else {
		narrow = make([]uint32, len(out))
	}
	copy(narrow, out)
	return packedScores{narrow: narrow, secBits: secBits, secUsed: uint8(mathbits.Len32(secs))}, true, nil
}

// release drops the scores the pages of one language build took, once
// no other build needs them.
func (sh *writeShared) release(texts []*textScores) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	for _, sc := range texts {
		if sc.refs--; sc.refs == 0 {
			sc.ps = packedScores{}
		}
	}
}

// postings calls fn for every term of d (its own text, its
// source-language title, its filter values) with the 1-31 score and the
// best section. Without scores, fn gets the terms only (score and section
// 0), which is all that counting them needs.
func (lw *langWriter) postings(d *docRec, avgs map[string]float64, scores bool, fn func(id uint32, tf uint8, sec uint16)) error {
	var err error
	if lw.tmp, err = lw.textPostings(lw.tmp[:0], d, avgs); err != nil {
		return err
	}
	for _, p := range lw.tmp {
		if scores {
			fn(uint32(p>>32), uint8(p>>16), uint16(p))
		} else {
			fn(uint32(p>>32), 0, 0)
		}
	}
	for _, id := range d.filters {
		fn(id, 1, 0)
	}
	return nil
}

// records returns the term and pair records of d's text: held in
// memory, prefetched with the group's (see spillBatch), or read from the
// spill file into lw.rec.
func (lw *langWriter) records(d *docRec) (terms, pairs []byte, err error) {
	terms, pairs = d.a.terms, d.a.pairs
	if terms == nil && pairs == nil {
		recs, ok := lw.batch.get(&d.a.recs)
		if !ok {
			if recs, lw.rec, err = lw.b.frags.view(&d.a.recs, lw.rec); err != nil {
				return nil, nil, err
			}
		}
		terms, pairs = recs[:d.a.termBytes], recs[d.a.termBytes:]
	}
	return terms, pairs, nil
}

// bodyScorer works out the 1-31 scores of one text's terms (BM25's
// term-frequency part, scaled to the body's range, plus the title
// bonus).
type bodyScorer struct {
	norm, weight float64
	// small holds the body part of the weighted frequencies below 32,
	// most of them, worked out once per text.
	small [32]int
}

// reset makes s the scorer of d's text, given avgs, the average text
// length by text language. (A langWriter keeps one scorer for all its
// texts: one made for each text escaped to the heap, 3 MB a Write.)
func (s *bodyScorer) reset(d *docRec, avgs map[string]float64) {
	avg := avgs[baseLang(d.textLang)]
	if avg <= 0 {
		avg = 1 // a text language the base index did not have (Live)
	}
	s.norm, s.weight = bm25K1*(1-bm25B+bm25B*float64(d.a.length)/avg), d.weight
	for w := range s.small {
		s.small[w] = s.body(uint32(w))
	}
}

// body returns the body part of the score of weighted frequency wtf,
// clamped to -256..31. The title bonus, a whole number, is added after
// rounding, which gives the same as adding it before. The score is
// min(31, max(1, body+title bonus)), worked out in integers (the float
// min, max and conversion took a quarter of textPostings): a body part
// from 31 up gives 31 whatever the bonus, and one below -255 gives 1,
// since a bonus is at most 255, so the body part is clamped to that
// range first.
func (s *bodyScorer) body(wtf uint32) int {
	w := float64(wtf)
	return int(min(31, max(-256, math.Round(w/(w+s.norm)*(1+s.weight)*bodyScale))))
}

// score returns the 1-31 score of a term of weighted frequency wtf and
// title bonus ttl.
func (s *bodyScorer) score(wtf uint32, ttl uint8) uint32 {
	b := s.small[wtf%32]
	if wtf >= 32 {
		b = s.body(wtf)
	}
	return clampScore(b, ttl)
}

// clampScore returns the score of a term of body part b and title bonus
// ttl. The loops that score every term work out the body part
// themselves, as score does, and call this: score, with its call of
// body, is too large to be inlined, and a call for each term cost a
// tenth of the scoring.
func clampScore(b int, ttl uint8) uint32 {
	return uint32(min(31, max(1, b+int(ttl))))
}

// textPostings appends to dst the postings of d's text and its
// source-language title, id<<32 | score<<16 | section: what postings
// gives without the filter values, which depend on the page, not its
// text.
func (lw *langWriter) textPostings(dst []uint64, d *docRec, avgs map[string]float64) ([]uint64, error) {
	terms, pairs, err := lw.records(d)
	if err != nil {
		return dst, err
	}
	alt := lw.altOf(d)
	sc := &lw.scorer
	sc.reset(d, avgs)
	var bits uint64 // every posting appended, or-ed together (see packBits)
	score := func(t termStat) uint64 {
		p := uint64(t.id)<<32 | uint64(sc.score(t.wtf, t.ttl))<<16 | uint64(t.sec)
		bits |= p
		return p
	}
	pair := func(id, w uint32) uint64 {
		p := uint64(id)<<32 | uint64(quant(float64(w)))<<16
		bits |= p
		return p
	}
	defer func() { lw.bits = bits }()
	if alt == nil {
		for rest := terms; len(rest) > 0; {
			var t termStat
			t, rest = readTerm(rest)
			dst = append(dst, score(t))
		}
		for rest := pairs; len(rest) > 0; {
			var id, w uint32
			id, w, rest = readPair(rest)
			dst = append(dst, pair(id, w))
		}
		return dst, nil
	}
	// Terms: the page's, with the title's added in; then the title's
	// other terms.
	at := lw.at[:0]
	for rest := alt.terms; len(rest) > 0; {
		var t termStat
		t, rest = readTerm(rest)
		at = append(at, t)
	}
	lw.mark(at)
	for rest := terms; len(rest) > 0; {
		var t termStat
		t, rest = readTerm(rest)
		if k, ok := lw.title.find(t.id); ok {
			o := at[k]
			t.wtf += o.wtf
			t.ttl = max(t.ttl, o.ttl)
			lw.altUsed[k] = true
		}
		dst = append(dst, score(t))
	}
	for i, t := range at {
		if !lw.altUsed[i] {
			dst = append(dst, score(t))
		}
	}
	at = lw.markPairs(at, alt.pairs)
	for rest := pairs; len(rest) > 0; {
		var id, w uint32
		id, w, rest = readPair(rest)
		if k, ok := lw.title.find(id); ok {
			w += at[k].wtf
			lw.altUsed[k] = true
		}
		dst = append(dst, pair(id, w))
	}
	for i, t := range at {
		if !lw.altUsed[i] {
			dst = append(dst, pair(t.id, t.wtf))
		}
	}
	lw.at = at
	return dst, nil
}

// countNarrow counts in next, by term id, the postings of narrow,
// packed with their ids from bit shift on (see packedScores). A loop of
// its own, with the shift count masked (it is below 32), it keeps its
// few values in registers and needs no width check for the shift.
func countNarrow(next []uint32, narrow []uint32, shift uint8) {
	shift &= 31
	for _, e := range narrow {
		next[e>>shift]++
	}
}

// prefetchGroup reads back at once the records of the pages of docs
// whose texts (texts, by page) are still to be scored and wait in the
// temporary file, and the fragments of the group if withFrags (see
// spillBatch). A text's records and fragment lie one after the other in
// the file: read in one pass, a group's stretch of the file is read
// once, where reading the records and then the fragments read most of
// it twice (a gap of up to batchGap between two records, a fragment, is
// read with them; 77 MB read back for 52 MB written on the bench
// corpus).
func (lw *langWriter) prefetchGroup(docs []*docRec, texts []*textScores, withFrags bool) error {
	refs := lw.s.refs[:0]
	for i, d := range docs {
		if d.a.terms == nil && d.a.pairs == nil && !texts[i].done.Load() {
			refs = append(refs, &d.a.recs)
		}
		if withFrags {
			refs = append(refs, &d.a.frag)
		}
	}
	lw.s.refs = refs
	return lw.b.frags.prefetch(lw.batch, refs)
}

// markPairs reads the word pair records pairs (an alternative title's)
// into at, reused, makes them the title terms that title.find looks up
// (see mark) and returns them.
func (lw *langWriter) markPairs(at []termStat, pairs []byte) []termStat {
	at = at[:0]
	for rest := pairs; len(rest) > 0; {
		var id, w uint32
		id, w, rest = readPair(rest)
		at = append(at, termStat{id: id, wtf: w})
	}
	lw.mark(at)
	return at
}

// mark makes ts the title terms that title.find looks up, and marks
// none of them used.
func (lw *langWriter) mark(ts []termStat) {
	lw.title.reset(ts)
	lw.altUsed = slices.Grow(lw.altUsed[:0], len(ts))[:len(ts)]
	clear(lw.altUsed)
}

// write builds and writes the index of docs.
func (lw *langWriter) write(docs []*docRec) (Manifest, LangStats, error) {
	b, lang := lw.b, lw.lang
	var ls LangStats
	ls.Docs = len(docs)

	// Postings of every term, in page order: count them, then place them,
	// term by term in the client's order.
	sc := lw.s
	sc.arena.reset() // the previous build's texts are released
	if len(sc.next) < lw.nterms {
		sc.next = make([]uint32, lw.nterms) // left all zero after each build
		sc.seen = make([]uint64, (lw.nterms+63)/64)
	}
	next, seen, used := sc.next[:lw.nterms], sc.seen, sc.used[:0]
	// The pages are scored and their terms counted before the terms'
	// ranks are known (see writeShared.ready); the terms counted are
	// found after, in next. (A list of them in the order first met,
	// kept while counting, took 3 MB a Write on the two workers, and a
	// test and a store at each term's first posting.)
	var secBits uint8 // bits of the largest section number of any page
	var layout uint8  // the most bits of section any page's scores are packed with
	count := func(id uint32) { next[id]++ }
	defer func() {
		clear(next) // a few hundred microseconds: cheaper than a store at each used term
		sc.used = used
	}()
	if len(lw.texts) != len(docs) {
		return Manifest{}, ls, fmt.Errorf("search: %s index: pages not counted before Write's language builds", lang)
	}
	textLangs := map[string]bool{}
	lastLang := ""
	sc.scores = slices.Grow(sc.scores[:0], len(docs))[:len(docs)]
	defer lw.shared.release(lw.texts)
	m := Manifest{Version: FormatVersion, Lang: lang, Docs: len(docs), FragGroup: fragGroup, FragFile: []int{}, Trim: trimFor(lang),
		Filters: map[string][]string{}, Stop: []string{}, ChunkFirst: []string{}, ChunkHash: []string{}, FragHashes: []string{}}
	// The pages go by fragment group: the group's records (of the texts
	// still to be scored) and fragments (unless another build wrote the
	// group) are read back together, and the group's pages are scored
	// and counted, then its fragments written. The result fragments and
	// the titles table need no term ranks either: they are written
	// while termJSON may still be running.
	fw := lw.newFragWriter(docs, &m, &ls)
	for g := 0; g < len(docs); g += fragGroup {
		end := min(g+fragGroup, len(docs))
		if err := lw.prefetchGroup(docs[g:end], lw.texts[g:end], fw.start(g, end)); err != nil {
			return m, ls, err
		}
		for i := g; i < end; i++ {
			d := docs[i]
			if d.textLang != lastLang { // as it nearly always is: a page is mostly in the language of the one before
				textLangs[baseLang(d.textLang)] = true
				lastLang = d.textLang
			}
			ps, err := lw.scored(i, d)
			if err != nil {
				return m, ls, err
			}
			if ps.alt {
				textLangs[SourceLang] = true
			}
			sc.scores[i] = ps
			if ps.ps.wide != nil {
				secBits = 16
				for _, p := range ps.ps.wide {
					count(uint32(p >> 32))
				}
			} else {
				secBits = max(secBits, ps.ps.secUsed)
				layout = max(layout, ps.ps.secBits)
				countNarrow(next, ps.ps.narrow, 5+ps.ps.secBits)
			}
			for _, id := range d.filters {
				count(id)
			}
		}
		if err := fw.group(g, end); err != nil {
			return m, ls, err
		}
	}
	if err := fw.finish(); err != nil {
		return m, ls, err
	}

	// The terms in client order: their ranks marked in seen, then read
	// in order (cheaper than sorting them: a language uses a fifth of
	// the terms).
	if lw.shared.ready != nil {
		<-lw.shared.ready
	}
	rank, order := lw.shared.rank, lw.shared.json.order
	nused := 0
	for id, c := range next {
		if c != 0 {
			r := rank[id]
			seen[r/64] |= 1 << (r % 64)
			nused++
		}
	}
	used = grow(used, nused)[:0]
	for w, bits := range seen {
		for bits != 0 {
			r := uint32(w*64 + mathbits.TrailingZeros64(bits))
			bits &= bits - 1
			used = append(used, uint64(r)<<32|uint64(order[r]))
		}
		seen[w] = 0
	}
	if b.keep {
		lw.live = &liveStats{df: make([]uint32, lw.nterms)}
		for _, u := range used {
			lw.live.df[uint32(u)] = next[uint32(u)]
		}
	}
	sc.start = grow(sc.start, len(used)+1)
	start := sc.start
	var np uint32
	for k, u := range used {
		start[k] = np
		id := uint32(u)
		np, next[id] = np+next[id], np
	}
	start[len(used)] = np
	// Builds derived from this one need the terms of the pages that
	// differ; one derived from another build copies the postings of the
	// terms on none of them (see derive.go).
	words := (lw.nterms + 63) / 64
	if own := lw.own; own != nil {
		own.dirtyIDs = make([]uint64, words)
		for i, d := range docs {
			if own.dirty[i] {
				markPage(own.dirtyIDs, &sc.scores[i].ps, d)
			}
		}
		// Room for every postings string (three to four bytes a
		// posting), so that the strings are not copied as they grow.
		own.ranks = make([]uint32, 0, len(used))
		own.strEnd = make([]uint32, 0, len(used))
		own.strs = make([]byte, 0, int(np)*7/2+2*len(used))
	}
	var baseIdx []int32 // by position in used: the position of the term in the base's build, or -1 if its postings differ
	var basePos []int32 // by position in used: the position of the term in the base's build, or -1 if the base has none
	var skip []uint64   // by term id, one bit a term: its postings are the base's
	if bb := lw.base; bb != nil {
		dirtyIDs := make([]uint64, words)
		for _, i := range lw.dirty {
			markPage(dirtyIDs, &sc.scores[i].ps, docs[i])
		}
		skip = make([]uint64, words)
		baseIdx = make([]int32, len(used))
		basePos = make([]int32, len(used))
		kb := 0
		for k, u := range used {
			r, id := uint32(u>>32), uint32(u)
			for kb < len(bb.ranks) && bb.ranks[kb] < r {
				kb++
			}
			baseIdx[k], basePos[k] = -1, -1
			if kb < len(bb.ranks) && bb.ranks[kb] == r {
				basePos[k] = int32(kb)
			}
			if basePos[k] >= 0 && !hasBit(dirtyIDs, id) && !hasBit(bb.dirtyIDs, id) {
				baseIdx[k] = int32(kb)
				skip[id/64] |= 1 << (id % 64)
			}
		}
	}
	// Each posting as one integer, page<<(5+secBits) | score<<secBits |
	// section: in 32 bits when the language's pages and sections allow,
	// as they nearly always do (half the memory of 64, and of fewer
	// cache lines for the postings placed all over it).
	narrow := mathbits.Len(uint(len(docs)))+5+int(secBits) <= 32
	if narrow && secBits < layout && mathbits.Len(uint(len(docs)))+5+int(layout) <= 32 {
		// As many bits of section as most pages' scores are packed
		// with (see scorePacked): placeNarrow then takes their score
		// and section bits as they are.
		secBits = layout
	}
	if lw.spare {
		if s := lw.shared.json.spare; narrow && cap(sc.all32) < int(np) && len(s) >= int(np) {
			sc.all32 = s
		}
		lw.shared.json.spare = nil
	}
	if narrow {
		sc.all32 = grow(sc.all32, int(np))
		placePostings(sc.all32, next, sc.scores, docs, secBits, skip)
	} else {
		secBits = 16
		sc.all64 = grow(sc.all64, int(np))
		placePostings(sc.all64, next, sc.scores, docs, secBits, skip)
	}
	clear(sc.scores)

	// Chunks: terms in client order with their postings strings.
	n := float64(len(docs))
	// Most terms are on few pages: their idf (which depends on the page
	// counts only) is worked out once per count, 0 until it is.
	clear(sc.idf[:])
	chunkTerms := sc.chunkTerms[:0] // rank<<32 | id
	// The chunk's postings strings, as its JSON has them: quoted, a
	// comma between two ("s0","s1",...), so that the chunk takes them
	// in one copy (appending each, with its quotes and comma, cost a
	// fifth of the chunks' CPU). String i ends at encEnd[i] (its
	// closing quote) and starts three bytes after the end of the one
	// before it (one byte in for the first).
	encs := sc.encs[:0]
	encEnd := sc.encEnd[:0]
	data := sc.data[:0]
	defer func() { sc.chunkTerms, sc.encs, sc.encEnd, sc.data = chunkTerms, encs, encEnd, data }()
	size := 0
	chunkStart := 0 // the position in used of the chunk's first term
	bs := 0         // the first of the base's chunks that may be the same as the chunk
	// takeBase lists c, a chunk of the base's build (already written), as
	// the manifest's next chunk.
	takeBase := func(c baseChunk) {
		first := c.first
		if len(m.ChunkFirst) == 0 {
			first = ""
		}
		m.ChunkFirst = append(m.ChunkFirst, first)
		m.ChunkHash = append(m.ChunkHash, c.hash)
		ls.Chunks++
		ls.ChunkBytes += c.bytes
	}
	flush := func(last bool) error {
		if len(chunkTerms) == 0 {
			return nil
		}
		if c, ok := lw.sameAsBase(chunkStart, basePos, encs, encEnd, &bs); ok {
			// The base's chunk, byte for byte (and so already written):
			// its name without assembling and hashing it again.
			takeBase(c)
			chunkTerms, encs, encEnd, size = chunkTerms[:0], encs[:0], encEnd[:0], 0
			return nil
		}
		// data holds the chunk's JSON up to its last term (see below).
		data = append(data, `],"p":[`...)
		data = append(data, encs...)
		data = append(data, "]}"...)
		h := contentHash(data)
		first, err := lw.shared.json.term(uint32(chunkTerms[0] >> 32))
		if err != nil {
			return err
		}
		if own := lw.own; own != nil {
			own.chunks = append(own.chunks, baseChunk{from: len(own.ranks) - len(chunkTerms), n: len(chunkTerms),
				hash: h, first: first, bytes: int64(len(data)), last: last})
		}
		if len(m.ChunkFirst) == 0 {
			first = ""
		}
		m.ChunkFirst = append(m.ChunkFirst, first)
		m.ChunkHash = append(m.ChunkHash, h)
		ls.Chunks++
		ls.ChunkBytes += int64(len(data))
		chunkTerms, encs, encEnd, size = chunkTerms[:0], encs[:0], encEnd[:0], 0
		return lw.out.write("t/"+h+".json", data, true)
	}
	addFilter := func(u uint64) error {
		key, err := lw.shared.json.term(uint32(u >> 32))
		if err != nil {
			return err
		}
		name, val, _ := strings.Cut(key[1:], ":")
		m.Filters[name] = append(m.Filters[name], val)
		return nil
	}
	bc := 0 // the first of the base's chunks that may start at term k
	for k := 0; k < len(used); k++ {
		u := used[k]
		if c, ok := lw.baseChunkAt(k, baseIdx, &bc, len(chunkTerms) == 0); ok {
			// The base's chunk: the same terms with the same postings,
			// after the same chunk boundary.
			for _, u := range used[k : k+c.n] {
				if lw.shared.json.at(uint32(u >> 32))[1] == '=' {
					if err := addFilter(u); err != nil {
						return m, ls, err
					}
				}
			}
			takeBase(c)
			ls.Terms += c.n
			k += c.n - 1
			continue
		}
		ls.Terms++
		term := lw.shared.json.at(uint32(u >> 32)) // as a JSON string
		if len(encEnd) > 0 {
			encs = append(encs, ',')
		}
		encs = append(encs, '"')
		from := len(encs)
		isFilter := term[1] == '='
		if isFilter {
			if err := addFilter(u); err != nil {
				return m, ls, err
			}
		}
		if baseIdx != nil && baseIdx[k] >= 0 {
			encs = append(encs, lw.base.str(int(baseIdx[k]))...)
		} else if isFilter {
			encs = appendVarint(encs, 0)
		} else {
			df := start[k+1] - start[k]
			var q uint32
			if df < uint32(len(sc.idf)) {
				q = sc.idf[df]
			}
			if q == 0 {
				idf := math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
				q = uint32(max(1, math.Round(idf*8)))
				if df < uint32(len(sc.idf)) {
					sc.idf[df] = q
				}
			}
			encs = appendVarint(encs, q)
		}
		if baseIdx == nil || baseIdx[k] < 0 {
			if narrow {
				encs = appendPostings(encs, sc.all32[start[k]:start[k+1]], secBits)
			} else {
				encs = appendPostings(encs, sc.all64[start[k]:start[k+1]], secBits)
			}
		}
		if own := lw.own; own != nil {
			own.ranks = append(own.ranks, uint32(u>>32))
			own.strs = append(own.strs, encs[from:]...)
			own.strEnd = append(own.strEnd, uint32(len(own.strs)))
		}
		// The chunk's JSON, up to its terms, is written as they come,
		// from the JSON string at hand (flush adds the postings).
		if len(chunkTerms) == 0 {
			chunkStart = k
			data = append(data[:0], `{"t":[`...)
		} else {
			data = append(data, ',')
		}
		data = append(data, term...)
		chunkTerms = append(chunkTerms, u)
		encEnd = append(encEnd, len(encs))
		size += len(term) - 2 + len(encs) - from + 6
		encs = append(encs, '"')
		if size >= chunkTarget && (size >= chunkMax || !lw.pairAt(used, k+1)) {
			if err := flush(false); err != nil {
				return m, ls, err
			}
		}
	}
	if err := flush(true); err != nil {
		return m, ls, err
	}

	// Manifest.
	stop := map[string]bool{}
	for tl := range textLangs {
		for _, w := range strings.Fields(stopWords[tl]) {
			stop[w] = true
		}
	}
	m.Stop = sortedKeys(stop)
	pre := map[string]bool{}
	for tl := range textLangs {
		for _, p := range prefixesFor(tl) {
			pre[p] = true
		}
	}
	// Longest first, so that the client cuts "وال" before "و".
	m.Prefixes = sortedKeys(pre)
	slices.SortStableFunc(m.Prefixes, func(x, y string) int { return runeLen(y) - runeLen(x) })
	for k := range m.Filters {
		slices.Sort(m.Filters[k])
	}
	return m, ls, nil
}

// fragWriter writes the result fragments of a language build's pages,
// a fragment group at a time, and their titles table, and records them
// in the manifest and stats.
type fragWriter struct {
	lw     *langWriter
	docs   []*docRec
	m      *Manifest
	ls     *LangStats
	prefix string // /<lang>/

	frags, file []byte
	ends        []int
	titles      titleTable
	sigBuf      []byte // scratch for groupSignature

	// The group being written (see start).
	shareable bool
	sig       [32]byte
	rec       *fragGroupRec // another build's, or nil
}

// newFragWriter returns a fragWriter of docs, with lw's buffers, for
// the manifest m and stats ls.
func (lw *langWriter) newFragWriter(docs []*docRec, m *Manifest, ls *LangStats) *fragWriter {
	sc := lw.s
	// URLs in the page's language directory are written relative to it
	// ("./guides/x/" for "/ur/guides/x/"), so that languages showing the
	// same pages share the files.
	return &fragWriter{lw: lw, docs: docs, m: m, ls: ls, prefix: "/" + lw.lang + "/",
		frags: sc.frags[:0], ends: sc.ends[:0], file: sc.file[:0], sigBuf: sc.sigBuf[:0],
		titles: titleTable{urls: sc.titles.urls[:0], titles: sc.titles.titles[:0], prev: sc.titles.prev[:0]}}
}

// start begins the group of the pages numbered from g to end, and
// reports whether its fragments are to be read back: not if another
// language has written the same group (same pages at the same numbers),
// which is then taken as it is. Only a group whose texts all show in
// other builds too can be another build's (its signature names the
// texts' fragments): the others are neither looked up nor kept (the
// signatures cost a tenth of the fragments' CPU, mostly in cache misses
// on the pages' URLs, and most groups are of no other build).
func (fw *fragWriter) start(g, end int) bool {
	lw := fw.lw
	fw.shareable, fw.rec = true, nil
	for _, t := range lw.texts[g:end] {
		fw.shareable = fw.shareable && t.shared
	}
	if fw.shareable {
		fw.sig, fw.sigBuf = groupSignature(fw.sigBuf[:0], g, fw.docs[g:end], fw.prefix)
		lw.shared.mu.Lock()
		fw.rec = lw.shared.groups[fw.sig]
		lw.shared.mu.Unlock()
	}
	return fw.rec == nil
}

// group writes the fragments of the group that start began, in files
// of fragFile pages or more, their fragments read from the batch that
// prefetchGroup filled (or else from the temporary file).
func (fw *fragWriter) group(g, end int) error {
	lw, m, ls, docs := fw.lw, fw.m, fw.ls, fw.docs
	if rec := fw.rec; rec != nil {
		m.FragHashes = append(m.FragHashes, rec.hash)
		m.FragFile = append(m.FragFile, rec.per)
		from := uint32(0)
		for k := 0; k+1 < len(rec.ends); k += 2 {
			mid, end := rec.ends[k], rec.ends[k+1]
			fw.titles.add(rec.text[from:mid], rec.text[mid:end])
			from = end
		}
		ls.FragmentBytes += rec.bytes
		return nil
	}
	rec := &fragGroupRec{}
	frags, ends, file := fw.frags[:0], fw.ends[:0], fw.file
	defer func() { fw.frags, fw.ends, fw.file = frags, ends, file }()
	h := xxhash.New()
	for i := g; i < end; i++ {
		from := len(frags)
		var err error
		if frags, err = lw.b.appendFragmentFrom(frags, docs[i], fw.prefix, lw.batch); err != nil {
			return err
		}
		title, err := fragmentTitle(frags[from:])
		if err != nil {
			return fmt.Errorf("search: %s: %w", docs[i].url, err)
		}
		url := fragmentURL(frags[from:])
		fw.titles.add(url, title)
		if fw.shareable {
			rec.text = append(rec.text, url...)
			rec.ends = append(rec.ends, uint32(len(rec.text)))
			rec.text = append(rec.text, title...)
			rec.ends = append(rec.ends, uint32(len(rec.text)))
		}
		if i > g {
			h.Write([]byte{0})
		}
		h.Write(frags[from:])
		ends = append(ends, len(frags))
		rec.bytes += int64(len(frags) - from)
	}
	ls.FragmentBytes += rec.bytes
	hash := hashName(h.Sum64())
	m.FragHashes = append(m.FragHashes, hash)
	per := fragFile
	for per < 4*fragFile && len(frags)*2*per <= fragBytes*(end-g) {
		per *= 2 // small fragments: the average file stays under fragBytes
	}
	m.FragFile = append(m.FragFile, per)
	from := 0
	for i := g; i < end; i += per {
		file = append(file[:0], '[')
		for k := i; k < min(i+per, end); k++ {
			if k > i {
				file = append(file, ',')
			}
			file = append(file, frags[from:ends[k-g]]...)
			from = ends[k-g]
		}
		file = append(file, ']')
		if err := lw.out.write("f/"+strconv.Itoa(i)+"."+hash+".json", file, true); err != nil {
			return err
		}
	}
	if fw.shareable {
		rec.hash, rec.per = hash, per
		lw.shared.mu.Lock()
		lw.shared.groups[fw.sig] = rec
		lw.shared.mu.Unlock()
	}
	return nil
}

// finish writes the titles table, and gives the buffers back to the
// build's scratch. The client draws the first results from the table as
// soon as the term chunks are in, and fills in their sections and
// excerpts when the fragments arrive.
func (fw *fragWriter) finish() error {
	sc := fw.lw.s
	sc.frags, sc.ends, sc.file, sc.titles, sc.sigBuf = fw.frags, fw.ends, fw.file, fw.titles, fw.sigBuf
	data := fw.titles.finish(sc.data[:0])
	sc.data = data
	fw.m.Titles = contentHash(data)
	fw.ls.FragmentBytes += int64(len(data))
	if err := fw.lw.out.write("f/t."+fw.m.Titles+".json", data, true); err != nil {
		return err
	}
	return nil
}

// appendFragment appends the result fragment of d: {"u","k"} and the
// shared part made by fragment. A URL under prefix (/<lang>/) is written
// relative to it.
func (b *Builder) appendFragment(frags []byte, d *docRec, prefix string) ([]byte, error) {
	return b.appendFragmentFrom(frags, d, prefix, nil)
}

// appendFragmentFrom is appendFragment taking the shared part from sb
// if it holds it (see spillBatch), else from the temporary file.
func (b *Builder) appendFragmentFrom(frags []byte, d *docRec, prefix string, sb *spillBatch) ([]byte, error) {
	frags = append(frags, `{"u":`...)
	if rel, ok := strings.CutPrefix(d.url, prefix); ok {
		frags = appendJSONString(frags, "./"+rel)
	} else {
		frags = appendJSONString(frags, d.url)
	}
	frags = append(frags, `,"k":`...)
	frags = appendJSONString(frags, d.kind)
	frags = append(frags, ',')
	// The shared part, without its own "{": read from one byte further
	// on, rather than read whole and moved back a byte.
	if f, ok := sb.get(&d.a.frag); ok {
		return append(frags, f[1:]...), nil
	}
	return b.frags.read(frags, &d.a.frag, 1)
}

// titleTable builds a titles table, the JSON object {"u": [URLs], "t":
// [titles]} of a language's pages by number. Pages are numbered by URL,
// so each URL is written front-coded: its first character (a digit of
// the postings alphabet) says how many UTF-16 code units, up to 63, it
// shares with the URL before it, and the rest is what follows them
// ("./guides/a/", "9b/" for "./guides/b/").
type titleTable struct {
	urls, titles []byte
	prev         []byte // the previous URL, as JSON string contents
}

// add appends a page: url and title are JSON strings, quotes included.
func (t *titleTable) add(url, title []byte) {
	raw := url[1 : len(url)-1]
	// The bytes the URLs share, then as many of their characters as
	// are whole among them, up to 63 UTF-16 units. (Comparing each
	// character's bytes apart, decoded, took three quarters of the
	// table's CPU: URLs are nearly all ASCII.)
	same := 0
	for same < len(raw) && same < len(t.prev) && raw[same] == t.prev[same] {
		same++
	}
	k, units := 0, 0 // shared bytes and UTF-16 units
	for k < same && units < 63 {
		if c := raw[k]; c < utf8.RuneSelf {
			if c == '\\' {
				break // an escape sequence is never shared, so never cut in two
			}
			k++
			units++
			continue
		}
		r, n := utf8.DecodeRune(raw[k:])
		if k+n > same || units+utf16Len(r) > 63 {
			break
		}
		k += n
		units += utf16Len(r)
	}
	if len(t.urls) > 0 {
		t.urls = append(t.urls, ',')
		t.titles = append(t.titles, ',')
	}
	t.urls = append(t.urls, '"', alphabet[units])
	t.urls = append(t.urls, raw[k:]...)
	t.urls = append(t.urls, '"')
	t.titles = append(t.titles, title...)
	t.prev = append(t.prev[:0], raw...)
}

// finish appends the table's JSON to dst.
func (t *titleTable) finish(dst []byte) []byte {
	dst = append(dst, `{"u":[`...)
	dst = append(dst, t.urls...)
	dst = append(dst, `],"t":[`...)
	dst = append(dst, t.titles...)
	return append(dst, "]}"...)
}

func utf16Len(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// fragmentURL returns the JSON string of the URL at the start of a
// fragment written by appendFragment ({"u":"…",…).
func fragmentURL(frag []byte) []byte {
	s := frag[len(`{"u":`):]
	return s[:jsonStringLen(s)]
}

// jsonStringLen returns the length of the JSON string at the start of b,
// quotes included, or 0 if there is none.
func jsonStringLen(b []byte) int {
	if len(b) == 0 || b[0] != '"' {
		return 0
	}
	for i := 1; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return 0
}

// fragmentTitle returns the JSON string of the title in a fragment
// written by appendFragment. Inside a JSON string every quote is escaped,
// so the first `,"t":` is the field's.
func fragmentTitle(frag []byte) ([]byte, error) {
	i := bytes.Index(frag, []byte(`,"t":`))
	if i < 0 {
		return nil, fmt.Errorf("result fragment without a title")
	}
	rest := frag[i+len(`,"t":`):]
	n := jsonStringLen(rest)
	if n == 0 {
		return nil, fmt.Errorf("result fragment with a bad title")
	}
	return rest[:n], nil
}

// trimFor returns how many final characters of a query word may differ
// from an indexed word in an index whose language has no stemmer
// (Ukrainian, Albanian, Bengali, Urdu case endings); 0 for stemmed and CJK
// languages.
func trimFor(lang string) int {
	switch baseLang(lang) {
	case "zh", "ja", "ko":
		return 0
	}
	if HasStemmer(lang) {
		return 0
	}
	return 2
}

// filterKey is the dictionary key of a filter value. "=" cannot occur in
// a token, so filter keys never collide with words.
func filterKey(name, value string) string { return "=" + name + ":" + value }

// quant rounds a score to the 1-31 range stored in postings.
func quant(x float64) uint8 {
	return uint8(min(31, max(1, math.Round(x))))
}

func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("search: encoding index: %w", err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

func jsonString(s string) []byte {
	b, _ := marshal(s)
	return b
}
