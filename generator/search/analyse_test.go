package search

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// refStat is what the reference analyser keeps of one term.
type refStat struct {
	Wtf, Sec uint32
	Ttl      uint8
}

// refAnalysis is an analysis spelt out with terms instead of ids.
type refAnalysis struct {
	Terms  map[string]refStat
	Pairs  map[string]uint32
	Length uint32
}

// refAnalyse analyses d by the definition, one token at a time through
// forEachToken and stemmer.term with no caches, as analyseDoc must.
func refAnalyse(st *stemmer, d *Doc) refAnalysis {
	out := refAnalysis{Terms: map[string]refStat{}, Pairs: map[string]uint32{}}
	cur := map[string]*struct{ cur, best, curScore, bestScore int32 }{}
	field := func(text string, wt uint32, sec int32, secW int32, pairW uint32, ttl uint8) {
		prev := ""
		forEachToken(text, func(tok, raw string, cjk bool) {
			out.Length++
			if !cjk && st.stop[tok] {
				return
			}
			term := st.term(tok, raw, cjk)
			s := out.Terms[term]
			s.Wtf += wt
			s.Ttl = max(s.Ttl, ttl)
			c := cur[term]
			if c == nil {
				c = &struct{ cur, best, curScore, bestScore int32 }{cur: -1}
				cur[term] = c
			}
			if sec >= 0 {
				if c.cur != sec {
					c.cur, c.curScore = sec, 0
				}
				c.curScore += secW
				if c.curScore > c.bestScore {
					c.best, c.bestScore = sec, c.curScore
				}
			}
			s.Sec = uint32(c.best)
			out.Terms[term] = s
			if pairW > 0 {
				if cjk {
					prev = ""
					return
				}
				if prev != "" {
					k := prev + " " + term
					out.Pairs[k] = max(out.Pairs[k], pairW)
				}
				prev = term
			}
		})
	}
	field(d.Title, weightTitle, -1, 0, pairTitle, titleBonus)
	field(d.Summary, weightSummary, -1, 0, pairSummary, 0)
	for i, s := range d.Sections {
		field(s.Heading, weightHeading, int32(i), weightHeading, pairHeading, 0)
		field(s.Text, weightBody, int32(i), weightBody, 0, 0)
	}
	for _, k := range sortedKeys(d.Filters) {
		for _, v := range d.Filters[k] {
			field(v, weightFilter, -1, 0, 0, 0)
		}
	}
	return out
}

// nextTerm decodes a term record with binary.Uvarint, the plain way:
// the reference readTerm is checked against (TestReadTerm).
func nextTerm(b []byte) (termStat, []byte) {
	var t termStat
	v, n := binary.Uvarint(b)
	t.id = uint32(v)
	b = b[n:]
	v, n = binary.Uvarint(b)
	b = b[n:]
	t.wtf = uint32(v >> 1)
	if v&1 != 0 {
		t.ttl = b[0]
		b = b[1:]
	}
	v, n = binary.Uvarint(b)
	t.sec = uint16(v)
	return t, b[n:]
}

// nextPair decodes a pair record with binary.Uvarint (see nextTerm).
func nextPair(b []byte) (id, w uint32, rest []byte) {
	v, n := binary.Uvarint(b)
	b = b[n:]
	x, m := binary.Uvarint(b)
	return uint32(v), uint32(x), b[m:]
}

// spell decodes the records analyseDoc left in w.rec.
func spell(b *Builder, w *worker, length uint32) refAnalysis {
	out := refAnalysis{Terms: map[string]refStat{}, Pairs: map[string]uint32{}, Length: length}
	for rest := w.rec[:w.recTerms]; len(rest) > 0; {
		var t termStat
		t, rest = nextTerm(rest)
		if _, dup := out.Terms[b.termString(t.id)]; dup {
			out.Terms["DUPLICATE "+b.termString(t.id)] = refStat{}
		}
		out.Terms[b.termString(t.id)] = refStat{Wtf: t.wtf, Sec: uint32(t.sec), Ttl: t.ttl}
	}
	for rest := w.rec[w.recTerms:]; len(rest) > 0; {
		var id, wt uint32
		id, wt, rest = nextPair(rest)
		out.Pairs[b.termString(id)] = wt
	}
	return out
}

