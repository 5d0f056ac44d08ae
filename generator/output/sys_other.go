//go:build !linux

package output

import (
	"errors"
	"os"
)

// writeFile creates (or truncates) path and writes data.
func writeFile(path string, data []byte) error { return os.WriteFile(path, data, 0o644) }

// exchange is not available here: Commit falls back to two renames.
func exchange(a, b string) error { return errors.ErrUnsupported }
