package searchquality

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"portal/generator"
	"portal/generator/search"
)

// query is one search a reader types, with the pages that must come back.
type query struct {
	lang string // index searched (the reader's site language)
	q    string
	// want lists pages (URL paths under /<lang>/, without slashes at the
	// ends) that must all be in the top 3; with anyOf set, one of them is
	// enough (for generic queries several guides answer well).
	want    []string
	anyOf   bool
	filters map[string]string
	// known, when set, is a search weakness this query shows: a miss is
	// logged, not failed. Keep these few, and remove the mark once fixed.
	known string
}

// Guides by path.
const (
	rinnovo      = "guides/residence/rinnovo-permesso"
	primo        = "guides/residence/primo-permesso"
	conversione  = "guides/residence/conversione-permesso"
	lungoPeriodo = "guides/residence/permesso-ue-lungo-periodo"
	ricevuta     = "guides/residence/ricevuta-e-attesa"
	residence    = "guides/residence" // topic page "Permesso di soggiorno"
	ricong       = "guides/family/ricongiungimento-familiare"
	coesione     = "guides/family/coesione-familiare"
	motiviFam    = "guides/family/permesso-per-motivi-familiari"
	familiariUE  = "guides/family/familiari-cittadini-ue"
	figli        = "guides/family/figli-minori"
	cittMatr     = "guides/citizenship/cittadinanza-matrimonio"
	cittRes      = "guides/citizenship/cittadinanza-residenza"
	cittNati     = "guides/citizenship/cittadinanza-nati-in-italia"
	giuramento   = "guides/citizenship/giuramento-e-trascrizione"
	lingua       = "guides/citizenship/requisito-lingua"
	apostille    = "guides/consular/legalizzazione-apostille"
	traduzioni   = "guides/consular/traduzioni-giurate"
	passaporto   = "guides/consular/passaporto"
	codFiscale   = "guides/services/codice-fiscale"
	anagrafe     = "guides/services/iscrizione-anagrafica"
	scuola       = "guides/services/iscrizione-scuola"
	ssn          = "guides/services/iscrizione-ssn"
	datore       = "guides/services/lavoro-obblighi-datore"
	nullaOsta    = "guides/entry/nulla-osta-lavoro"
	visto        = "guides/entry/visto-ingresso"
	studio       = "guides/entry/ingresso-studio"
	ospitalita   = "guides/entry/comunicazione-ospitalita"
	presenza     = "guides/entry/dichiarazione-presenza"
	deskCuneo    = "desks/cuneo-sportello-immigrati-respi"
)

// permitPages answer a reader who types only "permesso di soggiorno".
var permitPages = []string{residence, rinnovo, primo, conversione, lungoPeriodo, ricevuta, motiviFam}

// Desks without a translation are indexed as Italian text, with their
// service names in the reader's language stemmed as Italian, which leaves
// "renovacion", "reagrupacion" or "reintregirea" whole, while the guides
// hold the stems "renov", "reagrup", "reintregir". A query word matches
// its longest prefixes in the index fully and shorter ones down to a
// stem's length with less weight, so the guides are found too (the es
// and ro queries on renewal and family reunion below missed them before).