// analysePieces are the building blocks of the random texts of
// TestAnalyseMatchesDefinition: every script and every path of the
// analyser (word tables, Han bigrams, mixed words, prepared text, long
// words, stop words, single letters, numbers).
var analysePieces = []string{
	"permesso", "Permesso", "PERMESSO", "soggiorno", "di", "Di", "e", "a", "x", "5", "2024", "città", "Città", "CITTÀ",
	"rinnovo", "the", "The", "permits", "Citizenship", "renovación", "séjour", "ÉTAT", "ﬁle", "Straße", "İstanbul",
	"ΣΟΦΟΣ", "σοφος", "посвідки", "Київ", "الإقامة", "والجنسية", "في", "تجديد", "١٢٣", "居留", "许可", "居留许可续签",
	"国", "中文abc", "Abc中文", "ｶﾀｶﾅ", "カタカナ", "한국어", "가", "\u1100\u1161", "e\u0301", "q\u0301", "\u00ad", "\u200b",
	"\ufeff", "，", "：", "（", "）", "①", "½", "™", "\xff", "\u00a0", "ـ", "ٱ", "𠀀𠀁", "😀", "\ufffd",
	strings.Repeat("abcdefghij", 5), strings.Repeat("Ab", 13), strings.Repeat("é", 13), strings.Repeat("居", 7),
	"antidisestablishmentarian", "Antidisestablishmentarianism",
}

// analyseSeps join the pieces: spaces, punctuation, full-width
// punctuation and nothing at all (so that pieces make words together).
var analyseSeps = []string{" ", " ", " ", "", ", ", ". ", "，", "。", "-", "'", "\n", "\u3000", "、"}

func randomText(r *rand.Rand, n int) string {
	var b strings.Builder
	for k := 0; k < n; k++ {
		if k > 0 {
			b.WriteString(analyseSeps[r.Intn(len(analyseSeps))])
		}
		b.WriteString(analysePieces[r.Intn(len(analysePieces))])
	}
	return b.String()
}

// TestAnalyseMatchesDefinition checks analyseDoc, with its word tables,
// raw-text scanning and local term numbers, against refAnalyse on the
// fixture's pages and on random texts in every language, reusing one
// worker (and sometimes resetting it) as the builder does.
func TestAnalyseMatchesDefinition(t *testing.T) {
	f := loadFixture(t)
	r := rand.New(rand.NewSource(3))
	docs := f.Docs
	langs := []string{"it", "en", "fr", "es", "ar", "zh", "uk", "de"}
	for i := 0; i < 3000; i++ {
		d := Doc{TextLang: langs[r.Intn(len(langs))], Title: randomText(r, 1+r.Intn(6)), Summary: randomText(r, r.Intn(10))}
		for s := r.Intn(4); s >= 0; s-- {
			d.Sections = append(d.Sections, Section{Heading: randomText(r, r.Intn(5)), Text: randomText(r, r.Intn(40))})
		}
		if r.Intn(4) == 0 {
			d.Filters = map[string][]string{"municipality": {randomText(r, 1+r.Intn(2))}}
		}
		docs = append(docs, d)
	}
	b := NewBuilder(f.Langs)
	w := newWorker(b)
	for i, d := range docs {
		if d.TextLang == "" {
			d.TextLang = d.Lang
		}
		if i%500 == 499 {
			w.reset() // as when the worker's tables fill up
		}
		st := b.stemmerFor(d.TextLang)
		var a analysis
		w.analyseDoc(st, &d, &a)
		want := refAnalyse(st, &d)
		if diff := cmp.Diff(want, spell(b, w, a.length)); diff != "" {
			t.Fatalf("doc %d (%s, %q...): analysis differs from the definition (-want +got):\n%s", i, d.TextLang, d.Title, diff)
		}
	}
}

// TestCorpusMatchesDefinition runs the same check over the shared bench
// corpus named by $SEARCH_CORPUS, when it is set.
func TestCorpusMatchesDefinition(t *testing.T) {
	dir := os.Getenv("SEARCH_CORPUS")
	if dir == "" {
		t.Skip("set SEARCH_CORPUS to a gencorpus.py content folder to check the analyser on it")
	}
	langs, docs := corpusSite(t, dir)
	b := NewBuilder(langs)
	w := newWorker(b)
	for _, d := range docs {
		if d.Lang != d.TextLang {
			continue
		}
		st := b.stemmerFor(d.TextLang)
		var a analysis
		w.analyseDoc(st, &d, &a)
		if diff := cmp.Diff(refAnalyse(st, &d), spell(b, w, a.length)); diff != "" {
			t.Fatalf("%s: analysis differs from the definition (-want +got):\n%s", d.URL, diff)
		}
	}
}

