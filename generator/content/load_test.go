package content

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"portal/generator/diag"
)

// file makes a MapFS entry from text.
func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

const validGuide = `---
title: Rinnovo del permesso di soggiorno
description: Come e quando chiedere il rinnovo.
tags: [permesso, questura]
reviewed: 2025-11-03
sources:
  - text: D.Lgs. 286/1998, art. 5
    url: https://www.normattiva.it/
services: [permit-renewal, legal-advice]
weight: 3
aliases: [/it/guide/rinnovo/]
---
# Rinnovo

Testo.
`

// testTree is a small valid site in four languages, with files that Load
// must leave alone.
func testTree() fstest.MapFS {
	return fstest.MapFS{
		"_index.md":                                 file("---\ntitle: Benvenuti\n---\nCiao\n"),
		"_index.en.md":                              file("---\ntitle: Welcome\n---\nHello\n"),
		"guides/_index.md":                          file("---\ntitle: Guide\n---\n"),
		"guides/residence/_index.md":                file("---\ntitle: Soggiorno\nweight: 2\n---\n"),
		"guides/residence/_index.ar.md":             file("---\ntitle: الإقامة\n---\n"),
		"guides/residence/rinnovo.md":               file(validGuide),
		"guides/residence/rinnovo.en.md":            file("---\ntitle: Permit renewal\ndescription: How to renew.\nreviewed: 2025-10-01\n---\nText.\n"),
		"guides/residence/rinnovo.fr.md":            file("+++\ntitle = \"Renouvellement\"\ndescription = \"Comment renouveler.\"\nreviewed = 2025-09-15\n+++\nTexte.\n"),
		"guides/family/ricongiungimento.md":         file("---\ntitle: Ricongiungimento\ndescription: Chi può venire.\nreviewed: 2025-01-20\nsources: [{text: \"D.Lgs. 286/1998, art. 29\"}]\n---\n"),
		"pages/privacy.md":                          file("---\ntitle: Privacy\n---\n"),
		"pages/privacy.fr.md":                       file("---\ntitle: Confidentialité\n---\n"),
		"pages/logo.png":                            {Data: []byte{0x89, 'P', 'N', 'G'}},
		"guides/residence/modulo.pdf":               {Data: []byte("%PDF")},
		"desks/bologna.md":                          file("not a content page: desks are loaded elsewhere"),
		".git/HEAD.md":                              file("hidden folders are skipped"),
		"guides/residence/.trash/vecchio.md":        file("hidden folders are skipped"),
		"guides/residence/.#rinnovo.it.md":          file("editor lock files are skipped"),
		"pages/.DS_Store":                           file("hidden files are skipped"),
		"guides/residence/README.txt":               file("not Markdown"),
		"guides/residence/ricongiungimento-bis.md~": file("editor backup"),
	}
}

