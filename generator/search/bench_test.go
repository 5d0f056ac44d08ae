package search

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"
)

// genWords makes a deterministic vocabulary of n words in a script.
func genWords(r *rand.Rand, script string, n int) []string {
	latin := []string{"ba", "ce", "di", "fo", "gu", "la", "me", "ni", "po", "ra", "si", "to", "va", "zé", "rì", "sta", "per", "con", "ment", "zione"}
	arabic := []rune("ابتثجحخدذرزسشصضطظعغفقكلمنهوي")
	han := []rune("居留许可续签国籍婚姻家庭团聚税号申请文件护照工作合同住房收入语言证书条件时间办理警察局邮局")
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		switch script {
		case "ar":
			if r.Intn(3) == 0 {
				b.WriteString("ال")
			}
			for k := 0; k < 3+r.Intn(4); k++ {
				b.WriteRune(arabic[r.Intn(len(arabic))])
			}
		case "zh":
			for k := 0; k < 2+r.Intn(3); k++ {
				b.WriteRune(han[r.Intn(len(han))])
			}
		default:
			for k := 0; k < 2+r.Intn(3); k++ {
				b.WriteString(latin[r.Intn(len(latin))])
			}
		}
		out[i] = b.String()
	}
	return out
}

// genText writes n words drawn with a Zipf-like skew.
func genText(r *rand.Rand, vocab []string, n int, sep string) string {
	z := rand.NewZipf(r, 1.1, 2, uint64(len(vocab)-1))
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(vocab[z.Uint64()])
	}
	return b.String()
}

// genSite returns pages shaped like the shared bench corpus: guides
// written in six languages and shown in eleven (five by fallback to
// English), with 600-1,200 words in 6 sections, plus desks.
func genSite(guides, desks int) ([]string, []Doc) {
	langs := []string{"it", "en", "fr", "ar", "es", "zh", "uk", "ur", "ro", "sq", "bn"}
	textLangs := langs[:6]
	r := rand.New(rand.NewSource(1))
	vocab := map[string][]string{}
	for _, l := range textLangs {
		script := map[string]string{"ar": "ar", "zh": "zh"}[l]
		vocab[l] = genWords(r, script, 20000)
	}
	texts := map[string]Doc{}
	var docs []Doc
	for g := 0; g < guides; g++ {
		key := fmt.Sprintf("guides/t%d/g%04d", g%8, g)
		for _, tl := range textLangs {
			sep := " "
			if tl == "zh" {
				sep = ""
			}
			d := Doc{TextLang: tl, Kind: "guide", Topic: fmt.Sprintf("t%d", g%8), Key: key,
				Title: genText(r, vocab[tl], 5, sep), Summary: genText(r, vocab[tl], 20, sep)}
			words := 600 + r.Intn(600)
			for s := 0; s < 6; s++ {
				d.Sections = append(d.Sections, Section{Anchor: fmt.Sprintf("s%d", s), Heading: genText(r, vocab[tl], 4, sep), Level: 2,
					Text: genText(r, vocab[tl], words/6, sep)})
			}
			d.Sections[0].Anchor, d.Sections[0].Heading = "", ""
			texts[tl] = d
		}
		for _, l := range langs {
			d, ok := texts[l]
			if !ok {
				d = texts["en"]
			}
			d.Lang, d.URL = l, "/"+l+"/"+key+"/"
			docs = append(docs, d)
		}
	}
	// A desk has one text, in Italian, shown in every language.
	for i := 0; i < desks; i++ {
		summary := genText(r, vocab["it"], 30, " ")
		for _, l := range langs {
			docs = append(docs, Doc{Lang: l, TextLang: "it", Kind: "desk", URL: fmt.Sprintf("/%s/desks/d%03d/", l, i),
				Title: "Sportello " + vocab["it"][i], Summary: summary,
				Filters: map[string][]string{"municipality": {vocab["it"][i%40]}, "service": []string{"permesso", "cittadinanza"}[i%2 : i%2+1]}})
		}
	}
	return langs, docs
}

