package generator

import (
	"encoding/hex"
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

	Lang *i18n.Language // interface language of the page
	// L is Lang.Labels: {{.L.toc}} says what {{.T "toc"}} says, for
	// interface strings without placeholders, at the cost of a map lookup.
	L           map[string]string
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
		b.WriteString(`<link rel="canonical" href="` + attrURL(v.Canonical) + "\">\n")
	}
	for _, a := range v.HrefLangs {
		b.WriteString(`<link rel="alternate" hreflang="` + esc(a.Lang.BCP47) + `" href="` + attrURL(a.Abs) + "\">\n")
	}
	if v.XDefault != "" {
		b.WriteString(`<link rel="alternate" hreflang="x-default" href="` + attrURL(v.XDefault) + "\">\n")
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
	b.WriteString(esc(v.T("menu_language")))
	b.WriteString(`"><details><summary>`)
	b.WriteString(esc(v.T("menu_language") + ": " + v.Lang.Name))
	b.WriteString(`</summary><ul>`)
	for _, a := range v.Alternates {
		tag := esc(a.Lang.BCP47)
		b.WriteString(`<li><a href="` + attrURL(a.URL) + `" lang="` + tag + `"`)
		if a.Translated {
			b.WriteString(` hreflang="` + tag + `"`)
		}
		if a.Current {
			b.WriteString(` aria-current="page"`)
		}
		b.WriteString(">" + esc(a.Lang.Name) + "</a></li>")
	}
	b.WriteString("</ul></details></nav>")
	return template.HTML(b.String())
}

// The lists below are built here rather than ranged over in the layouts:
// they repeat on every language version of every guide, and html/template
// costs a reflective call per value, which made these loops more than half
// of a guide page's template time. Their markup is fixed and small; the
// structure around them (headings, landmarks, labels) stays in the layouts.
// Values are escaped exactly as html/template would escape them there.

// TOCList renders the table of contents: an <ol> of links to the page's
// second-level headings, marked with the text's language on fallback pages.
func (v *View) TOCList() template.HTML {
	return htmlList("ol", len(v.TOC), func(b *strings.Builder, i int) {
		b.WriteString(`<a href="#` + urlPart(v.TOC[i].ID, false) + `"`)
		if v.Fallback {
			b.WriteString(` lang="` + esc(v.TextLang.BCP47) + `"`)
		}
		b.WriteString(">" + esc(v.TOC[i].Text) + "</a>")
	})
}

// TranslationList renders the real translations of the page other than
// the one shown, each name in its own language, as a <ul>.
func (v *View) TranslationList() template.HTML {
	return htmlList("ul", len(v.Translations), func(b *strings.Builder, i int) {
		a := v.Translations[i]
		tag := esc(a.Lang.BCP47)
		b.WriteString(`<a href="` + attrURL(a.URL) + `" lang="` + tag + `" hreflang="` + tag + `">` + esc(a.Lang.Name) + "</a>")
	})
}

// CrumbList renders the breadcrumb trail as an <ol> of links.
func (v *View) CrumbList() template.HTML {
	return htmlList("ol", len(v.Breadcrumbs), func(b *strings.Builder, i int) {
		c := v.Breadcrumbs[i]
		b.WriteString(`<a href="` + attrURL(c.URL) + `">` + esc(c.Title) + "</a>")
	})
}

// htmlList renders n list items in a <tag> list; item writes the content
// of item i.
func htmlList(tag string, n int, item func(b *strings.Builder, i int)) template.HTML {
	var b strings.Builder
	b.WriteString("<" + tag + ">")
	for i := range n {
		b.WriteString("<li>")
		item(&b, i)
		b.WriteString("</li>")
	}
	b.WriteString("</" + tag + ">")
	return template.HTML(b.String())
}

// esc escapes text for HTML element content or a quoted attribute value
// with the same replacements as html/template.
func esc(s string) string { return htmlEscaper.Replace(s) }

var htmlEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// attrURL makes a URL safe in a quoted href the way html/template's URL
// normaliser does (bytes outside the URL character set percent-encoded),
// then escapes it for the attribute.
func attrURL(u string) string { return esc(urlPart(u, true)) }

// urlPart percent-encodes the bytes of s that may not appear in a URL.
// With norm, reserved characters (and existing escapes) are kept, as for a
// whole URL; without, only unreserved characters are, as for a fragment.
func urlPart(s string, norm bool) string {
	clean := true
	for i := 0; i < len(s) && clean; i++ {
		clean = urlKeep(s[i], norm)
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; urlKeep(c, norm) {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + hex.EncodeToString([]byte{c}))
		}
	}
	return b.String()
}

func urlKeep(c byte, norm bool) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	case c == '-' || c == '.' || c == '_' || c == '~':
		return true
	case strings.IndexByte("!#$&*+,/:;=?@[]%", c) >= 0:
		return norm
	}
	return false
}

// T translates an interface string into the page language.
func (v *View) T(key string, args ...any) string { return v.Lang.T(key, args...) }

// Date formats a date in the page language.
func (v *View) Date(t time.Time) string { return v.Lang.Date(t) }

// Asset returns the fingerprinted URL of a static file.
func (v *View) Asset(name string) string { return v.b.Asset(name) }