func TestLoadGroups(t *testing.T) {
	site, ds := Load(testTree(), testOptions())
	if len(ds) != 0 {
		t.Fatalf("Load diagnostics:\n%s", formatDiags(ds))
	}
	type groupSummary struct {
		Key         string
		Kind        Kind
		Topic, Slug string
		Langs       string
	}
	var got []groupSummary
	for _, g := range site.Groups {
		if site.ByKey[g.Key] != g {
			t.Errorf("ByKey[%q] is not the group in Groups", g.Key)
		}
		got = append(got, groupSummary{g.Key, g.Kind, g.Topic, g.Slug, strings.Join(sortedLangs(g), ",")})
		for lang, p := range g.ByLang {
			if p.Lang != lang || p.Key != g.Key || p.Kind != g.Kind {
				t.Errorf("group %q ByLang[%q] holds %s (%s, %s, %s)", g.Key, lang, p.Rel, p.Key, p.Lang, p.Kind)
			}
		}
	}
	want := []groupSummary{
		{"guides", Guides, "", "", "it"},
		{"guides/family/ricongiungimento", Guide, "family", "ricongiungimento", "it"},
		{"guides/residence", Topic, "residence", "", "ar,it"},
		{"guides/residence/rinnovo", Guide, "residence", "rinnovo", "en,fr,it"},
		{"home", Home, "", "", "en,it"},
		{"pages/privacy", Plain, "", "privacy", "fr,it"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("groups:\n got %+v\nwant %+v", got, want)
	}
	if len(site.ByKey) != len(want) {
		t.Errorf("ByKey has %d groups, want %d", len(site.ByKey), len(want))
	}
	if site.Root != "content" {
		t.Errorf("Root = %q", site.Root)
	}

	var files []string
	for f := range site.Files {
		files = append(files, f)
	}
	slices.Sort(files)
	wantFiles := []string{
		"_index.en.md", "_index.md", "guides/_index.md",
		"guides/family/ricongiungimento.md",
		"guides/residence/README.txt", "guides/residence/_index.ar.md", "guides/residence/_index.md",
		"guides/residence/modulo.pdf", "guides/residence/ricongiungimento-bis.md~",
		"guides/residence/rinnovo.en.md", "guides/residence/rinnovo.fr.md", "guides/residence/rinnovo.md",
		"pages/logo.png", "pages/privacy.fr.md", "pages/privacy.md",
	}
	if !slices.Equal(files, wantFiles) {
		t.Errorf("Files:\n got %q\nwant %q", files, wantFiles)
	}

	it := site.ByKey["guides/residence/rinnovo"].ByLang["it"]
	m := it.Meta
	if m.Title != "Rinnovo del permesso di soggiorno" || m.Description != "Come e quando chiedere il rinnovo." ||
		!slices.Equal(m.Tags, []string{"permesso", "questura"}) || m.Weight != 3 || m.Draft ||
		!slices.Equal(m.Services, []string{"permit-renewal", "legal-advice"}) ||
		!slices.Equal(m.Aliases, []string{"/it/guide/rinnovo/"}) ||
		!slices.Equal(m.Sources, []SourceRef{{Text: "D.Lgs. 286/1998, art. 5", URL: "https://www.normattiva.it/"}}) {
		t.Errorf("decoded meta: %+v", m)
	}
	if want := time.Date(2025, 11, 3, 0, 0, 0, 0, time.UTC); !it.Reviewed.Equal(want) {
		t.Errorf("Reviewed = %v, want %v", it.Reviewed, want)
	}
	if it.Src == nil || string(it.Src.Body) != "# Rinnovo\n\nTesto.\n" || it.Src.BodyLine != 13 || it.Src.FrontLine != 2 {
		t.Errorf("source: %+v", it.Src)
	}
	fr := site.ByKey["guides/residence/rinnovo"].ByLang["fr"]
	if fr.Meta.Title != "Renouvellement" || !fr.Reviewed.Equal(time.Date(2025, 9, 15, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("TOML page: %+v, reviewed %v", fr.Meta, fr.Reviewed)
	}
	if ar := site.ByKey["guides/residence"].ByLang["ar"]; ar.Meta.Title != "الإقامة" || ar.Path != "content/guides/residence/_index.ar.md" {
		t.Errorf("Arabic topic page: %+v at %s", ar.Meta, ar.Path)
	}
}

// TestLoadFileMatchesLoad checks that loading one file on its own, as the
// preview session does, gives the page Load gives.
func TestLoadFileMatchesLoad(t *testing.T) {
	fsys := testTree()
	site, _ := Load(fsys, testOptions())
	for _, g := range site.Groups {
		for _, p := range g.ByLang {
			q, ds := LoadFile(fsys, p.Rel, testOptions())
			if len(ds) != 0 || q == nil {
				t.Fatalf("LoadFile(%q): %v", p.Rel, ds)
			}
			if q.Key != p.Key || q.Lang != p.Lang || q.Path != p.Path || q.Meta.Title != p.Meta.Title ||
				!q.Reviewed.Equal(p.Reviewed) || string(q.Src.Body) != string(p.Src.Body) {
				t.Errorf("LoadFile(%q) = %+v, Load gave %+v", p.Rel, q, p)
			}
		}
	}
	if p, ds := LoadFile(fsys, "guides/residence/gone.md", testOptions()); p != nil || len(ds) != 1 ||
		ds[0].Path != "content/guides/residence/gone.md" || !strings.HasPrefix(ds[0].Msg, "cannot read: ") {
		t.Errorf("LoadFile of a missing file: %v, %v", p, ds)
	}
	if p, ds := LoadFile(fsys, "guides/work/x.md", testOptions()); p != nil || len(ds) != 1 || ds[0].Path != "content/guides/work/x.md" {
		t.Errorf("LoadFile of a misplaced file: %v, %v", p, ds)
	}
}

func TestTextFor(t *testing.T) {
	g := &Group{Key: "k", ByLang: map[string]*Page{}}
	for _, l := range []string{"it", "fr", "en"} {
		g.ByLang[l] = &Page{Lang: l}
	}
	only := func(langs ...string) *Group {
		h := &Group{Key: "k", ByLang: map[string]*Page{}}
		for _, l := range langs {
			h.ByLang[l] = &Page{Lang: l}
		}
		return h
	}
	tests := []struct {
		name  string
		g     *Group
		lang  string
		chain []string
		want  string // "" = nil
	}{
		{"own language", g, "fr", []string{"en", "it"}, "fr"},
		{"own language without chain", g, "en", nil, "en"},
		{"first of chain", g, "ar", []string{"fr", "en", "it"}, "fr"},
		{"chain skips missing", g, "ar", []string{"es", "en", "it"}, "en"},
		{"chain order wins over source", only("it", "en"), "ar", []string{"en", "it"}, "en"},
		{"no chain: lowest code", only("fr", "en"), "ar", nil, "en"},
		{"chain of missing languages: lowest code", only("fr", "it"), "ar", []string{"es", "de"}, "fr"},
		{"source only", only("it"), "ar", []string{"fr"}, "it"},
		{"empty group", only(), "it", []string{"it", "en"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.g.TextFor(tt.lang, tt.chain)
			got := ""
			if p != nil {
				got = p.Lang
			}
			if got != tt.want {
				t.Errorf("TextFor(%q, %q) = %q, want %q", tt.lang, tt.chain, got, tt.want)
			}
		})
	}
}

func TestLoadDrafts(t *testing.T) {
	fsys := fstest.MapFS{
		"pages/nuova.md":      file("---\ntitle: Nuova\ndraft: true\n---\n"),
		"pages/nuova.en.md":   file("---\ntitle: New\ndraft: true\n---\n"),
		"pages/about.md":      file("---\ntitle: Chi siamo\n---\n"),
		"pages/about.en.md":   file("---\ntitle: About\ndraft: true\naliases: [/en/about-us/]\n---\n"),
		"pages/contatti.md":   file("---\ntitle: Contatti\ndraft: false\naliases: [/en/about-us/]\n---\n"),
		"pages/bozza.fr.md":   file("---\ndraft: true\n---\n"),
		"_index.md":           file("---\ntitle: Home\n---\n"),
		"guides/_index.ar.md": file("+++\ntitle = \"x\"\ndraft = true\n+++\n"),
	}
	langsOf := func(s *Site) map[string]string {
		out := map[string]string{}
		for _, g := range s.Groups {
			out[g.Key] = strings.Join(sortedLangs(g), ",")
		}
		return out
	}
	// A draft's schema errors are reported even when drafts are left out.
	wantErr := "content/pages/bozza.fr.md:2: error: title is missing: add \"title: ...\" to the front matter"

	site, ds := Load(fsys, testOptions())
	want := map[string]string{"home": "it", "pages/about": "it", "pages/contatti": "it"}
	if got := langsOf(site); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("without drafts: groups %v, want %v", got, want)
	}
	if got := formatDiags(ds); got != "\t"+wantErr+"\n" {
		t.Errorf("without drafts: diagnostics\n%s", got)
	}

	opt := testOptions()
	opt.Drafts = true
	site, ds = Load(fsys, opt)
	want = map[string]string{"guides": "ar", "home": "it", "pages/about": "en,it", "pages/bozza": "fr", "pages/contatti": "it", "pages/nuova": "en,it"}
	if got := langsOf(site); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("with drafts: groups %v, want %v", got, want)
	}
	// With drafts in, the draft's alias clashes with the published page's.
	wantDs := "\t" + wantErr + "\n" +
		"\tcontent/pages/contatti.md:4: error: alias /en/about-us/ is also claimed by content/pages/about.en.md: an old address can lead to only one page\n"
	if got := formatDiags(ds); got != wantDs {
		t.Errorf("with drafts: diagnostics\n%swant\n%s", got, wantDs)
	}
}

