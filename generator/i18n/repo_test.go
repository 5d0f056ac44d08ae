package i18n

import (
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/feature/plural"
)

// These tests load the site's real i18n folder, so a translator's mistake
// (a missing key, a lost placeholder, a missing plural form) fails the build.

// repoLangs are the languages the portal ships; a missing file is an error.
var repoLangs = []string{"it", "en", "fr", "es", "ar", "zh", "uk", "ro", "sq", "bn", "ur"}

func loadRepo(t *testing.T) *Set {
	t.Helper()
	s, errs := Load(os.DirFS("../.."), "i18n")
	for _, d := range errs {
		t.Errorf("load: %s", d.Format())
	}
	if s == nil {
		t.Fatal("Load returned no languages")
	}
	return s
}

func TestRepoLoads(t *testing.T) {
	s := loadRepo(t)
	codes := s.Codes()
	for _, c := range repoLangs {
		if !slices.Contains(codes, c) {
			t.Errorf("language %q is not configured: i18n/%s.toml is missing", c, c)
		}
	}
	if len(codes) == 0 || codes[0] != Source {
		t.Errorf("Codes() = %v, want the source language %q first", codes, Source)
	}
}

func TestRepoCheck(t *testing.T) {
	s := loadRepo(t)
	for _, d := range s.Check("i18n") {
		t.Errorf("%s", d.Format())
	}
	// Check does not look for keys that exist only in a translation, which
	// are usually misspelled keys the templates never ask for.
	src := s.Get(Source)
	for _, l := range s.All() {
		for _, k := range l.Keys() {
			if !src.Has(k) {
				t.Errorf("i18n/%s.toml: ui.%s is not in %s.toml: misspelled, or add it to the source first", l.Code, k, Source)
			}
		}
	}
}

// placeholderRE matches anything in braces, so a mistyped placeholder such
// as "{ n }" or "{N}" shows up as a foreign one.
var placeholderRE = regexp.MustCompile(`\{[^{}]*\}`)

func placeholders(texts ...string) []string {
	var out []string
	for _, s := range texts {
		out = append(out, placeholderRE.FindAllString(s, -1)...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// texts returns every text of a message: each plural form, or the plain text.
func (m message) texts() map[string]string {
	if m.forms == nil {
		return map[string]string{"": m.other}
	}
	out := map[string]string{}
	for f, s := range m.forms {
		out[formName(f)] = s
	}
	return out
}

func TestRepoPlaceholders(t *testing.T) {
	s := loadRepo(t)
	src := s.Get(Source)
	for _, k := range src.Keys() {
		var srcTexts []string
		for _, s := range src.messages[k].texts() {
			srcTexts = append(srcTexts, s)
		}
		want := placeholders(srcTexts...)
		for _, l := range s.All() {
			m, ok := l.messages[k]
			if !ok {
				continue // reported by TestRepoCheck
			}
			for form, text := range m.texts() {
				name := "ui." + k
				if form != "" {
					name += "." + form
				}
				got := placeholders(text)
				for _, p := range want {
					if !slices.Contains(got, p) {
						t.Errorf("i18n/%s.toml: %s lacks the placeholder %s of the Italian text: %q", l.Code, name, p, text)
					}
				}
				for _, p := range got {
					if !slices.Contains(want, p) {
						t.Errorf("i18n/%s.toml: %s has the placeholder %s, which the Italian text does not have (keep %v exactly): %q", l.Code, name, p, want, text)
					}
				}
			}
		}
	}
}

func TestRepoDirection(t *testing.T) {
	s := loadRepo(t)
	rtl := []string{"ar", "ur"}
	for _, l := range s.All() {
		if want := slices.Contains(rtl, l.Code); l.RTL() != want {
			t.Errorf("%s: RTL() = %v, want %v (direction %q)", l.Code, l.RTL(), want, l.Direction)
		}
	}
}

func TestRepoPluralsShowNumber(t *testing.T) {
	s := loadRepo(t)
	src := s.Get(Source)
	var keys []string
	for _, k := range src.Keys() {
		if src.messages[k].forms != nil {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		t.Fatal("the source language has no plural messages; expected at least guides_count and results")
	}
	for _, l := range s.All() {
		for _, k := range keys {
			for _, n := range []int{0, 1, 2, 3, 11, 100} {
				got := l.T(k, "n", n)
				if !strings.Contains(got, strconv.Itoa(n)) || strings.Contains(got, "{") {
					form := plural.Cardinal.MatchPlural(l.Tag, n, 0, 0, 0, 0)
					t.Errorf("%s: T(%q, n=%d) = %q (form %q), want the number %d and no unfilled placeholder", l.Code, k, n, got, formName(form), n)
				}
			}
		}
	}
}

func TestRepoDates(t *testing.T) {
	s := loadRepo(t)
	day := time.Date(2026, time.November, 22, 12, 0, 0, 0, time.UTC)
	tests := []struct{ code, want string }{
		{"it", "22 novembre 2026"},
		{"en", "22 November 2026"},
		{"fr", "22 novembre 2026"},
		{"es", "22 de noviembre de 2026"},
		{"ar", "22 نوفمبر 2026"},
		{"zh", "2026年11月22日"},
		{"uk", "22 листопада 2026"},
		{"ro", "22 noiembrie 2026"},
		{"sq", "22 nëntor 2026"},
		{"bn", "22 নভেম্বর 2026"},
		{"ur", "22 نومبر 2026"},
	}
	for _, tt := range tests {
		l := s.Get(tt.code)
		if l == nil {
			t.Errorf("%s: not configured", tt.code)
			continue
		}
		if got := l.Date(day); got != tt.want {
			t.Errorf("%s: Date(2026-11-22) = %q, want %q", tt.code, got, tt.want)
		}
	}
}

// Labels must say exactly what T says, and leave out the strings that
// need arguments (a layout using {{.L.key}} for one of those fails).
func TestRepoLabels(t *testing.T) {
	s := loadRepo(t)
	src := s.Get(Source)
	for _, l := range s.All() {
		for _, k := range src.Keys() {
			got, ok := l.Labels[k]
			m, _, _ := l.lookup(k)
			wantIn := m.forms == nil && !strings.Contains(m.other, "{")
			if ok != wantIn {
				t.Errorf("%s: Labels has %q = %v, want %v (plural forms or placeholders stay out)", l.Code, k, ok, wantIn)
			}
			if ok && got != l.T(k) {
				t.Errorf("%s: Labels[%q] = %q, T = %q", l.Code, k, got, l.T(k))
			}
		}
	}
	if _, ok := src.Labels["reviewed_on"]; ok {
		t.Error(`Labels holds "reviewed_on", which has a {date} placeholder`)
	}
	if src.Labels["toc"] == "" {
		t.Error(`Labels has no "toc"`)
	}
}
