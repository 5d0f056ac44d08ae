//go:build unix

// Command buildtime builds a site the way "portal build" does and reports
// where the time went, for bench/search.sh: the whole build, the moment
// every page was rendered (Config.AfterRender), and the moment the search
// index was written (the build's "search index" debug record), each with
// the process CPU time used so far. There is no switch to build without
// the index, so the index's share is taken from these marks and from a
// CPU profile (-cpuprofile) of the same run.
//
//	go run ./bench/search/buildtime -content DIR/content -out OUT [-cpuprofile FILE]
//
// It prints one JSON object on standard output.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"syscall"
	"time"

	"portal/generator"
)

// mark is a point in the build: wall time since the start and CPU used.
type mark struct {
	WallS float64 `json:"wall_s"`
	CPUS  float64 `json:"cpu_s"`
}

type marks struct {
	mu      sync.Mutex
	start   time.Time
	cpu0    float64
	Render  *mark   `json:"render_done,omitempty"`
	Index   *mark   `json:"index_written,omitempty"`
	End     *mark   `json:"end,omitempty"`
	MaxRSSM float64 `json:"max_rss_mib"`
	Cores   int     `json:"cores"` // GOMAXPROCS
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}

func (m *marks) now() *mark {
	return &mark{WallS: time.Since(m.start).Seconds(), CPUS: cpuSeconds() - m.cpu0}
}

// handler notes the time of the "search index" record and drops the rest.
type handler struct{ m *marks }

func (h handler) Enabled(context.Context, slog.Level) bool { return true }
func (h handler) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "search index" {
		h.m.mu.Lock()
		h.m.Index = h.m.now()
		h.m.mu.Unlock()
	}
	return nil
}
func (h handler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h handler) WithGroup(string) slog.Handler      { return h }

func main() {
	content := flag.String("content", "", "content folder")
	out := flag.String("out", "", "output folder")
	root := flag.String("root", ".", "project folder holding layouts/, i18n/ and static/")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the build here")
	flag.Parse()
	if *content == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "buildtime: -content and -out are required")
		os.Exit(2)
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintf(os.Stderr, "buildtime: %v\n", err)
			os.Exit(1)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(os.Stderr, "buildtime: %v\n", err)
			os.Exit(1)
		}
	}
	m := &marks{start: time.Now(), cpu0: cpuSeconds(), Cores: runtime.GOMAXPROCS(0)}
	cfg := generator.Config{Root: *root, Content: *content, Out: *out, Logger: slog.New(handler{m})}
	cfg.AfterRender = func() {
		m.mu.Lock()
		m.Render = m.now()
		m.mu.Unlock()
	}
	_, err := generator.Build(context.Background(), cfg)
	m.End = m.now()
	if *cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "buildtime: %v\n", err)
		os.Exit(1)
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		m.MaxRSSM = float64(ru.Maxrss) / 1024
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(m); err != nil {
		fmt.Fprintf(os.Stderr, "buildtime: %v\n", err)
		os.Exit(1)
	}
}
