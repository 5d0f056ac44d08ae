package devserver

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"portal/contact"
	"portal/generator"
	"portal/generator/diag"
	"portal/generator/netlify"
)

// Prefix is the URL path under which the server's own files and endpoints
// live; the built site never uses it.
const Prefix = "/__portal/"

// DefaultDebounce is the quiet time that ends a burst of file changes.
// Editors' saves land within a millisecond or two (a truncate and a write,
// or a write to a temporary file and a rename, which is ignored until the
// rename); the window only has to hold such a pair together, and every
// millisecond of it is added to each edit's reload.
const DefaultDebounce = 10 * time.Millisecond

//go:embed reload.js
var reloadJS []byte

//go:embed overlay.css
var overlayCSS []byte

// Options configures a preview server.
type Options struct {
	// Build says what to build and where. Dev is always turned on. Out must
	// be a scratch folder: it is replaced by every build.
	Build generator.Config
	// Netlify is the netlify.toml whose headers and redirects are applied
	// ("" means <Root>/netlify.toml). A missing file means no rules.
	Netlify string
	// Getenv reads the contact function's CONTACT_* settings (os.Getenv
	// when nil).
	Getenv func(string) string
	// ContactOptions are passed to contact.NewHandler (tests use them to
	// capture mail).
	ContactOptions []contact.Option
	// Debounce is the quiet time that ends a burst of changes
	// (DefaultDebounce when zero).
	Debounce time.Duration
	// Logger receives progress and problems (discarded when nil).
	Logger *slog.Logger
}

// Server is a preview server: it keeps the site built, serves it as
// Netlify would, and tells open tabs when to reload. Create it with New and
// run it with Serve.
type Server struct {
	cfg         generator.Config
	session     *generator.Session
	log         *slog.Logger
	debounce    time.Duration
	netlifyPath string
	instance    string // tells this run's builds from a previous run's

	// The contact function, rebuilt when the build writes new data for it.
	getenv      func(string) string
	contactOpts []contact.Option
	contactData []byte                       // the data it was made from
	contact     atomic.Pointer[http.Handler] // nil before the first good build

	site    atomic.Pointer[netlify.Handler]
	netCfg  atomic.Pointer[netlify.Config]
	hasSite atomic.Bool
	hub     *hub

	mu sync.Mutex
	st state
}

// state is what the last builds left, guarded by Server.mu.
type state struct {
	attempts   int           // builds attempted
	good       int           // number of the last build that succeeded (0: none)
	at         time.Time     // when the last attempt ended
	elapsed    time.Duration // how long it took
	pages      int           // pages in the served site
	warnings   int           // warnings of the last good build
	changed    []string      // URL paths the last good build changed; nil: all
	buildErrs  []string      // problems of the last attempt, if it failed
	configErrs []string      // problems of netlify.toml, if its last edit is invalid
	latency    time.Duration // from the first change of the last batch to the event sent
}

// New prepares a server: it reads netlify.toml and the contact function's
// data. Nothing is built or served until Serve.
func New(opts Options) (*Server, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	opts.Build.Dev = true
	opts.Build.InMemory = true // pages are served from memory; Out holds the search index and feeds
	if opts.Build.Logger == nil {
		opts.Build.Logger = log
	}
	if opts.Build.Out == "" {
		return nil, errors.New("devserver: Options.Build.Out is not set: give a scratch folder, which every build replaces")
	}
	if opts.Build.FunctionData == "" {
		// As on Netlify, the function's data comes from the build.
		opts.Build.FunctionData = filepath.Clean(opts.Build.Out) + ".contact-data.json"
	}
	for _, p := range []*string{&opts.Build.Root, &opts.Build.Content, &opts.Build.Out, &opts.Build.FunctionData} {
		if *p == "" {
			continue
		}
		abs, err := filepath.Abs(*p)
		if err != nil {
			return nil, fmt.Errorf("devserver: %w", err)
		}
		*p = abs
	}
	if opts.Build.Root == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, fmt.Errorf("devserver: %w", err)
		}
		opts.Build.Root = wd
	}
	session := generator.NewSession(opts.Build)
	s := &Server{
		cfg:      session.Config(),
		session:  session,
		log:      log,
		debounce: opts.Debounce,
		instance: strconv.FormatInt(time.Now().UnixNano(), 36),
	}
	if s.debounce <= 0 {
		s.debounce = DefaultDebounce
	}
	s.hub = newHub(s.helloEvent)

	s.netlifyPath = opts.Netlify
	if s.netlifyPath == "" {
		s.netlifyPath = filepath.Join(s.cfg.Root, "netlify.toml")
	}
	if abs, err := filepath.Abs(s.netlifyPath); err == nil {
		s.netlifyPath = abs
	}
	nc, err := netlify.Load(s.netlifyPath)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		log.Warn("no netlify.toml: serving without its headers and redirects", "path", s.netlifyPath)
		nc = nil
	case err != nil:
		return nil, err
	}

	s.getenv = opts.Getenv
	if s.getenv == nil {
		s.getenv = os.Getenv
	}
	s.contactOpts = opts.ContactOptions
	if _, err := contact.ConfigFromEnv(s.getenv); err != nil {
		log.Warn("contact form: mail is not configured (set " + contact.EnvSMTPHost + " and " + contact.EnvFrom +
			", and for a relay with login " + contact.EnvSMTPUser + " and " + contact.EnvSMTPPassword +
			"); submissions will get a 503")
	}
	s.setNetlify(nc)
	return s, nil
}

