package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/arabic"
	"github.com/blevesearch/snowballstem/danish"
	"github.com/blevesearch/snowballstem/dutch"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/finnish"
	"github.com/blevesearch/snowballstem/french"
	"github.com/blevesearch/snowballstem/german"
	"github.com/blevesearch/snowballstem/hungarian"
	"github.com/blevesearch/snowballstem/italian"
	"github.com/blevesearch/snowballstem/norwegian"
	"github.com/blevesearch/snowballstem/portuguese"
	"github.com/blevesearch/snowballstem/romanian"
	"github.com/blevesearch/snowballstem/russian"
	"github.com/blevesearch/snowballstem/spanish"
	"github.com/blevesearch/snowballstem/swedish"
	"github.com/blevesearch/snowballstem/turkish"
)

// stemmers maps a language code to its Snowball stemmer. Languages without
// an entry (uk, zh, sq, bn, ur, ...) are indexed unstemmed.
var stemmers = map[string]func(*snowballstem.Env) bool{
	"ar": arabic.Stem, "da": danish.Stem, "nl": dutch.Stem, "en": english.Stem,
	"fi": finnish.Stem, "fr": french.Stem, "de": german.Stem, "hu": hungarian.Stem,
	"it": italian.Stem, "nb": norwegian.Stem, "no": norwegian.Stem,
	"pt": portuguese.Stem, "ro": romanian.Stem, "ru": russian.Stem,
	"es": spanish.Stem, "sv": swedish.Stem, "tr": turkish.Stem,
}

// baseLang reduces a language tag to its primary subtag: "zh-Hans" -> "zh".
func baseLang(lang string) string {
	// Codes as sites write them ("it", "en", "pt-br") are read once,
	// without ToLower and IndexAny: Add asks four to six times a page.
	for i := 0; i < len(lang); i++ {
		if c := lang[i]; c == '-' || c == '_' {
			return lang[:i]
		} else if 'A' <= c && c <= 'Z' || c >= utf8.RuneSelf {
			return baseLangFold(lang)
		}
	}
	return lang
}

// baseLangFold is baseLang for a code with capitals or other than ASCII
// characters.
func baseLangFold(lang string) string {
	lang = strings.ToLower(lang)
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	return lang
}

// HasStemmer reports whether text in lang is stemmed at index time.
func HasStemmer(lang string) bool {
	_, ok := stemmers[baseLang(lang)]
	return ok
}

// arabicPrefixes are the clitics (conjunction, preposition, article) that
// are cut from the front of Arabic words before stemming, longest first.
// The query side tries each word both as typed and with one of these cut,
// so the list travels in the manifest and the client stays generic.
var arabicPrefixes = []string{"وال", "بال", "كال", "فال", "ال", "لل", "و", "ف"}

// prefixesFor returns the clitic list applied to text in lang.
func prefixesFor(lang string) []string {
	if baseLang(lang) == "ar" {
		return arabicPrefixes
	}
	return nil
}

// stripPrefix cuts the first matching clitic from tok if at least three
// characters remain. The client does the same with the manifest's list.
func stripPrefix(tok string, pre []string) string {
	for _, p := range pre {
		if strings.HasPrefix(tok, p) && runeLen(tok)-runeLen(p) >= 3 {
			return tok[len(p):]
		}
	}
	return tok
}

// stemmer turns folded tokens of one language into index terms. It is
// safe for concurrent use. It does not cache: the builder's workers cache
// whole words.
type stemmer struct {
	lang string
	stem func(*snowballstem.Env) bool
	pre  []string
	stop map[string]bool
}

func newStemmer(lang string) *stemmer {
	b := baseLang(lang)
	return &stemmer{lang: b, stem: stemmers[b], pre: prefixesFor(b), stop: stopSet(b)}
}

// term returns the index term for a folded token: the token with its
// clitic cut and its Snowball stem taken, kept only as far as it is a
// prefix of the token, so that a query matches it by prefix without
// stemming. Snowball stems raw, the word with its accents (its rules
// expect them: Spanish -ación, French -é), and the stem is then folded.
// Clitic languages (Arabic) stem the folded, cut token. CJK tokens and
// numbers are returned as they are.
func (s *stemmer) term(tok, raw string, cjk bool) string {
	if cjk || s.stem == nil && s.pre == nil {
		return tok
	}
	t := stripPrefix(tok, s.pre)
	if s.stem != nil {
		if r, _ := utf8.DecodeRuneInString(t); !unicode.IsNumber(r) {
			in := raw
			if t != tok || s.pre != nil {
				in = t
			}
			t = prefixStem(t, foldWord(safeStem(s.stem, in)))
		}
	}
	return t
}

// prefixStem keeps the part of stem that is a prefix of tok. Snowball
// sometimes rewrites the end of a word (English happy -> happi); then the
// common prefix is used if it has at least three characters, and the
// whole token otherwise.
func prefixStem(tok, stem string) string {
	if stem == "" {
		return tok
	}
	if strings.HasPrefix(tok, stem) {
		return stem
	}
	n, k := 0, 0
	for i, r := range stem {
		if i >= len(tok) {
			break
		}
		q, size := utf8.DecodeRuneInString(tok[i:])
		if q != r {
			break
		}
		n += size
		k++
	}
	if k >= 3 {
		return tok[:n]
	}
	return tok
}

// safeStem runs a Snowball stemmer and falls back to the word itself if
// the generated code panics on an input it was not written for.
func safeStem(fn func(*snowballstem.Env) bool, w string) (out string) {
	defer func() {
		if recover() != nil {
			out = w
		}
	}()
	env := snowballstem.NewEnv(w)
	fn(env)
	return env.Current()
}

// stopWords are function words left out of the index: they appear on
// nearly every page, so their postings would cost bytes on every query
// and rank nothing. They are folded (no accents). The manifest carries the
// union for the languages in an index so that the client drops the same
// words from queries.
var stopWords = map[string]string{
	"it": "di del dello della dei degli delle dell da dal dallo dalla dai dagli dalle dall in nel nello nella nei negli nelle nell su sul sullo sulla sui sugli sulle sull con per tra fra il lo la gli le un uno una un e ed o od che chi cui non si al allo alla ai agli alle all come anche ma se sono e ha hanno piu",
	"en": "the of and or to in on at by for with from an is are was were be been this that these those it its as if not no but can your you we our they their",
	"fr": "le la les de des du un une et ou en au aux dans par pour sur avec est sont ce cette ces qui que vous nous il elle ils elles son sa ses leur leurs ne pas",
	"es": "el la los las de del un una unos unas y o en al con por para es son que se su sus lo le les no como mas",
	"ro": "si sau de la in cu pe din pentru care este sunt un o al ale ai unei unui nu se",
	"pt": "o a os as de do da dos das um uma e ou em no na nos nas por para com que se nao",
	"de": "der die das den dem des ein eine einer einem und oder in im zu zum zur mit von vom fur auf ist sind nicht sie",
	"ar": "في من على الى عن ان او ثم هذا هذه ذلك التي الذي مع",
}

func stopSet(lang string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(stopWords[lang]) {
		m[w] = true
	}
	return m
}
