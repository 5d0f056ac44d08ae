package markdown

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// refSections is the straightforward way to split a body at headings:
// every heading's id and text read again from its node, every section's
// text copied out of a reused buffer. Render's sections must give the
// same sections (it shares the buffer and the walk's heading texts).
func refSections(r *Renderer, body []byte) []Section {
	w, root := parseWalk(r, body)
	return w.refSections(root)
}

// parseWalk parses body and walks it as Render does before sections.
func parseWalk(r *Renderer, body []byte) (*walker, ast.Node) {
	ctx := parser.NewContext(parser.WithIDs(newIDs()))
	root := r.md.Parser().Parse(text.NewReader(body), parser.WithContext(ctx))
	w := &walker{doc: Doc{Path: "p", Rel: "guides/x/y.md", Body: body}, res: &Result{}, seenIDs: map[string]bool{}}
	w.walk(root) // settles repeated heading ids
	return w, root
}

func (w *walker) refSections(root ast.Node) []Section {
	body := w.doc.Body
	var out []Section
	cur := Section{}
	var b []byte
	flush := func() {
		cur.Text = string(bytes.TrimSpace(b))
		if cur.Text != "" || cur.Heading != "" {
			out = append(out, cur)
		}
		b = b[:0]
	}
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok {
			flush()
			id, _ := h.AttributeString("id")
			idb, _ := id.([]byte)
			cur = Section{Anchor: string(idb), Heading: plainText(h, body), Level: h.Level}
			continue
		}
		b = appendBlockText(b, n, body)
	}
	flush()
	return out
}

var sectionBodies = map[string]string{
	"empty":            "",
	"only heading":     "## Solo titolo\n",
	"intro only":       "Testo   senza\ntitoli.\n",
	"arabic":           "مقدمة **مهمة**.\n\n## الوثائق المطلوبة\n\n- جواز السفر\n- صورة\n",
	"repeated ids":     "## Perché?\n\nUno.\n\n## Perché?\n\nDue.\n\n## Requisiti {#perché-1}\n\nTre.\n",
	"entities":         "Costi &amp; tempi &laquo;citati&raquo; \"tra virgolette\" -- e ... fine.\n\n## A &amp; B\n\n&copy; 2026\n",
	"code":             "Prima.\n\n```sh\nportal build\n  -out x\n```\n\n    indentato\n    due\n\nDopo `codice` qui.\n",
	"links and images": "Vedi [la guida](../residence/rinnovo.md#quando) e ![una foto](foto.png) e <https://www.interno.gov.it/> e <mail@example.org>.\n",
	"nested headings":  "> ## Citato\n>\n> testo citato\n\n- ## In lista\n  voce\n\n## Fuori\n\nfine\n",
	"html and breaks":  "<div>raw</div>\n\n***\n\nriga uno  \nriga due\\\nriga tre\n\n## Dopo\n\n<script>x</script> testo\n",
	"table":            "| a | b |\n|---|---|\n| 1 | **2** |\n\n## Tabella {#t}\n\n| x |\n|---|\n| y |\n",
	"setext":           "Titolo\n======\n\nTesto.\n\nSotto\n-----\n\nAltro.\n",
	"han":              "居留许可续签。\n\n## 需要的文件\n\n护照、照片。\n",
	"empty sections":   "## Uno\n\n## Due\n\n\n## Tre\n\ntesto\n",
	"task list":        "- [ ] da fare\n- [x] fatto\n\n~~barrato~~ e www.example.org\n",
	"quotes":           strings.Repeat("\"a\" ", 300) + "\n\n## \"b\"\n\nc\n", // the text outgrows the body while its entities wait to be decoded
	"long":             string(bytes.Repeat([]byte("Parola &amp; «altra» [link](x.md) ![img](i.png)\n"), 400)) + "## Fine\n\nok\n",
}

