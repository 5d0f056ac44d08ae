package search

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
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
	// mapped is the file up to the end of what the first flush after
	// anything was added had written, mapped into memory (see mapFile),
	// or nil. Fragments added after it (Live) are read with ReadAt.
	mapped atomic.Pointer[[]byte]
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
				if m := sf.mapped.Load(); m != nil {
					unmapFile(*m)
				}
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

// flush makes everything added readable with read and view. The first
// flush maps the file into memory, where the system allows it.
func (s *spill) flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.w == nil {
		return nil
	}
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("search: storing result fragments: %w", err)
	}
	if s.file.mapped.Load() == nil {
		if m := mapFile(s.file.f, s.off); m != nil {
			s.file.mapped.Store(&m)
		}
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
	if m := s.file.mapped.Load(); m != nil && to <= int64(len(*m)) {
		return append(buf, (*m)[from:to]...), nil
	}
	n := len(buf)
	buf = slices.Grow(buf, int(to-from))[:n+int(to-from)]
	if _, err := s.file.f.ReadAt(buf[n:], from); err != nil {
		return buf[:n], fmt.Errorf("search: reading back result fragments: %w", err)
	}
	return buf, nil
}

// drop lets the system take back the pages of the file's mapping that
// reads have brought into the process (see dropPages): mapped pages
// count in its resident memory, and a builder kept after Write (a
// preview server's, see Live) would go on holding every page of the
// file (60 MB on the bench corpus) where reading with ReadAt held none.
// Write drops them when its language builds are done. (Dropping them
// after each build would not lower the peak: the versions of a page in
// the site's languages are added one after another, so that the texts
// of any one language are spread over the whole file. It cost 10 ms
// of CPU a Write, in the call and in the pages mapped again.)
func (s *spill) drop() {
	if s.file == nil {
		return
	}
	if m := s.file.mapped.Load(); m != nil {
		dropPages(*m)
	}
}

// view returns the fragment ref points at: in memory where it can
// (held in memory, or in the file's mapping), else read into scratch,
// which it returns too, grown, for the next call. The fragment must not
// be changed, and not be used once the builder is gone. Safe for
// concurrent use after flush.
func (s *spill) view(ref *fragRef, scratch []byte) (data, buf []byte, err error) {
	if ref.mem != nil || ref.n == 0 {
		return ref.mem, scratch, nil
	}
	if m := s.file.mapped.Load(); m != nil && ref.off+int64(ref.n) <= int64(len(*m)) {
		return (*m)[ref.off : ref.off+int64(ref.n)], scratch, nil
	}
	scratch = slices.Grow(scratch[:0], int(ref.n))[:ref.n]
	if _, err := s.file.f.ReadAt(scratch, ref.off); err != nil {
		return nil, scratch, fmt.Errorf("search: reading back result fragments: %w", err)
	}
	return scratch, scratch, nil
}
