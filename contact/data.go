package contact

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Data is everything the contact function knows about the site: the
// languages it speaks, the desks that may receive questions, the translated
// messages it answers with, and where the site lives. The site build writes it
// as JSON (see [Data.Marshal]); the function embeds that file and reads it with
// [LoadData].
type Data struct {
	// Site locates the pages the function links to.
	Site Site `json:"site"`
	// Languages are the languages of the site; the first is the default
	// language, used for the e-mail sent to a desk.
	Languages []Language `json:"languages"`
	// Desks are the only possible recipients of a question.
	Desks []Desk `json:"desks"`
	// Messages holds translated texts: language code -> message key -> text.
	// Keys are listed by [MessageKeys]; a missing text falls back to the
	// built-in Italian or English text for those languages, else to English,
	// then Italian.
	Messages map[string]map[string]string `json:"messages,omitempty"`
}

// Site locates the pages of the static site that the function links to.
type Site struct {
	// BaseURL is the public address of the site, such as
	// "https://portale.example.org"; it is named in the e-mail footer.
	BaseURL string `json:"baseURL"`
	// StylesheetURL is the site-relative path of the stylesheet linked from
	// the function's own pages, such as "/assets/site.css". Empty means none.
	StylesheetURL string `json:"stylesheetURL,omitempty"`
	// SentPath is the page a person is sent to after a successful submission,
	// with "{lang}" standing for the language code. Empty means
	// "/{lang}/contact/sent/".
	SentPath string `json:"sentPath,omitempty"`
	// FormPath is the contact page linked from error pages, with "{lang}"
	// standing for the language code. Empty means "/{lang}/contact/".
	FormPath string `json:"formPath,omitempty"`
}

// Language is one language of the site.
type Language struct {
	// Code is the language code used in paths and in the form, such as "it".
	Code string `json:"code"`
	// Name is the language's own name for itself, such as "Italiano".
	Name string `json:"name"`
	// Dir is the text direction, "ltr" or "rtl"; empty means "ltr".
	Dir string `json:"dir,omitempty"`
}

// Desk is one office that may receive questions.
type Desk struct {
	// ID is the stable identifier the form sends, such as "bologna-centro".
	ID string `json:"id"`
	// Title is the desk's name in the site's default language.
	Title string `json:"title"`
	// Titles holds the desk's name in other languages, by language code.
	Titles map[string]string `json:"titles,omitempty"`
	// Email is the address questions are delivered to. A desk without one
	// cannot receive questions through the form.
	Email string `json:"email,omitempty"`
	// Phone is shown to a person whose question could not be sent.
	Phone string `json:"phone,omitempty"`
}

// TitleIn returns the desk's name in the language lang, or its default title.
func (d *Desk) TitleIn(lang string) string {
	if t := d.Titles[lang]; t != "" {
		return t
	}
	return d.Title
}

// Default paths, with "{lang}" standing for a language code.
const (
	DefaultSentPath = "/{lang}/contact/sent/"
	DefaultFormPath = "/{lang}/contact/"
)