// functions serves /.netlify/functions/: the contact function, made from
// the data the last good build wrote.
func (s *Server) functions(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != netlify.FunctionsPrefix+"contact" {
		http.Error(w, "No function at "+r.URL.Path+": only the contact function exists.", http.StatusNotFound)
		return
	}
	h := s.contact.Load()
	if h == nil {
		http.Error(w, "The contact function starts once the site has been built.", http.StatusServiceUnavailable)
		return
	}
	(*h).ServeHTTP(w, r)
}

// reloadContact makes a new contact function when its data changed. The
// data is the file the build writes (Config.FunctionData), as on Netlify;
// when the build wrote none, the project's committed copy,
// netlify/functions/contact/data.json, which "portal build --function-data"
// keeps up to date.
func (s *Server) reloadContact() {
	path := s.cfg.FunctionData
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		path = filepath.Join(s.cfg.Root, "netlify", "functions", "contact", "data.json")
		data, err = os.ReadFile(path)
	}
	if err != nil {
		if s.contact.Load() == nil {
			s.log.Warn("contact form: no data for it; submissions will get a 503", "err", err)
		}
		return
	}
	if s.contact.Load() != nil && string(data) == string(s.contactData) {
		return
	}
	d, err := contact.LoadData(strings.NewReader(string(data)))
	if err != nil {
		s.log.Warn("contact form: its data is invalid; the previous data stays in use", "path", path, "err", err)
		return
	}
	s.log.Debug("contact form: data loaded", "path", path, "desks", len(d.Desks))
	cfg, _ := contact.ConfigFromEnv(s.getenv) // a bad configuration makes every submission a 503
	var h http.Handler = contact.NewHandler(cfg, d, append([]contact.Option{contact.WithLogger(s.log)}, s.contactOpts...)...)
	s.contactData = data
	s.contact.Store(&h)
}

// setNetlify installs a new configuration (nil: no rules).
func (s *Server) setNetlify(nc *netlify.Config) {
	h := netlify.Middleware(nc, s.siteFS, nil)
	h.Functions = http.HandlerFunc(s.functions)
	if nc == nil {
		nc = &netlify.Config{}
	}
	s.netCfg.Store(nc)
	s.site.Store(h)
}

func (s *Server) siteFS() fs.FS {
	if !s.hasSite.Load() {
		return nil
	}
	return s.session.FS()
}

// ErrPortInUse is wrapped by the error Listen returns when the port is
// taken.
var ErrPortInUse = errors.New("port in use")

// portInUseError says which port is taken and what to do about it.
type portInUseError struct{ port int }

func (e *portInUseError) Error() string {
	return fmt.Sprintf("port %d is in use: pass --port N to use another one", e.port)
}

func (e *portInUseError) Unwrap() error { return ErrPortInUse }

// Listen opens the server's address. A taken port gives an error that
// says what to do, and wraps ErrPortInUse.
func Listen(host string, port int) (net.Listener, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, &portInUseError{port}
	}
	if err != nil {
		return nil, fmt.Errorf("devserver: %w", err)
	}
	return ln, nil
}

