package generator

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"portal/generator/content"
	"portal/generator/diag"
	"portal/generator/output"
	"portal/generator/search"
)

// Session keeps a site built for preview (portal serve) and brings it up to
// date after files change. It keeps the whole site model in memory, so an
// edit to one guide re-renders only that guide in every language and the
// pages that depend on it (its topic's list, pages whose links to it
// change, the sitemap and feeds), and the search index is rebuilt in the
// background. Changes to layouts, languages, static files or desks rebuild
// everything. Calls are serialised.
type Session struct {
	cfg Config
	mu  sync.Mutex
	b   *builder // state of the last good build; nil before the first

	site       atomic.Pointer[memSite] // pages in memory (Config.InMemory)
	searchMu   sync.Mutex              // serialises background index rebuilds
	searchGen  atomic.Int64
	searchDone chan struct{}
	// live updates the search index written by the last full build with
	// small delta files; nil if that failed (edits then rebuild the index
	// in the background).
	live       *search.Live
	lastSearch time.Duration // time the last edit's index update took (for benchmarks)
}

// NewSession returns a session that builds cfg.
func NewSession(cfg Config) *Session {
	cfg.defaults()
	return &Session{cfg: cfg}
}

// Config returns the session's configuration (with defaults filled in).
func (s *Session) Config() Config { return s.cfg }

// Rebuild brings the output directory up to date after the files in
// changed (paths as reported by the file watcher) were created, written or
// removed; a nil changed means everything. Result.Changed lists the site
// paths that changed (nil after a full build: everything may have). On
// error the previous output stays in place and the error holds every
// problem found, as for Build.
func (s *Session) Rebuild(ctx context.Context, changed []string) (*Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.b != nil && changed != nil {
		if rels, ok := s.contentOnly(changed); ok {
			return s.update(ctx, rels)
		}
	}
	return s.full(ctx)
}

// WaitSearch blocks until the background search index rebuild started by
// the last Rebuild has finished or given way to a newer one (for tests and
// benchmarks).
func (s *Session) WaitSearch() {
	s.mu.Lock()
	done := s.searchDone
	s.mu.Unlock()
	if done != nil {
		<-done
	}
}

func (s *Session) full(ctx context.Context) (*Result, error) {
	start := time.Now()
	b, err := loadChecked(ctx, s.cfg)
	if err != nil {
		return nil, err
	}
	b.keepDocs = true
	if b.search != nil {
		b.search.KeepForUpdates()
	}
	out, err := b.publish(ctx)
	if err != nil {
		return nil, err
	}
	if err := b.writeContactData(); err != nil {
		return nil, err
	}
	s.live = nil
	if b.search != nil {
		if s.live = b.search.Live(); s.live != nil {
			s.live.SetDir(s.cfg.Out) // the site was written elsewhere and moved here
		}
	}
	b.search = nil // written; later edits update it through s.live (or rebuild it from b.docs)
	ip := output.InPlace(s.cfg.Out)
	ip.Minify = !s.cfg.NoMinify
	b.out = ip
	files, size := out.Files(), out.Bytes()
	if b.mem != nil {
		b.mem.disk = ip // later edits write beside the pages in memory
		b.out = b.mem
		files, size = files+b.mem.count.Load(), size+b.mem.size.Load()
	}
	s.b = b
	s.site.Store(b.mem)
	return &Result{Pages: b.pagesPerLang(), Files: files, Bytes: size, Elapsed: time.Since(start), Warnings: b.warnings}, nil
}

