package generator

import (
	"html/template"
	"strings"
	"testing"
)

// The lists built in Go must escape exactly as html/template would have
// in the layouts they replaced.
func TestViewEscaping(t *testing.T) {
	text := template.Must(template.New("t").Parse(`{{.}}`))
	href := template.Must(template.New("h").Parse(`<a href="{{.}}">`))
	frag := template.Must(template.New("f").Parse(`<a href="#{{.}}">`))
	run := func(tm *template.Template, s string) string {
		var b strings.Builder
		if err := tm.Execute(&b, s); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	for _, s := range []string{"", "Permesso di soggiorno", `a<b>&'"+c`, "nul\x00byte", "تصريح الإقامة",
		"/it/guides/residence/rinnovo/", "/ar/دليل/?q=a b&x=<y>#frag", "https://example.org/a%20b?x='y'", "/it/caf\u00e9 \"x\"/", "permesso-di-soggiorno", "تصريح-الإقامة", "居留许可-2", "a.b_c~d"} {
		if got, want := string(appendEsc(nil, s)), run(text, s); got != want {
			t.Errorf("appendEsc(%q) = %q, html/template writes %q", s, got, want)
		}
		if got, want := `<a href="`+string(appendURL(nil, s))+`">`, run(href, s); got != want {
			t.Errorf("appendURL(%q) gives %q, html/template writes %q", s, got, want)
		}
		if got, want := `<a href="#`+string(appendURLPart(nil, s, false))+`">`, run(frag, s); got != want {
			t.Errorf("appendURLPart(%q, false) gives %q, html/template writes %q", s, got, want)
		}
	}
}
