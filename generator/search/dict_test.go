package search

import (
	"fmt"
	"math/rand"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// dictKeys returns n distinct keys of varied lengths and scripts,
// including the empty string, ones that end exactly at block boundaries
// and ones longer than a block.
func dictKeys(n int) []string {
	keys := []string{"", "a", "permesso", "soggiorno", "تجديد", "居留", "żółć", strings.Repeat("x", blockSize),
		strings.Repeat("y", blockSize+1), strings.Repeat("z", 3*blockSize-7)}
	for i := 0; len(keys) < n; i++ {
		keys = append(keys, fmt.Sprintf("w%d-%s", i, strings.Repeat("é", i%23)))
	}
	return keys[:n]
}

func TestStrStore(t *testing.T) {
	tests := []struct {
		name string
		keys []string
	}{
		{"empty string first", []string{"", "a", ""}},
		{"one byte short of a block, then more", []string{strings.Repeat("a", blockSize-1), "bc", "d"}},
		{"exactly a block", []string{"a", strings.Repeat("b", blockSize), "", "c"}},
		{"longer than a block", []string{"a", strings.Repeat("b", 2*blockSize+5), "", "c", strings.Repeat("d", blockSize+1), "e"}},
		{"many", dictKeys(50000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s strStore
			locs := make([]strLoc, len(tt.keys))
			for i, k := range tt.keys {
				locs[i] = s.add(k)
				if locs[i]>>63 != 0 {
					t.Fatalf("add(%.20q) = %#x: top bit set", k, locs[i])
				}
			}
			for i, k := range tt.keys {
				if got := s.get(locs[i]); got != k {
					t.Fatalf("get(%d) = %.20q (%d bytes), want %.20q (%d bytes)", i, got, len(got), k, len(k))
				}
			}
		})
	}
}

// TestStrStoreKeepsStrings checks that strings returned by get stay as
// they are while many more are added (the blocks must never move).
func TestStrStoreKeepsStrings(t *testing.T) {
	var s strStore
	keys := dictKeys(20000)
	got := make([]string, len(keys))
	for i, k := range keys {
		got[i] = s.get(s.add(k))
	}
	for i, k := range keys {
		if got[i] != k {
			t.Fatalf("string %d became %.20q, want %.20q", i, got[i], k)
		}
	}
}

func TestStrIndex(t *testing.T) {
	constHash := func(string) uint32 { return 0xdeadbeef }
	lowHash := func(s string) uint32 { return strHash(s) & 0xff } // same slot and few distinct hash bits
	tests := []struct {
		name string
		n    int
		hash func(string) uint32
	}{
		{"few", 10, strHash},
		{"many, through growth", 200000, strHash},
		{"every hash the same", 2000, constHash},
		{"colliding slots and hash bits", 20000, lowHash},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s strStore
			var x strIndex
			var locs []strLoc
			keys := dictKeys(tt.n)
			// Index every other key only: the others are in the
			// store but must not be found.
			for i, k := range keys {
				num := uint32(len(locs))
				locs = append(locs, s.add(k))
				if i%2 == 0 {
					if _, ok := x.find(&s, locs, k, tt.hash(k)); ok {
						t.Fatalf("find(%.20q) before insert found it", k)
					}
					x.insert(num, tt.hash(k))
				}
			}
			if want := (len(keys) + 1) / 2; x.n != want {
				t.Errorf("n = %d, want %d", x.n, want)
			}
			if 4*x.n > 3*len(x.slots) {
				t.Errorf("%d keys in %d slots: more than three quarters full", x.n, len(x.slots))
			}
			for i, k := range keys {
				num, ok := x.find(&s, locs, k, tt.hash(k))
				if i%2 == 1 {
					if ok {
						t.Fatalf("find(%.20q) = %d, not inserted", k, num)
					}
					continue
				}
				if !ok || num != uint32(i) {
					t.Fatalf("find(%.20q) = %d, %v; want %d, true", k, num, ok, i)
				}
			}
			for _, k := range []string{"absent", "w1-", strings.Repeat("x", blockSize-1)} {
				if num, ok := x.find(&s, locs, k, tt.hash(k)); ok {
					t.Errorf("find(%.20q) = %d, want not found", k, num)
				}
			}
		})
	}
}

