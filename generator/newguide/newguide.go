package newguide

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"portal/generator/content"
	"portal/generator/i18n"
	"portal/generator/markdown"
	"portal/generator/meta"
)

// Options say which guide to start.
type Options struct {
	Content string // content folder ("content" by default)
	Topic   string // one of content.Topics
	Slug    string // Italian file name: lower-case ASCII letters, digits, hyphens
	Lang    string // language of the new file ("it" by default)
	// From is the language of the text to translate ("" for a new
	// guide; only "it" is accepted, as every translation follows the
	// Italian text).
	From string
	// Langs are the site languages (Lang must be one of them); nil
	// accepts any two- or three-letter code.
	Langs []string
	Today time.Time // the reviewed date of the new file (today by default)
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// ErrExists is returned when the file to create is already there.
var ErrExists = errors.New("the file already exists")

// Create writes the new guide or translation skeleton and returns its path.
// It never overwrites a file.
func Create(opt Options) (string, error) {
	if opt.Content == "" {
		opt.Content = "content"
	}
	if opt.Lang == "" {
		opt.Lang = i18n.Source
	}
	if opt.Today.IsZero() {
		opt.Today = time.Now()
	}
	if !slices.Contains(content.Topics, opt.Topic) {
		msg := fmt.Sprintf("%q is not a guide topic (topics: %s)", opt.Topic, strings.Join(content.Topics, ", "))
		if s := meta.Suggest(opt.Topic, content.Topics); s != "" {
			msg += fmt.Sprintf(": did you mean %q?", s)
		}
		return "", errors.New(msg)
	}
	if !slugRE.MatchString(opt.Slug) {
		return "", fmt.Errorf("%q is not a valid guide name: use lower-case letters, digits and hyphens, in Italian, like rinnovo-permesso", opt.Slug)
	}
	if opt.Langs != nil && !slices.Contains(opt.Langs, opt.Lang) {
		return "", fmt.Errorf("%q is not a site language (%s)", opt.Lang, strings.Join(opt.Langs, ", "))
	}
	dir := filepath.Join(opt.Content, "guides", opt.Topic)
	file := filepath.Join(dir, opt.Slug+"."+opt.Lang+".md")
	var data []byte
	switch opt.From {
	case "":
		data = fresh(opt)
	case i18n.Source:
		if opt.Lang == i18n.Source {
			return "", fmt.Errorf("--from it makes a translation of the Italian text: give the language of the translation with --lang")
		}
		srcRel := path.Join("guides", opt.Topic, opt.Slug+"."+i18n.Source+".md")
		srcPath := filepath.Join(opt.Content, filepath.FromSlash(srcRel))
		src, err := os.ReadFile(srcPath)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return "", fmt.Errorf("there is no Italian text to translate (%s): write it first, or check the topic and name", filepath.ToSlash(srcPath))
			}
			return "", err
		}
		data, err = skeleton(opt, srcRel, filepath.ToSlash(srcPath), src)
		if err != nil {
			return "", err
		}
	default:
		return "", fmt.Errorf("--from %s: translations are made from the Italian text, so use --from it", opt.From)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("%s: %w; edit it instead, or choose another name", filepath.ToSlash(file), ErrExists)
		}
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return "", err
	}
	return filepath.ToSlash(file), f.Close()
}

// outline is the suggested structure of a guide in one language. Section
// ids are the Italian ones in every language, so links to them work from
// every translation.
type outline struct {
	Title, Description, Source, Intro string
	Need, NeedItem                    string
	Steps, StepItem                   string
	Watch, WatchText                  string
}

var outlines = map[string]outline{
	"it": {
		Title:       "TODO: titolo della guida",
		Description: "TODO: una o due frasi semplici che riassumono la guida (massimo 200 caratteri).",
		Source:      "TODO: legge e articolo, per esempio D.Lgs. 286/1998, art. 5",
		Intro:       "TODO: introduzione in 2-4 frasi: a chi serve questa guida e che cosa permette di fare.",
		Need:        "Cosa serve", NeedItem: "TODO: primo documento",
		Steps: "Come fare", StepItem: "TODO: primo passo",
		Watch: "Attenzione", WatchText: "TODO: cose a cui fare attenzione: scadenze, regole cambiate di recente, differenze per nazionalità.",
	},
	"en": {
		Title:       "TODO: title of the guide",
		Description: "TODO: one or two plain sentences summing up the guide (200 characters at most).",
		Source:      "TODO: law and article, for example D.Lgs. 286/1998, art. 5",
		Intro:       "TODO: introduction in 2-4 sentences: who this guide is for and what it helps to do.",
		Need:        "What you need", NeedItem: "TODO: first document",
		Steps: "How to do it", StepItem: "TODO: first step",
		Watch: "Watch out", WatchText: "TODO: things to watch out for: deadlines, rules changed recently, differences by nationality.",
	},
	"fr": {
		Title:       "TODO: titre du guide",
		Description: "TODO: une ou deux phrases simples qui résument le guide (200 caractères au plus).",
		Source:      "TODO: loi et article, par exemple D.Lgs. 286/1998, art. 5",
		Intro:       "TODO: introduction en 2 à 4 phrases : à qui sert ce guide et ce qu'il permet de faire.",
		Need:        "Ce qu'il faut", NeedItem: "TODO: premier document",
		Steps: "Comment faire", StepItem: "TODO: première étape",
		Watch: "Attention", WatchText: "TODO: points d'attention : délais, règles changées récemment, différences selon la nationalité.",
	},
	"es": {
		Title:       "TODO: título de la guía",
		Description: "TODO: una o dos frases sencillas que resumen la guía (200 caracteres como máximo).",
		Source:      "TODO: ley y artículo, por ejemplo D.Lgs. 286/1998, art. 5",
		Intro:       "TODO: introducción en 2-4 frases: a quién sirve esta guía y qué permite hacer.",
		Need:        "Qué necesitas", NeedItem: "TODO: primer documento",
		Steps: "Cómo hacerlo", StepItem: "TODO: primer paso",
		Watch: "Atención", WatchText: "TODO: cosas a tener en cuenta: plazos, normas cambiadas hace poco, diferencias según la nacionalidad.",
	},
}

