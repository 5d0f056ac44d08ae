//go:build !unix

package search

import "os"

// mapFile returns nil: files are read back with ReadAt here.
func mapFile(f *os.File, n int64) []byte { return nil }

// dropPages does nothing here (see mapFile).
func dropPages(data []byte) {}

// unmapFile undoes mapFile.
func unmapFile(data []byte) {}

// writeFile creates (or truncates) path and writes data.
func writeFile(path string, data []byte) error { return os.WriteFile(path, data, 0o644) }
