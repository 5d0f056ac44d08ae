package desk

import (
	"cmp"
	"fmt"
	"io/fs"
	"net/mail"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"portal/generator/diag"
	"portal/generator/meta"
)

// Source is the language of the desk files' facts and bodies.
const Source = "it"

// front is the front matter of content/desks/<id>.md.
type front struct {
	Title           string         `yaml:"title" toml:"title"`
	Description     string         `yaml:"description" toml:"description"`
	Operator        string         `yaml:"operator" toml:"operator"`
	Municipality    string         `yaml:"municipality" toml:"municipality"`
	Province        string         `yaml:"province" toml:"province"`
	Address         string         `yaml:"address" toml:"address"`
	Postcode        meta.Text      `yaml:"postcode" toml:"postcode"`
	Lat             *float64       `yaml:"lat" toml:"lat"`
	Lon             *float64       `yaml:"lon" toml:"lon"`
	Phone           meta.Text      `yaml:"phone" toml:"phone"`
	Email           string         `yaml:"email" toml:"email"`
	Website         string         `yaml:"website" toml:"website"`
	BookingURL      string         `yaml:"booking_url" toml:"booking_url"`
	Services        []string       `yaml:"services" toml:"services"`
	Languages       []string       `yaml:"languages" toml:"languages"`
	AppointmentOnly bool           `yaml:"appointment_only" toml:"appointment_only"`
	Hours           []rangeFront   `yaml:"hours" toml:"hours"`
	Closures        []closureFront `yaml:"closures" toml:"closures"`
	SpecialHours    []specialFront `yaml:"special_hours" toml:"special_hours"`
}

type rangeFront struct {
	Day    string    `yaml:"day" toml:"day"`
	Opens  meta.Text `yaml:"opens" toml:"opens"`
	Closes meta.Text `yaml:"closes" toml:"closes"`
}

type closureFront struct {
	From meta.Text `yaml:"from" toml:"from"`
	To   meta.Text `yaml:"to" toml:"to"`
	Note string    `yaml:"note" toml:"note"`
}

type specialFront struct {
	Date   meta.Text `yaml:"date" toml:"date"`
	Opens  meta.Text `yaml:"opens" toml:"opens"`
	Closes meta.Text `yaml:"closes" toml:"closes"`
	Note   string    `yaml:"note" toml:"note"`
}

// textFront is the front matter of translations and _index files.
type textFront struct {
	Title       string `yaml:"title" toml:"title"`
	Description string `yaml:"description" toml:"description"`
}

// nestedKeys are the keys allowed in the entries of each list of maps.
var nestedKeys = map[string][]string{
	"hours":         meta.KnownKeys(&rangeFront{}),
	"closures":      meta.KnownKeys(&closureFront{}),
	"special_hours": meta.KnownKeys(&specialFront{}),
}

var idRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

type file struct {
	path, id, lang string // lang "" for a base desk file
	index          bool
}

