package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"
)

// Ranking constants (BM25).
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// Layout constants.
const (
	// chunkTarget is the size in bytes at which a term chunk is closed.
	chunkTarget = 8 << 10
	// fragGroup is the number of consecutive pages whose fragments share
	// one content hash in their file names.
	fragGroup = 64
	// FormatVersion is written into every manifest; the client refuses
	// manifests of another version.
	FormatVersion = 1
)

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
	FragHashes []string            `json:"fg"`             // hash of fragment group i
	ChunkFirst []string            `json:"ck"`             // first term of chunk i
	ChunkHash  []string            `json:"ch"`             // file name of chunk i, without .json
	Filters    map[string][]string `json:"f"`              // filter name -> values present
}

// chunkFile is the JSON of one term chunk: terms in UTF-16 order and their
// postings strings.
type chunkFile struct {
	Terms    []string `json:"t"`
	Postings []string `json:"p"`
}

// Write writes <dir>/search/<lang>/ for every site language: manifest.json,
// t/<hash>.json term chunks and f/<doc>.<hash>.json result fragments. Any
// previous contents of those language directories are removed. The output
// depends only on the documents added, not on the order they were added.
func (b *Builder) Write(dir string) (Stats, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := errList(b.errs); err != nil {
		return Stats{}, err
	}
	byLang := map[string][]*docRec{}
	for _, d := range b.docs {
		byLang[d.lang] = append(byLang[d.lang], d)
	}
	st := Stats{Langs: map[string]LangStats{}}
	var mu sync.Mutex
	var g errgroup.Group
	g.SetLimit(2)
	for _, lang := range b.langs {
		docs := byLang[lang]
		g.Go(func() error {
			ls, files, n, err := b.writeLang(dir, lang, docs)
			if err != nil {
				return err
			}
			mu.Lock()
			st.Langs[lang] = ls
			st.Files += files
			st.Bytes += n
			mu.Unlock()
			return nil
		})
	}
	return st, g.Wait()
}

