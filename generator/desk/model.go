package desk

import (
	"html/template"
	"time"
)

// Services lists the service codes a desk may offer, in display order.
var Services = []string{
	"permit-renewal", "permit-first", "family-reunification", "citizenship",
	"legal-advice", "cultural-mediation", "language-courses", "work",
	"housing", "health", "school",
}

// Days are the day codes used in hours, Monday first (ISO 8601 order).
var Days = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// Directory is every desk, loaded and validated.
type Directory struct {
	// Desks are sorted by province, municipality and title (then id).
	Desks []*Desk
	// Intro holds the listing's optional introduction by language
	// (content/desks/_index.md is "it", _index.<lang>.md the others).
	Intro map[string]*Text
	// Now is the build time: it anchors the iCalendar recurrences and
	// stamps the feeds. Load sets it to time.Now; tests fix it.
	Now time.Time

	byID    map[string]*Desk
	layouts *template.Template
}

// Desk is one desk: the language-neutral facts of content/desks/<id>.md,
// its Italian description and its translations.
type Desk struct {
	ID, Title, Operator, Municipality, Province, Address, Postcode string
	// Lat and Lon are both set or both nil.
	Lat, Lon                          *float64
	Phone, Email, Website, BookingURL string
	// Services are service codes (see Services), Languages ISO 639-1
	// codes of the languages spoken at the desk.
	Services, Languages []string
	AppointmentOnly     bool
	// Hours are the weekly opening hours, sorted by day and time.
	Hours []Range
	// Closures are whole days when the desk is closed, sorted.
	Closures []Closure
	// SpecialHours replace the weekly hours on their date, sorted.
	SpecialHours []Special
	// Description is the optional Italian summary from front matter.
	Description string
	// Body is the Italian Markdown description; BodyLine its first line.
	Body     []byte
	BodyLine int
	// Translations by language code (never "it").
	Translations map[string]*Translation
	// Path is the file the facts come from, e.g. content/desks/rho.md.
	Path string
}

// Translation is the translated text of a desk, from <id>.<lang>.md.
// Empty fields fall back to the Italian.
type Translation struct {
	Lang, Title, Description string
	Body                     []byte
	BodyLine                 int
	Path                     string
}

// Text is the listing's introduction in one language (_index files).
type Text struct {
	Lang, Title, Description string
	Body                     []byte
	BodyLine                 int
	Path                     string
}

// Range is one weekly opening range. Times are minutes after midnight;
// Closes may be 24*60 (midnight at the end of the day).
type Range struct {
	Day           string // mon..sun
	Opens, Closes int
	Line          int // line in the desk file, for diagnostics
}

// Closure is a closed period, From to To inclusive, as dates at midnight UTC
// (calendar dates: no time zone applies).
type Closure struct {
	From, To time.Time
	Note     string
	Line     int
}

// Special is an opening range on one date that replaces the weekly hours of
// that date. Several Specials on one date are several ranges.
type Special struct {
	Date          time.Time
	Opens, Closes int
	Note          string
	Line          int
}

// Link is a link to another page of the site.
type Link struct{ URL, Title, Lang string }

// Page is one page the generator must write: it wraps Body (the rendered
// main content, already safe HTML) into the site layout for language Lang
// at URL.
type Page struct {
	URL, Lang, Title, Description string
	// Body is the page's main content.
	Body template.HTML
	// Head is extra markup for <head>, such as JSON-LD.
	Head template.HTML
	// Alternates maps each language to the URL of the same page.
	Alternates map[string]string
	// TextLang is the language of the text when it falls back to Italian
	// because no translation exists; "" when the text is in Lang.
	TextLang string
	// Sitemap says whether the page belongs in sitemap.xml.
	Sitemap bool
	// Search is what the search index should hold; nil for filter pages.
	Search *SearchDoc
}

// SearchDoc is a page's entry in the search index.
type SearchDoc struct {
	Title, Summary string
	// Text is plain text (no markup) to index.
	Text     string
	Keywords []string
}

// EmbedPage is a standalone page for partner sites, written as is at URL
// (a path ending in .html) without the site layout.
type EmbedPage struct {
	URL  string
	Body []byte
}

// Env is what the generator provides to render pages.
type Env interface {
	// T returns the translated UI string for key (see MessageKeys).
	T(lang, key string, args ...any) string
	// LangName returns a site language's native name.
	LangName(lang string) string
	// Dir returns "ltr" or "rtl".
	Dir(lang string) string
	// Langs returns the site languages, Italian first.
	Langs() []string
	// Markdown renders a desk body safely.
	Markdown(lang string, src []byte, srcPath string, line int) (template.HTML, error)
	// GuidesFor lists the guides that cover a service, in lang.
	GuidesFor(lang, service string) []Link
	// Asset returns the fingerprinted URL of a static asset.
	Asset(name string) string
	// BaseURL returns the site's absolute base URL, e.g. https://example.org.
	BaseURL() string
}
