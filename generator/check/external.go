package check

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"

	"portal/generator"
	"portal/generator/desk"
	"portal/generator/diag"
	"portal/generator/markdown"
)

// Place is where an external address is written.
type Place struct {
	Path      string
	Line, Col int
}

// collectURLs gathers every http(s) address of the site: links in bodies,
// guide sources, desk websites and booking pages.
func collectURLs(a *generator.Analysis, desks *desk.Directory) map[string][]Place {
	urls := map[string][]Place{}
	add := func(u string, pl Place) {
		if l := strings.ToLower(u); strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") {
			urls[u] = append(urls[u], pl)
		}
	}
	for _, g := range a.Site.Groups {
		for _, lang := range langsOf(g) {
			p := g.ByLang[lang]
			if res := a.Results[p]; res != nil {
				for _, l := range res.Links {
					if l.Kind == markdown.External {
						add(l.Dest, Place{p.Path, l.Line, l.Col})
					}
				}
			}
			for i, s := range p.Meta.Sources {
				if s.URL != "" {
					add(s.URL, Place{Path: p.Path, Line: p.Src.Line("sources", i, "url")})
				}
			}
		}
	}
	if desks != nil {
		for _, d := range desks.Desks {
			for _, u := range []string{d.Website, d.BookingURL} {
				if u != "" {
					add(u, Place{Path: d.Path})
				}
			}
		}
	}
	return urls
}

// External checks that every address in urls answers, with at most
// opt.Jobs requests at a time and opt.Timeout for each. It asks with HEAD
// first and, since many servers refuse HEAD, with GET when HEAD fails. A
// page that is gone (404, 410) is an error at every place it is written;
// anything else that fails (time-outs, server errors) is a warning, since
// it may be temporary.
func External(ctx context.Context, urls map[string][]Place, opt Options) diag.List {
	opt.defaults()
	keys := make([]string, 0, len(urls))
	for u := range urls {
		keys = append(keys, u)
	}
	sort.Strings(keys)
	var (
		mu  sync.Mutex
		out diag.List
		wg  sync.WaitGroup
		sem = make(chan struct{}, opt.Jobs)
	)
	for _, u := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			code, err := reach(ctx, opt, u)
			opt.Logger.Debug("external", "url", u, "status", code, "err", err)
			var sev diag.Severity
			var msg string
			switch {
			case err != nil:
				sev, msg = diag.Warning, fmt.Sprintf("could not reach %s (%v): check the address in a browser", u, err)
			case code == http.StatusNotFound || code == http.StatusGone:
				sev, msg = diag.Error, fmt.Sprintf("%s answers %d %s: the page is gone; find its new address on the site or remove the link", u, code, http.StatusText(code))
			case code >= 400:
				sev, msg = diag.Warning, fmt.Sprintf("%s answers %d %s: check the address in a browser", u, code, http.StatusText(code))
			default:
				return
			}
			mu.Lock()
			defer mu.Unlock()
			for _, pl := range urls[u] {
				out = append(out, diag.Diagnostic{Path: pl.Path, Line: pl.Line, Col: pl.Col, Severity: sev, Msg: msg})
			}
		}()
	}
	wg.Wait()
	out.Sort()
	return out
}

// reach returns the status code u answers with: HEAD first, then GET if
// HEAD fails or is refused.
func reach(ctx context.Context, opt Options, u string) (int, error) {
	code, err := request(ctx, opt, http.MethodHead, u)
	if err == nil && code < 400 {
		return code, nil
	}
	return request(ctx, opt, http.MethodGet, u)
}

func request(ctx context.Context, opt Options, method, u string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("User-Agent", "portal-check (link checker for an information site)")
	resp, err := opt.Client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return 0, fmt.Errorf("no answer within %s", opt.Timeout)
		}
		return 0, unwrapURLError(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, nil
}

// unwrapURLError drops the "Get \"url\": " prefix the address is already
// shown in.
func unwrapURLError(err error) error {
	if ue, ok := err.(interface{ Unwrap() error }); ok && strings.Contains(err.Error(), "\": ") {
		if inner := ue.Unwrap(); inner != nil {
			return inner
		}
	}
	return err
}