// contentOnly returns the changed paths relative to the content folder if
// they are all guide, page or home texts (not desks, not other folders).
func (s *Session) contentOnly(changed []string) ([]string, bool) {
	root, err := filepath.Abs(s.cfg.Content)
	if err != nil {
		return nil, false
	}
	var rels []string
	for _, c := range changed {
		abs, err := filepath.Abs(c)
		if err != nil {
			return nil, false
		}
		rel, err := filepath.Rel(root, abs)
		if err != nil || strings.HasPrefix(rel, "..") {
			return nil, false
		}
		rel = filepath.ToSlash(rel)
		if st, err := os.Stat(abs); err == nil && st.IsDir() {
			return nil, false // a new folder: rescan everything
		}
		if !strings.HasSuffix(rel, ".md") {
			if strings.HasPrefix(path0(rel), ".") || strings.HasSuffix(rel, "~") || strings.HasSuffix(rel, ".swp") {
				continue // editor scratch files
			}
			return nil, false // an image or other file: links may change
		}
		if strings.HasPrefix(rel, "desks/") {
			return nil, false
		}
		rels = append(rels, rel)
	}
	slices.Sort(rels)
	return slices.Compact(rels), true
}

func path0(rel string) string { return filepath.Base(rel) }

// update applies content edits incrementally.
func (s *Session) update(ctx context.Context, rels []string) (*Result, error) {
	start := time.Now()
	b := s.b
	fsys := os.DirFS(s.cfg.Content)
	opt := content.Options{Root: b.site.Root, Langs: b.langs.Codes(), Drafts: s.cfg.Drafts, Skip: []string{"desks"}}

	// 1. Load the changed files into copies of their groups.
	var errs diag.List
	newGroups := map[string]*content.Group{}
	langSetChanged := map[string]bool{}
	for _, rel := range rels {
		id, ds := content.Identify(rel, opt)
		if id == nil {
			if _, err := fs.Stat(fsys, rel); err == nil {
				errs = append(errs, ds...)
			}
			continue
		}
		g := newGroups[id.Key]
		if g == nil {
			g = &content.Group{Key: id.Key, Kind: id.Kind, Topic: id.Topic, Slug: id.Slug, ByLang: map[string]*content.Page{}}
			if old := b.site.ByKey[id.Key]; old != nil {
				for l, p := range old.ByLang {
					g.ByLang[l] = p
				}
			}
			newGroups[id.Key] = g
		}
		_, had := g.ByLang[id.Lang]
		if _, err := fs.Stat(fsys, rel); errors.Is(err, fs.ErrNotExist) {
			delete(g.ByLang, id.Lang)
			if had {
				langSetChanged[id.Key] = true
			}
			continue
		}
		p, ds := content.LoadFile(fsys, rel, opt)
		errs = append(errs, ds...)
		if p == nil {
			continue
		}
		if p.Meta.Draft && !s.cfg.Drafts {
			delete(g.ByLang, id.Lang)
			if had {
				langSetChanged[id.Key] = true
			}
			continue
		}
		if !had {
			langSetChanged[id.Key] = true
		}
		g.ByLang[id.Lang] = p
	}
	var fatal diag.List
	for _, d := range errs {
		if d.Severity == diag.Error {
			fatal = append(fatal, d)
		}
	}
	if len(fatal) > 0 {
		fatal.Sort()
		return nil, fatal.Err()
	}

	// 2. Install the new groups, keeping the old ones to restore on error.
	oldGroups := map[string]*content.Group{}
	install := func(gs map[string]*content.Group) {
		for key, g := range gs {
			if g == nil || len(g.ByLang) == 0 {
				delete(b.site.ByKey, key)
			} else {
				b.site.ByKey[key] = g
			}
		}
		b.site.Groups = b.site.Groups[:0]
		for _, g := range b.site.ByKey {
			b.site.Groups = append(b.site.Groups, g)
		}
		sort.Slice(b.site.Groups, func(i, j int) bool { return b.site.Groups[i].Key < b.site.Groups[j].Key })
	}
	for key := range newGroups {
		oldGroups[key] = b.site.ByKey[key]
	}
	install(newGroups)

	// 3. Decide what to render: the changed groups, their topic lists,
	// the home and index pages when a topic text changed, and the pages
	// linking to a group whose languages changed.
	render := map[string]bool{}
	specials := false
	var removed []*content.Group
	for key, g := range newGroups {
		if len(g.ByLang) == 0 {
			if old := oldGroups[key]; old != nil {
				removed = append(removed, old)
			}
		} else {
			render[key] = true
		}
		switch g.Kind {
		case content.Guide:
			if metaChanged(map[string]*content.Group{key: oldGroups[key]}, map[string]*content.Group{key: g}) {
				render["guides/"+g.Topic] = true // titles and summaries are listed there
			}
		case content.Topic:
			render["home"], render["guides"] = true, true
			specials = true
		}
		if langSetChanged[key] {
			for from := range b.linkers[key] {
				render[from] = true
			}
		}
	}
	mem := &memSink{dir: b.out}
	prevOut := b.out
	b.out = mem
	b.errs = diag.Collector{}
	var keys []string
	var groups []*content.Group
	for key := range render {
		if grp := b.site.ByKey[key]; grp != nil {
			keys = append(keys, key)
			groups = append(groups, grp)
		}
	}
	err := b.renderGroups(ctx, groups)
	if err == nil {
		b.checkAnchors()
	}
	if err == nil && specials {
		err = b.writeSpecialPages()
	}
	// Aliases, feeds and the sitemap depend only on front matter and on
	// which translations exist: an edit to a body leaves them as they are.
	if metaChanged(oldGroups, newGroups) {
		for _, f := range []func() error{b.writeAliases, b.writeFeeds, b.writeSitemap} {
			if err == nil {
				err = f()
			}
		}
	}
	b.out = prevOut
	if err == nil {
		if errs := b.errs.List(); errs.Errors() > 0 {
			err = errs.Err()
		}
	}
	if err != nil {
		// Put the previous content back: the served site was not touched.
		install(oldGroups)
		for _, key := range keys {
			if grp := b.site.ByKey[key]; grp != nil {
				_ = b.rerecord(grp)
			}
		}
		return nil, err
	}

	// 4. Publish: write what changed, remove pages of deleted content.
	var changedURLs []string
	for _, rel := range mem.order {
		if err := prevOut.WriteRaw(rel, mem.files[rel]); err != nil {
			return nil, err
		}
		changedURLs = append(changedURLs, sitePath(rel))
	}
	for _, old := range removed {
		for _, l := range b.langs.All() {
			u := old.URL(l.Code)
			if err := prevOut.(remover).Remove(u + "index.html"); err != nil {
				return nil, err
			}
			changedURLs = append(changedURLs, u)
		}
		b.mu.Lock()
		delete(b.sitemap, old.Key)
		delete(b.anchors, old.Key)
		delete(b.docs, old.Key)
		b.mu.Unlock()
	}
	s.updateSearch(keys, removed)
	sort.Strings(changedURLs)
	return &Result{Pages: map[string]int{}, Files: int64(len(mem.order)), Elapsed: time.Since(start), Changed: changedURLs, Warnings: errs}, nil
}

