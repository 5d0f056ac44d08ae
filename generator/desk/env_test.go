package desk

import (
	"bytes"
	"flag"
	"html/template"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/yuin/goldmark"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// fakeEnv is a small Env: Italian or English defaults from MessageKeys,
// goldmark with its safe defaults for Markdown, two guides for one service.
type fakeEnv struct{ langs []string }

func (e fakeEnv) T(lang, key string, _ ...any) string {
	m, ok := messages[key]
	if !ok {
		return "MISSING(" + key + ")"
	}
	if lang == "it" {
		return m[0]
	}
	return m[1]
}

func (e fakeEnv) LangName(lang string) string {
	return map[string]string{"it": "Italiano", "en": "English", "ar": "العربية"}[lang]
}

func (e fakeEnv) Dir(lang string) string {
	if lang == "ar" || lang == "ur" {
		return "rtl"
	}
	return "ltr"
}

func (e fakeEnv) Langs() []string { return e.langs }

func (e fakeEnv) Markdown(lang string, src []byte, path string, line int) (template.HTML, error) {
	var b bytes.Buffer
	if err := goldmark.Convert(src, &b); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

func (e fakeEnv) GuidesFor(lang, service string) []Link {
	if service != "permit-renewal" {
		return nil
	}
	return []Link{{URL: "/" + lang + "/guides/residence/rinnovo-permesso/", Title: "Rinnovo del permesso", Lang: "it"}}
}

func (e fakeEnv) Asset(name string) string {
	ext := filepath.Ext(name)
	return "/assets/" + strings.TrimSuffix(filepath.Base(name), ext) + ".0123abcd" + ext
}

func (e fakeEnv) BaseURL() string { return "https://portale.example.org" }

var testEnv = fakeEnv{langs: []string{"it", "en", "ar"}}

// loadSite loads testdata/site with the real layouts.
func loadSite(t testing.TB) *Directory {
	t.Helper()
	d, errs := Load(os.DirFS("testdata/site"), "content/desks", testEnv.langs)
	if len(errs) > 0 {
		t.Fatalf("testdata/site: %v", errs.Err())
	}
	d.Now = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	if err := d.UseLayouts(os.DirFS("../.."), "layouts/desk"); err != nil {
		t.Fatal(err)
	}
	return d
}

// golden compares got with testdata/golden/name, rewriting it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got); run go test -update if the change is intended:\n%s", p, diff)
	}
}