// want is an expected diagnostic: line, severity and message. A message
// starting with "~" need only be contained in the real one (used for
// messages worded by the YAML and TOML libraries).
type want struct {
	line int
	col  int // checked only when > 0
	sev  diag.Severity
	msg  string
}

func e(line int, msg string) want        { return want{line: line, msg: msg} }
func w(line int, msg string) want        { return want{line: line, sev: diag.Warning, msg: msg} }
func lib(line, col int, sub string) want { return want{line: line, col: col, msg: "~" + sub} }

func (wt want) matches(d diag.Diagnostic, path string) bool {
	if d.Path != path || d.Line != wt.line || d.Severity != wt.sev || (wt.col > 0 && d.Col != wt.col) {
		return false
	}
	if sub, ok := strings.CutPrefix(wt.msg, "~"); ok {
		return strings.Contains(d.Msg, sub)
	}
	return d.Msg == wt.msg
}

func (wt want) String() string {
	return fmt.Sprintf("line %d col %d %s: %s", wt.line, wt.col, wt.sev, wt.msg)
}

const (
	msgTitle       = `title is missing: add "title: ..." to the front matter`
	msgDescription = `description is missing: add a one-sentence summary, "description: ..."`
	msgReviewed    = `reviewed is missing: add the date the facts were last checked, "reviewed: YYYY-MM-DD"`
	msgSources     = `sources are missing: list the laws or official pages the guide rests on, e.g. "sources: [{text: \"D.Lgs. 286/1998, art. 5\"}]"`
	msgNoFront     = `front matter is missing: start the file with a "---" line, then "title: ...", then "---"`
	msgAllowedKeys = "(allowed keys: title, description, tags, reviewed, sources, services, weight, draft, aliases, translation_of)"
	msgServiceList = "(codes: permit-renewal, permit-first, family-reunification, citizenship, legal-advice, cultural-mediation, language-courses, work, housing, health, school)"
)

