// Package feed writes Atom (RFC 4287) feeds of recently reviewed guides.
package feed

import (
	"encoding/xml"
	"time"
)

// Entry is one guide in a feed.
type Entry struct {
	Title   string
	URL     string // absolute
	Summary string
	Updated time.Time
	Lang    string
}

// Feed is an Atom feed.
type Feed struct {
	Title   string
	ID      string // absolute URL of the feed
	Link    string // absolute URL of the site in this language
	Lang    string
	Author  string
	Entries []Entry
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Href string `xml:"href,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	Title   atomText   `xml:"title"`
	ID      string     `xml:"id"`
	Link    []atomLink `xml:"link"`
	Updated string     `xml:"updated"`
	Summary *atomText  `xml:"summary,omitempty"`
	Lang    string     `xml:"xml:lang,attr,omitempty"`
}

type atomFeed struct {
	XMLName xml.Name   `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string     `xml:"xml:lang,attr,omitempty"`
	Title   string     `xml:"title"`
	ID      string     `xml:"id"`
	Link    []atomLink `xml:"link"`
	Updated string     `xml:"updated"`
	Author  struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

// Marshal renders f as Atom XML. The feed's updated time is that of its
// newest entry, so output depends only on content.
func Marshal(f Feed) ([]byte, error) {
	af := atomFeed{Lang: f.Lang, Title: f.Title, ID: f.ID,
		Link: []atomLink{{Rel: "self", Href: f.ID, Type: "application/atom+xml"}, {Rel: "alternate", Href: f.Link, Type: "text/html"}}}
	af.Author.Name = f.Author
	var newest time.Time
	for _, e := range f.Entries {
		if e.Updated.After(newest) {
			newest = e.Updated
		}
		ae := atomEntry{Title: atomText{Type: "text", Body: e.Title}, ID: e.URL,
			Link: []atomLink{{Rel: "alternate", Href: e.URL, Type: "text/html"}}, Updated: stamp(e.Updated)}
		if e.Lang != f.Lang {
			ae.Lang = e.Lang
		}
		if e.Summary != "" {
			ae.Summary = &atomText{Type: "text", Body: e.Summary}
		}
		af.Entries = append(af.Entries, ae)
	}
	if newest.IsZero() {
		newest = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	af.Updated = stamp(newest)
	out, err := xml.MarshalIndent(af, "", " ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(out, '\n')...), nil
}

func stamp(t time.Time) string {
	if t.IsZero() {
		t = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return t.UTC().Format(time.RFC3339)
}
