package search

import (
	"testing"
)

// BenchmarkAnalyse times the analyser alone on the pages of
// $SEARCH_CORPUS (see BenchmarkBuildCorpus) in it, ar and zh, with a
// worker that has met every word and bigram of them already (its tables
// warm, as they are for most of a site build), so that what it measures
// is the work per occurrence: scan alone, scan and the word table
// lookups, and the whole analysis of each page (worker.analyseDoc).
func BenchmarkAnalyse(b *testing.B) {
	langs, all := cachedCorpus(b)
	for _, lang := range []string{"it", "ar", "zh"} {
		var docs []Doc
		var texts []string
		for _, d := range all {
			if d.Lang == lang && d.TextLang == lang {
				docs = append(docs, d)
				texts = append(texts, docText(&d)...)
			}
		}
		bl := NewBuilder(langs)
		w := newWorker(bl)
		st := bl.stemmerFor(lang)
		var a analysis
		for i := range docs {
			w.analyseDoc(st, &docs[i], &a)
		}
		b.Run(lang+"/scan", func(b *testing.B) {
			for range b.N {
				for _, t := range texts {
					w.spans, _ = scan(t, true, w.spans[:0])
				}
			}
		})
		b.Run(lang+"/lookup", func(b *testing.B) {
			tab := w.tab(st)
			for range b.N {
				for _, t := range texts {
					w.spans, _ = scan(t, true, w.spans[:0])
					for _, s := range w.spans {
						if s.kind == spanPlain {
							tab.findIn(t, s.start, s.end)
						}
					}
				}
			}
		})
		b.Run(lang+"/analyse", func(b *testing.B) {
			for range b.N {
				for i := range docs {
					w.analyseDoc(st, &docs[i], &a)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(docs)), "ns/page")
		})
	}
}
