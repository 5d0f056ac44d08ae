package netlify

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// hashedName matches a file name carrying a content hash of at least eight
// hex digits just before its extension: site.3f2a9c1b.css, 5e6f7a8b90.json,
// 0.0123456789.json.
var hashedName = regexp.MustCompile(`(^|[._-])[0-9a-f]{8,}\.[A-Za-z0-9]+$`)

// CheckSite checks cfg against the site built in publicDir and returns every
// problem found, sorted; nil means the configuration and the site agree:
//
//   - every redirect target (netlify.toml and the site's _redirects) exists in
//     the site, unless it is an absolute URL or a function path; no alias
//     without force points from a path that exists (it would never fire);
//   - every [[headers]] "for" pattern matches at least one file;
//   - no file's request path gets one header name from two rules;
//   - every HTML file gets a Content-Security-Policy without 'unsafe-inline'
//     or 'unsafe-eval', frame-ancestors * and no X-Frame-Options under
//     /embed/, frame-ancestors 'none' and X-Frame-Options: DENY elsewhere, and
//     a Cache-Control that is not immutable;
//   - files under /assets/ have content-hashed names and immutable caching;
//   - under /search/, manifest.json files are not immutable and every other
//     file has a content-hashed name and immutable caching;
//   - files under /api/ carry Access-Control-Allow-Origin: *.
//
// An HTML file is checked at its file path and, for index.html, at its
// directory path ("/it/" as well as "/it/index.html").
func CheckSite(cfg *Config, publicDir string) []error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	var files []string // slash paths relative to publicDir, e.g. "it/index.html"
	walkErr := filepath.WalkDir(publicDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, err := filepath.Rel(publicDir, p)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if walkErr != nil {
		return []error{fmt.Errorf("netlify: reading the built site: %w", walkErr)}
	}
	if len(files) == 0 {
		return []error{fmt.Errorf("netlify: %s has no files; build the site first", publicDir)}
	}
	fsys := os.DirFS(publicDir)
	site := func(rel string) string { return filepath.Join(publicDir, filepath.FromSlash(rel)) }

	// Redirects: the site's _redirects first, as Netlify evaluates them.
	rules := slices.Clone(cfg.Redirects)
	if f, err := os.Open(site("_redirects")); err == nil {
		extra, perr := ParseRedirectsFile(f, site("_redirects"))
		f.Close()
		if perr != nil {
			errs = append(errs, perr)
		}
		rules = append(extra, rules...)
	} else if !errors.Is(err, fs.ErrNotExist) {
		fail("netlify: %v", err)
	}
	for _, r := range rules {
		if isExternal(r.To) || strings.HasPrefix(r.To, FunctionsPrefix) {
			continue
		}
		target, _, _ := strings.Cut(r.To, "?")
		target, _, _ = strings.Cut(target, "#")
		if len(targetNames(target)) > 0 {
			// The target depends on the request; check its fixed directory.
			fixed := target[:strings.Index(target, ":")]
			dir := strings.Trim(path.Dir(fixed+"x"), "/")
			if info, err := fs.Stat(fsys, cleanOrDot(dir)); err != nil || !info.IsDir() {
				fail("%s: redirect from %q: target directory %q does not exist in the site", r.Source, r.From, "/"+dir)
			}
			continue
		}
		if resolve(fsys, target).kind == notFound {
			fail("%s: redirect from %q: target %q does not exist in the site", r.Source, r.From, r.To)
		}
		if !r.Force && len(r.pat.names) == 0 && resolve(fsys, r.From).kind != notFound {
			fail("%s: redirect from %q never fires: a file exists at that path (remove the rule or add force)", r.Source, r.From)
		}
	}

	// Request paths for every file.
	type reqPath struct{ url, file string }
	var paths []reqPath
	for _, f := range files {
		if f == "_redirects" || f == "_headers" {
			continue
		}
		paths = append(paths, reqPath{"/" + f, f})
		if path.Base(f) == "index.html" {
			dir := path.Dir(f)
			u := "/"
			if dir != "." {
				u = "/" + dir + "/"
			}
			paths = append(paths, reqPath{u, f})
		}
	}

	for _, h := range cfg.Headers {
		if !slices.ContainsFunc(paths, func(p reqPath) bool { return h.Matches(p.url) }) {
			fail("%s: [[headers]] for %q matches no file in %s", h.Source, h.For, publicDir)
		}
	}

	for _, p := range paths {
		where := site(p.file)
		if p.url != "/"+p.file {
			where += " (as " + p.url + ")"
		}
		for _, c := range cfg.Conflicts(p.url) {
			fail("%s: %s is set by %d rules: %s", where, c.Header, len(c.Rules), strings.Join(c.Rules, ", "))
		}
		h := cfg.HeadersFor(p.url)
		name := path.Base(p.file)
		switch {
		case strings.HasSuffix(p.file, ".html"):
			checkHTML(h, p.url, where, fail)
		case strings.HasPrefix(p.file, "assets/"):
			if !hashedName.MatchString(name) {
				fail("%s: files under /assets/ are cached for a year, so the name must carry a content hash (name.<hex>.ext)", where)
			}
			checkImmutable(h, where, fail)
		case strings.HasPrefix(p.file, "search/"):
			parts := strings.Split(p.file, "/")
			switch {
			case len(parts) == 3 && parts[2] == "manifest.json":
				if cc := h.Get("Cache-Control"); cc == "" || strings.Contains(cc, "immutable") {
					fail("%s: the search manifest needs a short Cache-Control, got %q", where, cc)
				}
			default:
				if !hashedName.MatchString(name) {
					fail("%s: search files other than /search/<lang>/manifest.json are cached for a year, so the name must carry a content hash", where)
				}
				checkImmutable(h, where, fail)
			}
		case strings.HasPrefix(p.file, "api/"):
			if got := h.Get("Access-Control-Allow-Origin"); got != "*" {
				fail("%s: desk feeds need Access-Control-Allow-Origin: *, got %q", where, got)
			}
		}
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return errs
}

func cleanOrDot(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

func checkImmutable(h map[string][]string, where string, fail func(string, ...any)) {
	cc := strings.Join(h["Cache-Control"], ", ")
	if !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
		fail("%s: content-hashed file needs Cache-Control: public, max-age=31536000, immutable, got %q", where, cc)
	}
}

// checkHTML checks the CSP, framing and caching headers of one HTML path.
func checkHTML(h map[string][]string, urlPath, where string, fail func(string, ...any)) {
	csp := h["Content-Security-Policy"]
	if len(csp) != 1 {
		fail("%s: HTML needs exactly one Content-Security-Policy, got %d; add a [[headers]] block for its path", where, len(csp))
		return
	}
	policy := csp[0]
	for _, bad := range []string{"'unsafe-inline'", "'unsafe-eval'"} {
		if strings.Contains(policy, bad) {
			fail("%s: Content-Security-Policy allows %s", where, bad)
		}
	}
	ancestors, ok := directive(policy, "frame-ancestors")
	xfo := h["X-Frame-Options"]
	embed := strings.HasPrefix(strings.ToLower(urlPath), "/embed/")
	switch {
	case !ok:
		fail("%s: Content-Security-Policy has no frame-ancestors directive", where)
	case embed && ancestors != "*":
		fail("%s: embed pages must be frameable by any site (frame-ancestors *), got %q", where, ancestors)
	case !embed && ancestors != "'none'":
		fail("%s: pages other than /embed/ must not be framed (frame-ancestors 'none'), got %q", where, ancestors)
	}
	switch {
	case embed && len(xfo) > 0:
		fail("%s: embed pages must not send X-Frame-Options (it would block framing in some browsers)", where)
	case !embed && (len(xfo) != 1 || !strings.EqualFold(xfo[0], "DENY")):
		fail("%s: pages other than /embed/ need X-Frame-Options: DENY, got %q", where, xfo)
	}
	if cc := strings.Join(h["Cache-Control"], ", "); cc == "" || strings.Contains(cc, "immutable") {
		fail("%s: HTML needs a short Cache-Control (public, max-age=0, must-revalidate), got %q", where, cc)
	}
}

// directive returns the value of a CSP directive, with spaces normalized.
func directive(policy, name string) (string, bool) {
	for d := range strings.SplitSeq(policy, ";") {
		fields := strings.Fields(d)
		if len(fields) > 0 && strings.EqualFold(fields[0], name) {
			return strings.Join(fields[1:], " "), true
		}
	}
	return "", false
}