// metaChanged reports whether an update changes what aliases, feeds and
// the sitemap are made of: pages added or removed, titles, summaries,
// review dates or aliases.
func metaChanged(old, cur map[string]*content.Group) bool {
	for key, g := range cur {
		o := old[key]
		if o == nil || len(o.ByLang) != len(g.ByLang) {
			return true
		}
		for lang, p := range g.ByLang {
			op := o.ByLang[lang]
			if op == nil || op.Meta.Title != p.Meta.Title || op.Meta.Description != p.Meta.Description ||
				!op.Reviewed.Equal(p.Reviewed) || !slices.Equal(op.Meta.Aliases, p.Meta.Aliases) {
				return true
			}
		}
	}
	return false
}

// rerecord re-renders a group into memory only, to restore its link and
// anchor records after a failed update.
func (b *builder) rerecord(g *content.Group) error {
	prev := b.out
	b.out = &memSink{dir: prev}
	defer func() { b.out = prev }()
	return b.renderGroup(g)
}

// updateSearch brings the search index up to date after an edit: the
// pages of the rendered keys are replaced and those of removed groups
// dropped through delta files (milliseconds), or, without a Live, the
// index is rebuilt in the background.
func (s *Session) updateSearch(keys []string, removed []*content.Group) {
	start := time.Now()
	defer func() { s.lastSearch = time.Since(start) }()
	if s.live == nil {
		s.rebuildSearch()
		return
	}
	b := s.b
	err := func() error {
		for _, key := range keys {
			b.mu.Lock()
			docs := slices.Clone(b.docs[key])
			b.mu.Unlock()
			if err := s.live.Replace(key, docs); err != nil {
				return err
			}
		}
		for _, g := range removed {
			if err := s.live.Replace(g.Key, nil); err != nil {
				return err
			}
		}
		return nil
	}()
	if err != nil {
		s.cfg.Logger.Warn("search index: rebuilding it after a failed update", "error", err)
		s.live = nil
		s.rebuildSearch()
	}
}

