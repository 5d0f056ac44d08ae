package netlify

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

var plainPath = regexp.MustCompile(`^(/[A-Za-z0-9._~-]+)+/?$`)

// FuzzPatterns compiles arbitrary paths as header and redirect patterns. It
// must never panic, and a path without special characters must match itself
// (with or without a trailing slash, in any letter case).
func FuzzPatterns(f *testing.F) {
	for _, s := range []string{"/", "/*", "/it/*", "/search/:lang/t/*", "/a/:b/c", "/assets/*.css", "/a//b", "/:", "/ro/*", "/x*y*z", "/%20/(", "/[a-z]+"} {
		f.Add(s, "/it/guides/x/")
	}
	f.Fuzz(func(t *testing.T, pat, path string) {
		hp, herr := compileHeaderPattern(pat)
		rp, rerr := compileRedirectPattern(pat)
		if herr == nil {
			hp.match(path)
		}
		if rerr == nil {
			params, ok := rp.match(path)
			if ok {
				for _, name := range rp.names {
					if _, has := params[name]; !has {
						t.Fatalf("from %q matched %q without capture %q", pat, path, name)
					}
				}
				expandTarget("/x/:splat/:"+strings.Join(rp.names, "/:"), params)
			}
		}
		if plainPath.MatchString(pat) {
			if herr != nil || rerr != nil {
				t.Fatalf("plain path %q did not compile: %v / %v", pat, herr, rerr)
			}
			for _, p := range []string{pat, strings.TrimSuffix(pat, "/") + "/", strings.ToUpper(pat)} {
				if _, ok := hp.match(p); !ok {
					t.Errorf("header pattern %q does not match %q", pat, p)
				}
				if _, ok := rp.match(p); !ok {
					t.Errorf("redirect pattern %q does not match %q", pat, p)
				}
			}
		}
	})
}

// FuzzParseRedirectsFile parses arbitrary _redirects text. It must never
// panic; every rule it accepts must survive being written back as a line and
// parsed again, unchanged.
func FuzzParseRedirectsFile(f *testing.F) {
	for _, s := range []string{
		"/a /b\n",
		"# c\n/it/* /it/404.html 404\n",
		"/ /ar/ 302! Language=ar,ur Country=IT\n",
		"/news/:y/:s /n/:y/:s/ 301!\n",
		"/a id=:id /b\n",
		"/a /b 30x\n",
		"/x https://example.org/:splat 302\n\n\n",
		"/a\t/b\t410 # gone\r\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		rules, err := ParseRedirectsFile(strings.NewReader(text), "_redirects")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "_redirects:") {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		for _, r := range rules {
			line := fmt.Sprintf("%s %s %d", r.From, r.To, r.Status)
			if r.Force {
				line += "!"
			}
			if len(r.Languages) > 0 {
				line += " Language=" + strings.Join(r.Languages, ",")
			}
			if len(r.Countries) > 0 {
				line += " Country=" + strings.Join(r.Countries, ",")
			}
			again, err := ParseRedirectsFile(strings.NewReader(line), "again")
			if err != nil || len(again) != 1 {
				t.Fatalf("rule %q written back as %q does not parse: %v", text, line, err)
			}
			a := again[0]
			if a.From != r.From || a.To != r.To || a.Status != r.Status || a.Force != r.Force ||
				strings.Join(a.Languages, ",") != strings.Join(r.Languages, ",") ||
				strings.Join(a.Countries, ",") != strings.Join(r.Countries, ",") {
				t.Fatalf("round trip of %q changed the rule: %+v -> %+v", line, r, a)
			}
		}
	})
}

// FuzzParseConfig feeds arbitrary text to the netlify.toml parser: it must
// return a configuration or an error, never panic.
func FuzzParseConfig(f *testing.F) {
	f.Add("[[headers]]\nfor = \"/*\"\n[headers.values]\nX-A = \"b\"\n")
	f.Add("[[redirects]]\nfrom = \"/\"\nto = \"/it/\"\nstatus = 302\nforce = true\nconditions = {Language = [\"it\"]}\n")
	f.Add("redirects = [{from = \"/a\", to = \"/b\"}]\n")
	f.Fuzz(func(t *testing.T, text string) {
		cfg, err := Parse([]byte(text), "netlify.toml")
		if err == nil {
			for _, h := range cfg.Headers {
				h.Matches("/it/")
			}
		}
	})
}
