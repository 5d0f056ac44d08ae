package check

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", p, diff)
	}
}

func TestTranslations(t *testing.T) {
	rep, _ := runFixture(t, "translations", []string{"it"})
	tab := Translations(rep.Analysis)
	got := map[string]map[string]Status{}
	for _, r := range tab.Rows {
		got[r.Key] = map[string]Status{}
		for _, l := range []string{"it", "en", "fr", "es", "ar"} {
			got[r.Key][l] = r.Status[l]
		}
	}
	want := map[string]map[string]Status{
		// en was checked before the Italian text's last review; fr after.
		"guides/residence/rinnovo": {"it": Source, "en": Outdated, "fr": OK, "es": Missing, "ar": Missing},
		// A translation without Italian text: nothing to be behind.
		"guides/residence/orfana": {"it": Missing, "en": Missing, "fr": Missing, "es": OK, "ar": Missing},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}

	var b bytes.Buffer
	if err := WriteTable(&b, Text, tab); err != nil {
		t.Fatal(err)
	}
	wantText := `page                      it       en        fr       es       ar       zh       uk       ro       sq       bn       ur
guides/residence/orfana   missing  missing   missing  ok       missing  missing  missing  missing  missing  missing  missing
guides/residence/rinnovo  source   outdated  ok       missing  missing  missing  missing  missing  missing  missing  missing
up to date                1/2      0/2       1/2      1/2      0/2      0/2      0/2      0/2      0/2      0/2      0/2
`
	if diff := cmp.Diff(wantText, b.String()); diff != "" {
		t.Errorf("text table (-want +got):\n%s", diff)
	}

	b.Reset()
	if err := WriteTable(&b, JSON, tab); err != nil {
		t.Fatal(err)
	}
	var js struct {
		Languages []string `json:"languages"`
		Pages     []struct {
			Key    string            `json:"key"`
			Path   string            `json:"path"`
			URL    string            `json:"url"`
			Status map[string]string `json:"status"`
		} `json:"pages"`
	}
	if err := json.Unmarshal(b.Bytes(), &js); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b.String())
	}
	if len(js.Pages) != 2 || js.Pages[1].Key != "guides/residence/rinnovo" || js.Pages[1].Status["en"] != "outdated" ||
		js.Pages[1].URL != "/it/guides/residence/rinnovo/" || js.Pages[1].Path != "testdata/translations/guides/residence/rinnovo.it.md" ||
		js.Languages[0] != "it" || len(js.Languages) != len(tab.Langs) {
		t.Errorf("JSON table:\n%s", b.String())
	}
}

func TestTranslationsDraft(t *testing.T) {
	rep, _ := runFixture(t, "draft-link", []string{"it"})
	tab := Translations(rep.Analysis)
	for _, r := range tab.Rows {
		if r.Key == "guides/entry/bozza" && r.Status["it"] != Draft {
			t.Errorf("bozza it = %s, want draft", r.Status["it"])
		}
	}
}

func TestStatusPage(t *testing.T) {
	rep, err := Run(context.Background(), Options{Root: "../..", Content: "testdata/status", Today: today, RequireLangs: []string{"it"}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Analysis == nil {
		t.Fatalf("fixture does not load: %v", rep.Diagnostics)
	}
	title, body := StatusPage(rep.Analysis)
	if title != "Stato delle traduzioni" {
		t.Errorf("title = %q", title)
	}
	html := string(body)
	if m := regexp.MustCompile(`(?i)style=|<script|<style|\son[a-z]+=`).FindString(html); m != "" {
		t.Errorf("status page contains %q: no inline styles, scripts or handlers", m)
	}
	for _, s := range []string{
		`<caption id="guide-caption">Guide: stato delle traduzioni per lingua</caption>`,
		`<th scope="col"><abbr title="inglese (English)">en</abbr></th>`,
		`<th scope="row"><a href="/it/guides/residence/rinnovo/">Rinnovo &amp; conversione</a></th>`,
		`<td class="status status-outdated"><a href="/en/guides/residence/rinnovo/" hreflang="en">da aggiornare</a></td>`,
		`<td class="status status-missing">mancante</td>`,
		`<dt><span class="status status-ok">aggiornata</span></dt>`,
		`<a href="/it/about/">&lt;b&gt;Chi siamo&lt;/b&gt;</a>`,
	} {
		if !strings.Contains(html, s) {
			t.Errorf("status page lacks %s", s)
		}
	}
	golden(t, "status.html", []byte(html))
}