// writeLang builds and writes one language's index.
func (b *Builder) writeLang(dir, lang string, docs []*docRec) (LangStats, int, int64, error) {
	docs = slices.Clone(docs)
	slices.SortFunc(docs, func(x, y *docRec) int { return strings.Compare(x.url, y.url) })
	for i := 1; i < len(docs); i++ {
		if docs[i].url == docs[i-1].url {
			return LangStats{}, 0, 0, fmt.Errorf("search: %s: added twice to the %s index; add each page once per language", docs[i].url, lang)
		}
	}
	var ls LangStats
	ls.Docs = len(docs)

	// Average length for BM25.
	var total float64
	for _, d := range docs {
		total += float64(d.a.length)
	}
	avg := 1.0
	if len(docs) > 0 && total > 0 {
		avg = total / float64(len(docs))
	}

	postings := map[uint32][]posting{}
	filterDocs := map[string][]uint32{}
	textLangs := map[string]bool{}
	for i, d := range docs {
		id := uint32(i)
		textLangs[baseLang(d.textLang)] = true
		terms := d.a.terms
		pairs := d.a.pairs
		if alt, ok := b.altTitle[d.key]; ok && d.key != "" && baseLang(d.textLang) != SourceLang {
			terms = mergeStats(terms, alt.a.terms)
			pairs = mergeStats(pairs, alt.a.pairs)
			textLangs[SourceLang] = true
		}
		norm := bm25K1 * (1 - bm25B + bm25B*float64(d.a.length)/avg)
		for _, t := range terms {
			w := float64(t.wtf)
			tfn := w * (bm25K1 + 1) / (w + norm) * (1 + d.weight)
			tf := quant(tfn/(bm25K1+1)*bodyScale + float64(t.ttl))
			postings[t.id] = append(postings[t.id], posting{doc: id, tf: tf, sec: t.sec})
		}
		for _, p := range pairs {
			postings[p.id] = append(postings[p.id], posting{doc: id, tf: quant(float64(p.wtf))})
		}
		for _, k := range sortedKeys(d.filters) {
			for _, v := range d.filters[k] {
				fk := filterKey(k, v)
				if l := filterDocs[fk]; len(l) == 0 || l[len(l)-1] != id {
					filterDocs[fk] = append(l, id)
				}
			}
		}
	}

	// Dictionary in client order.
	type entry struct {
		term string
		enc  []byte
	}
	n := float64(len(docs))
	entries := make([]entry, 0, len(postings)+len(filterDocs))
	for id, ps := range postings {
		df := float64(len(ps))
		idf := math.Log(1 + (n-df+0.5)/(df+0.5))
		enc := appendVarint(nil, uint32(max(1, math.Round(idf*8))))
		var last uint32
		for _, p := range ps {
			enc = appendVarint(enc, p.doc-last)
			enc = appendVarint(enc, uint32(p.tf))
			enc = appendVarint(enc, uint32(p.sec))
			last = p.doc
		}
		entries = append(entries, entry{b.words[id], enc})
	}
	for fk, ids := range filterDocs {
		enc := appendVarint(nil, 0)
		var last uint32
		for _, id := range ids {
			enc = appendVarint(enc, id-last)
			enc = appendVarint(enc, 1)
			enc = appendVarint(enc, 0)
			last = id
		}
		entries = append(entries, entry{fk, enc})
	}
	slices.SortFunc(entries, func(x, y entry) int { return compareUTF16(x.term, y.term) })
	ls.Terms = len(entries)

	root := filepath.Join(dir, "search", lang)
	if err := os.RemoveAll(root); err != nil {
		return ls, 0, 0, fmt.Errorf("search: clearing %s: %w", root, err)
	}
	for _, sub := range []string{"t", "f"} {
		if err := os.MkdirAll(filepath.Join(root, sub), 0o755); err != nil {
			return ls, 0, 0, fmt.Errorf("search: %w", err)
		}
	}
	files, written := 0, int64(0)
	write := func(rel string, data []byte) error {
		files++
		written += int64(len(data))
		if err := os.WriteFile(filepath.Join(root, rel), data, 0o644); err != nil {
			return fmt.Errorf("search: writing %s index: %w", lang, err)
		}
		return nil
	}

	m := Manifest{Version: FormatVersion, Lang: lang, Docs: len(docs), FragGroup: fragGroup, Trim: trimFor(lang),
		Filters: map[string][]string{}, Stop: []string{}, ChunkFirst: []string{}, ChunkHash: []string{}, FragHashes: []string{}}
	// Chunks.
	var cf chunkFile
	size := 0
	flush := func() error {
		if len(cf.Terms) == 0 {
			return nil
		}
		data, err := marshal(cf)
		if err != nil {
			return err
		}
		h := contentHash(data)
		first := cf.Terms[0]
		if len(m.ChunkFirst) == 0 {
			first = ""
		}
		m.ChunkFirst = append(m.ChunkFirst, first)
		m.ChunkHash = append(m.ChunkHash, h)
		ls.Chunks++
		ls.ChunkBytes += int64(len(data))
		cf = chunkFile{}
		size = 0
		return write("t/"+h+".json", data)
	}
	for _, e := range entries {
		cf.Terms = append(cf.Terms, e.term)
		cf.Postings = append(cf.Postings, string(e.enc))
		size += len(e.term) + len(e.enc) + 6
		if size >= chunkTarget {
			if err := flush(); err != nil {
				return ls, files, written, err
			}
		}
	}
	if err := flush(); err != nil {
		return ls, files, written, err
	}

	// Fragments, in groups that share a content hash.
	frags := make([][]byte, len(docs))
	for i, d := range docs {
		var buf bytes.Buffer
		buf.WriteString(`{"u":`)
		buf.Write(jsonString(d.url))
		buf.WriteString(`,"k":`)
		buf.Write(jsonString(d.kind))
		buf.WriteByte(',')
		buf.Write(d.a.frag[1:])
		frags[i] = buf.Bytes()
	}
	for g := 0; g < len(docs); g += fragGroup {
		end := min(g+fragGroup, len(docs))
		h := contentHash(bytes.Join(frags[g:end], []byte{0}))
		m.FragHashes = append(m.FragHashes, h)
		for i := g; i < end; i++ {
			ls.FragmentBytes += int64(len(frags[i]))
			if err := write("f/"+strconv.Itoa(i)+"."+h+".json", frags[i]); err != nil {
				return ls, files, written, err
			}
		}
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
	for fk := range filterDocs {
		name, val, _ := strings.Cut(fk[1:], ":")
		m.Filters[name] = append(m.Filters[name], val)
	}
	for k := range m.Filters {
		slices.Sort(m.Filters[k])
	}
	data, err := marshal(m)
	if err != nil {
		return ls, files, written, err
	}
	ls.ManifestBytes = int64(len(data))
	return ls, files, written, write("manifest.json", data)
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

// mergeStats merges two id-sorted term lists, adding weights.
func mergeStats(a, b []termStat) []termStat {
	out := make([]termStat, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i].id < b[j].id:
			out = append(out, a[i])
			i++
		case i == len(a) || b[j].id < a[i].id:
			out = append(out, b[j])
			j++
		default:
			t := a[i]
			t.wtf += b[j].wtf
			t.ttl = max(t.ttl, b[j].ttl)
			out = append(out, t)
			i++
			j++
		}
	}
	return out
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
