package translation

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"portal/generator/content"
	"portal/generator/i18n"
)

func page(title, reviewed, extra string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("---\ntitle: \"" + title + "\"\ndescription: \"D\"\nreviewed: " + reviewed +
		"\nsources:\n  - text: \"L\"\n" + extra + "---\nTesto.\n")}
}

// Loaded straight from files, without the build: this is what the build
// has at hand when it writes /status/.
func TestTranslationsFromContent(t *testing.T) {
	langs, ds := i18n.Load(os.DirFS("../../.."), "i18n")
	if langs == nil {
		t.Fatalf("i18n: %v", ds)
	}
	fsys := fstest.MapFS{
		"guides/family/ricongiungimento.it.md": page("Ricongiungimento", "2026-05-01", ""),
		"guides/family/ricongiungimento.en.md": page("Reunification", "2026-05-01", ""),
		"guides/family/ricongiungimento.fr.md": page("Regroupement", "2026-04-30", ""),
		"guides/family/ricongiungimento.es.md": page("Reagrupación", "2026-06-01", "draft: true\n"),
		"pages/about.it.md":                    {Data: []byte("---\ntitle: \"Chi siamo\"\n---\nTesto.\n")},
		"pages/about.ar.md":                    {Data: []byte("---\ntitle: \"من نحن\"\n---\nنص.\n")},
	}
	site, ds := content.Load(fsys, content.Options{Root: "content", Langs: langs.Codes(), Drafts: true})
	if ds.Errors() > 0 {
		t.Fatalf("content: %v", ds)
	}
	tab := Translations(langs, site)
	got := map[string][]Status{}
	for _, r := range tab.Rows {
		got[r.Key] = []Status{r.Status["it"], r.Status["en"], r.Status["fr"], r.Status["es"], r.Status["ar"]}
	}
	want := map[string][]Status{
		"guides/family/ricongiungimento": {Source, OK, Behind, Draft, Missing},
		"pages/about":                    {Source, Missing, Missing, Missing, OK}, // no dates: nothing to compare
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if tab.Rows[0].Key != "guides/family/ricongiungimento" {
		t.Errorf("guides must come first, got %s", tab.Rows[0].Key)
	}
	if n := tab.Count("en", OK); n != 1 {
		t.Errorf("Count(en, ok) = %d, want 1", n)
	}

	title, body := Page(langs, site)
	html := string(body)
	if title == "" || !strings.Contains(html, `<td class="status status-outdated"><a href="/fr/guides/family/ricongiungimento/" hreflang="fr">da aggiornare</a></td>`) ||
		!strings.Contains(html, `<td class="status status-draft">bozza</td>`) {
		t.Errorf("status page:\n%s", html)
	}
	if m := regexp.MustCompile(`(?i)style=|<script|<style|\son[a-z]+=`).FindString(html); m != "" {
		t.Errorf("status page contains %q", m)
	}
	for _, s := range []string{"<caption", `scope="col"`, `scope="row"`, `class="status-legend"`} {
		if !strings.Contains(html, s) {
			t.Errorf("status page lacks %s", s)
		}
	}
}
