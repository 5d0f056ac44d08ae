package search

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// titleAddRef is the titles table's front coding as it was first
// written, a character at a time: the reference TestTitleTableAdd
// checks titleTable.add against.
func titleAddRef(prev, raw []byte) (k, units int) {
	for k < len(raw) && k < len(prev) {
		r, n := utf8.DecodeRune(raw[k:])
		if units+utf16Len(r) > 63 || !bytes.Equal(raw[k:k+n], prev[k:min(k+n, len(prev))]) || raw[k] == '\\' {
			break
		}
		k += n
		units += utf16Len(r)
	}
	return k, units
}

// TestTitleTableAdd front-codes random URLs made of ASCII, escapes,
// two- to four-byte characters and bytes that are no UTF-8, many of
// them sharing long beginnings, and checks each against titleAddRef.
func TestTitleTableAdd(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	parts := []string{"a", "b", "/", "-", `\"`, `\\`, "à", "è", "ł", "中", "💡", "𝄞", "\xff", "\xe2\x82", "guides/"}
	var tt titleTable
	var prev []byte
	for i := range 4000 {
		var raw []byte
		if i > 0 && r.IntN(4) > 0 {
			raw = append(raw, prev[:r.IntN(len(prev)+1)]...) // a beginning of the one before
		}
		for range r.IntN(40) {
			raw = append(raw, parts[r.IntN(len(parts))]...)
		}
		k, units := titleAddRef(prev, raw)
		before := len(tt.urls)
		tt.add(append(append([]byte{'"'}, raw...), '"'), []byte(`"t"`))
		got := tt.urls[before:]
		if before > 0 {
			got = got[1:] // the comma
		}
		want := append(append([]byte{'"', alphabet[units]}, raw[k:]...), '"')
		if !bytes.Equal(got, want) {
			t.Fatalf("URL %d %q after %q: coded %q, want %q", i, raw, prev, got, want)
		}
		prev = raw
	}
}
