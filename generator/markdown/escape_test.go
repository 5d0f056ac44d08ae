package markdown

import (
	"html"
	"testing"
)

func TestAppendEscaped(t *testing.T) {
	for _, s := range []string{"", "/it/guide/", `a<b>&'"c`, "/ar/دليل/?q=1&x=<y>", "'''", `"`} {
		if got, want := string(appendEscaped([]byte("x"), s)), "x"+html.EscapeString(s); got != want {
			t.Errorf("appendEscaped(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzAppendEscaped(f *testing.F) {
	f.Add(`a<b>&'"c`)
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(appendEscaped(nil, s)), html.EscapeString(s); got != want {
			t.Errorf("appendEscaped(%q) = %q, want %q", s, got, want)
		}
	})
}
