package desk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template/parse"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// UseLayouts parses the desk templates (*.html in dir of fsys, normally
// layouts/desk/) once; Pages and EmbedPages execute them. It must be called
// before Pages or EmbedPages.
func (d *Directory) UseLayouts(fsys fs.FS, dir string) error {
	t := template.New("desk").Funcs(template.FuncMap{
		"t": func(string) string { return "" }, // replaced per language
	})
	t, err := t.ParseFS(fsys, path.Join(dir, "*.html"))
	if err != nil {
		return fmt.Errorf("desk: parsing layouts: %w", err)
	}
	for _, name := range []string{"desk-list", "desk-page", "desk-embed"} {
		if t.Lookup(name) == nil {
			return fmt.Errorf("desk: layouts in %s do not define the template %q", dir, name)
		}
	}
	d.layouts = t
	return nil
}

// ListURL is the URL of the listing in lang.
func ListURL(lang string) string { return "/" + lang + "/desks/" }

// URL is the URL of a desk's page in lang.
func URL(lang, id string) string { return "/" + lang + "/desks/" + id + "/" }

// ServiceURL is the URL of the static page listing the desks that offer a
// service, in lang. Guides can link to it.
func ServiceURL(lang, service string) string { return "/" + lang + "/desks/service/" + service + "/" }

// LanguageURL is the URL of the static page listing the desks where a
// language is spoken.
func LanguageURL(lang, spoken string) string { return "/" + lang + "/desks/language/" + spoken + "/" }

// ICSURL is the URL of a desk's iCalendar file.
func ICSURL(id string) string { return "/api/desks/" + id + ".ics" }

// ContactURL is the contact form with the desk preselected.
func ContactURL(lang, id string) string { return "/" + lang + "/contact/?desk=" + url.QueryEscape(id) }

// renderer executes the templates for one language.
type renderer struct {
	d    *Directory
	lang string
	env  Env
	tmpl *template.Template
	// base prefixes desk addresses in list entries (the site's address
	// for embeds, which are shown on other sites; "" otherwise).
	base string
	// entries caches each desk's list entry, built and rendered once: the
	// listing and every filter page of a language show the same entries.
	entries map[string]entryView
	// services and languages are the filter links of every listing, made
	// once (with none current): counts, labels and the collated order
	// are the same on every list page of the language.
	services, languages []filterLink
	// sizes remembers the size of each template's last output, so that
	// the next one (most are about as long) is written into a buffer of
	// about the right size at once.
	sizes map[string]int
}

func (d *Directory) renderer(lang string, env Env) (*renderer, error) {
	if d.layouts == nil {
		return nil, fmt.Errorf("desk: layouts not loaded: call UseLayouts first")
	}
	t, err := d.layouts.Clone()
	if err != nil {
		return nil, fmt.Errorf("desk: %w", err)
	}
	tr := func(key string) string { return env.T(lang, key) }
	t.Funcs(template.FuncMap{"t": tr})
	for _, x := range t.Templates() {
		if x.Tree != nil {
			foldT(x.Tree.Root, tr)
		}
	}
	return &renderer{d: d, lang: lang, env: env, tmpl: t}, nil
}

// foldT writes the translation of each {{t "key"}} under n into the
// template as a string constant: the templates of a renderer serve one
// language, and a desk page says some thirty of them, each otherwise a
// function call through reflection. html/template, which escapes a clone
// when it first runs, escapes the constant exactly as it escaped what t
// returned (both are strings). Calls with other arguments are left to t.
func foldT(n parse.Node, tr func(string) string) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				foldT(c, tr)
			}
		}
	case *parse.ActionNode:
		foldPipeT(n.Pipe, tr)
	case *parse.IfNode:
		foldBranchT(&n.BranchNode, tr)
	case *parse.RangeNode:
		foldBranchT(&n.BranchNode, tr)
	case *parse.WithNode:
		foldBranchT(&n.BranchNode, tr)
	case *parse.TemplateNode:
		foldPipeT(n.Pipe, tr)
	}
}

