package desk

import (
	"fmt"
	"os"
	"testing"
	"testing/fstest"
)

// benchFS builds n desks shaped like the bench corpus's, each with a
// translation.
func benchFS(n int) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := range n {
		fsys[fmt.Sprintf("content/desks/desk-%04d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(`---
title: "Sportello %d"
municipality: "Comune %d"
province: MI
address: "Via Roma, %d"
lat: 45.%04d
lon: 9.%04d
phone: "+39 02 %07d"
email: desk%04d@comune.example.it
services: [permit-renewal, work, health]
languages: [it, en, ar]
hours:
  - {day: mon, opens: "09:00", closes: "13:00"}
  - {day: tue, opens: "08:30", closes: "12:30"}
  - {day: thu, opens: "14:00", closes: "17:30"}
closures:
  - {from: 2026-12-24, to: 2026-12-26}
booking_url: https://prenota.example.it/desk/%04d
---
Lo sportello offre informazioni e assistenza ai cittadini stranieri.
`, i, i%40, i, i, i, i, i, i))}
		fsys[fmt.Sprintf("content/desks/desk-%04d.en.md", i)] = &fstest.MapFile{Data: []byte("---\ntitle: \"Desk\"\n---\nThe desk helps foreign residents.\n")}
	}
	return fsys
}

func BenchmarkLoad200(b *testing.B) {
	fsys := benchFS(200)
	for b.Loop() {
		if _, errs := Load(fsys, "content/desks", siteLangs); len(errs) > 0 {
			b.Fatal(errs.Err())
		}
	}
}

func BenchmarkPages200(b *testing.B) {
	d, errs := Load(benchFS(200), "content/desks", testEnv.langs)
	if len(errs) > 0 {
		b.Fatal(errs.Err())
	}
	if err := d.UseLayouts(os.DirFS("../.."), "layouts/desk"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := d.Pages("it", testEnv); err != nil {
			b.Fatal(err)
		}
	}
}
