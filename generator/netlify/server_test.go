package netlify

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
)

const strictCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; manifest-src 'self'; worker-src 'self'; frame-ancestors 'none'"

// fixtureServer serves testdata/site with the repository's netlify.toml.
func fixtureServer(t *testing.T) *Handler {
	t.Helper()
	cfg, err := Load("../../netlify.toml")
	if err != nil {
		t.Fatal(err)
	}
	site := os.DirFS("testdata/site")
	return Middleware(cfg, func() fs.FS { return site }, nil)
}

type response struct {
	status int
	header http.Header
	body   string
}

func do(t *testing.T, h http.Handler, method, target string, reqHeader map[string]string) response {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	for k, v := range reqHeader {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	body, _ := io.ReadAll(w.Result().Body)
	return response{w.Code, w.Result().Header, string(body)}
}

func TestMiddlewareFixture(t *testing.T) {
	h := fixtureServer(t)
	tests := []struct {
		name       string
		method     string
		target     string
		header     map[string]string
		wantStatus int
		wantHeader map[string]string // "" value: header must be absent
		wantBody   string            // substring
	}{
		{name: "root without language serves the chooser", target: "/",
			wantStatus: 200, wantBody: "Fixture language chooser",
			wantHeader: map[string]string{"Content-Security-Policy": strictCSP, "X-Frame-Options": "DENY",
				"Content-Type": "text/html; charset=utf-8", "Vary": "Accept-Language", "Referrer-Policy": "same-origin"}},
		{name: "root redirects by first language", target: "/", header: map[string]string{"Accept-Language": "ar-EG,ar;q=0.9,it;q=0.8"},
			wantStatus: 302, wantHeader: map[string]string{"Location": "/ar/"}},
		{name: "root ignores later languages", target: "/", header: map[string]string{"Accept-Language": "de-DE, it;q=0.9"},
			wantStatus: 200, wantBody: "Fixture language chooser"},
		{name: "root redirect keeps the query", target: "/?utm=x", header: map[string]string{"Accept-Language": "uk"},
			wantStatus: 302, wantHeader: map[string]string{"Location": "/uk/?utm=x"}},
		{name: "index.html is reachable directly", target: "/index.html", header: map[string]string{"Accept-Language": "it"},
			wantStatus: 200, wantBody: "Fixture language chooser"},
		{name: "language home", target: "/it/", wantStatus: 200, wantBody: "home page it",
			wantHeader: map[string]string{"Cache-Control": "public, max-age=0, must-revalidate", "Content-Security-Policy": strictCSP}},
		{name: "directory without slash", target: "/it/guides/permesso?x=1", wantStatus: 301,
			wantHeader: map[string]string{"Location": "/it/guides/permesso/?x=1"}},
		{name: "language root without slash", target: "/it", wantStatus: 301, wantHeader: map[string]string{"Location": "/it/"}},
		{name: "flat html without extension", target: "/it/contatti", wantStatus: 200, wantBody: "flat html page"},
		{name: "per-language 404", target: "/ar/nope/", wantStatus: 404, wantBody: "not found page ar",
			wantHeader: map[string]string{"Content-Security-Policy": strictCSP, "X-Frame-Options": "DENY"}},
		{name: "root 404 for other paths", target: "/nope", wantStatus: 404, wantBody: "root not found page",
			wantHeader: map[string]string{"Strict-Transport-Security": "max-age=63072000; includeSubDomains"}},
		{name: "alias from the site's _redirects", target: "/it/guida-vecchia", wantStatus: 301,
			wantHeader: map[string]string{"Location": "/it/guides/permesso/"}},
		{name: "alias with splat", target: "/it/archivio/permesso/", wantStatus: 301,
			wantHeader: map[string]string{"Location": "/it/guides/permesso/"}},
		{name: "embed is frameable", target: "/embed/desks/", wantStatus: 200,
			wantHeader: map[string]string{"X-Frame-Options": "", "Content-Security-Policy": strings.Replace(strictCSP, "frame-ancestors 'none'", "frame-ancestors *", 1)}},
		{name: "hashed asset", target: "/assets/site.3f2a9c1b.css", wantStatus: 200, wantBody: "body{margin:0}",
			wantHeader: map[string]string{"Cache-Control": "public, max-age=31536000, immutable", "Content-Type": "text/css; charset=utf-8",
				"Content-Security-Policy": "", "X-Content-Type-Options": "nosniff"}},
		{name: "search manifest", target: "/search/it/manifest.json", wantStatus: 200,
			wantHeader: map[string]string{"Cache-Control": "public, max-age=0, must-revalidate", "Content-Type": "application/json"}},
		{name: "search hashed chunk", target: "/search/t/5e6f7a8b90.json", wantStatus: 200,
			wantHeader: map[string]string{"Cache-Control": "public, max-age=31536000, immutable"}},
		{name: "desk feed CORS", target: "/api/desks.geojson", wantStatus: 200,
			wantHeader: map[string]string{"Access-Control-Allow-Origin": "*", "Content-Type": "application/geo+json"}},
		{name: "desk calendar", target: "/api/desks/fixture-desk.ics", wantStatus: 200, wantBody: "BEGIN:VCALENDAR",
			wantHeader: map[string]string{"Access-Control-Allow-Origin": "*", "Content-Type": "text/calendar; charset=utf-8"}},
		{name: "_redirects is not served", target: "/_redirects", wantStatus: 404, wantBody: "root not found page"},
		{name: "HEAD has no body", method: "HEAD", target: "/it/", wantStatus: 200, wantBody: ""},
		{name: "POST to a page", method: "POST", target: "/it/", wantStatus: 405, wantHeader: map[string]string{"Allow": "GET, HEAD"}},
		{name: "no escape from the site root", target: "/it/../../etc/passwd", wantStatus: 404, wantBody: "not found page it"},
		{name: "functions are not built in", target: "/.netlify/functions/contact", wantStatus: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = "GET"
			}
			got := do(t, h, method, tt.target, tt.header)
			if got.status != tt.wantStatus {
				t.Errorf("status = %d, want %d (body %q)", got.status, tt.wantStatus, got.body)
			}
			for name, want := range tt.wantHeader {
				if v := got.header.Get(name); v != want {
					t.Errorf("%s = %q, want %q", name, v, want)
				}
			}
			if tt.wantBody != "" && !strings.Contains(got.body, tt.wantBody) {
				t.Errorf("body %q does not contain %q", got.body, tt.wantBody)
			}
			if method == "HEAD" && got.body != "" {
				t.Errorf("HEAD body = %q, want empty", got.body)
			}
		})
	}
}

