package generator

import (
	"log/slog"
	"os"
	"testing"

	"portal/generator/content"
	"portal/generator/i18n"
	"portal/generator/markdown"
	"portal/generator/output"
)

// BenchmarkLayoutGuide measures the layout of one guide page (view and
// template, no Markdown), in turn in every language, on the project's
// content or on PORTAL_CORPUS:
//
//	go test -run '^$' -bench LayoutGuide -benchmem ./generator
func BenchmarkLayoutGuide(b *testing.B) {
	dir := os.Getenv("PORTAL_CORPUS")
	if dir == "" {
		dir = "../content"
	}
	bl, err := load(Config{Root: "..", Content: dir, BaseURL: "https://example.org", Jobs: 1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	bl.out = discard{out: output.InPlace(b.TempDir())}
	var g *content.Group
	for _, x := range bl.site.Groups {
		if x.Kind == content.Guide && len(x.ByLang) > 2 {
			g = x
			break
		}
	}
	p := g.ByLang[i18n.Source]
	res, _ := markdown.New("it").Render(markdown.Doc{Path: p.Path, Rel: p.Rel, Body: p.Src.Body, BodyLine: p.Src.BodyLine})
	t := &rendered{page: p, res: res}
	langs := bl.langs.All()
	b.ResetTimer()
	for i := range b.N {
		v := bl.view(g, langs[i%len(langs)], t)
		if err := bl.emit("guide", v, func([]byte) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
