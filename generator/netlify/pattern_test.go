package netlify

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestHeaderPattern(t *testing.T) {
	tests := []struct {
		pattern string
		path    string
		want    bool
	}{
		{"/", "/", true},
		{"/", "/index.html", false},
		{"/*", "/", true},
		{"/*", "/a/b/c.css", true},
		{"/it/*", "/it", true},
		{"/it/*", "/it/", true},
		{"/it/*", "/it/guides/x/", true},
		{"/it/*", "/IT/guides/", true},    // case-insensitive, as netlify-cli
		{"/ro/*", "/robots.txt", true},    // upstream quirk kept for the conflict check
		{"/en/*", "/embed/desks/", false}, // "en" is not a prefix of "embed"
		{"/it/*", "/index.html", false},
		{"/index.html", "/index.html", true},
		{"/index.html", "/index.html/", true}, // trailing slash optional
		{"/index.html", "/indexxhtml", false}, // "." is literal here
		{"/search/:lang/manifest.json", "/search/it/manifest.json", true},
		{"/search/:lang/manifest.json", "/search/it/x/manifest.json", false},
		{"/search/:lang/t/*", "/search/ar/t/5e6f7a8b90.json", true},
		{"/search/:lang/t/*", "/search/ar/manifest.json", false},
		{"/search/:lang/f/*", "/search/ar/manifest.json", false},
		{"/assets/*.css", "/assets/site.abc.css", true},
		{"/assets/*.css", "/assets/site.abc.js", false},
		{"/assets/*.css", "/assets/sub/dir/x.css", true}, // inner * crosses "/", as upstream
		{"/a/:x/c", "/a/b/c", true},
		{"/a/:x/c", "/a//c", false},
	}
	for _, tt := range tests {
		p, err := compileHeaderPattern(tt.pattern)
		if err != nil {
			t.Fatalf("compileHeaderPattern(%q): %v", tt.pattern, err)
		}
		if _, got := p.match(tt.path); got != tt.want {
			t.Errorf("for %q matching %q = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
}

func TestRedirectPattern(t *testing.T) {
	tests := []struct {
		pattern string
		path    string
		want    map[string]string // nil: no match
	}{
		{"/", "/", map[string]string{}},
		{"/", "/it/", nil},
		{"/old", "/old", map[string]string{}},
		{"/old", "/old/", map[string]string{}},
		{"/old/", "/old", map[string]string{}},
		{"/old", "/OLD", map[string]string{}},
		{"/old", "/older", nil},
		{"/it/*", "/it", map[string]string{"splat": ""}},
		{"/it/*", "/it/", map[string]string{"splat": ""}},
		{"/it/*", "/it/guides/a/b", map[string]string{"splat": "guides/a/b"}},
		{"/it/*", "/items", nil},
		{"/ro/*", "/robots.txt", nil},
		{"/news/:year/:slug", "/news/2024/Hello", map[string]string{"year": "2024", "slug": "Hello"}},
		{"/news/:year/:slug", "/news/2024", nil},
		{"/news/:year/*", "/news/2024/a/b", map[string]string{"year": "2024", "splat": "a/b"}},
		{"/a.b", "/aXb", nil},
	}
	for _, tt := range tests {
		p, err := compileRedirectPattern(tt.pattern)
		if err != nil {
			t.Fatalf("compileRedirectPattern(%q): %v", tt.pattern, err)
		}
		got, ok := p.match(tt.path)
		if !ok {
			got = nil
		}
		if tt.want == nil && ok {
			t.Errorf("from %q matching %q: got %v, want no match", tt.pattern, tt.path, got)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" && tt.want != nil {
			t.Errorf("from %q matching %q (-want +got):\n%s", tt.pattern, tt.path, diff)
		}
	}
}

func TestPatternErrors(t *testing.T) {
	tests := []struct {
		redirect bool
		pattern  string
		want     string
	}{
		{true, "old", `path "old" must start with /`},
		{true, "/a/*/b", `path "/a/*/b": * must be the last segment`},
		{true, "/a*", `path "/a*": * must be a whole segment, as in /dir/*`},
		{true, "/a/:1x", `placeholder ":1x" is not a name`},
		{true, "/a/:id/:id", `placeholder ":id" is used twice`},
		{true, "/a/:splat", `:splat is reserved for the * segment`},
		{true, "/a//b", `has an empty segment (//)`},
		{true, "/a?x=1", `query matching is not supported`},
		{true, "https://old.example/*", `must start with /`},
		{true, "//old.example/x", `rule for another host`},
		{true, "/a b", `contains a space`},
		{false, "/a/:", `placeholder ":" is not a name`},
		{false, "/a\x01", `contains a control character`},
	}
	for _, tt := range tests {
		var err error
		if tt.redirect {
			_, err = compileRedirectPattern(tt.pattern)
		} else {
			_, err = compileHeaderPattern(tt.pattern)
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("compile(%q) error = %v, want it to contain %q", tt.pattern, err, tt.want)
		}
	}
}

func TestExpandTarget(t *testing.T) {
	params := map[string]string{"splat": "a/b", "id": "42", "idx": "7"}
	tests := []struct{ to, want string }{
		{"/it/:splat", "/it/a/b"},
		{"/d/:id/:idx", "/d/42/7"},
		{"/d/:id-:idx.html", "/d/42-7.html"},
		{"/d/:unknown", "/d/:unknown"},
		{"https://example.org:8443/:splat", "https://example.org:8443/a/b"},
		{"/plain", "/plain"},
		{"/trailing:", "/trailing:"},
	}
	for _, tt := range tests {
		if got := expandTarget(tt.to, params); got != tt.want {
			t.Errorf("expandTarget(%q) = %q, want %q", tt.to, got, tt.want)
		}
	}
}
