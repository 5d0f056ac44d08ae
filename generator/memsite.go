package generator

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"portal/generator/output"
)

// memSite keeps a preview session's pages in memory (Config.InMemory):
// the tens of thousands of files of a large site are not written to disk
// at start-up, nor rewritten on disk after each edit. Files that parts of
// the build write on their own (the search index, the desk feeds) go to
// the disk folder, which FS shows underneath. It is safe for concurrent
// use: files are replaced, never changed in place.
type memSite struct {
	disk *output.Dir // the folder under the pages; also the minifier

	mu    sync.RWMutex
	files map[string]memFile // slash path inside the site -> file
	dirs  map[string]bool    // every folder that holds a file, "." included
	count atomic.Int64
	size  atomic.Int64
}

type memFile struct {
	data []byte
	mod  time.Time
}

func newMemSite(disk *output.Dir) *memSite {
	return &memSite{disk: disk, files: map[string]memFile{}, dirs: map[string]bool{".": true}}
}

// Write stores data at rel, minified by its extension.
func (m *memSite) Write(rel string, data []byte) error {
	min, err := m.disk.MinifyFile(rel, data)
	if err != nil {
		return err
	}
	return m.WriteRaw(rel, min)
}

// WriteRaw stores a copy of data at rel (callers reuse their buffers).
func (m *memSite) WriteRaw(rel string, data []byte) error {
	rel = strings.TrimPrefix(rel, "/")
	if !fs.ValidPath(rel) || rel == "." {
		return fmt.Errorf("output: bad path %q", rel)
	}
	f := memFile{data: bytes.Clone(data), mod: time.Now()}
	m.mu.Lock()
	m.files[rel] = f
	for d := path.Dir(rel); !m.dirs[d]; d = path.Dir(d) {
		m.dirs[d] = true
	}
	m.mu.Unlock()
	m.count.Add(1)
	m.size.Add(int64(len(data)))
	return nil
}

// Remove deletes rel, from memory or from the disk folder.
func (m *memSite) Remove(rel string) error {
	rel = strings.TrimPrefix(rel, "/")
	m.mu.Lock()
	_, ok := m.files[rel]
	delete(m.files, rel)
	m.mu.Unlock()
	if ok {
		return nil
	}
	return m.disk.Remove(rel)
}

func (m *memSite) MinifyHTML(b []byte) ([]byte, error) { return m.disk.MinifyHTML(b) }
func (m *memSite) MinifyFile(rel string, data []byte) ([]byte, error) {
	return m.disk.MinifyFile(rel, data)
}
func (m *memSite) Path() string { return m.disk.Path() }

// FS returns the site as served: the pages in memory over the disk folder
// dir. It implements fs.StatFS and fs.ReadFileFS.
func (m *memSite) FS(dir string) fs.FS { return &memFS{m: m, disk: os.DirFS(dir)} }

type memFS struct {
	m    *memSite
	disk fs.FS
}

func (f *memFS) lookup(name string) (memFile, bool, bool) {
	f.m.mu.RLock()
	defer f.m.mu.RUnlock()
	file, ok := f.m.files[name]
	return file, ok, f.m.dirs[name]
}

func (f *memFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	file, ok, dir := f.lookup(name)
	switch {
	case ok:
		return &openMem{info: memInfo{name: path.Base(name), size: int64(len(file.data)), mod: file.mod}, r: bytes.NewReader(file.data)}, nil
	case dir:
		return &openDir{openMem: openMem{info: memInfo{name: path.Base(name), dir: true}, r: bytes.NewReader(nil)}, fsys: f, name: name}, nil
	}
	return f.disk.Open(name)
}

// openDir is an open folder that lists what is in memory and on disk.
type openDir struct {
	openMem
	fsys    *memFS
	name    string
	entries []fs.DirEntry
	read    bool
}

func (d *openDir) ReadDir(n int) ([]fs.DirEntry, error) {
	if !d.read {
		es, err := d.fsys.ReadDir(d.name)
		if err != nil {
			return nil, err
		}
		d.entries, d.read = es, true
	}
	if n <= 0 {
		es := d.entries
		d.entries = nil
		return es, nil
	}
	if len(d.entries) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(d.entries))
	es := d.entries[:n]
	d.entries = d.entries[n:]
	return es, nil
}

func (f *memFS) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	file, ok, dir := f.lookup(name)
	switch {
	case ok:
		return memInfo{name: path.Base(name), size: int64(len(file.data)), mod: file.mod}, nil
	case dir:
		return memInfo{name: path.Base(name), dir: true}, nil
	}
	return fs.Stat(f.disk, name)
}

func (f *memFS) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrInvalid}
	}
	if file, ok, _ := f.lookup(name); ok {
		return bytes.Clone(file.data), nil
	}
	return fs.ReadFile(f.disk, name)
}

// ReadDir lists a folder: its files and folders in memory and on disk.
func (f *memFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrInvalid}
	}
	prefix := name + "/"
	if name == "." {
		prefix = ""
	}
	seen := map[string]fs.DirEntry{}
	f.m.mu.RLock()
	inMem := f.m.dirs[name]
	for p, file := range f.m.files {
		if rest, ok := strings.CutPrefix(p, prefix); ok && !strings.Contains(rest, "/") {
			seen[rest] = fs.FileInfoToDirEntry(memInfo{name: rest, size: int64(len(file.data)), mod: file.mod})
		}
	}
	for d := range f.m.dirs {
		if rest, ok := strings.CutPrefix(d, prefix); ok && d != "." && !strings.Contains(rest, "/") {
			seen[rest] = fs.FileInfoToDirEntry(memInfo{name: rest, dir: true})
		}
	}
	f.m.mu.RUnlock()
	disk, err := fs.ReadDir(f.disk, name)
	if err != nil && !inMem {
		return nil, err
	}
	for _, e := range disk {
		if _, ok := seen[e.Name()]; !ok {
			seen[e.Name()] = e
		}
	}
	out := make([]fs.DirEntry, 0, len(seen))
	for _, e := range seen {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

type openMem struct {
	info memInfo
	r    *bytes.Reader
}

func (o *openMem) Stat() (fs.FileInfo, error) { return o.info, nil }
func (o *openMem) Read(p []byte) (int, error) {
	if o.info.dir {
		return 0, &fs.PathError{Op: "read", Path: o.info.name, Err: fs.ErrInvalid}
	}
	return o.r.Read(p)
}
func (o *openMem) Seek(off int64, whence int) (int64, error) { return o.r.Seek(off, whence) }
func (o *openMem) Close() error                              { return nil }

var (
	_ io.ReadSeeker  = (*openMem)(nil)
	_ fs.ReadDirFile = (*openDir)(nil)
	_ fs.ReadDirFS   = (*memFS)(nil)
	_ fs.ReadFileFS  = (*memFS)(nil)
	_ fs.StatFS      = (*memFS)(nil)
)

type memInfo struct {
	name string
	size int64
	mod  time.Time
	dir  bool
}

func (i memInfo) Name() string       { return i.name }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) ModTime() time.Time { return i.mod }
func (i memInfo) IsDir() bool        { return i.dir }
func (i memInfo) Sys() any           { return nil }
func (i memInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o755
	}
	return 0o644
}
