package check

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
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
// description, sources or body: in a published page each one is an error;
// a draft gets one warning listing their lines, since a skeleton is full
// of them.
func todos(p *content.Page) diag.List {
	if p.Src == nil {
		return nil
	}
	type marker struct {
		line int
		what string
	}
	var ms []marker
	for _, k := range []struct{ key, val string }{{"title", p.Meta.Title}, {"description", p.Meta.Description}} {
		if todoRE.MatchString(k.val) {
			ms = append(ms, marker{p.Src.Line(k.key), k.key + " still holds a TODO marker"})
		}
	}
	for i, src := range p.Meta.Sources {
		if todoRE.MatchString(src.Text) {
			ms = append(ms, marker{p.Src.Line("sources", i, "text"), fmt.Sprintf("sources[%d] still holds a TODO marker", i)})
		}
	}
	if bytes.Contains(p.Src.Body, []byte("TODO")) {
		for i, line := range bytes.Split(p.Src.Body, []byte("\n")) {
			if todoRE.Match(line) {
				ms = append(ms, marker{p.Src.BodyLine + i, "TODO marker"})
			}
		}
	}
	if len(ms) == 0 {
		return nil
	}
	if p.Meta.Draft {
		lines := make([]string, len(ms))
		for i, m := range ms {
			lines[i] = strconv.Itoa(m.line)
		}
		return diag.List{at(p, ms[0].line, 0, diag.Warning,
			"this draft still has %d TODO %s (%s %s): write those parts and remove the markers before you remove \"draft: true\"",
			len(ms), plural(len(ms), "marker", "markers"), plural(len(ms), "line", "lines"), strings.Join(lines, ", "))}
	}
	var out diag.List
	for _, m := range ms {
		out = append(out, at(p, m.line, 0, diag.Error, "%s: write this part, then remove the marker", m.what))
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
