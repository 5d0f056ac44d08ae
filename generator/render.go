package generator

import (
	"fmt"
	"sort"
	"time"
	"unsafe"

	"portal/generator/content"
	"portal/generator/desk"
	"portal/generator/diag"
	"portal/generator/i18n"
	"portal/generator/layout"
	"portal/generator/markdown"
	"portal/generator/search"
	"portal/generator/sitemap"
)

// rendered is one text of a group, rendered once.
type rendered struct {
	page *content.Page
	res  *markdown.Result
	secs []search.Section // res.Sections for the search index, made by the first addSearch
}

// renderGroup renders every text of g once and writes g's page in every
// language.
func (b *builder) renderGroup(g *content.Group) error {
	cache := b.renderers.Get().(map[string]*markdown.Renderer)
	defer b.renderers.Put(cache)

	b.mu.Lock()
	delete(b.anchors, g.Key)
	delete(b.sitemap, g.Key)
	delete(b.docs, g.Key)
	b.mu.Unlock()
	texts := map[string]*rendered{}
	for lang, p := range g.ByLang {
		res, errs := b.renderer(cache, lang).Render(markdown.Doc{Path: p.Path, Rel: p.Rel, Body: p.Src.Body, BodyLine: p.Src.BodyLine})
		if b.releaseBodies {
			// A one-off build renders each text once: let the file go.
			p.Src.Body = nil
		}
		b.errs.Add(errs...)
		ids := headingIDs(res)
		b.checkLinks(g.Key, p, res, ids)
		b.mu.Lock()
		b.headings[g.Key+"\x00"+lang] = ids
		b.mu.Unlock()
		if b.analysis != nil {
			b.mu.Lock()
			b.analysis.Results[p] = res
			b.mu.Unlock()
			continue
		}
		if err := res.Transform(b.out.MinifyHTML); err != nil {
			return fmt.Errorf("%s: minifying: %w", p.Path, err)
		}
		texts[lang] = &rendered{page: p, res: res}
	}
	if b.analysis != nil {
		return nil
	}
	src := g.ByLang[i18n.Source]
	for _, lang := range b.langs.All() {
		tp := g.TextFor(lang.Code, lang.Fallback)
		if tp == nil {
			continue
		}
		t := texts[tp.Lang]
		v := b.view(g, lang, t)
		if src != nil && tp.Lang != i18n.Source && !tp.Reviewed.IsZero() && src.Reviewed.After(tp.Reviewed) {
			v.Outdated, v.SourceReviewed, v.SourceURL = true, src.Reviewed, g.URL(i18n.Source)
		}
		name := layoutFor(g)
		var werr error
		if err := b.emit(name, v, func(html []byte) error {
			werr = b.out.WriteRaw(v.URL+"index.html", html)
			return werr
		}); err != nil {
			if werr != nil {
				return werr
			}
			return fmt.Errorf("%s: %w", tp.Path, err)
		}
		b.countPage(lang.Code)
		if !v.Fallback {
			b.addSitemap(g, lang.Code, tp)
		}
		b.addSearch(g, lang.Code, t)
	}
	return nil
}

var searchKinds = map[content.Kind]string{content.Guide: "guide", content.Topic: "topic", content.Plain: "page"}

// addSearch indexes g's page in lang (fallback pages included: the
// builder analyses each distinct text once).
func (b *builder) addSearch(g *content.Group, lang string, t *rendered) {
	kind, ok := searchKinds[g.Kind]
	if !ok || b.search == nil && !b.keepDocs {
		return
	}
	// The pages showing t in other languages (fallback pages) share its
	// sections: the index neither changes nor keeps them, and it knows
	// such a page by its strings (see search.Builder.Add).
	//
	// They are the renderer's own sections, seen as the index's type
	// rather than copied into a new slice (an allocation of about 600
	// bytes for each of the 10k corpus's texts, made while the site
	// renders at its soft memory limit). The conversion below compiles
	// only while the two types have the same fields, in the same order,
	// and so the same layout.
	_ = search.Section(markdown.Section{})
	if t.secs == nil {
		rs := t.res.Sections
		t.secs = unsafe.Slice((*search.Section)(unsafe.Pointer(unsafe.SliceData(rs))), len(rs))
	}
	doc := search.Doc{Lang: lang, TextLang: t.page.Lang, URL: g.URL(lang), Title: t.page.Meta.Title,
		Summary: t.page.Meta.Description, Kind: kind, Topic: g.Topic, Sections: t.secs, Key: g.Key}
	b.addDoc(g.Key, doc)
}