func foldBranchT(b *parse.BranchNode, tr func(string) string) {
	foldPipeT(b.Pipe, tr)
	foldT(b.List, tr)
	foldT(b.ElseList, tr)
}

func foldPipeT(p *parse.PipeNode, tr func(string) string) {
	if p == nil {
		return
	}
	for i, c := range p.Cmds {
		for _, a := range c.Args {
			if sub, ok := a.(*parse.PipeNode); ok {
				foldPipeT(sub, tr)
			}
		}
		// Only a pipeline's first command: later ones receive the value
		// before them as an argument, which a constant cannot take.
		if i > 0 || len(c.Args) != 2 {
			continue
		}
		id, ok := c.Args[0].(*parse.IdentifierNode)
		key, ok2 := c.Args[1].(*parse.StringNode)
		if !ok || !ok2 || id.Ident != "t" {
			continue
		}
		// The clone's trees are its own copies: change the node in place.
		key.Text = tr(key.Text)
		key.Quoted = strconv.Quote(key.Text)
		c.Args = c.Args[1:]
	}
}

func (r *renderer) exec(name string, data any) (template.HTML, error) {
	var b strings.Builder
	b.Grow(r.sizes[name] + r.sizes[name]/8)
	if err := r.tmpl.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("desk: %s in %s: %w", name, r.lang, err)
	}
	if r.sizes == nil {
		r.sizes = map[string]int{}
	}
	r.sizes[name] = b.Len()
	return template.HTML(b.String()), nil
}

// Pages returns the desk pages in lang: the listing, one page per service
// and per language spoken, and one page per desk.
func (d *Directory) Pages(lang string, env Env) ([]Page, error) {
	r, err := d.renderer(lang, env)
	if err != nil {
		return nil, err
	}
	alternates := func(u func(string) string) map[string]string {
		m := map[string]string{}
		for _, l := range env.Langs() {
			m[l] = u(l)
		}
		return m
	}
	var pages []Page
	// desks.js is external and deferred: no inline script anywhere.
	script := template.HTML(`<script src="` + template.HTMLEscapeString(env.Asset("js/desks.js")) + `" defer></script>`)

	// The listing.
	lv, err := r.list(d.Desks, "", "")
	if err != nil {
		return nil, err
	}
	body, err := r.exec("desk-list", lv)
	if err != nil {
		return nil, err
	}
	p := Page{URL: ListURL(lang), Lang: lang, Title: lv.Heading, Description: env.T(lang, "desk.list.description"),
		Body: body, Head: script, Alternates: alternates(ListURL), Sitemap: true, TextLang: lv.IntroFallback}
	if in := r.intro(); in != nil && in.Description != "" && in.Lang == lang {
		p.Description = in.Description
	}
	pages = append(pages, p)

	// Static filter pages.
	for _, s := range Services {
		var ds []*Desk
		for _, dk := range d.Desks {
			if slices.Contains(dk.Services, s) {
				ds = append(ds, dk)
			}
		}
		lv, err := r.list(ds, s, "")
		if err != nil {
			return nil, err
		}
		body, err := r.exec("desk-list", lv)
		if err != nil {
			return nil, err
		}
		pages = append(pages, Page{URL: ServiceURL(lang, s), Lang: lang, Title: lv.Heading,
			Description: env.T(lang, "desk.filter.service.intro"), Body: body, Head: script,
			Alternates: alternates(func(l string) string { return ServiceURL(l, s) }), Sitemap: len(ds) > 0})
	}
	for _, sl := range d.spokenLanguages() {
		var ds []*Desk
		for _, dk := range d.Desks {
			if slices.Contains(dk.Languages, sl) {
				ds = append(ds, dk)
			}
		}
		lv, err := r.list(ds, "", sl)
		if err != nil {
			return nil, err
		}
		body, err := r.exec("desk-list", lv)
		if err != nil {
			return nil, err
		}
		pages = append(pages, Page{URL: LanguageURL(lang, sl), Lang: lang, Title: lv.Heading,
			Description: env.T(lang, "desk.filter.language.intro"), Body: body, Head: script,
			Alternates: alternates(func(l string) string { return LanguageURL(l, sl) }), Sitemap: true})
	}

	// One page per desk.
	for _, dk := range d.Desks {
		pv, err := r.page(dk)
		if err != nil {
			return nil, err
		}
		body, err := r.exec("desk-page", pv)
		if err != nil {
			return nil, err
		}
		ld, err := jsonLD(dk, lang, env)
		if err != nil {
			return nil, err
		}
		head := script + ld
		pages = append(pages, Page{
			URL: URL(lang, dk.ID), Lang: lang, Title: pv.Title, Description: pv.Description,
			Body: body, Head: head, TextLang: pv.TextLang, Sitemap: true,
			Alternates: alternates(func(l string) string { return URL(l, dk.ID) }),
			Search: &SearchDoc{Title: pv.Title, Summary: pv.Description, Text: plainText(string(pv.About)),
				Keywords: r.keywords(dk)},
		})
	}
	return pages, nil
}

