// Package output writes a site into a fresh directory beside the
// destination and swaps it into place only when the whole build succeeded,
// so a failed build leaves the previous site exactly as it was. Text files
// pass through tdewolff/minify on the way.
package output

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/tdewolff/minify/v2"
	mcss "github.com/tdewolff/minify/v2/css"
	mhtml "github.com/tdewolff/minify/v2/html"
	mjs "github.com/tdewolff/minify/v2/js"
	mjson "github.com/tdewolff/minify/v2/json"
	msvg "github.com/tdewolff/minify/v2/svg"
	mxml "github.com/tdewolff/minify/v2/xml"
)

// Dir is a build in progress: files go into a temporary directory next to
// the final one until Commit.
type Dir struct {
	final string
	tmp   string
	min   *minify.M
	dirs  sync.Map
	files atomic.Int64
	bytes atomic.Int64
	// Minify turns minification on (off in tests that compare readable output).
	Minify bool
	// Background makes Commit return as soon as the new site is in place
	// and delete the replaced one in the background: a preview server
	// serves at once instead of waiting for tens of thousands of unlinks.
	Background bool
	inPlace    bool
}

// Begin starts a build whose output will replace dir.
func Begin(dir string) (*Dir, error) {
	dir = filepath.Clean(dir)
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-")
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	return &Dir{final: dir, tmp: tmp, min: newMinifier(), Minify: true}, nil
}

func newMinifier() *minify.M {
	m := minify.New()
	m.Add("text/html", &mhtml.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true, KeepDefaultAttrVals: true})
	m.AddFunc("text/css", mcss.Minify)
	m.AddFunc("application/javascript", mjs.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`[/+]json$`), mjson.Minify)
	m.AddFunc("image/svg+xml", msvg.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`[/+]xml$`), mxml.Minify)
	return m
}

// InPlace returns a Dir that writes straight into dir, each file through a
// temporary file renamed over the old one, so a reader never sees a
// half-written file. It serves incremental updates of a preview site;
// Commit and Abort do nothing.
func InPlace(dir string) *Dir {
	d := &Dir{final: dir, tmp: dir, min: newMinifier(), Minify: true, inPlace: true}
	return d
}

// Path returns the temporary directory files are written to.
func (d *Dir) Path() string { return d.tmp }

// Files returns the number of files written so far.
func (d *Dir) Files() int64 { return d.files.Load() }

// Bytes returns the number of bytes written so far.
func (d *Dir) Bytes() int64 { return d.bytes.Load() }

var mediaTypes = map[string]string{
	".html": "text/html", ".css": "text/css", ".js": "application/javascript",
	".json": "application/json", ".geojson": "application/geo+json",
	".webmanifest": "application/manifest+json", ".svg": "image/svg+xml",
	".xml": "application/xml",
}

// MinifyFile minifies data by the extension of rel, or returns it as is
// for other files.
func (d *Dir) MinifyFile(rel string, data []byte) ([]byte, error) {
	mt, ok := mediaTypes[filepath.Ext(rel)]
	if !ok || !d.Minify {
		return data, nil
	}
	var buf bytes.Buffer
	buf.Grow(len(data))
	if err := d.min.Minify(mt, &buf, bytes.NewBuffer(data)); err != nil {
		return nil, fmt.Errorf("output: minifying %s: %w", rel, err)
	}
	return buf.Bytes(), nil
}

// Write writes data to rel (a slash path inside the site), minified by its
// extension when minification is on. It is safe for concurrent use.
func (d *Dir) Write(rel string, data []byte) error {
	if d.Minify {
		if mt, ok := mediaTypes[filepath.Ext(rel)]; ok {
			var buf bytes.Buffer
			buf.Grow(len(data))
			if err := d.min.Minify(mt, &buf, bytes.NewBuffer(data)); err != nil {
				return fmt.Errorf("output: minifying %s: %w", rel, err)
			}
			data = buf.Bytes()
		}
	}
	return d.WriteRaw(rel, data)
}

