package i18n

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"portal/generator/diag"
)

// Source is the code of the source language every text is written in first.
const Source = "it"

// Language is one configured site language.
//
// Layouts read BCP47, Direction, Code and Name on every page, and
// html/template finds a field by a linear search of the struct: they come
// first.
type Language struct {
	BCP47     string   // Tag as a string, for lang and hreflang attributes
	Direction string   // "ltr" or "rtl"
	Code      string   // file name code, used in URLs: "it", "ar", "zh"
	Name      string   // native name
	Fallback  []string // fallback chain for untranslated text, ending in Source
	Weight    int
	Tag       language.Tag
	months    []string
	dateFmt   string
	messages  map[string]message
	set       *Set
	// Labels holds every interface string without placeholders or plural
	// forms, by key, as T returns it (with the fallback chain applied),
	// so that layouts can write {{.L.toc}} for {{.T "toc"}}: a map lookup
	// instead of a method call on every page.
	Labels map[string]string
}

type message struct {
	other string
	forms map[plural.Form]string
}

// Set is every configured language.
type Set struct {
	langs  []*Language
	byCode map[string]*Language
}

type file struct {
	Language struct {
		Name      string   `toml:"name"`
		Direction string   `toml:"direction"`
		Fallback  []string `toml:"fallback"`
		Weight    int      `toml:"weight"`
		Months    []string `toml:"months"`
		Date      string   `toml:"date"`
		Locale    string   `toml:"locale"`
	} `toml:"language"`
	UI map[string]any `toml:"ui"`
}

var formNames = map[string]plural.Form{
	"zero": plural.Zero, "one": plural.One, "two": plural.Two,
	"few": plural.Few, "many": plural.Many, "other": plural.Other,
}

// Load reads every <code>.toml file in dir of fsys.
func Load(fsys fs.FS, dir string) (*Set, diag.List) {
	var errs diag.List
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, diag.List{diag.Errorf(dir, 0, "cannot read the languages folder: %v", err)}
	}
	s := &Set{byCode: map[string]*Language{}}
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".toml" {
			continue
		}
		p := path.Join(dir, e.Name())
		l, ds := loadFile(fsys, p, strings.TrimSuffix(e.Name(), ".toml"))
		errs = append(errs, ds...)
		if l != nil {
			l.set = s
			s.langs = append(s.langs, l)
			s.byCode[l.Code] = l
		}
	}
	if _, ok := s.byCode[Source]; !ok {
		errs = append(errs, diag.Errorf(path.Join(dir, Source+".toml"), 0, "the source language %q is not configured: add %s.toml", Source, Source))
	}
	sort.SliceStable(s.langs, func(i, j int) bool {
		a, b := s.langs[i], s.langs[j]
		if (a.Code == Source) != (b.Code == Source) {
			return a.Code == Source
		}
		if a.Weight != b.Weight {
			return a.Weight < b.Weight
		}
		return a.Code < b.Code
	})
	for _, l := range s.langs {
		for i, f := range l.Fallback {
			if _, ok := s.byCode[f]; !ok || f == l.Code {
				errs = append(errs, diag.Errorf(path.Join(dir, l.Code+".toml"), 0, "language.fallback[%d]: %q is not a configured language other than %q", i, f, l.Code))
			}
		}
		if l.Code != Source && !slices.Contains(l.Fallback, Source) {
			l.Fallback = append(l.Fallback, Source)
		}
	}
	for _, l := range s.langs {
		l.Labels = map[string]string{}
		for _, o := range s.langs {
			for key := range o.messages {
				if _, done := l.Labels[key]; done {
					continue
				}
				if m, _, ok := l.lookup(key); ok && m.forms == nil && !strings.Contains(m.other, "{") {
					l.Labels[key] = m.other
				}
			}
		}
	}
	errs.Sort()
	return s, errs
}