// spokenLanguages lists the languages spoken at any desk, sorted.
func (d *Directory) spokenLanguages() []string {
	var out []string
	for _, dk := range d.Desks {
		for _, l := range dk.Languages {
			if !slices.Contains(out, l) {
				out = append(out, l)
			}
		}
	}
	slices.Sort(out)
	return out
}

func (r *renderer) keywords(dk *Desk) []string {
	k := []string{dk.Municipality, ProvinceName(dk.Province)}
	for _, s := range dk.Services {
		k = append(k, r.env.T(r.lang, "desk.service."+s))
	}
	return k
}

// intro returns the listing's introduction in the page language, or the
// Italian one.
func (r *renderer) intro() *Text {
	if in := r.d.Intro[r.lang]; in != nil {
		return in
	}
	return r.d.Intro[Source]
}

// languageName names an ISO 639-1 language in the UI language, falling back
// to its own name and then to the code.
func languageName(ui, code string) string {
	tag := language.Make(code)
	if n := display.Tags(language.Make(ui)).Name(tag); n != "" {
		return n
	}
	if n := display.Self.Name(tag); n != "" {
		return n
	}
	return code
}

// Views handed to the templates. Every string in them is plain text that
// html/template escapes; the few template.HTML and template.URL fields are
// built here from validated data.

// html/template finds a field by a linear search of the struct's fields,
// on every use: in each view the fields come in the order of how often and
// how early the templates read them, and the ones only Go reads last.

type listView struct {
	Services      []filterLink
	Languages     []filterLink
	Provinces     []provinceView
	Filtered      bool   // a static filter page
	Lead          string // sentence under the heading of a filter page
	Intro         template.HTML
	IntroLang     string // set when the intro falls back to Italian
	Heading       string
	AllURL        string
	Lang, Dir     string
	IntroFallback string
	Count         int
	Embed         bool
	Langs         []langLink // embed page: languages available
}

type filterLink struct {
	URL, Label string
	Current    bool
	Count      int
	Code       string
}

type langLink struct{ Code, Name, URL string }

type provinceView struct {
	Code, Name     string
	Municipalities []municipalityView
}

type municipalityView struct {
	Name  string
	Desks []entryView
}

type entryView struct {
	// HTML is the entry rendered with the "desk-entry" template, the one
	// field the list pages read.
	HTML                  template.HTML
	Services              string // space-separated codes, for data-services
	Languages             string // space-separated codes
	Municipality          string
	HoursJSON             string
	URL, TitleLang, Title string
	Address               string
	AppointmentOnly       bool
	Week                  []dayView // days with hours only
	Phone                 string
	PhoneURL              template.URL
	ID                    string
	ServiceLabels         []string
}

type dayView struct {
	Code, Name string
	Ranges     []string
}

type pageView struct {
	HoursJSON       string
	TitleLang       string
	Title           string
	Operator        string
	AppointmentOnly bool
	Address         string
	Postcode        string
	Municipality    string
	Province        string
	OSMURL, GeoURL  template.URL
	Phone           string
	PhoneURL        template.URL
	Email           string
	EmailURL        template.URL
	Website         string
	BookingURL      string
	ContactURL      string
	Days            []dayView // all seven when there are hours
	Closures        []closureView
	Specials        []specialView
	ICSURL          string
	Services        []serviceView
	Languages       []string
	About           template.HTML
	TextLang        string
	ListURL         string
	ID, Lang, Dir   string
	Description     string
	ProvinceName    string
}

