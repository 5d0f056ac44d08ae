package search

import (
	"encoding/binary"
	"math"
	"math/rand"
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

// TestAppendTerms checks appendTerms against appendTerm and readTerm on
// accumulators with small and large ids, counts and sections, with and
// without a title bonus.
func TestAppendTerms(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	big := []uint32{0, 1, 127, 128, 1<<14 - 1, 1 << 14, 1<<21 - 1, 1 << 21, math.MaxUint32}
	var accs []acc
	for i := range 2000 {
		e := acc{id: uint32(r.Intn(1 << 20)), wtf: uint32(r.Intn(50) + 1), best: int32(r.Intn(40))}
		switch i % 7 {
		case 1:
			e.ttl = titleBonus
		case 2:
			e.id = big[r.Intn(len(big))]
		case 3:
			e.wtf = big[r.Intn(len(big))] >> 1
		case 4:
			e.best = int32(r.Intn(1 << 17)) // past a section number's 16 bits
		case 5:
			e.best = int32(big[r.Intn(5)]) // one byte or two, at the edge (appendTerms' whole records)
		}
		accs = append(accs, e)
	}
	var want []byte
	for _, e := range accs {
		want = appendTerm(want, termStat{id: e.id, wtf: e.wtf, sec: uint16(min(e.best, 0xFFFF)), ttl: e.ttl})
	}
	got := appendTerms([]byte{}, accs)
	if string(got) != string(want) {
		t.Fatalf("appendTerms differs from appendTerm (%d and %d bytes)", len(got), len(want))
	}
	for i, rest := 0, got; len(rest) > 0; i++ {
		var ts termStat
		ts, rest = readTerm(rest)
		e := accs[i]
		if ts.id != e.id || ts.wtf != e.wtf || ts.ttl != e.ttl || ts.sec != uint16(min(e.best, 0xFFFF)) {
			t.Fatalf("term %d reads back as %+v from %+v", i, ts, e)
		}
	}
}

// appendTerm appends t's record to an analysis' terms, one record at a
// time: the reference appendTerms is checked against.
func appendTerm(b []byte, t termStat) []byte {
	b = appendUvarint(b, uint64(t.id))
	if t.ttl == 0 {
		b = appendUvarint(b, uint64(t.wtf)<<1)
	} else {
		b = appendUvarint(b, uint64(t.wtf)<<1|1)
		b = append(b, t.ttl)
	}
	return appendUvarint(b, uint64(t.sec))
}
