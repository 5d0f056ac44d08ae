//go:build !linux

package output

import (
	"errors"
	"os"
)

// WriteFile creates (or truncates) path and writes data.
func WriteFile(path string, data []byte) error { return os.WriteFile(path, data, 0o644) }

// exchange is not available here: Commit falls back to two renames.
func exchange(a, b string) error { return errors.ErrUnsupported }
