package generator

import (
	"html/template"
	"strings"
	"time"

	"portal/generator/content"
	"portal/generator/i18n"
	"portal/generator/layout"
	"portal/generator/markdown"
)

// View is the data every layout receives.
//
// html/template finds a field by name with a linear search of the struct's
// fields, on every use: the fields the layouts read on every page come
// first, and the unexported ones last.
type View struct {
	// L is Lang.Labels: {{.L.toc}} says what {{.T "toc"}} says, for
	// interface strings without placeholders, at the cost of a map lookup.
	L           map[string]string
	Lang        *i18n.Language // interface language of the page
	Chrome      *Chrome
	Title       string
	Description string
	// Fallback is true when the text is not in the page's language.
	Fallback bool
	// Outdated is set on translations reviewed before their Italian source.
	Outdated bool

	// Slot markers of the per-page lists built in Go (see AppendSlot),
	// set by markSlots. They are fields rather than methods because
	// html/template calls a method through reflection at several times the
	// cost of reading a field.

	// HeadLinks stands for the page's <head> links that differ from page
	// to page: canonical, hreflang alternates of real translations,
	// x-default, and the robots "noindex" meta.
	HeadLinks template.HTML
	// LangMenu stands for the language menu: every language version of
	// the page, each name in its own script and marked with its language.
	LangMenu template.HTML
	// CrumbList stands for the breadcrumb trail as an <ol> of links.
	CrumbList template.HTML
	// TOCList stands for the table of contents: an <ol> of links to the
	// page's second-level headings, marked with the text's language on
	// fallback pages.
	TOCList template.HTML
	// TranslationList stands for the real translations of the page other
	// than the one shown, each name in its own language, as a <ul>.
	TranslationList template.HTML

	Breadcrumbs []Item
	Head        template.HTML
	Scripts     []string
	Kind        string
	Body        template.HTML // or the body's slot marker; see AppendSlot
	TOC         []markdown.Heading
	Reviewed    time.Time
	Sources     []content.SourceRef
	Desks       []DeskItem
	Topic       string

	Translations []Alt // real translations other than this page
	Items        []Item
	Topics       []TopicItem
	TextLang     *i18n.Language // language of the page's text
	URL          string         // site path
	Canonical    string         // absolute URL

	SourceReviewed time.Time
	SourceURL      string

	Alternates []Alt // every language version, for the language menu
	HrefLangs  []Alt // real translations only, for <link rel="alternate">
	XDefault   string
	NoIndex    bool

	b       *builder
	body    *markdown.Result
	resolve markdown.Resolve
}

// markSlots sets the slot marker fields; every page passes through it on
// its way to the layouts (builder.emit, alias pages).
func (v *View) markSlots() {
	v.HeadLinks = layout.Slot(slotHeadLinks)
	v.LangMenu = layout.Slot(slotLangMenu)
	v.CrumbList = layout.Slot(slotCrumbs)
	v.TOCList = layout.Slot(slotTOC)
	v.TranslationList = layout.Slot(slotTranslations)
}

// Alt is one language version of a page.
type Alt struct {
	Lang       *i18n.Language
	URL        string
	Abs        string
	Current    bool
	Translated bool
}

// Item is an entry of a list of pages.
type Item struct {
	URL      string
	TextLang string // set when the entry's text is in another language
	Title    string
	// Description is shown under the title.
	Description string
}

// DeskItem is a desk shown in a guide's "where to go" or the contact form.
type DeskItem struct {
	URL, Title, Municipality, ID string
}

// TopicItem is a topic code with its title in the page language.
type TopicItem struct {
	Code, Title string
}

// Chrome is the part of every page that depends only on its language,
// rendered once per language from the templates chrome-head, chrome-top,
// chrome-nav and chrome-foot (layouts/partials/chrome.html).
type Chrome struct {
	Head, Top, Nav, Foot template.HTML
}

// Slots of a page (see layout.Slotter): the body and the lists built here
// are written straight into the page once the layout has run.
const (
	slotBody byte = 1 + iota
	slotHeadLinks
	slotLangMenu
	slotTOC
	slotTranslations
	slotCrumbs
)

// AppendSlot appends part n of the page to dst (layout.Slotter).
func (v *View) AppendSlot(dst []byte, n byte) []byte {
	switch n {
	case slotBody:
		if v.body != nil {
			return v.body.AppendHTML(dst, v.resolve)
		}
	case slotHeadLinks:
		return v.appendHeadLinks(dst)
	case slotLangMenu:
		return v.appendLangMenu(dst)
	case slotTOC:
		return appendList(dst, "ol", len(v.TOC), func(b []byte, i int) []byte {
			b = appendURLPart(append(b, `<a href="#`...), v.TOC[i].ID, false)
			b = append(b, '"')
			if v.Fallback {
				b = appendEsc(append(b, ` lang="`...), v.TextLang.BCP47)
				b = append(b, '"')
			}
			return append(appendEsc(append(b, '>'), v.TOC[i].Text), "</a>"...)
		})
	case slotTranslations:
		return appendList(dst, "ul", len(v.Translations), func(b []byte, i int) []byte {
			a := v.Translations[i]
			b = appendURL(append(b, `<a href="`...), a.URL)
			b = appendEsc(append(b, `" lang="`...), a.Lang.BCP47)
			b = appendEsc(append(b, `" hreflang="`...), a.Lang.BCP47)
			return append(appendEsc(append(b, `">`...), a.Lang.Name), "</a>"...)
		})
	case slotCrumbs:
		return appendList(dst, "ol", len(v.Breadcrumbs), func(b []byte, i int) []byte {
			c := v.Breadcrumbs[i]
			b = appendURL(append(b, `<a href="`...), c.URL)
			return append(appendEsc(append(b, `">`...), c.Title), "</a>"...)
		})
	}
	return append(dst, "\uFFFD"...) // what html/template makes of a NUL byte
}

