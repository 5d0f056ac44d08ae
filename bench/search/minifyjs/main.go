// Command minifyjs minifies a script the way "portal build" minifies the
// site's assets (generator/output), so that browser.mjs --client can
// compare a working copy of static/js/search.js with the built one at the
// same size:
//
//	go run ./bench/search/minifyjs static/js/search.js > /tmp/search.min.js
package main

import (
	"fmt"
	"os"

	"portal/generator/output"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: minifyjs FILE.js > OUT.js")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "minifyjs:", err)
		os.Exit(1)
	}
}

func run(name string) error {
	src, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	out, err := output.InPlace(os.TempDir()).MinifyFile("x.js", src)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	_, err = os.Stdout.Write(out)
	return err
}