// Load reads every desk file under dir of fsys (content/desks/), including
// <id>.<lang>.md translations, validates everything and returns all
// problems found. langs are the site languages; a translation in another
// language is an error. _index.md and _index.<lang>.md hold the listing's
// optional introduction. The Directory is usable (with the valid desks)
// even when the list holds errors, but a build must stop on errors.
func Load(fsys fs.FS, dir string, langs []string) (*Directory, diag.List) {
	d := &Directory{Intro: map[string]*Text{}, byID: map[string]*Desk{}, Now: time.Now()}
	var errs diag.List
	var files []file
	walkErr := fs.WalkDir(fsys, dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, diag.Errorf(p, 0, "cannot read: %v", err))
			return nil
		}
		if e.IsDir() || !strings.HasSuffix(p, ".md") {
			return nil
		}
		name := strings.TrimSuffix(path.Base(p), ".md")
		f := file{path: p, id: name}
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			f.id, f.lang = name[:i], name[i+1:]
		}
		f.index = f.id == "_index"
		files = append(files, f)
		return nil
	})
	if walkErr != nil {
		errs = append(errs, diag.Errorf(dir, 0, "cannot read the desks folder: %v", walkErr))
	}
	isLang := func(l string) bool { return slices.Contains(langs, l) }
	langList := strings.Join(langs, ", ")

	// Base files first, so translations can find their desk.
	for _, f := range files {
		if f.lang != "" || f.index {
			continue
		}
		data, err := fs.ReadFile(fsys, f.path)
		if err != nil {
			errs = append(errs, diag.Errorf(f.path, 0, "cannot read: %v", err))
			continue
		}
		if !idRE.MatchString(f.id) {
			errs = append(errs, diag.Errorf(f.path, 0, "the file name %q is not a valid desk id: use lower-case ASCII letters, digits and single hyphens, for example rho-sportello-stranieri.md", f.id+".md"))
			continue
		}
		dk, l := parseDesk(f.path, f.id, data)
		errs = append(errs, l...)
		if dk == nil {
			continue
		}
		if prev, ok := d.byID[dk.ID]; ok {
			errs = append(errs, diag.Errorf(f.path, 0, "duplicate desk id %q: %s has the same file name: rename one of them", dk.ID, prev.Path))
			continue
		}
		d.byID[dk.ID] = dk
		d.Desks = append(d.Desks, dk)
	}
	ids := make([]string, 0, len(d.byID))
	for id := range d.byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)

	for _, f := range files {
		if f.lang == "" && !f.index {
			continue
		}
		lang := f.lang
		if lang == "" {
			lang = Source
		}
		if f.lang == Source && !f.index {
			errs = append(errs, diag.Errorf(f.path, 0, "the Italian text of a desk is the body of %s: move the text there and delete this file", path.Join(path.Dir(f.path), f.id+".md")))
			continue
		}
		if !isLang(lang) {
			errs = append(errs, diag.Errorf(f.path, 0, "%q is not a site language (%s): rename the file with one of them or add the language to the site configuration", lang, langList))
			continue
		}
		data, err := fs.ReadFile(fsys, f.path)
		if err != nil {
			errs = append(errs, diag.Errorf(f.path, 0, "cannot read: %v", err))
			continue
		}
		var base *Desk
		if !f.index {
			base = d.byID[f.id]
			if base == nil {
				msg := fmt.Sprintf("this translates desk %q, but %s does not exist: rename the file after an existing desk or add the desk", f.id, path.Join(path.Dir(f.path), f.id+".md"))
				if s := meta.Suggest(f.id, ids); s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				}
				errs = append(errs, diag.Errorf(f.path, 0, "%s", msg))
				continue
			}
		}
		t, l := parseText(f.path, data, base)
		errs = append(errs, l...)
		if t == nil {
			continue
		}
		if f.index {
			t.Lang = lang
			d.Intro[lang] = &Text{Lang: lang, Title: t.Title, Description: t.Description, Body: t.Body, BodyLine: t.BodyLine, Path: t.Path}
			continue
		}
		if base.Translations == nil {
			base.Translations = map[string]*Translation{}
		}
		t.Lang = lang
		base.Translations[lang] = t
	}

	col := collate.New(language.Italian)
	slices.SortFunc(d.Desks, func(a, b *Desk) int {
		return cmp.Or(
			col.CompareString(ProvinceName(a.Province), ProvinceName(b.Province)),
			col.CompareString(a.Municipality, b.Municipality),
			col.CompareString(a.Title, b.Title),
			cmp.Compare(a.ID, b.ID),
		)
	})
	errs.Sort()
	return d, errs
}

