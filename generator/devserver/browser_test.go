package devserver

import (
	"context"
	"flag"
	"os/exec"
	"testing"
)

var browserPath = flag.String("browser", "", "Chromium to drive for TestBrowser, such as /usr/bin/chromium (needs node and npm ci for playwright-core)")

// TestBrowser checks reload.js and the error overlay in a real browser, under
// the site's CSP: see testdata/browser.js. It runs only when -browser names
// a Chromium binary.
func TestBrowser(t *testing.T) {
	if *browserPath == "" {
		t.Skip("pass -browser /usr/bin/chromium to drive a browser")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("-browser needs node: %v", err)
	}
	ts := start(t, newSite(t), nil)
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit*3)
	defer cancel()
	out, err := exec.CommandContext(ctx, node, "testdata/browser.js", *browserPath, ts.url+vistoURL, ts.vistoPath()).CombinedOutput()
	if err != nil {
		t.Fatalf("browser test: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
