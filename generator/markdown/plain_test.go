package markdown

import "testing"

// TestPlainTextEntities checks the plain text of headings and section
// texts where entities, the typographer's quotes and dashes, code spans,
// autolinks and line breaks meet: the text of a block is decoded once it
// is joined, whatever node its pieces come from, and an ampersand that
// starts no entity stays.
func TestPlainTextEntities(t *testing.T) {
	for _, tc := range []struct {
		name, body    string
		heading, text string
	}{
		{"entity in text", "## A &amp; B\n\nC &amp; D\n", "A & B", "C & D"},
		{"bare ampersand", "## A & B\n\nC & D &\n", "A & B", "C & D &"},
		{"typographer", "## \"Permesso\" -- rinnovo...\n\nDetto \"così\".\n", "«Permesso» – rinnovo…", "Detto «così»."},
		{"numeric entities", "## &#169; &#x41;\n\n&lt;tag&gt;\n", "© A", "<tag>"},
		{"code span", "## `a&amp;b`\n\ntesto `x &lt; y`\n", "a&b", "testo x < y"}, // decoded too, as the whole text is
		{"autolink", "## Sito\n\n<https://example.org/?a=1&b=2> e *enfasi &amp; altro*\n", "Sito", "https://example.org/?a=1&b=2 e enfasi & altro"},
		{"line breaks", "## Righe\n\nuno &amp;\ndue  \ntre\n", "Righe", "uno & due tre"},
		{"entity split by emphasis", "## X\n\n&am*p;*\n", "X", "&"}, // the text is decoded once it is joined
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, _ := New("it").Render(Doc{Path: "p", Rel: "a.md", Body: []byte(tc.body)})
			if len(res.Headings) != 1 || res.Headings[0].Text != tc.heading {
				t.Errorf("headings %+v, want one with text %q", res.Headings, tc.heading)
			}
			if len(res.Sections) != 1 || res.Sections[0].Heading != tc.heading || res.Sections[0].Text != tc.text {
				t.Errorf("sections %+v, want one with heading %q and text %q", res.Sections, tc.heading, tc.text)
			}
		})
	}
}
