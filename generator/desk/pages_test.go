package desk

import (
	"encoding/json"
	"fmt"
	"html/template"
	"os"
	"regexp"
	"strings"
	"testing"
)

func pageByURL(t *testing.T, pages []Page, url string) Page {
	t.Helper()
	for _, p := range pages {
		if p.URL == url {
			return p
		}
	}
	t.Fatalf("no page %s", url)
	return Page{}
}

func render(p Page) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- URL %s lang %s textlang %q sitemap %v -->\n<!-- title: %s -->\n<!-- description: %s -->\n<!-- alternates: %v -->\n<!-- head -->\n%s\n<!-- body -->\n%s",
		p.URL, p.Lang, p.TextLang, p.Sitemap, p.Title, p.Description, p.Alternates, p.Head, p.Body)
	return []byte(b.String())
}

func TestPagesGolden(t *testing.T) {
	d := loadSite(t)
	for _, lang := range []string{"it", "ar"} {
		pages, err := d.Pages(lang, testEnv)
		if err != nil {
			t.Fatal(err)
		}
		golden(t, lang+"-list.html", render(pageByURL(t, pages, "/"+lang+"/desks/")))
		golden(t, lang+"-desk.html", render(pageByURL(t, pages, "/"+lang+"/desks/prova-centro/")))
	}
}

func TestPagesSet(t *testing.T) {
	d := loadSite(t)
	pages, err := d.Pages("en", testEnv)
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, p := range pages {
		urls = append(urls, p.URL)
	}
	want := []string{"/en/desks/"}
	for _, s := range Services {
		want = append(want, "/en/desks/service/"+s+"/")
	}
	want = append(want, "/en/desks/language/ar/", "/en/desks/language/en/", "/en/desks/language/fr/", "/en/desks/language/it/",
		"/en/desks/prova-minimo/", "/en/desks/prova-nord/", "/en/desks/prova-centro/")
	if strings.Join(urls, "\n") != strings.Join(want, "\n") {
		t.Errorf("page URLs:\n%s\nwant:\n%s", strings.Join(urls, "\n"), strings.Join(want, "\n"))
	}
	// A service filter page lists exactly the desks with that service.
	work := pageByURL(t, pages, "/en/desks/service/permit-first/")
	if !strings.Contains(string(work.Body), "/en/desks/prova-nord/") || strings.Contains(string(work.Body), "/en/desks/prova-centro/") {
		t.Errorf("permit-first page lists the wrong desks:\n%s", work.Body)
	}
	if !strings.Contains(string(work.Body), `aria-current="page"`) {
		t.Errorf("current filter not marked")
	}
	// A service nobody offers still has a page (guides may link to it) but
	// stays out of the sitemap.
	if school := pageByURL(t, pages, "/en/desks/service/school/"); school.Sitemap || !strings.Contains(string(school.Body), "No desks in this list.") {
		t.Errorf("empty service page: sitemap %v body %s", school.Sitemap, school.Body)
	}
	fr := pageByURL(t, pages, "/en/desks/language/fr/")
	if fr.Title != "French" || !strings.Contains(string(fr.Body), "prova-nord") || strings.Contains(string(fr.Body), "prova-centro/") {
		t.Errorf("language page: %q %s", fr.Title, fr.Body)
	}
	// English translation without description: title translated, text in
	// English, description falls back to the Italian one.
	c := pageByURL(t, pages, "/en/desks/prova-centro/")
	if c.Title != "Test desk – Centre" || c.TextLang != "" || c.Description != "Uno sportello inventato per i test, con tutti i dati." {
		t.Errorf("en desk page: %q %q %q", c.Title, c.TextLang, c.Description)
	}
	if c.Search == nil || !strings.Contains(c.Search.Text, "residence permit paperwork") || strings.Contains(c.Search.Text, "<") {
		t.Errorf("search doc %+v", c.Search)
	}
	// No translation: Italian text marked as such.
	m := pageByURL(t, pages, "/en/desks/prova-minimo/")
	if m.TextLang != "it" || !strings.Contains(string(m.Body), `<div lang="it" dir="ltr">`) || !strings.Contains(string(m.Body), "This text is only available in Italian.") {
		t.Errorf("fallback page: textlang %q body %s", m.TextLang, m.Body)
	}
	// The listing in a language without its own _index keeps a translated
	// heading and marks the Italian introduction.
	l := pageByURL(t, pages, "/en/desks/")
	if l.Title != "Desks" || l.Description != "Where to find the desks for foreign residents: opening hours, services and languages spoken." ||
		l.TextLang != "it" || !strings.Contains(string(l.Body), `<div class="desks-intro" lang="it" dir="ltr">`) {
		t.Errorf("en listing: %q %q %q", l.Title, l.Description, l.TextLang)
	}
	if len(c.Alternates) != 3 || c.Alternates["ar"] != "/ar/desks/prova-centro/" {
		t.Errorf("alternates %v", c.Alternates)
	}
}

