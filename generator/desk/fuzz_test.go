package desk

import (
	"os"
	"testing"
	"testing/fstest"
)

// FuzzLoad feeds arbitrary desk and translation files to Load: it must
// report problems as diagnostics, never panic, and every desk it returns
// must satisfy the invariants the pages rely on.
func FuzzLoad(f *testing.F) {
	for _, name := range []string{"prova-centro.md", "prova-minimo.md", "prova-nord.md"} {
		b, err := os.ReadFile("testdata/site/content/desks/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, []byte("---\ntitle: x\n---\nText.\n"))
	}
	f.Add([]byte(head+"hours:\n  - {day: mon, opens: \"24:00\", closes: \"9\"}\nclosures:\n  - {from: x}\n---\n"), []byte("---\nphone: 1\n---\n"))
	f.Add([]byte("+++\ntitle = 1\n+++\n"), []byte("+++\n[x]\n+++\n"))
	f.Fuzz(func(t *testing.T, base, tr []byte) {
		fsys := fstest.MapFS{
			"content/desks/a.md":    {Data: base},
			"content/desks/a.en.md": {Data: tr},
		}
		d, _ := Load(fsys, "content/desks", []string{"it", "en"})
		for _, dk := range d.Desks {
			if (dk.Lat == nil) != (dk.Lon == nil) {
				t.Fatalf("only one coordinate: %+v", dk)
			}
			if dk.Lat != nil && !inItaly(*dk.Lat, *dk.Lon) {
				t.Fatalf("coordinates outside Italy kept: %v %v", *dk.Lat, *dk.Lon)
			}
			for _, h := range dk.Hours {
				if h.Opens < 0 || h.Closes > 24*60 || h.Closes <= h.Opens || indexOf(Days, h.Day) < 0 {
					t.Fatalf("bad range kept: %+v", h)
				}
			}
			for _, c := range dk.Closures {
				if c.To.Before(c.From) {
					t.Fatalf("bad closure kept: %+v", c)
				}
			}
			if _, err := hoursJSON(dk); err != nil {
				t.Fatal(err)
			}
			_ = (&Directory{}).ICS(dk, "https://x.example")
		}
	})
}
