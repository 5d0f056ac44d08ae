package search

import (
	"bytes"
	"flag"
	"os"
	"testing"
)

var updateTables = flag.Bool("update-tables", false, "rewrite bmptables.bin from the Unicode tables of this Go and x/text")

// TestBMPTablesData checks that the character tables read from
// bmptables.bin are those computed from the Unicode properties they
// stand for (with this Go's unicode package and this x/text's norm). Run
// with -update-tables to rewrite the file after a Go or x/text upgrade.
func TestBMPTablesData(t *testing.T) {
	bt := computeBMPTables()
	want := encodeBMPTables(computeCharClasses(bt), bt)
	if *updateTables {
		if err := os.WriteFile("bmptables.bin", want, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Log("rewrote bmptables.bin; run the test again (without -update-tables) to check it")
		return
	}
	got := []byte(bmpTablesData)
	if !bytes.Equal(got, want) {
		i := 0
		for i < min(len(got), len(want)) && got[i] == want[i] {
			i++
		}
		t.Fatalf("bmptables.bin (%d bytes) differs from the computed tables (%d bytes) from byte %d on: run go test -run TestBMPTablesData -update-tables", len(got), len(want), i)
	}
	if got := encodeBMPTables(charClasses(), bmpTables()); !bytes.Equal(got, want) {
		t.Fatal("charClasses and bmpTables do not give back bmptables.bin")
	}
}
