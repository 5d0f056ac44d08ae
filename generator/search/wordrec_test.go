package search

import (
	"encoding/binary"
	"math"
	"testing"
)

// TestAppendUvarint checks appendUvarint against binary.AppendUvarint
// around every length boundary.
func TestAppendUvarint(t *testing.T) {
	var vs []uint64
	for shift := 0; shift < 64; shift++ {
		for _, d := range []int64{-2, -1, 0, 1, 2} {
			vs = append(vs, uint64(int64(1)<<shift+d))
		}
	}
	vs = append(vs, 0, math.MaxUint32, math.MaxUint64)
	for _, v := range vs {
		want := binary.AppendUvarint([]byte{9}, v)
		if got := appendUvarint([]byte{9}, v); string(got) != string(want) {
			t.Errorf("appendUvarint(%d) = %x, want %x", v, got, want)
		}
	}
}
