package contact

import (
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Form is a submission after decoding and cleaning, before it is checked
// against the site data. Every field is valid UTF-8 in NFC, without bidi
// override characters, and within its length limit.
type Form struct {
	Name     string // the person's name (optional)
	Reply    string // e-mail address or phone number for the answer
	Lang     string // language the person wants the answer in
	UI       string // language of the page the form was on (optional)
	Desk     string // desk id
	Topic    string // one of Topics
	Question string // the question; the only multi-line field
	Consent  string // "yes" when the privacy notice was accepted
	Website  string // honeypot: people leave it empty
	// Started is the time the form was shown, in Unix milliseconds, set by
	// the page's script in field "t". HasStarted is false when the field
	// was absent, as it is without JavaScript.
	Started    int64
	HasStarted bool
}

// FieldError is one problem with a submission. Field is the form field at
// fault, or empty when the problem concerns the whole form. Key is the
// message key of the explanation, and Args are extra placeholder pairs for it.
type FieldError struct {
	Field string
	Key   string
	Args  []string
}

// Limits of each field, in characters (runes) after cleaning.
var fieldLimits = map[string]int{
	"name":     100,
	"reply":    254,
	"lang":     16,
	"ui":       16,
	"desk":     64,
	"topic":    32,
	"question": 5000,
	"consent":  8,
	"website":  200,
	"t":        20,
}

// formFields lists the fields ParseForm reads, in the order errors are shown.
var formFields = []string{"name", "reply", "lang", "ui", "desk", "topic", "question", "consent", "website", "t"}

// ParseForm decodes an application/x-www-form-urlencoded body and cleans
// every field it knows; other fields are ignored. A damaged body (bad
// escaping, invalid UTF-8, an unparsable time stamp) yields a single
// whole-form error. Otherwise each field that is repeated, too long, or
// carries a line break or control character where none may be yields an
// error naming that field. ParseForm does not check values against the site
// data, and never panics.
func ParseForm(body []byte) (Form, []FieldError) {
	var f Form
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return f, []FieldError{{Key: "contact.error.malformed"}}
	}
	var errs []FieldError
	clean := make(map[string]string, len(formFields))
	for _, field := range formFields {
		vs, ok := values[field]
		if !ok {
			continue
		}
		if len(vs) > 1 {
			errs = append(errs, FieldError{Field: field, Key: "contact.error.repeated"})
			continue
		}
		v := vs[0]
		if !utf8.ValidString(v) {
			return Form{}, []FieldError{{Key: "contact.error.encoding"}}
		}
		v = stripBidiControls(v)
		if field == "question" {
			v = strings.ReplaceAll(v, "\r\n", "\n")
			v = strings.ReplaceAll(v, "\r", "\n")
			if strings.ContainsFunc(v, func(r rune) bool {
				return r != '\n' && r != '\t' && unicode.IsControl(r)
			}) {
				errs = append(errs, FieldError{Field: field, Key: "contact.error.control"})
				continue
			}
		} else if !singleLine(v) {
			errs = append(errs, FieldError{Field: field, Key: "contact.error.single_line"})
			continue
		}
		v = strings.TrimSpace(norm.NFC.String(v))
		if limit := fieldLimits[field]; utf8.RuneCountInString(v) > limit {
			errs = append(errs, FieldError{Field: field, Key: "contact.error.too_long", Args: []string{"{max}", strconv.Itoa(limit)}})
			continue
		}
		clean[field] = v
	}
	f = Form{
		Name: clean["name"], Reply: clean["reply"], Lang: clean["lang"], UI: clean["ui"],
		Desk: clean["desk"], Topic: clean["topic"], Question: clean["question"],
		Consent: clean["consent"], Website: clean["website"],
	}
	if t, ok := clean["t"]; ok && t != "" {
		ms, err := strconv.ParseInt(t, 10, 64)
		if err != nil || ms < 0 {
			return Form{}, []FieldError{{Key: "contact.error.malformed"}}
		}
		f.Started, f.HasStarted = ms, true
	}
	return f, errs
}

// stripBidiControls removes the Unicode characters that override or isolate
// text direction (U+202A–U+202E, U+2066–U+2069), which can make a displayed
// text read differently from what it contains.
func stripBidiControls(s string) string {
	if !strings.ContainsFunc(s, isBidiControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isBidiControl(r) {
			return -1
		}
		return r
	}, s)
}

func isBidiControl(r rune) bool {
	return (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}

// replyKind tells how the person wants to be answered.
type replyKind int

const (
	replyInvalid replyKind = iota
	replyEmail
	replyPhone
)

// classifyReply recognises an e-mail address (returned bare, re-serialised
// by net/mail) or a phone number.
func classifyReply(s string) (replyKind, string) {
	if strings.Contains(s, "@") {
		a, err := mail.ParseAddress(s)
		if err != nil || !strings.Contains(a.Address, "@") || !singleLine(a.Address) {
			return replyInvalid, ""
		}
		return replyEmail, a.Address
	}
	digits := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	if digits >= 6 && digits <= 20 && phonePattern.MatchString(s) {
		return replyPhone, s
	}
	return replyInvalid, ""
}

// check checks a cleaned form against the site data and returns every
// problem, in form order.
func (d *Data) check(f *Form) []FieldError {
	var errs []FieldError
	required := func(field, v string) bool {
		if v == "" {
			errs = append(errs, FieldError{Field: field, Key: "contact.error.required"})
			return false
		}
		return true
	}
	// The name is optional: a person may ask without giving it.
	if required("reply", f.Reply) {
		if k, _ := classifyReply(f.Reply); k == replyInvalid {
			errs = append(errs, FieldError{Field: "reply", Key: "contact.error.reply"})
		}
	}
	if required("lang", f.Lang) && d.language(f.Lang) == nil {
		errs = append(errs, FieldError{Field: "lang", Key: "contact.error.unknown_lang"})
	}
	if required("desk", f.Desk) {
		switch desk := d.desk(f.Desk); {
		case desk == nil:
			errs = append(errs, FieldError{Field: "desk", Key: "contact.error.unknown_desk"})
		case desk.Email == "":
			errs = append(errs, FieldError{Field: "desk", Key: "contact.error.desk_no_email"})
		}
	}
	if required("topic", f.Topic) && !slices.Contains(Topics, f.Topic) {
		errs = append(errs, FieldError{Field: "topic", Key: "contact.error.unknown_topic"})
	}
	required("question", f.Question)
	if f.Consent != "yes" {
		errs = append(errs, FieldError{Field: "consent", Key: "contact.error.consent"})
	}
	return errs
}
