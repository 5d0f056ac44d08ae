package check

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"portal/generator"
	"portal/generator/content"
	"portal/generator/desk"
	"portal/generator/diag"
	"portal/generator/i18n"
)

// DefaultLangs are the languages the site promises every page in; a
// missing translation into one of them is a warning.
var DefaultLangs = []string{"it", "en", "fr", "es", "ar", "zh"}

// Options say what to check.
type Options struct {
	Root    string // project root holding layouts/ and i18n/ ("." by default)
	Content string // content root (Root/content by default)
	// Today anchors the staleness check (time.Now by default).
	Today time.Time
	// MaxAge and MaxAgeError are in months: a guide reviewed longer ago
	// than MaxAge gets a warning, longer ago than MaxAgeError an error
	// (defaults 12 and 24).
	MaxAge, MaxAgeError int
	// RequireLangs are the languages every page should be translated
	// into (DefaultLangs when nil).
	RequireLangs []string
	// External turns on reachability checks of external links.
	External bool
	// Client is used for reachability checks (a client with Timeout per
	// request by default).
	Client *http.Client
	// Timeout limits each external request (10 seconds by default).
	Timeout time.Duration
	// Jobs is the number of parallel external requests (8 by default).
	Jobs   int
	Logger *slog.Logger
}

func (o *Options) defaults() {
	if o.Root == "" {
		o.Root = "."
	}
	if o.Content == "" {
		o.Content = filepath.Join(o.Root, "content")
	}
	if o.Today.IsZero() {
		o.Today = time.Now()
	}
	o.Today = time.Date(o.Today.Year(), o.Today.Month(), o.Today.Day(), 0, 0, 0, 0, time.UTC)
	if o.MaxAge <= 0 {
		o.MaxAge = 12
	}
	if o.MaxAgeError <= 0 {
		o.MaxAgeError = 24
	}
	if o.RequireLangs == nil {
		o.RequireLangs = DefaultLangs
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: o.Timeout}
	}
	if o.Jobs <= 0 {
		o.Jobs = 8
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// Report is the outcome of Run.
type Report struct {
	// Analysis is the analysed site; nil when the content could not be
	// loaded (Diagnostics then say why).
	Analysis *generator.Analysis
	// Desks is the desk directory (nil when there is no desks folder).
	Desks *desk.Directory
	// Diagnostics are every problem found, sorted, without duplicates.
	Diagnostics diag.List
}

// Errors returns the number of errors in the report.
func (r *Report) Errors() int { return r.Diagnostics.Errors() }

// Warnings returns the number of warnings in the report.
func (r *Report) Warnings() int { return len(r.Diagnostics) - r.Diagnostics.Errors() }

// Run analyses the site as a build would (drafts included, so links to
// them can be told apart from broken links), validates the desks and runs
// every check. It returns an error only when checking could not run at
// all (an unreadable folder, a cancelled context); problems in the
// content are in Report.Diagnostics.
func Run(ctx context.Context, opt Options) (*Report, error) {
	opt.defaults()
	rep := &Report{}
	a, err := generator.Analyze(ctx, generator.Config{Root: opt.Root, Content: opt.Content, Drafts: true, Logger: opt.Logger})
	var le *diag.ListError
	switch {
	case errors.As(err, &le):
		rep.Diagnostics = append(rep.Diagnostics, le.List...)
	case err != nil:
		return nil, err
	default:
		rep.Analysis = a
		rep.Diagnostics = append(rep.Diagnostics, draftsRelaxed(a)...)
	}
	var langs []string
	if a != nil {
		langs = a.Langs.Codes()
	} else if set, _ := i18n.Load(os.DirFS(opt.Root), "i18n"); set != nil {
		langs = set.Codes()
	}
	if len(langs) > 0 {
		if fi, err := os.Stat(filepath.Join(opt.Content, "desks")); err == nil && fi.IsDir() {
			d, ds := desk.Load(os.DirFS(opt.Content), "desks", langs)
			root := contentRoot(a, opt.Content)
			for _, x := range ds {
				x.Path = path.Join(root, x.Path)
				rep.Diagnostics = append(rep.Diagnostics, x)
			}
			if d != nil {
				for _, dk := range d.Desks {
					dk.Path = path.Join(root, dk.Path)
				}
			}
			rep.Desks = d
		}
	}
	if a != nil {
		rep.Diagnostics = append(rep.Diagnostics, Site(a, rep.Desks, opt)...)
		if opt.External {
			rep.Diagnostics = append(rep.Diagnostics, External(ctx, collectURLs(a, rep.Desks), opt)...)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rep.Diagnostics = dedupe(rep.Diagnostics)
	return rep, nil
}

// Site runs the checks that need no network on an analysed site: links to
// drafts, clashing addresses, images without alt text, external link
// syntax, vague or empty link text, headings and tables that suit a phone,
// TODO markers, staleness and translations. desks may be nil.
func Site(a *generator.Analysis, desks *desk.Directory, opt Options) diag.List {
	opt.defaults()
	var out diag.List
	out = append(out, requiredLangs(a, opt)...)
	for _, g := range a.Site.Groups {
		for _, lang := range langsOf(g) {
			p := g.ByLang[lang]
			res := a.Results[p]
			if res != nil {
				out = append(out, links(a, p, res)...)
				out = append(out, phone(p, res)...)
			}
			out = append(out, todos(p)...)
		}
		out = append(out, stale(g, opt)...)
		out = append(out, translations(a, g, opt)...)
	}
	out = append(out, addresses(a, desks)...)
	out.Sort()
	return out
}

// contentRoot is the content folder as diagnostics show it.
func contentRoot(a *generator.Analysis, dir string) string {
	if a != nil && a.Site != nil && a.Site.Root != "" {
		return a.Site.Root
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, dir); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(dir)
}

// draftsRelaxed returns the analysis's diagnostics with errors in the
// bodies of drafts turned into warnings: the build leaves drafts out, so
// their unfinished links must not stop it, but the editor should see them.
// Front-matter errors stay errors, as the build reports them too.
func draftsRelaxed(a *generator.Analysis) diag.List {
	drafts := map[string]*content.Page{}
	for _, g := range a.Site.Groups {
		for _, p := range g.ByLang {
			if p.Meta.Draft {
				drafts[p.Path] = p
			}
		}
	}
	out := make(diag.List, 0, len(a.Diagnostics))
	for _, d := range a.Diagnostics {
		if p := drafts[d.Path]; p != nil && d.Severity == diag.Error && p.Src != nil && d.Line >= p.Src.BodyLine {
			d.Severity = diag.Warning
			d.Msg += " (this page is a draft: fix it before publishing)"
		}
		out = append(out, d)
	}
	return out
}

func dedupe(l diag.List) diag.List {
	l.Sort()
	out := l[:0]
	for i, d := range l {
		if i > 0 && d == l[i-1] {
			continue
		}
		out = append(out, d)
	}
	return out
}

// langsOf returns the languages of g, the source first.
func langsOf(g *content.Group) []string {
	ls := make([]string, 0, len(g.ByLang))
	for l := range g.ByLang {
		ls = append(ls, l)
	}
	slices.SortFunc(ls, func(a, b string) int {
		switch {
		case a == b:
			return 0
		case a == i18n.Source:
			return -1
		case b == i18n.Source:
			return 1
		}
		return strings.Compare(a, b)
	})
	return ls
}

// targetKey maps a content link target to a group key and the language
// the link asks for, as the build resolves it.
func targetKey(a *generator.Analysis, target string) (key, lang string) {
	return content.LinkTarget(target, a.Langs.Has)
}

func at(p *content.Page, line, col int, sev diag.Severity, format string, args ...any) diag.Diagnostic {
	return diag.Diagnostic{Path: p.Path, Line: line, Col: col, Severity: sev, Msg: fmt.Sprintf(format, args...)}
}
