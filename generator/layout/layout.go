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
	pages map[string]*template.Template
	files map[string]string // template parse name -> file path
	pool  sync.Pool
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
	s.pool.New = func() any { return new(bytes.Buffer) }
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
		return template.HTML(buf.String()), nil
	}
	return "", fmt.Errorf("layout: no layouts")
}

// Emit executes a layout into a pooled buffer and hands the result to fn,
// which must not keep the slice: pages go straight to disk without a copy.
func (s *Set) Emit(name string, data any, fn func([]byte) error) error {
	buf := s.pool.Get().(*bytes.Buffer)
	buf.Reset()
	defer s.pool.Put(buf)
	if err := s.Execute(buf, name, data); err != nil {
		return err
	}
	return fn(buf.Bytes())
}

// Render executes a layout into a new byte slice.
func (s *Set) Render(name string, data any) (out []byte, err error) {
	err = s.Emit(name, data, func(b []byte) error { out = bytes.Clone(b); return nil })
	return out, err
}