func TestStrIndexEmpty(t *testing.T) {
	var s strStore
	var x strIndex
	locs := []strLoc{s.add("")}
	if _, ok := x.find(&s, locs, "", strHash("")); ok {
		t.Fatal("empty index found the empty string")
	}
	x.insert(0, strHash(""))
	if num, ok := x.find(&s, locs, "", strHash("")); !ok || num != 0 {
		t.Fatalf("find(\"\") = %d, %v; want 0, true", num, ok)
	}
}

func TestCodeTab(t *testing.T) {
	var c codeTab
	keys := dictKeys(30000)
	for i, k := range keys {
		if !c.add(k, uint32(i)*7) {
			t.Fatalf("add(%.20q) reported it present", k)
		}
	}
	for i, k := range keys {
		if c.add(k, 1) {
			t.Fatalf("second add(%.20q) reported it new", k)
		}
		if code, ok := c.find(k); !ok || code != uint32(i)*7 {
			t.Fatalf("find(%.20q) = %d, %v; want %d, true (the first code kept)", k, code, ok, i*7)
		}
	}
	if code, ok := c.find("absent"); ok {
		t.Fatalf("find(absent) = %d, want not found", code)
	}
}

// TestBuilderWordID checks the builder's dictionary as the analyser uses
// it: the same id for the same word, Han and pair terms kept out of it.
func TestBuilderWordID(t *testing.T) {
	b := NewBuilder([]string{"it"})
	a := b.wordID("permesso")
	if got := b.wordID(strings.Clone("permesso")); got != a {
		t.Errorf("wordID again = %d, want %d", got, a)
	}
	h := b.hanID(nil, hanKey('居', '留'), "居留")
	if got := b.wordID("居留"); got == h {
		t.Errorf("wordID of a Han bigram's text = the Han term %d: Han terms must stay out of dict", h)
	}
	p := b.pairIDs(nil, []uint64{uint64(a)<<32 | uint64(b.wordID("soggiorno"))})[0]
	e := b.wordID("")
	if e == p {
		t.Errorf("wordID(\"\") = the pair term %d: pairs must stay out of dict", p)
	}
	for id, want := range map[uint32]string{a: "permesso", h: "居留", p: "permesso soggiorno", e: ""} {
		if got := b.termString(id); got != want {
			t.Errorf("termString(%d) = %q, want %q", id, got, want)
		}
	}
	if b.numTerms() != 6 {
		t.Errorf("numTerms = %d, want 6 (permesso, 居留, soggiorno, pair, 居留 as a word, empty)", b.numTerms())
	}
}

// TestHanOwner checks that Han terms keep one id each whichever worker
// numbers them: the first worker's own (hanOwner, without hanDict), after
// another worker asks for some, and after the first one forgets its
// table.
func TestHanOwner(t *testing.T) {
	b := NewBuilder([]string{"zh"})
	w1, w2 := newWorker(b), newWorker(b)
	keys := map[uint32]string{}
	for _, s := range []string{"居留", "许可", "续签", "国籍", "申请", "签证", "居", "留"} {
		r := []rune(s)
		if len(r) == 1 {
			r = append(r, 0)
		}
		keys[hanKey(r[0], r[1])] = s
	}
	ids := map[uint32]uint32{}
	for k, s := range keys {
		ids[k] = w1.hanTerm(s, k).id
	}
	if b.hanOwner != w1 || b.hanDict.n != 0 || w1.han.n != len(keys) {
		t.Fatalf("after one worker: owner %p (want %p), %d in hanDict (want 0), %d in its table (want %d)", b.hanOwner, w1, b.hanDict.n, w1.han.n, len(keys))
	}
	b.release(w1)
	b.release(w2) // last in, but the owner comes out first
	if got := b.worker(); got != w1 {
		t.Errorf("worker() = %p, want the owner %p", got, w1)
	}
	check := func(w *worker, when string) {
		t.Helper()
		for k, s := range keys {
			if got := w.hanTerm(s, k).id; got != ids[k] {
				t.Errorf("%s: %q has id %d, want %d", when, s, got, ids[k])
			}
			if got := b.termString(ids[k]); got != s {
				t.Errorf("%s: term %d is %q, want %q", when, ids[k], got, s)
			}
		}
	}
	check(w2, "another worker")
	if b.hanOwner != nil || b.hanDict.n != len(keys) {
		t.Fatalf("after another worker: owner %p, %d in hanDict; want none, %d", b.hanOwner, b.hanDict.n, len(keys))
	}
	w1.reset()
	check(w1, "the first worker after reset")
	if n := b.numTerms(); n != len(keys) {
		t.Errorf("numTerms = %d, want %d", n, len(keys))
	}

	// The owner forgetting its table hands its terms to hanDict too.
	b = NewBuilder([]string{"zh"})
	w1 = newWorker(b)
	k := hanKey('居', '留')
	id := w1.hanTerm("居留", k).id
	w1.reset()
	if b.hanOwner != nil || b.hanDict.find(k).id != id {
		t.Fatalf("after the owner's reset: owner %p, hanDict id %d; want none, %d", b.hanOwner, b.hanDict.find(k).id, id)
	}
	if got := w1.hanTerm("居留", k).id; got != id || b.numTerms() != 1 {
		t.Errorf("after reset: id %d (want %d), %d terms (want 1)", got, id, b.numTerms())
	}
}

