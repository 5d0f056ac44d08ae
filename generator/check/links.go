package check

import (
	"net"
	"net/mail"
	"net/url"
	"strings"
	"unicode"

	"portal/generator"
	"portal/generator/content"
	"portal/generator/diag"
	"portal/generator/markdown"
)

// vague lists, per language, link texts that say nothing about where the
// link leads. Screen readers list a page's links by their text alone, and
// on a phone the surrounding sentence is often off screen.
var vague = map[string][]string{
	"it": {"qui", "qua", "clicca qui", "clicca qua", "clicca", "cliccate qui", "premi qui", "clicca su questo link", "questo link", "link", "leggi qui", "vedi qui", "di più", "leggi di più"},
	"en": {"here", "click here", "click", "this link", "link", "read more", "more", "this page", "click this link"},
	"fr": {"ici", "cliquez ici", "clique ici", "cliquer ici", "ce lien", "lien", "en savoir plus", "plus"},
	"es": {"aquí", "aqui", "haga clic aquí", "haz clic aquí", "pulse aquí", "pincha aquí", "este enlace", "enlace", "más", "leer más"},
	"ar": {"هنا", "اضغط هنا", "انقر هنا", "هذا الرابط", "رابط"},
	"zh": {"这里", "此处", "点击这里", "点击此处", "点此", "链接", "这个链接"},
	"uk": {"тут", "натисніть тут", "клікніть тут", "посилання", "це посилання"},
	"ro": {"aici", "click aici", "clic aici", "apăsați aici", "faceți clic aici", "acest link", "link"},
	"sq": {"këtu", "kliko këtu", "klikoni këtu", "kjo lidhje", "lidhje"},
	"bn": {"এখানে", "এখানে ক্লিক করুন", "লিংক", "লিঙ্ক"},
	"ur": {"یہاں", "یہاں کلک کریں", "لنک"},
}

// isVague reports whether text, in lang, is one of the vague link texts.
func isVague(lang, text string) bool {
	t := strings.ToLower(strings.TrimFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r)
	}))
	t = strings.Join(strings.Fields(t), " ")
	for _, v := range vague[lang] {
		if t == v {
			return true
		}
	}
	return false
}

// links checks the links and images of one text.
func links(a *generator.Analysis, p *content.Page, res *markdown.Result) diag.List {
	var out diag.List
	for _, l := range res.Links {
		text := strings.TrimSpace(l.Text)
		switch {
		case l.Image && text == "":
			out = append(out, at(p, l.Line, l.Col, diag.Error,
				"the image %q has no description: write what it shows between the brackets, like ![Modulo F23 compilato](%s), for readers who cannot see it", l.Dest, l.Dest))
		case !l.Image && text == "" && l.Dest != "":
			out = append(out, at(p, l.Line, l.Col, diag.Error,
				"the link to %q has no text, so nobody can see or hear where it leads: write it between the brackets, [like this](%s)", l.Dest, l.Dest))
		case !l.Image && isVague(p.Lang, text):
			out = append(out, at(p, l.Line, l.Col, diag.Warning,
				"the link text %q does not say where the link leads (screen readers list links by their text alone): use the name of the page, like [rinnovo del permesso](...)", text))
		}
		switch l.Kind {
		case markdown.Content:
			out = append(out, draftLink(a, p, l)...)
		case markdown.External:
			if msg, sev := externalSyntax(l.Dest); msg != "" {
				out = append(out, at(p, l.Line, l.Col, sev, "%s", msg))
			}
		}
	}
	return out
}

