package output

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// WriteFile creates (or truncates) path and writes data with three system
// calls. os.WriteFile costs about eight on Linux (it registers each file
// with the runtime poller and sets it non-blocking), which adds up over
// the tens of thousands of files of a site.
func WriteFile(path string, data []byte) error {
	return writeAt(unix.AT_FDCWD, "", path, data)
}

// writeAt creates (or truncates) name, relative to the directory dirfd,
// and writes data; dir, the directory's path ("" for the working
// directory), names the file in errors.
func writeAt(dirfd int, dir, name string, data []byte) error {
	path := func() string {
		if dir == "" {
			return name
		}
		return dir + "/" + name
	}
	fd, err := unix.Openat(dirfd, name, unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC|unix.O_CLOEXEC, 0o644)
	for err == unix.EINTR {
		fd, err = unix.Openat(dirfd, name, unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC|unix.O_CLOEXEC, 0o644)
	}
	if err != nil {
		return fmt.Errorf("open %s: %w", path(), err)
	}
	for len(data) > 0 {
		n, err := unix.Write(fd, data)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			unix.Close(fd)
			return fmt.Errorf("write %s: %w", path(), err)
		}
		data = data[n:]
	}
	if err := unix.Close(fd); err != nil {
		return fmt.Errorf("close %s: %w", path(), err)
	}
	return nil
}

// Folder is an open directory in which WriteFile creates files by a
// name relative to it: the kernel then resolves only that name, not the
// whole path from the root again for every file (about a tenth of the
// cost of creating a small file on tmpfs, for thousands of index files).
type Folder struct {
	fd   int
	path string
}

// OpenFolder opens the directory path for WriteFile. Close it when done.
func OpenFolder(path string) (*Folder, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	for err == unix.EINTR {
		fd, err = unix.Open(path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &Folder{fd: fd, path: path}, nil
}

// WriteFile creates (or truncates) name, a path relative to the folder,
// and writes data, as the package's WriteFile does. It is safe for
// concurrent use.
func (f *Folder) WriteFile(name string, data []byte) error {
	return writeAt(f.fd, f.path, name, data)
}

// Close closes the folder.
func (f *Folder) Close() error {
	if err := unix.Close(f.fd); err != nil {
		return fmt.Errorf("close %s: %w", f.path, err)
	}
	return nil
}

// exchange swaps the directories a and b in one step, so there is no
// moment without a site.
func exchange(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}