// parseText reads a translation (base != nil) or an _index file.
func parseText(p string, data []byte, base *Desk) (*Translation, diag.List) {
	src, err := meta.Parse(p, data)
	if err != nil {
		return nil, diag.From(p, err)
	}
	var errs diag.List
	allowed := meta.KnownKeys(&textFront{})
	facts := meta.KnownKeys(&front{})
	for _, k := range src.Keys() {
		if slices.Contains(allowed, k) {
			continue
		}
		line := src.Line(k)
		switch {
		case base != nil && slices.Contains(facts, k):
			errs = append(errs, diag.Errorf(p, line, "front matter: %q is a fact of the desk and belongs only in %s: remove it here (translations carry only title and description)", k, base.Path))
		case slices.Contains(facts, k):
			errs = append(errs, diag.Errorf(p, line, "front matter: %q does not belong in the listing's introduction: keep only title and description", k))
		default:
			errs = append(errs, diag.Errorf(p, line, "front matter: %s", unknownKey(k, allowed)))
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	var tf textFront
	if err := src.Decode(&tf); err != nil {
		return nil, diag.From(p, err)
	}
	return &Translation{
		Title:       strings.TrimSpace(tf.Title),
		Description: strings.TrimSpace(tf.Description),
		Body:        src.Body, BodyLine: src.BodyLine, Path: p,
	}, nil
}

func unknownKey(k string, known []string) string {
	if s := meta.Suggest(k, known); s != "" {
		return fmt.Sprintf("unknown key %q: did you mean %q?", k, s)
	}
	return fmt.Sprintf("unknown key %q (allowed keys: %s)", k, strings.Join(known, ", "))
}

// checkKeys reports unknown top-level and nested keys, all of them, before
// the strict decoder (which stops at the first) runs.
func checkKeys(src *meta.Source) diag.List {
	var errs diag.List
	known := meta.KnownKeys(&front{})
	for _, k := range src.Keys() {
		if !slices.Contains(known, k) {
			errs = append(errs, src.Errorf(src.Line(k), "front matter: %s", unknownKey(k, known)))
		}
	}
	var generic map[string]any
	if err := src.Decode(&generic); err != nil {
		return append(errs, diag.From(src.Path, err)...)
	}
	// Plain messages for the commonest wrong types, instead of the
	// decoder's Go-flavoured ones.
	for _, k := range []string{"lat", "lon"} {
		if v, ok := generic[k]; ok {
			switch v.(type) {
			case float64, int, int64, uint64:
			default:
				errs = append(errs, src.Errorf(src.Line(k), "%s %s is not a number: write decimal degrees without quotes, for example %s: 45.53", k, show(v), k))
			}
		}
	}
	if v, ok := generic["appointment_only"]; ok {
		if _, isBool := v.(bool); !isBool {
			errs = append(errs, src.Errorf(src.Line("appointment_only"), "appointment_only %s is not true or false: write appointment_only: true", show(v)))
		}
	}
	for _, k := range []string{"services", "languages", "hours", "closures", "special_hours"} {
		if v, ok := generic[k]; ok && v != nil {
			if _, isList := v.([]any); !isList {
				errs = append(errs, src.Errorf(src.Line(k), "%s must be a list, such as %s", k, listExample(k)))
			}
		}
	}
	for _, list := range []string{"hours", "closures", "special_hours"} {
		items, ok := generic[list].([]any)
		if !ok {
			continue
		}
		for i, it := range items {
			m, ok := it.(map[string]any)
			if !ok {
				errs = append(errs, src.Errorf(src.Line(list, i), "%s: each entry must be a map such as %s", list, example(list)))
				continue
			}
			keys := make([]string, 0, len(m))
			for k := range m {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				if !slices.Contains(nestedKeys[list], k) {
					errs = append(errs, src.Errorf(src.Line(list, i, k), "%s: %s", list, unknownKey(k, nestedKeys[list])))
				}
			}
		}
	}
	return errs
}

// show writes a decoded YAML/TOML value for a message.
func show(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprint(v)
}

func listExample(k string) string {
	switch k {
	case "services":
		return "[permit-renewal, work]"
	case "languages":
		return "[it, en, fr]"
	}
	return "\n  - " + example(k)
}

func example(list string) string {
	switch list {
	case "closures":
		return `{from: 2026-12-24, to: 2026-12-26}`
	case "special_hours":
		return `{date: 2026-12-31, opens: "09:00", closes: "11:00"}`
	}
	return `{day: mon, opens: "09:00", closes: "12:30"}`
}

// parseDesk reads and validates one desk file. It returns nil when the
// front matter cannot be decoded; otherwise the desk, possibly with
// diagnostics about some of its facts.
func parseDesk(p, id string, data []byte) (*Desk, diag.List) {
	src, err := meta.Parse(p, data)
	if err != nil {
		return nil, diag.From(p, err)
	}
	if src.Format == meta.None {
		return nil, diag.List{diag.Errorf(p, 1, "the desk file has no front matter: start it with a line \"---\", then title, municipality and province, then \"---\"")}
	}
	if errs := checkKeys(src); len(errs) > 0 {
		return nil, errs
	}
	var fm front
	if err := src.Decode(&fm); err != nil {
		return nil, diag.From(p, err)
	}
	v := &validator{src: src}
	dk := &Desk{
		ID: id, Path: p,
		Title:           strings.TrimSpace(fm.Title),
		Description:     strings.TrimSpace(fm.Description),
		Operator:        strings.TrimSpace(fm.Operator),
		Municipality:    strings.TrimSpace(fm.Municipality),
		Province:        strings.TrimSpace(fm.Province),
		Address:         strings.TrimSpace(fm.Address),
		AppointmentOnly: fm.AppointmentOnly,
		Body:            src.Body, BodyLine: src.BodyLine,
	}
	head := max(src.FrontLine-1, 1)
	for _, req := range []struct{ key, val, hint string }{
		{"title", dk.Title, `add title: "..." with the desk's name`},
		{"municipality", dk.Municipality, `add municipality: "..." with the name of the comune`},
		{"province", dk.Province, `add the two-letter sigla, for example province: "MI"`},
	} {
		if req.val == "" {
			v.errorf(head, "%s is missing: %s", req.key, req.hint)
		}
	}
	if dk.Province != "" {
		dk.Province = v.province(dk.Province)
	}
	dk.Postcode = v.postcode(fm.Postcode)
	dk.Lat, dk.Lon = v.coords(fm.Lat, fm.Lon)
	dk.Phone = v.phone(fm.Phone)
	dk.Email = v.email(strings.TrimSpace(fm.Email))
	dk.Website = v.https("website", strings.TrimSpace(fm.Website))
	dk.BookingURL = v.https("booking_url", strings.TrimSpace(fm.BookingURL))
	dk.Services = v.codes("services", fm.Services, func(s string) (bool, string) {
		if slices.Contains(Services, s) {
			return true, ""
		}
		if g := meta.Suggest(s, Services); g != "" {
			return false, fmt.Sprintf("unknown service code %q: did you mean %q?", s, g)
		}
		return false, fmt.Sprintf("unknown service code %q: use one of %s", s, strings.Join(Services, ", "))
	})
	dk.Languages = v.codes("languages", fm.Languages, func(s string) (bool, string) {
		if isISO6391(s) {
			return true, ""
		}
		if low := strings.ToLower(s); low != s && isISO6391(low) {
			return false, fmt.Sprintf("language code %q must be lower-case: write %q", s, low)
		}
		return false, fmt.Sprintf("%q is not an ISO 639-1 language code: use two lower-case letters, for example \"en\" for English or \"ar\" for Arabic", s)
	})
	dk.Hours = v.hours(fm.Hours)
	dk.Closures = v.closures(fm.Closures)
	dk.SpecialHours = v.specials(fm.SpecialHours, dk.Closures)
	return dk, v.errs
}

// isISO6391 reports whether s is a two-letter ISO 639-1 code.
func isISO6391(s string) bool {
	if len(s) != 2 || s[0] < 'a' || s[0] > 'z' || s[1] < 'a' || s[1] > 'z' {
		return false
	}
	b, err := language.ParseBase(s)
	if err != nil {
		return false
	}
	// ParseBase maps deprecated codes (iw, in) to their replacements and
	// accepts private-use ranges; require a round trip.
	return b.String() == s
}

type validator struct {
	src  *meta.Source
	errs diag.List
}

func (v *validator) errorf(line int, format string, args ...any) {
	v.errs = append(v.errs, v.src.Errorf(line, format, args...))
}

func (v *validator) province(s string) string {
	if _, ok := provinces[s]; ok {
		return s
	}
	if up := strings.ToUpper(s); provinces[up] != "" {
		v.errorf(v.src.Line("province"), "province %q must be upper-case: write %q", s, up)
		return up
	}
	for sigla, name := range provinces {
		if strings.EqualFold(name, s) {
			v.errorf(v.src.Line("province"), "province %q: write the two-letter sigla %q instead of the name", s, sigla)
			return sigla
		}
	}
	v.errorf(v.src.Line("province"), "province %q is not an Italian province sigla: write the two letters used in addresses, for example \"MI\" for Milano", s)
	return s
}

var capRE = regexp.MustCompile(`^[0-9]{5}$`)

func (v *validator) postcode(t meta.Text) string {
	s := strings.TrimSpace(t.Raw)
	if !t.Set || s == "" {
		return ""
	}
	if !capRE.MatchString(s) {
		v.errorf(v.src.Line("postcode"), "postcode %q is not an Italian postcode (CAP): write its five digits in quotes, for example \"20017\"", s)
		return ""
	}
	return s
}

// Italy's bounding box, with a small margin: Lampedusa (35.49 N) to the
// Vetta d'Italia (47.09 N), Bardonecchia (6.63 E) to Otranto (18.52 E).
const (
	minLat, maxLat = 35.4, 47.1
	minLon, maxLon = 6.6, 18.6
)

func inItaly(lat, lon float64) bool {
	return lat >= minLat && lat <= maxLat && lon >= minLon && lon <= maxLon
}

func (v *validator) coords(lat, lon *float64) (*float64, *float64) {
	switch {
	case lat == nil && lon == nil:
		return nil, nil
	case lat == nil:
		v.errorf(v.src.Line("lon"), "lon is set but lat is missing: give both coordinates or neither")
		return nil, nil
	case lon == nil:
		v.errorf(v.src.Line("lat"), "lat is set but lon is missing: give both coordinates or neither")
		return nil, nil
	}
	if inItaly(*lat, *lon) {
		return lat, lon
	}
	if inItaly(*lon, *lat) {
		v.errorf(v.src.Line("lat"), "lat %v and lon %v look swapped: lat is the north-south value (%v to %v in Italy), lon the east-west one (%v to %v)", *lat, *lon, minLat, maxLat, minLon, maxLon)
		return nil, nil
	}
	if *lat < minLat || *lat > maxLat {
		v.errorf(v.src.Line("lat"), "lat %v is outside Italy (%v to %v): check the value, or leave lat and lon out", *lat, minLat, maxLat)
	}
	if *lon < minLon || *lon > maxLon {
		v.errorf(v.src.Line("lon"), "lon %v is outside Italy (%v to %v): check the value, or leave lat and lon out", *lon, minLon, maxLon)
	}
	return nil, nil
}

// phoneRE accepts +39 followed by 6 to 11 digits, single spaces allowed
// between digits.
var phoneRE = regexp.MustCompile(`^\+39 ?[0-9](?: ?[0-9]){5,10}$`)

func (v *validator) phone(t meta.Text) string {
	s := strings.TrimSpace(t.Raw)
	if !t.Set || s == "" {
		return ""
	}
	if !phoneRE.MatchString(s) {
		v.errorf(v.src.Line("phone"), "phone %q is not an Italian phone number: write +39 and then 6 to 11 digits, spaces allowed, for example \"+39 02 1234 5678\"", s)
		return ""
	}
	return s
}

func (v *validator) email(s string) string {
	if s == "" {
		return ""
	}
	a, err := mail.ParseAddress(s)
	_, domain, _ := strings.Cut(s, "@")
	if err != nil || a.Address != s || a.Name != "" || !strings.Contains(domain, ".") || strings.HasSuffix(domain, ".") {
		v.errorf(v.src.Line("email"), "email %q is not an e-mail address: write only the address, such as name@comune.example.it, without a name or \"mailto:\"", s)
		return ""
	}
	return s
}

func (v *validator) https(key, s string) string {
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Host == "" || strings.ContainsAny(s, " \t") || u.User != nil || u.Opaque != "":
		v.errorf(v.src.Line(key), "%s %q is not a web address: write the full address starting with https://", key, s)
	case u.Scheme != "https":
		v.errorf(v.src.Line(key), "%s %q must start with https://: use the site's secure address", key, s)
	case !strings.Contains(u.Hostname(), ".") || strings.HasSuffix(u.Hostname(), "."):
		v.errorf(v.src.Line(key), "%s %q has no valid domain name: write the full address starting with https://", key, s)
	default:
		return u.String()
	}
	return ""
}

// codes checks a list of codes, reporting bad and repeated ones.
func (v *validator) codes(key string, in []string, ok func(string) (bool, string)) []string {
	var out []string
	for i, s := range in {
		s = strings.TrimSpace(s)
		good, msg := ok(s)
		if !good {
			v.errorf(v.src.Line(key, i), "%s: %s", key, msg)
			continue
		}
		if slices.Contains(out, s) {
			v.errorf(v.src.Line(key, i), "%s: %q is listed twice: remove one", key, s)
			continue
		}
		out = append(out, s)
	}
	return out
}

var dayNames = map[string]string{
	"monday": "mon", "tuesday": "tue", "wednesday": "wed", "thursday": "thu",
	"friday": "fri", "saturday": "sat", "sunday": "sun",
	"lun": "mon", "mar": "tue", "mer": "wed", "gio": "thu", "ven": "fri", "sab": "sat", "dom": "sun",
	"lunedì": "mon", "martedì": "tue", "mercoledì": "wed", "giovedì": "thu", "venerdì": "fri",
	"sabato": "sat", "domenica": "sun", "lunedi": "mon", "martedi": "tue", "mercoledi": "wed",
	"giovedi": "thu", "venerdi": "fri",
}

func (v *validator) day(s string, line int) (string, bool) {
	if slices.Contains(Days, s) {
		return s, true
	}
	msg := fmt.Sprintf("hours: day %q is not a day code: use mon, tue, wed, thu, fri, sat or sun", s)
	low := strings.ToLower(strings.TrimSpace(s))
	if slices.Contains(Days, low) {
		msg += fmt.Sprintf(" (write %q)", low)
	} else if d, ok := dayNames[low]; ok {
		msg += fmt.Sprintf(" (write %q)", d)
	}
	if s == "" {
		msg = `hours: the entry has no "day": add day: mon (or tue, wed, thu, fri, sat, sun)`
	}
	v.errorf(line, "%s", msg)
	return "", false
}

// clock parses HH:MM into minutes after midnight. 24:00 is allowed only
// when end is true.
func clock(s string, end bool) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, err1 := strconv.Atoi(s[:2])
	m, err2 := strconv.Atoi(s[3:])
	if err1 != nil || err2 != nil || s[0] == '+' || s[3] == '+' || m < 0 || m > 59 || h < 0 {
		return 0, false
	}
	if h == 24 && m == 0 && end {
		return 24 * 60, true
	}
	if h > 23 {
		return 0, false
	}
	return h*60 + m, true
}

