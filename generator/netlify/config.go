package netlify

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
	"golang.org/x/text/language"
)

// Config is the part of a netlify.toml file that shapes how the site is
// served: its build settings, header rules and redirect rules, in file order.
type Config struct {
	// Path is the file the configuration was read from.
	Path string
	// Build holds the [build] table.
	Build Build
	// Headers holds the [[headers]] rules in file order.
	Headers []HeaderRule
	// Redirects holds the [[redirects]] rules in file order.
	Redirects []Redirect
}

// Build is the [build] table of netlify.toml.
type Build struct {
	Base        string            `toml:"base"`
	Command     string            `toml:"command"`
	Publish     string            `toml:"publish"`
	Functions   string            `toml:"functions"`
	Ignore      string            `toml:"ignore"`
	Environment map[string]string `toml:"environment"`
}

// HeaderRule is one [[headers]] block: the headers in Values are sent with
// every static file whose request path matches For.
type HeaderRule struct {
	// For is the path pattern as written in the file.
	For string
	// Values maps canonical header names to their normalized values.
	Values http.Header
	// Source is "file:line" of the [[headers]] block.
	Source string

	pat *pattern
}

// Matches reports whether the rule applies to the request path.
func (h *HeaderRule) Matches(path string) bool {
	_, ok := h.pat.match(path)
	return ok
}

// Redirect is one redirect rule, from netlify.toml or a _redirects file.
type Redirect struct {
	// From is the path pattern as written.
	From string
	// To is the target path or absolute URL, possibly with :placeholders.
	To string
	// Status is the HTTP status: 200 (rewrite: serve To's content), 301 or
	// 302 (redirect to To), or 404 or 410 (serve To's content with that status).
	Status int
	// Force applies the rule even when a file exists at the request path.
	Force bool
	// Languages is the Language condition: the rule applies only when the
	// first language the browser sends matches one of these tags.
	Languages []string
	// Countries is the Country condition. It is kept but not evaluated: the
	// dev server has no GeoIP, so it behaves as if the condition were absent.
	Countries []string
	// Source is "file:line" of the rule.
	Source string

	pat   *pattern
	langs []language.Tag
}

// tomlFile mirrors the netlify.toml keys this project may use. Unknown keys
// are rejected so that a typo ("redirect", "stauts") is an error, not a rule
// that silently does nothing.
type tomlFile struct {
	Build     Build                  `toml:"build"`
	Context   map[string]tomlContext `toml:"context"`
	Functions map[string]any         `toml:"functions"`
	Dev       map[string]any         `toml:"dev"`
	Plugins   []map[string]any       `toml:"plugins"`
	Headers   []tomlHeader           `toml:"headers"`
	Redirects []tomlRedirect         `toml:"redirects"`
}

type tomlContext struct {
	Base        string            `toml:"base"`
	Command     string            `toml:"command"`
	Publish     string            `toml:"publish"`
	Functions   string            `toml:"functions"`
	Ignore      string            `toml:"ignore"`
	Environment map[string]string `toml:"environment"`
}

type tomlHeader struct {
	For    *string        `toml:"for"`
	Values map[string]any `toml:"values"`
}

type tomlRedirect struct {
	From       *string        `toml:"from"`
	To         *string        `toml:"to"`
	Status     *int           `toml:"status"`
	Force      bool           `toml:"force"`
	Conditions map[string]any `toml:"conditions"`
}

// Load reads and checks a netlify.toml file. Syntax errors, unknown keys,
// values of the wrong type and invalid rules are reported as
// "path:line: message"; all rule problems are collected and joined.
func Load(tomlPath string) (*Config, error) {
	data, err := os.ReadFile(tomlPath)
	if err != nil {
		return nil, fmt.Errorf("netlify: %w", err)
	}
	return Parse(data, tomlPath)
}

// Parse is Load for data already in memory; name is used in messages.
func Parse(data []byte, name string) (*Config, error) {
	var f tomlFile
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, decodeError(name, err)
	}
	hLines, rLines := ruleLines(data)
	cfg := &Config{Path: name, Build: f.Build}
	var errs []error
	for i, h := range f.Headers {
		src := fmt.Sprintf("%s:%d", name, lineAt(hLines, i))
		rule, err := newHeaderRule(h, src)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		cfg.Headers = append(cfg.Headers, *rule)
	}
	for i, r := range f.Redirects {
		src := fmt.Sprintf("%s:%d", name, lineAt(rLines, i))
		rule, err := newTOMLRedirect(r, src)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		cfg.Redirects = append(cfg.Redirects, *rule)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return cfg, nil
}

