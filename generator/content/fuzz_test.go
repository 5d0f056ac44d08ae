package content

import (
	"bytes"
	"testing"
	"testing/fstest"
)

// FuzzLoadFile feeds arbitrary bytes to the loader as a guide, a
// translated guide, a plain page and a home text. It must never panic, and
// every diagnostic must name the file and a line inside it (0 = the whole
// file).
func FuzzLoadFile(f *testing.F) {
	for _, seed := range []string{
		validGuide,
		"",
		"---\n---\n",
		"---\ntitle: x\n",
		"\n\n---\ntitle: x\nweight: heavy\n---\nbody\n",
		"+++\ntitle = \"x\"\nfoo = 1\n[[sources]]\nurl = \"ftp://x\"\n+++\n",
		"+++\ntitle = 3\n+++\n",
		"\ufeff---\r\ntitle: ''\r\nreviewed: 2025-13-01\r\nsources:\r\n  - url: ftp://x\r\nservices: [helth]\r\naliases: [x, /a/, /a]\r\n---\r\n",
		"---\n- a\n- b\n---\n",
		"---\ntitle: &a [*a]\n---\n",
		"---\n? [a]\n: b\n---\n",
		"---\ntitle: x\n---\n---\n",
		"---\ntitle: \"\\u00\"\n---\n",
		"---\nreviewed: !!timestamp 2025-01-01\nsources: [{text: a, url: \"https://[::1\"}]\n---\n",
		"Caff\xe8\n",
	} {
		f.Add([]byte(seed))
	}
	rels := []string{"guides/residence/rinnovo.md", "guides/residence/rinnovo.en.md", "pages/privacy.fr.md", "_index.md"}
	f.Fuzz(func(t *testing.T, data []byte) {
		// The YAML parser, like some editors, also takes a lone "\r" for a
		// line break.
		lines := 1 + bytes.Count(data, []byte("\n")) + bytes.Count(bytes.ReplaceAll(data, []byte("\r\n"), nil), []byte("\r"))
		for _, rel := range rels {
			fsys := fstest.MapFS{rel: {Data: data}}
			path := "content/" + rel
			p, ds := LoadFile(fsys, rel, testOptions())
			for _, d := range ds {
				if d.Path != path || d.Line < 0 || d.Line > lines || d.Col < 0 || d.Msg == "" {
					t.Errorf("%s: diagnostic %+v: want path %s and a line in 0..%d", rel, d, path, lines)
				}
			}
			if p != nil && (p.Src == nil || p.Rel != rel || p.Path != path) {
				t.Errorf("%s: page %+v", rel, p)
			}
			if p == nil && ds.Errors() == 0 {
				t.Errorf("%s: no page and no error", rel)
			}
			// Load reports what LoadFile reports for the file.
			_, all := Load(fsys, testOptions())
			seen := map[string]int{}
			for _, d := range all {
				seen[d.Format()]++
			}
			for _, d := range ds {
				if seen[d.Format()] == 0 {
					t.Errorf("%s: LoadFile reports %q, Load does not", rel, d.Format())
				}
				seen[d.Format()]--
			}
		}
	})
}
