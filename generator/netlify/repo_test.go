package netlify

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// siteLanguages is the site's language list in the order the root redirect
// prefers them (decided by the lead engineer).
var siteLanguages = []string{"it", "en", "fr", "es", "ar", "zh", "uk", "ro", "sq", "bn", "ur"}

// representativePaths covers every kind of path the site serves.
var representativePaths = []string{
	"/", "/index.html", "/404.html", "/it/", "/it", "/ar/guides/x/y/", "/ur/404.html",
	"/embed/desks/", "/embed/desks/index.html",
	"/assets/site.abc.css", "/assets/site.3f2a9c1b.css", "/assets/search.1a2b3c4d.js",
	"/api/desks.json", "/api/desks.geojson", "/api/hsds/services.json", "/api/desks/milano.ics",
	"/search/it/manifest.json", "/search/t/5e6f7a8b90.json", "/search/f/12.0123abcd45.json",
	"/robots.txt", "/sitemap.xml", "/it/desks/milano/hours.ics",
}

func TestRepoConfigNoHeaderSetTwice(t *testing.T) {
	cfg := repoConfig(t)
	for _, p := range representativePaths {
		for _, c := range cfg.Conflicts(p) {
			t.Errorf("%s: %s set by %v", p, c.Header, c.Rules)
		}
	}
	for _, l := range siteLanguages {
		for _, p := range []string{"/" + l + "/", "/" + l + "/guides/a/b/", "/" + l + "/404.html"} {
			for _, c := range cfg.Conflicts(p) {
				t.Errorf("%s: %s set by %v", p, c.Header, c.Rules)
			}
		}
	}
}

func TestRepoConfigBuild(t *testing.T) {
	cfg := repoConfig(t)
	b := cfg.Build
	// The build also writes the contact function's data before Netlify
	// bundles the function, and takes its time from the commit, so that
	// an unchanged commit deploys the same bytes.
	const want = "SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null) go run ./cmd/portal build --function-data netlify/functions/contact/data.json"
	if b.Command != want || b.Publish != "public" || b.Functions != "netlify/functions" {
		t.Errorf("[build] = %+v", b)
	}
	if got := b.Environment["GO_VERSION"]; got != "1.26.8" {
		t.Errorf("GO_VERSION = %q, want 1.26.8", got)
	}
}

func TestRepoConfigHTMLPolicies(t *testing.T) {
	cfg := repoConfig(t)
	html := []string{"/", "/index.html", "/404.html", "/embed/desks/"}
	for _, l := range siteLanguages {
		html = append(html, "/"+l+"/", "/"+l+"/guides/x/y/", "/"+l+"/404.html")
	}
	for _, p := range html {
		h := cfg.HeadersFor(p)
		csp := h.Get("Content-Security-Policy")
		if csp == "" {
			t.Errorf("%s: no Content-Security-Policy", p)
			continue
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows unsafe code: %s", p, csp)
		}
		for _, d := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
			"connect-src 'self'", "form-action 'self'", "base-uri 'none'", "object-src 'none'", "manifest-src 'self'", "worker-src 'self'"} {
			name := strings.Fields(d)[0]
			if got, _ := directive(csp, name); name+" "+got != d {
				t.Errorf("%s: CSP %s = %q, want %q", p, name, got, d)
			}
		}
		fa, _ := directive(csp, "frame-ancestors")
		embed := strings.HasPrefix(p, "/embed/")
		if embed && (fa != "*" || h.Get("X-Frame-Options") != "") {
			t.Errorf("%s: embed must be frameable by any site: frame-ancestors %q, X-Frame-Options %q", p, fa, h.Get("X-Frame-Options"))
		}
		if !embed && (fa != "'none'" || h.Get("X-Frame-Options") != "DENY") {
			t.Errorf("%s: page must not be framed: frame-ancestors %q, X-Frame-Options %q", p, fa, h.Get("X-Frame-Options"))
		}
		if got := h.Get("Cache-Control"); got != "public, max-age=0, must-revalidate" {
			t.Errorf("%s: Cache-Control %q, want revalidation on every visit", p, got)
		}
	}
}

