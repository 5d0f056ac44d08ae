package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"portal/contact"
	"portal/generator/netlify"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e server:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fl := flag.NewFlagSet("server", flag.ContinueOnError)
	dir := fl.String("dir", "public", "built site")
	dataPath := fl.String("data", "", "contact function data (written by portal build --function-data)")
	addr := fl.String("addr", "127.0.0.1:0", "address to listen on")
	toml := fl.String("netlify", "netlify.toml", "Netlify configuration")
	swSrc := fl.String("sw", "layouts/sw.js", "service worker source, used when the site has no sw.js")
	if err := fl.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	cfg, err := netlify.Load(*toml)
	if err != nil {
		return err
	}
	site := os.DirFS(*dir)
	h := netlify.Middleware(cfg, func() fs.FS { return site }, nil)
	if *dataPath != "" {
		raw, err := os.ReadFile(*dataPath)
		if err != nil {
			return err
		}
		data, err := contact.LoadData(bytes.NewReader(raw))
		if err != nil {
			return fmt.Errorf("%s: %w", *dataPath, err)
		}
		// As in the real function, a configuration error is logged by
		// NewHandler and the function then answers 503.
		ccfg, _ := contact.ConfigFromEnv(os.Getenv)
		fn := contact.NewHandler(ccfg, data, contact.WithLogger(log))
		h.Functions = fn
	}
	mux := http.NewServeMux()
	mux.Handle("/", h)
	if _, err := fs.Stat(site, "sw.js"); err != nil {
		src, err := os.ReadFile(*swSrc)
		if err != nil {
			return err
		}
		sw, err := RenderServiceWorker(src, site)
		if err != nil {
			return err
		}
		mux.HandleFunc("/sw.js", func(w http.ResponseWriter, r *http.Request) {
			for k, v := range cfg.HeadersFor("/sw.js") {
				w.Header()[k] = v
			}
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			w.Header().Set("Cache-Control", "public, max-age=0, must-revalidate")
			w.Write(sw)
		})
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: gzipText(mux), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}

// gzipText compresses text answers for clients that accept gzip, as
// Netlify's CDN does, so that Lighthouse measures the real transfer sizes.
func gzipText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		gw := &gzipWriter{ResponseWriter: w}
		next.ServeHTTP(gw, r)
		gw.close()
	})
}

type gzipWriter struct {
	http.ResponseWriter
	zw      *gzip.Writer
	decided bool
}

func (g *gzipWriter) WriteHeader(status int) {
	if !g.decided {
		g.decided = true
		h := g.Header()
		ct := h.Get("Content-Type")
		text := strings.HasPrefix(ct, "text/") || strings.Contains(ct, "javascript") || strings.Contains(ct, "json") || strings.Contains(ct, "xml") || strings.Contains(ct, "manifest")
		if text && h.Get("Content-Encoding") == "" && status != http.StatusNoContent && status != http.StatusNotModified {
			h.Del("Content-Length")
			h.Set("Content-Encoding", "gzip")
			h.Add("Vary", "Accept-Encoding")
			g.zw = gzip.NewWriter(g.ResponseWriter)
		}
	}
	g.ResponseWriter.WriteHeader(status)
}

func (g *gzipWriter) Write(b []byte) (int, error) {
	if !g.decided {
		if g.Header().Get("Content-Type") == "" {
			g.Header().Set("Content-Type", http.DetectContentType(b))
		}
		g.WriteHeader(http.StatusOK)
	}
	if g.zw != nil {
		return g.zw.Write(b)
	}
	return g.ResponseWriter.Write(b)
}

func (g *gzipWriter) close() {
	if g.zw != nil {
		g.zw.Close()
	}
}