// addDoc adds a page to the search index; a preview session also keeps it
// to rebuild the index after an edit.
func (b *builder) addDoc(key string, doc search.Doc) {
	if b.keepDocs {
		b.mu.Lock()
		b.docs[key] = append(b.docs[key], doc)
		b.mu.Unlock()
	}
	if b.search != nil {
		b.search.Add(doc)
	}
}

func headingIDs(res *markdown.Result) map[string]bool {
	ids := make(map[string]bool, len(res.Headings))
	for _, h := range res.Headings {
		ids[h.ID] = true
	}
	return ids
}

func layoutFor(g *content.Group) string {
	switch g.Kind {
	case content.Home:
		return "home"
	case content.Guides, content.Topic:
		return "list"
	case content.Guide:
		return "guide"
	}
	if g.Key == "pages/contact" {
		return "contact"
	}
	return "page"
}

// view builds the layout data for group g shown in lang with text t.
func (b *builder) view(g *content.Group, lang *i18n.Language, t *rendered) *View {
	p := t.page
	textLang := b.langs.Get(p.Lang)
	v := &View{b: b, Chrome: b.chrome[lang.Code], Lang: lang, L: lang.Labels, TextLang: textLang, Kind: string(g.Kind), Topic: g.Topic,
		Title: p.Meta.Title, Description: p.Meta.Description, URL: g.URL(lang.Code),
		Reviewed: p.Reviewed, Sources: p.Meta.Sources, Fallback: p.Lang != lang.Code}
	v.Alternates = make([]Alt, 0, len(b.langs.All()))
	if !t.res.Empty() {
		v.Body, v.body = layout.Slot(slotBody), t.res
		v.resolve = func(l markdown.Link) (string, string) { return b.resolve(l, lang.Code) }
	}
	for _, h := range t.res.Headings {
		if h.Level == 2 {
			v.TOC = append(v.TOC, h)
		}
	}
	if v.Fallback {
		v.Canonical = b.abs(g.URL(p.Lang))
	} else {
		v.Canonical = b.abs(v.URL)
	}
	for _, l := range b.langs.All() {
		_, translated := g.ByLang[l.Code]
		a := Alt{Lang: l, URL: g.URL(l.Code), Current: l == lang, Translated: translated}
		if translated && !v.Fallback {
			a.Abs = b.abs(a.URL) // only hreflang links need the absolute address
		}
		v.Alternates = append(v.Alternates, a)
		if translated {
			if !v.Fallback {
				v.HrefLangs = append(v.HrefLangs, a)
			}
			if l != lang && l.Code != p.Lang {
				v.Translations = append(v.Translations, a)
			}
		}
	}
	if !v.Fallback && g.ByLang[i18n.Source] != nil {
		v.XDefault = b.abs(g.URL(i18n.Source))
	}
	switch g.Kind {
	case content.Home:
		v.Items = b.topicItems(lang)
	case content.Guides:
		v.Items = b.topicItems(lang)
		v.Breadcrumbs = []Item{{Title: lang.T("home"), URL: "/" + lang.Code + "/"}}
	case content.Topic:
		v.Items = b.guideItems(lang, g.Topic)
		v.Breadcrumbs = []Item{{Title: lang.T("home"), URL: "/" + lang.Code + "/"}, {Title: lang.T("nav_guides"), URL: "/" + lang.Code + "/guides/"}}
	case content.Guide:
		v.Desks = b.desksFor(lang.Code, g)
		v.Scripts = append(v.Scripts, b.Asset("js/checklist.js"))
		v.Breadcrumbs = []Item{{Title: lang.T("home"), URL: "/" + lang.Code + "/"}, {Title: lang.T("nav_guides"), URL: "/" + lang.Code + "/guides/"},
			{Title: b.topicTitle(lang, g.Topic), URL: "/" + lang.Code + "/guides/" + g.Topic + "/"}}
	case content.Plain:
		if g.Key == "pages/contact" {
			v.Topics = b.topicList(lang)
			v.Desks = b.contactDesks(lang.Code)
			v.Scripts = append(v.Scripts, b.Asset("js/contact.js"))
		}
	}
	if b.cfg.Dev {
		v.Scripts = append(v.Scripts, "/__portal/reload.js")
	}
	return v
}

