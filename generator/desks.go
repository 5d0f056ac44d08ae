package generator

import (
	"fmt"
	"html/template"
	"os"
	"path"
	"strings"

	"portal/generator/content"
	"portal/generator/desk"
	"portal/generator/i18n"
	"portal/generator/markdown"
	"portal/generator/search"
)

// deskEnv is what package desk needs from the build.
type deskEnv struct{ b *builder }

func (e deskEnv) T(lang, key string, args ...any) string {
	if l := e.b.langs.Get(lang); l != nil {
		return l.T(key, args...)
	}
	return key
}

func (e deskEnv) LangName(lang string) string {
	if l := e.b.langs.Get(lang); l != nil {
		return l.Name
	}
	return lang
}

func (e deskEnv) Dir(lang string) string {
	if l := e.b.langs.Get(lang); l != nil {
		return l.Direction
	}
	return "ltr"
}

func (e deskEnv) Langs() []string       { return e.b.langs.Codes() }
func (e deskEnv) Asset(n string) string { return e.b.Asset(n) }
func (e deskEnv) BaseURL() string       { return e.b.cfg.BaseURL }

// Markdown renders a desk description; links to guides resolve in lang.
func (e deskEnv) Markdown(lang string, src []byte, srcPath string, line int) (template.HTML, error) {
	rel := strings.TrimPrefix(srcPath, e.b.site.Root+"/")
	res, errs := e.b.deskRenderer(lang).Render(markdown.Doc{Path: srcPath, Rel: rel, Body: src, BodyLine: line})
	if errs.Errors() > 0 {
		return "", errs.Err()
	}
	return template.HTML(res.HTMLFor(func(l markdown.Link) (string, string) { return e.b.resolve(l, lang) })), nil
}

// deskRenderer returns the Markdown renderer for desk descriptions in
// lang, made once per build (desk pages ask for one per desk and language).
func (b *builder) deskRenderer(lang string) *markdown.Renderer {
	if r, ok := b.deskMD.Load(lang); ok {
		return r.(*markdown.Renderer)
	}
	r := markdown.New(lang)
	r.NoSections = true // desk texts reach the index another way
	v, _ := b.deskMD.LoadOrStore(lang, r)
	return v.(*markdown.Renderer)
}

// GuidesFor lists the guides whose front matter names service. Desk pages
// ask for every service of every desk in every language, so the answers
// are computed once per build.
func (e deskEnv) GuidesFor(lang, service string) []desk.Link {
	key := lang + "\x00" + service
	e.b.mu.Lock()
	if e.b.guidesFor == nil {
		e.b.guidesFor = map[string][]desk.Link{}
	}
	links, ok := e.b.guidesFor[key]
	e.b.mu.Unlock()
	if ok {
		return links
	}
	links = e.guidesFor(lang, service)
	e.b.mu.Lock()
	e.b.guidesFor[key] = links
	e.b.mu.Unlock()
	return links
}

func (e deskEnv) guidesFor(lang, service string) []desk.Link {
	var out []desk.Link
	l := e.b.langs.Get(lang)
	for _, g := range e.b.site.Groups {
		if g.Kind != content.Guide {
			continue
		}
		src := g.TextFor(i18n.Source, nil)
		if src == nil || !contains(src.Meta.Services, service) {
			continue
		}
		tp := g.TextFor(lang, l.Fallback)
		link := desk.Link{URL: g.URL(lang), Title: tp.Meta.Title}
		if tp.Lang != lang {
			link.Lang = tp.Lang
		}
		out = append(out, link)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// writeDeskPages writes the desk pages of one language.
func (b *builder) writeDeskPages(l *i18n.Language) error {
	pages, err := b.desks.Pages(l.Code, deskEnv{b})
	if err != nil {
		return fmt.Errorf("desk pages (%s): %w", l.Code, err)
	}
	for _, p := range pages {
		if err := b.writeDeskPage(l, p); err != nil {
			return err
		}
	}
	return nil
}

// writeDeskFiles writes the desk feeds and the embed pages.
func (b *builder) writeDeskFiles() error {
	if b.desks == nil {
		return nil
	}
	env := deskEnv{b}
	if err := b.desks.WriteFeeds(b.out.Path(), env); err != nil {
		return fmt.Errorf("desk feeds: %w", err)
	}
	embeds, err := b.desks.EmbedPages(env)
	if err != nil {
		return fmt.Errorf("desk embed: %w", err)
	}
	for _, e := range embeds {
		if err := b.out.Write(e.URL, e.Body); err != nil {
			return err
		}
	}
	// Partners copy this address into their pages, so it has no fingerprint.
	if js, err := os.ReadFile(path.Join(b.cfg.Root, "static/js/embed.js")); err == nil {
		if err := b.out.Write("embed/embed.js", js); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) writeDeskPage(l *i18n.Language, p desk.Page) error {
	v := &View{b: b, Chrome: b.chrome[l.Code], Lang: l, L: l.Labels, TextLang: l, Kind: "desk", Title: p.Title,
		Description: p.Description, URL: p.URL, Canonical: b.abs(p.URL), Body: p.Body, Head: p.Head}
	if p.TextLang != "" && p.TextLang != l.Code {
		if tl := b.langs.Get(p.TextLang); tl != nil {
			v.TextLang, v.Fallback = tl, true
		}
	}
	for _, al := range b.langs.All() {
		u, ok := p.Alternates[al.Code]
		if !ok {
			continue
		}
		a := Alt{Lang: al, URL: u, Abs: b.abs(u), Current: al == l, Translated: true}
		v.Alternates = append(v.Alternates, a)
		if p.Sitemap {
			v.HrefLangs = append(v.HrefLangs, a)
		}
	}
	if !p.Sitemap {
		v.NoIndex = true
	}
	v.Breadcrumbs = []Item{{Title: l.T("home"), URL: "/" + l.Code + "/"}}
	if p.URL != desk.ListURL(l.Code) {
		v.Breadcrumbs = append(v.Breadcrumbs, Item{Title: l.T("nav_desks"), URL: desk.ListURL(l.Code)})
	}
	if b.cfg.Dev {
		v.Scripts = append(v.Scripts, "/__portal/reload.js")
	}
	if err := b.writePage("raw", v); err != nil {
		return fmt.Errorf("%s: %w", p.URL, err)
	}
	if p.Sitemap && l.Code == i18n.Source {
		b.addURLSitemap(p.URL, p.Alternates)
	}
	if p.Search != nil {
		doc := search.Doc{Lang: l.Code, TextLang: l.Code, URL: p.URL, Title: p.Search.Title, Summary: p.Search.Summary,
			Kind: "desk", Sections: []search.Section{{Text: p.Search.Text + " " + strings.Join(p.Search.Keywords, " ")}}}
		if p.TextLang != "" {
			doc.TextLang = p.TextLang
		}
		id := strings.TrimSuffix(strings.TrimPrefix(p.URL, desk.ListURL(l.Code)), "/")
		if d := b.desks.Desk(id); d != nil {
			doc.Filters = map[string][]string{"service": d.Services, "municipality": {d.Municipality}}
			doc.Key = "desks/" + d.ID
		}
		b.addDoc("url:"+p.URL, doc)
	}
	return nil
}