func lineAt(lines []int, i int) int {
	if i < len(lines) {
		return lines[i]
	}
	return 0
}

// unsupportedKeys are valid netlify.toml keys that this package does not
// implement, so that the dev server would silently differ from production.
var unsupportedKeys = map[string]bool{
	"redirects.query":   true,
	"redirects.headers": true,
	"redirects.signed":  true,
	"edge_functions":    true,
	"images":            true,
}

// decodeError turns a go-toml error into "name:line: message" lines.
func decodeError(name string, err error) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		var errs []error
		for _, e := range strict.Errors {
			row, _ := e.Position()
			key := strings.Join(e.Key(), ".")
			if unsupportedKeys[key] || unsupportedKeys[e.Key()[0]] {
				errs = append(errs, fmt.Errorf("%s:%d: %q is a Netlify setting that portal cannot reproduce locally; remove it or extend generator/netlify",
					name, row, key))
				continue
			}
			errs = append(errs, fmt.Errorf("%s:%d: unknown key %q; check its spelling against the Netlify file-based configuration docs",
				name, row, key))
		}
		return errors.Join(errs...)
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		if key := de.Key(); len(key) > 0 {
			return fmt.Errorf("%s:%d: %s: %s", name, row, strings.Join(key, "."), de.Error())
		}
		return fmt.Errorf("%s:%d: %s", name, row, de.Error())
	}
	return fmt.Errorf("%s: %w", name, err)
}

// ruleLines finds the line of each [[headers]] and [[redirects]] entry, in
// order, so that errors about the n-th rule can name its line. Entries of an
// inline array ("redirects = [...]") all get the line of the key.
func ruleLines(data []byte) (headers, redirects []int) {
	var p unstable.Parser
	p.Reset(data)
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.ArrayTable:
			it := e.Key()
			var key []string
			line := 0
			for it.Next() {
				n := it.Node()
				if line == 0 {
					line = p.Shape(n.Raw).Start.Line
				}
				key = append(key, string(n.Data))
			}
			switch strings.Join(key, ".") {
			case "headers":
				headers = append(headers, line)
			case "redirects":
				redirects = append(redirects, line)
			}
		case unstable.KeyValue:
			it := e.Key()
			if !it.Next() {
				continue
			}
			k := it.Node()
			if it.Next() || e.Value().Kind != unstable.Array {
				continue
			}
			line := p.Shape(k.Raw).Start.Line
			n := 0
			for c := e.Value().Children(); c.Next(); {
				n++
			}
			for range n {
				switch string(k.Data) {
				case "headers":
					headers = append(headers, line)
				case "redirects":
					redirects = append(redirects, line)
				}
			}
		}
	}
	return headers, redirects
}

func newHeaderRule(h tomlHeader, src string) (*HeaderRule, error) {
	if h.For == nil {
		return nil, fmt.Errorf("%s: [[headers]] has no \"for\" path; add for = \"/path/*\"", src)
	}
	pat, err := compileHeaderPattern(strings.TrimSpace(*h.For))
	if err != nil {
		return nil, fmt.Errorf("%s: [[headers]] for: %w", src, err)
	}
	if len(h.Values) == 0 {
		return nil, fmt.Errorf("%s: [[headers]] for %q sets no headers; add a [headers.values] table", src, *h.For)
	}
	values := http.Header{}
	for rawName, raw := range h.Values {
		name := strings.TrimSpace(rawName)
		if !validHeaderName(name) {
			return nil, fmt.Errorf("%s: [[headers]] for %q: %q is not a valid header name", src, *h.For, rawName)
		}
		canon := http.CanonicalHeaderKey(name)
		if _, dup := values[canon]; dup {
			return nil, fmt.Errorf("%s: [[headers]] for %q sets %s twice (names are case-insensitive)", src, *h.For, canon)
		}
		v, err := headerValue(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: [[headers]] for %q: header %s: %w", src, *h.For, canon, err)
		}
		values[canon] = []string{v}
	}
	return &HeaderRule{For: strings.TrimSpace(*h.For), Values: values, Source: src, pat: pat}, nil
}

