package generator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"portal/generator/check/translation"
	"portal/generator/content"
	"portal/generator/feed"
	"portal/generator/i18n"
	"portal/generator/sitemap"
)

// plainView returns a View for a generated page (not backed by content).
func (b *builder) plainView(lang *i18n.Language, url, title string) *View {
	v := &View{b: b, Chrome: b.chrome[lang.Code], Lang: lang, L: lang.Labels, TextLang: lang, Kind: "page", Title: title, URL: url, Canonical: b.abs(url)}
	for _, l := range b.langs.All() {
		u := strings.Replace(url, "/"+lang.Code+"/", "/"+l.Code+"/", 1)
		a := Alt{Lang: l, URL: u, Abs: b.abs(u), Current: l == lang, Translated: true}
		v.Alternates = append(v.Alternates, a)
		v.HrefLangs = append(v.HrefLangs, a)
	}
	if b.cfg.Dev {
		v.Scripts = append(v.Scripts, "/__portal/reload.js")
	}
	return v
}

func (b *builder) writePage(name string, v *View) error {
	p := v.URL
	if strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	if err := b.emit(name, v, func(html []byte) error { return b.out.WriteRaw(p, html) }); err != nil {
		return err
	}
	b.countPage(v.Lang.Code)
	return nil
}

// emit executes layout name with v and hands the page to fn (see
// layout.Set.Emit). Every page goes through here, which marks its slots.
func (b *builder) emit(name string, v *View, fn func([]byte) error) error {
	v.markSlots()
	return b.layouts.Emit(name, v, fn)
}

// writeSpecialPages writes the pages that no content file stands for: the
// language chooser, the search, 404 and "question sent" pages, the web
// app manifest and robots.txt.
func (b *builder) writeSpecialPages() error {
	src := b.langs.Get(i18n.Source)
	root := b.plainView(src, "/", src.T("choose_language"))
	root.Description = src.T("disclaimer")
	root.Alternates, root.HrefLangs = nil, nil
	for _, l := range b.langs.All() {
		a := Alt{Lang: l, URL: "/" + l.Code + "/", Abs: b.abs("/" + l.Code + "/"), Translated: true}
		root.Alternates = append(root.Alternates, a)
		root.HrefLangs = append(root.HrefLangs, a)
	}
	if err := b.writePage("root", root); err != nil {
		return err
	}
	for _, l := range b.langs.All() {
		s := b.plainView(l, "/"+l.Code+"/search/", l.T("search_title"))
		s.Kind = "search"
		s.Items = b.topicItems(l)
		s.Topics = b.topicList(l)
		s.Scripts = append([]string{b.Asset("js/search.js")}, s.Scripts...)
		if err := b.writePage("search", s); err != nil {
			return err
		}
		if err := b.writeNotFound(l, "/"+l.Code+"/404.html"); err != nil {
			return err
		}
		sent := b.plainView(l, "/"+l.Code+"/contact/sent/", l.T("sent_title"))
		sent.NoIndex, sent.HrefLangs = true, nil
		sent.Body = template.HTML("<p>" + template.HTMLEscapeString(l.T("sent_text")) + "</p>")
		if err := b.writePage("page", sent); err != nil {
			return err
		}
	}
	// /status/: which translations exist and which lag, for coordinators.
	title, table := translation.Page(b.langs, b.site)
	st := b.plainView(src, "/status/", title)
	st.Kind, st.Body, st.NoIndex, st.HrefLangs, st.Alternates = "status", table, true, nil, nil
	if err := b.writePage("page", st); err != nil {
		return err
	}
	if err := b.writeNotFound(src, "/404.html"); err != nil {
		return err
	}
	if err := b.writeManifest(src); err != nil {
		return err
	}
	if err := b.writeServiceWorker(); err != nil {
		return err
	}
	return b.out.WriteRaw("robots.txt", sitemap.Robots(b.cfg.BaseURL, "/status/"))
}

// writeNotFound writes a "page not found" page in lang at path: no
// canonical link, no alternates, noindex.
func (b *builder) writeNotFound(lang *i18n.Language, path string) error {
	nf := b.plainView(lang, path, lang.T("not_found_title"))
	nf.Kind, nf.NoIndex, nf.Canonical, nf.HrefLangs = "notfound", true, "", nil
	return b.writePage("404", nf)
}

// icons are the web app manifest's icons (static/icons/).
func (b *builder) icons() []map[string]string {
	var icons []map[string]string
	for _, ic := range []struct{ name, sizes, typ, purpose string }{
		{"icons/icon-192.png", "192x192", "image/png", "any"},
		{"icons/icon-512.png", "512x512", "image/png", "any"},
		{"icons/icon-512.png", "512x512", "image/png", "maskable"},
		{"icons/icon.svg", "any", "image/svg+xml", ""},
	} {
		if _, ok := b.assets[ic.name]; !ok {
			continue
		}
		m := map[string]string{"src": b.Asset(ic.name), "sizes": ic.sizes, "type": ic.typ}
		if ic.purpose != "" {
			m["purpose"] = ic.purpose
		}
		icons = append(icons, m)
	}
	return icons
}

