package generator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"portal/generator/content"
	"portal/generator/desk"
	"portal/generator/diag"
	"portal/generator/i18n"
	"portal/generator/layout"
	"portal/generator/markdown"
	"portal/generator/output"
	"portal/generator/search"
	"portal/generator/sitemap"
)

// Config says what to build and where.
type Config struct {
	Root    string // project root holding layouts/, i18n/ and static/ ("." by default)
	Content string // content root (Root/content by default)
	Out     string // output directory (Root/public by default)
	BaseURL string // absolute site address for canonical links, sitemap and feeds
	Drafts  bool   // publish pages marked draft
	Dev     bool   // preview mode: inject the live-reload script
	// InMemory keeps the pages of a preview session in memory, served by
	// Session.FS, instead of writing them to Out (which still receives the
	// search index and the desk feeds).
	InMemory bool
	NoMinify bool // write unminified output (for golden tests)
	// NoSearch leaves the search index out (its search pages then find
	// nothing): for measuring what the index costs a build.
	NoSearch bool
	// FunctionData, when set, is where the contact function's data file
	// (desks, languages, messages) is written after a successful build:
	// netlify/functions/contact/data.json, which the function embeds.
	FunctionData string
	// Now is the build's date and time: desk calendars (their DTSTAMP
	// and first week) and the desk feed's "generated" show it. Zero means
	// the current time; portal build sets it from $SOURCE_DATE_EPOCH, so
	// that two builds of the same commit write the same bytes.
	Now time.Time
	// AfterRender, when set, is called once every page is rendered and
	// before the search index is written (for memory profiles).
	AfterRender func()
	Jobs        int // parallel workers (GOMAXPROCS by default)
	Logger      *slog.Logger
}

// Result summarises a successful build.
type Result struct {
	Pages    map[string]int // pages written per language
	Files    int64
	Bytes    int64
	Elapsed  time.Duration
	Warnings diag.List
	// Changed lists the site paths an incremental update wrote or removed
	// (Session.Rebuild); nil after a full build.
	Changed []string
}

