package netlify

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/text/language"
)

// ParseRedirectsFile reads rules in Netlify's _redirects format: one rule a
// line, "from to [status[!]] [Language=a,b] [Country=c,d]", with blank lines
// and "#" comments ignored. The status defaults to 301; a "!" after it sets
// Force. Errors are "name:line: message", all collected and joined.
func ParseRedirectsFile(r io.Reader, name string) ([]Redirect, error) {
	var out []Redirect
	var errs []error
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if i := strings.Index(text, "#"); i >= 0 && (i == 0 || text[i-1] == ' ' || text[i-1] == '\t') {
			text = text[:i]
		}
		fields := strings.Fields(text)
		if len(fields) == 0 {
			continue
		}
		src := fmt.Sprintf("%s:%d", name, line)
		rd, err := parseRedirectLine(fields, src)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", src, err))
			continue
		}
		out = append(out, *rd)
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, fmt.Errorf("%s:%d: %w", name, line+1, err))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

func parseRedirectLine(fields []string, src string) (*Redirect, error) {
	if len(fields) < 2 {
		return nil, fmt.Errorf("rule %q needs at least a from path and a target", strings.Join(fields, " "))
	}
	rd := &Redirect{From: fields[0], Status: 301, Source: src}
	rest := fields[1:]
	if strings.Contains(rest[0], "=") && !strings.HasPrefix(rest[0], "/") && !isExternal(rest[0]) {
		return nil, fmt.Errorf("query-parameter matching (%q) is not supported; remove it", rest[0])
	}
	rd.To = rest[0]
	rest = rest[1:]
	if len(rest) > 0 && !strings.Contains(rest[0], "=") {
		code := rest[0]
		if strings.HasSuffix(code, "!") {
			rd.Force = true
			code = strings.TrimSuffix(code, "!")
		}
		n, err := strconv.Atoi(code)
		if err != nil {
			return nil, fmt.Errorf("status %q is not a number such as 301 or 302!", rest[0])
		}
		rd.Status = n
		rest = rest[1:]
	}
	for _, f := range rest {
		key, value, ok := strings.Cut(f, "=")
		if !ok || value == "" {
			return nil, fmt.Errorf("unexpected %q after the status; conditions look like Language=it,en", f)
		}
		var values []string
		for v := range strings.SplitSeq(value, ",") {
			if v = strings.TrimSpace(v); v != "" {
				values = append(values, v)
			}
		}
		if len(values) == 0 {
			return nil, fmt.Errorf("condition %q has no values", f)
		}
		switch strings.ToLower(key) {
		case "language":
			rd.Languages = append(rd.Languages, values...)
		case "country":
			rd.Countries = append(rd.Countries, values...)
		default:
			return nil, fmt.Errorf("condition %q is not supported; use Language= or Country=", key)
		}
	}
	if err := rd.compile(); err != nil {
		return nil, err
	}
	return rd, nil
}

// Match is the outcome of evaluating redirect rules for one request.
type Match struct {
	// Rule is the rule that matched.
	Rule *Redirect
	// Target is the rule's To with placeholders and :splat filled in.
	Target string
}

// FileExists reports whether a request path resolves to a file of the built
// site (directly, or as a directory with index.html). Rule evaluation uses it
// for shadowing.
type FileExists func(path string) bool

// MatchRedirect evaluates rules in order for a request and returns the first
// rule that matches its path and conditions, as Netlify does. When that rule
// is not forced and exists reports a file at the path, the file shadows the
// rule and no match is returned. The Language condition is compared with
// only the first language the browser sends (see FirstLanguage).
func MatchRedirect(rules []Redirect, r *http.Request, exists FileExists) (Match, bool) {
	var lang language.Tag
	langRead := false
	for i := range rules {
		rule := &rules[i]
		if rule.pat == nil {
			continue
		}
		params, ok := rule.pat.match(r.URL.Path)
		if !ok {
			continue
		}
		if len(rule.langs) > 0 {
			if !langRead {
				lang, _ = FirstLanguage(r)
				langRead = true
			}
			if !languageMatches(rule.langs, lang) {
				continue
			}
		}
		if !rule.Force && exists != nil && exists(r.URL.Path) {
			return Match{}, false
		}
		return Match{Rule: rule, Target: expandTarget(rule.To, params)}, true
	}
	return Match{}, false
}

// FirstLanguage returns the language Netlify's Language condition looks at:
// the value of the nf_lang cookie when set, otherwise the first tag of
// Accept-Language, ignoring q-values and every later tag. ok is false when
// there is no usable tag (missing header, "*", or a malformed tag).
func FirstLanguage(r *http.Request) (tag language.Tag, ok bool) {
	if c, err := r.Cookie("nf_lang"); err == nil && c.Value != "" {
		if t, err := language.Parse(c.Value); err == nil {
			return t, true
		}
	}
	h := r.Header.Get("Accept-Language")
	first, _, _ := strings.Cut(h, ",")
	first, _, _ = strings.Cut(first, ";")
	first = strings.TrimSpace(first)
	if first == "" || first == "*" {
		return language.Und, false
	}
	t, err := language.Parse(first)
	if err != nil {
		return language.Und, false
	}
	return t, true
}

// languageMatches reports whether the browser language got satisfies one of
// the condition tags: the base languages must be equal, and a region or
// script in the condition must be equal too ("ar" matches "ar-EG", "pt-BR"
// does not match "pt-PT").
func languageMatches(want []language.Tag, got language.Tag) bool {
	if got == language.Und {
		return false
	}
	gb, _ := got.Base()
	for _, w := range want {
		wb, _ := w.Base()
		if wb != gb {
			continue
		}
		if wr, c := w.Region(); c == language.Exact {
			if gr, _ := got.Region(); gr != wr {
				continue
			}
		}
		if ws, c := w.Script(); c == language.Exact {
			if gs, _ := got.Script(); gs != ws {
				continue
			}
		}
		return true
	}
	return false
}
