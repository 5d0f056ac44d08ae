package search

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTerms(t *testing.T) {
	tests := []struct {
		lang, tok, want, raw string
	}{
		{"it", "permessi", "permess", ""},
		{"it", "permesso", "permess", ""},
		{"it", "cittadinanza", "cittadin", ""},
		{"it", "immigrazione", "immigr", ""},
		{"en", "citizenship", "citizenship", ""},
		{"en", "permits", "permit", ""},
		{"en", "happy", "happ", ""}, // Snowball's happi is cut back to a prefix of the word
		{"fr", "renouvellement", "renouvel", ""},
		{"es", "renovacion", "renov", "renovación"}, // stemmed with its accent
		{"fr", "sejour", "sejour", "séjour"},
		{"ro", "permisului", "permis", ""},
		{"ar", "الاقامه", "اقام", ""}, // article cut, then stemmed
		{"ar", "والجنسيه", "جنس", ""}, // conjunction + article cut before Snowball
		{"ar", "المهاجرين", "مهاجر", ""},
		{"uk", "посвідки", "посвідки", ""}, // no Ukrainian stemmer
		{"zh", "居留", "居留", ""},
		{"it", "2024", "2024", ""},
	}
	for _, tt := range tests {
		cjk := isCJK([]rune(tt.tok)[0])
		raw := tt.raw
		if raw == "" {
			raw = tt.tok
		}
		if got := newStemmer(tt.lang).term(tt.tok, raw, cjk); got != tt.want {
			t.Errorf("term(%q, %s) = %q, want %q", tt.tok, tt.lang, got, tt.want)
		}
	}
}

func TestPrefixStem(t *testing.T) {
	tests := []struct{ tok, stem, want string }{
		{"permessi", "permess", "permess"},
		{"happy", "happi", "happ"},
		{"city", "citi", "cit"},
		{"yes", "ye", "ye"},
		{"abc", "xyz", "abc"},
		{"ab", "", "ab"},
	}
	for _, tt := range tests {
		if got := prefixStem(tt.tok, tt.stem); got != tt.want {
			t.Errorf("prefixStem(%q, %q) = %q, want %q", tt.tok, tt.stem, got, tt.want)
		}
	}
}

func TestVarints(t *testing.T) {
	in := []uint32{0, 1, 31, 32, 33, 1023, 1024, 1 << 20, 1<<31 - 1}
	var enc []byte
	for _, v := range in {
		enc = appendVarint(enc, v)
	}
	got, err := decodeVarints(string(enc))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"!", "w"} {
		if _, err := decodeVarints(bad); err == nil {
			t.Errorf("decodeVarints(%q) succeeded, want an error", bad)
		}
	}
}

func TestCompareUTF16(t *testing.T) {
	// JavaScript orders U+FF5E after U+1F600 (whose first code unit is
	// U+D83D); byte order says the opposite.
	if compareUTF16("\uff5e", "\U0001F600") <= 0 {
		t.Error("U+FF5E should sort after U+1F600 in UTF-16 order")
	}
	if compareUTF16("a", "ab") >= 0 || compareUTF16("b", "ab") <= 0 || compareUTF16("x", "x") != 0 {
		t.Error("prefix order broken")
	}
}

