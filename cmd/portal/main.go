// Command portal builds, checks and previews the portal site.
//
//	portal build [--content DIR] [--out DIR] [--base-url URL] [--drafts]
//	portal serve [--port N] [--content DIR]
//
// Run "portal help" for every command.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // desk calendars are computed in Europe/Rome on any machine

	"portal/generator"
	"portal/generator/diag"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// command is a subcommand; each registers itself in commands from its own
// file's init function.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

var commands = map[string]command{
	"build": {"build the site into public/ (atomically: a failed build changes nothing)", cmdBuild},
}

func usageText() string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("usage: portal <command> [flags]\n\ncommands:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-7s %s\n", n, commands[n].summary)
	}
	b.WriteString("  help    show this help\n\nRun \"portal <command> -h\" for a command's flags.\n")
	return b.String()
}

// run is the whole program; it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText())
		return 2
	}
	switch args[0] {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usageText())
		return 0
	}
	if c, ok := commands[args[0]]; ok {
		return c.run(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "portal: unknown command %q\n\n%s", args[0], usageText())
	return 2
}

// buildMemoryLimit is the Go heap's soft limit during portal build.
const buildMemoryLimit = 250 << 20

func cmdBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg generator.Config
	fs.StringVar(&cfg.Root, "root", ".", "project folder holding layouts/, i18n/ and static/")
	fs.StringVar(&cfg.Content, "content", "", "content folder (default <root>/content)")
	fs.StringVar(&cfg.Out, "out", "", "output folder (default <root>/public)")
	fs.StringVar(&cfg.BaseURL, "base-url", os.Getenv("URL"), "absolute address of the site (default $URL, as set by Netlify)")
	fs.BoolVar(&cfg.Drafts, "drafts", false, "publish pages marked draft")
	fs.StringVar(&cfg.FunctionData, "function-data", "", "also write the contact function's data file here (netlify/functions/contact/data.json)")
	fs.BoolVar(&cfg.NoSearch, "no-search", false, "leave the search index out (to measure what it costs; the search pages then find nothing)")
	verbose := fs.Bool("v", false, "log progress")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile to this file (for benchmarks)")
	memprofile := fs.String("memprofile", "", "write a heap profile to this file at the end (for benchmarks)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelDebug
	}
	cfg.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	now, err := sourceDate(os.Getenv("SOURCE_DATE_EPOCH"))
	if err != nil {
		fmt.Fprintf(stderr, "portal: %v\n", err)
		return 2
	}
	cfg.Now = now
	if os.Getenv("GOMEMLIMIT") == "" {
		// A soft limit: past it the garbage collector runs more often rather
		// than let the heap double. Builds run on small CI and Netlify
		// machines; at 10k pages this keeps peak RSS near 270 MiB instead of
		// ~370 MiB for a few percent more CPU (bench/build.sh).
		debug.SetMemoryLimit(buildMemoryLimit)
		stop := followLiveHeap(buildMemoryLimit)
		defer stop()
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintf(stderr, "portal: %v\n", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(stderr, "portal: %v\n", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	if *memprofile != "" {
		cfg.AfterRender = func() {
			if f, err := os.Create(*memprofile); err == nil {
				_ = pprof.Lookup("heap").WriteTo(f, 0)
				f.Close()
			}
		}
	}
	res, err := generator.Build(ctx, cfg)
	if err != nil {
		return reportErr(stderr, err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, w.Format())
	}
	printSummary(stdout, res)
	return 0
}

// sourceDate reads $SOURCE_DATE_EPOCH (https://reproducible-builds.org/specs/source-date-epoch/):
// the time a build shows where it would otherwise show the current one.
// Empty means the current time.
func sourceDate(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	sec, err := strconv.ParseInt(v, 10, 64)
	if err != nil || sec < 0 {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q: want whole seconds since 1970-01-01 UTC, as `git log -1 --format=%%ct` prints them, or leave it unset", v)
	}
	return time.Unix(sec, 0).UTC(), nil
}

// reportErr prints a failed run's diagnostics and returns the exit status.
func reportErr(stderr io.Writer, err error) int {
	var le *diag.ListError
	if errors.As(err, &le) {
		for _, d := range le.List {
			fmt.Fprintln(stderr, d.Format())
		}
		fmt.Fprintf(stderr, "portal: %d error(s); nothing was published\n", le.List.Errors())
		return 1
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "portal: interrupted; nothing was published")
		return 130
	}
	fmt.Fprintf(stderr, "portal: %v\n", err)
	return 1
}

func printSummary(w io.Writer, res *generator.Result) {
	langs := make([]string, 0, len(res.Pages))
	total := 0
	for l, n := range res.Pages {
		langs = append(langs, fmt.Sprintf("%s %d", l, n))
		total += n
	}
	sort.Strings(langs)
	fmt.Fprintf(w, "built %d pages (%s), %d files, %.1f MB in %s\n",
		total, strings.Join(langs, ", "), res.Files, float64(res.Bytes)/1e6, res.Elapsed.Round(time.Millisecond))
}

// followLiveHeap raises the soft memory limit when the live heap of a
// large site grows past two thirds of it. The limit is there to stop the
// heap from doubling on small machines, not to make the collector run
// without pause (it may take half the CPU at the limit) when a 40k-page
// site really needs more. It returns a function that stops following.
func followLiveHeap(floor int64) (stop func()) {
	done := make(chan struct{})
	go func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		limit := floor
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() != metrics.KindUint64 {
				return
			}
			if want := int64(sample[0].Value.Uint64()) * 3 / 2; want > limit {
				limit = want
				debug.SetMemoryLimit(limit)
			}
		}
	}()
	return func() { close(done) }
}
