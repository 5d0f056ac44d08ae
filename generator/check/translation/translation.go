package translation

import (
	"bytes"
	"html/template"
	"slices"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"portal/generator/content"
	"portal/generator/i18n"
)

// Status is the state of one page in one language.
type Status string

// Translation states.
const (
	Source  Status = "source"   // the Italian text every translation follows
	OK      Status = "ok"       // translated, and checked after the Italian text
	Behind  Status = "outdated" // translated before the Italian text was last reviewed
	Missing Status = "missing"  // not translated: readers see the fallback text
	Draft   Status = "draft"    // translation started, not yet published
)

// Row is one page in every language.
type Row struct {
	Key    string            `json:"key"`   // "guides/residence/rinnovo-permesso"
	Kind   string            `json:"kind"`  // guide, topic, page, home, guides
	Title  string            `json:"title"` // the Italian title (or the first available)
	Path   string            `json:"path"`  // the Italian file (or the first available)
	URL    string            `json:"url"`   // the Italian page address
	Status map[string]Status `json:"status"`
	// URLs are the page addresses in the languages that have a text.
	URLs map[string]string `json:"-"`
}

// Table is the translation status of the whole site.
type Table struct {
	Langs []string `json:"languages"` // site languages, Italian first
	Rows  []Row    `json:"pages"`     // guides first, then other pages, by key
}

// Count returns how many rows have status s in lang.
func (t *Table) Count(lang string, s Status) int {
	n := 0
	for _, r := range t.Rows {
		if r.Status[lang] == s {
			n++
		}
	}
	return n
}

// Translations returns the translation status of every page of site in
// the languages of langs.
func Translations(langs *i18n.Set, site *content.Site) *Table {
	t := &Table{Langs: langs.Codes()}
	for _, g := range site.Groups {
		first := g.ByLang[langsOf(g)[0]]
		r := Row{Key: g.Key, Kind: string(g.Kind), Title: first.Meta.Title, Path: first.Path,
			URL: g.URL(i18n.Source), Status: map[string]Status{}, URLs: map[string]string{}}
		src := g.ByLang[i18n.Source]
		for _, l := range t.Langs {
			p := g.ByLang[l]
			switch {
			case p == nil:
				r.Status[l] = Missing
				continue
			case p.Meta.Draft:
				r.Status[l] = Draft
				continue // not published: no address to link
			case l == i18n.Source:
				r.Status[l] = Source
			case Outdated(src, p):
				r.Status[l] = Behind
			default:
				r.Status[l] = OK
			}
			r.URLs[l] = g.URL(l)
		}
		t.Rows = append(t.Rows, r)
	}
	slices.SortStableFunc(t.Rows, func(x, y Row) int {
		gx, gy := x.Kind == string(content.Guide), y.Kind == string(content.Guide)
		switch {
		case gx && !gy:
			return -1
		case gy && !gx:
			return 1
		}
		return strings.Compare(x.Key, y.Key)
	})
	return t
}

// Outdated reports whether translation p was checked before the Italian
// text src was last reviewed.
func Outdated(src, p *content.Page) bool {
	return src != nil && p != src && !src.Reviewed.IsZero() && !p.Reviewed.IsZero() && p.Reviewed.Before(src.Reviewed)
}

// langsOf returns the languages of g, the source first.
func langsOf(g *content.Group) []string {
	ls := make([]string, 0, len(g.ByLang))
	for l := range g.ByLang {
		ls = append(ls, l)
	}
	slices.SortFunc(ls, func(a, b string) int {
		switch {
		case a == b:
			return 0
		case a == i18n.Source:
			return -1
		case b == i18n.Source:
			return 1
		}
		return strings.Compare(a, b)
	})
	return ls
}

// statusLabels are the Italian words the status page shows (editors and
// coordinators work in Italian); the English status code is kept in the
// cell's class for styling.
var statusLabels = map[Status]string{
	Source:  "originale",
	OK:      "aggiornata",
	Behind:  "da aggiornare",
	Missing: "mancante",
	Draft:   "bozza",
}

var statusLegend = []struct {
	Status Status
	Text   string
}{
	{Source, "il testo italiano, da cui partono tutte le traduzioni"},
	{OK, "la traduzione è stata controllata dopo l'ultima revisione del testo italiano"},
	{Behind, "il testo italiano è stato rivisto dopo la traduzione: va confrontata e aggiornata"},
	{Missing, "non c'è traduzione: chi legge vede il testo di un'altra lingua"},
	{Draft, "traduzione iniziata ma non ancora pubblicata (draft: true)"},
}

