package search

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// Field weights: how much one occurrence of a word counts towards a page's
// score for that word.
const (
	weightTitle   = 2 // plus the title bonus, see titleBonus
	weightHeading = 5
	weightSummary = 3
	weightBody    = 1
	weightFilter  = 3 // filter values (municipality, service) are searchable words too
	weightAltText = 2 // source-language title words in other languages' indexes
)

// Title bonus added to a term's 0-31 score on a page when the term is in
// the page title (or in the source-language title): a title match should
// outrank any amount of body text, which BM25 alone would saturate.
const (
	titleBonus    = 11
	altTitleBonus = 6
	bodyScale     = 20 // the BM25 part of a term's score is 0-bodyScale
)

// Phrase weights (0-31) of a pair of adjacent words, by where the pair
// occurs.
const (
	pairTitle   = 31
	pairHeading = 20
	pairSummary = 12
)

// Fragment limits: excerpts are cut from the first fragSectionRunes
// characters of each section, and a page's fragment carries at most
// fragTotalRunes characters of section text.
const (
	fragSectionRunes = 900
	fragTotalRunes   = 5000
)

// termStat is what the index keeps of one term on one page.
type termStat struct {
	id  uint32  // term id in the builder's dictionary
	wtf float32 // weighted term frequency
	sec uint16  // section where the term weighs most
	ttl uint8   // title bonus
}

// analysis is the indexable content of one distinct text (shared by every
// page that shows the same text, such as fallback pages).
type analysis struct {
	terms  []termStat // sorted by id
	pairs  []termStat // adjacent word pairs; wtf holds the pair weight
	length uint32     // number of tokens
	frag   []byte     // JSON object {"t","s","h"} for the result fragment
}

// acc accumulates one term while a text is analysed.
type acc struct {
	wtf                 float32
	ttl                 uint8
	cur, best           int
	curScore, bestScore float32
}

// analyser turns a document into term statistics keyed by term string.
type analyser struct {
	st     *stemmer
	local  map[string]string // raw word -> term, saves the shared cache's cost
	terms  map[string]*acc
	pairs  map[string]float32
	length uint32
}

func newAnalyser(st *stemmer) *analyser {
	return &analyser{st: st, terms: map[string]*acc{}, pairs: map[string]float32{}, local: map[string]string{}}
}

// add indexes text with weight w; sec >= 0 ties occurrences to a section
// (secWeight is then what they count towards choosing its best section);
// pairW > 0 records adjacent word pairs with that phrase weight.
// ttl > 0 marks the text as a title with that bonus.
func (a *analyser) add(text string, w float32, sec int, secWeight float32, pairW float32, ttl uint8) {
	prev := ""
	forEachToken(text, func(tok, raw string, cjk bool) {
		a.length++
		if !cjk && a.st.stop[tok] {
			return
		}
		t, ok := a.local[raw]
		if !ok || cjk {
			t = a.st.term(tok, raw, cjk)
			if !cjk {
				a.local[raw] = t
			}
		}
		e := a.terms[t]
		if e == nil {
			e = &acc{cur: -1, best: 0}
			a.terms[t] = e
		}
		e.wtf += w
		e.ttl = max(e.ttl, ttl)
		if sec >= 0 {
			if e.cur != sec {
				e.cur, e.curScore = sec, 0
			}
			e.curScore += secWeight
			if e.curScore > e.bestScore {
				e.best, e.bestScore = sec, e.curScore
			}
		}
		if pairW > 0 {
			if cjk {
				prev = ""
				return
			}
			if prev != "" {
				k := prev + " " + t
				if a.pairs[k] < pairW {
					a.pairs[k] = pairW
				}
			}
			prev = t
		}
	})
}

// analyseDoc runs the analyser over every field of d.
func analyseDoc(st *stemmer, d *Doc) *analyser {
	a := newAnalyser(st)
	a.add(d.Title, weightTitle, -1, 0, pairTitle, titleBonus)
	a.add(d.Summary, weightSummary, -1, 0, pairSummary, 0)
	for i, s := range d.Sections {
		a.add(s.Heading, weightHeading, i, weightHeading, pairHeading, 0)
		a.add(s.Text, weightBody, i, weightBody, 0, 0)
	}
	for _, k := range sortedKeys(d.Filters) {
		for _, v := range d.Filters[k] {
			a.add(v, weightFilter, -1, 0, 0, 0)
		}
	}
	return a
}

// fragment builds the shared part of a result fragment: title, summary and
// sections with their text cut to the fragment limits.
func fragment(d *Doc) []byte {
	type frag struct {
		T string      `json:"t"`
		S string      `json:"s,omitempty"`
		H [][3]string `json:"h"`
	}
	f := frag{T: d.Title, S: d.Summary, H: make([][3]string, 0, len(d.Sections))}
	budget := fragTotalRunes
	for _, s := range d.Sections {
		n := fragSectionRunes
		if n > budget {
			n = budget
		}
		text := cutText(collapseSpace(s.Text), n)
		budget -= utf8.RuneCountInString(text)
		f.H = append(f.H, [3]string{s.Anchor, s.Heading, text})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(f) // strings and slices only: cannot fail
	return bytes.TrimRight(buf.Bytes(), "\n")
}

// collapseSpace turns runs of white space into single spaces.
func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// cutText shortens s to at most n runes, at a space where one is near.
func cutText(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	s = truncRunes(s, n)
	if i := strings.LastIndexByte(s, ' '); i > len(s)*3/4 {
		s = s[:i]
	}
	return s + "…"
}
