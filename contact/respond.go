package contact

import (
	"bytes"
	"encoding/json"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"
)

// errorPage is the page shown without JavaScript when a question was not
// sent. It links only an external same-origin stylesheet: no inline style or
// script, to satisfy the function's Content-Security-Policy.
// A text whose translation is missing is shown in the fallback language
// and marked with its own lang attribute, so that screen readers pronounce
// it correctly.
var errorPage = template.Must(template.New("error").Parse(`{{define "t"}}{{if .Lang}}<span lang="{{.Lang}}" dir="{{.Dir}}">{{.Text}}</span>{{else}}{{.Text}}{{end}}{{end -}}
<!DOCTYPE html>
<html lang="{{.Lang}}" dir="{{.Dir}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Title.Text}}</title>
{{with .Stylesheet}}<link rel="stylesheet" href="{{.}}">
{{end}}</head>
<body>
<main class="contact-result">
<h1>{{template "t" .Title}}</h1>
{{with .Intro}}<p>{{template "t" .}}</p>
{{end}}<ul class="contact-errors">
{{range .Errors}}<li>{{template "t" .}}</li>
{{end}}</ul>
{{with .Alternatives}}<p>{{template "t" $.AltIntro}}</p>
<ul class="contact-alternatives">
{{range .}}<li><a href="{{.Href}}">{{template "t" .Text}}</a></li>
{{end}}</ul>
{{end}}<p><a href="{{.Back}}">{{template "t" .BackText}}</a></p>
<p>{{template "t" .BackHint}}</p>
</main>
</body>
</html>
`))

type pageData struct {
	Lang, Dir, Stylesheet, Back string
	Title, AltIntro             localText
	Intro                       *localText
	BackText, BackHint          localText
	Errors                      []localText
	Alternatives                []alternative
}

// localText is a text for the page; Lang and Dir are set only when the text
// is not in the page's language.
type localText struct {
	Text, Lang, Dir string
}

// alternative is another way to reach a desk. Href is built from the
// validated site data only.
type alternative struct {
	Text localText
	Href template.URL
}

// local returns the text for key in the page language lang, marked with its
// own language when it is a fallback.
func (h *handler) local(lang, key string, args ...string) localText {
	s, in := h.data.textLang(lang, key, args...)
	return h.mark(lang, s, in)
}

func (h *handler) mark(lang, s, in string) localText {
	t := localText{Text: s}
	if in != lang {
		t.Lang, t.Dir = in, "ltr"
		if l := h.data.language(in); l != nil && l.Dir == "rtl" {
			t.Dir = "rtl"
		}
	}
	return t
}

type jsonError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

type jsonAnswer struct {
	OK           bool        `json:"ok"`
	Message      string      `json:"message,omitempty"`
	Redirect     string      `json:"redirect,omitempty"`
	Errors       []jsonError `json:"errors,omitempty"`
	Alternatives []string    `json:"alternatives,omitempty"`
}

// wantsJSON reports whether the page's script sent the form.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// localPath fills "{lang}" in a site path pattern.
func localPath(pattern, fallback, lang string) string {
	if pattern == "" {
		pattern = fallback
	}
	return strings.ReplaceAll(pattern, "{lang}", lang)
}

// message renders one error in language lang.
func (h *handler) message(lang string, e FieldError, res *result) localText {
	args := append([]string{}, e.Args...)
	if e.Field != "" {
		args = append(args, "{field}", h.data.text(lang, "contact.field."+e.Field))
	}
	if res.retryAfter > 0 {
		args = append(args, "{minutes}", strconv.Itoa(int(math.Ceil(res.retryAfter.Minutes()))))
	}
	s, in := h.data.textLang(lang, e.Key, args...)
	return h.mark(lang, s, in)
}

func (h *handler) alternatives(lang string, d *Desk) []alternative {
	if d == nil {
		return nil
	}
	var alts []alternative
	if d.Phone != "" {
		tel := strings.Map(func(r rune) rune {
			if r == '+' || (r >= '0' && r <= '9') {
				return r
			}
			return -1
		}, d.Phone)
		alts = append(alts, alternative{h.local(lang, "contact.page.phone", "{phone}", d.Phone), template.URL("tel:" + tel)})
	}
	if d.Email != "" {
		alts = append(alts, alternative{h.local(lang, "contact.page.email", "{email}", d.Email), template.URL("mailto:" + d.Email)})
	}
	return alts
}

func (h *handler) respond(w http.ResponseWriter, r *http.Request, res result) {
	lang := res.lang
	sent := localPath(h.data.Site.SentPath, DefaultSentPath, lang)
	if res.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(res.retryAfter.Seconds()))))
	}
	msgs := make([]localText, len(res.errs))
	for i, e := range res.errs {
		msgs[i] = h.message(lang, e, &res)
	}
	alts := h.alternatives(lang, res.desk)

	if wantsJSON(r) {
		ans := jsonAnswer{OK: res.status == http.StatusSeeOther}
		status := res.status
		if ans.OK {
			status = http.StatusOK
			ans.Redirect = sent
			ans.Message = h.data.text(lang, "contact.page.sent")
		} else {
			ans.Message = h.data.text(lang, "contact.page.error_title")
			ans.Errors = make([]jsonError, len(res.errs))
			for i, e := range res.errs {
				ans.Errors[i] = jsonError{Field: e.Field, Message: msgs[i].Text}
			}
			if len(alts) > 0 {
				ans.Alternatives = append(ans.Alternatives, h.data.text(lang, "contact.page.alternatives"))
				for _, a := range alts {
					ans.Alternatives = append(ans.Alternatives, a.Text.Text)
				}
			}
		}
		b, _ := json.Marshal(ans) // plain strings and bools cannot fail
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		w.Write(b)
		return
	}

	if res.status == http.StatusSeeOther {
		w.Header().Set("Location", sent)
		w.WriteHeader(http.StatusSeeOther)
		return
	}
	p := pageData{
		Lang:       lang,
		Dir:        "ltr",
		Title:      h.local(lang, "contact.page.error_title"),
		Stylesheet: h.data.Site.StylesheetURL,
		Errors:     msgs,
		Back:       localPath(h.data.Site.FormPath, DefaultFormPath, lang),
		BackText:   h.local(lang, "contact.page.back"),
		BackHint:   h.local(lang, "contact.page.back_hint"),
	}
	if l := h.data.language(lang); l != nil && l.Dir == "rtl" {
		p.Dir = "rtl"
	}
	if res.status == http.StatusBadRequest && res.errs[0].Field != "" {
		intro := h.local(lang, "contact.page.error_intro")
		p.Intro = &intro
	}
	if len(alts) > 0 {
		p.AltIntro = h.local(lang, "contact.page.alternatives")
		p.Alternatives = alts
	}
	var buf bytes.Buffer
	if err := errorPage.Execute(&buf, p); err != nil {
		// The template and its data are ours; this is a programming error.
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(res.status)
	w.Write(buf.Bytes())
}
