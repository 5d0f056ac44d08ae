package desk

import (
	"strings"
)

// EmbedURL is the URL of the embed page in lang; Italian is at the root
// so that partners can write one address and pick the language with ?lang=.
func EmbedURL(lang string) string {
	if lang == Source {
		return "/embed/desks/"
	}
	return "/embed/desks/" + lang + "/"
}

type embedView struct {
	*listView
	CSS, JS, Home, LangCodes string
}

// EmbedPages returns the standalone embed pages, one per language:
// /embed/desks/index.html (Italian) and /embed/desks/<lang>/index.html.
// They list every desk (so they work without JavaScript); desks.js reads
// ?municipality=, ?service= and ?lang= (switching to that language's page)
// and tells the parent page its height with postMessage so that embed.js
// can size the iframe.
func (d *Directory) EmbedPages(env Env) ([]EmbedPage, error) {
	var out []EmbedPage
	langs := env.Langs()
	for _, lang := range langs {
		r, err := d.renderer(lang, env)
		if err != nil {
			return nil, err
		}
		base := strings.TrimSuffix(env.BaseURL(), "/")
		r.base = base // embeds link back to the portal from other sites
		lv, err := r.list(d.Desks, "", "")
		if err != nil {
			return nil, err
		}
		lv.Embed = true
		v := embedView{listView: lv, CSS: env.Asset("css/embed.css"), JS: env.Asset("js/desks.js"),
			Home: base + ListURL(lang), LangCodes: strings.Join(langs, " ")}
		body, err := r.exec("desk-embed", v)
		if err != nil {
			return nil, err
		}
		out = append(out, EmbedPage{URL: EmbedURL(lang) + "index.html", Body: []byte(body)})
	}
	return out, nil
}
