package search

import (
	"sync"
	"unsafe"
)

// recentTexts is the number of texts a Builder remembers to recognise
// fallback pages (see recent).
const recentTexts = 16

// recent remembers the last new texts added, so that the pages showing
// one again (a fallback page shows its text in up to ten other site
// languages, and the generator adds these pages one after another, right
// after rendering the text) find its analysis without hashing the whole
// text again: at the 10k corpus, half of the pages are such pages, and
// hashing their texts cost about 0.03 s of CPU per build.
//
// A page is known when its text's strings are the very strings of a
// remembered text, the same bytes at the same address (comparing them
// costs a few instructions, where hashing reads every byte twice). Go
// strings never change, and the ring keeps the remembered ones alive so
// that no other string can take their place in memory: the same address
// and length therefore mean the same text. Texts with filters are never
// remembered (desk pages, whose texts are made anew for every language).
type recent struct {
	mu   sync.Mutex
	ring [recentTexts]recentText
	next int // the slot to fill next
}

// recentText is one remembered text and what its pages share.
type recentText struct {
	textLang, title, summary string
	sections                 []Section // the builder's own copy (job.d.Sections)
	a                        *analysis
	kind, topic              string
	filters                  []uint32 // the filter ids of a page of this kind and topic (read only)
}

// find returns the remembered text d shows (a copy: the slot may be
// reused once mu is released), or false.
func (r *recent) find(d *Doc) (recentText, bool) {
	if len(d.Filters) > 0 {
		return recentText{}, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := range r.ring {
		if t := &r.ring[i]; t.a != nil && t.same(d) {
			return *t, true
		}
	}
	return recentText{}, false
}

// remember adds t, replacing the oldest remembered text.
func (r *recent) remember(t recentText) {
	r.mu.Lock()
	r.ring[r.next] = t
	r.next = (r.next + 1) % len(r.ring)
	r.mu.Unlock()
}

// same reports whether d's text is t's, strings compared by address (see
// recent).
func (t *recentText) same(d *Doc) bool {
	if !sameString(t.title, d.Title) || !sameString(t.summary, d.Summary) ||
		len(t.sections) != len(d.Sections) || baseLang(t.textLang) != baseLang(d.TextLang) {
		return false
	}
	for i := range t.sections {
		x, y := &t.sections[i], &d.Sections[i]
		if !sameString(x.Text, y.Text) || !sameString(x.Heading, y.Heading) || !sameString(x.Anchor, y.Anchor) || x.Level != y.Level {
			return false
		}
	}
	return true
}

// sameString reports whether x and y are the same bytes in memory (or
// both empty): then they are equal; different strings may be equal too.
func sameString(x, y string) bool {
	return len(x) == len(y) && (len(x) == 0 || unsafe.StringData(x) == unsafe.StringData(y))
}