// recallCases are real queries a reader types, in several languages, and
// the guide that must be among the first three results.
var recallCases = []struct {
	lang, q, want string
}{
	{"it", "rinnovo permesso di soggiorno", "/it/guides/residence/rinnovo-permesso/"},
	{"it", "rinnovare il permesso", "/it/guides/residence/rinnovo-permesso/"},
	{"it", "cittadinanza matrimonio", "/it/guides/citizenship/cittadinanza-matrimonio/"},
	{"it", "cittadinanza sposato", "/it/guides/citizenship/cittadinanza-matrimonio/"},
	{"it", "ricongiungimento familiare", "/it/guides/family/ricongiungimento-familiare/"},
	{"it", "ricong", "/it/guides/family/ricongiungimento-familiare/"},
	{"it", "codice fiscale", "/it/guides/services/codice-fiscale/"},
	{"it", "tessera sanitaria medico", "/it/guides/services/iscrizione-ssn/"},
	{"it", "perche serve il visto", "/it/guides/entry/visto-ingresso/"},
	{"it", "test di lingua", "/it/guides/residence/permesso-ue-lungo-periodo/"},
	{"en", "citizenship by marriage", "/en/guides/citizenship/cittadinanza-matrimonio/"},
	{"en", "renew residence permit", "/en/guides/residence/rinnovo-permesso/"},
	{"en", "family reunification", "/en/guides/family/ricongiungimento-familiare/"},
	{"en", "health card", "/en/guides/services/iscrizione-ssn/"},
	{"en", "permesso di soggiorno rinnovo", "/en/guides/residence/rinnovo-permesso/"},
	{"en", "long term permit", "/en/guides/residence/permesso-ue-lungo-periodo/"},
	{"ar", "تجديد تصريح الإقامة", "/ar/guides/residence/rinnovo-permesso/"},
	{"ar", "تجديد تصريح الاقامة", "/ar/guides/residence/rinnovo-permesso/"},
	{"ar", "الجنسية بالزواج", "/ar/guides/citizenship/cittadinanza-matrimonio/"},
	{"ar", "لم شمل الأسرة", "/ar/guides/family/ricongiungimento-familiare/"},
	{"ar", "permesso di soggiorno", "/ar/guides/residence/rinnovo-permesso/"},
	{"ar", "cittadinanza matrimonio", "/ar/guides/citizenship/cittadinanza-matrimonio/"},
	{"zh", "居留许可 续签", "/zh/guides/residence/rinnovo-permesso/"},
	{"zh", "居留许可", "/zh/guides/residence/rinnovo-permesso/"},
	{"zh", "国籍 婚姻", "/zh/guides/citizenship/cittadinanza-matrimonio/"},
	{"zh", "家庭团聚", "/zh/guides/family/ricongiungimento-familiare/"},
	{"zh", "税号", "/zh/guides/services/codice-fiscale/"},
	{"uk", "посвідка на проживання", "/uk/guides/residence/rinnovo-permesso/"},
	{"uk", "codice fiscale", "/uk/guides/services/codice-fiscale/"},
	{"uk", "податковий", "/uk/guides/services/codice-fiscale/"},
	{"ur", "citizenship marriage", "/ur/guides/citizenship/cittadinanza-matrimonio/"},
	{"ur", "ricongiungimento", "/ur/guides/family/ricongiungimento-familiare/"},
	{"fr", "titre de sejour", "/fr/guides/residence/rinnovo-permesso/"},
	{"fr", "visa d'entrée", "/fr/guides/entry/visto-ingresso/"},
	{"es", "renovación permiso", "/es/guides/residence/rinnovo-permesso/"},
	{"es", "visado", "/es/guides/entry/visto-ingresso/"},
}

func TestRecall(t *testing.T) {
	dir := t.TempDir()
	buildFixture(t, dir)
	found := 0
	for _, c := range recallCases {
		hits, _, err := openIndex(t, dir, c.lang).Search(c.q, nil, 3)
		if err != nil {
			t.Fatal(err)
		}
		var urls []string
		ok := false
		for _, h := range hits {
			page, _, _ := strings.Cut(h.URL, "#")
			urls = append(urls, h.URL)
			ok = ok || page == c.want
		}
		if ok {
			found++
		} else {
			t.Errorf("%s %q: top 3 = %q, want %s among them", c.lang, c.q, urls, c.want)
		}
	}
	t.Logf("recall@3: %d/%d", found, len(recallCases))
}

