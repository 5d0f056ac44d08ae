package netlify

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseRedirectsFile(t *testing.T) {
	text := `# aliases written by the build
/it/guida-vecchia   /it/guides/permesso/   301

/it/archivio/*  /it/guides/:splat
/news/:year/:slug /it/news/:year/:slug/ 302!   # moved
/ /ar/ 302! Language=ar,ur Country=IT
/docs/x https://example.org/x#top 301
`
	rules, err := ParseRedirectsFile(strings.NewReader(text), "_redirects")
	if err != nil {
		t.Fatal(err)
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
	for _, r := range rules {
		got = append(got, rd{r.From, r.To, r.Status, r.Force, r.Languages, r.Countries, r.Source})
	}
	want := []rd{
		{"/it/guida-vecchia", "/it/guides/permesso/", 301, false, nil, nil, "_redirects:2"},
		{"/it/archivio/*", "/it/guides/:splat", 301, false, nil, nil, "_redirects:4"},
		{"/news/:year/:slug", "/it/news/:year/:slug/", 302, true, nil, nil, "_redirects:5"},
		{"/", "/ar/", 302, true, []string{"ar", "ur"}, []string{"IT"}, "_redirects:6"},
		{"/docs/x", "https://example.org/x#top", 301, false, nil, nil, "_redirects:7"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
}

func TestParseRedirectsFileErrors(t *testing.T) {
	text := `/ok /fine
/lonely
/a /b abc
/a /b 301 Role=admin
/a id=:id /b 301
/a/*/b /c
/a /b 307
/a /b 301 Language=
/a relative
`
	_, err := ParseRedirectsFile(strings.NewReader(text), "public/_redirects")
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{
		`public/_redirects:2: rule "/lonely" needs at least a from path and a target`,
		`public/_redirects:3: status "abc" is not a number such as 301 or 302!`,
		`public/_redirects:4: condition "Role" is not supported; use Language= or Country=`,
		`public/_redirects:5: query-parameter matching ("id=:id") is not supported; remove it`,
		`public/_redirects:6: redirect from: path "/a/*/b": * must be the last segment`,
		`public/_redirects:7: redirect from "/a": status 307 is not supported; use one of [200 301 302 404 410]`,
		`public/_redirects:8: unexpected "Language=" after the status; conditions look like Language=it,en`,
		`public/_redirects:9: redirect from "/a": target "relative" must start with / or be an http(s) URL`,
	}
	if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func mustRules(t *testing.T, text string) []Redirect {
	t.Helper()
	rules, err := ParseRedirectsFile(strings.NewReader(text), "_redirects")
	if err != nil {
		t.Fatal(err)
	}
	return rules
}

func TestMatchRedirectLanguage(t *testing.T) {
	rules := mustRules(t, `/ /it/ 302! Language=it
/ /en/ 302! Language=en
/ /ar/ 302! Language=ar
/ /zh/ 302! Language=zh
/ /pt-br/ 302! Language=pt-BR
`)
	tests := []struct {
		name, acceptLanguage, cookie, want string // want "" = no match
	}{
		{"exact", "it", "", "/it/"},
		{"region of a listed language", "ar-EG", "", "/ar/"},
		{"case-insensitive", "AR-eg", "", "/ar/"},
		{"q-values ignored", "de;q=1.0, it;q=0.9", "", ""},
		{"only the first tag counts", "de-DE,de;q=0.9,en;q=0.8,it;q=0.7", "", ""},
		{"first tag with q below later ones still wins", "en;q=0.1, it;q=0.9", "", "/en/"},
		{"script and region", "zh-Hant-TW", "", "/zh/"},
		{"condition with region needs that region", "pt-PT", "", ""},
		{"condition with region", "pt-BR,pt;q=0.9", "", "/pt-br/"},
		{"no header", "", "", ""},
		{"wildcard", "*", "", ""},
		{"malformed", "!!", "", ""},
		{"nf_lang cookie overrides the header", "it", "ar", "/ar/"},
		{"bad nf_lang cookie falls back to the header", "it", "%%", "/it/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			if tt.acceptLanguage != "" {
				r.Header.Set("Accept-Language", tt.acceptLanguage)
			}
			if tt.cookie != "" {
				r.AddCookie(&http.Cookie{Name: "nf_lang", Value: tt.cookie})
			}
			m, ok := MatchRedirect(rules, r, func(string) bool { return true })
			got := ""
			if ok {
				got = m.Target
			}
			if got != tt.want {
				t.Errorf("Accept-Language %q, nf_lang %q: target %q, want %q", tt.acceptLanguage, tt.cookie, got, tt.want)
			}
		})
	}
}

func TestMatchRedirectOrderShadowingForce(t *testing.T) {
	rules := mustRules(t, `/exists /elsewhere 301
/forced /elsewhere 302!
/it/* /it/404.html 404
/old/* /new/:splat 301
/old/special /never 301
/ /fr/ 302! Country=FR
`)
	files := map[string]bool{"/exists": true, "/forced": true, "/it/": true, "/it/guide/": true}
	exists := func(p string) bool { return files[p] }
	tests := []struct {
		path, wantTarget string
		wantStatus       int
	}{
		{"/exists", "", 0},                    // shadowed by the file
		{"/forced", "/elsewhere", 302},        // force beats the file
		{"/it/", "", 0},                       // file exists: no 404 rule
		{"/it/guide/", "", 0},                 // file exists
		{"/it/missing", "/it/404.html", 404},  // custom 404
		{"/old/special", "/new/special", 301}, // first match wins
		{"/old/a/b", "/new/a/b", 301},         // splat
		{"/", "/fr/", 302},                    // Country is not evaluated
		{"/nothing", "", 0},                   // no rule
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", tt.path, nil)
		m, ok := MatchRedirect(rules, r, exists)
		if !ok {
			if tt.wantStatus != 0 {
				t.Errorf("%s: no match, want %d %s", tt.path, tt.wantStatus, tt.wantTarget)
			}
			continue
		}
		if m.Target != tt.wantTarget || m.Rule.Status != tt.wantStatus {
			t.Errorf("%s: got %d %s, want %d %s", tt.path, m.Rule.Status, m.Target, tt.wantStatus, tt.wantTarget)
		}
	}
}