func msgBadDate(raw string) string {
	return fmt.Sprintf("reviewed: %q is not a date: write it as YYYY-MM-DD, for example 2026-03-31", raw)
}

func msgNoText(i int) string {
	return fmt.Sprintf(`sources[%d]: text is missing: name the law or page, e.g. "D.Lgs. 286/1998, art. 5"`, i)
}

func msgBadAlias(i int, a string) string {
	return fmt.Sprintf(`aliases[%d]: %q must be a site path starting with "/", like /it/guide/vecchio-nome/`, i, a)
}

// TestLoadSchema checks every front-matter check, one file at a time: each
// diagnostic names the file and the line of the offending key, and all the
// problems of a file are reported together.
func TestLoadSchema(t *testing.T) {
	const guide = "guides/residence/rinnovo.md"
	tests := []struct {
		name, rel, text string
		want            []want
		noPage          bool // the file cannot be decoded: no page in the site
	}{
		{name: "valid guide", rel: guide, text: validGuide},
		{name: "valid translation without sources", rel: "guides/residence/rinnovo.en.md",
			text: "---\ntitle: Renewal\ndescription: How.\nreviewed: 2025-01-01\n---\n"},
		{name: "plain page needs only a title", rel: "pages/privacy.md", text: "---\ntitle: Privacy\n---\n"},
		{name: "topic page needs only a title", rel: "guides/entry/_index.md", text: "---\ntitle: Ingresso\n---\n"},
		{name: "home page needs only a title", rel: "_index.ar.md", text: "---\ntitle: أهلا\n---\n"},

		// Required fields.
		{name: "guide with title only", rel: guide, text: "---\ntitle: Rinnovo\n---\n",
			want: []want{e(2, msgDescription), e(2, msgReviewed), w(2, msgSources)}},
		{name: "translated guide needs no sources", rel: "guides/residence/rinnovo.fr.md", text: "---\ntitle: Rinnovo\n---\n",
			want: []want{e(2, msgDescription), e(2, msgReviewed)}},
		{name: "missing title on a plain page", rel: "pages/privacy.md", text: "---\nweight: 1\n---\n",
			want: []want{e(2, msgTitle)}},
		{name: "missing title after blank lines", rel: "pages/privacy.md", text: "\n\n---\nweight: 1\ntags: [a]\n---\n",
			want: []want{e(4, msgTitle)}},
		{name: "blank title and description point at their keys", rel: guide,
			text: "---\nreviewed: 2025-01-01\nsources: [{text: a}]\ntitle: \"  \"\ndescription: ''\n---\n",
			want: []want{e(4, msgTitle), e(5, msgDescription)}},
		{name: "empty front matter", rel: guide, text: "---\n---\nBody\n",
			want: []want{e(2, msgDescription), e(2, msgReviewed), w(2, msgSources), e(2, msgTitle)}},
		{name: "null reviewed is missing", rel: guide, text: "---\ntitle: a\ndescription: b\nsources: [{text: c}]\nreviewed:\n---\n",
			want: []want{e(2, msgReviewed)}},
		{name: "no front matter", rel: "pages/privacy.md", text: "# Privacy\n\ntitle: no\n",
			want: []want{e(1, msgNoFront)}},
		{name: "no front matter on a guide is one error", rel: guide, text: "Testo.\n",
			want: []want{e(1, msgNoFront)}},

		// Dates.
		{name: "impossible date", rel: guide, text: strings.Replace(validGuide, "2025-11-03", "2025-02-30", 1),
			want: []want{e(5, msgBadDate("2025-02-30"))}},
		{name: "Italian date order", rel: guide, text: strings.Replace(validGuide, "2025-11-03", "03/11/2025", 1),
			want: []want{e(5, msgBadDate("03/11/2025"))}},
		{name: "date as words", rel: "pages/privacy.md", text: "---\ntitle: P\nreviewed: ieri\n---\n",
			want: []want{e(3, msgBadDate("ieri"))}},
		{name: "quoted date", rel: guide, text: strings.Replace(validGuide, "2025-11-03", `"2025-11-03"`, 1)},
		{name: "date with time", rel: guide, text: strings.Replace(validGuide, "2025-11-03", "2025-11-03T09:30:00Z", 1)},
		{name: "date in the future", rel: guide, text: strings.Replace(validGuide, "2025-11-03", "2999-01-01", 1),
			want: []want{w(5, "reviewed: 2999-01-01 is in the future: give the date the facts were actually checked")}},
		{name: "TOML bad date", rel: "pages/privacy.md", text: "+++\ntitle = \"P\"\n\nreviewed = \"1 marzo\"\n+++\n",
			want: []want{e(4, msgBadDate("1 marzo"))}},

		// Unknown keys.
		{name: "misspelt key", rel: guide, text: strings.Replace(validGuide, "reviewed:", "reviwed:", 1), noPage: true,
			want: []want{e(5, `~front matter: unknown key "reviwed": did you mean "reviewed"?`)}},
		{name: "misspelt key case", rel: "pages/privacy.md", text: "---\nTitle: P\n---\n", noPage: true,
			want: []want{e(2, `~front matter: unknown key "Title": did you mean "title"?`)}},
		{name: "unknown key", rel: "pages/privacy.md", text: "---\ntitle: P\nlayout: wide\n---\n", noPage: true,
			want: []want{e(3, `~front matter: unknown key "layout" `+msgAllowedKeys)}},
		{name: "TOML unknown keys are all reported", rel: "pages/privacy.md",
			text: "+++\ntitle = \"P\"\ndescripton = \"d\"\nlayout = \"wide\"\n+++\n", noPage: true,
			want: []want{
				{line: 3, col: 1, msg: `front matter: unknown key "descripton": did you mean "description"?`},
				{line: 4, col: 1, msg: `front matter: unknown key "layout" ` + msgAllowedKeys},
			}},

		{name: "YAML unknown keys are all reported, in order", rel: "pages/privacy.md",
			text: "---\ntitle: P\nlayout: a\ndescripton: d\ncolour: b\n---\n", noPage: true,
			want: []want{
				{line: 3, col: 1, msg: `front matter: unknown key "layout" ` + msgAllowedKeys},
				{line: 4, col: 1, msg: `front matter: unknown key "descripton": did you mean "description"?`},
				{line: 5, col: 1, msg: `front matter: unknown key "colour" ` + msgAllowedKeys},
			}},

		// Wrong types.
		{name: "weight not a number", rel: "pages/privacy.md", text: "---\ntitle: P\nweight: heavy\n---\n", noPage: true,
			want: []want{lib(3, 9, "front matter: ")}},
		{name: "draft not a boolean", rel: "pages/privacy.md", text: "---\ntitle: P\n\ndraft: maybe\n---\n", noPage: true,
			want: []want{lib(4, 8, "front matter: ")}},
		{name: "tags not a list", rel: "pages/privacy.md", text: "---\ntitle: P\ntags: permesso\n---\n", noPage: true,
			want: []want{lib(3, 7, "front matter: ")}},
		{name: "title a list", rel: "pages/privacy.md", text: "---\ntitle: [a, b]\n---\n", noPage: true,
			want: []want{lib(2, 8, "front matter: ")}},
		{name: "sources a string", rel: guide, text: strings.Replace(validGuide, "sources:\n  - text: D.Lgs. 286/1998, art. 5\n    url: https://www.normattiva.it/\n", "sources: D.Lgs. 286/1998\n", 1), noPage: true,
			want: []want{lib(6, 10, "front matter: ")}},
		{name: "TOML title a number", rel: "pages/privacy.md", text: "+++\nweight = 1\ntitle = 3\n+++\n", noPage: true,
			want: []want{lib(3, 9, "front matter: ")}},
		// The YAML library panics on these; the loader reports them.
		{name: "list key with a bare tag", rel: "pages/privacy.md", text: "---\ntitle: P\ntags: !\n---\n", noPage: true,
			want: []want{e(2, "~front matter: a value cannot be read (")}},
		{name: "list key with a bare seq tag", rel: guide, text: strings.Replace(validGuide, "aliases: [/it/guide/rinnovo/]", "aliases: !!seq", 1), noPage: true,
			want: []want{e(2, `~: look for a "!" tag without a value`)}},
		{name: "front matter a list", rel: "pages/privacy.md", text: "---\n- title\n- P\n---\n", noPage: true,
			want: []want{e(2, `the front matter must be a list of "key: value" lines`)}},
		{name: "front matter never closed", rel: "pages/privacy.md", text: "\n---\ntitle: P\n\nText\n", noPage: true,
			want: []want{e(2, `the front matter opened here is never closed: add a line with only "---" after the last key`)}},
		{name: "not UTF-8", rel: "pages/privacy.md", text: "---\ntitle: P\n---\nCaff\xe8\n", noPage: true,
			want: []want{e(4, "the file is not valid UTF-8 text: save it with UTF-8 encoding")}},

		// Sources.
		{name: "sources without text", rel: guide,
			text: "---\ntitle: a\ndescription: b\nreviewed: 2025-01-01\nsources:\n  - text: D.Lgs. 286/1998\n  - url: https://www.normattiva.it/\n  - text: \"\"\n    url: https://www.interno.gov.it/\n---\n",
			want: []want{e(7, msgNoText(1)), e(8, msgNoText(2))}},
		{name: "source with a bad address", rel: guide,
			text: "---\ntitle: a\ndescription: b\nreviewed: 2025-01-01\nsources:\n  - text: Circolare\n    url: www.interno.gov.it\n---\n",
			want: []want{e(7, `sources[0].url: "www.interno.gov.it" is not a web address: write the full address starting with https://`)}},
		{name: "TOML source without text", rel: guide,
			text: "+++\ntitle = \"a\"\ndescription = \"b\"\nreviewed = 2025-01-01\n\n[[sources]]\nurl = \"https://www.normattiva.it/\"\n+++\n",
			want: []want{e(6, msgNoText(0))}},

		// Services.
		{name: "misspelt service", rel: guide, text: strings.Replace(validGuide, "legal-advice", "legal-advise", 1),
			want: []want{e(9, `services[1]: "legal-advise" is not a service code: did you mean "legal-advice"?`)}},
		{name: "unknown service on its own line", rel: "pages/privacy.md",
			text: "---\ntitle: P\nservices:\n  - health\n  - tax-returns\n---\n",
			want: []want{e(5, `services[1]: "tax-returns" is not a service code `+msgServiceList)}},

		// Aliases.
		{name: "bad aliases", rel: "pages/privacy.md",
			text: "---\ntitle: P\naliases:\n  - /it/ok/\n  - it/vecchia/\n  - /it/con spazio/\n  - /it/a?b=1\n  - /it/a#b\n  - \"/it/<x>/\"\n  - /it/../../etc/\n  - /it/ok-2\n---\n",
			want: []want{
				e(5, msgBadAlias(1, "it/vecchia/")),
				e(6, msgBadAlias(2, "/it/con spazio/")),
				e(7, msgBadAlias(3, "/it/a?b=1")),
				e(8, msgBadAlias(4, "/it/a#b")),
				e(9, msgBadAlias(5, "/it/<x>/")),
				e(10, `aliases[6]: "/it/../../etc/" must not contain "..": write the old address as it was, like /it/guide/vecchio-nome/`),
			}},
		{name: "alias claimed twice by one page", rel: "pages/privacy.md",
			text: "---\ntitle: P\naliases:\n  - /it/vecchia/\n  - /it/vecchia\n---\n",
			want: []want{e(5, "alias /it/vecchia/ is also claimed by content/pages/privacy.md: an old address can lead to only one page")}},

		// Every check at once: all problems of the file are reported, in
		// line order (and by message within a line).
		{name: "many problems", rel: guide,
			text: "\ufeff---\r\ntitle: ''\r\nreviewed: 2025-13-01\r\nsources:\r\n  - url: ftp://x\r\nservices: [helth]\r\naliases: [x]\r\n---\r\nBody\r\n",
			want: []want{
				e(2, msgDescription), e(2, msgTitle),
				e(3, msgBadDate("2025-13-01")),
				e(5, `sources[0].url: "ftp://x" is not a web address: write the full address starting with https://`),
				e(5, msgNoText(0)),
				e(6, `services[0]: "helth" is not a service code: did you mean "health"?`),
				e(7, msgBadAlias(0, "x")),
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{tt.rel: file(tt.text)}
			site, ds := Load(fsys, testOptions())
			checkDiags(t, ds, "content/"+tt.rel, tt.want)
			id, _ := Identify(tt.rel, testOptions())
			if id == nil {
				t.Fatalf("test file %q is in no known place", tt.rel)
			}
			g := site.ByKey[id.Key]
			if tt.noPage != (g == nil) {
				t.Errorf("group %q in the site: %v, want %v", id.Key, g != nil, !tt.noPage)
			}
			// LoadFile reports the same problems.
			p, fds := LoadFile(fsys, tt.rel, testOptions())
			fds.Sort()
			checkDiags(t, fds, "content/"+tt.rel, withoutSiteChecks(tt.want))
			if tt.noPage != (p == nil) {
				t.Errorf("LoadFile page %v, want a page: %v", p, !tt.noPage)
			}
		})
	}
}

