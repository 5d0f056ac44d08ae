// Package sitemap writes sitemap.xml with hreflang alternates
// (xhtml:link) and lastmod, splitting into a sitemap index above the
// protocol's limit of 50,000 URLs per file, and robots.txt.
package sitemap

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"sort"
	"strings"
	"time"
)

// MaxURLs is the sitemap protocol's limit of URLs per file.
const MaxURLs = 50000

// Alternate is one language version of a URL.
type Alternate struct {
	Lang string // BCP 47 tag, or "x-default"
	Href string // absolute URL
}

// Entry is one URL of the sitemap.
type Entry struct {
	Loc        string // absolute URL
	LastMod    time.Time
	Alternates []Alternate

	xml []byte // the entry's <url> element, once Prepare has run
}

// Prepare renders the entry's XML now, so that a sitemap rebuilt many times
// (a preview server rewrites it after every edit) only concatenates. The
// alternates are dropped once rendered: a large site keeps tens of
// thousands of entries until the end of the build.
func (e *Entry) Prepare() {
	e.xml = e.render()
	e.Alternates = nil
}

func (e *Entry) render() []byte {
	const link = `<xhtml:link rel="alternate" hreflang="" href=""/>`
	n := len("<url><loc></loc><lastmod>2006-01-02</lastmod></url>\n") + len(e.Loc)
	for _, a := range e.Alternates {
		n += len(link) + len(a.Lang) + len(a.Href)
	}
	b := make([]byte, 0, n+n/8) // room for escapes
	b = append(b, "<url><loc>"+esc(e.Loc)+"</loc>"...)
	if !e.LastMod.IsZero() {
		b = append(b, "<lastmod>"...)
		b = e.LastMod.AppendFormat(b, "2006-01-02")
		b = append(b, "</lastmod>"...)
	}
	for _, a := range e.Alternates {
		b = append(b, `<xhtml:link rel="alternate" hreflang="`+esc(a.Lang)+`" href="`+esc(a.Href)+`"/>`...)
	}
	return append(b, "</url>\n"...)
}

// File is one file to write.
type File struct {
	Name string
	Data []byte
}

// Build returns sitemap.xml (and sitemap-N.xml files when there are more
// entries than max, 0 meaning MaxURLs) for entries, sorted by Loc so output
// is stable. baseURL is the site's absolute root without a trailing slash.
func Build(entries []Entry, baseURL string, max int) []File {
	if max <= 0 {
		max = MaxURLs
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Loc < entries[j].Loc })
	if len(entries) <= max {
		return []File{{Name: "sitemap.xml", Data: urlset(entries)}}
	}
	var files []File
	var idx bytes.Buffer
	idx.WriteString(xml.Header + `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for i := 0; i*max < len(entries); i++ {
		part := entries[i*max : min((i+1)*max, len(entries))]
		name := fmt.Sprintf("sitemap-%d.xml", i+1)
		files = append(files, File{Name: name, Data: urlset(part)})
		fmt.Fprintf(&idx, "<sitemap><loc>%s/%s</loc></sitemap>\n", esc(baseURL), name)
	}
	idx.WriteString("</sitemapindex>\n")
	return append([]File{{Name: "sitemap.xml", Data: idx.Bytes()}}, files...)
}

func urlset(entries []Entry) []byte {
	var b bytes.Buffer
	n := 256
	for i := range entries {
		n += len(entries[i].xml)
	}
	b.Grow(n)
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">` + "\n")
	for i := range entries {
		if entries[i].xml == nil {
			b.Write(entries[i].render())
		} else {
			b.Write(entries[i].xml)
		}
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

func esc(s string) string {
	if !strings.ContainsAny(s, "<>&'\"\r\n\t") {
		return s
	}
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// Robots returns robots.txt allowing everything but the paths in disallow,
// and pointing at the sitemap.
func Robots(baseURL string, disallow ...string) []byte {
	var b bytes.Buffer
	b.WriteString("User-agent: *\n")
	for _, d := range disallow {
		b.WriteString("Disallow: " + d + "\n")
	}
	if len(disallow) == 0 {
		b.WriteString("Allow: /\n")
	}
	b.WriteString("\nSitemap: " + baseURL + "/sitemap.xml\n")
	return b.Bytes()
}