// TestCharClasses checks the scanner's character table against the
// properties it stands for, on the whole BMP.
func TestCharClasses(t *testing.T) {
	cls := charClasses()
	for r := rune(0); r < 0x10000; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue
		}
		k := cls[r]
		check := func(name string, bit uint8, want bool) {
			if got := k&bit != 0; got != want {
				t.Fatalf("%U: class %s = %v, want %v", r, name, got, want)
			}
		}
		check("word", clsWord, isWordRune(r))
		check("han", clsHan, isHan(r))
		check("cjk", clsCJK, isCJK(r))
		check("space", clsSpace, unicode.IsSpace(r))
		if k&clsSettled != 0 {
			// Scanning raw text relies on these.
			l := unicode.ToLower(r)
			if isWordRune(l) != isWordRune(r) || isCJK(l) != isCJK(r) || isHan(l) != isHan(r) {
				t.Fatalf("%U: settled, but lower case %U changes its class", r, l)
			}
			if s := string(r); prepare(s) != strings.ToLower(s) {
				t.Fatalf("%U: settled, but prepare gives %+q", r, prepare(s))
			}
		}
		if k&clsInert != 0 {
			for _, s := range []string{"a", "é", "居", " ", "\u0627"} {
				if in := "x" + string(r) + s; fmt.Sprint(Tokens(in, "")) != fmt.Sprint(Tokens("x "+s, "")) {
					t.Fatalf("%U: inert, but %+q gives tokens %q", r, in, Tokens(in, ""))
				}
			}
		}
	}
	// Lower case is idempotent: the word tables key words on their raw
	// form and lower them once.
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if l := unicode.ToLower(r); unicode.ToLower(l) != l {
			t.Fatalf("unicode.ToLower is not idempotent on %U", r)
		}
	}
}

// TestWordTab checks the word table against a map, through growth,
// with words looked up alone (find) and inside longer texts (findIn,
// whose keys come from whole eight-byte loads that read past the word).
func TestWordTab(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	tab := newWordTab()
	want := map[string]uint32{}
	for i := 0; i < 50000; i++ {
		n := 1 + r.Intn(30)
		var b strings.Builder
		for k := 0; k < n; k++ {
			b.WriteByte("abcdefghijklmnopqrstuvwxyz0123456789"[r.Intn(6+r.Intn(30))])
		}
		w := b.String()
		got, ok := tab.find(w)
		if c, in := want[w]; ok != in || ok && got != c {
			t.Fatalf("find(%q) = %d, %v; want %d, %v", w, got, ok, c, in)
		}
		// The same word in a text: after up to 9 bytes, and before up
		// to 30 (fewer than wordInline take keyOf's path).
		pre, post := r.Intn(10), r.Intn(31)
		text := "é-.xyzw9 "[:pre] + w + strings.Repeat("qé0 ", 8)[:post]
		if got2, ok2 := tab.findIn(text, pre, pre+n); ok2 != ok || got2 != got {
			t.Fatalf("findIn(%q, %d, %d) = %d, %v; want %d, %v as find", text, pre, pre+n, got2, ok2, got, ok)
		}
		if !ok {
			want[w] = uint32(i)
			tab.insert(w, uint32(i))
		}
	}
	for w, c := range want {
		if got, ok := tab.find(w); !ok || got != c {
			t.Fatalf("find(%q) = %d, %v after growth; want %d", w, got, ok, c)
		}
	}
}

// TestTouchText checks which bytes touchText reads: one in every 64,
// from the first, and the last, within its limit; a byte it must read
// is marked with a bit of its own, the others with 0x80.
func TestTouchText(t *testing.T) {
	for _, tc := range []struct {
		n, limit int
		read     []int // indices of the bytes read
	}{
		{0, 0, nil},
		{1, 0, []int{0}},
		{64, 0, []int{0, 63}},
		{65, 0, []int{0, 64}},
		{200, 0, []int{0, 64, 128, 192, 199}},
		{200, 100, []int{0, 64, 99}},
		{200, 300, []int{0, 64, 128, 192, 199}},
	} {
		b := bytes.Repeat([]byte{0x80}, tc.n)
		var want byte
		for k, i := range tc.read {
			b[i] = 1 << k
			want |= 1 << k
		}
		if got := touchText(string(b), tc.limit); got&0x7F != want {
			t.Errorf("touchText(%d bytes, limit %d) read bits %#x; want %#x", tc.n, tc.limit, got&0x7F, want)
		}
	}
}

