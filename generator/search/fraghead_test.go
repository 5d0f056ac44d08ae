package search

import (
	"bytes"
	"testing"
)

// TestAppendFragmentHead checks that a fragment's start and rest, as
// fragWriter.group takes them (see fragPiece), make the fragment that
// appendFragment gives, and that restTitle finds its title where
// fragmentTitle does, for fragments read into the buffer (no batch),
// taken from a prefetched batch, and held in memory.
func TestAppendFragmentHead(t *testing.T) {
	f := loadFixture(t)
	for _, memOnly := range []bool{false, true} {
		b := NewBuilder(f.Langs)
		b.frags.memOnly = memOnly
		for _, d := range f.Docs {
			b.Add(d)
		}
		b.drain()
		if err := b.frags.flush(); err != nil {
			t.Fatal(err)
		}
		var sb spillBatch
		var refs []*fragRef
		for _, d := range b.docs {
			refs = append(refs, &d.a.frag)
		}
		if err := b.frags.prefetch(&sb, refs); err != nil {
			t.Fatal(err)
		}
		for _, batch := range []*spillBatch{nil, &sb} {
			for _, d := range b.docs {
				prefix := "/" + d.lang + "/"
				whole, err := b.appendFragment([]byte("x"), d, prefix)
				if err != nil {
					t.Fatal(err)
				}
				head, rest, err := b.appendFragmentHead([]byte("x"), d, prefix, batch)
				if err != nil {
					t.Fatal(err)
				}
				if wantRest := memOnly || batch != nil; (rest != nil) != wantRest {
					t.Errorf("memOnly %v, batch %v: %s: rest %v, want %v", memOnly, batch != nil, d.url, rest != nil, wantRest)
				}
				if got := append(bytes.Clone(head), rest...); !bytes.Equal(got, whole) {
					t.Fatalf("memOnly %v, batch %v: %s: start and rest\n%.200s\nwant\n%.200s", memOnly, batch != nil, d.url, got, whole)
				}
				title, err := fragmentTitle(whole[1:])
				if err != nil {
					t.Fatal(err)
				}
				if rest != nil {
					got, err := restTitle(rest)
					if err != nil || !bytes.Equal(got, title) {
						t.Errorf("%s: restTitle = %q, %v; want %q", d.url, got, err, title)
					}
				}
			}
		}
	}
	// A rest that does not start with the title is searched, as a
	// whole fragment is.
	for _, c := range []struct{ rest, want string }{
		{`"t":"a","s":"b"`, `"a"`},
		{`"x":1,"t":"c"`, `"c"`},
		{`"t":1`, ""},
		{`"x":1`, ""},
	} {
		got, err := restTitle([]byte(c.rest))
		if string(got) != c.want || (err == nil) != (c.want != "") {
			t.Errorf("restTitle(%s) = %q, %v; want %q", c.rest, got, err, c.want)
		}
	}
}
