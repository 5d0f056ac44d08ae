package check

import (
	"bytes"
	"html/template"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"portal/generator"
	"portal/generator/content"
)

// statusLabels are the Italian words the status page shows (editors and
// coordinators work in Italian); the English status code is kept in the
// cell's class for styling.
var statusLabels = map[Status]string{
	Source:   "originale",
	OK:       "aggiornata",
	Outdated: "da aggiornare",
	Missing:  "mancante",
	Draft:    "bozza",
}

var statusLegend = []struct {
	Status Status
	Text   string
}{
	{Source, "il testo italiano, da cui partono tutte le traduzioni"},
	{OK, "la traduzione è stata controllata dopo l'ultima revisione del testo italiano"},
	{Outdated, "il testo italiano è stato rivisto dopo la traduzione: va confrontata e aggiornata"},
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

// StatusPage returns the translation status page for editors (published
// at /status/, outside the sitemap and marked noindex): a legend and, for
// guides and for the other pages, a table with a row per page and a
// column per language, each cell saying in words whether the translation
// is up to date, outdated, missing or a draft, and linking to the
// translated page when there is one. The HTML has no inline style or
// script; cells carry the classes status and status-<state>.
func StatusPage(a *generator.Analysis) (string, template.HTML) {
	t := Translations(a)
	d := statusData{Legend: statusLegend, Labels: statusLabels, Total: len(t.Rows)}
	for _, l := range t.Langs {
		sl := statusLang{Code: l, UpToDate: t.Count(l, OK) + t.Count(l, Source)}
		if lang := a.Langs.Get(l); lang != nil {
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