// headerValue normalizes a header value as Netlify does: strings are trimmed
// and line breaks folded into spaces; the whitespace around commas becomes
// ", "; an array of strings is joined with ", ".
func headerValue(raw any) (string, error) {
	switch v := raw.(type) {
	case string:
		return foldValue(v)
	case []any:
		parts := make([]string, 0, len(v))
		for i, item := range v {
			s, ok := item.(string)
			if !ok {
				return "", fmt.Errorf("item %d (%v) must be a string; quote it", i, item)
			}
			f, err := foldValue(s)
			if err != nil {
				return "", err
			}
			parts = append(parts, f)
		}
		return strings.Join(parts, ", "), nil
	default:
		return "", fmt.Errorf("value %v must be a string; quote it", raw)
	}
}

func foldValue(s string) (string, error) {
	fields := strings.Fields(s)
	s = strings.Join(fields, " ")
	s = strings.ReplaceAll(s, " ,", ",")
	s = strings.ReplaceAll(s, ", ", ",")
	s = strings.ReplaceAll(s, ",", ", ")
	if s == "" {
		return "", errors.New("value is empty")
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return "", errors.New("value contains a control character")
		}
	}
	return s, nil
}

// validHeaderName reports whether s is an HTTP token.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

func newTOMLRedirect(r tomlRedirect, src string) (*Redirect, error) {
	if r.From == nil {
		return nil, fmt.Errorf("%s: [[redirects]] has no \"from\" path", src)
	}
	rd := &Redirect{From: strings.TrimSpace(*r.From), Status: 301, Force: r.Force, Source: src}
	if r.To != nil {
		rd.To = strings.TrimSpace(*r.To)
	}
	if r.Status != nil {
		rd.Status = *r.Status
	}
	for key, raw := range r.Conditions {
		values, err := conditionValues(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: [[redirects]] condition %s: %w", src, key, err)
		}
		switch key {
		case "Language":
			rd.Languages = values
		case "Country":
			rd.Countries = values
		default:
			return nil, fmt.Errorf("%s: [[redirects]] condition %q is not supported; use Language or Country", src, key)
		}
	}
	if err := rd.compile(); err != nil {
		return nil, fmt.Errorf("%s: %w", src, err)
	}
	return rd, nil
}

func conditionValues(raw any) ([]string, error) {
	list, ok := raw.([]any)
	if !ok {
		return nil, fmt.Errorf("value %v must be a list of strings such as [\"it\"]", raw)
	}
	if len(list) == 0 {
		return nil, errors.New("list is empty")
	}
	out := make([]string, 0, len(list))
	for _, item := range list {
		s, ok := item.(string)
		if !ok || strings.TrimSpace(s) == "" {
			return nil, fmt.Errorf("item %v is not a non-empty string", item)
		}
		out = append(out, strings.TrimSpace(s))
	}
	return out, nil
}

// allowedStatus lists the statuses Netlify documents for redirect rules; 307
// in particular is not supported there.
var allowedStatus = []int{200, 301, 302, 404, 410}

// compile checks the rule and prepares its pattern and language tags.
func (r *Redirect) compile() error {
	pat, err := compileRedirectPattern(r.From)
	if err != nil {
		return fmt.Errorf("redirect from: %w", err)
	}
	if !slices.Contains(allowedStatus, r.Status) {
		return fmt.Errorf("redirect from %q: status %d is not supported; use one of %v", r.From, r.Status, allowedStatus)
	}
	if r.To == "" {
		return fmt.Errorf("redirect from %q has no target (to)", r.From)
	}
	external := isExternal(r.To)
	if !external && !strings.HasPrefix(r.To, "/") {
		return fmt.Errorf("redirect from %q: target %q must start with / or be an http(s) URL", r.From, r.To)
	}
	if external && r.Status == 200 {
		return fmt.Errorf("redirect from %q: status 200 to %q would proxy another site, which this project does not use", r.From, r.To)
	}
	for _, c := range r.To {
		if c < 0x20 || c == 0x7f || c == ' ' {
			return fmt.Errorf("redirect from %q: target %q contains a space or control character", r.From, r.To)
		}
	}
	for _, name := range targetNames(r.To) {
		if !slices.Contains(pat.names, name) {
			return fmt.Errorf("redirect from %q: target uses :%s, which the from path does not capture", r.From, name)
		}
	}
	tags := make([]language.Tag, 0, len(r.Languages))
	for _, l := range r.Languages {
		t, err := language.Parse(l)
		if err != nil {
			return fmt.Errorf("redirect from %q: Language %q is not a BCP 47 language tag", r.From, l)
		}
		tags = append(tags, t)
	}
	r.pat = pat
	r.langs = tags
	return nil
}

func isExternal(to string) bool {
	return strings.HasPrefix(to, "https://") || strings.HasPrefix(to, "http://")
}