// desksFor lists the desks offering the services a guide names (from its
// Italian source, which holds the facts).
func (b *builder) desksFor(lang string, g *content.Group) []DeskItem {
	if b.desks == nil {
		return nil
	}
	src := g.TextFor(i18n.Source, nil)
	seen := map[string]bool{}
	var out []DeskItem
	for _, sv := range src.Meta.Services {
		for _, d := range b.desks.ForService(sv) {
			if !seen[d.ID] {
				seen[d.ID] = true
				out = append(out, DeskItem{ID: d.ID, Title: d.TitleIn(lang), Municipality: d.Municipality, URL: desk.URL(lang, d.ID)})
			}
		}
	}
	return out
}

// contactDesks lists the desks the contact form can write to: those with
// an e-mail address.
func (b *builder) contactDesks(lang string) []DeskItem {
	if b.desks == nil {
		return nil
	}
	var out []DeskItem
	for _, d := range b.desks.Desks {
		if d.Email != "" {
			out = append(out, DeskItem{ID: d.ID, Title: d.TitleIn(lang), Municipality: d.Municipality, URL: desk.URL(lang, d.ID)})
		}
	}
	return out
}

// resolve returns the address of a content link for a page in lang.
func (b *builder) resolve(l markdown.Link, lang string) (string, string) {
	key, forced := b.targetKey(l.Target)
	g := b.site.ByKey[key]
	if g == nil {
		return "#", ""
	}
	frag := ""
	if l.Anchor != "" {
		frag = "#" + l.Anchor
	}
	if forced != "" {
		return g.URL(forced) + frag, forced
	}
	tp := g.TextFor(lang, b.chain(lang))
	hreflang := ""
	if tp != nil && tp.Lang != lang {
		hreflang = tp.Lang
	}
	return g.URL(lang) + frag, hreflang
}

// checkLinks reports links to missing files and to missing headings of
// the text itself (ids), and records anchors in other pages to check once
// every page has been rendered.
func (b *builder) checkLinks(from string, p *content.Page, res *markdown.Result, ids map[string]bool) {
	for _, l := range res.Links {
		d := diag.Diagnostic{Path: p.Path, Line: l.Line, Col: l.Col, Severity: diag.Error}
		switch l.Kind {
		case markdown.SamePage:
			if l.Anchor != "" && !ids[l.Anchor] {
				d.Msg = fmt.Sprintf("the link %q points to a heading that is not in this page: check the spelling, or give the heading an explicit {#%s}", l.Dest, l.Anchor)
				b.errs.Add(d)
			}
		case markdown.File:
			if !b.site.Files[l.Target] {
				d.Msg = fmt.Sprintf("the link %q points to a file that does not exist (%s/%s)", l.Dest, b.site.Root, l.Target)
				b.errs.Add(d)
				continue
			}
			b.mu.Lock()
			b.files[l.Target] = true
			b.mu.Unlock()
		case markdown.Content:
			key, forced := b.targetKey(l.Target)
			b.mu.Lock()
			if b.linkers[key] == nil {
				b.linkers[key] = map[string]bool{}
			}
			b.linkers[key][from] = true
			b.mu.Unlock()
			g := b.site.ByKey[key]
			if g == nil {
				d.Msg = fmt.Sprintf("the link %q points to a page that does not exist (%s/%s): check the path, it is relative to this file", l.Dest, b.site.Root, l.Target)
				b.errs.Add(d)
				continue
			}
			if forced != "" && g.ByLang[forced] == nil {
				d.Msg = fmt.Sprintf("the link %q asks for the %q version, which does not exist: remove the language from the file name to link the reader's language", l.Dest, forced)
				b.errs.Add(d)
				continue
			}
			if l.Anchor != "" {
				textLang := forced
				if textLang == "" {
					if tp := g.TextFor(p.Lang, b.chain(p.Lang)); tp != nil {
						textLang = tp.Lang
					}
				}
				b.mu.Lock()
				b.anchors[from] = append(b.anchors[from], anchorRef{path: p.Path, line: l.Line, col: l.Col, key: key, lang: textLang, anchor: l.Anchor})
				b.mu.Unlock()
			}
		}
	}
}

// checkAnchors verifies links to headings in other pages.
func (b *builder) checkAnchors() {
	for _, refs := range b.anchors {
		b.checkAnchorRefs(refs)
	}
}

