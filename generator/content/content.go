package content

import (
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"portal/generator/diag"
	"portal/generator/meta"
)

// Topics are the guide topics, in menu order.
var Topics = []string{"entry", "residence", "citizenship", "family", "services", "consular"}

// Services are the service codes guides and desks may name.
var Services = []string{"permit-renewal", "permit-first", "family-reunification", "citizenship",
	"legal-advice", "cultural-mediation", "language-courses", "work", "housing", "health", "school"}

// Kind is what a page is.
type Kind string

// Page kinds.
const (
	Home   Kind = "home"   // /<lang>/
	Guides Kind = "guides" // /<lang>/guides/
	Topic  Kind = "topic"  // /<lang>/guides/<topic>/
	Guide  Kind = "guide"  // /<lang>/guides/<topic>/<slug>/
	Plain  Kind = "page"   // /<lang>/<slug>/
)

// Meta is the front matter of guides, topic and home texts and plain pages.
type Meta struct {
	Title         string      `yaml:"title" toml:"title"`
	Description   string      `yaml:"description" toml:"description"`
	Tags          []string    `yaml:"tags" toml:"tags"`
	Reviewed      meta.Text   `yaml:"reviewed" toml:"reviewed"`
	Sources       []SourceRef `yaml:"sources" toml:"sources"`
	Services      []string    `yaml:"services" toml:"services"`
	Weight        int         `yaml:"weight" toml:"weight"`
	Draft         bool        `yaml:"draft" toml:"draft"`
	Aliases       []string    `yaml:"aliases" toml:"aliases"`
	TranslationOf string      `yaml:"translation_of" toml:"translation_of"`
}

// SourceRef is a legal or official source a guide rests on.
type SourceRef struct {
	Text string `yaml:"text" toml:"text"`
	URL  string `yaml:"url" toml:"url"`
}

// Page is one content file in one language.
type Page struct {
	Kind     Kind
	Key      string // translation key shared by all languages: "guides/residence/rinnovo-permesso"
	Lang     string
	Topic    string // for topics and guides
	Slug     string // for guides and plain pages
	Path     string // path for diagnostics: <root>/<rel>
	Rel      string // path relative to the content root
	Meta     Meta
	Reviewed time.Time
	Src      *meta.Source
}

// Group is one piece of content in all the languages it is written in.
type Group struct {
	Key    string
	Kind   Kind
	Topic  string
	Slug   string
	ByLang map[string]*Page
}

// Site is the loaded content.
type Site struct {
	Groups []*Group // sorted by Key
	ByKey  map[string]*Group
	Root   string // content root as shown in diagnostics, e.g. "content"
	// Files lists every file under the content root (slash paths relative
	// to it), so links to non-Markdown files can be checked.
	Files map[string]bool
}

