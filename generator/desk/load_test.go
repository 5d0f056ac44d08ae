package desk

import (
	"os"
	"testing"
	"testing/fstest"
)

var siteLangs = []string{"it", "en", "fr", "es", "ar", "zh", "uk", "ro", "sq", "bn", "ur"}

func TestLoadRealContent(t *testing.T) {
	d, errs := Load(os.DirFS("../.."), "content/desks", siteLangs)
	for _, e := range errs {
		t.Errorf("%s", e.Format())
	}
	if len(d.Desks) == 0 {
		t.Fatal("no desks loaded from content/desks")
	}
}

func TestLoadScratch(t *testing.T) {
	fsys := fstest.MapFS{"d/a.md": {Data: []byte("---\ntitle: x\nmunicipality: y\nprovince: MI\nhours:\n  - {day: mon, open: \"09:00\", closes: \"12:00\"}\nphon: 1\n---\nBody\n")}}
	_, errs := Load(fsys, "d", siteLangs)
	for _, e := range errs {
		t.Logf("%s", e.Format())
	}
}
