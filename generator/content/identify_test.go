package content

import (
	"fmt"
	"strings"
	"testing"

	"portal/generator/diag"
)

var testLangs = []string{"it", "en", "fr", "ar"}

func testOptions() Options {
	return Options{Root: "content", Langs: testLangs, Skip: []string{"desks"}}
}

// ident is what Identify tells from a path alone.
type ident struct {
	Kind             Kind
	Key, Lang, Topic string
	Slug             string
}

func TestIdentify(t *testing.T) {
	tests := []struct {
		rel  string
		want ident
	}{
		{"_index.md", ident{Kind: Home, Key: "home", Lang: "it"}},
		{"_index.it.md", ident{Kind: Home, Key: "home", Lang: "it"}},
		{"_index.ar.md", ident{Kind: Home, Key: "home", Lang: "ar"}},
		{"guides/_index.md", ident{Kind: Guides, Key: "guides", Lang: "it"}},
		{"guides/_index.fr.md", ident{Kind: Guides, Key: "guides", Lang: "fr"}},
		{"guides/residence/_index.md", ident{Kind: Topic, Key: "guides/residence", Lang: "it", Topic: "residence"}},
		{"guides/consular/_index.en.md", ident{Kind: Topic, Key: "guides/consular", Lang: "en", Topic: "consular"}},
		{"guides/residence/rinnovo-permesso.md", ident{Kind: Guide, Key: "guides/residence/rinnovo-permesso", Lang: "it", Topic: "residence", Slug: "rinnovo-permesso"}},
		{"guides/residence/rinnovo-permesso.en.md", ident{Kind: Guide, Key: "guides/residence/rinnovo-permesso", Lang: "en", Topic: "residence", Slug: "rinnovo-permesso"}},
		{"guides/entry/visto-2026.ar.md", ident{Kind: Guide, Key: "guides/entry/visto-2026", Lang: "ar", Topic: "entry", Slug: "visto-2026"}},
		{"pages/privacy.md", ident{Kind: Plain, Key: "pages/privacy", Lang: "it", Slug: "privacy"}},
		{"pages/about.fr.md", ident{Kind: Plain, Key: "pages/about", Lang: "fr", Slug: "about"}},
		{"pages/404.md", ident{Kind: Plain, Key: "pages/404", Lang: "it", Slug: "404"}},
	}
	for _, tt := range tests {
		t.Run(tt.rel, func(t *testing.T) {
			p, ds := Identify(tt.rel, testOptions())
			if len(ds) != 0 {
				t.Fatalf("Identify(%q) diagnostics: %v", tt.rel, ds)
			}
			if p == nil {
				t.Fatalf("Identify(%q) = nil page and no diagnostics", tt.rel)
			}
			got := ident{Kind: p.Kind, Key: p.Key, Lang: p.Lang, Topic: p.Topic, Slug: p.Slug}
			if got != tt.want {
				t.Errorf("Identify(%q) = %+v, want %+v", tt.rel, got, tt.want)
			}
			if p.Rel != tt.rel || p.Path != "content/"+tt.rel {
				t.Errorf("Rel, Path = %q, %q; want %q, %q", p.Rel, p.Path, tt.rel, "content/"+tt.rel)
			}
			if p.Src != nil {
				t.Errorf("Identify read the file: Src = %+v", p.Src)
			}
		})
	}
}

const (
	msgNoPlace  = "this file is in no known place: guides go in guides/<topic>/, plain pages in pages/, home texts are _index.<lang>.md at the top"
	msgNotMD    = "this is not a Markdown file: content texts are named <name>.<lang>.md"
	topicChoice = "entry, residence, citizenship, family, services, consular"
)

func msgLang(l string) string {
	return `the language suffix "` + l + `" is not a configured language (configured: it, en, fr, ar): rename the file or add i18n/` + l + `.toml`
}

func msgSlug(base, lang string) string {
	return `the file name "` + base + `" makes a bad web address: use lower-case letters, digits and hyphens only, like rinnovo-permesso.` + lang + `.md`
}