// Serve builds the site, then serves it on ln and rebuilds it after every
// change until ctx is done; it then shuts down gracefully and returns nil.
// A failed build never stops it: the last good site stays served and the
// open tabs show the errors.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	trees := []string{
		s.cfg.Content,
		filepath.Join(s.cfg.Root, "layouts"),
		filepath.Join(s.cfg.Root, "i18n"),
		filepath.Join(s.cfg.Root, "static"),
	}
	w, err := newWatcher(trees, []string{s.netlifyPath}, s.debounce, s.log)
	if err != nil {
		ln.Close()
		return err
	}
	wctx, stopWatch := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { w.run(wctx) })

	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	srv.RegisterOnShutdown(s.hub.close)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	url := "http://" + ln.Addr().String() + "/"
	s.log.Info("building the site", "content", s.cfg.Content, "url", url)
	s.apply(ctx, batch{all: true, first: time.Now()})
	if s.hasSite.Load() {
		s.log.Info("serving; press Ctrl-C to stop", "url", url)
	}

	var serveErr error
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case b := <-w.batches:
			s.apply(ctx, b)
		case serveErr = <-served:
			served = nil
			break loop
		}
	}
	stopWatch()
	wg.Wait()
	// The session may still be writing the search index in the background;
	// let it finish before the caller removes the output folder.
	s.session.WaitSearch()
	if err := w.close(); err != nil {
		s.log.Debug("closing the watcher", "err", err)
	}
	s.hub.close()
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		s.log.Warn("shutting down", "err", err)
	}
	if served != nil {
		serveErr = <-served
	}
	if errors.Is(serveErr, http.ErrServerClosed) {
		serveErr = nil
	}
	if serveErr != nil {
		return fmt.Errorf("devserver: %w", serveErr)
	}
	return nil
}

// apply brings the site up to date after the changes in b and tells the
// open tabs.
func (s *Server) apply(ctx context.Context, b batch) {
	configChanged := b.all
	var sitePaths []string
	for _, p := range b.paths {
		if p == s.netlifyPath {
			configChanged = true
			continue
		}
		sitePaths = append(sitePaths, p)
	}
	if configChanged && !(b.all && s.st.attempts == 0) {
		s.reloadNetlify()
	}
	built := false
	if b.all || len(sitePaths) > 0 {
		var changed []string
		if !b.all {
			changed = sitePaths
		}
		res, err := s.session.Rebuild(ctx, changed)
		if ctx.Err() != nil {
			return // interrupted: nothing to tell
		}
		s.recordBuild(res, err)
		built = err == nil
		if built {
			s.reloadContact()
		}
	}
	s.mu.Lock()
	errs := slices.Concat(s.st.configErrs, s.st.buildErrs)
	build := s.buildID()
	var changedURLs []string
	if built {
		changedURLs = s.st.changed
	}
	s.mu.Unlock()

	if built || (configChanged && len(errs) == 0) {
		s.hub.broadcast(jsonEvent("reload", reloadData{Build: build, Changed: changedURLs}))
	}
	if len(errs) > 0 {
		s.hub.broadcast(jsonEvent("error", errorData{Build: build, Errors: errs}))
	}
	latency := time.Since(b.first)
	s.mu.Lock()
	s.st.latency = latency
	s.mu.Unlock()
	s.log.Debug("tabs told", "clients", s.hub.count(), "since_change", latency)
}

// reloadNetlify re-reads netlify.toml; an invalid file keeps the previous
// rules in force and is reported like a build error.
func (s *Server) reloadNetlify() {
	nc, err := netlify.Load(s.netlifyPath)
	var problems []string
	switch {
	case errors.Is(err, fs.ErrNotExist):
		s.log.Warn("netlify.toml is gone: serving without its headers and redirects")
		nc, err = nil, nil
	case err != nil:
		for line := range strings.SplitSeq(err.Error(), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				problems = append(problems, line)
			}
		}
		s.log.Warn("netlify.toml is invalid; its previous rules stay in force", "err", err)
	}
	if err == nil {
		s.setNetlify(nc)
	}
	s.mu.Lock()
	s.st.configErrs = problems
	s.mu.Unlock()
}

// recordBuild stores the outcome of a build and logs it.
func (s *Server) recordBuild(res *generator.Result, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.attempts++
	s.st.at = time.Now()
	if err != nil {
		s.st.buildErrs = problems(err)
		s.log.Warn("the build failed; the last good site is still served", "errors", len(s.st.buildErrs))
		for _, p := range s.st.buildErrs {
			s.log.Warn(p)
		}
		return
	}
	s.st.buildErrs = nil
	s.st.good = s.st.attempts
	s.st.elapsed = res.Elapsed
	s.st.warnings = len(res.Warnings)
	s.st.changed = res.Changed
	if res.Changed == nil {
		// A full build: count its pages (an update reports only what it
		// wrote).
		s.st.pages = 0
		for _, n := range res.Pages {
			s.st.pages += n
		}
		s.log.Info("built", "pages", s.st.pages, "files", res.Files, "warnings", len(res.Warnings), "elapsed", res.Elapsed.Round(time.Millisecond))
	} else {
		s.log.Info("updated", "paths", len(res.Changed), "warnings", len(res.Warnings), "elapsed", res.Elapsed.Round(time.Millisecond))
	}
	s.hasSite.Store(true)
}