// FormatClock writes minutes after midnight as HH:MM.
func FormatClock(m int) string {
	if m < 0 || m >= 100*60 {
		return fmt.Sprintf("%02d:%02d", m/60, m%60)
	}
	// Desk pages format every opening time in every language: the same
	// digits without fmt.
	h, mm := m/60, m%60
	return string([]byte{byte('0' + h/10), byte('0' + h%10), ':', byte('0' + mm/10), byte('0' + mm%10)})
}

// span checks an opens/closes pair found under key at path; ok is false
// when either time is missing or malformed or the order is wrong.
func (v *validator) span(list string, idx int, opens, closes meta.Text) (o, c int, ok bool) {
	ok = true
	get := func(name string, t meta.Text, end bool) int {
		line := v.src.Line(list, idx, name)
		if !t.Set || strings.TrimSpace(t.Raw) == "" {
			v.errorf(line, "%s: the entry has no %q: add %s: \"HH:MM\"", list, name, name)
			ok = false
			return 0
		}
		m, good := clock(strings.TrimSpace(t.Raw), end)
		if !good {
			hint := `write it as HH:MM in quotes, for example "09:00"`
			if end {
				hint += ` ("24:00" for midnight)`
			}
			v.errorf(line, "%s: %q %q is not a time: %s", list, name, t.Raw, hint)
			ok = false
		}
		return m
	}
	o = get("opens", opens, false)
	c = get("closes", closes, true)
	if !ok {
		return o, c, false
	}
	line := v.src.Line(list, idx, "closes")
	if c < o {
		v.errorf(line, "%s: \"closes\" %s is before \"opens\" %s: swap them or fix the time (a range past midnight is two ranges: up to \"24:00\" and from \"00:00\" the next day)", list, FormatClock(c), FormatClock(o))
		return o, c, false
	}
	if c == o {
		v.errorf(line, "%s: \"closes\" %s is the same as \"opens\": fix the time or remove the entry", list, FormatClock(c))
		return o, c, false
	}
	return o, c, true
}