func loadFile(fsys fs.FS, p, code string) (*Language, diag.List) {
	data, err := fs.ReadFile(fsys, p)
	if err != nil {
		return nil, diag.List{diag.Errorf(p, 0, "%v", err)}
	}
	var f file
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, tomlDiag(p, err)
	}
	var errs diag.List
	tag, err := language.Parse(code)
	if err != nil || !validCode(code) {
		errs = append(errs, diag.Errorf(p, 0, "%q is not a language code: name the file after an ISO 639-1 code, like ar.toml", code))
	}
	if f.Language.Locale != "" {
		if t, err := language.Parse(f.Language.Locale); err == nil {
			tag = t
		} else {
			errs = append(errs, diag.Errorf(p, lineOf(data, "locale"), "language.locale %q is not a BCP 47 tag", f.Language.Locale))
		}
	}
	l := &Language{
		Code: code, Name: f.Language.Name, Direction: f.Language.Direction,
		Fallback: f.Language.Fallback, Weight: f.Language.Weight, Tag: tag, BCP47: tag.String(),
		months: f.Language.Months, dateFmt: f.Language.Date, messages: map[string]message{},
	}
	if l.Name == "" {
		errs = append(errs, diag.Errorf(p, 1, "language.name is missing: give the language's name in its own script"))
	}
	switch l.Direction {
	case "":
		l.Direction = "ltr"
	case "ltr", "rtl":
	default:
		errs = append(errs, diag.Errorf(p, lineOf(data, "direction"), "language.direction must be \"ltr\" or \"rtl\", not %q", l.Direction))
	}
	if len(l.months) != 0 && len(l.months) != 12 {
		errs = append(errs, diag.Errorf(p, lineOf(data, "months"), "language.months must list 12 month names, January first (found %d)", len(l.months)))
	}
	if l.dateFmt == "" {
		l.dateFmt = "{y}-{mm}-{dd}"
	}
	for key, v := range f.UI {
		switch v := v.(type) {
		case string:
			l.messages[key] = message{other: v}
		case map[string]any:
			m := message{forms: map[plural.Form]string{}}
			for fk, fv := range v {
				form, ok := formNames[fk]
				s, isStr := fv.(string)
				if !ok || !isStr {
					errs = append(errs, diag.Errorf(p, lineOf(data, fk), "ui.%s.%s: plural forms are zero, one, two, few, many and other, each a string", key, fk))
					continue
				}
				m.forms[form] = s
				if form == plural.Other {
					m.other = s
				}
			}
			if m.other == "" {
				errs = append(errs, diag.Errorf(p, lineOf(data, key), "ui.%s: a plural message needs an \"other\" form", key))
			}
			l.messages[key] = m
		default:
			errs = append(errs, diag.Errorf(p, lineOf(data, key), "ui.%s: must be a string or a table of plural forms", key))
		}
	}
	return l, errs
}

func validCode(c string) bool {
	if len(c) < 2 || len(c) > 3 {
		return false
	}
	for _, r := range c {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

func tomlDiag(p string, err error) diag.List {
	if sm, ok := err.(*toml.StrictMissingError); ok {
		var l diag.List
		for _, e := range sm.Errors {
			row, _ := e.Position()
			l = append(l, diag.Errorf(p, row, "unknown key %q: the sections are [language] and [ui]", strings.Join(e.Key(), ".")))
		}
		return l
	}
	if de, ok := err.(*toml.DecodeError); ok {
		row, col := de.Position()
		return diag.List{{Path: p, Line: row, Col: col, Msg: strings.TrimPrefix(de.Error(), "toml: ")}}
	}
	return diag.List{diag.Errorf(p, 0, "%v", err)}
}

// lineOf finds the first line defining key (a best-effort position for
// messages about values that the TOML decoder accepted).
func lineOf(data []byte, key string) int {
	for i, l := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, key) {
			rest := strings.TrimSpace(t[len(key):])
			if strings.HasPrefix(rest, "=") || strings.HasPrefix(rest, "]") {
				return i + 1
			}
		}
		if strings.HasSuffix(t, "."+key+"]") {
			return i + 1
		}
	}
	return 0
}

// All returns the languages, the source language first, then by weight.
func (s *Set) All() []*Language { return s.langs }

// Codes returns the language codes in order.
func (s *Set) Codes() []string {
	out := make([]string, len(s.langs))
	for i, l := range s.langs {
		out[i] = l.Code
	}
	return out
}

// Get returns the language with code, or nil.
func (s *Set) Get(code string) *Language { return s.byCode[code] }

// Has reports whether code is configured.
func (s *Set) Has(code string) bool { _, ok := s.byCode[code]; return ok }

// RTL reports whether the language is written right to left.
func (l *Language) RTL() bool { return l.Direction == "rtl" }

// Has reports whether key is translated in this language itself.
func (l *Language) Has(key string) bool { _, ok := l.messages[key]; return ok }

