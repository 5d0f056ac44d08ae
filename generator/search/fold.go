package search

import (
	"encoding/binary"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"
)

// maxTokenRunes caps a token's length; longer runs (hashes, glued words) are
// cut so that they still match by prefix without bloating the dictionary.
const maxTokenRunes = 40

// invisible reports the format characters removed before words are split:
// soft hyphen, zero-width space/joiners, word joiner and BOM. Editors paste
// them into words, and a reader never types them.
func invisible(r rune) bool {
	return r == 0x00AD || (r >= 0x200B && r <= 0x200D) || r == 0x2060 || r == 0xFEFF
}

// droppedMark reports the combining marks removed after NFD: Latin, Greek
// and Cyrillic diacritics and Arabic harakat (including hamza above/below
// and madda, which turns أ إ آ ؤ ئ into their bare letters). Marks that
// carry meaning in other scripts (Bengali vowel signs, kana voicing marks)
// are kept and recomposed by NFC.
func droppedMark(r rune) bool {
	switch {
	case r >= 0x0300 && r <= 0x036F,
		r >= 0x1AB0 && r <= 0x1AFF,
		r >= 0x1DC0 && r <= 0x1DFF,
		r >= 0x20D0 && r <= 0x20FF,
		r >= 0xFE20 && r <= 0xFE2F,
		r >= 0x0610 && r <= 0x061A,
		r >= 0x064B && r <= 0x065F,
		r == 0x0670,
		r >= 0x06D6 && r <= 0x06ED:
		return true
	}
	return false
}

// foldMap holds the letters that normalisation leaves alone but a reader
// types differently: letters without a decomposition (ł ø đ ß æ œ), the
// final sigma, Arabic letter variants, tatweel, and non-ASCII digits. The
// JavaScript client carries the same table (static/js/search.js, FOLD).
var foldMap = map[rune]string{
	'ł': "l", 'ø': "o", 'đ': "d", 'ð': "d", 'ß': "ss", 'æ': "ae", 'œ': "oe",
	'þ': "th", 'ı': "i", 'ħ': "h", 'ŧ': "t", 'ς': "σ",
	'\u0649': "\u064A", // alef maksura -> yeh
	'\u0629': "\u0647", // taa marbuta -> heh
	'\u0640': "",       // tatweel
	'\u0671': "\u0627", // alef wasla -> alef
	'\u06CC': "\u064A", // Farsi/Urdu yeh -> yeh
	'\u06A9': "\u0643", // keheh -> kaf
	'\u06C1': "\u0647", // heh goal -> heh
}

// digitBase returns the zero of the decimal digit block r belongs to, for
// the scripts whose digits readers mix with ASCII ones, or -1.
func digitBase(r rune) rune {
	for _, z := range [...]rune{0x0660, 0x06F0, 0x0966, 0x09E6} {
		if r >= z && r <= z+9 {
			return z
		}
	}
	return -1
}

// isWordRune reports whether r belongs to a word: a letter, a mark or a
// number. Everything else (spaces, punctuation, apostrophes, symbols)
// separates words.
func isWordRune(r rune) bool {
	if r < 0x10000 && r >= 0 {
		return bmpTables().word[r/64]&(1<<(r%64)) != 0
	}
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsNumber(r)
}