// Options control loading.
type Options struct {
	Root   string   // name of the content root in diagnostics
	Langs  []string // configured language codes, source first
	Drafts bool     // include pages marked draft
	// Skip reports directories (relative to the root) that other packages
	// load, such as "desks".
	Skip []string
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// Load reads every Markdown file under fsys. It returns the site and all
// problems found; the site is usable for further checks even when there are
// errors.
func Load(fsys fs.FS, opt Options) (*Site, diag.List) {
	site := &Site{ByKey: map[string]*Group{}, Root: opt.Root, Files: map[string]bool{}}
	var errs diag.List
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, diag.Errorf(path.Join(opt.Root, p), 0, "cannot read: %v", err))
			return nil
		}
		if d.IsDir() {
			if slices.Contains(opt.Skip, p) {
				return fs.SkipDir
			}
			if p != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			// Editors' lock and swap files (".#rinnovo.it.md",
			// ".rinnovo.it.md.swp") and system files are not content.
			return nil
		}
		site.Files[p] = true
		if strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		errs = append(errs, diag.Errorf(opt.Root, 0, "%v", err))
	}
	sort.Strings(files)

	pages := make([]*Page, len(files))
	perFile := make([]diag.List, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				pages[i], perFile[i] = loadFile(fsys, files[i], opt)
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, p := range pages {
		errs = append(errs, perFile[i]...)
		if p == nil || (p.Meta.Draft && !opt.Drafts) {
			continue
		}
		g := site.ByKey[p.Key]
		if g == nil {
			g = &Group{Key: p.Key, Kind: p.Kind, Topic: p.Topic, Slug: p.Slug, ByLang: map[string]*Page{}}
			site.ByKey[p.Key] = g
			site.Groups = append(site.Groups, g)
		}
		if prev := g.ByLang[p.Lang]; prev != nil {
			errs = append(errs, diag.Errorf(p.Path, 0, "%s is a second %q version of %s: keep one of the two files", p.Rel, p.Lang, prev.Rel))
			continue
		}
		g.ByLang[p.Lang] = p
	}
	sort.Slice(site.Groups, func(i, j int) bool { return site.Groups[i].Key < site.Groups[j].Key })
	errs = append(errs, site.checkAliases()...)
	errs.Sort()
	return site, errs
}

// splitName splits "rinnovo-permesso.en.md" into ("rinnovo-permesso", "en");
// a name without a language suffix gets the source language.
func splitName(name string, langs []string) (base, lang string, suffix string) {
	name = strings.TrimSuffix(name, ".md")
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[:i], name[i+1:], name[i+1:]
	}
	return name, langs[0], ""
}

// LoadFile reads and checks one content file, rel being its path relative
// to the content root (for incremental rebuilds).
func LoadFile(fsys fs.FS, rel string, opt Options) (*Page, diag.List) {
	return loadFile(fsys, rel, opt)
}

// Identify returns the page a content path stands for (kind, key,
// language, topic and slug) without reading it, or diagnostics saying why
// the path is not a content file's.
func Identify(rel string, opt Options) (*Page, diag.List) {
	return identify(rel, opt)
}

func loadFile(fsys fs.FS, rel string, opt Options) (*Page, diag.List) {
	p, errs := identify(rel, opt)
	if p == nil {
		return nil, errs
	}
	return read(fsys, p)
}

func identify(rel string, opt Options) (*Page, diag.List) {
	p := &Page{Rel: rel, Path: path.Join(opt.Root, rel)}
	if !strings.HasSuffix(rel, ".md") {
		return nil, diag.List{diag.Errorf(p.Path, 0, "this is not a Markdown file: content texts are named <name>.<lang>.md")}
	}
	dir, name := path.Split(rel)
	dir = strings.TrimSuffix(dir, "/")
	base, lang, suffix := splitName(name, opt.Langs)
	if suffix != "" && !slices.Contains(opt.Langs, lang) {
		return nil, diag.List{diag.Errorf(p.Path, 0, "the language suffix %q is not a configured language (configured: %s): rename the file or add i18n/%s.toml", lang, strings.Join(opt.Langs, ", "), lang)}
	}
	p.Lang = lang
	parts := strings.Split(dir, "/")
	switch {
	case dir == "" && base == "_index":
		p.Kind, p.Key = Home, "home"
	case dir == "guides" && base == "_index":
		p.Kind, p.Key = Guides, "guides"
	case len(parts) == 2 && parts[0] == "guides":
		p.Topic = parts[1]
		if !slices.Contains(Topics, p.Topic) {
			return nil, diag.List{diag.Errorf(p.Path, 0, "%q is not a guide topic: move the file into one of %s", p.Topic, strings.Join(Topics, ", "))}
		}
		if base == "_index" {
			p.Kind, p.Key = Topic, "guides/"+p.Topic
		} else {
			p.Kind, p.Slug, p.Key = Guide, base, "guides/"+p.Topic+"/"+base
		}
	case dir == "pages":
		p.Kind, p.Slug, p.Key = Plain, base, "pages/"+base
	default:
		return nil, diag.List{diag.Errorf(p.Path, 0, "this file is in no known place: guides go in guides/<topic>/, plain pages in pages/, home texts are _index.<lang>.md at the top")}
	}
	if (p.Kind == Guide || p.Kind == Plain) && !slugRE.MatchString(p.Slug) {
		return nil, diag.List{diag.Errorf(p.Path, 0, "the file name %q makes a bad web address: use lower-case letters, digits and hyphens only, like rinnovo-permesso.%s.md", base, lang)}
	}
	return p, nil
}