// Keys returns the message keys defined in this language, sorted.
func (l *Language) Keys() []string {
	keys := make([]string, 0, len(l.messages))
	for k := range l.messages {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (l *Language) lookup(key string) (message, *Language, bool) {
	if m, ok := l.messages[key]; ok {
		return m, l, true
	}
	if l.set != nil {
		for _, f := range l.Fallback {
			if fl := l.set.byCode[f]; fl != nil {
				if m, ok := fl.messages[key]; ok {
					return m, fl, true
				}
			}
		}
	}
	return message{}, nil, false
}

// NeedLabel makes sure every language's Labels has key, as T would say
// it: a key defined nowhere becomes "[key]", as with T. It fails when key
// has placeholders or plural forms in some language: those need T and
// their values.
func (s *Set) NeedLabel(key string) error {
	for _, l := range s.langs {
		if _, ok := l.Labels[key]; ok {
			continue
		}
		if _, from, ok := l.lookup(key); ok {
			return fmt.Errorf("the interface string %q has placeholders or plural forms (in i18n/%s.toml): write {{.T %q ...}} with their values instead of {{.L.%s}}", key, from.Code, key, key)
		}
		if l.Labels == nil {
			l.Labels = map[string]string{}
		}
		l.Labels[key] = l.T(key)
	}
	return nil
}

// T returns the interface string key, with {name} placeholders filled from
// args, given as name, value pairs. When a pair named "n" holds an integer
// and the message has plural forms, the form is chosen by the CLDR rules of
// the language the text is in. A key defined nowhere returns the key itself
// in brackets, which tests catch.
func (l *Language) T(key string, args ...any) string {
	m, from, ok := l.lookup(key)
	if !ok {
		return "[" + key + "]"
	}
	text := m.other
	if m.forms != nil {
		if n, ok := intArg(args, "n"); ok {
			form := plural.Cardinal.MatchPlural(from.Tag, abs(n), 0, 0, 0, 0)
			if s, ok := m.forms[form]; ok {
				text = s
			}
		}
	}
	if len(args) == 0 || !strings.Contains(text, "{") {
		return text
	}
	return fill(text, func(name string) (string, bool) {
		for i := 0; i+1 < len(args); i += 2 {
			if str(args[i]) == name {
				return str(args[i+1]), true
			}
		}
		return "", false
	})
}

// str formats a placeholder argument.
func str(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	}
	return fmt.Sprint(v)
}

// fill replaces every {name} in text for which value has a value and
// leaves the others as they are. It runs for every string of every page,
// so it scans once instead of building a strings.Replacer each time.
func fill(text string, value func(name string) (string, bool)) string {
	var b strings.Builder
	for {
		j := strings.IndexByte(text, '}')
		if j < 0 {
			break
		}
		i := strings.LastIndexByte(text[:j], '{')
		if i < 0 {
			b.WriteString(text[:j+1])
			text = text[j+1:]
			continue
		}
		b.WriteString(text[:i])
		if v, ok := value(text[i+1 : j]); ok {
			b.WriteString(v)
		} else {
			b.WriteString(text[i : j+1])
		}
		text = text[j+1:]
	}
	b.WriteString(text)
	return b.String()
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func intArg(args []any, name string) (int, bool) {
	for i := 0; i+1 < len(args); i += 2 {
		if args[i] == name {
			switch v := args[i+1].(type) {
			case int:
				return v, true
			case int64:
				return int(v), true
			case string:
				n, err := strconv.Atoi(v)
				return n, err == nil
			}
		}
	}
	return 0, false
}

// PluralForm returns the raw text of one CLDR plural form ("zero", "one",
// "two", "few", "many", "other") of a plural message, placeholders
// unfilled, for clients that choose the form themselves; "" when the
// language does not use that form. A plain message counts as "other".
func (l *Language) PluralForm(key, form string) string {
	m, _, ok := l.lookup(key)
	if !ok {
		return ""
	}
	f, known := formNames[form]
	if !known {
		return ""
	}
	if m.forms == nil {
		if f == plural.Other {
			return m.other
		}
		return ""
	}
	return m.forms[f]
}

// Date formats a calendar date in the language's own way, with its month
// names ("22 novembre 2026", "22 نوفمبر 2026", "2026年11月22日").
func (l *Language) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	month := strconv.Itoa(int(t.Month()))
	if len(l.months) == 12 {
		month = l.months[t.Month()-1]
	}
	return fill(l.dateFmt, func(name string) (string, bool) {
		switch name {
		case "d":
			return strconv.Itoa(t.Day()), true
		case "dd":
			return fmt.Sprintf("%02d", t.Day()), true
		case "m":
			return strconv.Itoa(int(t.Month())), true
		case "mm":
			return fmt.Sprintf("%02d", int(t.Month())), true
		case "month":
			return month, true
		case "y":
			return strconv.Itoa(t.Year()), true
		}
		return "", false
	})
}

// Check returns, for every language, the keys it lacks compared with the
// source language, and the plural forms a language's CLDR rules need that
// its plural messages lack.
func (s *Set) Check(dir string) diag.List {
	var out diag.List
	src := s.byCode[Source]
	if src == nil {
		return nil
	}
	for _, l := range s.langs {
		p := path.Join(dir, l.Code+".toml")
		for _, k := range src.Keys() {
			if _, ok := l.messages[k]; !ok {
				out = append(out, diag.Warnf(p, 0, "ui.%s is not translated (the %s text is used)", k, fallbackName(l, k)))
			}
		}
		for _, k := range l.Keys() {
			m := l.messages[k]
			if m.forms == nil {
				if sm, ok := src.messages[k]; ok && sm.forms != nil {
					out = append(out, diag.Warnf(p, 0, "ui.%s should be a table of plural forms like the Italian one", k))
				}
				continue
			}
			for _, f := range neededForms(l.Tag) {
				if _, ok := m.forms[f]; !ok {
					out = append(out, diag.Warnf(p, 0, "ui.%s lacks the %q plural form that %s needs", k, formName(f), l.Name))
				}
			}
		}
	}
	out.Sort()
	return out
}

func fallbackName(l *Language, key string) string {
	_, from, ok := l.lookup(key)
	if !ok {
		return "key"
	}
	return from.Code
}

// neededForms lists the plural forms the language distinguishes for whole
// numbers, found by probing the CLDR rules.
func neededForms(tag language.Tag) []plural.Form {
	seen := map[plural.Form]bool{}
	var out []plural.Form
	for n := 0; n <= 200; n++ {
		f := plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0)
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func formName(f plural.Form) string {
	for k, v := range formNames {
		if v == f {
			return k
		}
	}
	return "?"
}