// searchQuiet is how long the search index waits after an edit before it
// is rebuilt: editors save in bursts, and the rebuild competes with the
// next edit for the same cores.
const searchQuiet = 700 * time.Millisecond

// rebuildSearch rebuilds the search index from the kept documents in the
// background, once edits pause, and writes it into the served folder.
func (s *Session) rebuildSearch() {
	b := s.b
	gen := s.searchGen.Add(1)
	done := make(chan struct{})
	s.searchDone = done
	out := s.cfg.Out
	langs := b.langs.Codes()
	logger := s.cfg.Logger
	go func() {
		defer close(done)
		time.Sleep(searchQuiet)
		if gen != s.searchGen.Load() {
			return // a newer edit will rebuild it
		}
		s.searchMu.Lock()
		defer s.searchMu.Unlock()
		var docs []search.Doc
		b.mu.Lock()
		for _, ds := range b.docs {
			docs = append(docs, ds...)
		}
		b.mu.Unlock()
		sb := search.NewBuilder(langs)
		for i, d := range docs {
			if i%256 == 0 && gen != s.searchGen.Load() {
				return
			}
			sb.Add(d)
		}
		if gen != s.searchGen.Load() {
			return
		}
		if _, err := sb.Write(out); err != nil {
			logger.Warn("search index not updated", "error", err)
		}
	}()
}

// memSink collects an incremental update's files so nothing is published
// unless the whole update succeeds.
type memSink struct {
	dir   sink
	mu    sync.Mutex
	files map[string][]byte
	order []string
}

func (m *memSink) Write(rel string, data []byte) error {
	if d, ok := m.dir.(interface {
		MinifyFile(rel string, data []byte) ([]byte, error)
	}); ok {
		if min, err := d.MinifyFile(rel, data); err == nil {
			data = min
		}
	}
	return m.WriteRaw(rel, data)
}

// remover is a sink that can delete files (the site of a session).
type remover interface{ Remove(rel string) error }

// FS returns the site a preview session serves: its folder on disk, with
// the pages in memory over it when Config.InMemory is set. It may be
// called at any time, also during a rebuild; it returns nil before the
// first successful build.
func (s *Session) FS() fs.FS {
	if m := s.site.Load(); m != nil {
		return m.FS(s.cfg.Out)
	}
	return os.DirFS(s.cfg.Out)
}

func (m *memSink) WriteRaw(rel string, data []byte) error {
	rel = strings.TrimPrefix(rel, "/")
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.files == nil {
		m.files = map[string][]byte{}
	}
	if _, ok := m.files[rel]; !ok {
		m.order = append(m.order, rel)
	}
	m.files[rel] = bytes.Clone(data) // callers reuse their buffers
	return nil
}

func (m *memSink) MinifyHTML(b []byte) ([]byte, error) { return m.dir.MinifyHTML(b) }
func (m *memSink) Path() string                        { return m.dir.Path() }

// sitePath turns an output file path into the page address it serves.
func sitePath(rel string) string {
	rel = "/" + rel
	if strings.HasSuffix(rel, "/index.html") {
		return strings.TrimSuffix(rel, "index.html")
	}
	return rel
}