func (v *validator) hours(in []rangeFront) []Range {
	var out []Range
	for i, h := range in {
		line := v.src.Line("hours", i)
		day, okDay := v.day(strings.TrimSpace(h.Day), v.src.Line("hours", i, "day"))
		o, c, ok := v.span("hours", i, h.Opens, h.Closes)
		if !ok || !okDay {
			continue
		}
		r := Range{Day: day, Opens: o, Closes: c, Line: line}
		for _, p := range out {
			if p.Day == r.Day && r.Opens < p.Closes && p.Opens < r.Closes {
				v.errorf(line, "hours: %s %s-%s overlaps %s %s-%s on line %d: merge them into one range or fix the times",
					day, FormatClock(o), FormatClock(c), p.Day, FormatClock(p.Opens), FormatClock(p.Closes), p.Line)
				ok = false
				break
			}
		}
		if ok {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b Range) int {
		return cmp.Or(cmp.Compare(slices.Index(Days, a.Day), slices.Index(Days, b.Day)), cmp.Compare(a.Opens, b.Opens))
	})
	return out
}

func (v *validator) date(list string, idx int, name string, t meta.Text) (time.Time, bool) {
	line := v.src.Line(list, idx, name)
	if !t.Set || strings.TrimSpace(t.Raw) == "" {
		v.errorf(line, "%s: the entry has no %q: add %s: YYYY-MM-DD", list, name, name)
		return time.Time{}, false
	}
	d, err := t.Date()
	if err != nil {
		v.errorf(line, "%s: %q: %v", list, name, err)
		return time.Time{}, false
	}
	return d, true
}

