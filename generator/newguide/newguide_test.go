package newguide

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"portal/generator/content"
	"portal/generator/markdown"
	"portal/generator/meta"
)

var today = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

const italian = `---
title: "Rinnovo del permesso"
description: "Quando e come chiedere il rinnovo."
reviewed: 2026-10-01
tags: [permesso, rinnovo]
services: [permit-renewal]
weight: 20
sources:
  - text: "D.Lgs. 286/1998, art. 5"
    url: "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:1998-07-25;286"
  - text: "D.P.R. 394/1999, art. 13"
---
Il permesso ha una scadenza. Leggi [la conversione](conversione.md)
prima di chiedere il rinnovo.

## Cosa serve {#cosa-serve}

- [ ] Passaporto valido
- [ ] Quattro foto, vedi [Costi](#costi-e-tempi)

## Come fare

1. Compila il [modulo](https://www.poste.it/).
2. Vai alla *questura*.

Costi e tempi
-------------

| Voce | Importo |
|------|---------|
| Bollettino | 70,46 |

> Attenzione: le regole sono cambiate nel 2023.

` + "```\ncodice invariato\n```\n"

const wantSkeleton = `---
title: "TODO: Rinnovo del permesso"
description: "TODO: Quando e come chiedere il rinnovo."
reviewed: 2026-11-22
translation_of: "guides/residence/rinnovo.it.md"
# TODO: translate the Italian tags: permesso, rinnovo
tags: []
services: ["permit-renewal"]
weight: 20
sources:
  - text: "D.Lgs. 286/1998, art. 5"
    url: "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:1998-07-25;286"
  - text: "D.P.R. 394/1999, art. 13"
draft: true
---
TODO: translate each part marked TODO from the Italian text (CONTENT/guides/residence/rinnovo.it.md), keep every link and {#id} as they are, then delete the TODO markers and the line "draft: true".

TODO: Il permesso ha una scadenza. Leggi [la conversione](conversione.md)
prima di chiedere il rinnovo.

## TODO: Cosa serve {#cosa-serve}

- [ ] TODO: Passaporto valido
- [ ] TODO: Quattro foto, vedi [Costi](#costi-e-tempi)

## TODO: Come fare

1. TODO: Compila il [modulo](https://www.poste.it/).
2. TODO: Vai alla *questura*.

## TODO: Costi e tempi {#costi-e-tempi}

TODO: translate the table below.

| Voce | Importo |
|------|---------|
| Bollettino | 70,46 |

> TODO: Attenzione: le regole sono cambiate nel 2023.

` + "```\ncodice invariato\n```\n"