func read(fsys fs.FS, p *Page) (*Page, diag.List) {
	data, err := fs.ReadFile(fsys, p.Rel)
	if err != nil {
		return nil, diag.List{diag.Errorf(p.Path, 0, "cannot read: %v", err)}
	}
	src, err := meta.Parse(p.Path, data)
	if err != nil {
		return nil, diag.From(p.Path, err)
	}
	p.Src = src
	var errs diag.List
	if err := src.Decode(&p.Meta); err != nil {
		return nil, diag.From(p.Path, err)
	}
	errs = append(errs, p.validate()...)
	src.Compact()
	return p, errs
}

func (p *Page) validate() diag.List {
	var errs diag.List
	s := p.Src
	m := &p.Meta
	if s.Format == meta.None {
		return diag.List{s.Errorf(1, "front matter is missing: start the file with a \"---\" line, then \"title: ...\", then \"---\"")}
	}
	if strings.TrimSpace(m.Title) == "" {
		errs = append(errs, s.Errorf(s.Line("title"), "title is missing: add \"title: ...\" to the front matter"))
	}
	if p.Kind == Guide {
		if strings.TrimSpace(m.Description) == "" {
			errs = append(errs, s.Errorf(s.Line("description"), "description is missing: add a one-sentence summary, \"description: ...\""))
		}
		if !m.Reviewed.Set {
			errs = append(errs, s.Errorf(s.FrontLine, "reviewed is missing: add the date the facts were last checked, \"reviewed: YYYY-MM-DD\""))
		}
		if len(m.Sources) == 0 && p.Lang == "it" {
			errs = append(errs, s.Warnf(s.FrontLine, "sources are missing: list the laws or official pages the guide rests on, e.g. \"sources: [{text: \\\"D.Lgs. 286/1998, art. 5\\\"}]\""))
		}
	}
	if m.Reviewed.Set {
		d, err := m.Reviewed.Date()
		if err != nil {
			errs = append(errs, s.Errorf(s.Line("reviewed"), "reviewed: %v", err))
		} else {
			if d.After(time.Now().AddDate(0, 0, 1)) {
				errs = append(errs, s.Warnf(s.Line("reviewed"), "reviewed: %s is in the future: give the date the facts were actually checked", m.Reviewed.Raw))
			}
			p.Reviewed = d
		}
	}
	for i, src := range m.Sources {
		if strings.TrimSpace(src.Text) == "" {
			errs = append(errs, s.Errorf(s.Line("sources", i), "sources[%d]: text is missing: name the law or page, e.g. \"D.Lgs. 286/1998, art. 5\"", i))
		}
		if src.URL != "" {
			if err := CheckURL(src.URL); err != nil {
				errs = append(errs, s.Errorf(s.Line("sources", i, "url"), "sources[%d].url: %v", i, err))
			}
		}
	}
	for i, sv := range m.Services {
		if !slices.Contains(Services, sv) {
			msg := fmt.Sprintf("services[%d]: %q is not a service code", i, sv)
			if sug := meta.Suggest(sv, Services); sug != "" {
				msg += fmt.Sprintf(": did you mean %q?", sug)
			} else {
				msg += " (codes: " + strings.Join(Services, ", ") + ")"
			}
			errs = append(errs, s.Errorf(s.Line("services", i), "%s", msg))
		}
	}
	for i, a := range m.Aliases {
		switch {
		case !strings.HasPrefix(a, "/") || strings.ContainsAny(a, " ?#\"'<>"):
			errs = append(errs, s.Errorf(s.Line("aliases", i), "aliases[%d]: %q must be a site path starting with \"/\", like /it/guide/vecchio-nome/", i, a))
		case strings.Contains(a, ".."):
			// The output writer refuses such paths; say so here, with the line.
			errs = append(errs, s.Errorf(s.Line("aliases", i), "aliases[%d]: %q must not contain \"..\": write the old address as it was, like /it/guide/vecchio-nome/", i, a))
		}
	}
	return errs
}