func TestRanking(t *testing.T) {
	dir := t.TempDir()
	buildFixture(t, dir)
	tests := []struct {
		name, lang, q string
		first         string // URL of the first hit, including #anchor
	}{
		{"heading deep link", "it", "kit postale", "/it/guides/residence/rinnovo-permesso/#kit-postale"},
		{"heading deep link en", "en", "receipt", "/en/guides/residence/rinnovo-permesso/#receipt"},
		{"title beats desks that mention the word", "it", "ricongiungimento", "/it/guides/family/ricongiungimento-familiare/"},
		{"exact phrase in title beats scattered words", "en", "citizenship by residence", "/en/guides/citizenship/cittadinanza-residenza/"},
		{"accents do not matter", "fr", "sejour renouvellement", "/fr/guides/residence/rinnovo-permesso/#quand"},
	}
	for _, tt := range tests {
		hits, _, err := openIndex(t, dir, tt.lang).Search(tt.q, nil, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 || hits[0].URL != tt.first {
			t.Errorf("%s: %s %q: first hit %v, want %s", tt.name, tt.lang, tt.q, hits, tt.first)
		}
	}
}

func TestPhraseBonus(t *testing.T) {
	// Two pages with the same words; only one has them side by side in
	// its title.
	b := NewBuilder([]string{"en"})
	b.Add(Doc{Lang: "en", URL: "/a/", Title: "Residence and work", Summary: "A permit for work.", Kind: "guide"})
	b.Add(Doc{Lang: "en", URL: "/b/", Title: "Work permit", Summary: "About residence.", Kind: "guide"})
	dir := t.TempDir()
	if _, err := b.Write(dir); err != nil {
		t.Fatal(err)
	}
	hits, _, err := openIndex(t, dir, "en").Search("work permit", nil, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 2 || hits[0].URL != "/b/" || hits[0].Score <= hits[1].Score {
		t.Errorf("hits = %+v, want /b/ first with a higher score", hits)
	}
}

func TestFilters(t *testing.T) {
	dir := t.TempDir()
	buildFixture(t, dir)
	tests := []struct {
		lang, q string
		filters map[string]string
		want    []string
	}{
		{"it", "", map[string]string{"municipality": "Saronno"}, []string{"/it/desks/saronno/"}},
		{"en", "", map[string]string{"service": "cittadinanza"}, []string{"/en/desks/busto/", "/en/desks/saronno/"}},
		{"it", "permesso", map[string]string{"service": "ricongiungimento"}, []string{"/it/desks/varese/"}},
		{"it", "cittadinanza", map[string]string{"topic": "citizenship", "kind": "topic"}, []string{"/it/guides/citizenship/"}},
		{"it", "permesso", map[string]string{"municipality": "Nowhere"}, nil},
		{"it", "", map[string]string{"topic": ""}, nil},
	}
	for _, tt := range tests {
		hits, _, err := openIndex(t, dir, tt.lang).Search(tt.q, tt.filters, 10)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range hits {
			got = append(got, h.URL)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s %q %v (-want +got):\n%s", tt.lang, tt.q, tt.filters, diff)
		}
	}
	m := openIndex(t, dir, "it").Manifest()
	if diff := cmp.Diff([]string{"Busto Arsizio", "Saronno", "Varese"}, m.Filters["municipality"]); diff != "" {
		t.Errorf("manifest municipality filter values (-want +got):\n%s", diff)
	}
}

// TestDeterministic adds the same pages in different orders from many
// goroutines and expects byte-identical output.
func TestDeterministic(t *testing.T) {
	f := loadFixture(t)
	build := func(seed int64) map[string]string {
		docs := append([]Doc(nil), f.Docs...)
		rand.New(rand.NewSource(seed)).Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
		b := NewBuilder(f.Langs)
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < len(docs); i += 4 {
					b.Add(docs[i])
				}
			}()
		}
		wg.Wait()
		dir := t.TempDir()
		if _, err := b.Write(dir); err != nil {
			t.Fatal(err)
		}
		return readTree(t, dir)
	}
	a, b := build(1), build(2)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("output depends on Add order:\n%s", diff)
	}
}

func TestFallbackTextStoredOnce(t *testing.T) {
	b := NewBuilder([]string{"en", "ur", "bn"})
	d := Doc{Lang: "en", URL: "/en/x/", Title: "Residence permit", Sections: []Section{{Text: "Long text about permits."}}}
	b.Add(d)
	d.Lang, d.TextLang, d.URL = "ur", "en", "/ur/x/"
	b.Add(d)
	d.Lang, d.URL = "bn", "/bn/x/"
	b.Add(d)
	if len(b.texts) != 1 {
		t.Errorf("%d analyses for one text shown in three languages, want 1", len(b.texts))
	}
	// The three indexes are the same but for their manifests, so they
	// share one chunk file, one fragment file and one titles table, and
	// each still links to its own language's page.
	dir := t.TempDir()
	st, err := b.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st.Files != 3+3 {
		t.Errorf("%d files written, want 3 manifests, 1 chunk, 1 fragment file and 1 titles table", st.Files)
	}
	for _, lang := range []string{"en", "ur", "bn"} {
		hits, _, err := openIndex(t, dir, lang).Search("permits", nil, 5)
		if err != nil {
			t.Fatal(err)
		}
		if want := "/" + lang + "/x/"; len(hits) != 1 || hits[0].URL != want {
			t.Errorf("%s: hits %+v, want %s", lang, hits, want)
		}
	}
}

