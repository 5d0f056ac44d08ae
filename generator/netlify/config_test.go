package netlify

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func writeTOML(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "netlify.toml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoad(t *testing.T) {
	p := writeTOML(t, `# comment
[build]
  command = "go run ./cmd/portal build"
  publish = "public"
  functions = "netlify/functions"
  [build.environment]
    GO_VERSION = "1.26.8"

[context.deploy-preview.environment]
  MAIL = "log"

[[headers]]
  for = "/*"
  [headers.values]
    x-content-type-options = "nosniff"
    Cache-Control = '''
      max-age=0 ,
      must-revalidate'''
    Link = ["</a.css>; rel=preload", "</b.js>; rel=preload"]

[[redirects]]
  from = "/"
  to = "/ar/"
  status = 302
  force = true
  conditions = {Language = ["ar"], Country = ["IT"]}

[[redirects]]
  from = "/old/*"
  to = "/new/:splat"
`)
	cfg, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.Build.Environment["GO_VERSION"], "1.26.8"; got != want {
		t.Errorf("GO_VERSION = %q, want %q", got, want)
	}
	if len(cfg.Headers) != 1 {
		t.Fatalf("got %d header rules, want 1", len(cfg.Headers))
	}
	wantValues := http.Header{
		"X-Content-Type-Options": {"nosniff"},
		"Cache-Control":          {"max-age=0, must-revalidate"},
		"Link":                   {"</a.css>; rel=preload, </b.js>; rel=preload"},
	}
	if diff := cmp.Diff(wantValues, cfg.Headers[0].Values); diff != "" {
		t.Errorf("header values (-want +got):\n%s", diff)
	}
	if got, want := cfg.Headers[0].Source, p+":12"; got != want {
		t.Errorf("header source = %q, want %q", got, want)
	}
	type rd struct {
		From, To  string
		Status    int
		Force     bool
		Languages []string
		Countries []string
		Source    string
	}
	var got []rd
	for _, r := range cfg.Redirects {
		got = append(got, rd{r.From, r.To, r.Status, r.Force, r.Languages, r.Countries, r.Source})
	}
	want := []rd{
		{"/", "/ar/", 302, true, []string{"ar"}, []string{"IT"}, p + ":21"},
		{"/old/*", "/new/:splat", 301, false, nil, nil, p + ":28"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("redirects (-want +got):\n%s", diff)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // each a line of the error, after the file name
	}{
		{"syntax", "[build]\ncommand = \n", []string{
			":2: toml: unexpected character U+000A at start of value"}},
		{"unknown keys", "[build]\ncomand = \"x\"\n\n[[redirects]]\nfrom = \"/\"\nto = \"/it/\"\nstauts = 302\n", []string{
			`:2: unknown key "build.comand"; check its spelling against the Netlify file-based configuration docs`,
			`:7: unknown key "redirects.stauts"; check its spelling against the Netlify file-based configuration docs`}},
		{"valid Netlify keys this package does not reproduce", "[[redirects]]\nfrom = \"/a\"\nto = \"/b\"\nquery = {id = \":id\"}\n\n[[edge_functions]]\npath = \"/x\"\n", []string{
			`:4: "redirects.query" is a Netlify setting that portal cannot reproduce locally; remove it or extend generator/netlify`,
			`:6: "edge_functions" is a Netlify setting that portal cannot reproduce locally; remove it or extend generator/netlify`}},
		{"status type", "[[redirects]]\nfrom = \"/\"\nto = \"/it/\"\nstatus = \"302\"\n", []string{
			":4: redirects.status: toml: cannot decode TOML string"}},
		{"header value type", "[[headers]]\nfor = \"/*\"\n[headers.values]\nX-A = 3\n", []string{
			`:1: [[headers]] for "/*": header X-A: value 3 must be a string; quote it`}},
		{"missing for", "[[headers]]\n[headers.values]\nX-A = \"b\"\n", []string{
			`:1: [[headers]] has no "for" path; add for = "/path/*"`}},
		{"no values", "[[headers]]\nfor = \"/a\"\n", []string{
			`:1: [[headers]] for "/a" sets no headers; add a [headers.values] table`}},
		{"bad header name", "[[headers]]\nfor = \"/a\"\n[headers.values]\n\"X A\" = \"b\"\n", []string{
			`:1: [[headers]] for "/a": "X A" is not a valid header name`}},
		{"same header twice", "[[headers]]\nfor = \"/a\"\n[headers.values]\nx-a = \"1\"\nX-A = \"2\"\n", []string{
			`:1: [[headers]] for "/a" sets X-A twice (names are case-insensitive)`}},
		{"many rule errors, each with its line", `
[[redirects]]
from = "/a"
to = "/b"
status = 307

[[redirects]]
from = "/c/*/d"
to = "/e"

[[redirects]]
from = "/f"

[[redirects]]
from = "/g/:id"
to = "/h/:slug"

[[redirects]]
from = "/"
to = "/x/"
conditions = {Language = ["not a tag!"]}

[[redirects]]
from = "/"
to = "/x/"
conditions = {Role = ["admin"]}

[[redirects]]
from = "/p/*"
to = "https://example.org/:splat"
status = 200
`, []string{
			`:2: redirect from "/a": status 307 is not supported`,
			`:7: redirect from: path "/c/*/d": * must be the last segment`,
			`:11: redirect from "/f" has no target (to)`,
			`:14: redirect from "/g/:id": target uses :slug, which the from path does not capture`,
			`:18: redirect from "/": Language "not a tag!" is not a BCP 47 language tag`,
			`:23: [[redirects]] condition "Role" is not supported; use Language or Country`,
			`:28: redirect from "/p/*": status 200 to "https://example.org/:splat" would proxy another site`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeTOML(t, tt.text)
			_, err := Load(p)
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("got %d error lines, want %d:\n%v", len(lines), len(tt.want), err)
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(lines[i], p+w) {
					t.Errorf("error line %d = %q, want prefix %q", i, lines[i], p+w)
				}
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "absent.toml"))
	if err == nil || !strings.Contains(err.Error(), "absent.toml") {
		t.Fatalf("Load of a missing file: err = %v, want it to name the file", err)
	}
}

func TestInlineRedirectArrayLines(t *testing.T) {
	p := writeTOML(t, "\n\nredirects = [\n  {from = \"/a\", to = \"/b\"},\n  {from = \"/c\", to = \"/d\", status = 999},\n]\n")
	_, err := Load(p)
	if err == nil || !strings.HasPrefix(err.Error(), p+":3: redirect from \"/c\": status 999") {
		t.Fatalf("err = %v, want the line of the redirects key", err)
	}
}