// WriteRaw writes data to rel unchanged.
func (d *Dir) WriteRaw(rel string, data []byte) error {
	rel = strings.TrimPrefix(rel, "/")
	if rel == "" || strings.Contains(rel, "..") {
		return fmt.Errorf("output: bad path %q", rel)
	}
	p := filepath.Join(d.tmp, filepath.FromSlash(rel))
	dir := filepath.Dir(p)
	if _, ok := d.dirs.Load(dir); !ok {
		if err := d.mkdirs(dir); err != nil {
			return fmt.Errorf("output: %w", err)
		}
	}
	if d.inPlace {
		tmp := p + ".tmp~"
		if err := WriteFile(tmp, data); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		if err := os.Rename(tmp, p); err != nil {
			return fmt.Errorf("output: %w", err)
		}
	} else if err := WriteFile(p, data); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	d.files.Add(1)
	d.bytes.Add(int64(len(data)))
	return nil
}

// mkdirs creates dir and its missing parents. Unlike os.MkdirAll it tries
// mkdir first: almost every directory of a site is new and its parent
// already made, so this costs one system call instead of three.
func (d *Dir) mkdirs(dir string) error {
	if _, ok := d.dirs.Load(dir); ok {
		return nil
	}
	err := os.Mkdir(dir, 0o755)
	if errors.Is(err, os.ErrNotExist) {
		if err := d.mkdirs(filepath.Dir(dir)); err != nil {
			return err
		}
		err = os.Mkdir(dir, 0o755)
	}
	if err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	d.dirs.Store(dir, true)
	return nil
}

// Minifier returns the minifier, for callers that stream.
func (d *Dir) Minifier() *minify.M { return d.min }

// Remove deletes rel (a file) from the site, for incremental updates.
func (d *Dir) Remove(rel string) error {
	rel = strings.TrimPrefix(rel, "/")
	if rel == "" || strings.Contains(rel, "..") {
		return fmt.Errorf("output: bad path %q", rel)
	}
	err := os.Remove(filepath.Join(d.tmp, filepath.FromSlash(rel)))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// Commit swaps the new site into place and removes the previous one.
func (d *Dir) Commit() error {
	if d.inPlace {
		return nil
	}
	if _, err := os.Lstat(d.final); errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(d.tmp, d.final); err != nil {
			return fmt.Errorf("output: publishing %s: %w", d.final, err)
		}
		return nil
	}
	// Swap both directories in one step where the kernel allows it, so
	// there is no moment without a site.
	err := exchange(d.tmp, d.final)
	if err != nil {
		old := d.tmp + ".old"
		if err := os.Rename(d.final, old); err != nil {
			return fmt.Errorf("output: moving the previous site aside: %w", err)
		}
		if err := os.Rename(d.tmp, d.final); err != nil {
			_ = os.Rename(old, d.final)
			return fmt.Errorf("output: publishing %s: %w", d.final, err)
		}
		return d.discard(old)
	}
	// d.tmp now holds the previous site.
	return d.discard(d.tmp)
}

// discard removes a replaced site, at once or in the background.
func (d *Dir) discard(dir string) error {
	if d.Background {
		go removeAll(dir) //nolint:errcheck // best effort: a leftover folder is only disk space
		return nil
	}
	return removeAll(dir)
}

// removeAll removes dir, deleting its top-level entries in parallel: a
// site has tens of thousands of files and unlinking them one by one is a
// large share of a rebuild.
func removeAll(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return os.RemoveAll(dir)
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	errc := make(chan error, len(entries))
	for _, e := range entries {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				errc <- err
			}
		}()
	}
	wg.Wait()
	close(errc)
	if err := <-errc; err != nil {
		return err
	}
	return os.RemoveAll(dir)
}

// MinifyHTML minifies an HTML fragment or page.
func (d *Dir) MinifyHTML(b []byte) ([]byte, error) {
	if !d.Minify {
		return b, nil
	}
	var buf bytes.Buffer
	buf.Grow(len(b))
	if err := d.min.Minify("text/html", &buf, bytes.NewBuffer(b)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Abort discards the build, leaving the previous site untouched.
func (d *Dir) Abort() error {
	if d.inPlace {
		return nil
	}
	return removeAll(d.tmp)
}
