package search

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// corpusSite reads a corpus written by the shared bench's gencorpus.py
// (its content/ folder) as the generator would index it: every guide and
// section index in the eleven site languages, falling back to English and
// then Italian, and every desk in Italian in every language. Markdown is
// indexed as it is written, which is close enough for costs.
func corpusSite(tb testing.TB, content string) ([]string, []Doc) {
	langs := []string{"it", "en", "fr", "ar", "es", "zh", "uk", "ur", "ro", "sq", "bn"}
	type page struct{ title, summary, body string }
	groups := map[string]map[string]page{} // key -> text language -> page
	err := filepath.WalkDir(content, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(content, p)
		key, lang := strings.TrimSuffix(filepath.ToSlash(rel), ".md"), "it"
		if i := strings.LastIndexByte(key, '.'); i > strings.LastIndexByte(key, '/') {
			key, lang = key[:i], key[i+1:]
		}
		var pg page
		body := string(data)
		if rest, ok := strings.CutPrefix(body, "---\n"); ok {
			if fm, b, ok := strings.Cut(rest, "\n---\n"); ok {
				body = b
				for _, line := range strings.Split(fm, "\n") {
					k, v, _ := strings.Cut(line, ":")
					v = strings.Trim(strings.TrimSpace(v), `"`)
					switch k {
					case "title":
						pg.title = v
					case "description":
						pg.summary = v
					}
				}
			}
		}
		pg.body = body
		if groups[key] == nil {
			groups[key] = map[string]page{}
		}
		groups[key][lang] = pg
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	var docs []Doc
	for _, key := range sortedKeys(groups) {
		kind, topic := "guide", ""
		parts := strings.Split(key, "/")
		switch {
		case parts[0] == "desks":
			kind = "desk"
		case strings.HasSuffix(key, "_index"):
			kind = "topic"
		case len(parts) > 2:
			topic = parts[1]
		}
		for _, l := range langs {
			tl := l
			pg, ok := groups[key][l]
			for _, fb := range []string{"en", "it"} {
				if !ok {
					tl = fb
					pg, ok = groups[key][fb]
				}
			}
			if !ok {
				continue
			}
			d := Doc{Lang: l, TextLang: tl, URL: "/" + l + "/" + strings.TrimSuffix(key, "_index") + "/", Title: pg.title,
				Summary: pg.summary, Kind: kind, Topic: topic, Key: key}
			for i, sec := range strings.Split("\n"+pg.body, "\n## ") {
				heading, text, _ := strings.Cut(sec, "\n")
				if i == 0 {
					heading, text = "", sec
				}
				d.Sections = append(d.Sections, Section{Anchor: strings.ToLower(strings.ReplaceAll(heading, " ", "-")), Heading: heading, Level: 2, Text: text})
			}
			docs = append(docs, d)
		}
	}
	return langs, docs
}

// BenchmarkBuildCorpus indexes the shared bench corpus named by
// $SEARCH_CORPUS (a content/ folder written by gencorpus.py, for example
// /tmp/c10k/content) on GOMAXPROCS goroutines and writes it. Without the
// variable there is nothing to measure.
func BenchmarkBuildCorpus(b *testing.B) {
	dir := os.Getenv("SEARCH_CORPUS")
	if dir == "" {
		b.Skip("set SEARCH_CORPUS to a gencorpus.py content folder")
	}
	langs, docs := corpusSite(b, dir)
	b.ResetTimer()
	var st Stats
	var cpuAdd, cpuWrite float64
	var before, after runtime.MemStats
	var out string
	for i := 0; i < b.N; i++ {
		runtime.GC()
		runtime.ReadMemStats(&before)
		c0 := cpuTime()
		bl := NewBuilder(langs)
		addAll(bl, docs)
		bl.drain() // the last batch, which Write would analyse
		c1 := cpuTime()
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.StartTimer()
		var err error
		c2 := cpuTime()
		out = b.TempDir()
		st, err = bl.Write(out)
		if err != nil {
			b.Fatal(err)
		}
		cpuAdd += (c1 - c0).Seconds()
		cpuWrite += (cpuTime() - c2).Seconds()
	}
	b.StopTimer()
	for _, lang := range []string{"it", "ar", "zh"} {
		_, gz, _ := queryBytes(b, os.DirFS(out), lang, docs)
		b.ReportMetric(float64(gz)/1000, "kB-gz-query-"+lang)
	}
	b.ReportMetric(float64(len(docs)), "pages")
	b.ReportMetric(float64(st.Files), "files")
	b.ReportMetric(float64(st.Bytes)/(1<<20), "MiB-written")
	b.ReportMetric(cpuAdd/float64(b.N), "cpu-add-s/op")
	b.ReportMetric(float64(after.HeapAlloc-min(after.HeapAlloc, before.HeapAlloc))/(1<<20), "MiB-live-after-add")
	b.ReportMetric(cpuWrite/float64(b.N), "cpu-write-s/op")
}

// BenchmarkAddCorpus analyses the pages of $SEARCH_CORPUS (see
// BenchmarkBuildCorpus) whose text is in one of it, en, ar and zh, on one
// goroutine, without writing: the cost of Add per word of text, for
// comparing analyser changes on a busy machine (run it with -count). The
// sub-benchmarks take the four languages together and each on its own,
// and report the nanoseconds per word of text (forEachWord's words), in
// wall time and in the process's CPU time (garbage collection included;
// steadier than wall time on a shared machine).
func BenchmarkAddCorpus(b *testing.B) {
	langs, all := cachedCorpus(b)
	for _, sel := range []string{"all", "it", "en", "ar", "zh"} {
		var docs []Doc
		for _, d := range all {
			if d.Lang == d.TextLang && (d.Lang == sel || sel == "all" && (d.Lang == "it" || d.Lang == "en" || d.Lang == "ar" || d.Lang == "zh")) {
				docs = append(docs, d)
			}
		}
		words := corpusWords[sel]
		if words == 0 {
			for _, d := range docs {
				for _, t := range docText(&d) {
					forEachWord(t, func(string) { words++ })
				}
			}
			corpusWords[sel] = words
		}
		b.Run(sel, func(b *testing.B) {
			c0 := cpuTime()
			for range b.N {
				analyseAll(langs, docs)
			}
			b.ReportMetric(float64(len(docs)), "pages")
			cpu := float64((cpuTime() - c0).Nanoseconds()) / float64(b.N)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(max(words, 1)), "ns/word")
			b.ReportMetric(cpu/1e6, "cpu-ms/op")
			b.ReportMetric(cpu/float64(max(words, 1)), "cpu-ns/word")
		})
	}
}