type closureView struct{ From, To, Note, NoteLang string }

type specialView struct{ Date, Time, Note, NoteLang string }

type serviceView struct {
	Code, Label, URL string
	Guides           []Link
}

func (r *renderer) list(desks []*Desk, service, spoken string) (*listView, error) {
	env, lang := r.env, r.lang
	lv := &listView{Lang: lang, Dir: env.Dir(lang), AllURL: ListURL(lang), Count: len(desks)}
	switch {
	case service != "":
		lv.Heading = env.T(lang, "desk.service."+service)
		lv.Lead = env.T(lang, "desk.filter.service.intro")
		lv.Filtered = true
	case spoken != "":
		lv.Heading = languageName(lang, spoken)
		lv.Lead = env.T(lang, "desk.filter.language.intro")
		lv.Filtered = true
	default:
		lv.Heading = env.T(lang, "desk.list.title")
		if in := r.intro(); in != nil {
			if in.Title != "" && in.Lang == lang {
				lv.Heading = in.Title
			}
			if len(bytes.TrimSpace(in.Body)) > 0 {
				h, err := env.Markdown(in.Lang, in.Body, in.Path, in.BodyLine)
				if err != nil {
					return nil, fmt.Errorf("desk: %s: %w", in.Path, err)
				}
				lv.Intro = h
			}
			if in.Lang != lang {
				lv.IntroLang, lv.IntroFallback = in.Lang, in.Lang
			}
		}
	}
	r.makeFilters()
	for _, f := range r.services {
		if f.Count > 0 || f.Code == service {
			f.Current = f.Code == service
			lv.Services = append(lv.Services, f)
		}
	}
	lv.Languages = make([]filterLink, len(r.languages))
	for i, f := range r.languages {
		f.Current = f.Code == spoken
		lv.Languages[i] = f
	}

	for _, dk := range desks {
		if len(lv.Provinces) == 0 || lv.Provinces[len(lv.Provinces)-1].Code != dk.Province {
			lv.Provinces = append(lv.Provinces, provinceView{Code: dk.Province, Name: ProvinceName(dk.Province)})
		}
		pv := &lv.Provinces[len(lv.Provinces)-1]
		if len(pv.Municipalities) == 0 || pv.Municipalities[len(pv.Municipalities)-1].Name != dk.Municipality {
			pv.Municipalities = append(pv.Municipalities, municipalityView{Name: dk.Municipality})
		}
		mv := &pv.Municipalities[len(pv.Municipalities)-1]
		e, ok := r.entries[dk.ID]
		if !ok {
			var err error
			if e, err = r.entry(dk); err != nil {
				return nil, err
			}
			if e.HTML, err = r.exec("desk-entry", e); err != nil {
				return nil, err
			}
			if r.entries == nil {
				r.entries = map[string]entryView{}
			}
			r.entries[dk.ID] = e
		}
		mv.Desks = append(mv.Desks, e)
	}
	return lv, nil
}

// makeFilters fills r.services and r.languages, once: every service with
// the number of desks offering it, and every language spoken at a desk,
// named in the page language and sorted by its collation.
func (r *renderer) makeFilters() {
	if r.services != nil || r.languages != nil {
		return
	}
	env, lang := r.env, r.lang
	r.services = make([]filterLink, 0, len(Services))
	for _, s := range Services {
		n := 0
		for _, dk := range r.d.Desks {
			if slices.Contains(dk.Services, s) {
				n++
			}
		}
		r.services = append(r.services, filterLink{Code: s, Label: env.T(lang, "desk.service."+s), URL: ServiceURL(lang, s), Count: n})
	}
	col := collate.New(language.Make(lang))
	r.languages = []filterLink{}
	for _, sl := range r.d.spokenLanguages() {
		n := 0
		for _, dk := range r.d.Desks {
			if slices.Contains(dk.Languages, sl) {
				n++
			}
		}
		r.languages = append(r.languages, filterLink{Code: sl, Label: languageName(lang, sl), URL: LanguageURL(lang, sl), Count: n})
	}
	slices.SortStableFunc(r.languages, func(a, b filterLink) int { return col.CompareString(a.Label, b.Label) })
}

