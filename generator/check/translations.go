package check

import (
	"path"
	"strings"

	"portal/generator"
	"portal/generator/check/translation"
	"portal/generator/content"
	"portal/generator/diag"
	"portal/generator/i18n"
)

// Status is the state of one page in one language (see package
// translation).
type Status = translation.Status

// Translation states.
const (
	Source   = translation.Source
	OK       = translation.OK
	Outdated = translation.Behind
	Missing  = translation.Missing
	Draft    = translation.Draft
)

// Row is one page in every language.
type Row = translation.Row

// Table is the translation status of the whole site.
type Table = translation.Table

// Translations returns the translation status of every page of a.
func Translations(a *generator.Analysis) *Table { return translation.Translations(a.Langs, a.Site) }

func outdated(src, p *content.Page) bool { return translation.Outdated(src, p) }

// requiredLangs validates Options.RequireLangs against the site languages.
func requiredLangs(a *generator.Analysis, opt Options) diag.List {
	var out diag.List
	for _, l := range opt.RequireLangs {
		if !a.Langs.Has(l) {
			out = append(out, diag.Warnf("i18n", 0, "--require-langs names %q, which is not a site language (%s): add i18n/%s.toml or leave it out", l, strings.Join(a.Langs.Codes(), ", "), l))
		}
	}
	return out
}

// sourceName returns the expected file name of g's Italian text, next to p.
func sourceName(p *content.Page) string {
	dir, name := path.Split(p.Path)
	name = strings.TrimSuffix(name, ".md")
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[:i]
	}
	return dir + name + "." + i18n.Source + ".md"
}

// translations compares every translation of g with the Italian text and
// reports languages the site promises that are missing.
func translations(a *generator.Analysis, g *content.Group, opt Options) diag.List {
	var out diag.List
	src := g.ByLang[i18n.Source]
	if src == nil {
		for _, l := range langsOf(g) {
			p := g.ByLang[l]
			out = append(out, at(p, 0, 0, diag.Warning,
				"there is no Italian text for this page (%s): translations are paired with the Italian file by name; check the file name", sourceName(p)))
		}
		return out
	}
	if !src.Meta.Draft {
		var missing []string
		for _, l := range opt.RequireLangs {
			if l == i18n.Source || !a.Langs.Has(l) {
				continue
			}
			if p := g.ByLang[l]; p == nil || p.Meta.Draft {
				missing = append(missing, l)
			}
		}
		if len(missing) > 0 {
			hint := "add " + strings.Join(fileNames(src, missing), ", ")
			if g.Kind == content.Guide {
				hint += " (portal new guide " + g.Topic + "/" + g.Slug + " --lang " + missing[0] + " --from it starts one)"
			}
			out = append(out, at(src, 0, 0, diag.Warning, "not yet translated into %s, which the site promises: %s",
				strings.Join(missing, ", "), hint))
		}
	}
	srcRes := a.Results[src]
	for _, l := range langsOf(g) {
		p := g.ByLang[l]
		if p == src {
			continue
		}
		if outdated(src, p) {
			out = append(out, at(p, p.Src.Line("reviewed"), 0, diag.Warning,
				"this translation was checked on %s, before the Italian text was updated on %s (%s): compare the two, bring the translation up to date and set its reviewed date",
				p.Reviewed.Format("2006-01-02"), src.Reviewed.Format("2006-01-02"), src.Path))
		}
		if to := p.Meta.TranslationOf; to != "" && path.Clean(to) != src.Rel {
			out = append(out, at(p, p.Src.Line("translation_of"), 0, diag.Warning,
				"translation_of names %q, but this file translates %s: correct it or remove the line", to, src.Rel))
		}
		res := a.Results[p]
		if res == nil || srcRes == nil {
			continue
		}
		if n, m := len(res.Headings), len(srcRes.Headings); n != m {
			out = append(out, at(p, p.Src.BodyLine, 0, diag.Warning,
				"this translation has %d %s, the Italian text (%s) has %d: a section may be missing or extra",
				n, plural(n, "heading", "headings"), src.Path, m))
		}
		if n, m := len(res.Links), len(srcRes.Links); n != m {
			out = append(out, at(p, p.Src.BodyLine, 0, diag.Warning,
				"this translation has %d %s, the Italian text (%s) has %d: a link may be missing or extra",
				n, plural(n, "link", "links"), src.Path, m))
		}
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// fileNames returns the file names of src's translations into langs.
func fileNames(src *content.Page, langs []string) []string {
	dir, name := path.Split(src.Path)
	name = strings.TrimSuffix(name, ".md")
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[:i]
	}
	out := make([]string, len(langs))
	for i, l := range langs {
		if i == 0 {
			out[i] = dir + name + "." + l + ".md"
		} else {
			out[i] = name + "." + l + ".md"
		}
	}
	return out
}
