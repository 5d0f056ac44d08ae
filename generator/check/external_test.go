package check

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestExternal(t *testing.T) {
	var mu sync.Mutex
	methods := map[string][]string{}
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		methods[r.URL.Path] = append(methods[r.URL.Path], r.Method)
		mu.Unlock()
		switch r.URL.Path {
		case "/ok":
		case "/gone":
			http.NotFound(w, r)
		case "/no-head": // servers that refuse HEAD but serve GET
			if r.Method == http.MethodHead {
				w.WriteHeader(http.StatusMethodNotAllowed)
			}
		case "/broken":
			w.WriteHeader(http.StatusInternalServerError)
		case "/slow":
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
	}))
	defer srv.Close()
	defer close(release)

	at := func(path string, line int) []Place { return []Place{{Path: path, Line: line}} }
	urls := map[string][]Place{
		srv.URL + "/ok":      at("a.it.md", 1),
		srv.URL + "/gone":    {{Path: "a.it.md", Line: 2, Col: 3}, {Path: "b.en.md", Line: 7}},
		srv.URL + "/no-head": at("a.it.md", 3),
		srv.URL + "/broken":  at("a.it.md", 4),
		srv.URL + "/slow":    at("a.it.md", 5),
	}
	got := []string{}
	for _, d := range External(context.Background(), urls, Options{Timeout: 300 * time.Millisecond, Client: srv.Client()}) {
		got = append(got, d.Format())
	}
	want := []string{
		"a.it.md:2:3: error: " + srv.URL + "/gone answers 404 Not Found: the page is gone; find its new address on the site or remove the link",
		"a.it.md:4: warning: " + srv.URL + "/broken answers 500 Internal Server Error: check the address in a browser",
		"a.it.md:5: warning: could not reach " + srv.URL + "/slow (no answer within 300ms): check the address in a browser",
		"b.en.md:7: error: " + srv.URL + "/gone answers 404 Not Found: the page is gone; find its new address on the site or remove the link",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	mu.Lock()
	defer mu.Unlock()
	wantMethods := map[string][]string{
		"/ok":      {"HEAD"},
		"/gone":    {"HEAD", "GET"},
		"/no-head": {"HEAD", "GET"},
		"/broken":  {"HEAD", "GET"},
		"/slow":    {"HEAD", "GET"},
	}
	if diff := cmp.Diff(wantMethods, methods); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestExternalUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	u := srv.URL + "/x"
	srv.Close() // nothing listens there any more
	ds := External(context.Background(), map[string][]Place{u: {{Path: "a.it.md", Line: 1}}}, Options{Timeout: time.Second})
	if len(ds) != 1 || ds[0].Severity.String() != "warning" {
		t.Fatalf("got %v, want one warning", ds)
	}
}

func TestCollectURLs(t *testing.T) {
	rep, _ := runFixture(t, "translations", []string{"it"})
	got := collectURLs(rep.Analysis, rep.Desks)
	want := map[string][]Place{
		"https://www.poste.it/": {
			{Path: "testdata/translations/guides/residence/rinnovo.it.md", Line: 16, Col: 63},
			{Path: "testdata/translations/guides/residence/rinnovo.fr.md", Line: 17, Col: 68},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("collectURLs (-want +got):\n%s", diff)
	}
}