// appendHeadLinks writes the HeadLinks slot. Like the language menu it is
// built here because it repeats for every language version of every page.
func (v *View) appendHeadLinks(b []byte) []byte {
	if v.Canonical != "" {
		b = appendURL(append(b, `<link rel="canonical" href="`...), v.Canonical)
		b = append(b, "\">\n"...)
	}
	for _, a := range v.HrefLangs {
		b = appendEsc(append(b, `<link rel="alternate" hreflang="`...), a.Lang.BCP47)
		b = appendURL(append(b, `" href="`...), a.Abs)
		b = append(b, "\">\n"...)
	}
	if v.XDefault != "" {
		b = appendURL(append(b, `<link rel="alternate" hreflang="x-default" href="`...), v.XDefault)
		b = append(b, "\">\n"...)
	}
	if v.NoIndex {
		b = append(b, `<meta name="robots" content="noindex">`+"\n"...)
	}
	return b
}

// appendLangMenu writes the LangMenu slot. It is built here rather than in
// a layout because it is the one per-page part of the chrome and the most
// expensive to run through the template engine.
func (v *View) appendLangMenu(b []byte) []byte {
	label := v.T("menu_language")
	b = appendEsc(append(b, `<nav class="langs" aria-label="`...), label)
	b = appendEsc(append(b, `"><details><summary>`...), label+": "+v.Lang.Name)
	b = append(b, `</summary><ul>`...)
	for _, a := range v.Alternates {
		b = appendURL(append(b, `<li><a href="`...), a.URL)
		b = appendEsc(append(b, `" lang="`...), a.Lang.BCP47)
		b = append(b, '"')
		if a.Translated {
			b = appendEsc(append(b, ` hreflang="`...), a.Lang.BCP47)
			b = append(b, '"')
		}
		if a.Current {
			b = append(b, ` aria-current="page"`...)
		}
		b = append(appendEsc(append(b, '>'), a.Lang.Name), "</a></li>"...)
	}
	return append(b, "</ul></details></nav>"...)
}

// The lists below are built here rather than ranged over in the layouts:
// they repeat on every language version of every guide, and html/template
// costs a reflective call per value, which made these loops more than half
// of a guide page's template time. Their markup is fixed and small; the
// structure around them (headings, landmarks, labels) stays in the layouts.
// Values are escaped exactly as html/template would escape them there.

// appendList appends n list items in a <tag> list; item appends the
// content of item i.
func appendList(b []byte, tag string, n int, item func(b []byte, i int) []byte) []byte {
	b = append(append(append(b, '<'), tag...), '>')
	for i := range n {
		b = item(append(b, "<li>"...), i)
		b = append(b, "</li>"...)
	}
	return append(append(append(b, "</"...), tag...), '>')
}

// appendEsc appends s escaped for HTML element content or a quoted
// attribute value with the same replacements as html/template.
func appendEsc(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		if r := escapes[s[i]]; r != "" {
			b = append(append(b, s[last:i]...), r...)
			last = i + 1
		}
	}
	return append(b, s[last:]...)
}

// escapes holds appendEsc's replacement of each byte that needs one.
var escapes = [256]string{0: "\uFFFD", '"': "&#34;", '&': "&amp;", '\'': "&#39;", '+': "&#43;", '<': "&lt;", '>': "&gt;"}

// appendURL appends URL u for a quoted href the way html/template's URL
// normaliser writes it (bytes outside the URL character set
// percent-encoded), escaped for the attribute.
func appendURL(b []byte, u string) []byte { return appendURLPart(b, u, true) }

// appendURLPart appends s with the bytes that may not appear in a URL
// percent-encoded, escaped for a quoted attribute as appendEsc escapes it.
// With norm, reserved characters (and existing escapes) are kept, as for a
// whole URL; without, only unreserved characters are, as for a fragment.
func appendURLPart(b []byte, s string, norm bool) []byte {
	const hexDigits = "0123456789abcdef"
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if urlKeep(c, norm) {
			if r := escapes[c]; r != "" {
				b = append(append(b, s[last:i]...), r...)
				last = i + 1
			}
			continue
		}
		b = append(append(b, s[last:i]...), '%', hexDigits[c>>4], hexDigits[c&15])
		last = i + 1
	}
	return append(b, s[last:]...)
}

func urlKeep(c byte, norm bool) bool {
	k := urlKeeps[c]
	return k == keepAlways || k == keepWhole && norm
}

// urlKeeps classifies bytes for urlPart: kept in any part of a URL, kept
// in a whole URL only (reserved characters and escapes), or encoded.
var urlKeeps = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-._~", byte(c)) >= 0:
			t[c] = keepAlways
		case strings.IndexByte("!#$&*+,/:;=?@[]%", byte(c)) >= 0:
			t[c] = keepWhole
		}
	}
	return t
}()

const (
	keepAlways = 1 + iota
	keepWhole
)

// T translates an interface string into the page language.
func (v *View) T(key string, args ...any) string { return v.Lang.T(key, args...) }

// Date formats a date in the page language.
func (v *View) Date(t time.Time) string { return v.Lang.Date(t) }

// Asset returns the fingerprinted URL of a static file.
func (v *View) Asset(name string) string { return v.b.Asset(name) }
