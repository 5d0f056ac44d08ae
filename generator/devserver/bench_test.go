package devserver

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"portal/generator"
)

// BenchmarkServeEdit measures the preview loop: the time from saving one
// guide to the reload event (every dependent page rewritten by then), and
// to the end of the background search-index update, the start-up time
// (server started to first build served), and the memory held while
// serving, each also as a ratio to a full generator.Build of the same
// content measured in the same run.
//
// By default it runs on the small fixture site. Set PORTAL_BENCH_CONTENT
// to a content folder (such as the shared corpus written by gencorpus.py;
// bench/serve.sh does it all) to measure a real-sized site; the project
// root (layouts, i18n, static, netlify.toml) is then the repository. Run
// with -benchtime Nx: each iteration is one edit.
func BenchmarkServeEdit(b *testing.B) {
	env := benchSetup(b)
	b.Cleanup(env.stop)
	guide := env.guide
	orig, err := os.ReadFile(guide)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.WriteFile(guide, orig, 0o644) })

	topic := filepath.Base(filepath.Dir(guide))
	slug := strings.TrimSuffix(filepath.Base(guide), ".it.md")
	pageURL := env.url + "/it/guides/" + topic + "/" + slug + "/"
	var lat, withSearch []time.Duration
	for b.Loop() {
		env.seq++
		text := fmt.Sprintf("%s\nModifica numero %d.\n", orig, env.seq)
		start := time.Now()
		if err := os.WriteFile(guide, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
		for {
			ev := env.stream.next(b)
			if ev.name == "reload" {
				break
			}
			if ev.name == "error" {
				b.Fatalf("the edit broke the build: %s", ev.data)
			}
		}
		lat = append(lat, time.Since(start))
		// The search index is updated in the background after the reload.
		env.server.session.WaitSearch()
		withSearch = append(withSearch, time.Since(start))

		b.StopTimer()
		resp, err := http.Get(pageURL)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if want := fmt.Sprintf("Modifica numero %d.", env.seq); !strings.Contains(string(body), want) {
			b.Fatalf("%s does not show the edit %q after the reload event", pageURL, want)
		}
		b.StartTimer()
	}
	b.StopTimer()
	slices.Sort(lat)
	slices.Sort(withSearch)
	p := func(l []time.Duration, q float64) time.Duration { return l[min(len(l)-1, int(q*float64(len(l))))] }
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(p(lat, 0.5)), "edit-p50-ms")
	b.ReportMetric(ms(p(lat, 0.9)), "edit-p90-ms")
	b.ReportMetric(ms(p(withSearch, 0.5)), "search-p50-ms")
	b.ReportMetric(ms(p(withSearch, 0.9)), "search-p90-ms")
	b.ReportMetric(ms(p(lat, 0.5))/ms(env.build), "edit/build")
	b.ReportMetric(ms(env.startup), "startup-ms")
	b.ReportMetric(ms(env.build), "build-ms")
	b.ReportMetric(ms(env.startup)/ms(env.build), "startup/build")
	b.ReportMetric(float64(env.rssKB)/1024, "serve-rss-MiB")
	b.ReportMetric(float64(env.hwmKB)/1024, "serve-peak-MiB")
}

// benchEnv is the server the benchmark edits, started once per process.
type benchEnv struct {
	server       *Server
	stop         func() // stops the server and removes its files
	url          string
	stream       *stream
	guide        string
	seq          int
	startup      time.Duration
	build        time.Duration
	rssKB, hwmKB int64
}

var (
	benchOnce sync.Once
	bench     *benchEnv
)

func benchSetup(b *testing.B) *benchEnv {
	benchOnce.Do(func() { bench = startBench(b) })
	if bench == nil {
		b.Fatal("the benchmark server did not start")
	}
	return bench
}

// startBench starts the server the benchmark edits.
func startBench(b *testing.B) *benchEnv {
	root, content := repoRoot, os.Getenv("PORTAL_BENCH_CONTENT")
	if content == "" {
		content = filepath.Join(b.TempDir(), "content")
		copyTree(b, "testdata/site/content", content)
	}
	guide := firstGuide(b, content)
	scratch, err := os.MkdirTemp("", "portal-bench-")
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn + 4}))
	s, err := New(Options{
		Build:  generator.Config{Root: root, Content: content, Out: filepath.Join(scratch, "serve")},
		Getenv: func(string) string { return "" },
		Logger: log,
	})
	if err != nil {
		b.Fatal(err)
	}
	ln, err := Listen("127.0.0.1", 0)
	if err != nil {
		b.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	t0 := time.Now()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	var stopOnce sync.Once
	stop := func() {
		stopOnce.Do(func() {
			cancel()
			<-served
			os.RemoveAll(scratch)
		})
	}
	for {
		resp, err := http.Get(url + Prefix + "status")
		if err == nil {
			var ok bool
			sc := bufio.NewScanner(resp.Body)
			for sc.Scan() {
				if strings.Contains(sc.Text(), `"goodBuilds": 1`) {
					ok = true
				}
			}
			resp.Body.Close()
			if ok {
				break
			}
		}
		if time.Since(t0) > 30*time.Minute {
			b.Fatal("the first build did not finish")
		}
		time.Sleep(10 * time.Millisecond)
	}
	env := &benchEnv{server: s, stop: stop, url: url, startup: time.Since(t0), guide: guide}
	env.rssKB, env.hwmKB = procStatus("VmRSS"), procStatus("VmHWM")

	// A full build of the same content, for the ratios.
	t1 := time.Now()
	if _, err := generator.Build(context.Background(), generator.Config{Root: root, Content: content, Out: filepath.Join(scratch, "build")}); err != nil {
		b.Fatalf("full build: %v", err)
	}
	env.build = time.Since(t1)

	env.stream = openBench(b, url)
	return env
}

// openBench opens the event stream and reads its hello event.
func openBench(b *testing.B, url string) *stream {
	resp, err := http.Get(url + Prefix + "events")
	if err != nil {
		b.Fatal(err)
	}
	s := &stream{events: make(chan sse, 64), closed: make(chan struct{})}
	go func() {
		defer close(s.closed)
		sc := bufio.NewScanner(resp.Body)
		var ev sse
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.name != "" {
					s.events <- ev
				}
				ev = sse{}
			case strings.HasPrefix(line, "event: "):
				ev.name = line[len("event: "):]
			case strings.HasPrefix(line, "data: "):
				ev.data = line[len("data: "):]
			}
		}
	}()
	if ev := s.next(b); ev.name != "hello" {
		b.Fatalf("first event %q", ev.name)
	}
	return s
}

// firstGuide returns a guide file of the content folder, in Italian.
func firstGuide(b *testing.B, content string) string {
	matches, err := filepath.Glob(filepath.Join(content, "guides", "*", "*.it.md"))
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range matches {
		if !strings.HasPrefix(filepath.Base(m), "_index") {
			return m
		}
	}
	b.Fatalf("no guide in %s", content)
	return ""
}

// procStatus reads a memory figure in KiB from /proc/self/status (0 when
// unavailable).
func procStatus(key string) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, key+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	return 0
}