// TestHanTab checks the Han bigram table against a map, through growth.
func TestHanTab(t *testing.T) {
	r := rand.New(rand.NewSource(9))
	var tab hanTab
	want := map[uint32]uint32{}
	for i := 0; i < 100000; i++ {
		a, b := rune(0x4E00+r.Intn(300)), rune(0)
		if r.Intn(10) > 0 {
			b = rune(0x3400 + r.Intn(0x9FFF-0x3400+1))
		}
		k := hanKey(a, b)
		e := tab.find(k)
		if id, in := want[k]; (e.key != 0) != in || in && e.id != id {
			t.Fatalf("find(%x) = %+v; want id %d, %v", k, *e, id, in)
		}
		if e.key == 0 {
			want[k] = uint32(i)
			tab.insert(k).id = uint32(i)
		}
	}
	if tab.n != len(want) {
		t.Fatalf("table holds %d keys, want %d", tab.n, len(want))
	}
	for k, id := range want {
		if e := tab.find(k); e.key != k || e.id != id {
			t.Fatalf("find(%x) = %+v after growth; want id %d", k, *e, id)
		}
	}
}

// TestASCIIStops checks the eight-byte classifier of scan on every byte
// value in every position.
func TestASCIIStops(t *testing.T) {
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 8; pos++ {
			var b [8]byte
			for k := range b {
				b[k] = "aZ09mQ5z"[k]
			}
			b[pos] = byte(c)
			got := asciiStops(load64(string(b[:])))
			for k := range b {
				want := !(b[k] < 0x80 && asciiWord[b[k]])
				if (got>>(8*k+7))&1 == 1 != want {
					t.Fatalf("asciiStops(%q): byte %d (%#x) stop = %v, want %v", b, k, b[k], !want, want)
				}
			}
		}
	}
}

// TestPairTab checks the pair table against a map, through growth, with
// pairs of small ids (0<<32|0 included), pairs at and past the packed
// slots' limit (2^21), and term ids past it, which the table keeps
// apart (see pairTab).
func TestPairTab(t *testing.T) {
	r := rand.New(rand.NewSource(11))
	var tab pairTab
	want := map[uint64]uint32{}
	near := func() uint64 { return uint64(1<<pairBits - 2 + r.Intn(4)) } // 2^21-2 .. 2^21+1
	for i := 0; i < 100000; i++ {
		k := uint64(r.Intn(300))<<32 | uint64(r.Intn(300))
		switch r.Intn(8) {
		case 0:
			k = uint64(r.Int63n(1<<31))<<32 | uint64(r.Uint32())
		case 1:
			k = near()<<32 | uint64(r.Intn(300))
		case 2:
			k = uint64(r.Intn(300))<<32 | near()
		}
		got, ok := tab.find(k)
		if id, in := want[k]; ok != in || in && got != id {
			t.Fatalf("find(%x) = %d, %v; want id %d, %v", k, got, ok, id, in)
		}
		if !ok {
			id := uint32(i)
			if r.Intn(5) == 0 {
				id = 1<<pairBits - 3 + uint32(r.Intn(6)) // 2^21-3 .. 2^21+2
			}
			want[k] = id
			tab.insert(k, id)
		}
	}
	if len(tab.wide) == 0 || tab.n == 0 {
		t.Fatalf("%d pairs in slots, %d apart: the test should fill both", tab.n, len(tab.wide))
	}
	for k, id := range want {
		if got, ok := tab.find(k); !ok || got != id {
			t.Fatalf("find(%x) = %d, %v after growth; want id %d", k, got, ok, id)
		}
	}
}

// TestByteStops checks the eight-byte classifiers of appendCut and
// appendJSONString on every byte value in every position: cutStops
// exactly, jsonStops in that it marks a chunk if and only if the chunk
// holds a byte that needs a look.
func TestByteStops(t *testing.T) {
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 8; pos++ {
			for _, fill := range []string{"aZ09mQ5z", "é居a", "\u2028ab", "ab\"\\cd\n"} {
				var b [8]byte
				copy(b[:], fill+"xxxxxxxx")
				b[pos] = byte(c)
				x := load64(string(b[:]))
				got := cutStops(x)
				anyJSON := false
				for k := range b {
					want := b[k] <= ' ' || b[k] >= 0x80 || b[k] == '"' || b[k] == '\\'
					if (got>>(8*k+7))&1 == 1 != want {
						t.Fatalf("cutStops(%q): byte %d (%#x) stop = %v, want %v", b, k, b[k], !want, want)
					}
					anyJSON = anyJSON || b[k] < 0x20 || b[k] == '"' || b[k] == '\\' || b[k] == 0xE2
				}
				if (jsonStops(x) != 0) != anyJSON {
					t.Fatalf("jsonStops(%q) = %#x, want a mark: %v", b, jsonStops(x), anyJSON)
				}
			}
		}
	}
}