func TestIdentifyErrors(t *testing.T) {
	tests := []struct {
		rel, msg string
	}{
		// Language suffixes.
		{"guides/entry/visto.de.md", msgLang("de")},
		{"guides/entry/visto.EN.md", msgLang("EN")},
		{"_index.es.md", msgLang("es")},
		{"guides/entry/_index.xx.md", msgLang("xx")},
		// A dot inside the name: the last part is taken as the suffix.
		{"guides/entry/visto.v2.md", msgLang("v2")},
		// With a real language after it, the dot is in the slug.
		{"guides/entry/visto.v2.en.md", msgSlug("visto.v2", "en")},
		// Topics.
		{"guides/work/contratto.md", `"work" is not a guide topic: move the file into one of ` + topicChoice},
		{"guides/Entry/visto.md", `"Entry" is not a guide topic: move the file into one of ` + topicChoice},
		{"guides/visas/_index.en.md", `"visas" is not a guide topic: move the file into one of ` + topicChoice},
		// Places.
		{"about.md", msgNoPlace},
		{"about.en.md", msgNoPlace},
		{"guides/visto.md", msgNoPlace},
		{"guides/entry/old/visto.md", msgNoPlace},
		{"guides/entry/a/b/visto.md", msgNoPlace},
		{"pages/legal/privacy.md", msgNoPlace},
		{"other/_index.md", msgNoPlace},
		{"desks/bologna.md", msgNoPlace},
		{"news/2026/item.md", msgNoPlace},
		// Slugs.
		{"guides/entry/Visto.md", msgSlug("Visto", "it")},
		{"guides/entry/visto_lavoro.en.md", msgSlug("visto_lavoro", "en")},
		{"guides/entry/visto lavoro.md", msgSlug("visto lavoro", "it")},
		{"guides/entry/-visto.md", msgSlug("-visto", "it")},
		{"guides/entry/visto-.md", msgSlug("visto-", "it")},
		{"guides/entry/visto--lavoro.md", msgSlug("visto--lavoro", "it")},
		{"guides/entry/perché.md", msgSlug("perché", "it")},
		{"pages/_index.md", msgSlug("_index", "it")},
		{"pages/About.fr.md", msgSlug("About", "fr")},
		// A name that is only a language suffix leaves an empty slug,
		// which must not become the key "guides/entry/".
		{"guides/entry/.md", msgSlug("", "it")},
		{"guides/entry/.en.md", msgSlug("", "en")},
		{"pages/.md", msgSlug("", "it")},
		// Files that are not Markdown.
		{"guides/entry/notes.txt", msgNotMD},
		{"guides/entry/visto.en.md.swp", msgNotMD},
		{"pages/about", msgNotMD},
		{"pages/logo.png", msgNotMD},
		{"_index.MD", msgNotMD},
	}
	for _, tt := range tests {
		t.Run(tt.rel, func(t *testing.T) {
			p, ds := Identify(tt.rel, testOptions())
			if p != nil {
				t.Errorf("Identify(%q) = %+v, want no page", tt.rel, *p)
			}
			want := diag.List{{Path: "content/" + tt.rel, Line: 0, Severity: diag.Error, Msg: tt.msg}}
			if !equalDiags(ds, want) {
				t.Errorf("Identify(%q) diagnostics:\n%s\nwant:\n%s", tt.rel, formatDiags(ds), formatDiags(want))
			}
		})
	}
}

// TestIdentifyRoot checks that the root name only prefixes Path.
func TestIdentifyRoot(t *testing.T) {
	for _, root := range []string{"", "content", "site/content"} {
		opt := testOptions()
		opt.Root = root
		p, ds := Identify("guides/family/ricongiungimento.en.md", opt)
		if p == nil || len(ds) != 0 {
			t.Fatalf("root %q: page %v, diagnostics %v", root, p, ds)
		}
		want := strings.TrimPrefix(root+"/guides/family/ricongiungimento.en.md", "/")
		if p.Path != want || p.Rel != "guides/family/ricongiungimento.en.md" {
			t.Errorf("root %q: Path %q Rel %q, want Path %q", root, p.Path, p.Rel, want)
		}
		_, ds = Identify("guides/nope/x.md", opt)
		if len(ds) != 1 || ds[0].Path != strings.TrimPrefix(root+"/guides/nope/x.md", "/") {
			t.Errorf("root %q: error diagnostics %v", root, ds)
		}
	}
}

// TestIdentifySourceLanguage checks that a file without a suffix is in the
// first configured language, whichever it is.
func TestIdentifySourceLanguage(t *testing.T) {
	opt := Options{Root: "c", Langs: []string{"en", "it"}}
	p, ds := Identify("pages/about.md", opt)
	if len(ds) != 0 || p == nil || p.Lang != "en" {
		t.Fatalf("Identify with source en: page %+v, diagnostics %v", p, ds)
	}
}

