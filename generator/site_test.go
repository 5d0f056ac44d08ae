package generator_test

import (
	"context"
	"encoding/xml"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"portal/contact"
	"portal/generator"
	"portal/generator/netlify"
)

// The repository's own site: built once for the tests below.
var (
	siteOnce sync.Once
	siteDir  string
	siteErr  error
)

func repoSite(t *testing.T) string {
	t.Helper()
	siteOnce.Do(func() {
		dir, err := os.MkdirTemp("", "portal-site-test-")
		if err != nil {
			siteErr = err
			return
		}
		siteDir = filepath.Join(dir, "public")
		_, siteErr = generator.Build(context.Background(), generator.Config{Root: "..", Out: siteDir, BaseURL: "https://portale.example.org"})
	})
	if siteErr != nil {
		t.Fatalf("building the repository site: %v", siteErr)
	}
	return siteDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if siteDir != "" {
		os.RemoveAll(filepath.Dir(siteDir))
	}
	os.Exit(code)
}

// TestNetlifyRulesMatchSite checks netlify.toml against the built site:
// every redirect target exists, every header rule matches real files,
// every page gets exactly one CSP and the right framing rule.
func TestNetlifyRulesMatchSite(t *testing.T) {
	out := repoSite(t)
	cfg, err := netlify.Load("../netlify.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range netlify.CheckSite(cfg, out) {
		t.Error(e)
	}
}

var (
	hrefRE = regexp.MustCompile(`(?:href|src|action)="([^"]*)"`)
	idRE   = regexp.MustCompile(` id="([^"]*)"`)
)

// TestInternalLinks follows every site-relative link and anchor of every
// built page.
func TestInternalLinks(t *testing.T) {
	out := repoSite(t)
	ids := map[string]map[string]bool{}
	pageIDs := func(file string) map[string]bool {
		if m, ok := ids[file]; ok {
			return m
		}
		b, err := os.ReadFile(file)
		m := map[string]bool{}
		if err == nil {
			for _, sm := range idRE.FindAllStringSubmatch(string(b), -1) {
				m[sm[1]] = true
			}
		}
		ids[file] = m
		return m
	}
	resolve := func(p string) string {
		full := filepath.Join(out, filepath.FromSlash(p))
		if strings.HasSuffix(p, "/") {
			full = filepath.Join(full, "index.html")
		}
		if st, err := os.Stat(full); err == nil && !st.IsDir() {
			return full
		}
		return ""
	}
	pages, checked := 0, 0
	err := filepath.WalkDir(out, func(file string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(file, ".html") {
			return err
		}
		pages++
		b, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, file)
		for _, m := range hrefRE.FindAllStringSubmatch(string(b), -1) {
			raw := strings.ReplaceAll(m[1], "&amp;", "&")
			if raw == "" || strings.HasPrefix(raw, "//") || strings.Contains(raw, ":") && !strings.HasPrefix(raw, "/") {
				continue
			}
			u, err := url.Parse(raw)
			if err != nil {
				t.Errorf("%s: bad URL %q", rel, raw)
				continue
			}
			target := file
			if u.Path != "" {
				if !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "/.netlify/functions/") || strings.HasPrefix(u.Path, "/__portal/") {
					continue
				}
				target = resolve(u.Path)
				if target == "" {
					t.Errorf("%s: link to %s, which is not in the site", rel, u.Path)
					continue
				}
			}
			checked++
			if frag, _ := url.PathUnescape(u.Fragment); frag != "" && strings.HasSuffix(target, ".html") && !pageIDs(target)[frag] {
				t.Errorf("%s: link to %s#%s, which has no such id", rel, u.Path, frag)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages < 500 || checked < 10*pages {
		t.Errorf("only %d pages and %d links checked", pages, checked)
	}
}

// TestSitemapURLsExist parses sitemap.xml and finds every URL and
// alternate in the site.
func TestSitemapURLsExist(t *testing.T) {
	out := repoSite(t)
	b, err := os.ReadFile(filepath.Join(out, "sitemap.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var sm struct {
		URLs []struct {
			Loc   string `xml:"loc"`
			Links []struct {
				Hreflang string `xml:"hreflang,attr"`
				Href     string `xml:"href,attr"`
			} `xml:"http://www.w3.org/1999/xhtml link"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(b, &sm); err != nil {
		t.Fatal(err)
	}
	if len(sm.URLs) < 100 {
		t.Fatalf("sitemap has only %d URLs", len(sm.URLs))
	}
	for _, u := range sm.URLs {
		locs := []string{u.Loc}
		for _, l := range u.Links {
			locs = append(locs, l.Href)
		}
		for _, loc := range locs {
			p := strings.TrimPrefix(loc, "https://portale.example.org")
			if !fileOK(filepath.Join(out, filepath.FromSlash(p), "index.html")) {
				t.Errorf("sitemap URL %s is not in the site", loc)
			}
		}
	}
}

func fileOK(p string) bool { st, err := os.Stat(p); return err == nil && !st.IsDir() }

// TestFunctionDataMatchesContent checks that the contact function's
// committed data file names the same desks and addresses as the desk
// files (the build rewrites it on Netlify; a stale copy would still
// compile).
func TestFunctionDataMatchesContent(t *testing.T) {
	tmp := filepath.Join(t.TempDir(), "data.json")
	_, err := generator.Build(context.Background(), generator.Config{Root: "..", Out: filepath.Join(t.TempDir(), "public"), FunctionData: tmp})
	if err != nil {
		t.Fatal(err)
	}
	load := func(p string) *contact.Data {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		d, err := contact.LoadData(f)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		return d
	}
	fresh, committed := load(tmp), load("../netlify/functions/contact/data.json")
	type desk struct{ ID, Email, Phone string }
	list := func(d *contact.Data) []desk {
		var out []desk
		for _, dk := range d.Desks {
			out = append(out, desk{dk.ID, dk.Email, dk.Phone})
		}
		return out
	}
	if d := cmp.Diff(list(fresh), list(committed)); d != "" {
		t.Errorf("netlify/functions/contact/data.json is stale: run go run ./cmd/portal build --function-data netlify/functions/contact/data.json (-built +committed):\n%s", d)
	}
}
