package netlify

import (
	"fmt"
	"regexp"
	"strings"
)

// pattern is a compiled path pattern: a headers "for" path or a redirect
// "from" path.
type pattern struct {
	raw   string
	re    *regexp.Regexp
	names []string // capture names in group order; "splat" for a trailing *
}

// match reports whether path matches p and returns the captured values by name.
func (p *pattern) match(path string) (map[string]string, bool) {
	m := p.re.FindStringSubmatch(path)
	if m == nil {
		return nil, false
	}
	params := make(map[string]string, len(p.names))
	for i, name := range p.names {
		params[name] = m[i+1]
	}
	return params, true
}

// compileHeaderPattern compiles a [[headers]] "for" path the way Netlify's
// headers parser does (@netlify/headers-parser getForRegExp): the path is
// split on "/", empty parts are dropped, ":name" matches one segment, a part
// that is exactly "*" matches anything (including nothing), a "*" inside a
// part matches any run of characters (also across "/"), matching is
// case-insensitive and a trailing slash is optional.
//
// Two quirks are kept on purpose because the conflict check must see every
// overlap netlify-cli would see: a standalone "*" makes the slash before it
// optional, so "/ro/*" also matches "/robots.txt"; and "/a/*" matches "/a".
// One deviation: literal characters next to an inner "*" are escaped, so a "."
// matches only a dot (upstream leaves that part as raw regular expression).
func compileHeaderPattern(s string) (*pattern, error) {
	if err := checkPatternText(s); err != nil {
		return nil, err
	}
	var b strings.Builder
	var names []string
	b.WriteString("(?i)^/")
	first := true
	for part := range strings.SplitSeq(s, "/") {
		part = strings.TrimRight(part, " \t")
		if part == "" {
			continue
		}
		if !first {
			b.WriteString("/")
		}
		first = false
		switch {
		case strings.HasPrefix(part, ":"):
			name := part[1:]
			if !validName(name) {
				return nil, fmt.Errorf("placeholder %q is not a name (letters, digits, _)", part)
			}
			names = append(names, name)
			b.WriteString("([^/]+)")
		case part == "*":
			names = append(names, "splat")
			b.WriteString("?(.*)")
		case strings.Contains(part, "*"):
			pieces := strings.Split(part, "*")
			for i, piece := range pieces {
				if i > 0 {
					names = append(names, "splat")
					b.WriteString("(.*)")
				}
				b.WriteString(regexp.QuoteMeta(piece))
			}
		default:
			b.WriteString(regexp.QuoteMeta(part))
		}
	}
	b.WriteString("/?$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, fmt.Errorf("cannot compile path %q: %w", s, err)
	}
	return &pattern{raw: s, re: re, names: names}, nil
}

// compileRedirectPattern compiles a redirect "from" path with Netlify's
// redirect rules: literal segments (case-insensitive), ":name" placeholders
// matching one segment, and an optional "*" that must be the whole last
// segment and matches the rest of the path, including nothing ("/it/*"
// matches "/it", "/it/" and "/it/a/b"; the splat is "a/b"). A trailing slash
// on the request path never matters.
func compileRedirectPattern(s string) (*pattern, error) {
	if err := checkPatternText(s); err != nil {
		return nil, err
	}
	if strings.Contains(s, "://") || strings.HasPrefix(s, "//") {
		return nil, fmt.Errorf("rule for another host %q is not supported; use a path starting with /", s)
	}
	if strings.ContainsAny(s, "?#") {
		return nil, fmt.Errorf("path %q has a query or fragment; query matching is not supported, remove it", s)
	}
	parts := strings.Split(strings.Trim(s, "/"), "/")
	if len(parts) == 1 && parts[0] == "" {
		parts = nil
	}
	var b strings.Builder
	var names []string
	seen := map[string]bool{}
	b.WriteString("(?i)^")
	splat := false
	for i, part := range parts {
		switch {
		case part == "":
			return nil, fmt.Errorf("path %q has an empty segment (//)", s)
		case part == "*":
			if i != len(parts)-1 {
				return nil, fmt.Errorf("path %q: * must be the last segment", s)
			}
			splat = true
			names = append(names, "splat")
			b.WriteString("(?:/(.*))?")
		case strings.Contains(part, "*"):
			return nil, fmt.Errorf("path %q: * must be a whole segment, as in /dir/*", s)
		case strings.HasPrefix(part, ":"):
			name := part[1:]
			if !validName(name) {
				return nil, fmt.Errorf("path %q: placeholder %q is not a name (letters, digits, _)", s, part)
			}
			if name == "splat" {
				return nil, fmt.Errorf("path %q: :splat is reserved for the * segment", s)
			}
			if seen[name] {
				return nil, fmt.Errorf("path %q: placeholder %q is used twice", s, part)
			}
			seen[name] = true
			names = append(names, name)
			b.WriteString("/([^/]+)")
		default:
			b.WriteString("/" + regexp.QuoteMeta(part))
		}
	}
	if !splat {
		b.WriteString("/?")
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, fmt.Errorf("cannot compile path %q: %w", s, err)
	}
	return &pattern{raw: s, re: re, names: names}, nil
}

// checkPatternText rejects what no rule path may contain.
func checkPatternText(s string) error {
	if !strings.HasPrefix(s, "/") {
		return fmt.Errorf("path %q must start with /", s)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("path %q contains a control character", s)
		}
		if r == ' ' {
			return fmt.Errorf("path %q contains a space; encode it as %%20", s)
		}
	}
	return nil
}

// validName reports whether s is a placeholder name: a letter or underscore,
// then letters, digits or underscores.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// expandTarget replaces ":name" tokens in to with captured values. A token is
// ":" followed by a name; tokens whose name was not captured are left as they
// are (so "https://host:8080/" survives).
func expandTarget(to string, params map[string]string) string {
	if !strings.Contains(to, ":") {
		return to
	}
	var b strings.Builder
	for i := 0; i < len(to); {
		if to[i] != ':' {
			b.WriteByte(to[i])
			i++
			continue
		}
		j := i + 1
		for j < len(to) && isNameByte(to[j], j == i+1) {
			j++
		}
		if v, ok := params[to[i+1:j]]; ok && j > i+1 {
			b.WriteString(v)
		} else {
			b.WriteString(to[i:j])
		}
		i = j
	}
	return b.String()
}

// targetNames lists the ":name" tokens in to.
func targetNames(to string) []string {
	var names []string
	for i := 0; i < len(to); i++ {
		if to[i] != ':' {
			continue
		}
		j := i + 1
		for j < len(to) && isNameByte(to[j], j == i+1) {
			j++
		}
		if j > i+1 {
			names = append(names, to[i+1:j])
		}
		i = j - 1
	}
	return names
}

func isNameByte(c byte, first bool) bool {
	switch {
	case c == '_', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		return true
	case c >= '0' && c <= '9':
		return !first
	}
	return false
}