var queries = []query{
	// Italian: the office words, with and without accents, typed as-you-go.
	{lang: "it", q: "rinnovo permesso di soggiorno", want: []string{rinnovo}},
	{lang: "it", q: "rinno", want: []string{rinnovo}},
	{lang: "it", q: "cittadinanza matrimonio", want: []string{cittMatr}},
	{lang: "it", q: "ricongiungimento", want: []string{ricong}},
	{lang: "it", q: "ricongiungimento familiare reddito", want: []string{ricong}},
	{lang: "it", q: "codice fiscale", want: []string{codFiscale}},
	{lang: "it", q: "tessera sanitaria medico di famiglia", want: []string{ssn}},
	{lang: "it", q: "residenza anagrafe", want: []string{anagrafe}},
	{lang: "it", q: "carta di soggiorno familiare cittadino europeo", want: []string{familiariUE}},
	{lang: "it", q: "traduzione giurata", want: []string{traduzioni}},
	{lang: "it", q: "decreto flussi", want: []string{nullaOsta}},
	{lang: "it", q: "test di italiano lungo periodo", want: []string{lungoPeriodo}},
	{lang: "it", q: "giuramento", want: []string{giuramento}},
	{lang: "it", q: "ricevuta", want: []string{ricevuta}},
	{lang: "it", q: "iscrizione scuola figli", want: []string{scuola, figli}},
	{lang: "it", q: "da studio a lavoro", want: []string{conversione}},
	{lang: "it", q: "nato in italia cittadinanza", want: []string{cittNati}},
	{lang: "it", q: "ospitalita", want: []string{ospitalita}},
	{lang: "it", q: "cittadinanza b1", want: []string{lingua}},
	{lang: "it", q: "passaporto scaduto", want: []string{passaporto}},
	{lang: "it", q: "dichiarazione di presenza", want: []string{presenza}},
	{lang: "it", q: "coesione familiare", want: []string{coesione}},
	{lang: "it", q: "cittadinanza per residenza", want: []string{cittRes}},
	{lang: "it", q: "sportello Cuneo", want: []string{deskCuneo}},
	{lang: "it", q: "permesso", filters: map[string]string{"topic": "family", "kind": "guide"}, want: []string{motiviFam}},

	// English.
	{lang: "en", q: "citizenship by marriage", want: []string{cittMatr}},
	{lang: "en", q: "renew residence permit", want: []string{rinnovo}},
	{lang: "en", q: "family reunification", want: []string{ricong}},
	{lang: "en", q: "tax code", want: []string{codFiscale}},
	{lang: "en", q: "sworn translation", want: []string{traduzioni}},
	{lang: "en", q: "health card doctor", want: []string{ssn}},
	{lang: "en", q: "long-term residence permit", want: []string{lungoPeriodo}},
	{lang: "en", q: "study visa", want: []string{studio}},
	{lang: "en", q: "passport renewal", want: []string{passaporto}},
	{lang: "en", q: "apostille", want: []string{apostille}},
	{lang: "en", q: "employer contract", want: []string{datore}},
	{lang: "en", q: "permesso di soggiorno", want: permitPages, anyOf: true},
	// Typed so far: "citi" (a page's "city") must not outrank the
	// citizenship guides.
	{lang: "en", q: "citiz", want: []string{cittMatr, cittRes, cittNati, lingua, giuramento}, anyOf: true},

	// French, typed without accents too.
	{lang: "fr", q: "renouvellement titre de séjour", want: []string{rinnovo}},
	{lang: "fr", q: "regroupement familial", want: []string{ricong}},
	{lang: "fr", q: "citoyennete mariage", want: []string{cittMatr}},
	{lang: "fr", q: "inscription ecole enfants", want: []string{scuola}},
	{lang: "fr", q: "premier titre de sejour", want: []string{primo}},
	{lang: "fr", q: "codice fiscale", want: []string{codFiscale}},

	// Spanish.
	// A desk's service name, analysed as Italian, holds the whole word
	// ("reagrupacion") where the guide holds its Spanish stem ("reagrup").
	{lang: "es", q: "renovación del permiso de residencia", want: []string{rinnovo}},
	{lang: "es", q: "reagrupacion familiar", want: []string{ricong}},
	{lang: "es", q: "ciudadania por matrimonio", want: []string{cittMatr}},
	{lang: "es", q: "empadronamiento", want: []string{anagrafe}},
	{lang: "es", q: "tarjeta sanitaria", want: []string{ssn}},
	{lang: "es", q: "nulla osta trabajo", want: []string{nullaOsta}},

	// Arabic: with and without the article, hamza and shadda.
	{lang: "ar", q: "تجديد تصريح الإقامة", want: []string{rinnovo}},
	{lang: "ar", q: "permesso di soggiorno", want: permitPages, anyOf: true},
	{lang: "ar", q: "rinnovo permesso", want: []string{rinnovo}},
	{lang: "ar", q: "الجنسية عن طريق الزواج", want: []string{cittMatr}},
	{lang: "ar", q: "جنسية زواج", want: []string{cittMatr}},
	{lang: "ar", q: "لم الشمل", want: []string{ricong}},
	{lang: "ar", q: "البطاقة الصحية", want: []string{ssn}},
	{lang: "ar", q: "الرمز الضريبي", want: []string{codFiscale}},
	{lang: "ar", q: "ابوستيل", want: []string{apostille}},
	{lang: "ar", q: "تأشيرة دخول", want: []string{visto}},
	{lang: "ar", q: "تسجيل المدرسة", want: []string{scuola}},
	{lang: "ar", q: "Cuneo", want: []string{deskCuneo}},

	// Chinese: with and without spaces, Italian terms.
	{lang: "zh", q: "居留许可 续签", want: []string{rinnovo}},
	{lang: "zh", q: "居留许可续签", want: []string{rinnovo}},
	{lang: "zh", q: "codice fiscale", want: []string{codFiscale}},
	{lang: "zh", q: "家庭团聚", want: []string{ricong}},
	{lang: "zh", q: "国籍 婚姻", want: []string{cittMatr}},
	{lang: "zh", q: "税号", want: []string{codFiscale}},
	{lang: "zh", q: "医疗卡", want: []string{ssn}},
	{lang: "zh", q: "护照", want: []string{passaporto}},
	{lang: "zh", q: "长期居留", want: []string{lungoPeriodo}},
	{lang: "zh", q: "入境签证", want: []string{visto}},
	{lang: "zh", q: "ricongiungimento", want: []string{ricong}},

	// Ukrainian (no stemmer).
	{lang: "uk", q: "продовження дозволу на проживання", want: []string{rinnovo}},
	{lang: "uk", q: "permesso di soggiorno", want: permitPages, anyOf: true},
	{lang: "uk", q: "громадянство шлюб", want: []string{cittMatr}},
	{lang: "uk", q: "возз'єднання родини", want: []string{ricong}},
	{lang: "uk", q: "медична картка", want: []string{ssn}},
	{lang: "uk", q: "віза", want: []string{visto}},

	// Romanian, typed without diacritics.
	{lang: "ro", q: "reinnoirea permisului de sedere", want: []string{rinnovo}},
	{lang: "ro", q: "cetatenie prin casatorie", want: []string{cittMatr}},
	{lang: "ro", q: "reintregirea familiei", want: []string{ricong}},
	{lang: "ro", q: "cod fiscal", want: []string{codFiscale}},

	// Albanian, without ë.
	{lang: "sq", q: "rinovimi i lejes se qendrimit", want: []string{rinnovo}},
	{lang: "sq", q: "shtetesia martese", want: []string{cittMatr}},
	{lang: "sq", q: "bashkimi familjar", want: []string{ricong}},
	{lang: "sq", q: "codice fiscale", want: []string{codFiscale}},

	// Bengali.
	{lang: "bn", q: "থাকার অনুমতিপত্র নবায়ন", want: []string{rinnovo}},
	{lang: "bn", q: "বিয়ের মাধ্যমে নাগরিকত্ব", want: []string{cittMatr}},
	{lang: "bn", q: "পারিবারিক পুনর্মিলন", want: []string{ricong}},
	{lang: "bn", q: "ricongiungimento familiare", want: []string{ricong}},

	// Urdu.
	{lang: "ur", q: "رہائشی اجازت نامے کی تجدید", want: []string{rinnovo}},
	{lang: "ur", q: "شادی شہریت", want: []string{cittMatr}},
	{lang: "ur", q: "خاندانی ملاپ", want: []string{ricong}},
	{lang: "ur", q: "codice fiscale", want: []string{codFiscale}},
	{lang: "ur", q: "ویزا", want: []string{visto}},
}

