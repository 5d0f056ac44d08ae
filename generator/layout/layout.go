// Package layout parses the site's html/template layouts once and executes
// them per page.
//
// layouts/base.html defines the page chrome as the template "base", which
// calls the block "main". Every other file in layouts/ (home.html,
// list.html, guide.html, page.html, contact.html, search.html, 404.html)
// defines "main" for one kind of page; files in layouts/partials/ define
// shared templates available to all. root.html and alias.html define
// standalone templates named "root" and "alias". Templates are parsed with
// html/template, so every value is escaped for its context; content bodies
// arrive as template.HTML produced by the Markdown renderer, which never
// passes raw HTML through.
package layout

import (
	"bytes"

	"github.com/tdewolff/minify/v2"
	mhtml "github.com/tdewolff/minify/v2/html"

	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"strings"
	"sync"
)

// Set is a parsed set of layouts. It is safe for concurrent use.
type Set struct {
	pages  map[string]*template.Template
	files  map[string]string       // template parse name -> file path
	bufs   freeList[*bytes.Buffer] // template output
	filled freeList[*[]byte]       // output with its slots filled
}

// minifier minifies template source: tdewolff/minify understands Go
// template actions when told their delimiters, so layouts are minified
// once here instead of every page at every build.
var minifier = func() *minify.M {
	m := minify.New()
	m.Add("text/html", &mhtml.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true,
		KeepDefaultAttrVals: true, TemplateDelims: [2]string{"{{", "}}"}})
	return m
}()

func minifySource(b []byte) ([]byte, error) {
	var out bytes.Buffer
	if err := minifier.Minify("text/html", &out, bytes.NewReader(b)); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// Parse reads the layouts in dir of fsys. With minify set, each layout's
// source is minified before parsing.
func Parse(fsys fs.FS, dir string, minify bool) (*Set, error) {
	read := func(p string) ([]byte, error) {
		b, err := fs.ReadFile(fsys, p)
		if err != nil || !minify {
			return b, err
		}
		m, err := minifySource(b)
		if err != nil {
			return nil, fmt.Errorf("%s: minifying: %w", p, err)
		}
		return m, nil
	}
	// A label missing from .L (a misspelt key, or one that needs .T) is an
	// error, not an empty string on every page.
	base := template.New("base").Option("missingkey=error")
	srcs := map[string]string{"base": path.Join(dir, "base.html")}
	if b, err := read(path.Join(dir, "base.html")); err == nil {
		if _, err := base.Parse(string(b)); err != nil {
			return nil, fmt.Errorf("%s: %w", path.Join(dir, "base.html"), err)
		}
	} else {
		return nil, fmt.Errorf("layout: %w", err)
	}
	partials, _ := fs.Glob(fsys, path.Join(dir, "partials", "*.html"))
	for _, p := range partials {
		b, err := read(p)
		if err != nil {
			return nil, fmt.Errorf("layout: %w", err)
		}
		srcs[path.Base(p)] = p
		if _, err := base.New(path.Base(p)).Parse(string(b)); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
	}
	files, err := fs.Glob(fsys, path.Join(dir, "*.html"))
	if err != nil {
		return nil, fmt.Errorf("layout: %w", err)
	}
	s := &Set{pages: map[string]*template.Template{}, files: srcs}
	s.bufs.new = func() *bytes.Buffer { return new(bytes.Buffer) }
	s.filled.new = func() *[]byte { return new([]byte) }
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "base" {
			continue
		}
		b, err := read(f)
		if err != nil {
			return nil, fmt.Errorf("layout: %w", err)
		}
		t, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("layout: %w", err)
		}
		srcs[name+".html"] = f
		if _, err := t.New(name + ".html").Parse(string(b)); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		s.pages[name] = t
	}
	return s, nil
}

// Has reports whether a layout exists.
func (s *Set) Has(name string) bool { _, ok := s.pages[name]; return ok }

