package devserver

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"portal/contact"
	"portal/generator/netlify"
)

// guide returns the text of a valid guide with body as its text.
func guide(title, body string) string {
	return "---\ntitle: \"" + title + "\"\ndescription: \"Una guida di prova.\"\nreviewed: 2026-11-22\n" +
		"sources:\n  - text: \"D.Lgs. 286/1998, art. 4\"\n---\n" + body + "\n"
}

const vistoURL = "/it/guides/entry/visto/"

func (ts *testServer) vistoPath() string {
	return filepath.Join(ts.site, "content", "guides", "entry", "visto.it.md")
}

// mustContain fetches path and checks its status and that it contains want.
func (ts *testServer) mustContain(t *testing.T, path string, status int, want string) string {
	t.Helper()
	resp, body := ts.get(t, path)
	if resp.StatusCode != status {
		t.Fatalf("GET %s: status %d, want %d", path, resp.StatusCode, status)
	}
	if !strings.Contains(body, want) {
		t.Fatalf("GET %s: body does not contain %q:\n%.600s", path, want, body)
	}
	return body
}

func TestEditIsServedAndAnnounced(t *testing.T) {
	ts := start(t, newSite(t), nil)
	ts.mustContain(t, vistoURL, http.StatusOK, "PRIMA VERSIONE")
	events := ts.open(t)
	hello := events.expect(t, "hello")
	first, _ := hello["build"].(string)
	if first == "" || len(jsonStrings(t, hello["errors"])) != 0 {
		t.Fatalf("hello = %v, want a build id and no errors", hello)
	}

	writeFile(t, ts.vistoPath(), guide("Il visto", "Il visto è il permesso di entrare. SECONDA VERSIONE."))
	reload := events.expect(t, "reload")
	if reload["build"] == first || reload["build"] == "" {
		t.Errorf("reload build id %v, want a new id (was %v)", reload["build"], first)
	}
	// The incremental update names the pages it changed, so tabs on other
	// pages stay as they are.
	if changed := jsonStrings(t, reload["changed"]); !slices.Contains(changed, vistoURL) || slices.Contains(changed, "/it/") {
		t.Errorf("reload names changed paths %q, want them to include %s and not the home page", changed, vistoURL)
	}
	ts.mustContain(t, vistoURL, http.StatusOK, "SECONDA VERSIONE")
	if st := ts.status(t); st.Builds != 2 || !st.OK || st.Build != reload["build"] {
		t.Errorf("status after one edit: %+v, want 2 builds, ok, build %v", st, reload["build"])
	}
}

func TestLayoutEditReloadsEveryPage(t *testing.T) {
	ts := start(t, newSite(t), nil)
	events := ts.open(t)
	events.expect(t, "hello")
	base := filepath.Join(ts.site, "layouts", "base.html")
	orig, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, base, string(orig)+"{{/* edited */}}\n")
	reload := events.expect(t, "reload")
	if changed, ok := reload["changed"]; !ok || changed != nil {
		t.Errorf("reload after a layout edit names %v, want null (every page)", changed)
	}
}

func TestRenameOverSave(t *testing.T) {
	ts := start(t, newSite(t), nil)
	events := ts.open(t)
	events.expect(t, "hello")

	// What editors' atomic saves do: write a temporary file beside the
	// original, then rename it over the original.
	tmp := filepath.Join(filepath.Dir(ts.vistoPath()), ".visto.it.md.swp-1234")
	writeFile(t, tmp, guide("Il visto", "Salvato con una rinomina. TERZA VERSIONE."))
	if err := os.Rename(tmp, ts.vistoPath()); err != nil {
		t.Fatal(err)
	}
	events.expect(t, "reload")
	ts.mustContain(t, vistoURL, http.StatusOK, "TERZA VERSIONE")
	events.quiet(t, 500*time.Millisecond)
	if st := ts.status(t); st.Builds != 2 {
		t.Errorf("a rename-over save caused %d rebuilds, want 1", st.Builds-1)
	}

	// The file is still followed after the rename (the watch is on the
	// folder, not on the replaced file).
	writeFile(t, ts.vistoPath(), guide("Il visto", "Dopo la rinomina. QUARTA VERSIONE."))
	events.expect(t, "reload")
	ts.mustContain(t, vistoURL, http.StatusOK, "QUARTA VERSIONE")
}