// CheckURL reports whether u is an absolute http(s) URL an editor may link.
func CheckURL(u string) error {
	pu, err := url.Parse(u)
	if err != nil || pu.Host == "" || (pu.Scheme != "https" && pu.Scheme != "http") || strings.ContainsAny(u, " \t\n") {
		return fmt.Errorf("%q is not a web address: write the full address starting with https://", u)
	}
	return nil
}

func (s *Site) checkAliases() diag.List {
	var errs diag.List
	seen := map[string]*Page{}
	for _, g := range s.Groups {
		for _, lang := range sortedLangs(g) {
			p := g.ByLang[lang]
			for i, a := range p.Meta.Aliases {
				a = strings.TrimSuffix(a, "/") + "/"
				if prev := seen[a]; prev != nil {
					errs = append(errs, p.Src.Errorf(p.Src.Line("aliases", i), "alias %s is also claimed by %s: an old address can lead to only one page", a, prev.Path))
					continue
				}
				seen[a] = p
			}
		}
	}
	return errs
}

func sortedLangs(g *Group) []string {
	ls := make([]string, 0, len(g.ByLang))
	for l := range g.ByLang {
		ls = append(ls, l)
	}
	sort.Strings(ls)
	return ls
}

// URL returns the page address of the group in lang (whether or not it is
// translated: untranslated pages are published as fallbacks).
func (g *Group) URL(lang string) string {
	switch g.Kind {
	case Home:
		return "/" + lang + "/"
	case Guides:
		return "/" + lang + "/guides/"
	case Topic:
		return "/" + lang + "/guides/" + g.Topic + "/"
	case Guide:
		return "/" + lang + "/guides/" + g.Topic + "/" + g.Slug + "/"
	case Plain:
		return "/" + lang + "/" + g.Slug + "/"
	}
	return "/" + lang + "/"
}

// TextFor returns the page whose text is shown in lang: the translation in
// lang if there is one, else the first language of chain that has one, else
// any (the source language first). It returns nil for an empty group.
func (g *Group) TextFor(lang string, chain []string) *Page {
	if p := g.ByLang[lang]; p != nil {
		return p
	}
	for _, c := range chain {
		if p := g.ByLang[c]; p != nil {
			return p
		}
	}
	for _, l := range sortedLangs(g) {
		return g.ByLang[l]
	}
	return nil
}

// LinkTarget maps the target of a link between content files, as
// package markdown reports it ("guides/x/y.md", "guides/x/y.en.md",
// "guides/x/_index.md"), to the key of the group it names and the language
// the link asks for ("" when it names none). isLang reports configured
// language codes.
func LinkTarget(target string, isLang func(string) bool) (key, lang string) {
	name := strings.TrimSuffix(target, ".md")
	if i := strings.LastIndexByte(name, '.'); i >= 0 && !strings.Contains(name[i+1:], "/") && isLang(name[i+1:]) {
		name, lang = name[:i], name[i+1:]
	}
	switch {
	case name == "_index":
		return "home", lang
	case strings.HasSuffix(name, "/_index"):
		return strings.TrimSuffix(name, "/_index"), lang
	}
	return name, lang
}
