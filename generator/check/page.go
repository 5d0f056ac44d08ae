package check

import (
	"bytes"
	"regexp"
	"strings"

	"portal/generator/content"
	"portal/generator/diag"
	"portal/generator/i18n"
	"portal/generator/markdown"
)

// MaxColumns is the widest table that reads well on a phone screen.
const MaxColumns = 4

// phone reports Markdown that a reader on a small screen, or with a screen
// reader, would suffer from: skipped heading levels and wide tables.
func phone(p *content.Page, res *markdown.Result) diag.List {
	var out diag.List
	prev := 1 // the page title is the level-1 heading
	for _, h := range res.Headings {
		switch {
		case h.Level == 1:
			out = append(out, at(p, h.Line, 0, diag.Warning,
				"the heading %q has level 1 (#), like the page title: start sections at level 2 (##)", h.Text))
		case h.Level > prev+1:
			out = append(out, at(p, h.Line, 0, diag.Warning,
				"the heading %q jumps from level %d to level %d: use %s here (screen readers and the table of contents expect no gaps)",
				h.Text, prev, h.Level, strings.Repeat("#", prev+1)))
		}
		prev = h.Level
	}
	for _, t := range res.Tables {
		if t.Columns > MaxColumns {
			out = append(out, at(p, t.Line, 0, diag.Warning,
				"this table has %d columns: on a phone, tables wider than %d columns must be scrolled sideways; split it or turn it into a list",
				t.Columns, MaxColumns))
		}
	}
	return out
}

var todoRE = regexp.MustCompile(`\bTODO\b`)

// todos reports TODO markers (left by "portal new") in the title,
// description, sources or body: errors in published pages, warnings in drafts.
func todos(p *content.Page) diag.List {
	if p.Src == nil {
		return nil
	}
	sev, hint := diag.Error, "write this part, then remove the marker"
	if p.Meta.Draft {
		sev, hint = diag.Warning, "write this part and remove the marker before you remove \"draft: true\""
	}
	var out diag.List
	for _, k := range []struct{ key, val string }{{"title", p.Meta.Title}, {"description", p.Meta.Description}} {
		if todoRE.MatchString(k.val) {
			out = append(out, at(p, p.Src.Line(k.key), 0, sev, "%s still holds a TODO marker: %s", k.key, hint))
		}
	}
	for i, src := range p.Meta.Sources {
		if todoRE.MatchString(src.Text) {
			out = append(out, at(p, p.Src.Line("sources", i, "text"), 0, sev, "sources[%d] still holds a TODO marker: %s", i, hint))
		}
	}
	if !bytes.Contains(p.Src.Body, []byte("TODO")) {
		return out
	}
	for i, line := range bytes.Split(p.Src.Body, []byte("\n")) {
		if todoRE.Match(line) {
			out = append(out, at(p, p.Src.BodyLine+i, 0, sev, "TODO marker: %s", hint))
		}
	}
	return out
}

// monthsAgo returns the date months before today.
func monthsAgo(opt Options, months int) string {
	return opt.Today.AddDate(0, -months, 0).Format("2006-01-02")
}

// stale reports guides whose facts were last checked too long ago. The
// Italian text is the one whose facts are checked; a guide that exists
// only in other languages is checked in each of them.
func stale(g *content.Group, opt Options) diag.List {
	if g.Kind != content.Guide {
		return nil
	}
	pages := []*content.Page{g.ByLang[i18n.Source]}
	if pages[0] == nil {
		pages = pages[:0]
		for _, l := range langsOf(g) {
			pages = append(pages, g.ByLang[l])
		}
	}
	var out diag.List
	for _, p := range pages {
		if p.Reviewed.IsZero() {
			continue // missing or bad dates are reported when loading
		}
		line := p.Src.Line("reviewed")
		day := p.Reviewed.Format("2006-01-02")
		switch {
		case p.Reviewed.Before(opt.Today.AddDate(0, -opt.MaxAgeError, 0)):
			out = append(out, at(p, line, 0, diag.Error,
				"reviewed %s is more than %d months ago (before %s): the guide may give wrong information; check every fact against the sources, update the text and set reviewed to the date of the check",
				day, opt.MaxAgeError, monthsAgo(opt, opt.MaxAgeError)))
		case p.Reviewed.Before(opt.Today.AddDate(0, -opt.MaxAge, 0)):
			out = append(out, at(p, line, 0, diag.Warning,
				"reviewed %s is more than %d months ago (before %s): check the facts against the sources, update the text if needed and set reviewed to the date of the check",
				day, opt.MaxAge, monthsAgo(opt, opt.MaxAge)))
		}
	}
	return out
}