// TestHanOwnerConcurrent has a second worker number Han terms while the
// owner of the Han terms goes on analysing Chinese text, so that the
// second worker ends the ownership (reading the owner's table) while the
// owner counts occurrences in it; run with -race. Every Han key must end
// with one id, the same in both workers' tables, spelling the key's
// characters.
func TestHanOwnerConcurrent(t *testing.T) {
	b := NewBuilder([]string{"zh"})
	st := b.stemmerFor("zh")
	chars := []rune("居留许可续签国籍申请签证护照家庭团聚工作学习")
	text := func(r *rand.Rand) string {
		var sb strings.Builder
		for range 200 {
			if r.Intn(9) == 0 {
				sb.WriteByte(' ')
			}
			sb.WriteRune(chars[r.Intn(len(chars))])
		}
		return sb.String()
	}
	w1, w2 := newWorker(b), newWorker(b)
	started := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		r := rand.New(rand.NewSource(1))
		for i := range 400 {
			if i == 20 {
				close(started) // w1 owns the Han terms by now
			}
			w1.analyseDoc(st, &Doc{Title: text(r), Sections: []Section{{Text: text(r)}}}, &analysis{})
		}
	})
	wg.Go(func() {
		<-started
		r := rand.New(rand.NewSource(2))
		for range 400 {
			w2.analyseDoc(st, &Doc{Title: text(r), Sections: []Section{{Text: text(r)}}}, &analysis{})
		}
	})
	wg.Wait()
	if b.hanOwner != nil {
		t.Fatalf("owner %p after another worker numbered Han terms; want none", b.hanOwner)
	}
	ids := map[uint32]uint32{}   // key -> id
	keyOf := map[uint32]uint32{} // id -> key
	for _, w := range []*worker{w1, w2} {
		for _, e := range w.han.ents {
			if e.key == 0 {
				continue
			}
			if id, ok := ids[e.key]; ok && id != e.id {
				t.Fatalf("key %#x has ids %d and %d", e.key, id, e.id)
			}
			if k, ok := keyOf[e.id]; ok && k != e.key {
				t.Fatalf("id %d has keys %#x and %#x", e.id, k, e.key)
			}
			ids[e.key], keyOf[e.id] = e.id, e.key
			r := []rune(b.termString(e.id))
			if len(r) == 1 {
				r = append(r, 0)
			}
			if len(r) != 2 || hanKey(r[0], r[1]) != e.key {
				t.Fatalf("id %d spells %q, not the characters of key %#x", e.id, b.termString(e.id), e.key)
			}
		}
	}
	if b.hanDict.n < w1.han.n {
		t.Errorf("%d terms in hanDict, fewer than the %d the owner numbered", b.hanDict.n, w1.han.n)
	}
}