func TestBurstIsOneRebuild(t *testing.T) {
	const debounce = 300 * time.Millisecond
	ts := start(t, newSite(t), func(o *Options) { o.Debounce = debounce })
	events := ts.open(t)
	events.expect(t, "hello")

	for i := range 20 {
		writeFile(t, ts.vistoPath(), guide("Il visto", fmt.Sprintf("Scrittura numero %d di 20.", i+1)))
	}
	events.expect(t, "reload")
	events.quiet(t, 3*debounce)
	if st := ts.status(t); st.Builds != 2 {
		t.Errorf("20 quick writes caused %d rebuilds, want 1", st.Builds-1)
	}
	ts.mustContain(t, vistoURL, http.StatusOK, "Scrittura numero 20 di 20.")
}

func TestDeletedFileAndNewFolder(t *testing.T) {
	ts := start(t, newSite(t), nil)
	events := ts.open(t)
	events.expect(t, "hello")

	// Deleting one translation leaves a fallback page; deleting both
	// removes the page in every language.
	for _, f := range []string{ts.vistoPath(), strings.Replace(ts.vistoPath(), ".it.md", ".en.md", 1)} {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}
	events.expect(t, "reload")
	ts.waitStatus(t, "the deleted guide to go", func(Status) bool {
		resp, _ := ts.get(t, vistoURL)
		return resp.StatusCode == http.StatusNotFound
	})
	// The Italian 404 page answers.
	_, body := ts.get(t, vistoURL)
	it404, err := fs.ReadFile(ts.siteFS(), "it/404.html")
	if err != nil {
		t.Fatal(err)
	}
	if body != string(it404) {
		t.Errorf("GET %s after deleting its files does not serve the Italian 404 page:\n%.300s", vistoURL, body)
	}

	// A new topic folder with files, created in one go (as when a folder is
	// pasted or checked out): the files inside are seen although they may
	// be written before the folder is watched.
	dir := filepath.Join(ts.site, "content", "guides", "residence")
	writeFile(t, filepath.Join(dir, "_index.it.md"), "---\ntitle: \"Soggiorno\"\ndescription: \"Restare in Italia.\"\n---\nIl soggiorno.\n")
	writeFile(t, filepath.Join(dir, "permesso.it.md"), guide("Il permesso", "Il permesso di soggiorno. NUOVA CARTELLA."))
	ts.waitStatus(t, "the new folder's page", func(Status) bool {
		resp, _ := ts.get(t, "/it/guides/residence/permesso/")
		return resp.StatusCode == http.StatusOK
	})
	ts.mustContain(t, "/it/guides/residence/permesso/", http.StatusOK, "NUOVA CARTELLA.")

	// A file created later in the new folder is watched too.
	writeFile(t, filepath.Join(dir, "rinnovo.it.md"), guide("Il rinnovo", "Rinnovare il permesso. DOPO."))
	ts.waitStatus(t, "a later file in the new folder", func(Status) bool {
		resp, _ := ts.get(t, "/it/guides/residence/rinnovo/")
		return resp.StatusCode == http.StatusOK
	})

	// Removing the whole folder removes its pages.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	ts.waitStatus(t, "the removed folder's pages to go", func(Status) bool {
		resp, _ := ts.get(t, "/it/guides/residence/permesso/")
		return resp.StatusCode == http.StatusNotFound
	})
}

func TestErrorOverlayPath(t *testing.T) {
	ts := start(t, newSite(t), nil)
	events := ts.open(t)
	hello := events.expect(t, "hello")

	broken := strings.Replace(guide("Il visto", "ROTTA."), "reviewed: 2026-11-22", "reviewed: domani", 1)
	writeFile(t, ts.vistoPath(), broken)
	ev := events.expect(t, "error")
	errs := jsonStrings(t, ev["errors"])
	wantLoc := "visto.it.md:4"
	if len(errs) != 1 || !strings.Contains(errs[0], wantLoc) || !strings.Contains(errs[0], "domani") {
		t.Fatalf("error event lists %q, want one error at %s about \"domani\"", errs, wantLoc)
	}
	if ev["build"] != hello["build"] {
		t.Errorf("error event build %v, want the build still served, %v", ev["build"], hello["build"])
	}
	// The last good page is still served.
	ts.mustContain(t, vistoURL, http.StatusOK, "PRIMA VERSIONE")
	st := ts.status(t)
	if st.OK || !slices.Equal(st.Errors, errs) {
		t.Errorf("status = ok %v, errors %q; want not ok and %q", st.OK, st.Errors, errs)
	}
	// A tab opened now learns about the error at once.
	late := ts.open(t)
	if got := jsonStrings(t, late.expect(t, "hello")["errors"]); !slices.Equal(got, errs) {
		t.Errorf("hello of a new tab lists %q, want %q", got, errs)
	}

	writeFile(t, ts.vistoPath(), guide("Il visto", "Corretta. VERSIONE CORRETTA."))
	events.expect(t, "reload")
	late.expect(t, "reload")
	ts.mustContain(t, vistoURL, http.StatusOK, "VERSIONE CORRETTA.")
	if st := ts.status(t); !st.OK || len(st.Errors) != 0 {
		t.Errorf("status after the fix: %+v, want ok and no errors", st)
	}
	if got := jsonStrings(t, ts.open(t).expect(t, "hello")["errors"]); len(got) != 0 {
		t.Errorf("hello after the fix lists %q, want no errors", got)
	}
}