var italianNames = display.Tags(language.Italian)

type statusSection struct {
	ID, Caption string
	Rows        []Row
}

type statusData struct {
	Langs    []statusLang
	Sections []statusSection
	Legend   any
	Labels   map[Status]string
	Total    int
}

type statusLang struct {
	Code, Name string
	UpToDate   int
}

var statusTmpl = template.Must(template.New("status").Parse(`<p>Questa pagina mostra, per ogni pagina del sito, lo stato della traduzione in ogni lingua. È generata a ogni pubblicazione; i comandi <code>portal check --translations</code> e <code>portal check</code> danno le stesse informazioni ai redattori.</p>
<h2 id="legenda">Legenda</h2>
<dl class="status-legend">
{{- range .Legend}}
<dt><span class="status status-{{.Status}}">{{index $.Labels .Status}}</span></dt>
<dd>{{.Text}}</dd>
{{- end}}
</dl>
{{- range .Sections}}{{$sec := .}}
<h2 id="{{.ID}}">{{.Caption}}</h2>
<div class="table" role="region" aria-labelledby="{{.ID}}-caption" tabindex="0">
<table class="status-table">
<caption id="{{.ID}}-caption">{{.Caption}}: stato delle traduzioni per lingua</caption>
<thead>
<tr><th scope="col">Pagina</th>{{range $.Langs}}<th scope="col"><abbr title="{{.Name}}">{{.Code}}</abbr></th>{{end}}</tr>
</thead>
<tbody>
{{- range .Rows}}{{$row := .}}
<tr><th scope="row"><a href="{{.URL}}">{{.Title}}</a></th>
{{- range $.Langs}}{{$st := index $row.Status .Code}}{{$url := index $row.URLs .Code}}
<td class="status status-{{$st}}">{{if $url}}<a href="{{$url}}" hreflang="{{.Code}}">{{index $.Labels $st}}</a>{{else}}{{index $.Labels $st}}{{end}}</td>
{{- end}}
</tr>
{{- end}}
</tbody>
</table>
</div>
{{- end}}
<h2 id="riepilogo">Riepilogo</h2>
<ul class="status-summary">
{{- range .Langs}}
<li><abbr title="{{.Name}}">{{.Code}}</abbr>: {{.UpToDate}} pagine su {{$.Total}} aggiornate</li>
{{- end}}
</ul>
`))

// Page returns the translation status page for editors (published
// at /status/, outside the sitemap and marked noindex): a legend and, for
// guides and for the other pages, a table with a row per page and a
// column per language, each cell saying in words whether the translation
// is up to date, outdated, missing or a draft, and linking to the
// translated page when there is one. The HTML has no inline style or
// script; cells carry the classes status and status-<state>.
func Page(langs *i18n.Set, site *content.Site) (string, template.HTML) {
	t := Translations(langs, site)
	d := statusData{Legend: statusLegend, Labels: statusLabels, Total: len(t.Rows)}
	for _, l := range t.Langs {
		sl := statusLang{Code: l, UpToDate: t.Count(l, OK) + t.Count(l, Source)}
		if lang := langs.Get(l); lang != nil {
			// Italian name for the Italian page, the native one after it.
			sl.Name = lang.Name
			if it := italianNames.Name(lang.Tag); it != "" && !strings.EqualFold(it, lang.Name) {
				sl.Name = it + " (" + lang.Name + ")"
			}
		}
		d.Langs = append(d.Langs, sl)
	}
	guides := statusSection{ID: "guide", Caption: "Guide"}
	other := statusSection{ID: "altre-pagine", Caption: "Altre pagine"}
	for _, r := range t.Rows {
		if r.Kind == string(content.Guide) {
			guides.Rows = append(guides.Rows, r)
		} else {
			other.Rows = append(other.Rows, r)
		}
	}
	for _, s := range []statusSection{guides, other} {
		if len(s.Rows) > 0 {
			d.Sections = append(d.Sections, s)
		}
	}
	var b bytes.Buffer
	if err := statusTmpl.Execute(&b, d); err != nil {
		// The template and its data are fixed here, so this cannot
		// happen with any content; say so on the page rather than stop.
		return "Stato delle traduzioni", template.HTML("<p>" + template.HTMLEscapeString("check: status page: "+err.Error()) + "</p>")
	}
	return "Stato delle traduzioni", template.HTML(b.String())
}
