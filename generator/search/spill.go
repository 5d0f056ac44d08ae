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

// flush makes everything added readable with read.
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

// read appends the fragment ref points at to buf. Safe for concurrent
// use after flush.
func (s *spill) read(buf []byte, ref *fragRef) ([]byte, error) {
	if ref.mem != nil || ref.n == 0 {
		return append(buf, ref.mem...), nil
	}
	n := len(buf)
	buf = slices.Grow(buf, int(ref.n))[:n+int(ref.n)]
	if _, err := s.file.f.ReadAt(buf[n:], ref.off); err != nil {
		return buf[:n], fmt.Errorf("search: reading back result fragments: %w", err)
	}
	return buf, nil
}