func TestSectionsMatchReference(t *testing.T) {
	for _, lang := range []string{"it", "zh", "ro"} {
		r := New(lang)
		for name, body := range sectionBodies {
			res, _ := r.Render(Doc{Path: "p", Rel: "guides/x/y.md", Body: []byte(body), BodyLine: 1})
			want := refSections(r, []byte(body))
			if len(res.Sections) != len(want) {
				t.Errorf("%s/%s: %d sections, want %d:\n got %+v\nwant %+v", lang, name, len(res.Sections), len(want), res.Sections, want)
				continue
			}
			for i := range want {
				if res.Sections[i] != want[i] {
					t.Errorf("%s/%s: section %d = %+v, want %+v", lang, name, i, res.Sections[i], want[i])
				}
			}
		}
	}
}

// Section texts share one buffer: rendering another body must not change
// the sections of a result made before.
func TestSectionsStayPut(t *testing.T) {
	r := New("it")
	outgrows := "Prima parte.\n\n## Dopo\n\n" + strings.Repeat("\"a\" ", 300) + "\n" // the buffer moves after the first text is made
	for _, body := range []string{"Uno &amp; due.\n\n## Tre\n\nquattro\n", sectionBodies["quotes"], outgrows} {
		first, _ := r.Render(Doc{Path: "p", Rel: "a.md", Body: []byte(body)})
		before := make([]Section, len(first.Sections))
		for i, s := range first.Sections {
			before[i] = Section{Anchor: strings.Clone(s.Anchor), Heading: strings.Clone(s.Heading), Level: s.Level, Text: strings.Clone(s.Text)}
		}
		if want := refSections(r, []byte(body)); !slices.Equal(before, want) {
			t.Fatalf("sections = %+v, want %+v", before, want)
		}
		for range 3 {
			r.Render(Doc{Path: "p", Rel: "b.md", Body: []byte("Altro testo, molto diverso.\n\n## Cinque\n\nsei sette otto\n")})
			r.Render(Doc{Path: "p", Rel: "c.md", Body: []byte(sectionBodies["quotes"])})
		}
		for i := range before {
			if first.Sections[i] != before[i] {
				t.Errorf("section %d changed from %+v to %+v", i, before[i], first.Sections[i])
			}
		}
	}
}

func FuzzSections(f *testing.F) {
	for _, body := range sectionBodies {
		f.Add(body)
	}
	r := New("it")
	f.Fuzz(func(t *testing.T, body string) {
		res, _ := r.Render(Doc{Path: "p", Rel: "guides/x/y.md", Body: []byte(body), BodyLine: 1})
		want := refSections(r, []byte(body))
		if len(res.Sections) != len(want) {
			t.Fatalf("%q: %d sections, want %d", body, len(res.Sections), len(want))
		}
		for i := range want {
			if res.Sections[i] != want[i] {
				t.Fatalf("%q: section %d = %+v, want %+v", body, i, res.Sections[i], want[i])
			}
		}
	})
}

// TestSectionsPacked checks that the texts of bodies rendered one after
// another lie one after another in memory, with no room reserved between
// them (see takeText), and stay put.
func TestSectionsPacked(t *testing.T) {
	textBlocks.Lock()
	textBlocks.blocks = nil // a fresh block, with room for all three
	textBlocks.Unlock()
	r := New("it")
	bodies := []string{"Uno due tre.\n\n## Quattro\n\ncinque sei\n", "Sette otto.\n", "## Nove\n\ndieci undici dodici\n"}
	var prev *Result
	var want [][]Section
	var results []*Result
	for i, body := range bodies {
		res, _ := r.Render(Doc{Path: "p", Rel: "a.md", Body: []byte(body)})
		results = append(results, res)
		want = append(want, refSections(r, []byte(body)))
		if prev != nil {
			last := prev.Sections[len(prev.Sections)-1].Text
			end := uintptr(unsafe.Pointer(unsafe.StringData(last))) + uintptr(len(last))
			first := uintptr(unsafe.Pointer(unsafe.StringData(res.Sections[0].Text)))
			// The next text starts after the last one's trailing space,
			// which TrimSpace left out, at most a few bytes on.
			if first < end || first > end+8 {
				t.Errorf("body %d: its first text starts %d bytes after the end of the last one, want 0-8", i, int(first)-int(end))
			}
		}
		prev = res
	}
	for i, res := range results {
		if !slices.Equal(res.Sections, want[i]) {
			t.Errorf("body %d: sections %+v, want %+v", i, res.Sections, want[i])
		}
	}
}
