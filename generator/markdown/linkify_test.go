package markdown

import (
	"bytes"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// linkifyCases mix text that goldmark's linkify turns into links with text
// it leaves alone, next to every character that triggers it.
var linkifyCases = []string{
	"Vedi https://www.interno.gov.it/it e http://example.org/a_(b) oggi.",
	"Scrivi a sportello@comune.example.it, oppure a *info@example.org*.",
	"Sito: www.portaleimmigrazione.it. Fine",
	"ftp://files.example.org/x e ftp:/nope e https:// vuoto",
	"Una parola @menzione e a@b e a@b.c e nome.cognome@example.com.",
	"(https://example.org/x) _www.example.org_ ~https://example.org~ **http://example.org**",
	"riga\twww.example.org\tcon tab e h f w hx fw www wwx",
	"Testo senza link, con spazi  doppi e virgole, punti. E fine",
	"[link www.example.org](https://example.org) e `codice www.example.org`",
	"email-@example.org e x@example.org- e x@example.org_ e x@example",
	"http://example.org/?q=1&amp;r=2; e http://example.org/a.b.",
	"- elemento con https://example.org\n- secondo con a@example.org\n\n| a | b |\n|---|---|\n| www.example.org | c@example.org |",
	"Α@β.γ e 用户@例子.中国 e https://例子.中国/路径",
}

func TestQuickLinkifySameAsGFM(t *testing.T) {
	plain := goldmark.New(goldmark.WithExtensions(extension.GFM))
	quick := goldmark.New(goldmark.WithExtensions(gfm))
	for _, src := range linkifyCases {
		var want, got bytes.Buffer
		if err := plain.Convert([]byte(src), &want); err != nil {
			t.Fatal(err)
		}
		if err := quick.Convert([]byte(src), &got); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%q:\n got %s\nwant %s", src, got.String(), want.String())
		}
	}
	// The cases must exercise both answers.
	var out bytes.Buffer
	for _, src := range linkifyCases {
		_ = quick.Convert([]byte(src), &out)
	}
	for _, want := range []string{`<a href="https://www.interno.gov.it/it">`, `<a href="mailto:sportello@comune.example.it">`, `<a href="http://www.portaleimmigrazione.it">`} {
		if !bytes.Contains(out.Bytes(), []byte(want)) {
			t.Errorf("no %s in the output: the cases no longer make links", want)
		}
	}
}

func FuzzQuickLinkifySameAsGFM(f *testing.F) {
	for _, c := range linkifyCases {
		f.Add(c)
	}
	plain := goldmark.New(goldmark.WithExtensions(extension.GFM))
	quick := goldmark.New(goldmark.WithExtensions(gfm))
	f.Fuzz(func(t *testing.T, src string) {
		var want, got bytes.Buffer
		errW := plain.Convert([]byte(src), &want)
		errG := quick.Convert([]byte(src), &got)
		if (errW == nil) != (errG == nil) || got.String() != want.String() {
			t.Errorf("%q:\n got %s (%v)\nwant %s (%v)", src, got.String(), errG, want.String(), errW)
		}
	})
}
