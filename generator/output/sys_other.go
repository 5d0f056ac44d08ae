//go:build !linux

package output

import (
	"errors"
	"os"
	"path/filepath"
)

// WriteFile creates (or truncates) path and writes data.
func WriteFile(path string, data []byte) error { return os.WriteFile(path, data, 0o644) }

// Folder is a directory in which WriteFile creates files by a name
// relative to it.
type Folder struct{ path string }

// OpenFolder returns the directory path for WriteFile, checking that it
// is one.
func OpenFolder(path string) (*Folder, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, &os.PathError{Op: "open", Path: path, Err: errors.New("not a directory")}
	}
	return &Folder{path: path}, nil
}

// WriteFile creates (or truncates) name, a slash path relative to the
// folder, and writes data. It is safe for concurrent use.
func (f *Folder) WriteFile(name string, data []byte) error {
	return WriteFile(filepath.Join(f.path, filepath.FromSlash(name)), data)
}

// Close releases the folder.
func (f *Folder) Close() error { return nil }

// exchange is not available here: Commit falls back to two renames.
func exchange(a, b string) error { return errors.ErrUnsupported }
