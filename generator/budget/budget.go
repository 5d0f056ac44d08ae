package budget

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"
)

// Limit is the most a page's HTML plus screen stylesheets may weigh,
// compressed, in bytes.
const Limit = 14 * 1024

// Page is the measured weight of one built HTML page.
type Page struct {
	Path     string   // path in the site, e.g. "it/guides/x/index.html"
	Type     string   // class of <body>, or "root"/"alias"/"embed" for pages without one
	HTML     int      // compressed bytes of the HTML
	CSS      int      // compressed bytes of the screen stylesheets it links
	Problems []string // render-blocking scripts, web fonts, images that shift the layout
}

// Total is the compressed weight before first paint.
func (p Page) Total() int { return p.HTML + p.CSS }

var (
	bodyClass  = regexp.MustCompile(`<body[^>]*\bclass="?([a-z0-9-]+)`)
	linkTag    = regexp.MustCompile(`<link\b[^>]*>`)
	scriptTag  = regexp.MustCompile(`<script\b[^>]*>`)
	imgTag     = regexp.MustCompile(`<img\b[^>]*>`)
	attrRe     = regexp.MustCompile(`\b([a-z-]+)(?:=("[^"]*"|'[^']*'|[^\s>]+))?`)
	fontFaceRe = regexp.MustCompile(`@font-face`)
)

// attrs returns the attributes of one start tag.
func attrs(tag string) map[string]string {
	tag = strings.TrimSuffix(strings.TrimPrefix(tag, "<"), ">")
	if i := strings.IndexAny(tag, " \t\n"); i >= 0 {
		tag = tag[i:]
	} else {
		return map[string]string{}
	}
	m := map[string]string{}
	for _, a := range attrRe.FindAllStringSubmatch(tag, -1) {
		m[a[1]] = strings.Trim(a[2], `"'`)
	}
	return m
}

// Gzip returns the gzip-compressed size of b at the default level.
func Gzip(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression) // the level is valid
	w.Write(b)
	w.Close()
	return buf.Len()
}

// Measure weighs every HTML page of the site built in dir.
func Measure(dir string) ([]Page, error) {
	site := os.DirFS(dir)
	cssSize := map[string]int{}
	cssProblem := map[string]string{}
	var pages []Page
	err := fs.WalkDir(site, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".html") {
			return nil
		}
		raw, err := fs.ReadFile(site, p)
		if err != nil {
			return err
		}
		pg := Page{Path: p, HTML: Gzip(raw)}
		html := string(raw)
		head := html
		if i := strings.Index(html, "</head>"); i >= 0 {
			head = html[:i]
		}
		switch m := bodyClass.FindStringSubmatch(html); {
		case m != nil:
			pg.Type = m[1]
		case strings.Contains(head, `http-equiv="refresh"`):
			pg.Type = "alias"
		case strings.HasPrefix(p, "embed/"):
			pg.Type = "embed"
		default:
			pg.Type = "other"
		}
		for _, l := range linkTag.FindAllString(head, -1) {
			a := attrs(l)
			if a["rel"] != "stylesheet" || (a["media"] != "" && !strings.Contains(a["media"], "screen") && a["media"] != "all") {
				continue
			}
			href := a["href"]
			if !strings.HasPrefix(href, "/") {
				pg.Problems = append(pg.Problems, "stylesheet not on this site: "+href)
				continue
			}
			if _, ok := cssSize[href]; !ok {
				css, err := fs.ReadFile(site, strings.TrimPrefix(path.Clean(href), "/"))
				if err != nil {
					return fmt.Errorf("%s links %s: %w", p, href, err)
				}
				cssSize[href] = Gzip(css)
				if fontFaceRe.Match(css) {
					cssProblem[href] = "web font (@font-face) in " + href
				}
			}
			pg.CSS += cssSize[href]
			if cp := cssProblem[href]; cp != "" {
				pg.Problems = append(pg.Problems, cp)
			}
		}
		for _, s := range scriptTag.FindAllString(head, -1) {
			a := attrs(s)
			_, deferred := a["defer"]
			_, async := a["async"]
			if !deferred && !async && a["type"] != "module" && a["type"] != "application/ld+json" {
				pg.Problems = append(pg.Problems, "render-blocking script: "+s)
			}
		}
		for _, im := range imgTag.FindAllString(html, -1) {
			a := attrs(im)
			if a["loading"] != "lazy" {
				pg.Problems = append(pg.Problems, "image not lazy: "+im)
			}
			if a["width"] == "" || a["height"] == "" {
				pg.Problems = append(pg.Problems, "image without width and height (layout shift): "+im)
			}
		}
		pages = append(pages, pg)
		return nil
	})
	return pages, err
}

// Summary is the weight of one page type.
type Summary struct {
	Type            string
	Pages           int
	Median, Largest Page
}

// Summarise groups pages by type, sorted by type name.
func Summarise(pages []Page) []Summary {
	by := map[string][]Page{}
	for _, p := range pages {
		by[p.Type] = append(by[p.Type], p)
	}
	var out []Summary
	for t, ps := range by {
		sort.Slice(ps, func(i, j int) bool { return ps[i].Total() < ps[j].Total() })
		out = append(out, Summary{Type: t, Pages: len(ps), Median: ps[len(ps)/2], Largest: ps[len(ps)-1]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Type < out[j].Type })
	return out
}
