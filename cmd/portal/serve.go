package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"time"

	"portal/generator"
	"portal/generator/devserver"
)

func init() {
	commands["serve"] = command{"preview the site with live reload", cmdServe}
}

// cmdServe builds the site into a temporary folder, serves it with live
// reload until ctx is done, and removes the folder.
func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg generator.Config
	host := fs.String("host", "127.0.0.1", "address to listen on (other machines can connect only if you change it)")
	port := fs.Int("port", 1313, "port to listen on")
	fs.StringVar(&cfg.Root, "root", ".", "project folder holding layouts/, i18n/, static/ and netlify.toml")
	fs.StringVar(&cfg.Content, "content", "", "content folder (default <root>/content)")
	fs.BoolVar(&cfg.Drafts, "drafts", false, "publish pages marked draft")
	debounce := fs.Duration("debounce", devserver.DefaultDebounce, "quiet time after a change before rebuilding")
	verbose := fs.Bool("v", false, "log every change and build step")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "portal serve: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *port < 0 || *port > 65535 {
		fmt.Fprintf(stderr, "portal serve: --port %d is not a port number (0 to 65535)\n", *port)
		return 2
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	// Listen before building, so a taken port is reported at once rather
	// than after a long first build.
	ln, err := devserver.Listen(*host, *port)
	if err != nil {
		fmt.Fprintf(stderr, "portal serve: %v\n", err)
		return 1
	}
	if ip := net.ParseIP(*host); (ip == nil || !ip.IsLoopback()) && *host != "localhost" {
		log.Warn("the preview is reachable from other machines on the network", "host", *host)
	}
	_, actualPort, _ := net.SplitHostPort(ln.Addr().String())
	cfg.BaseURL = "http://" + net.JoinHostPort(*host, actualPort)

	tmp, err := os.MkdirTemp("", "portal-serve-")
	if err != nil {
		ln.Close()
		fmt.Fprintf(stderr, "portal serve: %v\n", err)
		return 1
	}
	defer func() {
		if err := os.RemoveAll(tmp); err != nil {
			log.Warn("cannot remove the preview folder", "dir", tmp, "err", err)
		}
	}()
	cfg.Out = tmp + string(os.PathSeparator) + "site"

	srv, err := devserver.New(devserver.Options{Build: cfg, Debounce: *debounce, Logger: log})
	if err != nil {
		ln.Close()
		return reportErr(stderr, err)
	}
	fmt.Fprintf(stdout, "portal serve: http://%s/ (press Ctrl-C to stop)\n", net.JoinHostPort(*host, actualPort))
	start := time.Now()
	if err := srv.Serve(ctx, ln); err != nil {
		fmt.Fprintf(stderr, "portal serve: %v\n", err)
		return 1
	}
	if errors.Is(ctx.Err(), context.Canceled) {
		fmt.Fprintf(stdout, "portal serve: stopped after %s\n", time.Since(start).Round(time.Second))
	}
	return 0
}