func TestPagesSafety(t *testing.T) {
	d := loadSite(t)
	for _, lang := range testEnv.langs {
		pages, err := d.Pages(lang, testEnv)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			body := string(p.Body)
			for _, bad := range []string{"<script", "style=", " onclick", "<b>di prova</b>", "alert(", "ZgotmplZ", "MISSING("} {
				if strings.Contains(body, bad) {
					t.Errorf("%s: body contains %q", p.URL, bad)
				}
			}
			// The only scripts in Head are the external desks.js and JSON-LD.
			for _, s := range regexp.MustCompile(`<script[^>]*>`).FindAllString(string(p.Head), -1) {
				if s != `<script type="application/ld+json">` && s != `<script src="/assets/desks.0123abcd.js" defer>` {
					t.Errorf("%s: unexpected script tag %s", p.URL, s)
				}
			}
		}
	}
}

func TestJSONLD(t *testing.T) {
	d := loadSite(t)
	pages, err := d.Pages("it", testEnv)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"prova-centro", "prova-minimo"} {
		head := string(pageByURL(t, pages, "/it/desks/"+id+"/").Head)
		m := regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`).FindStringSubmatch(head)
		if m == nil {
			t.Fatalf("%s: no JSON-LD in %s", id, head)
		}
		if strings.Contains(m[1], "</") {
			t.Errorf("%s: JSON-LD could close the script element: %s", id, m[1])
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(m[1]), &v); err != nil {
			t.Fatalf("%s: JSON-LD is not valid JSON: %v\n%s", id, err, m[1])
		}
		if v["@type"] != "GovernmentOffice" || v["@context"] != "https://schema.org" {
			t.Errorf("%s: type %v context %v", id, v["@type"], v["@context"])
		}
		if id == "prova-minimo" {
			if v["name"] != "Sportello minimo </script><b>di prova</b>" {
				t.Errorf("name not kept exactly: %v", v["name"])
			}
			continue
		}
		hours := v["openingHoursSpecification"].([]any)
		first := hours[0].(map[string]any)
		if len(hours) != 5 || first["dayOfWeek"] != "https://schema.org/Monday" || first["opens"] != "09:00" || first["closes"] != "12:30" {
			t.Errorf("openingHoursSpecification %v", hours)
		}
		special := v["specialOpeningHoursSpecification"].([]any)
		want := []string{"2026-12-31 09:00 11:00", "2026-08-14 00:00 00:00", "2026-12-24 00:00 00:00"}
		for i, s := range special {
			s := s.(map[string]any)
			if got := fmt.Sprint(s["validFrom"], " ", s["opens"], " ", s["closes"]); got != want[i] {
				t.Errorf("special %d: %s, want %s", i, got, want[i])
			}
		}
		if geo := v["geo"].(map[string]any); geo["latitude"] != 45.5312 {
			t.Errorf("geo %v", geo)
		}
	}
}

func TestForService(t *testing.T) {
	d := loadSite(t)
	var ids []string
	for _, dk := range d.ForService("permit-renewal") {
		ids = append(ids, dk.ID+"="+dk.TitleIn("en"))
	}
	if got := strings.Join(ids, ","); got != "prova-centro=Test desk – Centre" {
		t.Errorf("ForService(permit-renewal) = %s", got)
	}
	if got := d.ForService("school"); len(got) != 0 {
		t.Errorf("ForService(school) = %v", got)
	}
	if got := d.Desk("prova-nord").TitleIn("ar"); got != "Sportello di prova – Nord" {
		t.Errorf("TitleIn fallback = %q", got)
	}
}

// Folding {{t "key"}} into constants must not change a byte: every desk
// template run by a renderer gives what the same clone gives with t left
// as a function.
func TestFoldTSameOutput(t *testing.T) {
	d, errs := Load(benchFS(6), "content/desks", testEnv.langs)
	if len(errs) > 0 {
		t.Fatal(errs.Err())
	}
	if err := d.UseLayouts(os.DirFS("../.."), "layouts/desk"); err != nil {
		t.Fatal(err)
	}
	for _, lang := range testEnv.langs {
		folded, err := d.renderer(lang, testEnv)
		if err != nil {
			t.Fatal(err)
		}
		plain := *folded
		if plain.tmpl, err = d.layouts.Clone(); err != nil {
			t.Fatal(err)
		}
		plain.tmpl.Funcs(template.FuncMap{"t": func(key string) string { return testEnv.T(lang, key) }})
		folds := 0
		for _, x := range folded.tmpl.Templates() {
			if x.Tree != nil {
				folds += strings.Count(x.Tree.Root.String(), `{{t "`)
			}
		}
		if folds != 0 {
			t.Errorf("%s: %d {{t \"key\"}} calls left after folding", lang, folds)
		}
		check := func(name string, data any) {
			t.Helper()
			got, err := folded.exec(name, data)
			if err != nil {
				t.Fatal(err)
			}
			want, err := plain.exec(name, data)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s %s: folded output differs:\n got %s\nwant %s", lang, name, got, want)
			}
			if !strings.Contains(string(got), template.HTMLEscapeString(testEnv.T(lang, "desk.filter.heading"))) && name == "desk-list" {
				t.Errorf("%s %s: no translated filter heading in %s", lang, name, got)
			}
		}
		lv, err := folded.list(d.Desks, "", "")
		if err != nil {
			t.Fatal(err)
		}
		check("desk-list", lv)
		for _, dk := range d.Desks {
			pv, err := folded.page(dk)
			if err != nil {
				t.Fatal(err)
			}
			check("desk-page", pv)
		}
	}
}
