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