// draftLink reports a link from a published page to a page that exists
// only as a draft: the build leaves drafts out, so the link would break.
func draftLink(a *generator.Analysis, p *content.Page, l markdown.Link) diag.List {
	if p.Meta.Draft {
		return nil
	}
	key, forced := targetKey(a, l.Target)
	g := a.Site.ByKey[key]
	if g == nil {
		return nil // a broken link: the analysis reports it
	}
	var draft *content.Page
	if forced != "" {
		if t := g.ByLang[forced]; t != nil && t.Meta.Draft {
			draft = t
		}
	} else {
		published := false
		for _, t := range g.ByLang {
			if !t.Meta.Draft {
				published = true
				break
			}
			if draft == nil || t.Path < draft.Path {
				draft = t
			}
		}
		if published {
			draft = nil
		}
	}
	if draft == nil {
		return nil
	}
	return diag.List{at(p, l.Line, l.Col, diag.Error,
		"the link %q points to a draft (%s has \"draft: true\"): drafts are not published, so the link would be broken; publish that page first or remove the link", l.Dest, draft.Path)}
}

// externalSyntax checks what the Markdown renderer leaves alone in an
// external address: a host that cannot exist, plain http, a malformed
// e-mail address or phone number. It returns "" when the address is fine.
func externalSyntax(dest string) (string, diag.Severity) {
	scheme, rest, _ := strings.Cut(dest, ":")
	switch strings.ToLower(scheme) {
	case "http", "https":
		u, err := url.Parse(dest)
		if err != nil || u.Host == "" {
			return "", 0 // the renderer reports it
		}
		host := u.Hostname()
		if msg := hostProblem(host); msg != "" {
			return msg, diag.Error
		}
		if strings.EqualFold(scheme, "http") {
			return "the address " + quote(dest) + " uses http://, which is not encrypted: check whether the site works with https:// and use that", diag.Warning
		}
	case "mailto":
		addr, _, _ := strings.Cut(rest, "?")
		if uq, err := url.PathUnescape(addr); err == nil {
			addr = uq
		}
		if m, err := mail.ParseAddress(addr); err != nil || m.Address != addr || !strings.Contains(addr[strings.LastIndexByte(addr, '@')+1:], ".") {
			return quote(dest) + " is not a valid e-mail link: write mailto: followed by the bare address, like mailto:ufficio.stranieri@comune.example.it", diag.Error
		}
	case "tel":
		digits := 0
		for i, r := range rest {
			switch {
			case r >= '0' && r <= '9':
				digits++
			case r == '+' && i == 0, r == ' ', r == '-', r == '.', r == '(', r == ')':
			default:
				return quote(dest) + " is not a valid phone link: write tel: followed by the number with its prefix, digits only, like tel:+390212345678", diag.Error
			}
		}
		if digits < 3 || digits > 15 {
			return quote(dest) + " is not a valid phone link: write tel: followed by the number with its prefix, digits only, like tel:+390212345678", diag.Error
		}
	}
	return "", 0
}

func hostProblem(host string) string {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return "the address points to " + host + ", which is the reader's own computer: use the public address of the page"
	}
	if ip := net.ParseIP(host); ip != nil {
		if ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() || ip.IsLinkLocalUnicast() {
			return "the address points to " + host + ", a private network address readers cannot reach: use the public address of the page"
		}
		return ""
	}
	labels := strings.Split(strings.TrimSuffix(host, "."), ".")
	if len(labels) < 2 {
		return "the host " + quote(host) + " has no domain ending (like .it or .gov.it): copy the full address from the browser"
	}
	for _, lb := range labels {
		if lb == "" || strings.HasPrefix(lb, "-") || strings.HasSuffix(lb, "-") {
			return "the host " + quote(host) + " is not a valid name: copy the full address from the browser"
		}
		for _, r := range lb {
			if !(r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
				return "the host " + quote(host) + " is not a valid name: copy the full address from the browser"
			}
		}
	}
	tld := labels[len(labels)-1]
	for _, r := range tld {
		if unicode.IsDigit(r) {
			return "the host " + quote(host) + " has no valid domain ending (like .it or .gov.it): copy the full address from the browser"
		}
	}
	return ""
}

func quote(s string) string { return "\"" + s + "\"" }