// TestHanOwnerCopy checks that the owner's Han terms, copied into
// hanDict when another worker asks, keep their ids, and that hanDict
// made room for them all before the copy: they come in the order of the
// owner's slots, which a smaller table with the same hash turns into
// long runs that every insertion walks (BenchmarkAddCorpus/all took
// twice as long).
func TestHanOwnerCopy(t *testing.T) {
	b := NewBuilder([]string{"zh"})
	w1, w2 := newWorker(b), newWorker(b)
	ids := map[uint32]uint32{}
	for a := rune(0x4E00); len(ids) < 100000; a++ {
		for c := rune(0x4E00); c < 0x4E00+50; c++ {
			k := hanKey(a, c)
			ids[k] = w1.hanTerm(string([]rune{a, c}), k).id
		}
	}
	if b.hanOwner != w1 {
		t.Fatalf("owner %p, want %p", b.hanOwner, w1)
	}
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	w2.hanTerm("居留", hanKey('居', '留')) // ends w1's ownership
	runtime.ReadMemStats(&m1)
	// hanDict's table once, w2's own table, a block for the new term's
	// text: growing hanDict as the keys came took six allocations more.
	if n := m1.Mallocs - m0.Mallocs; n > 4 {
		t.Errorf("ending the ownership made %d allocations, want at most 4 (hanDict grown once)", n)
	}
	for k, id := range ids {
		if e := b.hanDict.find(k); e.key != k || e.id != id {
			t.Fatalf("hanDict has %#x with id %d (key %#x); want id %d", k, e.id, e.key, id)
		}
	}
}

// TestHanTabReserve checks that a table given room for n keys takes n
// keys without moving.
func TestHanTabReserve(t *testing.T) {
	for _, n := range []int{1, 3071, 3072, 3073, 50000} {
		var tab hanTab
		tab.insert(1)
		tab.reserve(n)
		first := &tab.ents[0]
		for k := uint32(2); k <= uint32(n); k++ {
			tab.insert(k)
		}
		if &tab.ents[0] != first {
			t.Errorf("reserve(%d): the table moved while taking %d keys", n, n)
		}
		for k := uint32(1); k <= uint32(n); k++ {
			if tab.find(k).key != k {
				t.Fatalf("reserve(%d): key %d lost", n, k)
			}
		}
	}
}

// dictBenchKeys are word-like keys, most looked up many times, like the
// words of a corpus.
func dictBenchKeys() (keys, lookups []string) {
	for i := range 200000 {
		keys = append(keys, fmt.Sprintf("parola%dx", i*7919%1000003))
	}
	for i := range 1000000 {
		lookups = append(lookups, keys[(i*i+i*31)%len(keys)])
	}
	return keys, lookups
}

// BenchmarkDict compares the term dictionary (strStore and strIndex)
// with the Go map it replaced: building it from 200,000 words, then a
// million lookups.
func BenchmarkDict(b *testing.B) {
	keys, lookups := dictBenchKeys()
	b.Run("strIndex", func(b *testing.B) {
		for range b.N {
			var s strStore
			var x strIndex
			var locs []strLoc
			for _, k := range keys {
				h := strHash(k)
				if _, ok := x.find(&s, locs, k, h); !ok {
					x.insert(uint32(len(locs)), h)
					locs = append(locs, s.add(k))
				}
			}
			for _, k := range lookups {
				if _, ok := x.find(&s, locs, k, strHash(k)); !ok {
					b.Fatal("lost", k)
				}
			}
		}
	})
	b.Run("map", func(b *testing.B) {
		for range b.N {
			m := map[string]uint32{}
			var words []string
			for _, k := range keys {
				if _, ok := m[k]; !ok {
					k = strings.Clone(k)
					m[k] = uint32(len(words))
					words = append(words, k)
				}
			}
			for _, k := range lookups {
				if _, ok := m[k]; !ok {
					b.Fatal("lost", k)
				}
			}
		}
	})
}

func TestSlotShift(t *testing.T) {
	for _, keyBits := range []uint{32, 64} {
		for k := 0; k <= 30; k++ {
			size := 1 << k
			if got, want := slotShift(keyBits, size), keyBits-uint(k); got != want {
				t.Errorf("slotShift(%d, 1<<%d) = %d, want %d", keyBits, k, got, want)
			}
		}
	}
}
