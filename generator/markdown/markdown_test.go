package markdown

import (
	"strings"
	"testing"
)

func TestID(t *testing.T) {
	for in, want := range map[string]string{
		"Perché il permesso?":     "perché-il-permesso",
		"تجديد تصريح الإقامة":     "تجديد-تصريح-الإقامة",
		"居留许可 续签":                 "居留许可-续签",
		"Продовження дозволу":     "продовження-дозволу",
		"Costi e tempi — 2026":    "costi-e-tempi-2026",
		"!!!":                     "section",
		"D.Lgs. 286/1998, art. 5": "d-lgs-286-1998-art-5",
		"  Spazi   multipli  ":    "spazi-multipli",
		"নাগরিকত্বের আবেদন":       "নাগরিকত্বের-আবেদন",
	} {
		if got := ID(in); got != want {
			t.Errorf("ID(%q) = %q, want %q", in, got, want)
		}
	}
}

func render(t *testing.T, lang, body string) (*Result, string) {
	t.Helper()
	res, errs := New(lang).Render(Doc{Path: "content/guides/entry/x.it.md", Rel: "guides/entry/x.it.md", Body: []byte(body), BodyLine: 5})
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Format())
	}
	return res, strings.Join(msgs, "\n")
}

func TestRender(t *testing.T) {
	res, errs := render(t, "it", "Intro \"citata\".\n\n## Perché?\n\n## Perché?\n\n## Requisiti {#requisiti}\n\n<script>alert(1)</script>\n\n[rinnovo](../residence/rinnovo.md#quando) e [sito](https://www.interno.gov.it/) e [x](javascript:alert(1))\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
	if !strings.Contains(errs, `content/guides/entry/x.it.md:15:84:`) || !strings.Contains(errs, `"javascript:" addresses are not allowed`) {
		t.Errorf("errors = %s", errs)
	}
	out := string(res.HTMLFor(func(l Link) (string, string) { return "/en/guides/residence/rinnovo/#" + l.Anchor, "it" }))
	for _, want := range []string{
		`id="perché"`, `id="perché-1"`, `id="requisiti"`,
		`&laquo;citata&raquo;`,
		`<a href="/en/guides/residence/rinnovo/#quando" hreflang="it">rinnovo</a>`,
		`<div class="table" tabindex="0"><table>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "<script") || strings.Contains(out, "javascript:") {
		t.Errorf("unsafe output:\n%s", out)
	}
	if len(res.Headings) != 3 || res.Headings[2].Line != 11 {
		t.Errorf("headings = %+v", res.Headings)
	}
	var content *Link
	for i := range res.Links {
		if res.Links[i].Kind == Content {
			content = &res.Links[i]
		}
	}
	if content == nil || content.Target != "guides/residence/rinnovo.md" || content.Anchor != "quando" || content.Line != 15 {
		t.Errorf("content link = %+v", content)
	}
	if len(res.Tables) != 1 || res.Tables[0].Columns != 2 {
		t.Errorf("tables = %+v", res.Tables)
	}
}

func TestSections(t *testing.T) {
	res, _ := render(t, "ar", "مقدمة **مهمة**.\n\n## الوثائق المطلوبة\n\n- جواز السفر\n- صورة\n")
	if len(res.Sections) != 2 {
		t.Fatalf("sections = %+v", res.Sections)
	}
	s := res.Sections[1]
	if s.Anchor != "الوثائق-المطلوبة" || !strings.Contains(s.Text, "جواز السفر") {
		t.Errorf("section = %+v", s)
	}
	if res.Sections[0].Text != "مقدمة مهمة." {
		t.Errorf("intro = %q", res.Sections[0].Text)
	}
}

func TestLinkErrors(t *testing.T) {
	for body, want := range map[string]string{
		"[a](/it/guides/)":            "is a site address",
		"[a](../../../etc/passwd.md)": "points outside the content folder",
		"[a]()":                       "has no address",
		"[a](https://)":               "not a valid web address",
	} {
		_, errs := render(t, "it", body)
		if !strings.Contains(errs, want) || !strings.Contains(errs, "x.it.md:5:") {
			t.Errorf("%s: errors %q, want %q at line 5", body, errs, want)
		}
	}
}

func FuzzRender(f *testing.F) {
	f.Add("# T\n\n[a](../b.md#c) ![i](img.png)\n\n| a |\n|---|\n| b |\n\n- [ ] x\n")
	f.Add("<div>raw</div>\n\n<script>x</script> [x](javascript:1)")
	f.Add("## {#id}\n## \u202e\n")
	f.Fuzz(func(t *testing.T, body string) {
		res, _ := New("it").Render(Doc{Path: "p", Rel: "guides/x/y.md", Body: []byte(body), BodyLine: 1})
		out := string(res.HTMLFor(func(l Link) (string, string) { return "/x/", "" }))
		if strings.Contains(strings.ToLower(out), "<script") {
			t.Fatalf("script emitted for %q: %s", body, out)
		}
		seen := map[string]bool{}
		for _, h := range res.Headings {
			if seen[h.ID] {
				t.Fatalf("duplicate id %q in %q", h.ID, body)
			}
			seen[h.ID] = true
		}
	})
}

func TestNoSections(t *testing.T) {
	doc := Doc{Path: "a.md", Rel: "guides/x/a.md", Body: []byte("Intro.\n\n## Requisiti\n\nTesto.\n"), BodyLine: 1}
	r := New("it")
	full, _ := r.Render(doc)
	r.NoSections = true
	bare, _ := r.Render(doc)
	if len(full.Sections) != 2 || len(bare.Sections) != 0 {
		t.Errorf("sections: %d with, %d without; want 2 and 0", len(full.Sections), len(bare.Sections))
	}
	if full.HTMLFor(nil) != bare.HTMLFor(nil) || len(bare.Headings) != 1 {
		t.Errorf("NoSections changed the HTML or the headings")
	}
}