// The repository's site, built once for every test.
var (
	siteOnce sync.Once
	siteDir  string
	siteErr  error
)

// buildSite builds the repository's site into a temporary directory.
func buildSite(t *testing.T) string {
	t.Helper()
	siteOnce.Do(func() {
		dir, err := os.MkdirTemp("", "portal-searchquality-")
		if err != nil {
			siteErr = err
			return
		}
		siteDir = filepath.Join(dir, "public")
		_, siteErr = generator.Build(context.Background(), generator.Config{Root: "../..", Out: siteDir})
	})
	if siteErr != nil {
		t.Fatalf("building the repository site: %v", siteErr)
	}
	return siteDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if siteDir != "" {
		os.RemoveAll(filepath.Dir(siteDir))
	}
	os.Exit(code)
}

// pagePath turns a hit URL into the form the table uses.
func pagePath(lang, url string) string {
	url, _, _ = strings.Cut(url, "#")
	url = strings.TrimPrefix(url, "/"+lang+"/")
	return strings.Trim(url, "/")
}

// score returns the query's recall@3: the share of wanted pages in the
// top 3, or 0/1 for anyOf queries.
func (q query) score(top []string) float64 {
	found := 0
	for _, w := range q.want {
		if slices.Contains(top, w) {
			found++
		}
	}
	if q.anyOf {
		return float64(min(found, 1))
	}
	return float64(found) / float64(len(q.want))
}