// TestFragmentTextRandom checks appendCut and appendJSONString, which
// take ASCII eight bytes at a time, against their plain definitions on
// random texts with long ASCII runs, every kind of white space, control
// characters, quotes, backslashes, U+2028 and invalid bytes.
func TestFragmentTextRandom(t *testing.T) {
	r := rand.New(rand.NewSource(13))
	pieces := []string{"permessodisoggiorno", "a", "bé", "città", "الإقامة", "居留许可", " ", "  ", "\t", "\n", "\r\n", "\v\f",
		"\u00a0", "\u3000", "\u2003", "\u2028", "\u2029", "\xff", "\xe2", "\xe2\x80", "\x01", "\x1f", "\x7f", `"`, `\`,
		"x", "permesso", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "!#$%&'()*+,-./", "𠀀"}
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for k := r.Intn(40); k > 0; k-- {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		s := b.String()
		n := r.Intn(120)
		out, runes := appendCut(nil, s, n)
		if got, want := string(out), refCutText(s, n); got != want || runes != textWidth(got) {
			t.Fatalf("appendCut(%q, %d) = %q (width %d), want %q", s, n, got, runes, want)
		}
		if got, want := string(appendJSONString([]byte("≠"), s)), "≠"+string(jsonString(s)); got != want {
			t.Fatalf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	}
}

// TestBatchedAdd checks that pages whose analysis waits for a batch (Add)
// give the same index as pages analysed at once, that Write analyses the
// pages still waiting, and that Add keeps its own copy of what a Doc
// points to.
func TestBatchedAdd(t *testing.T) {
	f := loadFixture(t)
	// Batches of a few pages, so that the fixture fills several of them
	// and leaves some pages to drain, in more than one language.
	const batch = 7
	if len(f.Docs) <= 2*batch {
		t.Fatalf("the fixture has %d pages; the test needs more than two batches (%d)", len(f.Docs), 2*batch)
	}
	now := NewBuilder(f.Langs)
	for _, d := range f.Docs {
		rec, err := now.add(d)
		if err != nil {
			t.Fatal(err)
		}
		now.docs = append(now.docs, rec)
	}
	later := NewBuilder(f.Langs)
	later.batch = batch
	for _, d := range f.Docs {
		d.Sections = slices.Clone(d.Sections)
		later.Add(d)
		for i := range d.Sections { // the caller reuses its buffers
			d.Sections[i].Text = "overwritten"
		}
	}
	later.pendMu.Lock()
	waiting := len(later.pending)
	later.pendMu.Unlock()
	if waiting == 0 {
		t.Errorf("no page waits for a batch after Add; the test checks nothing of drain")
	}
	langs := map[string]bool{}
	later.pendMu.Lock()
	for _, j := range later.pending {
		langs[j.st.lang] = true
	}
	later.pendMu.Unlock()
	if len(langs) < 2 {
		t.Errorf("the pages left to drain are in %d language(s); the test wants two or more, to drain in parallel", len(langs))
	}
	dirNow, dirLater := t.TempDir(), t.TempDir()
	if _, err := now.Write(dirNow); err != nil {
		t.Fatal(err)
	}
	if _, err := later.Write(dirLater); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(readTree(t, dirNow), readTree(t, dirLater)); diff != "" {
		t.Errorf("batched Add gives another index (-at once +batched):\n%s", diff)
	}
}

// TestDecodeAt checks the scanner's decoder against
// utf8.DecodeRuneInString on every two-byte sequence and every
// three-byte one from a set of third bytes, whole and cut short.
func TestDecodeAt(t *testing.T) {
	for c0 := 0x80; c0 < 0x100; c0++ {
		for c1 := 0; c1 < 0x100; c1++ {
			for _, c2 := range []byte{0x00, 0x41, 0x80, 0x95, 0xBF, 0xC0, 0xE4} {
				for _, s := range []string{string([]byte{byte(c0), byte(c1), c2}), string([]byte{byte(c0), byte(c1)}), string([]byte{byte(c0)})} {
					r, n := decodeAt("x"+s, 1)
					wr, wn := utf8.DecodeRuneInString(s)
					if r != wr || n != wn {
						t.Fatalf("decodeAt(% x) = %U, %d; want %U, %d", s, r, n, wr, wn)
					}
				}
			}
		}
	}
}