var (
	deskIDPattern   = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$`)
	langCodePattern = regexp.MustCompile(`^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$`)
	phonePattern    = regexp.MustCompile(`^\+?[0-9][0-9 ./()-]{4,30}$`)
)

// LoadData reads and checks the JSON written by the site build. Unknown keys,
// duplicate desks or languages, malformed addresses and similar mistakes are
// all reported together, each naming the item at fault.
func LoadData(r io.Reader) (*Data, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("contact data: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var d Data
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("contact data: %s", jsonErrorWithLine(raw, err))
	}
	if dec.More() {
		return nil, errors.New("contact data: extra content after the JSON object; the file must hold exactly one object")
	}
	if err := d.validate(); err != nil {
		return nil, err
	}
	return &d, nil
}

// jsonErrorWithLine turns a decoding error into "line N: message" when the
// error carries an offset.
func jsonErrorWithLine(raw []byte, err error) string {
	var offset int64 = -1
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		offset = syn.Offset
	case errors.As(err, &typ):
		offset = typ.Offset
	}
	if offset < 0 || offset > int64(len(raw)) {
		return err.Error()
	}
	line := 1 + bytes.Count(raw[:offset], []byte("\n"))
	return fmt.Sprintf("line %d: %v", line, err)
}

func (d *Data) validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("contact data: "+format, args...))
	}

	if d.Site.BaseURL != "" && !strings.HasPrefix(d.Site.BaseURL, "https://") && !strings.HasPrefix(d.Site.BaseURL, "http://") {
		bad("site.baseURL %q must start with https:// (or http:// for local tests)", d.Site.BaseURL)
	}
	if s := d.Site.StylesheetURL; s != "" && (!strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//")) {
		bad("site.stylesheetURL %q must be a path on the site starting with a single /, because the function's pages only allow same-origin styles", s)
	}
	for name, p := range map[string]string{"site.sentPath": d.Site.SentPath, "site.formPath": d.Site.FormPath} {
		if p != "" && (!strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || !strings.Contains(p, "{lang}")) {
			bad("%s %q must be a path starting with a single / and containing {lang}", name, p)
		}
	}

	if len(d.Languages) == 0 {
		bad("languages is empty; list at least the site's default language")
	}
	langs := make(map[string]bool)
	for i, l := range d.Languages {
		switch {
		case !langCodePattern.MatchString(l.Code):
			bad("languages[%d].code %q is not a language code such as \"it\" or \"pt-BR\"", i, l.Code)
		case langs[l.Code]:
			bad("languages[%d].code %q is listed twice", i, l.Code)
		}
		langs[l.Code] = true
		if l.Name == "" || !singleLine(l.Name) {
			bad("languages[%d] (%s): name must be one non-empty line", i, l.Code)
		}
		if l.Dir != "" && l.Dir != "ltr" && l.Dir != "rtl" {
			bad("languages[%d] (%s): dir %q must be \"ltr\" or \"rtl\"", i, l.Code, l.Dir)
		}
	}

	ids := make(map[string]bool)
	for i, desk := range d.Desks {
		where := fmt.Sprintf("desks[%d] (%s)", i, desk.ID)
		switch {
		case !deskIDPattern.MatchString(desk.ID):
			bad("desks[%d].id %q must be lower-case letters, digits and inner hyphens, at most 64 characters", i, desk.ID)
		case ids[desk.ID]:
			bad("%s: id is listed twice", where)
		}
		ids[desk.ID] = true
		if desk.Title == "" || !singleLine(desk.Title) || utf8.RuneCountInString(desk.Title) > 200 {
			bad("%s: title must be one non-empty line of at most 200 characters", where)
		}
		for lang, t := range desk.Titles {
			if !langs[lang] {
				bad("%s: titles has language %q, which is not in languages", where, lang)
			}
			if t == "" || !singleLine(t) || utf8.RuneCountInString(t) > 200 {
				bad("%s: titles[%s] must be one non-empty line of at most 200 characters", where, lang)
			}
		}
		if desk.Email != "" {
			if err := checkBareAddress(desk.Email); err != nil {
				bad("%s: email %q %v", where, desk.Email, err)
			}
		}
		if desk.Phone != "" && !phonePattern.MatchString(desk.Phone) {
			bad("%s: phone %q must be digits with optional leading + and spaces, dots, hyphens or brackets", where, desk.Phone)
		}
	}

	for lang, msgs := range d.Messages {
		if !langs[lang] {
			bad("messages has language %q, which is not in languages", lang)
		}
		for key, text := range msgs {
			if _, ok := defaultMessages[key]; !ok {
				bad("messages[%s] has unknown key %q; the known keys are listed by contact.MessageKeys", lang, key)
			}
			if !utf8.ValidString(text) {
				bad("messages[%s][%s] is not valid UTF-8", lang, key)
				continue
			}
			if def, ok := defaultMessages[key]; ok {
				if got, want := placeholders(text), placeholders(def.EN); got != want {
					bad("messages[%s][%s] has placeholders [%s], want [%s] as in the default text", lang, key, got, want)
				}
			}
		}
	}
	return errors.Join(errs...)
}

var placeholderPattern = regexp.MustCompile(`\{[a-z]+\}`)

// placeholders lists the {name} placeholders of a text, sorted.
func placeholders(text string) string {
	p := placeholderPattern.FindAllString(text, -1)
	slices.Sort(p)
	return strings.Join(p, " ")
}

// checkBareAddress accepts a plain "user@domain" address and nothing else:
// no display name, no comments, no control characters.
func checkBareAddress(s string) error {
	if !singleLine(s) {
		return errors.New("contains a control character")
	}
	a, err := mail.ParseAddress(s)
	if err != nil {
		return fmt.Errorf("is not an e-mail address: %w", err)
	}
	if a.Name != "" || a.Address != s {
		return errors.New("must be a bare address such as desk@example.org, without a name or brackets")
	}
	return nil
}

// singleLine reports whether s is valid UTF-8 without control characters or
// Unicode line and paragraph separators.
func singleLine(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return false
		}
	}
	return true
}

// Marshal returns the data as indented JSON. The output depends only on the
// data (map keys are sorted, slices keep their order), so a rebuild from the
// same content produces the same bytes.
func (d *Data) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("contact data: %w", err)
	}
	return append(b, '\n'), nil
}

// desk returns the desk with the given id, or nil.
func (d *Data) desk(id string) *Desk {
	for i := range d.Desks {
		if d.Desks[i].ID == id {
			return &d.Desks[i]
		}
	}
	return nil
}

// language returns the language with the given code, or nil.
func (d *Data) language(code string) *Language {
	for i := range d.Languages {
		if d.Languages[i].Code == code {
			return &d.Languages[i]
		}
	}
	return nil
}