func TestChunking(t *testing.T) {
	// Enough distinct words to need many chunks: every word must still be
	// found through the manifest's chunk boundaries.
	b := NewBuilder([]string{"en"})
	var words []string
	// A term with its postings takes about 15 bytes: enough for 3 chunks.
	nw := 3 * chunkTarget / 12
	for i := 0; i < nw; i++ {
		words = append(words, fmt.Sprintf("w%05dx", i))
	}
	for i := 0; i < 30; i++ {
		b.Add(Doc{Lang: "en", URL: fmt.Sprintf("/p%02d/", i), Title: "Page",
			Sections: []Section{{Text: strings.Join(words[i*nw/30:(i+1)*nw/30], " ")}}})
	}
	dir := t.TempDir()
	st, err := b.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	ls := st.Langs["en"]
	if ls.Chunks < 3 {
		t.Fatalf("%d chunks for %d terms, want several", ls.Chunks, ls.Terms)
	}
	entries, err := os.ReadDir(filepath.Join(dir, "search", "t"))
	if err != nil || len(entries) != ls.Chunks {
		t.Fatalf("%d chunk files (%v), want %d", len(entries), err, ls.Chunks)
	}
	for _, i := range []int{0, 1, 777, nw / 2, nw - 1} {
		ix := openIndex(t, dir, "en")
		hits, _, err := ix.Search(words[i]+" ", nil, 1)
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("/p%02d/", i*30/nw)
		if len(hits) != 1 || hits[0].URL != want {
			t.Errorf("%s: hits %v, want %s", words[i], hits, want)
		}
		// One exact word needs the manifest, one chunk, the titles table
		// and one fragment.
		if n := len(ix.Fetched()); n > 5 {
			t.Errorf("%s: fetched %d files: %v", words[i], n, ix.Fetched())
		}
	}
}

// TestPairsShareChunk checks that a word's adjacent pairs are written in
// the word's chunk (chunkMax allowing), so that a two-word query fetches
// the chunks of its two words and no third one for the pair.
func TestPairsShareChunk(t *testing.T) {
	b := NewBuilder([]string{"en"})
	// Each title "wNNNNNa wNNNNNb" gives two words and their pair; the
	// terms run word, pair, word, word, pair, ... so that a chunk closed
	// by size alone would often part a word from its pair.
	const pages = chunkTarget / 10
	for i := range pages {
		b.Add(Doc{Lang: "en", URL: fmt.Sprintf("/p%05d/", i), Title: fmt.Sprintf("w%05da w%05db", i, i)})
	}
	dir := t.TempDir()
	st, err := b.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	if n := st.Langs["en"].Chunks; n < 6 {
		t.Fatalf("%d chunks, want 6 or more for the test to mean something", n)
	}
	entries, err := os.ReadDir(filepath.Join(dir, "search", "t"))
	if err != nil {
		t.Fatal(err)
	}
	chunkOf := map[string]string{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, "search", "t", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		var c struct{ T []string }
		if err := json.Unmarshal(data, &c); err != nil {
			t.Fatal(err)
		}
		for _, term := range c.T {
			chunkOf[term] = e.Name()
		}
	}
	pairs := 0
	for term, chunk := range chunkOf {
		first, _, ok := strings.Cut(term, " ")
		if !ok {
			continue
		}
		pairs++
		if chunkOf[first] != chunk {
			t.Errorf("pair %q is in chunk %s, its first word %q in %s", term, chunk, first, chunkOf[first])
		}
	}
	if pairs != pages {
		t.Errorf("%d pairs in the chunks, want %d", pairs, pages)
	}
	ix := openIndex(t, dir, "en")
	if _, _, err := ix.Search("w00100a w00100b", nil, 5); err != nil {
		t.Fatal(err)
	}
	chunks := 0
	for _, f := range ix.Fetched() {
		if strings.Contains(f.Path, "/t/") {
			chunks++
		}
	}
	if chunks > 2 {
		t.Errorf("a two-word query fetched %d chunks (%v), want at most 2", chunks, ix.Fetched())
	}
}

func TestWriteErrors(t *testing.T) {
	tests := []struct {
		docs []Doc
		want string
	}{
		{[]Doc{{Lang: "de", URL: "/de/x/"}}, `/de/x/: language "de" is not a site language (it, en)`},
		{[]Doc{{Lang: "it", Title: "Senza URL"}}, `page "Senza URL" (it) has no URL`},
		{[]Doc{{Lang: "it", URL: "/it/a/"}, {Lang: "it", URL: "/it/a/"}}, `/it/a/: added twice to the it index`},
		{[]Doc{{Lang: "en", URL: "/en/d/", Filters: map[string][]string{"Comune": {"x"}}}}, `/en/d/: filter name "Comune"`},
		{[]Doc{{Lang: "en", URL: "/en/d/", Filters: map[string][]string{"topic": {"x"}}}}, `/en/d/: filter name "topic"`},
	}
	for _, tt := range tests {
		b := NewBuilder([]string{"it", "en"})
		for _, d := range tt.docs {
			b.Add(d)
		}
		_, err := b.Write(t.TempDir())
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Write error = %v, want one containing %q", err, tt.want)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(os.DirFS(dir), "it"); err == nil {
		t.Error("Open on an empty directory succeeded")
	}
	p := filepath.Join(dir, "search", "it")
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(p, "manifest.json"), []byte(`{"v":99}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(os.DirFS(dir), "it"); err == nil || !strings.Contains(err.Error(), "format version 99") {
		t.Errorf("Open error = %v, want a format version error", err)
	}
}