func TestFirstBuildFails(t *testing.T) {
	site := newSite(t)
	visto := filepath.Join(site, "content", "guides", "entry", "visto.it.md")
	writeFile(t, visto, "---\ntitle: [unclosed\n---\nTesto.\n")
	ts := start(t, site, nil)

	// No good build yet: every path answers with a page listing the
	// problem, which loads reload.js to update itself.
	resp, body := ts.get(t, "/it/")
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("GET /it/ before any good build: status %d, want 503", resp.StatusCode)
	}
	for _, want := range []string{"visto.it.md:2", `<script src="/__portal/reload.js" defer></script>`, `content="no-site"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the no-site page lacks %q:\n%s", want, body)
		}
	}
	checkNoInline(t, "the no-site page", body)
	if csp := resp.Header.Get("Content-Security-Policy"); csp == "" || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("the no-site page has CSP %q, want the site's policy", csp)
	}

	events := ts.open(t)
	if errs := jsonStrings(t, events.expect(t, "hello")["errors"]); len(errs) == 0 {
		t.Error("hello lists no errors while the first build failed")
	}
	writeFile(t, visto, guide("Il visto", "Riparata. PRIMA BUONA."))
	events.expect(t, "reload")
	ts.mustContain(t, vistoURL, http.StatusOK, "PRIMA BUONA.")
}

// checkNoInline fails when html holds an inline script, a style element or
// attribute, or an event handler attribute: the CSP forbids them.
func checkNoInline(t *testing.T, what, html string) {
	t.Helper()
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`<script(\s[^>]*)?>\s*[^<\s]`), // a script with content
		regexp.MustCompile(`<style[\s>]`),
		regexp.MustCompile(`\sstyle=`),
		regexp.MustCompile(`\son[a-z]+=`),
	} {
		if m := re.FindString(html); m != "" {
			t.Errorf("%s has inline code the CSP forbids: %q", what, m)
		}
	}
}

func TestHeaderParityWithNetlifyToml(t *testing.T) {
	ts := start(t, newSite(t), nil)
	cfg, err := netlify.Load(filepath.Join(ts.site, "netlify.toml"))
	if err != nil {
		t.Fatal(err)
	}
	css, err := fs.Glob(ts.siteFS(), "assets/site.*.css")
	if err != nil || len(css) != 1 {
		t.Fatalf("finding the site's stylesheet: %v %v", css, err)
	}
	en404, err := fs.ReadFile(ts.siteFS(), "en/404.html")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path   string
		header []string
		status int
		body   string // when set, the exact body
	}{
		{path: "/", status: http.StatusOK},
		{path: "/", header: []string{"Accept-Language", "en-GB,it;q=0.5"}, status: http.StatusFound},
		{path: "/it/", status: http.StatusOK},
		{path: vistoURL, status: http.StatusOK},
		{path: "/en/guides/entry/visto/", status: http.StatusOK},
		{path: "/it/guides/entry/visto", status: http.StatusMovedPermanently},
		{path: "/assets/" + filepath.Base(css[0]), status: http.StatusOK},
		{path: "/search/it/manifest.json", status: http.StatusOK},
		{path: "/sitemap.xml", status: http.StatusOK},
		{path: "/robots.txt", status: http.StatusOK},
		{path: "/en/no-such-page/", status: http.StatusNotFound, body: string(en404)},
		{path: "/no-such-file.txt", status: http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(strings.Trim(tt.path, "/")+strings.Join(tt.header, "="), func(t *testing.T) {
			resp, body := ts.get(t, tt.path, tt.header...)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			want := cfg.HeadersFor(tt.path)
			if len(want) == 0 {
				t.Fatalf("netlify.toml has no header rule for %s: the test would check nothing", tt.path)
			}
			for name, values := range want {
				if got := resp.Header.Values(name); !slices.Equal(got, values) {
					t.Errorf("%s: %q, want %q (from netlify.toml)", name, got, values)
				}
			}
			if tt.body != "" && body != tt.body {
				t.Errorf("body is not the expected page:\n%.300s", body)
			}
			if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				checkNoInline(t, tt.path, body)
			}
			// The language chooser at / does not render the page scripts
			// (layouts/root.html), so only language pages are checked.
			if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") && resp.StatusCode == http.StatusOK && tt.path != "/" {
				if !strings.Contains(body, `<script src="/__portal/reload.js" defer>`) {
					t.Errorf("page does not load the reload script")
				}
			}
		})
	}
	resp, _ := ts.get(t, "/", "Accept-Language", "en-GB,it;q=0.5")
	if loc := resp.Header.Get("Location"); loc != "/en/" {
		t.Errorf("/ with Accept-Language en-GB redirects to %q, want /en/ (netlify.toml's Language rule)", loc)
	}
}

func TestNetlifyTomlEdits(t *testing.T) {
	ts := start(t, newSite(t), nil)
	events := ts.open(t)
	events.expect(t, "hello")
	path := filepath.Join(ts.site, "netlify.toml")
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	edited := strings.Replace(string(orig), `Referrer-Policy = "same-origin"`, `Referrer-Policy = "no-referrer"`, 1)
	if edited == string(orig) {
		t.Fatal("netlify.toml no longer sets Referrer-Policy to same-origin; update this test")
	}
	writeFile(t, path, edited)
	events.expect(t, "reload")
	// The reload event may be the first build's (it can reach the stream
	// after hello on a busy machine): wait for the rule itself.
	if got := ts.headerEventually(t, "/it/", "Referrer-Policy", "no-referrer"); got != "no-referrer" {
		t.Errorf("after editing netlify.toml, Referrer-Policy is %q, want no-referrer", got)
	}
	if st := ts.status(t); st.Builds != 1 {
		t.Errorf("editing netlify.toml rebuilt the site (%d builds); its rules apply without a build", st.Builds)
	}

	writeFile(t, path, edited+"\n[[redirects]]\n  from = \"/x\"\n  stauts = 301\n")
	ev := events.expect(t, "error")
	errs := jsonStrings(t, ev["errors"])
	if len(errs) == 0 || !strings.Contains(strings.Join(errs, "\n"), "netlify.toml:") {
		t.Errorf("error event for an invalid netlify.toml lists %q, want a netlify.toml:line message", errs)
	}
	if resp, _ := ts.get(t, "/it/"); resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("an invalid netlify.toml changed the rules in force: Referrer-Policy %q", resp.Header.Get("Referrer-Policy"))
	}

	writeFile(t, path, string(orig))
	events.expect(t, "reload")
	if got := ts.headerEventually(t, "/it/", "Referrer-Policy", "same-origin"); got != "same-origin" {
		t.Errorf("after restoring netlify.toml, Referrer-Policy is %q", got)
	}
	if st := ts.status(t); !st.OK {
		t.Errorf("status after restoring netlify.toml: %+v, want ok", st)
	}
}

// headerEventually polls path until header has value want (or five
// seconds pass) and returns the last value seen.
func (ts *testServer) headerEventually(t *testing.T, path, header, want string) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, _ := ts.get(t, path)
		got := resp.Header.Get(header)
		if got == want || time.Now().After(deadline) {
			return got
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// mailbox is a contact.Sender that keeps what it is given.
type mailbox struct {
	mu   sync.Mutex
	sent []string // "to\n" + message
}

func (m *mailbox) Send(_ context.Context, from, to string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, to+"\n"+string(data))
	return nil
}

func TestContactFunction(t *testing.T) {
	form := url.Values{
		"name":     {"Amina"},
		"reply":    {"amina@example.net"},
		"lang":     {"it"},
		"ui":       {"it"},
		"desk":     {"prova-anteprima"},
		"topic":    {"residence"},
		"question": {"Quando scade il mio permesso?"},
		"consent":  {"yes"},
	}.Encode()
	post := func(t *testing.T, ts *testServer) *http.Response {
		t.Helper()
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := client.Post(ts.url+"/.netlify/functions/contact", "application/x-www-form-urlencoded", strings.NewReader(form))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}

	t.Run("mail not configured", func(t *testing.T) {
		ts := start(t, newSite(t), nil)
		if resp := post(t, ts); resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("POST without mail settings: status %d, want 503", resp.StatusCode)
		}
	})

	t.Run("configured", func(t *testing.T) {
		box := &mailbox{}
		env := map[string]string{contact.EnvSMTPHost: "localhost", contact.EnvFrom: "Portale <noreply@example.org>"}
		ts := start(t, newSite(t), func(o *Options) {
			o.Getenv = func(k string) string { return env[k] }
			o.ContactOptions = []contact.Option{contact.WithSender(box)}
		})
		resp := post(t, ts)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/it/contact/sent/" {
			t.Errorf("POST: status %d, Location %q; want 303 to /it/contact/sent/", resp.StatusCode, resp.Header.Get("Location"))
		}
		box.mu.Lock()
		defer box.mu.Unlock()
		if len(box.sent) != 1 || !strings.HasPrefix(box.sent[0], "prova@desks.example.org\n") {
			t.Errorf("sent %d messages (%q), want one to the desk", len(box.sent), box.sent)
		}
		// Header rules are not applied to function responses, as on Netlify.
		if got := resp.Header.Get("Strict-Transport-Security"); got != "" {
			t.Errorf("the function's answer got netlify.toml's Strict-Transport-Security %q", got)
		}
	})

	t.Run("unknown function", func(t *testing.T) {
		ts := start(t, newSite(t), nil)
		if resp, _ := ts.get(t, "/.netlify/functions/nothing"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET an unknown function: status %d, want 404", resp.StatusCode)
		}
	})
}

func TestPortInUse(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	port := taken.Addr().(*net.TCPAddr).Port
	ln, err := Listen("127.0.0.1", port)
	if err == nil {
		ln.Close()
		t.Fatalf("Listen on a taken port succeeded")
	}
	want := fmt.Sprintf("port %d is in use: pass --port N to use another one", port)
	if err.Error() != want || !errors.Is(err, ErrPortInUse) {
		t.Errorf("Listen on a taken port: %q (Is ErrPortInUse: %v), want %q", err, errors.Is(err, ErrPortInUse), want)
	}
}

func TestGracefulShutdown(t *testing.T) {
	before := runtime.NumGoroutine()
	ts := start(t, newSite(t), nil)
	events := ts.open(t)
	events.expect(t, "hello")
	ts.mustContain(t, "/it/", http.StatusOK, "<html")

	ts.cancel()
	select {
	case err := <-ts.done:
		if err != nil {
			t.Fatalf("Serve after cancel: %v", err)
		}
		close(ts.done)
	case <-time.After(waitLimit):
		t.Fatal("Serve did not return after its context was cancelled")
	}
	select {
	case <-events.closed:
	case <-time.After(waitLimit):
		t.Fatal("an open event stream was not closed on shutdown")
	}
	if _, err := http.Get(ts.url + "/it/"); err == nil {
		t.Error("the server still answers after shutting down")
	}
	http.DefaultClient.CloseIdleConnections()

	// Every goroutine the server started has ended.
	deadline := time.Now().Add(waitLimit)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines before the server, %d after it stopped:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestOwnFiles(t *testing.T) {
	ts := start(t, newSite(t), nil)
	tests := []struct {
		path, contentType string
		body              []byte
	}{
		{"/__portal/reload.js", "text/javascript; charset=utf-8", reloadJS},
		{"/__portal/overlay.css", "text/css; charset=utf-8", overlayCSS},
	}
	for _, tt := range tests {
		resp, body := ts.get(t, tt.path)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != tt.contentType || body != string(tt.body) {
			t.Errorf("GET %s: status %d, Content-Type %q, body matches %v", tt.path, resp.StatusCode, resp.Header.Get("Content-Type"), body == string(tt.body))
		}
	}
	if resp, _ := ts.get(t, "/__portal/nothing"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /__portal/nothing: status %d, want 404", resp.StatusCode)
	}
	// The reload script is served, never written into the site.
	err := fs.WalkDir(ts.siteFS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && (d.Name() == "reload.js" || d.Name() == "__portal") {
			t.Errorf("the built site contains %s", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