// Execute renders the page layout name with data into w. Standalone
// layouts (root, alias) execute their own template; the others execute
// "base" with their "main".
func (s *Set) Execute(w io.Writer, name string, data any) error {
	t, ok := s.pages[name]
	if !ok {
		return fmt.Errorf("layout: no layout %q in layouts/", name)
	}
	entry := "base"
	if t.Lookup(name) != nil && (name == "root" || name == "alias") {
		entry = name
	}
	if err := t.ExecuteTemplate(w, entry, data); err != nil {
		return fmt.Errorf("layout %s: %w", name, err)
	}
	return nil
}

// Fragment executes the shared template name (from base.html or
// partials/) with data and returns the result as trusted HTML.
func (s *Set) Fragment(name string, data any) (template.HTML, error) {
	for _, t := range s.pages {
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, name, data); err != nil {
			return "", fmt.Errorf("layout %s: %w", name, err)
		}
		if sl, ok := data.(Slotter); ok && bytes.IndexByte(buf.Bytes(), 0) >= 0 {
			return template.HTML(fillSlots(nil, buf.Bytes(), sl)), nil
		}
		return template.HTML(buf.String()), nil
	}
	return "", fmt.Errorf("layout: no layouts")
}

// Emit executes a layout into a pooled buffer and hands the result to fn,
// which must not keep the slice: pages go straight to disk without a copy.
// When data is a Slotter, its slots are filled in on the way.
func (s *Set) Emit(name string, data any, fn func([]byte) error) error {
	buf := s.bufs.get()
	buf.Reset()
	defer s.bufs.put(buf)
	if err := s.Execute(buf, name, data); err != nil {
		return err
	}
	out := buf.Bytes()
	if sl, ok := data.(Slotter); ok && bytes.IndexByte(out, 0) >= 0 {
		filled := s.filled.get()
		defer s.filled.put(filled)
		*filled = fillSlots((*filled)[:0], out, sl)
		out = *filled
	}
	return fn(out)
}

// freeList keeps a few buffers for reuse. Unlike a sync.Pool it keeps them
// through garbage collections, so a page's buffer does not grow again from
// nothing after each one: a build makes tens of collections.
type freeList[T any] struct {
	mu   sync.Mutex
	free []T
	new  func() T
}

// maxFree is the most buffers a free list keeps (one per concurrent page
// is enough; more are let go).
const maxFree = 64

func (f *freeList[T]) get() T {
	f.mu.Lock()
	defer f.mu.Unlock()
	if n := len(f.free); n > 0 {
		x := f.free[n-1]
		f.free = f.free[:n-1]
		return x
	}
	return f.new()
}

func (f *freeList[T]) put(x T) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.free) < maxFree {
		f.free = append(f.free, x)
	}
}

// Slotter is layout data that leaves the largest per-page parts of a page
// (the body, lists built in Go) out of the template engine: a method or
// field gives the layout Slot(n) instead of the part, and once the layout
// has run, Emit calls AppendSlot to write part n in its place. The part is
// then built straight into the page, without a string of its own, and is
// not copied through the template engine.
//
// Slots work in HTML element content, where html/template writes
// template.HTML as it is; elsewhere (in an attribute, say) the marker is
// escaped and no part is filled in.
type Slotter interface {
	// AppendSlot appends part n to dst and returns the result.
	AppendSlot(dst []byte, n byte) []byte
}

// Slot returns the marker that stands for part n (1-255) in a layout's
// output: a NUL byte and n. Layout output has no NUL bytes of its own,
// since html/template writes the replacement character for them.
func Slot(n byte) template.HTML { return slotMarkers[n] }

var slotMarkers = func() (m [256]template.HTML) {
	for i := range m {
		m[i] = template.HTML([]byte{0, byte(i)})
	}
	return m
}()

// fillSlots appends src to dst with every slot marker replaced by its part.
func fillSlots(dst, src []byte, sl Slotter) []byte {
	for {
		i := bytes.IndexByte(src, 0)
		if i < 0 || i+1 >= len(src) {
			return append(dst, src...)
		}
		dst = append(dst, src[:i]...)
		dst = sl.AppendSlot(dst, src[i+1])
		src = src[i+2:]
	}
}

// Render executes a layout into a new byte slice.
func (s *Set) Render(name string, data any) (out []byte, err error) {
	err = s.Emit(name, data, func(b []byte) error { out = bytes.Clone(b); return nil })
	return out, err
}
