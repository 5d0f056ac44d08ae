package netlify

import (
	"net/http"
	"slices"
)

// HeadersFor returns the headers of every [[headers]] rule matching the
// request path, merged in file order. When two matching rules set the same
// header name the later one wins, as in netlify-cli; production behaviour
// for that case is not documented, which is why Conflicts exists.
func (c *Config) HeadersFor(path string) http.Header {
	h := http.Header{}
	for i := range c.Headers {
		rule := &c.Headers[i]
		if !rule.Matches(path) {
			continue
		}
		for name, values := range rule.Values {
			h[name] = slices.Clone(values)
		}
	}
	return h
}

// Conflict is one header name set by more than one rule matching a path.
type Conflict struct {
	// Header is the canonical header name.
	Header string
	// Rules lists the "for" patterns (with their source lines) that set it.
	Rules []string
}

// Conflicts lists every header name that two or more rules matching path set.
// A correct configuration has none for any path: a duplicated
// Content-Security-Policy would be enforced twice by browsers, and Netlify
// does not document which value wins.
func (c *Config) Conflicts(path string) []Conflict {
	setters := map[string][]string{}
	var order []string
	for i := range c.Headers {
		rule := &c.Headers[i]
		if !rule.Matches(path) {
			continue
		}
		for name := range rule.Values {
			if _, seen := setters[name]; !seen {
				order = append(order, name)
			}
			setters[name] = append(setters[name], rule.For+" ("+rule.Source+")")
		}
	}
	slices.Sort(order)
	var out []Conflict
	for _, name := range order {
		if len(setters[name]) > 1 {
			out = append(out, Conflict{Header: name, Rules: setters[name]})
		}
	}
	return out
}
