package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// refCutText is the plain definition of appendCut: collapse all white space,
// then cut to width n at a near space and mark the cut.
func refCutText(s string, n int) string {
	if n <= 0 {
		return ""
	}
	s = strings.Join(strings.Fields(s), " ")
	if textWidth(s) <= n {
		return s
	}
	w := 0
	for i, r := range s {
		if w+runeWidth(r) > n {
			s = s[:i]
			break
		}
		w += runeWidth(r)
	}
	if i := strings.LastIndexByte(s, ' '); i > len(s)*3/4 {
		s = s[:i]
	}
	return s + "…"
}

// textWidth is the width of s as appendCut counts it.
func textWidth(s string) int {
	w := 0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

// frag is a result fragment as encoding/json reads and writes it.
type frag struct {
	T string      `json:"t"`
	S string      `json:"s,omitempty"`
	H [][3]string `json:"h"`
}

// refFragment is the result fragment of d as encoding/json writes it,
// with the section texts cut by refCutText: what fragment must write.
func refFragment(t *testing.T, d *Doc) string {
	t.Helper()
	f := frag{T: d.Title, S: d.Summary, H: [][3]string{}}
	budget := fragTotalRunes
	for _, s := range d.Sections {
		text := refCutText(s.Text, min(fragSectionRunes, budget))
		budget -= textWidth(text)
		f.H = append(f.H, [3]string{s.Anchor, s.Heading, text})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(f); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

func TestAppendCut(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"  uno   due\ttre\n", 100, "uno due tre"},
		{"uno due tre quattro", 11, "uno due tre…"},
		{"uno due tre quattro", 12, "uno due tre…"},
		{"abcdefghij", 5, "abcde…"},
		{"città è qui", 5, "città…"},
		{"a\u00a0b\u2003c", 10, "a b c"}, // no-break and em spaces are white space too
		{"x", 0, ""},
		{"   ", 3, ""},
		{"ab \xff cd", 10, "ab \xff cd"}, // invalid bytes are kept for the JSON encoder to replace
		{"居留许可 permesso", 5, "居留…"},      // CJK characters count two
		{"居留许可 permesso", 9, "居留许可…"},
		{"居留许可　续签", 13, "居留许可 续签"}, // the ideographic space is white space
	}
	for _, tt := range tests {
		b, runes := appendCut([]byte("≠"), tt.in, tt.n) // appends after what is there
		got, ok := strings.CutPrefix(string(b), "≠")
		if !ok || got != tt.want || runes != textWidth(got) {
			t.Errorf("appendCut(%q, %d) = %q, width %d; want %q", tt.in, tt.n, b, runes, tt.want)
		}
	}
	// Random texts of words, white space of several kinds and invalid
	// bytes against the plain definition.
	r := rand.New(rand.NewSource(3))
	pieces := []string{"a", "bé", "città", "الإقامة", "居留许可", " ", "  ", "\t", "\n", "\u00a0", "\u3000", "\xff", "x", "permesso"}
	for i := 0; i < 5000; i++ {
		var b strings.Builder
		for k := r.Intn(30); k > 0; k-- {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		n := r.Intn(40)
		out, runes := appendCut(nil, b.String(), n)
		if got, want := string(out), refCutText(b.String(), n); got != want || runes != textWidth(got) {
			t.Fatalf("appendCut(%q, %d) = %q (width %d), want %q", b.String(), n, got, runes, want)
		}
	}
}

// TestFragmentJSON checks the hand-written fragment JSON against
// encoding/json, including strings that need escaping.
func TestFragmentJSON(t *testing.T) {
	docs := []Doc{
		{Title: "Rinnovo del permesso", Summary: "Come si fa <presto> & bene",
			Sections: []Section{{Text: "Testo   iniziale."}, {Anchor: "kit", Heading: "Il \"kit\" postale", Text: "Uno\\due\u2028tre\x01 \xfe"}}},
		{Title: "Senza sommario", Sections: nil},
		{Title: strings.Repeat("lungo ", 10), Sections: []Section{{Text: strings.Repeat("parola ", 2000)}, {Text: strings.Repeat("altra ", 2000)}}},
	}
	for _, d := range docs {
		want := refFragment(t, &d)
		var scratch []byte
		if diff := cmp.Diff(want, string(fragment(nil, &scratch, &d))); diff != "" {
			t.Errorf("fragment(%q) (-encoding/json +got):\n%s", d.Title, diff)
		}
	}
}

// TestSpillInMemory checks that an index built with fragments kept in
// memory (when no temporary file can be made) is the same as one built
// with them in a file.
func TestSpillInMemory(t *testing.T) {
	f := loadFixture(t)
	build := func(memOnly bool) map[string]string {
		b := NewBuilder(f.Langs)
		b.frags.memOnly = memOnly
		for _, d := range f.Docs {
			b.Add(d)
		}
		dir := t.TempDir()
		if _, err := b.Write(dir); err != nil {
			t.Fatal(err)
		}
		if memOnly != (b.frags.file == nil) {
			t.Fatalf("memOnly %v: temporary file %v", memOnly, b.frags.file)
		}
		return readTree(t, dir)
	}
	if diff := cmp.Diff(build(false), build(true)); diff != "" {
		t.Errorf("index with fragments in memory differs:\n%s", diff)
	}
}

// TestFragmentFilesPerGroup: a group of small fragments (desks) comes
// sixteen to a file, a group of long pages four to a file, and every page
// is found in its file.
func TestFragmentFilesPerGroup(t *testing.T) {
	b := NewBuilder([]string{"it"})
	long := strings.Repeat("Testo lungo della guida con molte parole diverse. ", 60)
	var urls []string
	for i := 0; i < 2*fragGroup; i++ {
		d := Doc{Lang: "it", Kind: "desk", Title: fmt.Sprintf("Sportello %d", i), Sections: []Section{{Text: "Servizi brevi."}}}
		d.URL = fmt.Sprintf("/it/a/%03d/", i) // the first group: small
		if i >= fragGroup {
			d.Kind, d.URL = "guide", fmt.Sprintf("/it/b/%03d/", i)
			d.Sections = []Section{{Text: long}}
			for k := 1; k < 8; k++ {
				d.Sections = append(d.Sections, Section{Anchor: fmt.Sprint("s", k), Heading: fmt.Sprint("Sezione ", k), Level: 2, Text: long})
			}
		}
		urls = append(urls, d.URL)
		b.Add(d)
	}
	dir := t.TempDir()
	if _, err := b.Write(dir); err != nil {
		t.Fatal(err)
	}
	ix := openIndex(t, dir, "it")
	if got := ix.Manifest().FragFile; !slices.Equal(got, []int{16, 4}) {
		t.Errorf("pages per fragment file by group = %v, want [16 4]", got)
	}
	for i, u := range urls {
		f, err := ix.Fragment(i)
		if err != nil || f.URL != u {
			t.Fatalf("Fragment(%d) = %v, %v; want %s", i, f, err, u)
		}
	}
	files := map[string]bool{}
	for _, f := range ix.Fetched() {
		if strings.Contains(f.Path, "/f/") {
			files[f.Path] = true
		}
	}
	if len(files) != fragGroup/16+fragGroup/4 {
		t.Errorf("%d fragment files read, want %d", len(files), fragGroup/16+fragGroup/4)
	}
}

// TestTitlesTable: the titles table gives every page's URL and title by
// page number, as its fragment does, for URLs that share long prefixes
// (more than the 63 units one character can say), non-ASCII and
// astral-plane characters, characters JSON escapes, and URLs outside the
// language's directory; and it is much smaller than the same list
// without front coding.
func TestTitlesTable(t *testing.T) {
	long := "/it/" + strings.Repeat("percorso-molto-lungo/", 5)
	docs := []Doc{
		{URL: "/it/città/💡/", Title: "Città 💡"},
		{URL: "/it/città/💡/a/", Title: "Idea \"a\""},
		{URL: "/it/città/💡/b/", Title: "Idea <b> & \\"},
		{URL: "/it/città/💡𝄞/", Title: "Chiave di violino"},
		{URL: "/it/q\"uote/", Title: "Virgolette"},
		{URL: "/it/q\"uote/x/", Title: "Dopo le virgolette"},
		{URL: "/en/x/", Title: "English fallback"},
		{URL: long + "a/", Title: "Lungo a"},
		{URL: long + "b/", Title: "Lungo b"},
		{URL: long + "b/\u2028/", Title: "Separatore\u2028di riga"},
		// 62 shared units, then a character of two: 62 is all it can say.
		{URL: "/it/" + strings.Repeat("a", 60) + "💡/x/", Title: "Al limite x"},
		{URL: "/it/" + strings.Repeat("a", 60) + "💡/y/", Title: "Al limite y"},
	}
	b := NewBuilder([]string{"it", "en"})
	for _, d := range docs {
		d.Lang = "it"
		d.Sections = []Section{{Text: "Testo della pagina."}}
		b.Add(d)
	}
	dir := t.TempDir()
	if _, err := b.Write(dir); err != nil {
		t.Fatal(err)
	}
	ix := openIndex(t, dir, "it")
	urls := map[string]string{}
	for _, d := range docs {
		urls[d.URL] = d.Title
	}
	seen := map[string]bool{}
	for i := range docs {
		url, title, err := ix.Title(i)
		if err != nil {
			t.Fatal(err)
		}
		f, err := ix.Fragment(i)
		if err != nil {
			t.Fatal(err)
		}
		if url != f.URL || title != f.Title || urls[url] != title {
			t.Errorf("Title(%d) = %q, %q; fragment %q, %q; added with title %q", i, url, title, f.URL, f.Title, urls[url])
		}
		seen[url] = true
	}
	if len(seen) != len(docs) {
		t.Errorf("%d distinct URLs in the table, want %d", len(seen), len(docs))
	}
	if _, _, err := ix.Title(len(docs)); err == nil {
		t.Errorf("Title(%d) of a %d-page index succeeded", len(docs), len(docs))
	}
	data, err := os.ReadFile(filepath.Join(dir, "search", "f", "t."+ix.Manifest().Titles+".json"))
	if err != nil {
		t.Fatal(err)
	}
	// Each URL says how many UTF-16 units it shares with the one before
	// ("💡" is two), up to 63 ("_").
	var tt struct {
		URLs []string `json:"u"`
	}
	if err := json.Unmarshal(data, &tt); err != nil {
		t.Fatal(err)
	}
	want := []string{"0/en/x/", "0./a", "-💡/y/", "2città/💡/", "Ba/", "Bb/", "A𝄞/", "2" + strings.TrimPrefix(long, "/it/") + "a/"}
	want[1] += strings.Repeat("a", 59) + "💡/x/"
	if len(tt.URLs) != len(docs) || !slices.Equal(tt.URLs[:len(want)], want) || !strings.HasPrefix(tt.URLs[len(want)], "_") {
		t.Errorf("titles table URLs = %q, want front-coded, starting %q, then one sharing 63 units", tt.URLs, want)
	}
}