// BenchmarkBuild indexes a generated site like the shared corpus (1k: 170
// guides, 10k: 1,700 guides, each in 11 languages) and writes it.
func BenchmarkBuild(b *testing.B) {
	for _, size := range []struct {
		name          string
		guides, desks int
	}{{"1k", 170, 50}, {"10k", 1700, 200}} {
		b.Run(size.name, func(b *testing.B) {
			langs, docs := genSite(size.guides, size.desks)
			var st Stats
			var dir string
			var before, after runtime.MemStats
			var cpuAdd, cpuWrite time.Duration // process CPU time (user + system) of Add and of Write
			for i := 0; i < b.N; i++ {
				runtime.GC()
				runtime.ReadMemStats(&before)
				c0 := cpuTime()
				bl := NewBuilder(langs)
				addAll(bl, docs)
				b.StopTimer()
				cpuAdd += cpuTime() - c0
				runtime.GC()
				runtime.ReadMemStats(&after)
				b.StartTimer()
				var err error
				dir = b.TempDir()
				c0 = cpuTime()
				st, err = bl.Write(dir)
				cpuWrite += cpuTime() - c0
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric((cpuAdd+cpuWrite).Seconds()/float64(b.N), "cpu-s/op")
			b.ReportMetric(cpuAdd.Seconds()/float64(b.N), "cpu-add-s/op")
			b.ReportMetric(cpuWrite.Seconds()/float64(b.N), "cpu-write-s/op")
			b.ReportMetric(float64(len(docs)), "pages")
			b.ReportMetric(float64(st.Bytes)/(1<<20), "MiB-written")
			b.ReportMetric(float64(st.Files), "files")
			// What the index holds once every page is added (the pages
			// themselves are live before and after).
			b.ReportMetric(float64(after.HeapAlloc-min(after.HeapAlloc, before.HeapAlloc))/(1<<20), "MiB-live-after-add")
			for _, lang := range []string{"it", "ar"} {
				_, gz, _ := queryBytes(b, os.DirFS(dir), lang, docs)
				b.ReportMetric(float64(gz)/1000, "kB-gz-query-"+lang)
			}
		})
	}
}

// cpuTime returns the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestQueryBytes reports what a typical query downloads on a generated
// 1k site (run with -v; the 10k figures come from BenchmarkBuild's site
// through the same helper in the report).
func TestQueryBytes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 1k-page site")
	}
	langs, docs := genSite(170, 50)
	bl := NewBuilder(langs)
	for _, d := range docs {
		bl.Add(d)
	}
	dir := t.TempDir()
	if _, err := bl.Write(dir); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"it", "ar", "zh"} {
		raw, gz, n := queryBytes(t, os.DirFS(dir), lang, docs)
		t.Logf("%s: one-word query + 5 fragments: %d files, %d bytes, %d gzipped", lang, n, raw, gz)
		if gz > 65000 {
			t.Errorf("%s: %d gzipped bytes for one query, want at most half of Pagefind's 130 KB", lang, gz)
		}
	}
}

// queryBytes runs a one-word query (the first word of four or more
// letters of the first title in lang) and loads five fragments, returning
// bytes fetched.
func queryBytes(t testing.TB, fsys fs.FS, lang string, docs []Doc) (raw, gz, files int) {
	var word string
	for _, d := range docs {
		if d.Lang != lang || word != "" {
			continue
		}
		for _, w := range strings.Fields(d.Title) {
			if utf8.RuneCountInString(w) >= 4 && !stopSet(baseLang(d.TextLang))[strings.ToLower(w)] {
				word = w
				break
			}
		}
		if lang == "zh" && word != "" {
			word = string([]rune(word)[:2]) // one word: a bigram
		}
	}
	ix, err := Open(fsys, lang)
	if err != nil {
		t.Fatal(err)
	}
	hits, _, err := ix.Search(word, nil, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) == 0 {
		t.Fatalf("%s %q: no hits", lang, word)
	}
	for _, f := range ix.Fetched() {
		data, err := fs.ReadFile(fsys, f.Path)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
		w.Write(data)
		w.Close()
		raw += len(data)
		gz += buf.Len()
		files++
	}
	return raw, gz, files
}