// isCJK reports whether r is written without spaces between words and is
// therefore indexed as overlapping bigrams.
func isCJK(r rune) bool {
	switch {
	case r < 0x1100:
		return false // below Hangul Jamo, the first CJK block
	case isHan(r):
		return true
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// Tokens splits text into folded search tokens, exactly as the browser
// client does for a query (see the package documentation for the steps).
// The language is accepted for symmetry with the client; folding depends
// only on the script, so the same query folds alike in every index.
func Tokens(text, lang string) []string {
	var out []string
	forEachToken(text, func(tok, _ string, _ bool) { out = append(out, tok) })
	return out
}

// forEachToken calls fn for every token of text in order; cjk tells whether
// the token is a CJK bigram or unigram, and raw is the word before
// diacritics were folded (lower case, NFKC) when the token is the whole
// word, for stemmers that expect accents; otherwise raw is the token.
func forEachToken(text string, fn func(tok, raw string, cjk bool)) {
	forEachWord(text, func(w string) { emitRun(w, foldWord(w), fn) })
}

// asciiWord marks the ASCII bytes that belong to a word (letters and
// digits); every other ASCII byte separates words.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	return t
}()

// forEachWord calls fn for every run of letters, marks and numbers of the
// prepared text (step 1 and 2 of the text rules), before folding.
func forEachWord(text string, fn func(word string)) {
	text = prepare(text)
	t := bmpTables()
	isWord := func(r rune) bool {
		if r < 0x10000 {
			return t.word[r/64]&(1<<(r%64)) != 0
		}
		return isWordRune(r)
	}
	i := 0
	for i < len(text) {
		// Skip separators.
		for i < len(text) {
			if c := text[i]; c < utf8.RuneSelf {
				if asciiWord[c] {
					break
				}
				i++
				continue
			}
			r, n := utf8.DecodeRuneInString(text[i:])
			if isWord(r) {
				break
			}
			i += n
		}
		j := i
		for j < len(text) {
			if c := text[j]; c < utf8.RuneSelf {
				if !asciiWord[c] {
					break
				}
				j++
				continue
			}
			r, n := utf8.DecodeRuneInString(text[j:])
			if !isWord(r) {
				break
			}
			j += n
		}
		if j == i {
			return
		}
		fn(text[i:j])
		i = j
	}
}

// prepare applies the whole-text steps: NFKC, removal of invisible format
// characters, and lower case.
func prepare(text string) string {
	if isASCII(text) {
		return strings.ToLower(text)
	}
	// NFKC leaves text as it is when all its characters are settled;
	// then only lower case remains to be done, from the first capital.
	t := bmpTables()
	upper := -1
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if upper < 0 && 'A' <= c && c <= 'Z' {
				upper = i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if r > 0xFFFF || r == utf8.RuneError || t.settled[r/64]&(1<<(r%64)) == 0 {
			return preparePlain(text)
		}
		if upper < 0 && t.upper[r/64]&(1<<(r%64)) != 0 {
			upper = i
		}
		i += n
	}
	if upper < 0 {
		return text
	}
	return lowerFrom(t, text, upper)
}

// preparePlain is prepare by definition, for any text.
func preparePlain(text string) string {
	text = norm.NFKC.String(text)
	if strings.IndexFunc(text, invisible) >= 0 {
		text = strings.Map(func(r rune) rune {
			if invisible(r) {
				return -1
			}
			return r
		}, text)
	}
	return strings.ToLower(text)
}

// bmpTables holds per-character facts about the Basic Multilingual Plane,
// one bit per character (read from bmpTablesData on first use).
var bmpTables = sync.OnceValue(func() *bmpBits {
	if len(bmpTablesData) != bmpTablesSize {
		return computeBMPTables() // a file being remade (TestBMPTablesData)
	}
	t := new(bmpBits)
	b := bmpTablesData[0x10000:]
	for _, bits := range [][]uint64{t.settled[:], t.word[:], t.upper[:]} {
		for i := range bits {
			bits[i] = binary.LittleEndian.Uint64([]byte(b[8*i : 8*i+8]))
		}
		b = b[8*len(bits):]
	}
	return t
})

// computeBMPTables computes bmpTables' bits from the properties they
// stand for.
func computeBMPTables() *bmpBits {
	t := new(bmpBits)
	for r := rune(0); r < 0x10000; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue
		}
		bit := uint64(1) << (r % 64)
		if unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsNumber(r) {
			t.word[r/64] |= bit
		}
		if unicode.ToLower(r) != r {
			t.upper[r/64] |= bit
		}
		s := string(r)
		p := norm.NFKC.PropertiesString(s)
		// NFKC leaves a text alone when each character passes its quick
		// check on its own (NFKC_QC=Yes), has combining class 0 and
		// does not combine with the character before it (the quick check
		// answers Yes for such a text, UAX #15).
		if r >= utf8.RuneSelf && !invisible(r) && p.CCC() == 0 && p.BoundaryBefore() && norm.NFKC.IsNormalString(s) {
			t.settled[r/64] |= bit
		}
	}
	return t
}

