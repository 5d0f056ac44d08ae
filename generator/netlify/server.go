package netlify

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

// FunctionsPrefix is the path under which Netlify serves functions.
const FunctionsPrefix = "/.netlify/functions/"

// Handler serves a built site the way Netlify's CDN does. Create it with
// Middleware.
type Handler struct {
	// Functions, when set, serves requests under FunctionsPrefix, directly or
	// through a 200 rewrite. Header rules are not applied to its responses,
	// as on Netlify: a function sets its own headers.
	Functions http.Handler

	cfg   *Config
	site  func() fs.FS
	extra []Redirect

	mu        sync.Mutex
	fileRules []byte     // content of the last _redirects file parsed
	parsed    []Redirect // rules parsed from fileRules
	parseErr  error
}

// Middleware returns a handler that serves the built site returned by site,
// called once per request so that a dev server can swap in a new build at any
// time (return an fs.FS rooted at the publish directory, e.g. os.DirFS).
//
// Requests are handled like Netlify does:
//   - Redirect rules are evaluated in order: extraRedirects first, then the
//     site's own _redirects file (re-read whenever its content changes), then
//     cfg.Redirects. The first matching rule wins; a rule without force is
//     skipped when a file exists at the path (shadowing). 301 and 302 answer
//     with Location (the query string is kept when the target has none); 200
//     serves the target's content; 404 and 410 serve the target's content
//     with that status.
//   - Pretty URLs: "/it/" serves it/index.html; "/it/x" answers 301 to
//     "/it/x/" when it/x/index.html exists, or serves it/x.html.
//   - A path that resolves to nothing gets /404.html with status 404.
//   - The headers of every [[headers]] rule matching the request path are
//     set on every response except those of functions, 404s included.
//
// cfg may be nil (no rules). Rules in extraRedirects that were not produced
// by ParseRedirectsFile or Load are compiled here; invalid ones are logged and
// skipped.
func Middleware(cfg *Config, site func() fs.FS, extraRedirects []Redirect) *Handler {
	if cfg == nil {
		cfg = &Config{}
	}
	h := &Handler{cfg: cfg, site: site}
	for _, r := range extraRedirects {
		if r.pat == nil {
			if err := r.compile(); err != nil {
				slog.Error("netlify: skipping redirect", "source", r.Source, "err", err)
				continue
			}
		}
		h.extra = append(h.extra, r)
	}
	return h
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, FunctionsPrefix) && h.Functions != nil {
		h.Functions.ServeHTTP(w, r)
		return
	}
	fsys := h.site()
	if fsys == nil {
		http.Error(w, "The site has not been built yet.", http.StatusServiceUnavailable)
		return
	}
	reqPath := r.URL.Path
	if reqPath == "" || reqPath[0] != '/' || strings.ContainsAny(reqPath, "\x00\\") {
		http.Error(w, "Bad request path.", http.StatusBadRequest)
		return
	}
	rules, err := h.rules(fsys)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	h.setRuleHeaders(w, rules, reqPath)
	exists := func(p string) bool { return resolve(fsys, p).kind != notFound }
	if m, ok := MatchRedirect(rules, r, exists); ok {
		h.serveMatch(w, r, fsys, m)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "Method not allowed.", http.StatusMethodNotAllowed)
		return
	}
	res := resolve(fsys, reqPath)
	switch res.kind {
	case file:
		serveFile(w, r, fsys, res.name, http.StatusOK)
	case needsSlash:
		redirect(w, r, reqPath+"/", http.StatusMovedPermanently)
	default:
		serveNotFound(w, r, fsys)
	}
}

// setRuleHeaders applies the header rules for the request path, and Vary when
// a Language-conditioned rule could apply to it.
func (h *Handler) setRuleHeaders(w http.ResponseWriter, rules []Redirect, reqPath string) {
	hdr := w.Header()
	for name, values := range h.cfg.HeadersFor(reqPath) {
		hdr[name] = values
	}
	for i := range rules {
		if len(rules[i].langs) > 0 && rules[i].pat != nil {
			if _, ok := rules[i].pat.match(reqPath); ok {
				hdr.Add("Vary", "Accept-Language")
				return
			}
		}
	}
}

func (h *Handler) serveMatch(w http.ResponseWriter, r *http.Request, fsys fs.FS, m Match) {
	status := m.Rule.Status
	switch {
	case status >= 300 && status < 400:
		redirect(w, r, m.Target, status)
		return
	case status == http.StatusOK && strings.HasPrefix(m.Target, FunctionsPrefix):
		if h.Functions == nil {
			serveNotFound(w, r, fsys)
			return
		}
		r2 := r.Clone(r.Context())
		target, query, _ := strings.Cut(m.Target, "?")
		r2.URL.Path = target
		r2.URL.RawPath = ""
		if query != "" {
			r2.URL.RawQuery = query
		}
		for name := range w.Header() {
			w.Header().Del(name) // functions set their own headers
		}
		h.Functions.ServeHTTP(w, r2)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "Method not allowed.", http.StatusMethodNotAllowed)
		return
	}
	target, _, _ := strings.Cut(m.Target, "?")
	res := resolve(fsys, target)
	if res.kind != file {
		// Netlify serves its 404 when a rewrite target is missing.
		serveNotFound(w, r, fsys)
		return
	}
	serveFile(w, r, fsys, res.name, status)
}