func (b *builder) checkAnchorRefs(refs []anchorRef) {
	for _, a := range refs {
		if ids := b.headings[a.key+"\x00"+a.lang]; ids[a.anchor] {
			continue
		}
		g := b.site.ByKey[a.key]
		d := diag.Diagnostic{Path: a.path, Line: a.line, Col: a.col, Severity: diag.Error,
			Msg: fmt.Sprintf("#%s is not a heading of %s: check the spelling, or give that heading an explicit {#%s} in every language", a.anchor, g.ByLang[a.lang].Path, a.anchor)}
		b.errs.Add(d)
	}
}

func (b *builder) topicTitle(lang *i18n.Language, topic string) string {
	if g := b.site.ByKey["guides/"+topic]; g != nil {
		if tp := g.TextFor(lang.Code, lang.Fallback); tp != nil && tp.Lang == lang.Code {
			return tp.Meta.Title
		}
	}
	return lang.T("topic_" + topic)
}

func (b *builder) topicList(lang *i18n.Language) []TopicItem {
	var out []TopicItem
	for _, t := range content.Topics {
		out = append(out, TopicItem{Code: t, Title: b.topicTitle(lang, t)})
	}
	return out
}

func (b *builder) topicItems(lang *i18n.Language) []Item {
	var items []Item
	for _, t := range content.Topics {
		it := Item{Title: b.topicTitle(lang, t), URL: "/" + lang.Code + "/guides/" + t + "/"}
		if g := b.site.ByKey["guides/"+t]; g != nil {
			if tp := g.TextFor(lang.Code, lang.Fallback); tp != nil {
				it.Description = tp.Meta.Description
				if tp.Lang != lang.Code {
					it.TextLang = tp.Lang
					it.Description = ""
				}
			}
		} else if len(b.guidesIn(t)) == 0 {
			continue
		}
		items = append(items, it)
	}
	return items
}

func (b *builder) guidesIn(topic string) []*content.Group {
	var gs []*content.Group
	for _, g := range b.site.Groups {
		if g.Kind == content.Guide && g.Topic == topic {
			gs = append(gs, g)
		}
	}
	return gs
}

func (b *builder) guideItems(lang *i18n.Language, topic string) []Item {
	type entry struct {
		w    int
		item Item
	}
	var es []entry
	for _, g := range b.guidesIn(topic) {
		tp := g.TextFor(lang.Code, lang.Fallback)
		if tp == nil {
			continue
		}
		it := Item{Title: tp.Meta.Title, Description: tp.Meta.Description, URL: g.URL(lang.Code)}
		if tp.Lang != lang.Code {
			it.TextLang = tp.Lang
		}
		w := tp.Meta.Weight
		if s := g.ByLang[i18n.Source]; s != nil {
			w = s.Meta.Weight
		}
		es = append(es, entry{w, it})
	}
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].w != es[j].w {
			return es[i].w < es[j].w
		}
		return es[i].item.Title < es[j].item.Title
	})
	items := make([]Item, len(es))
	for i, e := range es {
		items[i] = e.item
	}
	return items
}

// addURLSitemap adds a page that is not content-backed (desk pages) with
// its language alternates, one entry per language version.
func (b *builder) addURLSitemap(url string, alts map[string]string) {
	for _, l := range b.langs.All() {
		if u, ok := alts[l.Code]; ok {
			b.addSitemapEntry("url:"+url, u, time.Time{}, alts)
		}
	}
}

// addSitemap adds g's page in lang, a real translation, with every
// translation of g as an alternate.
func (b *builder) addSitemap(g *content.Group, lang string, p *content.Page) {
	alts := map[string]string{}
	for l := range g.ByLang {
		alts[l] = g.URL(l)
	}
	b.addSitemapEntry(g.Key, g.URL(lang), p.Reviewed, alts)
}

// addSitemapEntry records the sitemap entry of loc under key, listing
// alts (language -> path) as hreflang alternates, plus x-default for the
// source language, when there is more than one.
func (b *builder) addSitemapEntry(key, loc string, lastmod time.Time, alts map[string]string) {
	e := sitemap.Entry{Loc: b.abs(loc), LastMod: lastmod}
	if len(alts) > 1 {
		for _, l := range b.langs.All() {
			if u, ok := alts[l.Code]; ok {
				e.Alternates = append(e.Alternates, sitemap.Alternate{Lang: l.BCP47, Href: b.abs(u)})
			}
		}
		if src, ok := alts[i18n.Source]; ok {
			e.Alternates = append(e.Alternates, sitemap.Alternate{Lang: "x-default", Href: b.abs(src)})
		}
	}
	e.Prepare()
	b.mu.Lock()
	b.sitemap[key] = append(b.sitemap[key], e)
	b.mu.Unlock()
}
