package generator

import (
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"portal/generator/diag"
)

var update = flag.Bool("update", false, "rewrite golden files")

// testRoot makes a project root with the repository's layouts and static
// assets and the given i18n folder.
func testRoot(t *testing.T, i18nDir string) string {
	t.Helper()
	root := t.TempDir()
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	for name, target := range map[string]string{"layouts": "../layouts", "static": "../static", "i18n": i18nDir} {
		if err := os.Symlink(abs(target), filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func buildFixture(t *testing.T, content string) (string, *Result, error) {
	t.Helper()
	root := testRoot(t, "testdata/site/i18n")
	out := filepath.Join(t.TempDir(), "public")
	res, err := Build(context.Background(), Config{Root: root, Content: content, Out: out, BaseURL: "https://sportelli.example.org", NoMinify: true})
	return out, res, err
}

var assetRE = regexp.MustCompile(`/assets/([a-z0-9-]+)\.[0-9a-f]{8}\.`)

func TestGolden(t *testing.T) {
	out, res, err := buildFixture(t, "testdata/site/content")
	if err != nil {
		t.Fatal(err)
	}
	if res.Pages["it"] == 0 || res.Pages["ar"] != res.Pages["en"] {
		t.Errorf("pages per language = %v", res.Pages)
	}
	for _, f := range []string{
		"it/guides/residence/rinnovo/index.html",        // LTR source
		"ar/guides/residence/rinnovo/index.html",        // RTL translation
		"ar/guides/citizenship/cittadinanza/index.html", // RTL page with English text (fallback)
		"en/guides/residence/rinnovo/index.html",        // outdated translation
		"it/guides/residence/index.html",                // topic list
		"sitemap.xml",
		"it/feed.xml",
		"_redirects",
	} {
		t.Run(f, func(t *testing.T) {
			got, err := os.ReadFile(filepath.Join(out, f))
			if err != nil {
				t.Fatal(err)
			}
			got = assetRE.ReplaceAll(got, []byte("/assets/$1.HASH."))
			golden := filepath.Join("testdata", "golden", strings.ReplaceAll(f, "/", "_"))
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if d := cmp.Diff(string(want), string(got)); d != "" {
				t.Errorf("%s differs from %s (-want +got):\n%s", f, golden, d)
			}
		})
	}
}

func TestRenderedFacts(t *testing.T) {
	out, _, err := buildFixture(t, "testdata/site/content")
	if err != nil {
		t.Fatal(err)
	}
	read := func(p string) string {
		b, err := os.ReadFile(filepath.Join(out, p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	it := read("it/guides/residence/rinnovo/index.html")
	ar := read("ar/guides/residence/rinnovo/index.html")
	fb := read("ar/guides/citizenship/cittadinanza/index.html")
	en := read("en/guides/residence/rinnovo/index.html")
	sm := read("sitemap.xml")
	checks := []struct {
		name string
		ok   bool
	}{
		{"raw HTML never emitted", !strings.Contains(it, "<script>alert")},
		{"Italian guillemets", strings.Contains(it, "&laquo;prima della scadenza&raquo;")},
		{"html lang and dir on RTL page", strings.Contains(ar, `<html lang="ar" dir="rtl">`)},
		{"link resolved in the same language", strings.Contains(it, `href="/it/guides/citizenship/cittadinanza/#requisiti"`)},
		{"link to a fallback page marked with its text language", strings.Contains(ar, `href="/ar/guides/citizenship/cittadinanza/#requisiti" hreflang="en"`)},
		{"fallback canonical points at the text's page", strings.Contains(fb, `<link rel="canonical" href="https://sportelli.example.org/en/guides/citizenship/cittadinanza/">`)},
		{"fallback page claims no hreflang translation", !strings.Contains(fb, `rel="alternate" hreflang`)},
		{"fallback notice", strings.Contains(fb, `class="notice"`)},
		{"fallback text marked with its language", strings.Contains(fb, `<article lang="en" dir="ltr">`)},
		{"outdated translation notice", strings.Contains(en, "The Italian version is newer (20 November 2026).")},
		{"reviewed date in the reader's language", strings.Contains(ar, "تم التحقق في 20 نوفمبر 2026")},
		{"fallback pages stay out of the sitemap", !strings.Contains(sm, "<loc>https://sportelli.example.org/ar/guides/citizenship/cittadinanza/</loc>")},
		{"sitemap has hreflang alternates", strings.Contains(sm, `hreflang="ar" href="https://sportelli.example.org/ar/guides/residence/rinnovo/"`)},
		{"alias redirect page", strings.Contains(read("it/vecchio-rinnovo/index.html"), `url=/it/guides/residence/rinnovo/`)},
		{"search index written", fileExists(filepath.Join(out, "search/ar/manifest.json"))},
		{"Arabic plural form", strings.Contains(read("ar/guides/residence/index.html"), "دليل واحد")},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: not found in output", c.name)
		}
	}
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// writeSite writes files (slash paths under content/) into a new folder.
func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, data := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const okGuide = "---\ntitle: T\ndescription: D\nreviewed: 2026-01-01\nsources: [{text: \"L. 91/1992\"}]\n---\nBody\n"

func TestErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // formatted diagnostics, paths relative to the content folder
	}{
		{"unknown key with suggestion", map[string]string{"guides/entry/a.it.md": "---\ntitle: T\ndescription: D\nreviwed: 2026-01-01\n---\n"},
			[]string{`guides/entry/a.it.md:4:1: error: front matter: unknown key "reviwed": did you mean "reviewed"?`}},
		{"missing required fields", map[string]string{"guides/entry/a.it.md": "---\ntags: [x]\n---\nBody\n"},
			[]string{
				`guides/entry/a.it.md:2: error: description is missing: add a one-sentence summary, "description: ..."`,
				`guides/entry/a.it.md:2: error: reviewed is missing: add the date the facts were last checked, "reviewed: YYYY-MM-DD"`,
				`guides/entry/a.it.md:2: error: title is missing: add "title: ..." to the front matter`,
				`guides/entry/a.it.md:2: warning: sources are missing: list the laws or official pages the guide rests on, e.g. "sources: [{text: \"D.Lgs. 286/1998, art. 5\"}]"`,
			}},
		{"bad date", map[string]string{"guides/entry/a.it.md": "---\ntitle: T\ndescription: D\nreviewed: 2026-13-01\nsources: [{text: x}]\n---\n"},
			[]string{`guides/entry/a.it.md:4: error: reviewed: "2026-13-01" is not a date: write it as YYYY-MM-DD, for example 2026-03-31`}},
		{"wrong type", map[string]string{"guides/entry/a.it.md": "---\ntitle: T\nweight: heavy\n---\n"},
			[]string{`guides/entry/a.it.md:3:`}},
		{"unknown language suffix", map[string]string{"guides/entry/a.xx.md": okGuide},
			[]string{`guides/entry/a.xx.md: error: the language suffix "xx" is not a configured language (configured: it, en, ar): rename the file or add i18n/xx.toml`}},
		{"unknown topic", map[string]string{"guides/visa/a.it.md": okGuide},
			[]string{`guides/visa/a.it.md: error: "visa" is not a guide topic`}},
		{"link to a missing page", map[string]string{"guides/entry/a.it.md": okGuide + "\nSee [b](../residence/nope.md).\n"},
			[]string{`guides/entry/a.it.md:9:6: error: the link "../residence/nope.md" points to a page that does not exist (`}},
		{"link to a missing heading", map[string]string{
			"guides/entry/a.it.md": okGuide + "\n[b](b.md#nope)\n",
			"guides/entry/b.it.md": okGuide + "\n## Yes\n"},
			[]string{`guides/entry/a.it.md:9:2: error: #nope is not a heading of `}},
		{"same-page anchor", map[string]string{"guides/entry/a.it.md": okGuide + "\n[b](#nope)\n"},
			[]string{`guides/entry/a.it.md:9:2: error: the link "#nope" points to a heading that is not in this page`}},
		{"unknown service", map[string]string{"guides/entry/a.it.md": "---\ntitle: T\ndescription: D\nreviewed: 2026-01-01\nservices: [permit-renewl]\nsources: [{text: x}]\n---\n"},
			[]string{`guides/entry/a.it.md:5: error: services[0]: "permit-renewl" is not a service code: did you mean "permit-renewal"?`}},
		{"unclosed front matter", map[string]string{"pages/a.it.md": "---\ntitle: T\n"},
			[]string{`pages/a.it.md:1: error: the front matter opened here is never closed`}},
		{"javascript link", map[string]string{"pages/a.it.md": "---\ntitle: T\n---\n[x](javascript:alert(1))\n"},
			[]string{`pages/a.it.md:4:2: error: links with "javascript:" addresses are not allowed: use https://, mailto: or tel:`}},
		{"duplicate alias", map[string]string{
			"pages/a.it.md": "---\ntitle: A\naliases: [/it/old/]\n---\n",
			"pages/b.it.md": "---\ntitle: B\naliases: [/it/old]\n---\n"},
			[]string{`pages/b.it.md:3: error: alias /it/old/ is also claimed by `}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeSite(t, tt.files)
			_, _, err := buildFixture(t, dir)
			var le *diag.ListError
			if !errors.As(err, &le) {
				t.Fatalf("err = %v, want diagnostics", err)
			}
			var got []string
			for _, d := range le.List {
				got = append(got, strings.TrimPrefix(d.Format(), filepath.ToSlash(dir)+"/"))
			}
			for _, w := range tt.want {
				found := false
				for _, g := range got {
					if strings.HasPrefix(g, w) {
						found = true
					}
				}
				if !found {
					t.Errorf("missing diagnostic\nwant prefix %q\ngot:\n%s", w, strings.Join(got, "\n"))
				}
			}
		})
	}
}

// treeHash hashes every file name and content under dir.
func treeHash(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		lines = append(lines, fmt.Sprintf("%s %x", rel, sha256.Sum256(b)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return fmt.Sprintf("%x", sha256.Sum256([]byte(strings.Join(lines, "\n"))))
}

func TestFailedBuildLeavesSiteUntouched(t *testing.T) {
	root := testRoot(t, "testdata/site/i18n")
	content := writeSite(t, map[string]string{"guides/entry/a.it.md": okGuide, "guides/entry/b.it.md": okGuide + "\n[a](a.md)\n"})
	out := filepath.Join(t.TempDir(), "public")
	cfg := Config{Root: root, Content: content, Out: out}
	if _, err := Build(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	before := treeHash(t, out)
	// Break one file: the link target disappears and another file gains a bad key.
	if err := os.Remove(filepath.Join(content, "guides/entry/a.it.md")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(content, "guides/entry/c.it.md"), []byte("---\ntitel: x\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Build(context.Background(), cfg)
	var le *diag.ListError
	if !errors.As(err, &le) || len(le.List) < 2 {
		t.Fatalf("err = %v, want both problems reported", err)
	}
	if after := treeHash(t, out); after != before {
		t.Error("a failed build changed the published site")
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("temporary folders left behind: %v", entries)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	root := testRoot(t, "testdata/site/i18n")
	_, err := Build(ctx, Config{Root: root, Content: "testdata/site/content", Out: filepath.Join(t.TempDir(), "public")})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// A build without the search index writes every page and no index.
func TestNoSearch(t *testing.T) {
	root := testRoot(t, "testdata/site/i18n")
	out := filepath.Join(t.TempDir(), "public")
	res, err := Build(context.Background(), Config{Root: root, Content: "testdata/site/content", Out: out, NoMinify: true, NoSearch: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Pages["it"] == 0 {
		t.Errorf("pages = %v", res.Pages)
	}
	if _, err := os.Stat(filepath.Join(out, "search")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("search/ exists (err %v), want no index", err)
	}
	if _, err := os.Stat(filepath.Join(out, "it/guides/residence/rinnovo/index.html")); err != nil {
		t.Error(err)
	}
}