func TestMiddlewareSwapsSite(t *testing.T) {
	v1 := fstest.MapFS{"it/index.html": {Data: []byte("version one")}}
	v2 := fstest.MapFS{
		"it/index.html": {Data: []byte("version two")},
		"_redirects":    {Data: []byte("/it/vecchia /it/ 301\n")},
	}
	var current atomic.Pointer[fstest.MapFS]
	current.Store(&v1)
	h := Middleware(nil, func() fs.FS { return *current.Load() }, nil)

	if got := do(t, h, "GET", "/it/", nil); got.body != "version one" {
		t.Fatalf("before swap: body %q", got.body)
	}
	if got := do(t, h, "GET", "/it/vecchia", nil); got.status != 404 || got.body != "Not Found\n" {
		t.Fatalf("before swap: /it/vecchia = %d %q, want the plain 404 (no 404.html)", got.status, got.body)
	}
	current.Store(&v2)
	if got := do(t, h, "GET", "/it/", nil); got.body != "version two" {
		t.Fatalf("after swap: body %q", got.body)
	}
	if got := do(t, h, "GET", "/it/vecchia", nil); got.status != 301 || got.header.Get("Location") != "/it/" {
		t.Fatalf("after swap: /it/vecchia = %d %q, want 301 to /it/ from the new _redirects", got.status, got.header.Get("Location"))
	}
}

func TestMiddlewareNoSite(t *testing.T) {
	h := Middleware(nil, func() fs.FS { return nil }, nil)
	if got := do(t, h, "GET", "/", nil); got.status != http.StatusServiceUnavailable {
		t.Fatalf("status = %d, want 503 before the first build", got.status)
	}
}

func TestMiddlewareBadRedirectsFile(t *testing.T) {
	site := fstest.MapFS{
		"index.html": {Data: []byte("home")},
		"_redirects": {Data: []byte("/a /b 301\n/broken\n")},
	}
	h := Middleware(nil, func() fs.FS { return site }, nil)
	got := do(t, h, "GET", "/", nil)
	if got.status != 500 || !strings.Contains(got.body, "_redirects:2: rule \"/broken\" needs at least a from path and a target") {
		t.Fatalf("got %d %q, want 500 naming _redirects:2", got.status, got.body)
	}
}

