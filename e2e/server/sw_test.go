package main

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

func TestRenderServiceWorker(t *testing.T) {
	src, err := os.ReadFile("../../layouts/sw.js")
	if err != nil {
		t.Fatal(err)
	}
	site := fstest.MapFS{
		"assets/site.0123abcd.css":       {Data: []byte("x")},
		"assets/print.0123abcd.css":      {Data: []byte("x")},
		"assets/checklist.89abcdef.js":   {Data: []byte("x")},
		"assets/sw-register.00000000.js": {Data: []byte("x")},
		"assets/search.11111111.js":      {Data: []byte("x")}, // not core: only searchers need it
		"manifest.webmanifest":           {Data: []byte(`{"icons":[{"src":"/assets/icon-192.22222222.png"}]}`)},
	}
	tests := []struct {
		name    string
		src     string
		site    fstest.MapFS
		want    string
		wantErr string
	}{
		{name: "layout source", src: string(src), site: site,
			want: `const CORE = ["/assets/checklist.89abcdef.js","/assets/icon-192.22222222.png","/assets/print.0123abcd.css","/assets/site.0123abcd.css","/assets/sw-register.00000000.js","/manifest.webmanifest"];`},
		{name: "no placeholder", src: "const CORE = [];", site: site, wantErr: "no /* PORTAL_CORE_ASSETS */ placeholder"},
		{name: "site not built", src: string(src), site: fstest.MapFS{"assets/x.js": {}}, wantErr: "build the site first"},
		{name: "bad manifest", src: string(src), site: fstest.MapFS{"assets/site.0123abcd.css": {}, "manifest.webmanifest": {Data: []byte("{")}}, wantErr: "manifest.webmanifest"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := RenderServiceWorker([]byte(tc.src), tc.site)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(got), tc.want) {
				t.Errorf("rendered worker lacks %s", tc.want)
			}
			if strings.Contains(string(got), "search.11111111.js") {
				t.Error("search.js is in the core list; it should be fetched only when used")
			}
		})
	}
}
