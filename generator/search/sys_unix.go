//go:build unix

package search

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// mapFile maps the first n bytes of f into memory, read-only, or returns
// nil if the system does not allow it (the caller then reads with
// ReadAt). Write reads back tens of thousands of records and fragments
// from the spill file: from a mapping each is a copy (or no copy at
// all), where ReadAt costs a system call each.
func mapFile(f *os.File, n int64) []byte {
	if n <= 0 || int64(int(n)) != n {
		return nil
	}
	data, err := unix.Mmap(int(f.Fd()), 0, int(n), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return nil
	}
	return data
}

// dropPages lets the system take back the pages of data, a mapping made
// by mapFile, from the process: they stay in the file's page cache, and
// are mapped again (without reading the disk) if read again.
func dropPages(data []byte) {
	unix.Madvise(data, unix.MADV_DONTNEED)
}

// unmapFile undoes mapFile.
func unmapFile(data []byte) {
	if data != nil {
		unix.Munmap(data)
	}
}

// writeFile creates (or truncates) path and writes data with three system
// calls (open, write, close): os.WriteFile also asks the file's type and
// makes an os.File for it (with its cleanup), which for the thousands of
// index files of a site is a sixth of what writing them costs.
func writeFile(path string, data []byte) error {
	const flags = unix.O_WRONLY | unix.O_CREAT | unix.O_TRUNC | unix.O_CLOEXEC
	fd, err := unix.Open(path, flags, 0o644)
	for err == unix.EINTR {
		fd, err = unix.Open(path, flags, 0o644)
	}
	if err != nil {
		return &os.PathError{Op: "open", Path: path, Err: err}
	}
	for len(data) > 0 {
		n, err := unix.Write(fd, data)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			unix.Close(fd)
			return &os.PathError{Op: "write", Path: path, Err: err}
		}
		if n == 0 {
			unix.Close(fd)
			return fmt.Errorf("write %s: %w", path, unix.EIO)
		}
		data = data[n:]
	}
	if err := unix.Close(fd); err != nil {
		return &os.PathError{Op: "close", Path: path, Err: err}
	}
	return nil
}