func (r *renderer) title(dk *Desk) (title, titleLang string) {
	if tr := dk.Translations[r.lang]; tr != nil && tr.Title != "" {
		return tr.Title, ""
	}
	if r.lang == Source {
		return dk.Title, ""
	}
	return dk.Title, Source
}

func (r *renderer) entry(dk *Desk) (entryView, error) {
	title, tl := r.title(dk)
	e := entryView{
		ID: dk.ID, URL: r.base + URL(r.lang, dk.ID), Title: title, TitleLang: tl,
		Municipality: dk.Municipality, Address: dk.Address, Phone: dk.Phone,
		AppointmentOnly: dk.AppointmentOnly,
		Services:        strings.Join(dk.Services, " "), Languages: strings.Join(dk.Languages, " "),
	}
	if dk.Phone != "" {
		e.PhoneURL = telURL(dk.Phone)
	}
	for _, s := range dk.Services {
		e.ServiceLabels = append(e.ServiceLabels, r.env.T(r.lang, "desk.service."+s))
	}
	for _, dv := range r.week(dk) {
		if len(dv.Ranges) > 0 {
			e.Week = append(e.Week, dv)
		}
	}
	j, err := hoursJSON(dk)
	if err != nil {
		return e, err
	}
	e.HoursJSON = j
	return e, nil
}

// week returns all seven days with their ranges.
func (r *renderer) week(dk *Desk) []dayView {
	out := make([]dayView, len(Days))
	for i, day := range Days {
		out[i] = dayView{Code: day, Name: r.env.T(r.lang, "desk.day."+day)}
		for _, h := range dk.Hours {
			if h.Day == day {
				out[i].Ranges = append(out[i].Ranges, FormatClock(h.Opens)+"–"+FormatClock(h.Closes))
			}
		}
	}
	return out
}

func telURL(phone string) template.URL {
	return template.URL("tel:" + strings.ReplaceAll(phone, " ", ""))
}