// withoutSiteChecks drops the diagnostics only Load can find, which look
// across files.
func withoutSiteChecks(ws []want) []want {
	var out []want
	for _, w := range ws {
		if !strings.Contains(w.msg, "is also claimed by") {
			out = append(out, w)
		}
	}
	return out
}

func checkDiags(t *testing.T, ds diag.List, path string, ws []want) {
	t.Helper()
	ok := len(ds) == len(ws)
	for i := 0; ok && i < len(ds); i++ {
		ok = ws[i].matches(ds[i], path)
	}
	if !ok {
		var wb strings.Builder
		for _, w := range ws {
			wb.WriteString("\t" + path + ": " + w.String() + "\n")
		}
		t.Errorf("diagnostics:\n%swant:\n%s", formatDiags(ds), wb.String())
	}
}

// TestLoadCollectsAll checks that one run reports the problems of every
// file, sorted by path and line, and still loads the good files.
func TestLoadCollectsAll(t *testing.T) {
	fsys := fstest.MapFS{
		"pages/b.md":                file("---\nweight: x\n---\n"),
		"pages/a.md":                file("---\ntitel: A\n---\n"),
		"pages/ok.md":               file("---\ntitle: Ok\n---\n"),
		"pages/c.md":                file("---\ntitle: C\nreviewed: 2025-1-1\naliases: [c]\n---\n"),
		"pages/Bad.md":              file("---\ntitle: x\n---\n"),
		"guides/work/x.md":          file("---\ntitle: x\n---\n"),
		"guides/entry/visto.de.md":  file("---\ntitle: x\n---\n"),
		"guides/entry/visto.md":     file("---\ntitle: V\ndescription: d\nreviewed: 2025-01-01\n---\n"),
		"guides/entry/visto.it.md":  file("---\ntitle: V\ndescription: d\nreviewed: 2025-01-01\n---\n"),
		"guides/entry/_index.md":    file("no front matter\n"),
		"random.md":                 file("---\ntitle: x\n---\n"),
		"pages/z.md":                file("---\ntitle: Z\naliases: [/it/old/]\n---\n"),
		"guides/entry/_index.fr.md": file("---\ntitle: E\naliases: [/it/old]\n---\n"),
	}
	site, ds := Load(fsys, testOptions())
	wantDs := []string{
		`content/guides/entry/_index.md:1: error: ` + msgNoFront,
		`content/guides/entry/visto.de.md: error: ` + msgLang("de"),
		`content/guides/entry/visto.it.md:2: warning: ` + msgSources,
		`content/guides/entry/visto.md: error: guides/entry/visto.md is a second "it" version of guides/entry/visto.it.md: keep one of the two files`,
		`content/guides/entry/visto.md:2: warning: ` + msgSources,
		`content/guides/work/x.md: error: "work" is not a guide topic: move the file into one of ` + topicChoice,
		`content/pages/Bad.md: error: ` + msgSlug("Bad", "it"),
		`content/pages/a.md:2:1: error: front matter: unknown key "titel": did you mean "title"?`,
		`content/pages/b.md:2:9: error: front matter: `,
		`content/pages/c.md:3: error: ` + msgBadDate("2025-1-1"),
		`content/pages/c.md:4: error: ` + msgBadAlias(0, "c"),
		`content/pages/z.md:3: error: alias /it/old/ is also claimed by content/guides/entry/_index.fr.md: an old address can lead to only one page`,
		`content/random.md: error: ` + msgNoPlace,
	}
	var got []string
	for _, d := range ds {
		got = append(got, d.Format())
	}
	ok := len(got) == len(wantDs)
	for i := 0; ok && i < len(got); i++ {
		ok = strings.HasPrefix(got[i], wantDs[i]) && (strings.HasSuffix(wantDs[i], ": ") || got[i] == wantDs[i])
	}
	if !ok {
		t.Errorf("diagnostics:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(wantDs, "\n\t"))
	}
	if ds.Errors() != 11 {
		t.Errorf("%d errors, want 11", ds.Errors())
	}
	var keys []string
	for _, g := range site.Groups {
		keys = append(keys, g.Key+":"+strings.Join(sortedLangs(g), ","))
	}
	wantKeys := []string{"guides/entry:fr,it", "guides/entry/visto:it", "pages/c:it", "pages/ok:it", "pages/z:it"}
	if !slices.Equal(keys, wantKeys) {
		t.Errorf("groups %q, want %q", keys, wantKeys)
	}
	if p := site.ByKey["guides/entry/visto"].ByLang["it"]; p.Rel != "guides/entry/visto.it.md" {
		t.Errorf("the first of two Italian versions should stay; got %s", p.Rel)
	}
}

// TestLoadStable checks that parallel loading gives the same result run
// after run.
func TestLoadStable(t *testing.T) {
	fsys := testTree()
	for i := range 40 {
		fsys[fmt.Sprintf("pages/p%02d.md", i)] = file(fmt.Sprintf("---\ntitle: P%d\naliases: [/old/]\n---\n", i))
	}
	_, first := Load(fsys, testOptions())
	if len(first) != 39 {
		t.Fatalf("%d diagnostics, want 39 alias clashes:\n%s", len(first), formatDiags(first))
	}
	for i, d := range first {
		if d.Path != fmt.Sprintf("content/pages/p%02d.md", i+1) || !strings.Contains(d.Msg, "claimed by content/pages/p00.md") {
			t.Fatalf("diagnostic %d: %s", i, d.Format())
		}
	}
	for range 10 {
		_, ds := Load(fsys, testOptions())
		if formatDiags(ds) != formatDiags(first) {
			t.Fatalf("run differs:\n%s\nfirst:\n%s", formatDiags(ds), formatDiags(first))
		}
	}
}

// brokenFS fails to open some names.
type brokenFS struct {
	fstest.MapFS
	bad map[string]bool
}

var errBroken = errors.New("disk on fire")

func (b brokenFS) Open(name string) (fs.File, error) {
	if b.bad[name] {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errBroken}
	}
	return b.MapFS.Open(name)
}

func (b brokenFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if b.bad[name] {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errBroken}
	}
	return b.MapFS.ReadDir(name)
}

func (b brokenFS) ReadFile(name string) ([]byte, error) { return fs.ReadFile(struct{ fs.FS }{b}, name) }

func TestLoadReadErrors(t *testing.T) {
	fsys := brokenFS{
		MapFS: fstest.MapFS{
			"pages/a.md":        file("---\ntitle: A\n---\n"),
			"pages/b.md":        file("---\ntitle: B\n---\n"),
			"guides/entry/x.md": file("---\ntitle: X\n---\n"),
		},
		bad: map[string]bool{"pages/b.md": true, "guides": true},
	}
	site, ds := Load(fsys, testOptions())
	got := formatDiags(ds)
	want := "\tcontent/guides: error: cannot read: open guides: disk on fire\n" +
		"\tcontent/pages/b.md: error: cannot read: open pages/b.md: disk on fire\n"
	if got != want {
		t.Errorf("diagnostics:\n%swant:\n%s", got, want)
	}
	if len(site.Groups) != 1 || site.Groups[0].Key != "pages/a" {
		t.Errorf("groups: %v", site.ByKey)
	}
}
