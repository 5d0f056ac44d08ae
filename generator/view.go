package generator

import (
	"html"
	"html/template"
	"strings"
	"time"

	"portal/generator/content"
	"portal/generator/i18n"
	"portal/generator/markdown"
)

// View is the data every layout receives.
type View struct {
	b *builder

	Lang        *i18n.Language // interface language of the page
	TextLang    *i18n.Language // language of the page's text
	Kind        string
	Title       string
	Description string
	URL         string // site path
	Canonical   string // absolute URL
	Body        template.HTML
	TOC         []markdown.Heading
	Reviewed    time.Time
	Sources     []content.SourceRef
	Topic       string

	// Fallback is true when the text is not in the page's language.
	Fallback bool
	// Outdated is set on translations reviewed before their Italian source.
	Outdated       bool
	SourceReviewed time.Time
	SourceURL      string

	Alternates   []Alt // every language version, for the language menu
	HrefLangs    []Alt // real translations only, for <link rel="alternate">
	XDefault     string
	Translations []Alt // real translations other than this page
	Breadcrumbs  []Item
	Items        []Item
	Desks        []DeskItem
	Topics       []TopicItem
	Chrome       *Chrome
	Head         template.HTML
	Scripts      []string
	NoIndex      bool
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
	Title, Description, URL string
	TextLang                string // set when the entry's text is in another language
}

// DeskItem is a desk shown in a guide's "where to go" or the contact form.
type DeskItem struct {
	ID, Title, Municipality, URL string
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

// HeadLinks renders the page's <head> links that differ from page to
// page: canonical, hreflang alternates of real translations, x-default,
// and the robots "noindex" meta. Like LangMenu it is built here because it
// repeats for every language version of every page.
func (v *View) HeadLinks() template.HTML {
	var b strings.Builder
	if v.Canonical != "" {
		b.WriteString(`<link rel="canonical" href="` + html.EscapeString(v.Canonical) + "\">\n")
	}
	for _, a := range v.HrefLangs {
		b.WriteString(`<link rel="alternate" hreflang="` + html.EscapeString(a.Lang.BCP47) + `" href="` + html.EscapeString(a.Abs) + "\">\n")
	}
	if v.XDefault != "" {
		b.WriteString(`<link rel="alternate" hreflang="x-default" href="` + html.EscapeString(v.XDefault) + "\">\n")
	}
	if v.NoIndex {
		b.WriteString(`<meta name="robots" content="noindex">` + "\n")
	}
	return template.HTML(b.String())
}

// LangMenu renders the language menu: every language version of the page,
// each name in its own script and marked with its language. It is built
// here rather than in a layout because it is the one per-page part of the
// chrome and the most expensive to run through the template engine.
func (v *View) LangMenu() template.HTML {
	var b strings.Builder
	b.WriteString(`<nav class="langs" aria-label="`)
	b.WriteString(html.EscapeString(v.T("menu_language")))
	b.WriteString(`"><details><summary>`)
	b.WriteString(html.EscapeString(v.T("menu_language") + ": " + v.Lang.Name))
	b.WriteString(`</summary><ul>`)
	for _, a := range v.Alternates {
		tag := html.EscapeString(a.Lang.BCP47)
		b.WriteString(`<li><a href="` + html.EscapeString(a.URL) + `" lang="` + tag + `"`)
		if a.Translated {
			b.WriteString(` hreflang="` + tag + `"`)
		}
		if a.Current {
			b.WriteString(` aria-current="page"`)
		}
		b.WriteString(">" + html.EscapeString(a.Lang.Name) + "</a></li>")
	}
	b.WriteString("</ul></details></nav>")
	return template.HTML(b.String())
}

// T translates an interface string into the page language.
func (v *View) T(key string, args ...any) string { return v.Lang.T(key, args...) }

// Date formats a date in the page language.
func (v *View) Date(t time.Time) string { return v.Lang.Date(t) }

// Asset returns the fingerprinted URL of a static file.
func (v *View) Asset(name string) string { return v.b.Asset(name) }