// problems turns a build error into the lines the overlay lists.
func problems(err error) []string {
	var le *diag.ListError
	if errors.As(err, &le) {
		var out []string
		for _, d := range le.List {
			if d.Severity == diag.Error {
				out = append(out, d.Error())
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return []string{err.Error()}
}

// buildID names the site being served; it changes with every good build
// and every run of the server. Call with s.mu held.
func (s *Server) buildID() string {
	if s.st.good == 0 {
		return ""
	}
	return s.instance + "-" + strconv.Itoa(s.st.good)
}

type reloadData struct {
	Build   string   `json:"build"`
	Changed []string `json:"changed"`
}

type errorData struct {
	Build  string   `json:"build"`
	Errors []string `json:"errors"`
}

func (s *Server) helloEvent() event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return jsonEvent("hello", errorData{
		Build:  s.buildID(),
		Errors: slices.Concat(s.st.configErrs, s.st.buildErrs),
	})
}

// Status is the JSON document served at /__portal/status.
type Status struct {
	Build       string    `json:"build"`       // id of the site served ("" before the first good build)
	Builds      int       `json:"builds"`      // builds attempted
	GoodBuilds  int       `json:"goodBuilds"`  // number of the build served
	OK          bool      `json:"ok"`          // the last build and netlify.toml are fine
	LastBuild   time.Time `json:"lastBuild"`   // when the last build ended
	ElapsedMS   float64   `json:"elapsedMs"`   // how long the last good build took
	LatencyMS   float64   `json:"latencyMs"`   // from the last change seen to the tabs told
	Pages       int       `json:"pages"`       // pages in the served site
	Warnings    int       `json:"warnings"`    // warnings of the last good build
	Errors      []string  `json:"errors"`      // what is wrong now, as path:line: message
	Changed     []string  `json:"changed"`     // URL paths the last good build changed; null: all
	Connections int       `json:"connections"` // open event streams
}

func (s *Server) status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	errs := slices.Concat(s.st.configErrs, s.st.buildErrs)
	if errs == nil {
		errs = []string{}
	}
	return Status{
		Build:       s.buildID(),
		Builds:      s.st.attempts,
		GoodBuilds:  s.st.good,
		OK:          s.st.attempts > 0 && len(errs) == 0,
		LastBuild:   s.st.at,
		ElapsedMS:   float64(s.st.elapsed.Microseconds()) / 1000,
		LatencyMS:   float64(s.st.latency.Microseconds()) / 1000,
		Pages:       s.st.pages,
		Warnings:    s.st.warnings,
		Errors:      errs,
		Changed:     s.st.changed,
		Connections: s.hub.count(),
	}
}

// ServeHTTP serves the server's own endpoints under Prefix and the built
// site everywhere else.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rest, ok := strings.CutPrefix(r.URL.Path, Prefix); ok {
		s.serveOwn(w, r, rest)
		return
	}
	if !s.hasSite.Load() {
		s.serveNoSite(w, r)
		return
	}
	s.site.Load().ServeHTTP(w, r)
}

func (s *Server) serveOwn(w http.ResponseWriter, r *http.Request, name string) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	switch name {
	case "events":
		s.hub.ServeHTTP(w, r)
	case "status":
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(s.status())
	case "reload.js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		_, _ = w.Write(reloadJS)
	case "overlay.css":
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		_, _ = w.Write(overlayCSS)
	default:
		http.NotFound(w, r)
	}
}

var noSitePage = template.Must(template.New("nosite").Parse(`<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="portal-serve" content="no-site">
<title>{{if .Errors}}The site cannot be built{{else}}Building the site…{{end}}</title>
<link rel="stylesheet" href="/__portal/overlay.css">
<script src="/__portal/reload.js" defer></script>
</head>
<body>
<main>
{{if .Errors}}<h1>The site cannot be built</h1>
<p>Fix the files below and save: this page updates by itself.</p>
<ul>{{range .Errors}}<li><code>{{.}}</code></li>{{end}}</ul>
{{else}}<h1>Building the site…</h1>
<p>This page updates by itself when the site is ready.</p>
{{end}}</main>
</body>
</html>
`))

// serveNoSite answers while no build has succeeded yet: a page that lists
// the errors (or says the first build is running) and reloads when a build
// succeeds.
func (s *Server) serveNoSite(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	for name, values := range s.netCfg.Load().HeadersFor("/404.html") {
		hdr[name] = values
	}
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("Retry-After", "1")
	s.mu.Lock()
	errs := slices.Concat(s.st.configErrs, s.st.buildErrs)
	s.mu.Unlock()
	w.WriteHeader(http.StatusServiceUnavailable)
	if r.Method == http.MethodHead {
		return
	}
	if err := noSitePage.Execute(w, struct{ Errors []string }{errs}); err != nil {
		s.log.Debug("writing the no-site page", "err", err)
	}
}