// analyseAll adds docs to a new builder whose fragments stay in memory,
// on one goroutine, and analyses the last batch, which Write would
// analyse: Add's whole cost, without writing.
func analyseAll(langs []string, docs []Doc) {
	bl := NewBuilder(langs)
	bl.frags.memOnly = true
	for _, d := range docs {
		bl.Add(d)
	}
	bl.drain()
}

// corpus and corpusWords keep what BenchmarkAddCorpus reads and counts
// across -count runs.
var (
	corpus struct {
		dir   string
		langs []string
		docs  []Doc
	}
	corpusWords = map[string]int{}
)

// cachedCorpus is corpusSite of the corpus named by $SEARCH_CORPUS, read
// once per process; without the variable, the benchmark is skipped.
func cachedCorpus(tb testing.TB) ([]string, []Doc) {
	dir := os.Getenv("SEARCH_CORPUS")
	if dir == "" {
		tb.Skip("set SEARCH_CORPUS to a gencorpus.py content folder")
	}
	if corpus.dir != dir {
		corpus.langs, corpus.docs = corpusSite(tb, dir)
		corpus.dir = dir
		clear(corpusWords)
	}
	return corpus.langs, corpus.docs
}

// docText lists the texts of d that Add analyses.
func docText(d *Doc) []string {
	out := []string{d.Title, d.Summary}
	for _, s := range d.Sections {
		out = append(out, s.Heading, s.Text)
	}
	for _, vs := range d.Filters {
		out = append(out, vs...)
	}
	return out
}