func TestMiddlewareRewritesAndFunctions(t *testing.T) {
	site := fstest.MapFS{
		"index.html":       {Data: []byte("home")},
		"app/shell.html":   {Data: []byte("app shell")},
		"gone/notice.html": {Data: []byte("this page was removed")},
	}
	extra := mustRules(t, `/api/contact /.netlify/functions/contact 200
/app/* /app/shell.html 200
/missing/* /nowhere.html 200
/removed /gone/notice.html 410
/out/* /:splat 301
`)
	cfg, err := Parse([]byte("[[headers]]\nfor = \"/*\"\n[headers.values]\nX-Test = \"static\"\n"), "netlify.toml")
	if err != nil {
		t.Fatal(err)
	}
	h := Middleware(cfg, func() fs.FS { return site }, extra)
	var gotPath, gotMethod string
	h.Functions = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotPath, gotMethod = r.URL.Path, r.Method
		w.Header().Set("X-Function", "yes")
		io.WriteString(w, "from function")
	})

	got := do(t, h, "POST", "/api/contact", nil)
	if got.body != "from function" || gotPath != "/.netlify/functions/contact" || gotMethod != "POST" {
		t.Errorf("rewrite to function: body %q path %q method %q", got.body, gotPath, gotMethod)
	}
	if got.header.Get("X-Test") != "" || got.header.Get("X-Function") != "yes" {
		t.Errorf("function response headers = %v, want only the function's own", got.header)
	}
	got = do(t, h, "POST", "/.netlify/functions/contact", nil)
	if got.body != "from function" || got.header.Get("X-Test") != "" {
		t.Errorf("direct function call: %q %v", got.body, got.header)
	}
	got = do(t, h, "GET", "/app/some/route", nil)
	if got.status != 200 || got.body != "app shell" || got.header.Get("X-Test") != "static" {
		t.Errorf("200 rewrite: %d %q %v", got.status, got.body, got.header)
	}
	got = do(t, h, "GET", "/missing/x", nil)
	if got.status != 404 {
		t.Errorf("rewrite to a missing file: status %d, want 404", got.status)
	}
	got = do(t, h, "GET", "/removed", nil)
	if got.status != 410 || got.body != "this page was removed" {
		t.Errorf("410 rule: %d %q", got.status, got.body)
	}
	got = do(t, h, "GET", "/out//evil.example/x", nil)
	if loc := got.header.Get("Location"); got.status != 301 || loc != "/evil.example/x" {
		t.Errorf("splat starting with a slash: %d Location %q, want a same-site path", got.status, loc)
	}
}

func TestMiddlewareConditionalGet(t *testing.T) {
	h := fixtureServer(t)
	first := do(t, h, "GET", "/assets/site.3f2a9c1b.css", nil)
	lm := first.header.Get("Last-Modified")
	if lm == "" {
		t.Fatal("no Last-Modified on a static file")
	}
	got := do(t, h, "GET", "/assets/site.3f2a9c1b.css", map[string]string{"If-Modified-Since": lm})
	if got.status != http.StatusNotModified {
		t.Errorf("status = %d, want 304", got.status)
	}
	if got.header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("304 lost the rule headers: %v", got.header)
	}
}

// BenchmarkServePage measures one page request through the rules of the
// repository's netlify.toml, as the dev server handles it.
func BenchmarkServePage(b *testing.B) {
	cfg, err := Load("../../netlify.toml")
	if err != nil {
		b.Fatal(err)
	}
	site := os.DirFS("testdata/site")
	h := Middleware(cfg, func() fs.FS { return site }, nil)
	r := httptest.NewRequest("GET", "/ar/guides/x/y/", nil)
	r.Header.Set("Accept-Language", "ar-EG")
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatalf("status %d", w.Code)
		}
	}
}

// TestMiddlewareConcurrentSwap serves requests from many goroutines while the
// site (and its _redirects) is swapped; run with -race.
func TestMiddlewareConcurrentSwap(t *testing.T) {
	sites := []fstest.MapFS{
		{"it/index.html": {Data: []byte("A")}, "_redirects": {Data: []byte("/old /it/ 301\n")}},
		{"it/index.html": {Data: []byte("B")}, "_redirects": {Data: []byte("/old /it/ 302\n")}},
	}
	var current atomic.Int32
	h := Middleware(nil, func() fs.FS { return sites[current.Load()%2] }, nil)
	done := make(chan struct{})
	errs := make(chan string, 64)
	for g := 0; g < 8; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := 0; i < 200; i++ {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest("GET", "/old", nil))
				if w.Code != 301 && w.Code != 302 {
					errs <- "unexpected status " + w.Result().Status
					return
				}
				w = httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest("GET", "/it/", nil))
				if b := w.Body.String(); b != "A" && b != "B" {
					errs <- "unexpected body " + b
					return
				}
			}
		}()
	}
	for i := 0; i < 100; i++ {
		current.Add(1)
	}
	for g := 0; g < 8; g++ {
		<-done
	}
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