func setup(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "guides", "residence", "rinnovo.it.md")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(italian), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestSkeleton(t *testing.T) {
	dir := setup(t)
	p, err := Create(Options{Content: dir, Topic: "residence", Slug: "rinnovo", Lang: "en", From: "it", Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.ToSlash(filepath.Join(dir, "guides/residence/rinnovo.en.md")); p != want {
		t.Errorf("path = %s, want %s", p, want)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.ReplaceAll(string(data), filepath.ToSlash(dir), "CONTENT")
	if diff := cmp.Diff(wantSkeleton, got); diff != "" {
		t.Errorf("skeleton (-want +got):\n%s", diff)
	}

	// The skeleton is valid front matter with the same headings (levels
	// and ids) and links as the Italian text.
	page := decode(t, p, data)
	if page.TranslationOf != "guides/residence/rinnovo.it.md" || !page.Draft || len(page.Sources) != 2 || page.Weight != 20 {
		t.Errorf("front matter = %+v", page)
	}
	srcRes := render(t, "guides/residence/rinnovo.it.md", []byte(italian))
	res := render(t, "guides/residence/rinnovo.en.md", data)
	type h struct {
		Level int
		ID    string
	}
	var hs, ht []h
	for _, x := range srcRes.Headings {
		hs = append(hs, h{x.Level, x.ID})
	}
	for _, x := range res.Headings {
		ht = append(ht, h{x.Level, x.ID})
	}
	// Same levels; explicit and linked ids kept; "Come fare" had neither,
	// so the translation's heading text will give it its own id.
	hs[1].ID = "todo-come-fare"
	if diff := cmp.Diff(hs, ht); diff != "" {
		t.Errorf("headings (-italian +skeleton):\n%s", diff)
	}
	var ls, lt []string
	for _, l := range srcRes.Links {
		ls = append(ls, l.Dest)
	}
	for _, l := range res.Links {
		lt = append(lt, l.Dest)
	}
	if diff := cmp.Diff(ls, lt); diff != "" {
		t.Errorf("links (-italian +skeleton):\n%s", diff)
	}
}

func decode(t *testing.T, p string, data []byte) content.Meta {
	t.Helper()
	s, err := meta.Parse(p, data)
	if err != nil {
		t.Fatal(err)
	}
	var m content.Meta
	if err := s.Decode(&m); err != nil {
		t.Fatalf("front matter does not decode: %v", err)
	}
	return m
}

func render(t *testing.T, rel string, data []byte) *markdown.Result {
	t.Helper()
	s, err := meta.Parse(rel, data)
	if err != nil {
		t.Fatal(err)
	}
	res, errs := markdown.New("it").Render(markdown.Doc{Path: rel, Rel: rel, Body: s.Body, BodyLine: s.BodyLine})
	if len(errs) > 0 {
		t.Errorf("%s: %v", rel, errs)
	}
	return res
}

func TestFresh(t *testing.T) {
	for _, lang := range []string{"it", "en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			dir := t.TempDir()
			p, err := Create(Options{Content: dir, Topic: "entry", Slug: "visto-studio", Lang: lang, Today: today})
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			m := decode(t, p, data)
			d, err := m.Reviewed.Date()
			if err != nil || !d.Equal(today) {
				t.Errorf("reviewed = %v, %v; want today", d, err)
			}
			if !strings.HasPrefix(m.Title, "TODO") || !strings.HasPrefix(m.Description, "TODO") || len(m.Sources) != 1 ||
				!strings.HasPrefix(m.Sources[0].Text, "TODO") || m.Sources[0].URL != "" || !m.Draft {
				t.Errorf("front matter = %+v", m)
			}
			res := render(t, "guides/entry/visto-studio."+lang+".md", data)
			var ids []string
			for _, h := range res.Headings {
				ids = append(ids, h.ID)
			}
			if diff := cmp.Diff([]string{"cosa-serve", "come-fare", "attenzione"}, ids); diff != "" {
				t.Errorf("heading ids (-want +got):\n%s", diff)
			}
			body := string(data)
			if !strings.Contains(body, "\n- [ ] ") || !strings.Contains(body, "\n1. ") {
				t.Errorf("outline lacks the task list or the steps:\n%s", body)
			}
		})
	}
	// The Italian outline is in Italian.
	dir := t.TempDir()
	p, _ := Create(Options{Content: dir, Topic: "entry", Slug: "visto", Today: today})
	data, _ := os.ReadFile(p)
	for _, s := range []string{"## Cosa serve {#cosa-serve}", "## Come fare {#come-fare}", "## Attenzione {#attenzione}", "reviewed: 2026-11-22\n"} {
		if !bytes.Contains(data, []byte(s)) {
			t.Errorf("Italian outline lacks %q", s)
		}
	}
}

func TestCreateErrors(t *testing.T) {
	dir := setup(t)
	tests := []struct {
		opt  Options
		want string
	}{
		{Options{Topic: "residenza", Slug: "x"}, `"residenza" is not a guide topic (topics: entry, residence, citizenship, family, services, consular)`},
		{Options{Topic: "residense", Slug: "x"}, `: did you mean "residence"?`},
		{Options{Topic: "entry", Slug: "Nuovo Visto"}, `"Nuovo Visto" is not a valid guide name`},
		{Options{Topic: "entry", Slug: "x", Lang: "de", Langs: []string{"it", "en"}}, `"de" is not a site language (it, en)`},
		{Options{Topic: "residence", Slug: "rinnovo", Lang: "it"}, "rinnovo.it.md: the file already exists"},
		{Options{Topic: "residence", Slug: "manca", Lang: "en", From: "it"}, "there is no Italian text to translate (" + filepath.ToSlash(dir) + "/guides/residence/manca.it.md)"},
		{Options{Topic: "residence", Slug: "rinnovo", Lang: "en", From: "fr"}, "translations are made from the Italian text"},
		{Options{Topic: "residence", Slug: "rinnovo", Lang: "it", From: "it"}, "give the language of the translation with --lang"},
	}
	for _, tt := range tests {
		tt.opt.Content = dir
		_, err := Create(tt.opt)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Create(%+v) = %v, want an error with %q", tt.opt, err, tt.want)
		}
	}
	// A second skeleton never overwrites the first (or an edited file).
	opt := Options{Content: dir, Topic: "residence", Slug: "rinnovo", Lang: "fr", From: "it", Today: today}
	p, err := Create(opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("edited"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Create(opt); !errors.Is(err, ErrExists) {
		t.Errorf("second Create = %v, want ErrExists", err)
	}
	if data, _ := os.ReadFile(p); string(data) != "edited" {
		t.Errorf("file overwritten: %q", data)
	}
}

func TestCommand(t *testing.T) {
	dir := setup(t)
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Main(context.Background(), append([]string{"--root", "../..", "--content", dir}, args...), &out, &errb)
		return code, out.String(), errb.String()
	}
	code, out, errs := run("guide", "residence/rinnovo", "--lang", "en", "--from", "it")
	if code != 0 || !strings.Contains(out, "created "+filepath.ToSlash(dir)+"/guides/residence/rinnovo.en.md") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	if code, _, errs := run("guide", "residence/rinnovo", "--lang", "en", "--from", "it"); code != 1 || !strings.Contains(errs, "already exists") {
		t.Errorf("second run: exit %d, stderr %s", code, errs)
	}
	if code, _, errs := run("--lang", "xx", "guide", "entry/visto"); code != 1 || !strings.Contains(errs, `"xx" is not a site language`) {
		t.Errorf("bad language: exit %d, stderr %s", code, errs)
	}
	if code, _, errs := run("guide", "visto"); code != 2 || !strings.Contains(errs, "write the guide as <topic>/<slug>") {
		t.Errorf("no topic: exit %d, stderr %s", code, errs)
	}
	if code, _, _ := run("desk", "x/y"); code != 2 {
		t.Errorf("unknown kind: exit %d", code)
	}
}

// A marker that would change the structure (here it would turn an HTML
// block into a paragraph whose link then counts) makes the skeleton keep
// the Italian body unmarked, under the TODO line.
func TestSkeletonFallback(t *testing.T) {
	src := "---\ntitle: \"T\"\ndescription: \"D\"\nreviewed: 2026-01-01\nsources:\n  - text: \"L\"\n---\n<div>\n[a](b.md)\n</div>\n\nTesto.\n"
	out, err := skeleton(Options{Lang: "en", Today: today}, "guides/entry/x.it.md", "x.it.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	body := string(out[strings.Index(string(out), "\n---\n")+5:])
	want := "TODO: translate each part marked TODO from the Italian text (x.it.md), keep every link and {#id} as they are, then delete the TODO markers and the line \"draft: true\".\n\n<div>\n[a](b.md)\n</div>\n\nTesto.\n"
	if body != want {
		t.Errorf("body\n got %q\nwant %q", body, want)
	}
}