// rules returns the redirect rules in Netlify's order for the current site.
func (h *Handler) rules(fsys fs.FS) ([]Redirect, error) {
	data, err := fs.ReadFile(fsys, "_redirects")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("netlify: reading _redirects: %w", err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.fileRules == nil || !bytes.Equal(data, h.fileRules) {
		h.fileRules = bytes.Clone(data)
		if h.fileRules == nil {
			h.fileRules = []byte{}
		}
		h.parsed, h.parseErr = ParseRedirectsFile(bytes.NewReader(data), "_redirects")
		if h.parseErr != nil {
			slog.Error("netlify: invalid _redirects in the built site", "err", h.parseErr)
		}
	}
	if h.parseErr != nil {
		return nil, h.parseErr
	}
	all := make([]Redirect, 0, len(h.extra)+len(h.parsed)+len(h.cfg.Redirects))
	all = append(all, h.extra...)
	all = append(all, h.parsed...)
	all = append(all, h.cfg.Redirects...)
	return all, nil
}

type resolveKind int

const (
	notFound resolveKind = iota
	file
	needsSlash
)

type resolved struct {
	kind resolveKind
	name string // fs.FS name of the file to serve
}

// resolve maps a URL path to a file of the site with Netlify's pretty-URL
// rules. The _redirects and _headers files are never served.
func resolve(fsys fs.FS, urlPath string) resolved {
	dir := strings.HasSuffix(urlPath, "/")
	name := strings.Trim(urlPath, "/")
	if name == "" {
		if isFile(fsys, "index.html") {
			return resolved{file, "index.html"}
		}
		return resolved{}
	}
	if !fs.ValidPath(name) || name == "_redirects" || name == "_headers" {
		return resolved{}
	}
	if dir {
		if idx := name + "/index.html"; isFile(fsys, idx) {
			return resolved{file, idx}
		}
		return resolved{}
	}
	info, err := fs.Stat(fsys, name)
	if err == nil && info.Mode().IsRegular() {
		return resolved{file, name}
	}
	if err == nil && info.IsDir() && isFile(fsys, name+"/index.html") {
		return resolved{kind: needsSlash}
	}
	if isFile(fsys, name+".html") {
		return resolved{file, name + ".html"}
	}
	return resolved{}
}

func isFile(fsys fs.FS, name string) bool {
	info, err := fs.Stat(fsys, name)
	return err == nil && info.Mode().IsRegular()
}

// contentTypes overrides the system MIME table for types this site serves,
// so responses do not depend on the machine's /etc/mime.types.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".json":        "application/json",
	".geojson":     "application/geo+json",
	".ics":         "text/calendar; charset=utf-8",
	".xml":         "application/xml",
	".txt":         "text/plain; charset=utf-8",
	".svg":         "image/svg+xml",
	".webmanifest": "application/manifest+json",
	".woff2":       "font/woff2",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".webp":        "image/webp",
	".ico":         "image/x-icon",
}

func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// serveFile writes a file of the site with the given status. A 200 goes
// through http.ServeContent (conditional and range requests); other statuses
// are written directly.
func serveFile(w http.ResponseWriter, r *http.Request, fsys fs.FS, name string, status int) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		http.Error(w, "Cannot read "+name, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType(name))
	if status == http.StatusOK {
		var mod time.Time
		if info, err := fs.Stat(fsys, name); err == nil {
			mod = info.ModTime()
		}
		http.ServeContent(w, r, name, mod, bytes.NewReader(data))
		return
	}
	w.Header().Set("Content-Length", fmt.Sprint(len(data)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(data)
	}
}

// serveNotFound serves /404.html with status 404, or a plain message when the
// site has none.
func serveNotFound(w http.ResponseWriter, r *http.Request, fsys fs.FS) {
	if isFile(fsys, "404.html") {
		serveFile(w, r, fsys, "404.html", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	_, _ = io.WriteString(w, "Not Found\n")
}

func redirect(w http.ResponseWriter, r *http.Request, target string, status int) {
	if strings.HasPrefix(target, "//") || strings.HasPrefix(target, "/\\") {
		// A splat such as "/old//evil.example" must not become a
		// protocol-relative Location that leaves the site.
		target = "/" + strings.TrimLeft(target, "/\\")
	}
	if r.URL.RawQuery != "" && !strings.Contains(target, "?") {
		target += "?" + r.URL.RawQuery
	}
	w.Header().Set("Location", target)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = fmt.Fprintf(w, "Redirecting to %s\n", target)
	}
}