// str writes s as a YAML double-quoted scalar (a JSON string is one).
func str(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

func list(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = str(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// fresh returns a new guide with every required field and the outline.
func fresh(opt Options) []byte {
	o, ok := outlines[opt.Lang]
	if !ok {
		o = outlines["en"]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %s\ndescription: %s\nreviewed: %s\n", str(o.Title), str(o.Description), opt.Today.Format(time.DateOnly))
	b.WriteString("tags: []\nservices: []\nweight: 100\n")
	fmt.Fprintf(&b, "sources:\n  - text: %s\n    url: \"\"\n", str(o.Source))
	b.WriteString("draft: true\n---\n")
	fmt.Fprintf(&b, "%s\n\n## %s {#cosa-serve}\n\n- [ ] %s\n\n## %s {#come-fare}\n\n1. %s\n\n## %s {#attenzione}\n\n%s\n",
		o.Intro, o.Need, o.NeedItem, o.Steps, o.StepItem, o.Watch, o.WatchText)
	return []byte(b.String())
}

var (
	atxRE    = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	refDefRE = regexp.MustCompile(`^ {0,3}\[[^\]]+\]:`)
	breakRE  = regexp.MustCompile(`^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$`)
	idRE     = regexp.MustCompile(`[ \t]*\{#([^}\s]+)\}[ \t]*$`)
	setextRE = regexp.MustCompile(`^ {0,3}(=+|-+)[ \t]*$`)
	itemRE   = regexp.MustCompile(`^(\s*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?)(.*)$`)
	quoteRE  = regexp.MustCompile(`^(\s*>[ \t]?)(.*)$`)
	fenceRE  = regexp.MustCompile("^\\s*(```|~~~)")
	tableRE  = regexp.MustCompile(`^\s*\|`)
)

// skeleton returns a translation skeleton of the Italian guide src (at
// srcRel under the content root): the same front-matter facts (sources,
// services, weight), translation_of, draft: true, and the Italian body
// with the same headings, {#id}s, links, lists and tables, each block
// starting with a TODO marker so the translator (and portal check) can
// see what is left.
func skeleton(opt Options, srcRel, srcPath string, src []byte) ([]byte, error) {
	s, err := meta.Parse(srcPath, src)
	if err != nil {
		return nil, err
	}
	var m content.Meta
	if err := s.Decode(&m); err != nil {
		return nil, fmt.Errorf("the Italian text has errors; fix them first:\n%w", err)
	}
	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %s\n", str("TODO: "+m.Title))
	fmt.Fprintf(&b, "description: %s\n", str("TODO: "+m.Description))
	fmt.Fprintf(&b, "reviewed: %s\n", opt.Today.Format(time.DateOnly))
	fmt.Fprintf(&b, "translation_of: %s\n", str(srcRel))
	if len(m.Tags) > 0 {
		fmt.Fprintf(&b, "# TODO: translate the Italian tags: %s\ntags: []\n", strings.Join(m.Tags, ", "))
	}
	if len(m.Services) > 0 {
		fmt.Fprintf(&b, "services: %s\n", list(m.Services))
	}
	if m.Weight != 0 {
		fmt.Fprintf(&b, "weight: %d\n", m.Weight)
	}
	if len(m.Sources) > 0 {
		b.WriteString("sources:\n")
		for _, sr := range m.Sources {
			fmt.Fprintf(&b, "  - text: %s\n", str(sr.Text))
			if sr.URL != "" {
				fmt.Fprintf(&b, "    url: %s\n", str(sr.URL))
			}
		}
	}
	b.WriteString("draft: true\n---\n")

	// The renderer gives the automatic ids of headings without {#id};
	// same-page links to them keep working only if the translation
	// carries the Italian id, so those get it written out.
	res, _ := markdown.New(i18n.Source).Render(markdown.Doc{Path: srcPath, Rel: srcRel, Body: s.Body, BodyLine: 1})
	linked := map[string]bool{}
	for _, l := range res.Links {
		if l.Kind == markdown.SamePage {
			linked[l.Anchor] = true
		}
	}
	headingAt := map[int]markdown.Heading{}
	for _, h := range res.Headings {
		headingAt[h.Line] = h
	}
	fmt.Fprintf(&b, "TODO: translate each part marked TODO from the Italian text (%s), keep every link and {#id} as they are, then delete the TODO markers and the line \"draft: true\".\n\n", srcPath)
	body := markBody(string(s.Body), headingAt, linked)
	// The markers must not change the structure (a marker can turn an
	// unusual construct into plain text): if the skeleton does not have
	// the Italian headings and links, keep the Italian body unmarked; the
	// TODO line above still flags the file.
	check, _ := markdown.New(i18n.Source).Render(markdown.Doc{Path: srcPath, Rel: srcRel, Body: []byte(body), BodyLine: 1})
	if !sameShape(res, check) {
		body = string(s.Body)
	}
	b.WriteString(body)
	return []byte(b.String()), nil
}

// sameShape reports whether two rendered bodies have the same heading
// levels and the same link destinations.
func sameShape(a, b *markdown.Result) bool {
	if len(a.Headings) != len(b.Headings) || len(a.Links) != len(b.Links) {
		return false
	}
	for i := range a.Headings {
		if a.Headings[i].Level != b.Headings[i].Level {
			return false
		}
	}
	for i := range a.Links {
		if a.Links[i].Dest != b.Links[i].Dest {
			return false
		}
	}
	return true
}

// mark puts a TODO marker at the start of a line's text, after the hashes
// of a heading.
func mark(text string) string {
	if mm := atxRE.FindStringSubmatch(text); mm != nil {
		return mm[1] + " TODO: " + mm[2]
	}
	return "TODO: " + text
}

// markBody returns the Italian body with a TODO marker at the start of
// every heading and block; headingAt holds the rendered headings by line
// (1-based in body), linked the ids that same-page links point to.
func markBody(src string, headingAt map[int]markdown.Heading, linked map[string]bool) string {
	var b strings.Builder
	lines := strings.Split(src, "\n")
	if n := len(lines); n > 0 && lines[n-1] == "" {
		lines = lines[:n-1]
	}
	inFence, blockStart := false, true
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if fenceRE.MatchString(line) {
			inFence = !inFence
			b.WriteString(line + "\n")
			blockStart = false
			continue
		}
		if inFence {
			b.WriteString(line + "\n")
			continue
		}
		if strings.TrimSpace(line) == "" {
			b.WriteString("\n")
			blockStart = true
			continue
		}
		level, text, end := 0, "", i
		if mm := atxRE.FindStringSubmatch(line); mm != nil {
			level, text = len(mm[1]), mm[2]
		} else if _, ok := headingAt[i+1]; ok && blockStart {
			// A setext heading: paragraph lines, then === or ---.
			for j := i + 1; j < len(lines) && strings.TrimSpace(lines[j]) != ""; j++ {
				if mm := setextRE.FindStringSubmatch(lines[j]); mm != nil {
					level, end = 2, j
					if mm[1][0] == '=' {
						level = 1
					}
					parts := make([]string, 0, j-i)
					for _, l := range lines[i:j] {
						parts = append(parts, strings.TrimSpace(l))
					}
					text = strings.Join(parts, " ")
					break
				}
				if itemRE.MatchString(lines[j]) || atxRE.MatchString(lines[j]) || fenceRE.MatchString(lines[j]) {
					break
				}
			}
		}
		if level > 0 {
			id := ""
			if mm := idRE.FindStringSubmatch(text); mm != nil {
				text, id = strings.TrimSpace(text[:len(text)-len(mm[0])]), mm[1]
			} else if h, ok := headingAt[i+1]; ok && h.Level == level && linked[h.ID] {
				id = h.ID
			}
			b.WriteString(strings.Repeat("#", level) + " TODO:")
			if text != "" {
				b.WriteString(" " + text)
			}
			if id != "" {
				b.WriteString(" {#" + id + "}")
			}
			b.WriteString("\n")
			i = end
			blockStart = true
			continue
		}
		switch {
		case refDefRE.MatchString(line), breakRE.MatchString(line):
			b.WriteString(line + "\n")
		case tableRE.MatchString(line):
			if blockStart {
				b.WriteString("TODO: translate the table below.\n\n")
			}
			b.WriteString(line + "\n")
		case itemRE.MatchString(line):
			mm := itemRE.FindStringSubmatch(line)
			b.WriteString(mm[1] + mark(mm[2]) + "\n")
		case quoteRE.MatchString(line) && blockStart:
			mm := quoteRE.FindStringSubmatch(line)
			b.WriteString(mm[1] + mark(mm[2]) + "\n")
		case blockStart:
			text := strings.TrimLeft(line, " ")
			b.WriteString(line[:len(line)-len(text)] + "TODO: " + text + "\n")
		default:
			b.WriteString(line + "\n")
		}
		blockStart = false
	}
	return b.String()
}