func (v *validator) closures(in []closureFront) []Closure {
	var out []Closure
	for i, c := range in {
		from, ok := v.date("closures", i, "from", c.From)
		if !ok {
			continue
		}
		to := from
		if c.To.Set {
			if to, ok = v.date("closures", i, "to", c.To); !ok {
				continue
			}
		}
		if to.Before(from) {
			v.errorf(v.src.Line("closures", i, "to"), "closures: \"to\" %s is before \"from\" %s: swap them or fix the date", to.Format(time.DateOnly), from.Format(time.DateOnly))
			continue
		}
		if to.Sub(from) > 366*24*time.Hour {
			v.errorf(v.src.Line("closures", i, "to"), "closures: %s to %s is longer than a year: a desk closed for so long should leave the directory; otherwise fix the dates", from.Format(time.DateOnly), to.Format(time.DateOnly))
			continue
		}
		out = append(out, Closure{From: from, To: to, Note: strings.TrimSpace(c.Note), Line: v.src.Line("closures", i)})
	}
	slices.SortStableFunc(out, func(a, b Closure) int { return a.From.Compare(b.From) })
	return out
}

func (v *validator) specials(in []specialFront, closures []Closure) []Special {
	var out []Special
	for i, s := range in {
		date, okDate := v.date("special_hours", i, "date", s.Date)
		o, c, ok := v.span("special_hours", i, s.Opens, s.Closes)
		if !ok || !okDate {
			continue
		}
		line := v.src.Line("special_hours", i)
		sp := Special{Date: date, Opens: o, Closes: c, Note: strings.TrimSpace(s.Note), Line: line}
		for _, cl := range closures {
			if !date.Before(cl.From) && !date.After(cl.To) {
				v.errorf(line, "special_hours: %s falls inside the closure from %s to %s on line %d: remove the special hours or shorten the closure",
					date.Format(time.DateOnly), cl.From.Format(time.DateOnly), cl.To.Format(time.DateOnly), cl.Line)
				ok = false
				break
			}
		}
		for _, p := range out {
			if ok && p.Date.Equal(date) && o < p.Closes && p.Opens < c {
				v.errorf(line, "special_hours: %s %s-%s overlaps %s-%s on line %d: merge them into one range or fix the times",
					date.Format(time.DateOnly), FormatClock(o), FormatClock(c), FormatClock(p.Opens), FormatClock(p.Closes), p.Line)
				ok = false
			}
		}
		if ok {
			out = append(out, sp)
		}
	}
	slices.SortStableFunc(out, func(a, b Special) int { return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.Opens, b.Opens)) })
	return out
}

// Desk returns the desk with the given id, or nil.
func (d *Directory) Desk(id string) *Desk { return d.byID[id] }