// TestRecallAt3 runs the query table against the repository's site.
func TestRecallAt3(t *testing.T) {
	out := buildSite(t)
	fsys := os.DirFS(out)

	type tally struct {
		sum float64
		n   int
	}
	perLang := map[string]*tally{}
	var all tally
	var misses []string
	for _, q := range queries {
		name := q.lang + "/" + q.q
		// A fresh index per query, as a reader's first query on the page.
		ix, err := search.Open(fsys, q.lang)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		hits, _, err := ix.Search(q.q, q.filters, 3)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		top := make([]string, len(hits))
		for i, h := range hits {
			top[i] = pagePath(q.lang, h.URL)
		}
		r := q.score(top)
		t.Logf("%.2f %s %q: %q", r, q.lang, q.q, top)
		tl := perLang[q.lang]
		if tl == nil {
			tl = &tally{}
			perLang[q.lang] = tl
		}
		tl.sum += r
		tl.n++
		all.sum += r
		all.n++
		switch {
		case r == 1 && q.known != "":
			t.Logf("FIXED %s %q now passes: remove its known mark (%s)", q.lang, q.q, q.known)
		case r < 1 && q.known != "":
			misses = append(misses, fmt.Sprintf("known: %s %q: top 3 %q, want %q (%s)", q.lang, q.q, top, q.want, q.known))
		case r < 1:
			t.Errorf("%s %q: top 3 %q, want %s %q", q.lang, q.q, top, map[bool]string{true: "one of", false: "all of"}[q.anyOf], q.want)
		}
	}

	langs := make([]string, 0, len(perLang))
	for l := range perLang {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	var b strings.Builder
	for _, l := range langs {
		fmt.Fprintf(&b, " %s %.2f (%d)", l, perLang[l].sum/float64(perLang[l].n), perLang[l].n)
	}
	t.Logf("recall@3 by language:%s", b.String())
	t.Logf("recall@3 overall: %.3f over %d queries", all.sum/float64(all.n), all.n)
	for _, m := range misses {
		t.Log(m)
	}
}

// TestQueryTable keeps the table honest: every wanted page exists in the
// built site in that language, and the table covers the languages asked.
func TestQueryTable(t *testing.T) {
	out := buildSite(t)
	per := map[string]int{}
	for _, q := range queries {
		per[q.lang]++
		if len(q.want) == 0 {
			t.Errorf("%s %q: no expected page", q.lang, q.q)
		}
		for _, w := range q.want {
			p := filepath.Join(out, q.lang, filepath.FromSlash(w), "index.html")
			if _, err := os.Stat(p); err != nil {
				t.Errorf("%s %q: expected page /%s/%s/ is not in the built site: %v", q.lang, q.q, q.lang, w, err)
			}
		}
	}
	for _, l := range []string{"it", "en", "fr", "es", "ar", "zh", "uk", "ro", "sq", "bn", "ur"} {
		if per[l] < 4 {
			t.Errorf("language %s has %d queries, want at least 4", l, per[l])
		}
	}
	if len(queries) < 40 {
		t.Errorf("%d queries, want at least 40", len(queries))
	}
}
