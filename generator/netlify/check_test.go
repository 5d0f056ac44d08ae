package netlify

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// copySite copies testdata/site into a temporary directory that a test may
// change.
func copySite(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	err := fs.WalkDir(os.DirFS("testdata/site"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dst, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(filepath.Join("testdata/site", filepath.FromSlash(p)))
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func repoConfig(t *testing.T) *Config {
	t.Helper()
	cfg, err := Load("../../netlify.toml")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestCheckSiteFixturePasses(t *testing.T) {
	if errs := CheckSite(repoConfig(t), "testdata/site"); len(errs) != 0 {
		t.Fatalf("the fixture site should satisfy netlify.toml, got:\n%v", errs)
	}
}

func TestCheckSiteFindsProblems(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, dir string)
		toml   string // replaces the repository's netlify.toml when set
		want   []string
	}{
		{
			name:   "missing per-language 404 page",
			change: func(t *testing.T, dir string) { remove(t, dir, "sq/404.html") },
			want:   []string{`netlify.toml:LINE: redirect from "/sq/*": target "/sq/404.html" does not exist in the site`},
		},
		{
			name: "HTML outside every CSP rule",
			change: func(t *testing.T, dir string) {
				write(t, dir, "desks/index.html", "<!doctype html><title>x</title>")
			},
			want: []string{
				`desks/index.html (as /desks/): HTML needs exactly one Content-Security-Policy, got 0; add a [[headers]] block for its path`,
				`desks/index.html: HTML needs exactly one Content-Security-Policy, got 0; add a [[headers]] block for its path`,
			},
		},
		{
			name:   "unhashed asset",
			change: func(t *testing.T, dir string) { write(t, dir, "assets/logo.png", "png") },
			want:   []string{`assets/logo.png: files under /assets/ are cached for a year, so the name must carry a content hash (name.<hex>.ext)`},
		},
		{
			name:   "search file without a hash",
			change: func(t *testing.T, dir string) { write(t, dir, "search/it/index.json", "{}") },
			want: []string{
				`search/it/index.json: content-hashed file needs Cache-Control: public, max-age=31536000, immutable, got ""`,
				`search/it/index.json: search files other than /search/<lang>/manifest.json are cached for a year, so the name must carry a content hash`,
			},
		},
		{
			name: "alias target missing and alias shadowed by a file",
			change: func(t *testing.T, dir string) {
				write(t, dir, "_redirects", "/it/contatti /it/guides/permesso/ 301\n/it/x /it/gone/ 301\n/it/y/* /nodir/:splat 301\n")
			},
			want: []string{
				`_redirects:1: redirect from "/it/contatti" never fires: a file exists at that path (remove the rule or add force)`,
				`_redirects:2: redirect from "/it/x": target "/it/gone/" does not exist in the site`,
				`_redirects:3: redirect from "/it/y/*": target directory "/nodir" does not exist in the site`,
			},
		},
		{
			name: "feeds without CORS",
			toml: "[[headers]]\nfor = \"/*\"\n[headers.values]\nX-A = \"b\"\n",
			change: func(t *testing.T, dir string) {
				entries, err := os.ReadDir(dir)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range entries {
					if e.Name() != "api" {
						remove(t, dir, e.Name())
					}
				}
				remove(t, dir, "api/desks")
				remove(t, dir, "api/hsds")
				remove(t, dir, "api/desks.geojson")
			},
			want: []string{`api/desks.json: desk feeds need Access-Control-Allow-Origin: *, got ""`},
		},
		{
			name:   "invalid _redirects",
			change: func(t *testing.T, dir string) { write(t, dir, "_redirects", "/a\n") },
			want:   []string{`_redirects:1: rule "/a" needs at least a from path and a target`},
		},
		{
			name: "overlapping rules, unsafe CSP, wrong framing, wrong caching, pattern without files",
			toml: `
[[headers]]
  for = "/*"
  [headers.values]
    Content-Security-Policy = "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
    X-Frame-Options = "DENY"
    Cache-Control = "public, max-age=0, must-revalidate"

[[headers]]
  for = "/embed/*"
  [headers.values]
    Content-Security-Policy = "default-src 'self'; frame-ancestors 'self'"

[[headers]]
  for = "/assets/*"
  [headers.values]
    Cache-Control = "public, max-age=31536000, immutable"

[[headers]]
  for = "/search/t/*"
  [headers.values]
    X-Robots-Tag = "noindex"

[[headers]]
  for = "/nothing-here/*"
  [headers.values]
    X-A = "b"
`,
			change: func(t *testing.T, dir string) {
				// Keep the checked paths few: one page, the embed, one asset, the search files.
				for _, p := range []string{"api", "ar", "bn", "en", "es", "fr", "ro", "sq", "uk", "ur", "zh", "it", "_redirects", "robots.txt", "404.html", "index.html", "assets/search.1a2b3c4d.js"} {
					remove(t, dir, p)
				}
				write(t, dir, "it/index.html", "<!doctype html>")
			},
			want: []string{
				`assets/site.3f2a9c1b.css: Cache-Control is set by 2 rules: /* (netlify.toml:2), /assets/* (netlify.toml:14)`,
				`embed/desks/index.html (as /embed/desks/): Content-Security-Policy is set by 2 rules: /* (netlify.toml:2), /embed/* (netlify.toml:9)`,
				`embed/desks/index.html (as /embed/desks/): embed pages must be frameable by any site (frame-ancestors *), got "'self'"`,
				`embed/desks/index.html (as /embed/desks/): embed pages must not send X-Frame-Options (it would block framing in some browsers)`,
				`embed/desks/index.html: Content-Security-Policy is set by 2 rules: /* (netlify.toml:2), /embed/* (netlify.toml:9)`,
				`embed/desks/index.html: embed pages must be frameable by any site (frame-ancestors *), got "'self'"`,
				`embed/desks/index.html: embed pages must not send X-Frame-Options (it would block framing in some browsers)`,
				`it/index.html (as /it/): Content-Security-Policy allows 'unsafe-inline'`,
				`it/index.html: Content-Security-Policy allows 'unsafe-inline'`,
				`search/f/0.0123456789.json: content-hashed file needs Cache-Control: public, max-age=31536000, immutable, got "public, max-age=0, must-revalidate"`,
				`search/t/5e6f7a8b90.json: content-hashed file needs Cache-Control: public, max-age=31536000, immutable, got "public, max-age=0, must-revalidate"`,
				"status/index.html (as /status/): Content-Security-Policy allows 'unsafe-inline'",
				"status/index.html: Content-Security-Policy allows 'unsafe-inline'",
				`netlify.toml:24: [[headers]] for "/nothing-here/*" matches no file in `,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copySite(t)
			cfg := repoConfig(t)
			if tt.toml != "" {
				var err error
				if cfg, err = Parse([]byte(tt.toml), "netlify.toml"); err != nil {
					t.Fatal(err)
				}
			}
			tt.change(t, dir)
			errs := CheckSite(cfg, dir)
			var got []string
			for _, e := range errs {
				s := e.Error()
				s = strings.ReplaceAll(s, dir+string(filepath.Separator), "")
				// Lines of the repository's netlify.toml move as it is edited.
				s = repoLine.ReplaceAllString(s, "netlify.toml:LINE")
				got = append(got, s)
			}
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(prefixEqual)); diff != "" {
				t.Errorf("CheckSite (-want +got):\n%s", diff)
			}
		})
	}
}

var repoLine = regexp.MustCompile(`\.\./\.\./netlify\.toml:[0-9]+`)

// prefixEqual compares a wanted message with a got one: the wanted text must
// be a prefix of the got text (so messages ending in a directory name can be
// compared without it).
func prefixEqual(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	return strings.HasPrefix(b, a)
}

func write(t *testing.T, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, dir, rel string) {
	t.Helper()
	if err := os.RemoveAll(filepath.Join(dir, filepath.FromSlash(rel))); err != nil {
		t.Fatal(err)
	}
}

func TestCheckSiteEmpty(t *testing.T) {
	errs := CheckSite(repoConfig(t), t.TempDir())
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "has no files; build the site first") {
		t.Fatalf("got %v", errs)
	}
}