func TestRepoConfigEveryPathHeaders(t *testing.T) {
	cfg := repoConfig(t)
	want := map[string]string{
		"Strict-Transport-Security":  "max-age=63072000; includeSubDomains",
		"X-Content-Type-Options":     "nosniff",
		"Referrer-Policy":            "same-origin",
		"Cross-Origin-Opener-Policy": "same-origin",
	}
	for _, p := range representativePaths {
		h := cfg.HeadersFor(p)
		for name, v := range want {
			if got := h.Get(name); got != v {
				t.Errorf("%s: %s = %q, want %q", p, name, got, v)
			}
		}
		pp := h.Get("Permissions-Policy")
		for _, feature := range []string{"camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()", "browsing-topics=()"} {
			if !strings.Contains(pp, feature) {
				t.Errorf("%s: Permissions-Policy %q lacks %s", p, pp, feature)
			}
		}
	}
}

func TestRepoConfigCaching(t *testing.T) {
	cfg := repoConfig(t)
	immutable := "public, max-age=31536000, immutable"
	tests := []struct{ path, want string }{
		{"/assets/site.abc.css", immutable},
		{"/assets/search.1a2b3c4d.js", immutable},
		{"/search/t/5e6f7a8b90.json", immutable},
		{"/search/f/3.0123abcd45.json", immutable},
		{"/search/it/manifest.json", "public, max-age=0, must-revalidate"},
		{"/search/ar/manifest.json", "public, max-age=0, must-revalidate"},
		{"/api/desks.json", "public, max-age=0, must-revalidate"},
	}
	for _, tt := range tests {
		if got := cfg.HeadersFor(tt.path).Get("Cache-Control"); got != tt.want {
			t.Errorf("%s: Cache-Control %q, want %q", tt.path, got, tt.want)
		}
	}
}

func TestRepoConfigCORS(t *testing.T) {
	cfg := repoConfig(t)
	for _, p := range []string{"/api/desks.json", "/api/desks.geojson", "/api/hsds/services.json", "/api/desks/milano.ics"} {
		if got := cfg.HeadersFor(p).Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("%s: Access-Control-Allow-Origin %q, want *", p, got)
		}
	}
	for _, p := range []string{"/it/", "/embed/desks/", "/assets/site.abc.css"} {
		if got := cfg.HeadersFor(p).Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("%s: Access-Control-Allow-Origin %q, want none outside /api/", p, got)
		}
	}
}

func TestRepoConfigRedirects(t *testing.T) {
	cfg := repoConfig(t)
	var root, notFound []Redirect
	for _, r := range cfg.Redirects {
		switch {
		case r.From == "/":
			root = append(root, r)
		case strings.HasSuffix(r.From, "/*") && r.Status == 404:
			notFound = append(notFound, r)
		default:
			t.Errorf("%s: unexpected rule from %q", r.Source, r.From)
		}
	}
	if len(root) != len(siteLanguages) {
		t.Fatalf("got %d root rules, want one per language (%d)", len(root), len(siteLanguages))
	}
	for i, l := range siteLanguages {
		r := root[i]
		if r.To != "/"+l+"/" || r.Status != 302 || !r.Force || !slices.Equal(r.Languages, []string{l}) || len(r.Countries) != 0 {
			t.Errorf("root rule %d = %+v, want / -> /%s/ 302 force Language=[%s]", i, r, l, l)
		}
	}
	if len(notFound) != len(siteLanguages) {
		t.Fatalf("got %d 404 rules, want %d", len(notFound), len(siteLanguages))
	}
	for i, l := range siteLanguages {
		r := notFound[i]
		if r.From != "/"+l+"/*" || r.To != "/"+l+"/404.html" || r.Force {
			t.Errorf("404 rule %d = %+v, want /%s/* -> /%s/404.html 404 without force", i, r, l, l)
		}
	}
	// No unconditional rule may catch "/": without a matching language the
	// chooser page is served.
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Accept-Language", "de-DE,it;q=0.9")
	if m, ok := MatchRedirect(cfg.Redirects, req, func(string) bool { return true }); ok {
		t.Errorf("a German browser is redirected to %s; want the chooser", m.Target)
	}
	for _, l := range siteLanguages {
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("Accept-Language", l+"-XX, en;q=0.5")
		m, ok := MatchRedirect(cfg.Redirects, req, func(string) bool { return true })
		if !ok || m.Target != "/"+l+"/" {
			t.Errorf("first language %s-XX: got %q, want /%s/", l, m.Target, l)
		}
	}
}
