package markdown

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"golang.org/x/text/unicode/norm"
)

// ID turns heading text into an HTML id that stays readable in every
// script: letters, marks and digits of any script are kept (lower-cased),
// runs of spaces, hyphens, underscores and other separators become one
// hyphen, and other punctuation is dropped. Text that leaves nothing
// becomes "section".
func ID(text string) string {
	text = norm.NFC.String(text)
	var b strings.Builder
	dash := false
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case unicode.IsSpace(r) || r == '-' || r == '_' || r == '–' || r == '—' || r == '/' || r == '.' || r == '\'' || r == '’' || unicode.Is(unicode.Pd, r):
			dash = true
		case r == '\u200c' || r == '\u200d': // joiners matter in Persian/Urdu and Bengali words
			b.WriteRune(r)
		default:
			// other punctuation and symbols are dropped
		}
	}
	if b.Len() == 0 {
		return "section"
	}
	return b.String()
}

// ids implements goldmark's parser.IDs with ID, keeping ids unique within
// one document: repeats get -1, -2, ...
type ids struct {
	used map[string]bool
}

func newIDs() *ids { return &ids{used: map[string]bool{}} }

func (s *ids) Generate(value []byte, _ ast.NodeKind) []byte {
	base := ID(string(value))
	id := base
	for i := 1; s.used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	s.used[id] = true
	return []byte(id)
}

func (s *ids) Put(value []byte) { s.used[string(value)] = true }
