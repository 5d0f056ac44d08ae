package search

import (
	"bytes"
	"fmt"
	"testing"
)

// TestSpillRead stores fragments, reads them back whole and without
// their first bytes, with view and read, from memory and from the
// temporary file, including fragments added after the first flush (as
// Live adds them).
func TestSpillRead(t *testing.T) {
	for _, memOnly := range []bool{false, true} {
		s := newSpill()
		s.memOnly = memOnly
		var data [][]byte
		var refs []*fragRef
		add := func(n int) {
			for range n {
				k := len(data)
				d := []byte(fmt.Sprintf(`{"x":%d,"s":"%s"}`, k, bytes.Repeat([]byte{'a' + byte(k%26)}, k*37%5000)))
				ref := &fragRef{}
				if err := s.add(ref, d); err != nil {
					t.Fatal(err)
				}
				data, refs = append(data, d), append(refs, ref)
			}
		}
		check := func(stage string) {
			t.Helper()
			var scratch []byte
			for i, ref := range refs {
				var got []byte
				var err error
				got, scratch, err = s.view(ref, scratch)
				if err != nil || !bytes.Equal(got, data[i]) {
					t.Fatalf("memOnly %v, %s: view of fragment %d = %.40q, %v; want %.40q", memOnly, stage, i, got, err, data[i])
				}
				for _, skip := range []int{0, 1, len(data[i]), len(data[i]) + 3} {
					got, err := s.read([]byte("prefix"), ref, skip)
					want := append([]byte("prefix"), data[i][min(skip, len(data[i])):]...)
					if err != nil || !bytes.Equal(got, want) {
						t.Fatalf("memOnly %v, %s: read of fragment %d skipping %d = %.40q, %v; want %.40q", memOnly, stage, i, skip, got, err, want)
					}
				}
			}
		}
		add(300)
		if err := s.flush(); err != nil {
			t.Fatal(err)
		}
		if !memOnly && s.file == nil {
			t.Fatal("no temporary file")
		}
		check("after the first flush")
		add(50) // after a flush, as Live adds them
		if err := s.flush(); err != nil {
			t.Fatal(err)
		}
		check("after more fragments")
	}
}

// TestSpillBatch prefetches sets of fragments (in any order, with
// fragments held in memory and refs to skip among them) and checks that
// the batch gives back each fetched fragment byte for byte, none that
// was not fetched, and reads fragments close together in one stretch
// but not those far apart.
func TestSpillBatch(t *testing.T) {
	s := newSpill()
	var data [][]byte
	var refs []*fragRef
	add := func(n, size int) {
		for range n {
			k := len(data)
			d := bytes.Repeat([]byte{'a' + byte(k%26)}, size+k%7)
			ref := &fragRef{}
			if err := s.add(ref, d); err != nil {
				t.Fatal(err)
			}
			data, refs = append(data, d), append(refs, ref)
		}
	}
	add(10, 100)       // 0-9: close together
	add(1, 3*batchGap) // 10: a large one, which the next ones are far from
	add(10, 200)       // 11-20
	add(1, 0)          // 21: empty
	if err := s.flush(); err != nil {
		t.Fatal(err)
	}
	mem := &fragRef{mem: []byte("in memory")}
	for _, c := range []struct {
		name  string
		fetch []int // indexes into refs; -1 for nil, -2 for the in-memory ref
		spans int
	}{
		{"none", nil, 0},
		{"one", []int{3}, 1},
		{"neighbours out of order", []int{5, 2, 3, 4, 0}, 1},
		{"gaps below batchGap", []int{0, 2, 4, 6, 8}, 1},
		{"far apart", []int{1, 15}, 2},
		{"across the large one", []int{9, 10, 11}, 1},
		{"skipped refs", []int{-1, 12, -2, 21, 13}, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			var sb spillBatch
			var want []*fragRef
			in := map[*fragRef]bool{}
			for _, k := range c.fetch {
				switch k {
				case -1:
					want = append(want, nil)
				case -2:
					want = append(want, mem)
				default:
					want = append(want, refs[k])
					in[refs[k]] = true
				}
			}
			if err := s.prefetch(&sb, want); err != nil {
				t.Fatal(err)
			}
			if len(sb.spans) != c.spans {
				t.Errorf("%d stretches read, want %d", len(sb.spans), c.spans)
			}
			for k, ref := range refs {
				got, ok := sb.get(ref)
				switch {
				case in[ref] && len(data[k]) > 0 && (!ok || !bytes.Equal(got, data[k])):
					t.Errorf("fragment %d = %.20q, %v; want %.20q", k, got, ok, data[k])
				case !in[ref] && ok && !bytes.Equal(got, data[k]):
					t.Errorf("fragment %d not fetched, but got %.20q", k, got)
				}
			}
			if _, ok := sb.get(mem); ok {
				t.Error("a fragment held in memory was found in the batch")
			}
		})
	}
	var none *spillBatch
	if _, ok := none.get(refs[0]); ok {
		t.Error("a nil batch holds a fragment")
	}
}

// BenchmarkSpillRead reads back 1,920 fragments of about 3.7 KB, each
// after its text's records of about 1.5 KB as Add stores them, in groups
// of 64 pages, as Write's language builds read them: one read each
// ("each") or a few stretches a group (spillBatch, "batch").
func BenchmarkSpillRead(b *testing.B) {
	s := newSpill()
	var frags []*fragRef
	for k := range 1920 {
		rec, frag := &fragRef{}, &fragRef{}
		if err := s.add(rec, bytes.Repeat([]byte{'r'}, 1200+k*37%600)); err != nil {
			b.Fatal(err)
		}
		if err := s.add(frag, bytes.Repeat([]byte{'f'}, 3000+k*53%1400)); err != nil {
			b.Fatal(err)
		}
		frags = append(frags, frag)
	}
	if err := s.flush(); err != nil {
		b.Fatal(err)
	}
	var buf []byte
	var sb spillBatch
	for _, c := range []string{"each", "batch"} {
		b.Run(c, func(b *testing.B) {
			for range b.N {
				for g := 0; g < len(frags); g += fragGroup {
					group := frags[g:min(g+fragGroup, len(frags))]
					if c == "batch" {
						if err := s.prefetch(&sb, group); err != nil {
							b.Fatal(err)
						}
					}
					buf = buf[:0]
					for _, ref := range group {
						if f, ok := sb.get(ref); ok && c == "batch" {
							buf = append(buf, f[1:]...)
							continue
						}
						var err error
						if buf, err = s.read(buf, ref, 1); err != nil {
							b.Fatal(err)
						}
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(frags)), "ns/fragment")
		})
	}
}