func TestLinkTarget(t *testing.T) {
	isLang := func(s string) bool {
		for _, l := range testLangs {
			if s == l {
				return true
			}
		}
		return false
	}
	tests := []struct {
		target, key, lang string
	}{
		{"guides/residence/rinnovo-permesso.md", "guides/residence/rinnovo-permesso", ""},
		{"guides/residence/rinnovo-permesso.en.md", "guides/residence/rinnovo-permesso", "en"},
		{"guides/residence/rinnovo-permesso.it.md", "guides/residence/rinnovo-permesso", "it"},
		{"guides/residence/_index.md", "guides/residence", ""},
		{"guides/residence/_index.ar.md", "guides/residence", "ar"},
		{"guides/_index.md", "guides", ""},
		{"guides/_index.fr.md", "guides", "fr"},
		{"_index.md", "home", ""},
		{"_index.en.md", "home", "en"},
		{"pages/about.md", "pages/about", ""},
		{"pages/about.fr.md", "pages/about", "fr"},
		// A suffix that is not a language stays part of the key.
		{"guides/entry/visto.v2.md", "guides/entry/visto.v2", ""},
		{"guides/entry/visto.de.md", "guides/entry/visto.de", ""},
		{"guides/entry/visto.v2.en.md", "guides/entry/visto.v2", "en"},
		// A dot in a folder name is not a language suffix.
		{"guides/en/visto.md", "guides/en/visto", ""},
		{"guides/x.en/visto.md", "guides/x.en/visto", ""},
		// Only a trailing .md is dropped; other files keep their names.
		{"files/modulo.pdf", "files/modulo.pdf", ""},
		{"pages/about.en", "pages/about", "en"},
		// LinkTarget does no path cleaning and no anchor splitting: package
		// markdown hands it cleaned targets relative to the root, without
		// "#anchor". Anything else names no group.
		{"../guides/entry/visto.en.md", "../guides/entry/visto", "en"},
		{"guides/entry/../residence/rinnovo.md", "guides/entry/../residence/rinnovo", ""},
		{"guides/entry/visto.md#documenti", "guides/entry/visto.md#documenti", ""},
		{"guides/entry/visto.en.md#documenti", "guides/entry/visto.en.md#documenti", ""},
	}
	for _, tt := range tests {
		key, lang := LinkTarget(tt.target, isLang)
		if key != tt.key || lang != tt.lang {
			t.Errorf("LinkTarget(%q) = %q, %q; want %q, %q", tt.target, key, lang, tt.key, tt.lang)
		}
	}
}

// TestLinkTargetMatchesIdentify checks that a link to a content file by its
// path names the group that Identify puts the file in, with the file's
// language when the name carries a suffix.
func TestLinkTargetMatchesIdentify(t *testing.T) {
	isLang := func(s string) bool { return s == "it" || s == "en" || s == "fr" || s == "ar" }
	for _, rel := range []string{
		"_index.md", "_index.fr.md", "guides/_index.md", "guides/_index.en.md",
		"guides/family/_index.md", "guides/family/_index.ar.md",
		"guides/family/ricongiungimento.md", "guides/family/ricongiungimento.en.md",
		"pages/privacy.md", "pages/privacy.ar.md",
	} {
		p, ds := Identify(rel, testOptions())
		if p == nil {
			t.Fatalf("Identify(%q): %v", rel, ds)
		}
		key, lang := LinkTarget(rel, isLang)
		wantLang := ""
		if strings.Count(rel[strings.LastIndexByte(rel, '/')+1:], ".") == 2 {
			wantLang = p.Lang
		}
		if key != p.Key || lang != wantLang {
			t.Errorf("LinkTarget(%q) = %q, %q; Identify says key %q, lang %q", rel, key, lang, p.Key, wantLang)
		}
	}
}

func TestGroupURL(t *testing.T) {
	tests := []struct {
		g    Group
		want string
	}{
		{Group{Kind: Home}, "/ar/"},
		{Group{Kind: Guides}, "/ar/guides/"},
		{Group{Kind: Topic, Topic: "family"}, "/ar/guides/family/"},
		{Group{Kind: Guide, Topic: "family", Slug: "ricongiungimento"}, "/ar/guides/family/ricongiungimento/"},
		{Group{Kind: Plain, Slug: "privacy"}, "/ar/privacy/"},
		{Group{Kind: "unknown"}, "/ar/"},
	}
	for _, tt := range tests {
		if got := tt.g.URL("ar"); got != tt.want {
			t.Errorf("%+v.URL(ar) = %q, want %q", tt.g, got, tt.want)
		}
	}
}

func TestCheckURL(t *testing.T) {
	tests := []struct {
		u  string
		ok bool
	}{
		{"https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:1998-07-25;286", true},
		{"http://example.org/a", true},
		{"https://example.org", true},
		{"ftp://example.org/a", false},
		{"www.example.org", false},
		{"/it/guides/", false},
		{"https://", false},
		{"https://exa mple.org/", false},
		{"https://example.org/a\tb", false},
		{"javascript:alert(1)", false},
		{"mailto:info@example.org", false},
		{"", false},
		{"https://[::1", false},
	}
	for _, tt := range tests {
		err := CheckURL(tt.u)
		if (err == nil) != tt.ok {
			t.Errorf("CheckURL(%q) = %v, want ok=%v", tt.u, err, tt.ok)
		}
		if want := fmt.Sprintf("%q is not a web address: write the full address starting with https://", tt.u); err != nil && err.Error() != want {
			t.Errorf("CheckURL(%q) error %q, want %q", tt.u, err, want)
		}
	}
}

func equalDiags(got, want diag.List) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

func formatDiags(l diag.List) string {
	var b strings.Builder
	for _, d := range l {
		b.WriteString("\t" + d.Format() + "\n")
	}
	if b.Len() == 0 {
		return "\t(none)\n"
	}
	return b.String()
}