func (c *Config) defaults() {
	if c.Root == "" {
		c.Root = "."
	}
	if c.Content == "" {
		c.Content = filepath.Join(c.Root, "content")
	}
	if c.Out == "" {
		c.Out = filepath.Join(c.Root, "public")
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://127.0.0.1:1313"
	}
	c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	if c.Jobs <= 0 {
		c.Jobs = runtime.GOMAXPROCS(0)
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
}

// displayPath turns a file path into the form editors see in messages.
func displayPath(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(p)
}

// Build builds the site. On failure it returns a *diag.ListError holding
// every problem found (or another error for I/O failures), and the
// previous output directory is left exactly as it was.
func Build(ctx context.Context, cfg Config) (*Result, error) {
	cfg.defaults()
	start := time.Now()
	b, err := loadChecked(ctx, cfg)
	if err != nil {
		return nil, err
	}
	cfg.Logger.Debug("loaded", "groups", len(b.site.Groups), "elapsed", time.Since(start))
	b.releaseBodies = true
	out, err := b.publish(ctx)
	if err != nil {
		return nil, err
	}
	if err := b.writeContactData(); err != nil {
		return nil, err
	}
	cfg.Logger.Debug("committed", "elapsed", time.Since(start))
	return &Result{Pages: b.pagesPerLang(), Files: out.Files(), Bytes: out.Bytes(), Elapsed: time.Since(start), Warnings: b.warnings}, nil
}

// loadChecked loads everything; when loading found errors it still renders
// the Markdown, writing nothing, so that one run reports every problem
// (broken links too), not just the first kind.
func loadChecked(ctx context.Context, cfg Config) (*builder, error) {
	b, err := load(cfg)
	if err != nil {
		return nil, err
	}
	if len(b.loadErrs) > 0 {
		a, err := b.analyse(ctx)
		if err != nil {
			return nil, err
		}
		return nil, a.Diagnostics.Err()
	}
	return b, nil
}

// publish writes the whole site into a temporary folder and swaps it into
// place; on any error the previous site stays as it was.
func (b *builder) publish(ctx context.Context) (*output.Dir, error) {
	out, err := output.Begin(b.cfg.Out)
	if err != nil {
		return nil, err
	}
	out.Minify = !b.cfg.NoMinify
	out.Background = b.cfg.Dev
	b.out = out
	if b.cfg.InMemory {
		b.mem = newMemSite(out)
		b.out = b.mem
	}
	if err := b.write(ctx); err != nil {
		_ = out.Abort()
		return nil, err
	}
	b.cfg.Logger.Debug("written", "files", out.Files())
	if err := out.Commit(); err != nil {
		_ = out.Abort()
		return nil, err
	}
	return out, nil
}

// Analysis is everything a build learns about the content, without the
// site: for checks that run on every save (portal check).
type Analysis struct {
	Langs       *i18n.Set
	Site        *content.Site
	Results     map[*content.Page]*markdown.Result // every rendered body
	Diagnostics diag.List                          // errors and warnings a build would report
}

// Analyze loads and renders all content as Build does, checks every link
// and anchor, and returns what it found without writing anything. An error
// is returned only when the content cannot be loaded at all (the
// diagnostics then say why).
func Analyze(ctx context.Context, cfg Config) (*Analysis, error) {
	cfg.defaults()
	b, err := load(cfg)
	if err != nil {
		return nil, err
	}
	return b.analyse(ctx)
}

func (b *builder) analyse(ctx context.Context) (*Analysis, error) {
	b.analysis = &Analysis{Langs: b.langs, Site: b.site, Results: map[*content.Page]*markdown.Result{}}
	if err := b.renderGroups(ctx, b.site.Groups); err != nil {
		return nil, err
	}
	b.checkAnchors()
	b.analysis.Diagnostics = append(append(b.errs.List(), b.loadErrs...), b.warnings...)
	b.analysis.Diagnostics.Sort()
	return b.analysis, nil
}

// sink receives the files of a build: a temporary folder swapped into
// place (output.Dir), or memory in a preview session's incremental update.
type sink interface {
	Write(rel string, data []byte) error
	WriteRaw(rel string, data []byte) error
	MinifyHTML(b []byte) ([]byte, error)
	Path() string
}

// builder holds one build's state.
type builder struct {
	cfg      Config
	langs    *i18n.Set
	site     *content.Site
	layouts  *layout.Set
	assets   map[string]string // "css/site.css" -> "/assets/site.1a2b3c4d.css"
	assetSrc map[string][]byte // URL path -> data
	out      sink
	mem      *memSite // the pages, when Config.InMemory
	warnings diag.List

	mu       sync.Mutex
	pages    map[string]int
	headings map[string]map[string]bool // key + "\x00" + text lang -> ids
	anchors  map[string][]anchorRef     // by linking group key
	linkers  map[string]map[string]bool // target key -> keys of groups linking to it
	docs     map[string][]search.Doc    // search documents by group key (kept only in preview sessions)
	keepDocs bool
	// releaseBodies drops each Markdown source once rendered (Build only:
	// a preview session re-renders pages after edits).
	releaseBodies bool
	files         map[string]bool            // content files linked from bodies, to copy
	sitemap       map[string][]sitemap.Entry // by group key, or "url:"+path
	renderers     sync.Pool
	deskMD        sync.Map // language -> *markdown.Renderer for desk descriptions
	chrome        map[string]*Chrome
	analysis      *Analysis // set by Analyze: render Markdown only, write nothing
	loadErrs      diag.List // errors found while loading
	search        *search.Builder
	desks         *desk.Directory
	guidesFor     map[string][]desk.Link // cache of deskEnv.GuidesFor
	errs          diag.Collector
}

type anchorRef struct {
	path      string
	line, col int
	key       string
	lang      string // language of the text that must have the anchor
	anchor    string
}

func load(cfg Config) (*builder, error) {
	var errs diag.List
	var deskDir *desk.Directory
	root := os.DirFS(cfg.Root)
	langs, ds := i18n.Load(root, "i18n")
	errs = append(errs, ds...)
	if langs == nil || len(langs.All()) == 0 {
		return nil, errs.Err()
	}
	site, ds := content.Load(os.DirFS(cfg.Content), content.Options{
		Root: displayPath(cfg.Content), Langs: langs.Codes(), Drafts: cfg.Drafts, Skip: []string{"desks"},
	})
	errs = append(errs, ds...)
	if langs != nil && dirExists(filepath.Join(cfg.Content, "desks")) {
		dirs, ds := desk.Load(os.DirFS(cfg.Content), "desks", langs.Codes())
		for i := range ds {
			ds[i].Path = displayPath(filepath.Join(cfg.Content, ds[i].Path))
		}
		errs = append(errs, ds...)
		if dirs != nil {
			dirs.Now = cfg.Now
			if dirs.Now.IsZero() {
				dirs.Now = time.Now()
			}
			if err := dirs.UseLayouts(root, "layouts/desk"); err != nil {
				errs = append(errs, diag.Errorf("layouts/desk", 0, "%v", err))
			}
		}
		deskDir = dirs
	}
	lay, err := layout.Parse(root, "layouts", !cfg.NoMinify)
	if err != nil {
		errs = append(errs, diag.Errorf("layouts", 0, "%v", err))
	}
	b := &builder{cfg: cfg, langs: langs, site: site, layouts: lay, desks: deskDir,
		pages: map[string]int{}, headings: map[string]map[string]bool{}, files: map[string]bool{},
		anchors: map[string][]anchorRef{}, linkers: map[string]map[string]bool{}, docs: map[string][]search.Doc{},
		sitemap: map[string][]sitemap.Entry{}}
	b.renderers.New = func() any { return map[string]*markdown.Renderer{} }
	if langs != nil && !cfg.NoSearch {
		b.search = search.NewBuilder(langs.Codes())
	}
	if err := b.loadAssets(root); err != nil {
		errs = append(errs, diag.Errorf("static", 0, "%v", err))
	}
	if lay != nil {
		for _, ref := range lay.Labels() {
			if err := langs.NeedLabel(ref.Key); err != nil {
				errs = append(errs, diag.Errorf(ref.File, ref.Line, "%v", err))
			}
		}
		b.chrome = map[string]*Chrome{}
		for _, l := range langs.All() {
			v := &View{b: b, Lang: l, L: l.Labels}
			c := &Chrome{}
			for name, dst := range map[string]*template.HTML{"chrome-head": &c.Head, "chrome-top": &c.Top, "chrome-nav": &c.Nav, "chrome-foot": &c.Foot} {
				if *dst, err = lay.Fragment(name, v); err != nil {
					errs = append(errs, diag.Errorf("layouts", 0, "%v", err))
				}
			}
			b.chrome[l.Code] = c
		}
	}
	var fatal, warn diag.List
	for _, d := range errs {
		if d.Severity == diag.Warning {
			warn = append(warn, d)
		} else {
			fatal = append(fatal, d)
		}
	}
	b.warnings = warn
	b.loadErrs = fatal
	if lay == nil || site == nil {
		all := append(fatal, warn...)
		all.Sort()
		return nil, all.Err()
	}
	return b, nil
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// loadAssets fingerprints every file under static/.
func (b *builder) loadAssets(root fs.FS) error {
	b.assets, b.assetSrc = map[string]string{}, map[string][]byte{}
	return fs.WalkDir(root, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() || strings.HasSuffix(p, ".test.js") {
			return nil
		}
		data, err := fs.ReadFile(root, p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(data)
		ext := path.Ext(name)
		url := "/assets/" + strings.TrimSuffix(path.Base(name), ext) + "." + hex.EncodeToString(sum[:4]) + ext
		b.assets[name] = url
		b.assetSrc[url] = data
		return nil
	})
}

// Asset returns the fingerprinted URL of a static file.
func (b *builder) Asset(name string) string {
	if u, ok := b.assets[name]; ok {
		return u
	}
	return "/assets/missing/" + name
}

func (b *builder) renderer(cache map[string]*markdown.Renderer, lang string) *markdown.Renderer {
	r := cache[lang]
	if r == nil {
		r = markdown.New(lang)
		r.NoSections = b.search == nil && !b.keepDocs // only the search index reads them
		cache[lang] = r
	}
	return r
}

func (b *builder) countPage(lang string) {
	b.mu.Lock()
	b.pages[lang]++
	b.mu.Unlock()
}

func (b *builder) pagesPerLang() map[string]int {
	b.mu.Lock()
	defer b.mu.Unlock()
	m := make(map[string]int, len(b.pages))
	for k, v := range b.pages {
		m[k] = v
	}
	return m
}

// chain is the fallback chain of lang.
func (b *builder) chain(lang string) []string {
	if l := b.langs.Get(lang); l != nil {
		return l.Fallback
	}
	return []string{i18n.Source}
}

func (b *builder) abs(u string) string { return b.cfg.BaseURL + u }

// renderGroups renders groups in parallel, one worker per core.
func (b *builder) renderGroups(ctx context.Context, groups []*content.Group) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(b.cfg.Jobs)
	for _, grp := range groups {
		spawn(g, gctx, func() error { return b.renderGroup(grp) })
	}
	return g.Wait()
}

// spawn runs f in g unless g's context is already cancelled (a failed
// task then stops the tasks not yet started).
func spawn(g *errgroup.Group, ctx context.Context, f func() error) {
	g.Go(func() error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return f()
	})
}