// bmpBits are the tables of bmpTables.
type bmpBits struct {
	settled [0x10000 / 64]uint64 // NFKC cannot change the character (see prepare)
	word    [0x10000 / 64]uint64 // letter, mark or number (see isWordRune)
	upper   [0x10000 / 64]uint64 // changed by unicode.ToLower
}

// changesLower reports whether unicode.ToLower changes r.
func changesLower(t *bmpBits, r rune) bool {
	if r < 0x10000 && r >= 0 {
		return t.upper[r/64]&(1<<(r%64)) != 0
	}
	return unicode.ToLower(r) != r
}

// lowerFrom lowers text from byte i, before which it is lower case.
func lowerFrom(t *bmpBits, text string, i int) string {
	b := make([]byte, i, len(text)+8)
	copy(b, text[:i])
	for i < len(text) {
		// Copy the run of characters that stay as they are at once.
		j := i
		for j < len(text) {
			c := text[j]
			if c < utf8.RuneSelf {
				if 'A' <= c && c <= 'Z' {
					break
				}
				j++
				continue
			}
			r, n := utf8.DecodeRuneInString(text[j:])
			if changesLower(t, r) {
				break
			}
			j += n
		}
		b = append(b, text[i:j]...)
		if i = j; i >= len(text) {
			break
		}
		if c := text[i]; c < utf8.RuneSelf {
			b = append(b, c+'a'-'A')
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		b = utf8.AppendRune(b, unicode.ToLower(r))
		i += n
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// foldWord removes diacritics from one lower-cased word and applies
// foldMap.
func foldWord(w string) string {
	if isASCII(w) || allHan(w) {
		return w
	}
	d := norm.NFD.String(w)
	var b strings.Builder
	b.Grow(len(d))
	for _, r := range d {
		if !droppedMark(r) {
			b.WriteRune(r)
		}
	}
	c := norm.NFC.String(b.String())
	b.Reset()
	for _, r := range c {
		if m, ok := foldMap[r]; ok {
			b.WriteString(m)
		} else if z := digitBase(r); z >= 0 {
			b.WriteByte(byte('0' + r - z))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// emitRun splits a folded word into runs of CJK and other characters,
// turns CJK runs into overlapping bigrams (a lone character stays a
// unigram), and passes every token that is long enough to fn.
func emitRun(raw, w string, fn func(string, string, bool)) {
	whole := w
	for len(w) > 0 {
		r, _ := utf8.DecodeRuneInString(w)
		cjk := isCJK(r)
		end := len(w)
		for i, r := range w {
			if isCJK(r) != cjk {
				end = i
				break
			}
		}
		part := w[:end]
		w = w[end:]
		if cjk {
			emitBigrams(part, func(t string) { fn(t, t, true) })
			continue
		}
		n := utf8.RuneCountInString(part)
		if n == 1 && !unicode.IsNumber(r) {
			continue // single letters carry no meaning on their own
		}
		r0 := part
		if n > maxTokenRunes {
			part = truncRunes(part, maxTokenRunes)
		}
		if r0 == whole && part == whole {
			fn(part, raw, false)
		} else {
			fn(part, part, false)
		}
	}
}

func emitBigrams(s string, fn func(string)) {
	if _, n := utf8.DecodeRuneInString(s); n == len(s) {
		fn(s)
		return
	}
	i := 0
	for i < len(s) {
		_, a := utf8.DecodeRuneInString(s[i:])
		if i+a >= len(s) {
			break
		}
		_, b := utf8.DecodeRuneInString(s[i+a:])
		fn(s[i : i+a+b])
		i += a
	}
}

func truncRunes(s string, n int) string {
	i := 0
	for k := range s {
		if i == n {
			return s[:k]
		}
		i++
	}
	return s
}

// runeLen is the length of s in code points, the unit the client uses to
// compare term lengths.
func runeLen(s string) int { return utf8.RuneCountInString(s) }

// isHan reports whether r is in the main blocks of CJK ideographs, which
// have no decompositions, no marks to drop and no fold mappings.
func isHan(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF
}

// allHan reports whether every character of w passes isHan, so that
// folding leaves w as it is.
func allHan(w string) bool {
	for _, r := range w {
		if !isHan(r) {
			return false
		}
	}
	return true
}
