package search

import (
	"bufio"
	"cmp"
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

// spillBatch holds stretches of the temporary file read at once, for
// the records or fragments of a group of consecutive pages: Write's
// language builds read them page by page in URL order, in which they
// mostly lie one after another in the file (texts are analysed about
// in the order they are added), so that a group's 64 records or
// fragments come in a few reads instead of one each (on the 10k bench
// corpus, 3,810 records and fragments a language in about 65 stretches;
// a read of its own cost a system call, a microsecond or more, for each).
type spillBatch struct {
	buf   []byte
	spans []spillSpan // in file order
	refs  []spillSpan // scratch for prefetch
}

// spillSpan is a stretch of the file, [off, off+n), held in
// spillBatch.buf from at on.
type spillSpan struct {
	off int64
	n   int
	at  int
}

// batchGap is the largest gap between two refs that prefetch reads
// with them rather than in two reads: copying 8 KB costs less than a
// system call of its own.
const batchGap = 8 << 10

// prefetch reads the stretches of the file that hold refs (those held
// in the file; nil ones are skipped) into sb, replacing what it held.
// Safe for concurrent use after flush, each caller with its own batch.
func (s *spill) prefetch(sb *spillBatch, refs []*fragRef) error {
	sb.spans, sb.refs = sb.spans[:0], sb.refs[:0]
	for _, ref := range refs {
		if ref != nil && ref.mem == nil && ref.n > 0 {
			sb.refs = append(sb.refs, spillSpan{off: ref.off, n: int(ref.n)})
		}
	}
	if len(sb.refs) == 0 {
		return nil
	}
	slices.SortFunc(sb.refs, func(x, y spillSpan) int { return cmp.Compare(x.off, y.off) })
	size := 0
	for _, r := range sb.refs {
		if k := len(sb.spans) - 1; k >= 0 && r.off <= sb.spans[k].off+int64(sb.spans[k].n)+batchGap {
			sp := &sb.spans[k]
			end := max(sp.off+int64(sp.n), r.off+int64(r.n))
			size += int(end-sp.off) - sp.n
			sp.n = int(end - sp.off)
			continue
		}
		sb.spans = append(sb.spans, spillSpan{off: r.off, n: r.n, at: size})
		size += r.n
	}
	if cap(sb.buf) < size {
		// With room to spare: the groups' stretches differ in size by
		// a few KB, and growing to each larger one just enough made a
		// new buffer for a good part of the groups (4.6 MB a Write).
		sb.buf = make([]byte, size, size+size/2)
	}
	sb.buf = sb.buf[:size]
	at := 0
	for k := range sb.spans {
		sp := &sb.spans[k]
		sp.at = at
		if _, err := s.file.f.ReadAt(sb.buf[at:at+sp.n], sp.off); err != nil {
			sb.spans = sb.spans[:0]
			return fmt.Errorf("search: reading back result fragments: %w", err)
		}
		at += sp.n
	}
	return nil
}

// get returns the bytes of ref if sb holds them. They are sb's, valid
// until the next prefetch, and must not be changed.
func (sb *spillBatch) get(ref *fragRef) ([]byte, bool) {
	if sb == nil || ref.mem != nil || ref.n == 0 {
		return nil, false
	}
	k, _ := slices.BinarySearchFunc(sb.spans, ref.off, func(sp spillSpan, off int64) int {
		return cmp.Compare(sp.off, off)
	})
	// The span that starts at ref.off or the last one before it.
	if k == len(sb.spans) || sb.spans[k].off != ref.off {
		k--
	}
	if k < 0 {
		return nil, false
	}
	sp := sb.spans[k]
	if from := ref.off - sp.off; from+int64(ref.n) <= int64(sp.n) {
		return sb.buf[sp.at+int(from) : sp.at+int(from)+int(ref.n)], true
	}
	return nil, false
}
