package devserver

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portal/generator"
)

// repoRoot is the repository, whose layouts, static files, i18n and
// netlify.toml the fixture site uses.
const repoRoot = "../.."

// waitLimit bounds every wait in these tests: a build of the fixture takes
// well under a second, but -race and a busy machine slow it down a lot.
const waitLimit = 30 * time.Second

// newSite copies testdata/site and the repository's shared files into a
// temporary folder and returns its path.
func newSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	copyTree(t, "testdata/site", dir)
	copyTree(t, filepath.Join(repoRoot, "layouts"), filepath.Join(dir, "layouts"))
	copyTree(t, filepath.Join(repoRoot, "static"), filepath.Join(dir, "static"))
	for _, f := range []string{"i18n/it.toml", "i18n/en.toml", "netlify.toml"} {
		copyFile(t, filepath.Join(repoRoot, f), filepath.Join(dir, f))
	}
	return dir
}

func copyTree(t testing.TB, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		if strings.HasSuffix(p, "_test.js") || strings.HasSuffix(p, ".test.js") {
			return nil
		}
		copyFile(t, p, filepath.Join(to, rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, to, string(data))
}

func writeFile(t testing.TB, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// testServer is a Server running on a free port of 127.0.0.1.
type testServer struct {
	*Server
	url    string
	site   string // the project root
	out    string // the output folder
	cancel context.CancelFunc
	done   chan error
}

// start runs a server on site; change, when not nil, adjusts its options.
func start(t *testing.T, site string, change func(*Options)) *testServer {
	t.Helper()
	out := filepath.Join(t.TempDir(), "site")
	opts := Options{
		Build:    generator.Config{Root: site, Out: out},
		Getenv:   func(string) string { return "" },
		Debounce: 100 * time.Millisecond,
		Logger:   slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if change != nil {
		change(&opts)
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := Listen("127.0.0.1", 0)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ts := &testServer{Server: s, url: "http://" + ln.Addr().String(), site: site, out: out, cancel: cancel, done: make(chan error, 1)}
	go func() { ts.done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() { ts.stop(t) })
	// LatencyMS is set once the tabs have been told about the first build,
	// so an event stream opened after this sees only later events.
	ts.waitStatus(t, "the first build", func(st Status) bool { return st.Builds >= 1 && st.LatencyMS > 0 })
	return ts
}

// stop shuts the server down and checks that Serve returned without error.
func (ts *testServer) stop(t *testing.T) {
	t.Helper()
	ts.cancel()
	select {
	case err, ok := <-ts.done:
		if ok && err != nil {
			t.Errorf("Serve: %v", err)
		}
		if ok {
			close(ts.done)
		}
	case <-time.After(waitLimit):
		t.Errorf("Serve did not return %s after its context was cancelled", waitLimit)
	}
}

func (ts *testServer) status(t *testing.T) Status {
	t.Helper()
	resp, err := http.Get(ts.url + Prefix + "status")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st Status
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatalf("decoding the status: %v", err)
	}
	return st
}

// waitStatus polls the status until ok accepts it.
func (ts *testServer) waitStatus(t *testing.T, what string, ok func(Status) bool) Status {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		st := ts.status(t)
		if ok(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s; status: %+v", waitLimit, what, st)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// get fetches path and returns the response with its body read.
func (ts *testServer) get(t *testing.T, path string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, ts.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

// sse is one server-sent event.
type sse struct {
	name string
	data string
}

// stream reads /__portal/events.
type stream struct {
	events chan sse
	cancel context.CancelFunc
	closed chan struct{} // closed when the server ended the stream
}

func (ts *testServer) open(t *testing.T) *stream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ts.url+Prefix+"events", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		cancel()
		t.Fatalf("events: status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	s := &stream{events: make(chan sse, 64), cancel: cancel, closed: make(chan struct{})}
	go func() {
		defer close(s.closed)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		var ev sse
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.name != "" || ev.data != "" {
					s.events <- ev
				}
				ev = sse{}
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ev.data += strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	t.Cleanup(cancel)
	return s
}

// next returns the next event, failing the test after waitLimit.
func (s *stream) next(t testing.TB) sse {
	t.Helper()
	select {
	case ev := <-s.events:
		return ev
	case <-s.closed:
		select {
		case ev := <-s.events:
			return ev
		default:
		}
		t.Fatal("the event stream ended")
	case <-time.After(waitLimit):
		t.Fatalf("no event within %s", waitLimit)
	}
	return sse{}
}

// expect returns the next event, which must be named name, with its data
// decoded into a map.
func (s *stream) expect(t testing.TB, name string) map[string]any {
	t.Helper()
	ev := s.next(t)
	if ev.name != name {
		t.Fatalf("got event %q (%s), want %q", ev.name, ev.data, name)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(ev.data), &m); err != nil {
		t.Fatalf("event %s: data %q is not JSON: %v", name, ev.data, err)
	}
	return m
}

// quiet checks that no event arrives for d.
func (s *stream) quiet(t testing.TB, d time.Duration) {
	t.Helper()
	select {
	case ev := <-s.events:
		t.Fatalf("unexpected event %q (%s)", ev.name, ev.data)
	case <-time.After(d):
	}
}

// strings returns the elements of a JSON array of strings.
func jsonStrings(t *testing.T, v any) []string {
	t.Helper()
	if v == nil {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		t.Fatalf("got %T (%v), want a list", v, v)
	}
	out := make([]string, len(list))
	for i, x := range list {
		s, ok := x.(string)
		if !ok {
			t.Fatalf("element %d is %T, want a string", i, x)
		}
		out[i] = s
	}
	return out
}