// write renders everything into b.out: the pages of every content group,
// the desk pages of every language and the files that need only the
// loaded content (special pages, aliases, feeds, desk feeds and embeds) in one pool of workers,
// then the files that need every page (search index, sitemap, ...), side
// by side.
func (b *builder) write(ctx context.Context) error {
	for url, data := range b.assetSrc {
		if err := b.out.Write(url, data); err != nil {
			return err
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(b.cfg.Jobs)
	if b.desks != nil {
		// Desk pages first: each language is one larger task, better
		// started early than left for the end.
		for _, l := range b.langs.All() {
			spawn(g, gctx, func() error { return b.writeDeskPages(l) })
		}
	}
	// The files that need only the loaded content start with the pages,
	// so that they do not add to the tail after the last page.
	for _, f := range []func() error{b.writeSpecialPages, b.writeAliases, b.writeFeeds, b.writeDeskFiles} {
		spawn(g, gctx, f)
	}
	for _, grp := range b.site.Groups {
		spawn(g, gctx, func() error { return b.renderGroup(grp) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	b.checkAnchors()
	if errs := b.errs.List(); errs.Errors() > 0 {
		return append(errs, b.warnings...).Err()
	}
	if b.releaseBodies {
		// A one-off build is done with the link graph: let it go before
		// the search index, the largest structure, is written.
		b.headings, b.anchors, b.linkers = nil, nil, nil
	}
	b.cfg.Logger.Debug("rendered")
	if b.cfg.AfterRender != nil {
		b.cfg.AfterRender()
	}
	g, gctx = errgroup.WithContext(ctx)
	for _, f := range []func() error{b.writeSearch, b.writeSitemap, b.copyFiles} {
		spawn(g, gctx, f)
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if errs := b.errs.List(); errs.Errors() > 0 {
		return errs.Err()
	}
	return nil
}

// targetKey maps a content link target to a group key and a forced
// language (see content.LinkTarget).
func (b *builder) targetKey(target string) (key, lang string) {
	return content.LinkTarget(target, b.langs.Has)
}
