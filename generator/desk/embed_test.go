package desk

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestEmbedPages(t *testing.T) {
	d := loadSite(t)
	pages, err := d.EmbedPages(testEnv)
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, p := range pages {
		urls = append(urls, p.URL)
	}
	if got := strings.Join(urls, " "); got != "/embed/desks/index.html /embed/desks/en/index.html /embed/desks/ar/index.html" {
		t.Fatalf("embed URLs %s", got)
	}
	ar := string(pages[2].Body)
	for _, want := range []string{
		`<html lang="ar" dir="rtl" data-desk-embed data-embed-base="/embed/desks/" data-langs="it en ar">`,
		`<link rel="stylesheet" href="/assets/embed.0123abcd.css">`,
		`<script src="/assets/desks.0123abcd.js" defer></script>`,
		`<base target="_blank">`,
		`href="https://portale.example.org/ar/desks/prova-centro/"`,
		`data-municipality="Rho"`,
		`<a href="https://portale.example.org/ar/desks/">`,
	} {
		if !strings.Contains(ar, want) {
			t.Errorf("ar embed page lacks %s", want)
		}
	}
	for _, p := range pages {
		body := string(p.Body)
		if n := strings.Count(body, `class="desk-entry"`); n != len(d.Desks) {
			t.Errorf("%s: %d desks listed, want all %d (the page must work without JS)", p.URL, n, len(d.Desks))
		}
		// No site navigation, no inline script or style.
		for _, bad := range []string{"<nav", "<header", "<footer", "style=", "<style", " onclick", "<form"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s contains %q", p.URL, bad)
			}
		}
		for _, s := range regexp.MustCompile(`<script[^>]*>[^<]*</script>`).FindAllString(body, -1) {
			if !strings.Contains(s, `src="`) || !strings.HasSuffix(s, "></script>") {
				t.Errorf("%s: inline script %s", p.URL, s)
			}
		}
		if !strings.HasPrefix(body, "<!DOCTYPE html>") {
			t.Errorf("%s is not a whole document", p.URL)
		}
	}
}

// TestMessageKeys checks that every key the templates and the Go code use
// has default texts, and that no default is unused.
func TestMessageKeys(t *testing.T) {
	used := map[string]bool{}
	var sources []string
	for _, glob := range []string{"../../layouts/desk/*.html", "*.go"} {
		files, _ := filepath.Glob(glob)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") || strings.HasSuffix(f, "messages.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			sources = append(sources, string(b))
		}
	}
	all := strings.Join(sources, "\n")
	for _, m := range regexp.MustCompile(`"(desk\.[a-z.-]+)"`).FindAllStringSubmatch(all, -1) {
		used[m[1]] = true
	}
	keys := MessageKeys()
	for k := range used {
		if _, ok := keys[k]; !ok && !strings.HasSuffix(k, ".") {
			t.Errorf("key %s is used but has no default text", k)
		}
	}
	for k, v := range keys {
		dynamic := strings.HasPrefix(k, "desk.service.") || strings.HasPrefix(k, "desk.day.")
		if !used[k] && !dynamic {
			t.Errorf("key %s is never used", k)
		}
		if v[0] == "" || v[1] == "" {
			t.Errorf("key %s lacks a default", k)
		}
		if strings.HasPrefix(k, "desk.status.") && k != "desk.status.closed" && !strings.Contains(v[0], "{") {
			t.Errorf("key %s lost its placeholder", k)
		}
	}
	for _, s := range Services {
		if _, ok := keys["desk.service."+s]; !ok {
			t.Errorf("service %s has no label", s)
		}
	}
	for _, d := range Days {
		if _, ok := keys["desk.day."+d]; !ok {
			t.Errorf("day %s has no label", d)
		}
	}
}