// coord formats a coordinate with at most 6 decimals (about 10 cm).
func coord(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func (r *renderer) page(dk *Desk) (*pageView, error) {
	env, lang := r.env, r.lang
	title, tl := r.title(dk)
	pv := &pageView{
		ID: dk.ID, Lang: lang, Dir: env.Dir(lang), Title: title, TitleLang: tl,
		Operator: dk.Operator, Municipality: dk.Municipality, Province: dk.Province, ProvinceName: ProvinceName(dk.Province),
		Address: dk.Address, Postcode: dk.Postcode, Phone: dk.Phone, Email: dk.Email,
		Website: dk.Website, BookingURL: dk.BookingURL, AppointmentOnly: dk.AppointmentOnly,
		ContactURL: ContactURL(lang, dk.ID), ICSURL: ICSURL(dk.ID), ListURL: ListURL(lang),
	}
	if dk.Lat != nil {
		la, lo := coord(*dk.Lat), coord(*dk.Lon)
		pv.OSMURL = template.URL("https://www.openstreetmap.org/?mlat=" + la + "&mlon=" + lo + "#map=18/" + la + "/" + lo)
		pv.GeoURL = template.URL("geo:" + la + "," + lo)
	}
	if dk.Phone != "" {
		pv.PhoneURL = telURL(dk.Phone)
	}
	if dk.Email != "" {
		pv.EmailURL = template.URL("mailto:" + dk.Email)
	}
	if len(dk.Hours) > 0 {
		pv.Days = r.week(dk)
	}
	// Notes are written once, in Italian.
	noteLang := ""
	if lang != Source {
		noteLang = Source
	}
	for _, c := range dk.Closures {
		cv := closureView{From: c.From.Format(time.DateOnly), Note: c.Note, NoteLang: noteLang}
		if !c.To.Equal(c.From) {
			cv.To = c.To.Format(time.DateOnly)
		}
		pv.Closures = append(pv.Closures, cv)
	}
	for _, s := range dk.SpecialHours {
		pv.Specials = append(pv.Specials, specialView{Date: s.Date.Format(time.DateOnly), Time: FormatClock(s.Opens) + "–" + FormatClock(s.Closes), Note: s.Note, NoteLang: noteLang})
	}
	for _, s := range dk.Services {
		pv.Services = append(pv.Services, serviceView{Code: s, Label: env.T(lang, "desk.service."+s), URL: ServiceURL(lang, s), Guides: env.GuidesFor(lang, s)})
	}
	for _, l := range dk.Languages {
		pv.Languages = append(pv.Languages, languageName(lang, l))
	}
	// Text: the translation when there is one, else the Italian.
	body, bodyLang, bodyPath, bodyLine := dk.Body, Source, dk.Path, dk.BodyLine
	pv.Description = dk.Description
	if tr := dk.Translations[lang]; tr != nil {
		if len(bytes.TrimSpace(tr.Body)) > 0 {
			body, bodyLang, bodyPath, bodyLine = tr.Body, lang, tr.Path, tr.BodyLine
		}
		if tr.Description != "" {
			pv.Description = tr.Description
		}
	}
	if bodyLang != lang {
		pv.TextLang = bodyLang
	}
	if pv.Description == "" {
		pv.Description = title + " – " + dk.Municipality + " (" + dk.Province + ")"
	}
	if len(bytes.TrimSpace(body)) > 0 {
		h, err := env.Markdown(bodyLang, body, bodyPath, bodyLine)
		if err != nil {
			return nil, fmt.Errorf("desk: %s: %w", bodyPath, err)
		}
		pv.About = h
	}
	j, err := hoursJSON(dk)
	if err != nil {
		return nil, err
	}
	pv.HoursJSON = j
	return pv, nil
}

// hoursJSON is the data-hours attribute read by desks.js:
// {"w":[["mon","09:00","12:30"],...],"c":[["2026-12-24","2026-12-26"],...],"s":[["2026-12-31","09:00","11:00"],...]}
func hoursJSON(dk *Desk) (string, error) {
	type hours struct {
		W [][3]string `json:"w"`
		C [][2]string `json:"c"`
		S [][3]string `json:"s"`
	}
	h := hours{W: [][3]string{}, C: [][2]string{}, S: [][3]string{}}
	for _, r := range dk.Hours {
		h.W = append(h.W, [3]string{r.Day, FormatClock(r.Opens), FormatClock(r.Closes)})
	}
	for _, c := range dk.Closures {
		h.C = append(h.C, [2]string{c.From.Format(time.DateOnly), c.To.Format(time.DateOnly)})
	}
	for _, s := range dk.SpecialHours {
		h.S = append(h.S, [3]string{s.Date.Format(time.DateOnly), FormatClock(s.Opens), FormatClock(s.Closes)})
	}
	b, err := json.Marshal(h)
	if err != nil {
		return "", fmt.Errorf("desk: %s: hours: %w", dk.ID, err)
	}
	return string(b), nil
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// plainText strips tags from rendered HTML for the search index.
func plainText(h string) string {
	s := tagRE.ReplaceAllString(h, " ")
	s = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&quot;", `"`).Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// ForService returns the desks that offer a service, in directory order
// (province, municipality, title), for a guide's "where to go" box; link
// to ServiceURL for the full list.
func (d *Directory) ForService(code string) []*Desk {
	var out []*Desk
	for _, dk := range d.Desks {
		if slices.Contains(dk.Services, code) {
			out = append(out, dk)
		}
	}
	return out
}

// TitleIn returns the desk's title in lang, or the Italian one.
func (dk *Desk) TitleIn(lang string) string {
	if tr := dk.Translations[lang]; tr != nil && tr.Title != "" {
		return tr.Title
	}
	return dk.Title
}
