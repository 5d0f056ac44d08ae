package desk

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

var siteLangs = []string{"it", "en", "fr", "es", "ar", "zh", "uk", "ro", "sq", "bn", "ur"}

// head is a valid desk front matter start: title on line 2, municipality
// on 3, province on 4, so the lines of the keys added after it start at 5.
const head = "---\ntitle: \"Sportello Stranieri\"\nmunicipality: \"Rho\"\nprovince: \"MI\"\n"

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string // path under content/desks/ -> text
		want  []string          // formatted diagnostics, sorted
	}{
		{"unknown top-level keys, all reported",
			map[string]string{"rho.md": head + "phon: \"+39 02 1234567\"\nbooking: x\n---\n"},
			[]string{
				`content/desks/rho.md:5: error: front matter: unknown key "phon": did you mean "phone"?`,
				`content/desks/rho.md:6: error: front matter: unknown key "booking": did you mean "booking_url"?`,
			}},
		{"unknown nested key",
			map[string]string{"rho.md": head + "hours:\n  - {day: mon, open: \"09:00\", closes: \"12:00\"}\n---\n"},
			[]string{`content/desks/rho.md:6: error: hours: unknown key "open": did you mean "opens"?`}},
		{"wrong type",
			map[string]string{"rho.md": head + "lat: north\n---\n"},
			[]string{`content/desks/rho.md:5: error: lat "north" is not a number: write decimal degrees without quotes, for example lat: 45.53`}},
		{"wrong types",
			map[string]string{"rho.md": head + "lon: \"9.04\"\nlat: 45.5\nappointment_only: yes please\nservices: work\n---\n"},
			[]string{
				`content/desks/rho.md:5: error: lon "9.04" is not a number: write decimal degrees without quotes, for example lon: 45.53`,
				`content/desks/rho.md:7: error: appointment_only "yes please" is not true or false: write appointment_only: true`,
				`content/desks/rho.md:8: error: services must be a list, such as [permit-renewal, work]`,
			}},
		{"other wrong type left to the decoder",
			map[string]string{"rho.md": head + "address:\n  - a\n---\n"},
			[]string{`content/desks/rho.md:6:3: error: front matter: this value cannot be read: it must be text`}},
		{"missing required keys",
			map[string]string{"rho.md": "---\noperator: \"Comune di Rho\"\n---\n"},
			[]string{
				`content/desks/rho.md:1: error: municipality is missing: add municipality: "..." with the name of the comune`,
				`content/desks/rho.md:1: error: province is missing: add the two-letter sigla, for example province: "MI"`,
				`content/desks/rho.md:1: error: title is missing: add title: "..." with the desk's name`,
			}},
		{"no front matter",
			map[string]string{"rho.md": "Just text.\n"},
			[]string{`content/desks/rho.md:1: error: the desk file has no front matter: start it with a line "---", then title, municipality and province, then "---"`}},
		{"bad file name",
			map[string]string{"Rho_Desk.md": head + "---\n"},
			[]string{`content/desks/Rho_Desk.md: error: the file name "Rho_Desk.md" is not a valid desk id: use lower-case ASCII letters, digits and single hyphens, for example rho-sportello-stranieri.md`}},
		{"unknown service code",
			map[string]string{"rho.md": head + "services: [permit-renewal, permit-renew, cooking]\n---\n"},
			[]string{
				`content/desks/rho.md:5: error: services: unknown service code "cooking": use one of permit-renewal, permit-first, family-reunification, citizenship, legal-advice, cultural-mediation, language-courses, work, housing, health, school`,
				`content/desks/rho.md:5: error: services: unknown service code "permit-renew": did you mean "permit-renewal"?`,
			}},
		{"duplicate service",
			map[string]string{"rho.md": head + "services:\n  - work\n  - work\n---\n"},
			[]string{`content/desks/rho.md:7: error: services: "work" is listed twice: remove one`}},
		{"unknown language codes",
			map[string]string{"rho.md": head + "languages:\n  - it\n  - EN\n  - english\n  - qq\n---\n"},
			[]string{
				`content/desks/rho.md:7: error: languages: language code "EN" must be lower-case: write "en"`,
				`content/desks/rho.md:8: error: languages: "english" is not an ISO 639-1 language code: use two lower-case letters, for example "en" for English or "ar" for Arabic`,
				`content/desks/rho.md:9: error: languages: "qq" is not an ISO 639-1 language code: use two lower-case letters, for example "en" for English or "ar" for Arabic`,
			}},
		{"bad day name",
			map[string]string{"rho.md": head + "hours:\n  - {day: monday, opens: \"09:00\", closes: \"12:00\"}\n  - {day: Tue, opens: \"09:00\", closes: \"12:00\"}\n  - {day: gio, opens: \"09:00\", closes: \"12:00\"}\n---\n"},
			[]string{
				`content/desks/rho.md:6: error: hours: day "monday" is not a day code: use mon, tue, wed, thu, fri, sat or sun (write "mon")`,
				`content/desks/rho.md:7: error: hours: day "Tue" is not a day code: use mon, tue, wed, thu, fri, sat or sun (write "tue")`,
				`content/desks/rho.md:8: error: hours: day "gio" is not a day code: use mon, tue, wed, thu, fri, sat or sun (write "thu")`,
			}},
		{"malformed times",
			map[string]string{"rho.md": head + "hours:\n  - day: mon\n    opens: \"9.00\"\n    closes: \"25:00\"\n  - day: tue\n    opens: \"24:00\"\n    closes: \"24:00\"\n---\n"},
			[]string{
				`content/desks/rho.md:7: error: hours: "opens" "9.00" is not a time: write it as HH:MM in quotes, for example "09:00"`,
				`content/desks/rho.md:8: error: hours: "closes" "25:00" is not a time: write it as HH:MM in quotes, for example "09:00" ("24:00" for midnight)`,
				`content/desks/rho.md:10: error: hours: "opens" "24:00" is not a time: write it as HH:MM in quotes, for example "09:00"`,
			}},
		{"missing time",
			map[string]string{"rho.md": head + "hours:\n  - day: mon\n    opens: \"09:00\"\n---\n"},
			[]string{`content/desks/rho.md:6: error: hours: the entry has no "closes": add closes: "HH:MM"`}},
		{"closes before opens",
			map[string]string{"rho.md": head + "hours:\n  - day: mon\n    opens: \"14:00\"\n    closes: \"12:00\"\n---\n"},
			[]string{`content/desks/rho.md:8: error: hours: "closes" 12:00 is before "opens" 14:00: swap them or fix the time (a range past midnight is two ranges: up to "24:00" and from "00:00" the next day)`}},
		{"closes equals opens",
			map[string]string{"rho.md": head + "hours:\n  - {day: fri, opens: \"10:00\", closes: \"10:00\"}\n---\n"},
			[]string{`content/desks/rho.md:6: error: hours: "closes" 10:00 is the same as "opens": fix the time or remove the entry`}},
		{"overlapping hours",
			map[string]string{"rho.md": head + "hours:\n  - {day: mon, opens: \"09:00\", closes: \"12:30\"}\n  - {day: tue, opens: \"12:00\", closes: \"14:00\"}\n  - {day: mon, opens: \"12:00\", closes: \"14:00\"}\n---\n"},
			[]string{`content/desks/rho.md:8: error: hours: mon 12:00-14:00 overlaps mon 09:00-12:30 on line 6: merge them into one range or fix the times`}},
		{"coordinates outside Italy",
			map[string]string{"rho.md": head + "lat: 48.85\nlon: 2.35\n---\n"},
			[]string{
				`content/desks/rho.md:5: error: lat 48.85 is outside Italy (35.4 to 47.1): check the value, or leave lat and lon out`,
				`content/desks/rho.md:6: error: lon 2.35 is outside Italy (6.6 to 18.6): check the value, or leave lat and lon out`,
			}},
		{"swapped coordinates",
			map[string]string{"rho.md": head + "lat: 9.04\nlon: 45.53\n---\n"},
			[]string{`content/desks/rho.md:5: error: lat 9.04 and lon 45.53 look swapped: lat is the north-south value (35.4 to 47.1 in Italy), lon the east-west one (6.6 to 18.6)`}},
		{"only one coordinate",
			map[string]string{"rho.md": head + "lat: 45.53\n---\n"},
			[]string{`content/desks/rho.md:5: error: lat is set but lon is missing: give both coordinates or neither`}},
		{"bad e-mail",
			map[string]string{"rho.md": head + "email: \"mailto:stranieri@comune.rho.mi.it\"\n---\n"},
			[]string{`content/desks/rho.md:5: error: email "mailto:stranieri@comune.rho.mi.it" is not an e-mail address: write only the address, such as name@comune.example.it, without a name or "mailto:"`}},
		{"e-mail with a name",
			map[string]string{"rho.md": head + "email: \"Ufficio <uff@comune.example.it>\"\n---\n"},
			[]string{`content/desks/rho.md:5: error: email "Ufficio <uff@comune.example.it>" is not an e-mail address: write only the address, such as name@comune.example.it, without a name or "mailto:"`}},
		{"http website and bad booking URL",
			map[string]string{"rho.md": head + "website: \"http://www.comune.example.it\"\nbooking_url: \"www.prenota.example.it\"\n---\n"},
			[]string{
				`content/desks/rho.md:5: error: website "http://www.comune.example.it" must start with https://: use the site's secure address`,
				`content/desks/rho.md:6: error: booking_url "www.prenota.example.it" is not a web address: write the full address starting with https://`,
			}},
		{"javascript URL",
			map[string]string{"rho.md": head + "website: \"javascript:alert(1)\"\n---\n"},
			[]string{`content/desks/rho.md:5: error: website "javascript:alert(1)" is not a web address: write the full address starting with https://`}},
		{"bad phone",
			map[string]string{"rho.md": head + "phone: \"02 1234567\"\n---\n"},
			[]string{`content/desks/rho.md:5: error: phone "02 1234567" is not an Italian phone number: write +39 and then 6 to 11 digits, spaces allowed, for example "+39 02 1234 5678"`}},
		{"phone with dashes",
			map[string]string{"rho.md": head + "phone: \"+39 02-1234567\"\n---\n"},
			[]string{`content/desks/rho.md:5: error: phone "+39 02-1234567" is not an Italian phone number: write +39 and then 6 to 11 digits, spaces allowed, for example "+39 02 1234 5678"`}},
		{"bad province and postcode",
			map[string]string{"rho.md": "---\ntitle: x\nmunicipality: Rho\nprovince: Milano\npostcode: 2017\n---\n"},
			[]string{
				`content/desks/rho.md:4: error: province "Milano": write the two-letter sigla "MI" instead of the name`,
				`content/desks/rho.md:5: error: postcode "2017" is not an Italian postcode (CAP): write its five digits in quotes, for example "20017"`,
			}},
		{"unknown province",
			map[string]string{"rho.md": "---\ntitle: x\nmunicipality: Rho\nprovince: XX\n---\n"},
			[]string{`content/desks/rho.md:4: error: province "XX" is not an Italian province sigla: write the two letters used in addresses, for example "MI" for Milano`}},
		{"closure to before from",
			map[string]string{"rho.md": head + "closures:\n  - {from: 2026-12-24, to: 2026-12-20}\n---\n"},
			[]string{`content/desks/rho.md:6: error: closures: "to" 2026-12-20 is before "from" 2026-12-24: swap them or fix the date`}},
		{"closure longer than a year",
			map[string]string{"rho.md": head + "closures:\n  - {from: 2026-01-01, to: 9999-12-31}\n---\n"},
			[]string{`content/desks/rho.md:6: error: closures: 2026-01-01 to 9999-12-31 is longer than a year: a desk closed for so long should leave the directory; otherwise fix the dates`}},
		{"closure with a bad date",
			map[string]string{"rho.md": head + "closures:\n  - from: 2026-13-01\n---\n"},
			[]string{`content/desks/rho.md:6: error: closures: "from": "2026-13-01" is not a date: write it as YYYY-MM-DD, for example 2026-03-31`}},
		{"special hours inside a closure",
			map[string]string{"rho.md": head + "closures:\n  - {from: 2026-12-24, to: 2026-12-26}\nspecial_hours:\n  - {date: 2026-12-25, opens: \"09:00\", closes: \"11:00\"}\n---\n"},
			[]string{`content/desks/rho.md:8: error: special_hours: 2026-12-25 falls inside the closure from 2026-12-24 to 2026-12-26 on line 6: remove the special hours or shorten the closure`}},
		{"special hours closes before opens",
			map[string]string{"rho.md": head + "special_hours:\n  - {date: 2026-12-31, opens: \"11:00\", closes: \"09:00\"}\n---\n"},
			[]string{`content/desks/rho.md:6: error: special_hours: "closes" 09:00 is before "opens" 11:00: swap them or fix the time (a range past midnight is two ranges: up to "24:00" and from "00:00" the next day)`}},
		{"duplicate ids in subfolders",
			map[string]string{"rho.md": head + "---\n", "milano/rho.md": head + "---\n"},
			[]string{`content/desks/rho.md: error: duplicate desk id "rho": content/desks/milano/rho.md has the same file name: rename one of them`}},
		{"translation without base desk",
			map[string]string{"rho.md": head + "---\n", "rhoo.en.md": "---\ntitle: \"Foreigners' desk\"\n---\nText.\n"},
			[]string{`content/desks/rhoo.en.md: error: this translates desk "rhoo", but content/desks/rhoo.md does not exist: rename the file after an existing desk or add the desk (did you mean "rho"?)`}},
		{"translation in a language the site does not have",
			map[string]string{"rho.md": head + "---\n", "rho.de.md": "---\ntitle: \"Ausländerbüro\"\n---\n"},
			[]string{`content/desks/rho.de.md: error: "de" is not a site language (it, en, fr, es, ar, zh, uk, ro, sq, bn, ur): rename the file with one of them or add the language to the site configuration`}},
		{"Italian translation file",
			map[string]string{"rho.md": head + "---\n", "rho.it.md": "---\ntitle: x\n---\n"},
			[]string{`content/desks/rho.it.md: error: the Italian text of a desk is the body of content/desks/rho.md: move the text there and delete this file`}},
		{"translation carrying facts",
			map[string]string{"rho.md": head + "---\n", "rho.fr.md": "---\ntitle: \"Guichet\"\nphone: \"+39 02 1234567\"\nhours: []\ntitel: x\n---\n"},
			[]string{
				`content/desks/rho.fr.md:3: error: front matter: "phone" is a fact of the desk and belongs only in content/desks/rho.md: remove it here (translations carry only title and description)`,
				`content/desks/rho.fr.md:4: error: front matter: "hours" is a fact of the desk and belongs only in content/desks/rho.md: remove it here (translations carry only title and description)`,
				`content/desks/rho.fr.md:5: error: front matter: unknown key "titel": did you mean "title"?`,
			}},
		{"index with facts",
			map[string]string{"_index.md": "---\ntitle: Sportelli\nprovince: MI\n---\n"},
			[]string{`content/desks/_index.md:3: error: front matter: "province" does not belong in the listing's introduction: keep only title and description`}},
		{"unclosed front matter",
			map[string]string{"rho.md": "---\ntitle: x\n"},
			[]string{`content/desks/rho.md:1: error: the front matter opened here is never closed: add a line with only "---" after the last key`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for p, s := range tt.files {
				fsys["content/desks/"+p] = &fstest.MapFile{Data: []byte(s)}
			}
			_, errs := Load(fsys, "content/desks", siteLangs)
			var got []string
			for _, e := range errs {
				got = append(got, e.Format())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadValid(t *testing.T) {
	fsys := fstest.MapFS{
		"content/desks/_index.md":    {Data: []byte("---\ntitle: Sportelli\n---\nIntro.\n")},
		"content/desks/_index.en.md": {Data: []byte("---\ntitle: Desks\n---\nIntro.\n")},
		"content/desks/b.md": {Data: []byte(head + `operator: "Comune di Rho"
address: "Via Roma 1"
postcode: "20017"
lat: 45.53
lon: 9.04
phone: "+39 02 9331 1"
email: stranieri@comune.example.it
website: https://www.comune.example.it/stranieri
booking_url: https://prenota.example.it/rho
services: [work, permit-renewal]
languages: [it, en, ar]
appointment_only: true
hours:
  - {day: wed, opens: "14:00", closes: "17:00"}
  - {day: mon, opens: "14:00", closes: "24:00"}
  - {day: mon, opens: "09:00", closes: "12:30"}
  - {day: tue, opens: "00:00", closes: "02:00"}
closures:
  - {from: 2026-12-24, to: 2026-12-26, note: "Natale"}
  - {from: 2026-08-15}
special_hours:
  - {date: 2026-12-31, opens: "09:00", closes: "11:00"}
---
Descrizione.
`)},
		"content/desks/b.en.md": {Data: []byte("---\ntitle: \"Foreigners' desk\"\ndescription: \"Help.\"\n---\nText.\n")},
		"content/desks/a.md":    {Data: []byte("+++\ntitle = \"Sportello\"\nmunicipality = \"Alba\"\nprovince = \"CN\"\n+++\nTesto.\n")},
	}
	d, errs := Load(fsys, "content/desks", siteLangs)
	if len(errs) > 0 {
		t.Fatalf("unexpected diagnostics: %v", errs.Err())
	}
	if len(d.Desks) != 2 || d.Desks[0].ID != "a" || d.Desks[1].ID != "b" {
		t.Fatalf("desks not sorted by province (Cuneo before Milano): %v, %v", d.Desks[0].ID, d.Desks[1].ID)
	}
	b := d.Desk("b")
	want := []Range{{"mon", 9 * 60, 12*60 + 30, 20}, {"mon", 14 * 60, 24 * 60, 19}, {"tue", 0, 2 * 60, 21}, {"wed", 14 * 60, 17 * 60, 18}}
	if diff := cmp.Diff(want, b.Hours); diff != "" {
		t.Errorf("hours (-want +got):\n%s", diff)
	}
	if len(b.Closures) != 2 || b.Closures[0].From.Format("2006-01-02") != "2026-08-15" || !b.Closures[0].To.Equal(b.Closures[0].From) {
		t.Errorf("closures %+v", b.Closures)
	}
	if b.Postcode != "20017" || b.Phone != "+39 02 9331 1" || *b.Lat != 45.53 || !b.AppointmentOnly {
		t.Errorf("facts %+v", b)
	}
	if tr := b.Translations["en"]; tr == nil || tr.Title != "Foreigners' desk" || tr.BodyLine != 5 || string(tr.Body) != "Text.\n" {
		t.Errorf("translation %+v", tr)
	}
	if d.Intro["it"] == nil || d.Intro["en"] == nil || d.Intro["en"].Title != "Desks" {
		t.Errorf("intro %+v", d.Intro)
	}
	if b.BodyLine != 28 {
		t.Errorf("body line %d, want 28", b.BodyLine)
	}
}

// TestLoadRealContent loads the repository's desks. They are written by
// hand: any diagnostic here is a content error to fix in content/desks.
func TestLoadRealContent(t *testing.T) {
	d, errs := Load(os.DirFS("../.."), "content/desks", siteLangs)
	for _, e := range errs {
		t.Errorf("%s", e.Format())
	}
	if len(d.Desks) == 0 {
		t.Fatal("no desks loaded from content/desks")
	}
	// Every page and feed of the real desks renders.
	if err := d.UseLayouts(os.DirFS("../.."), "layouts/desk"); err != nil {
		t.Fatal(err)
	}
	env := fakeEnv{langs: siteLangs}
	for _, lang := range siteLangs {
		pages, err := d.Pages(lang, env)
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		if len(pages) < len(d.Desks)+1+len(Services) {
			t.Errorf("%s: only %d pages", lang, len(pages))
		}
	}
	if _, err := d.EmbedPages(env); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFeeds(t.TempDir(), env); err != nil {
		t.Fatal(err)
	}
}

// TestLoadBenchCorpus loads the desks of the shared benchmark corpus,
// generated with the documented command.
func TestLoadBenchCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("generating the bench corpus takes seconds; skipped with -short")
	}
	gen := "/work/shared/bench/gencorpus.py"
	if _, err := os.Stat(gen); err != nil {
		t.Skipf("bench corpus generator not present: %v", err)
	}
	out := t.TempDir()
	cmd := exec.Command("python3", gen, "--out", out, "--guides", "170", "--langs", "6", "--desks", "50", "--seed", "1")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gencorpus: %v\n%s", err, b)
	}
	d, errs := Load(os.DirFS(out), "content/desks", []string{"it", "en", "fr", "ar", "es", "zh"})
	for _, e := range errs {
		t.Errorf("%s", e.Format())
	}
	if len(d.Desks) != 50 {
		t.Errorf("loaded %d desks, want 50", len(d.Desks))
	}
	for _, dk := range d.Desks {
		if len(dk.Hours) == 0 || dk.Lat == nil || dk.Phone == "" {
			t.Errorf("%s: facts lost: %+v", dk.Path, dk)
		}
	}
	if d.Intro["it"] == nil || !strings.Contains(string(d.Intro["it"].Body), "Elenco") {
		t.Errorf("corpus _index.md not read as intro: %+v", d.Intro["it"])
	}
}

// FormatClock writes the digits itself for the usual range; it must say
// what fmt says everywhere.
func TestFormatClock(t *testing.T) {
	for _, m := range []int{-61, -1, 0, 1, 9, 59, 60, 61, 599, 600, 754, 1439, 1440, 5999, 6000, 6001, 123456} {
		if got, want := FormatClock(m), fmt.Sprintf("%02d:%02d", m/60, m%60); got != want {
			t.Errorf("FormatClock(%d) = %q, want %q", m, got, want)
		}
	}
	for m := range 24 * 60 {
		if got, want := FormatClock(m), fmt.Sprintf("%02d:%02d", m/60, m%60); got != want {
			t.Fatalf("FormatClock(%d) = %q, want %q", m, got, want)
		}
	}
}
