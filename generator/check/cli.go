package check

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
)

// Main runs "portal check" with args (the flags after the command name)
// and returns the exit status: 0 when there is no error
// (warnings alone pass), 1 when there is at least one error, 2 for bad
// flags, 130 when interrupted.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: portal check [flags]\n\n"+
			"Checks every guide, page and desk without writing the site, and prints each\n"+
			"problem as path:line:col: severity: message.\n"+
			"Exit status: 0 no errors (warnings allowed), 1 at least one error, 2 bad flags.\n\nflags:\n")
		fs.PrintDefaults()
	}
	var opt Options
	fs.StringVar(&opt.Root, "root", ".", "project folder holding layouts/ and i18n/")
	fs.StringVar(&opt.Content, "content", "", "content folder (default <root>/content)")
	format := fs.String("format", "text", "output format: text, github (GitHub Actions annotations) or json")
	table := fs.Bool("translations", false, "print the translation table (page x language: ok / outdated / missing) instead of the problems")
	fs.BoolVar(&opt.External, "external", false, "also check that external links answer (needs internet)")
	fs.DurationVar(&opt.Timeout, "timeout", 10*time.Second, "time limit of each external request")
	fs.IntVar(&opt.MaxAge, "max-age", 12, "months after a guide's reviewed date that give a warning")
	fs.IntVar(&opt.MaxAgeError, "max-age-error", 24, "months after a guide's reviewed date that give an error")
	today := fs.String("today", "", "date to measure ages from, YYYY-MM-DD (default today)")
	langs := fs.String("require-langs", strings.Join(DefaultLangs, ","), "comma-separated languages every page should be translated into")
	verbose := fs.Bool("v", false, "log progress")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "portal check: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	f, err := ParseFormat(*format)
	if err != nil {
		fmt.Fprintf(stderr, "portal check: --format: %v\n", err)
		return 2
	}
	if *today != "" {
		t, err := time.Parse(time.DateOnly, *today)
		if err != nil {
			fmt.Fprintf(stderr, "portal check: --today %q is not a date: write it as YYYY-MM-DD\n", *today)
			return 2
		}
		opt.Today = t
	}
	if opt.MaxAge <= 0 || opt.MaxAgeError < opt.MaxAge {
		fmt.Fprintf(stderr, "portal check: --max-age must be positive and --max-age-error at least --max-age (got %d and %d)\n", opt.MaxAge, opt.MaxAgeError)
		return 2
	}
	opt.RequireLangs = []string{}
	for _, l := range strings.Split(*langs, ",") {
		if l = strings.TrimSpace(l); l != "" {
			opt.RequireLangs = append(opt.RequireLangs, l)
		}
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelDebug
	}
	opt.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	start := time.Now()
	rep, err := Run(ctx, opt)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			fmt.Fprintln(stderr, "portal check: interrupted")
			return 130
		}
		fmt.Fprintf(stderr, "portal check: %v\n", err)
		return 1
	}
	if *table {
		if rep.Analysis == nil {
			_ = WriteDiagnostics(stderr, Text, rep.Diagnostics)
			fmt.Fprintln(stderr, "portal check: the content cannot be loaded, so there is no translation table; fix the errors above")
			return 1
		}
		if err := WriteTable(stdout, f, Translations(rep.Analysis)); err != nil {
			fmt.Fprintf(stderr, "portal check: %v\n", err)
			return 1
		}
		return 0
	}
	if err := WriteDiagnostics(stdout, f, rep.Diagnostics); err != nil {
		fmt.Fprintf(stderr, "portal check: %v\n", err)
		return 1
	}
	if f != JSON {
		fmt.Fprintf(stderr, "portal check: %d error(s), %d warning(s) in %s\n", rep.Errors(), rep.Warnings(), time.Since(start).Round(time.Millisecond))
	}
	if rep.Errors() > 0 {
		return 1
	}
	return 0
}
