package budget

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"portal/generator"
)

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMeasure(t *testing.T) {
	css := "body{margin:0}"
	tests := []struct {
		name     string
		html     string
		files    map[string]string
		wantType string
		wantCSS  int
		problems []string
	}{
		{name: "screen stylesheet counted, print one not",
			html:     `<!doctype html><html><head><link rel="stylesheet" href="/a.css"><link rel="stylesheet" href="/p.css" media="print"><script src="/x.js" defer></script></head><body class="guide"><p>x</p></body></html>`,
			files:    map[string]string{"a.css": css, "p.css": strings.Repeat("p{}", 500)},
			wantType: "guide", wantCSS: Gzip([]byte(css))},
		{name: "blocking script, web font, image without size",
			html:     `<html><head><link rel=stylesheet href="/f.css"><script src="/x.js"></script></head><body class=page><img src="/i.png" alt=""></body></html>`,
			files:    map[string]string{"f.css": `@font-face{font-family:x;src:url(x.woff2)}`},
			wantType: "page", wantCSS: Gzip([]byte(`@font-face{font-family:x;src:url(x.woff2)}`)),
			problems: []string{"web font", "render-blocking script", "image not lazy", "without width and height"}},
		{name: "alias page",
			html:     `<html><head><meta http-equiv="refresh" content="0; url=/it/"></head><body><a href="/it/">x</a></body></html>`,
			wantType: "alias"},
		{name: "lazy image with size is fine",
			html:     `<html><head></head><body class="home"><img src="/i.png" alt="" width="10" height="10" loading="lazy"></body></html>`,
			wantType: "home"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{"index.html": tc.html}
			for k, v := range tc.files {
				files[k] = v
			}
			write(t, dir, files)
			pages, err := Measure(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(pages) != 1 {
				t.Fatalf("measured %d pages, want 1", len(pages))
			}
			p := pages[0]
			if p.Type != tc.wantType {
				t.Errorf("type = %q, want %q", p.Type, tc.wantType)
			}
			if p.CSS != tc.wantCSS {
				t.Errorf("CSS = %d bytes, want %d", p.CSS, tc.wantCSS)
			}
			if p.HTML != Gzip([]byte(tc.html)) || p.HTML == 0 {
				t.Errorf("HTML = %d bytes, want %d", p.HTML, Gzip([]byte(tc.html)))
			}
			got := strings.Join(p.Problems, "\n")
			for _, want := range tc.problems {
				if !strings.Contains(got, want) {
					t.Errorf("problems lack %q:\n%s", want, got)
				}
			}
			if len(tc.problems) == 0 && len(p.Problems) > 0 {
				t.Errorf("unexpected problems:\n%s", got)
			}
		})
	}
}

func TestMeasureMissingStylesheet(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"it/index.html": `<html><head><link rel="stylesheet" href="/assets/gone.css"></head><body class="home"></body></html>`})
	_, err := Measure(dir)
	if err == nil || !strings.Contains(err.Error(), "it/index.html links /assets/gone.css") {
		t.Fatalf("error = %v, want one naming the page and the missing stylesheet", err)
	}
}

// TestSiteWeight builds the real site and holds every page to the budget.
func TestSiteWeight(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole site; run without -short")
	}
	out := filepath.Join(t.TempDir(), "public")
	_, err := generator.Build(context.Background(), generator.Config{
		Root: "../..", Out: out, BaseURL: "https://portale.example.org",
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})),
	})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	pages, err := Measure(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 100 {
		t.Fatalf("measured only %d pages; the build looks incomplete", len(pages))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-10s %6s  %-28s  %-28s\n", "type", "pages", "median (HTML+CSS gzip)", "largest")
	for _, s := range Summarise(pages) {
		fmt.Fprintf(&b, "%-10s %6d  %5d B = %5d + %4d      %5d B  %s\n", s.Type, s.Pages,
			s.Median.Total(), s.Median.HTML, s.Median.CSS, s.Largest.Total(), s.Largest.Path)
	}
	t.Logf("compressed weight before first paint, limit %d B:\n%s", Limit, b.String())
	for _, p := range pages {
		if p.Total() > Limit {
			t.Errorf("%s: %d B compressed (HTML %d + CSS %d), over the %d B budget", p.Path, p.Total(), p.HTML, p.CSS, Limit)
		}
		for _, pr := range p.Problems {
			t.Errorf("%s: %s", p.Path, pr)
		}
	}
}
