package check

import (
	"fmt"
	"strings"

	"portal/generator"
	"portal/generator/content"
	"portal/generator/desk"
	"portal/generator/diag"
)

// reservedSlugs are page slugs whose address the site already uses for
// something else (/<lang>/<slug>/).
var reservedSlugs = map[string]string{
	"guides": "the list of guides",
	"search": "the search page",
	"desks":  "the list of desks",
}

// addresses reports pages and aliases that would share an address: plain
// pages named like a section of the site, guides with the same slug in two
// topics, and aliases that are the address of a page or desk (aliases
// claimed twice are reported when loading).
func addresses(a *generator.Analysis, desks *desk.Directory) diag.List {
	var out diag.List
	owner := map[string]string{} // address -> what is published there
	for _, l := range a.Langs.Codes() {
		owner["/"+l+"/search/"] = "the search page"
		owner["/"+l+"/contact/sent/"] = "the \"question sent\" page"
		owner["/"+l+"/desks/"] = "the list of desks"
	}
	owner["/"] = "the language chooser"
	owner["/status/"] = "the translation status page"
	bySlug := map[string]*content.Group{}
	for _, g := range a.Site.Groups {
		for _, l := range a.Langs.Codes() {
			owner[g.URL(l)] = firstPath(g)
		}
		switch g.Kind {
		case content.Plain:
			if what, ok := reservedSlugs[g.Slug]; ok {
				for _, lang := range langsOf(g) {
					out = append(out, at(g.ByLang[lang], 0, 0, diag.Error,
						"the page address /%s/%s/ is already %s: rename the file", lang, g.Slug, what))
				}
			}
		case content.Guide:
			if prev := bySlug[g.Slug]; prev != nil {
				for _, lang := range langsOf(g) {
					out = append(out, at(g.ByLang[lang], 0, 0, diag.Warning,
						"the guide name %q is also used in %s (%s): readers and search results will confuse the two; give this guide a more specific file name",
						g.Slug, prev.Topic, firstPath(prev)))
				}
			} else {
				bySlug[g.Slug] = g
			}
		}
	}
	if desks != nil {
		for _, d := range desks.Desks {
			for _, l := range a.Langs.Codes() {
				owner["/"+l+"/desks/"+d.ID+"/"] = d.Path
			}
		}
	}
	for _, g := range a.Site.Groups {
		for _, lang := range langsOf(g) {
			p := g.ByLang[lang]
			for i, al := range p.Meta.Aliases {
				norm := strings.TrimSuffix(al, "/") + "/"
				what, ok := owner[norm]
				if !ok {
					continue
				}
				msg := fmt.Sprintf("alias %s is the address of %s, so it cannot also lead here: remove it", norm, what)
				if what == firstPath(g) {
					msg = fmt.Sprintf("alias %s is this page's own address: remove it", norm)
				}
				out = append(out, at(p, p.Src.Line("aliases", i), 0, diag.Error, "%s", msg))
			}
		}
	}
	return out
}

// firstPath returns the path of g's Italian text, or of its first text.
func firstPath(g *content.Group) string {
	return g.ByLang[langsOf(g)[0]].Path
}
