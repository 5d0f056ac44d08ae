package search

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
)

// spill holds result fragments from Add to Write in a temporary file, so
// that the text of thousands of pages does not stay in memory while the
// rest of the site is built. If no temporary file can be made, fragments
// stay in memory.
type spill struct {
	mu      sync.Mutex
	memOnly bool // keep fragments in memory (set by tests)
	file    *spillFile
	w       *bufio.Writer
	off     int64
	failed  bool // the temporary file could not be created
}

// spillFile is the open temporary file; it is closed (and so, being
// already unlinked where the system allows, deleted) when the builder is
// garbage collected.
type spillFile struct {
	f    *os.File
	name string // still to remove: the system did not allow unlinking it while open
}

// fragRef locates one fragment.
type fragRef struct {
	off int64
	n   uint32
	mem []byte // the fragment itself when it is not in the file
}

func newSpill() *spill { return &spill{} }

// add stores a copy of data and points ref at it.
func (s *spill) add(ref *fragRef, data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.file == nil && !s.failed && !s.memOnly {
		f, err := os.CreateTemp("", "portal-search-*.tmp")
		if err != nil {
			s.failed = true
		} else {
			sf := &spillFile{f: f}
			if os.Remove(f.Name()) != nil {
				sf.name = f.Name()
			}
			s.file = sf
			s.w = bufio.NewWriterSize(f, 256<<10)
			runtime.AddCleanup(s, func(sf *spillFile) {
				sf.f.Close()
				if sf.name != "" {
					os.Remove(sf.name)
				}
			}, sf)
		}
	}
	if s.file == nil {
		ref.mem = slices.Clone(data)
		return nil
	}
	if _, err := s.w.Write(data); err != nil {
		return fmt.Errorf("storing result fragment in %s: %w", s.file.f.Name(), err)
	}
	ref.off, ref.n = s.off, uint32(len(data))
	s.off += int64(len(data))
	return nil
}

// flush makes everything added readable with read and view.
func (s *spill) flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.w == nil {
		return nil
	}
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("search: storing result fragments: %w", err)
	}
	return nil
}

// read appends the fragment ref points at to buf, without its first skip
// bytes. Safe for concurrent use after flush.
func (s *spill) read(buf []byte, ref *fragRef, skip int) ([]byte, error) {
	if ref.mem != nil || ref.n == 0 {
		return append(buf, ref.mem[min(skip, len(ref.mem)):]...), nil
	}
	skip = min(skip, int(ref.n))
	from, to := ref.off+int64(skip), ref.off+int64(ref.n)
	n := len(buf)
	buf = slices.Grow(buf, int(to-from))[:n+int(to-from)]
	if _, err := s.file.f.ReadAt(buf[n:], from); err != nil {
		return buf[:n], fmt.Errorf("search: reading back result fragments: %w", err)
	}
	return buf, nil
}

// view returns the fragment ref points at: itself where it is held in
// memory, else read into scratch, which it returns too, grown, for the
// next call. The fragment must not be changed. Safe for concurrent use
// after flush.
func (s *spill) view(ref *fragRef, scratch []byte) (data, buf []byte, err error) {
	if ref.mem != nil || ref.n == 0 {
		return ref.mem, scratch, nil
	}
	scratch = slices.Grow(scratch[:0], int(ref.n))[:ref.n]
	if _, err := s.file.f.ReadAt(scratch, ref.off); err != nil {
		return nil, scratch, fmt.Errorf("search: reading back result fragments: %w", err)
	}
	return scratch, scratch, nil
}