// writeManifest writes the web app manifest, so the portal can be added to
// a phone's home screen.
func (b *builder) writeManifest(src *i18n.Language) error {
	manifest, err := json.MarshalIndent(map[string]any{
		"id": "/", "name": src.T("site_name"), "short_name": src.T("site_name"), "description": src.T("disclaimer"),
		"lang": "it", "dir": "ltr", "start_url": "/", "scope": "/", "display": "standalone",
		"background_color": "#ffffff", "theme_color": "#0b4f71", "icons": b.icons(),
	}, "", " ")
	if err != nil {
		return err
	}
	return b.out.Write("manifest.webmanifest", manifest)
}

// writeServiceWorker writes /sw.js from layouts/sw.js with the core assets
// to keep offline. Their fingerprinted names change with every deploy that
// changes them, so the worker changes too and browsers update it.
func (b *builder) writeServiceWorker() error {
	src, err := os.ReadFile(filepath.Join(b.cfg.Root, "layouts", "sw.js"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	core := []string{}
	for _, name := range []string{"css/site.css", "css/print.css", "js/sw-register.js", "js/checklist.js"} {
		if _, ok := b.assets[name]; ok {
			core = append(core, b.Asset(name))
		}
	}
	core = append(core, "/manifest.webmanifest")
	for _, ic := range b.icons() {
		if !slices.Contains(core, ic["src"]) {
			core = append(core, ic["src"])
		}
	}
	list, err := json.Marshal(core)
	if err != nil {
		return err
	}
	const marker = "/* PORTAL_CORE_ASSETS */"
	if !bytes.Contains(src, []byte(marker)) {
		return fmt.Errorf("layouts/sw.js: the marker %s is missing from the CORE list", marker)
	}
	out := bytes.Replace(src, []byte(marker), list[1:len(list)-1], 1)
	return b.out.Write("sw.js", out)
}

// writeSearch writes the search index of every language.
func (b *builder) writeSearch() error {
	if b.search == nil {
		return nil
	}
	st, err := b.search.Write(b.out.Path())
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	b.cfg.Logger.Debug("search index", "stats", fmt.Sprintf("%+v", st))
	return nil
}

// writeAliases writes a redirect page at every alias and the matching
// 301 rules in _redirects, which Netlify and the dev server apply.
func (b *builder) writeAliases() error {
	var rules []string
	for _, g := range b.site.Groups {
		for lang, p := range g.ByLang {
			for _, a := range p.Meta.Aliases {
				a = strings.TrimSuffix(a, "/") + "/"
				target := g.URL(lang)
				l := b.langs.Get(lang)
				v := &View{b: b, Lang: l, L: l.Labels, Title: p.Meta.Title, URL: target, Canonical: b.abs(target)}
				v.markSlots()
				html, err := b.layouts.Render("alias", v)
				if err != nil {
					return err
				}
				if err := b.out.Write(a+"index.html", html); err != nil {
					return err
				}
				rules = append(rules, fmt.Sprintf("%s %s 301!", a, target))
				rules = append(rules, fmt.Sprintf("%s %s 301!", strings.TrimSuffix(a, "/"), target))
			}
		}
	}
	sort.Strings(rules)
	var buf bytes.Buffer
	buf.WriteString("# Written by portal build from the aliases of content files. Do not edit.\n")
	for _, r := range rules {
		buf.WriteString(r + "\n")
	}
	return b.out.WriteRaw("_redirects", buf.Bytes())
}

// writeFeeds writes an Atom feed per language of the most recently
// reviewed guides written in that language.
func (b *builder) writeFeeds() error {
	for _, l := range b.langs.All() {
		var es []feed.Entry
		for _, g := range b.site.Groups {
			if g.Kind != content.Guide {
				continue
			}
			if p := g.ByLang[l.Code]; p != nil {
				es = append(es, feed.Entry{Title: p.Meta.Title, URL: b.abs(g.URL(l.Code)), Summary: p.Meta.Description, Updated: p.Reviewed, Lang: l.Code})
			}
		}
		sort.SliceStable(es, func(i, j int) bool {
			if !es[i].Updated.Equal(es[j].Updated) {
				return es[i].Updated.After(es[j].Updated)
			}
			return es[i].URL < es[j].URL
		})
		if len(es) > 30 {
			es = es[:30]
		}
		data, err := feed.Marshal(feed.Feed{Title: l.T("site_name") + " · " + l.T("feed_title"), ID: b.abs("/" + l.Code + "/feed.xml"),
			Link: b.abs("/" + l.Code + "/"), Lang: l.Tag.String(), Author: l.T("site_name"), Entries: es})
		if err != nil {
			return err
		}
		if err := b.out.Write(l.Code+"/feed.xml", data); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) writeSitemap() error {
	var entries []sitemap.Entry
	for _, es := range b.sitemap {
		entries = append(entries, es...)
	}
	for _, f := range sitemap.Build(entries, b.cfg.BaseURL, 0) {
		if err := b.out.WriteRaw(f.Name, f.Data); err != nil {
			return err
		}
	}
	return nil
}

// copyFiles publishes the non-Markdown content files that bodies link to.
func (b *builder) copyFiles() error {
	for rel := range b.files {
		data, err := os.ReadFile(filepath.Join(b.cfg.Content, filepath.FromSlash(rel)))
		if err != nil {
			return err
		}
		if err := b.out.WriteRaw("files/"+rel, data); err != nil {
			return err
		}
	}
	return nil
}
