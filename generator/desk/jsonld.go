package desk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"time"
)

var schemaDays = map[string]string{
	"mon": "https://schema.org/Monday", "tue": "https://schema.org/Tuesday",
	"wed": "https://schema.org/Wednesday", "thu": "https://schema.org/Thursday",
	"fri": "https://schema.org/Friday", "sat": "https://schema.org/Saturday",
	"sun": "https://schema.org/Sunday",
}

type ldHours struct {
	Type         string `json:"@type"`
	DayOfWeek    string `json:"dayOfWeek,omitempty"`
	Opens        string `json:"opens"`
	Closes       string `json:"closes"`
	ValidFrom    string `json:"validFrom,omitempty"`
	ValidThrough string `json:"validThrough,omitempty"`
}

type ldAddress struct {
	Type            string `json:"@type"`
	StreetAddress   string `json:"streetAddress,omitempty"`
	PostalCode      string `json:"postalCode,omitempty"`
	AddressLocality string `json:"addressLocality"`
	AddressRegion   string `json:"addressRegion"`
	AddressCountry  string `json:"addressCountry"`
}

type ldGeo struct {
	Type      string  `json:"@type"`
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

type ldOffice struct {
	Context       string     `json:"@context"`
	Type          string     `json:"@type"`
	ID            string     `json:"@id"`
	Name          string     `json:"name"`
	Description   string     `json:"description,omitempty"`
	URL           string     `json:"url"`
	SameAs        string     `json:"sameAs,omitempty"`
	Telephone     string     `json:"telephone,omitempty"`
	Email         string     `json:"email,omitempty"`
	Address       ldAddress  `json:"address"`
	Geo           *ldGeo     `json:"geo,omitempty"`
	KnowsLanguage []string   `json:"knowsLanguage,omitempty"`
	ParentOrg     *ldOrg     `json:"parentOrganization,omitempty"`
	Hours         []ldHours  `json:"openingHoursSpecification,omitempty"`
	Special       []ldHours  `json:"specialOpeningHoursSpecification,omitempty"`
	Potential     *ldReserve `json:"potentialAction,omitempty"`
}

type ldOrg struct {
	Type string `json:"@type"`
	Name string `json:"name"`
}

type ldReserve struct {
	Type   string `json:"@type"`
	Target string `json:"target"`
}

// jsonLD returns a <script type="application/ld+json"> element describing
// the desk as a schema.org GovernmentOffice. encoding/json escapes <, > and
// & in strings, so no text can close the script element.
func jsonLD(dk *Desk, lang string, env Env) (template.HTML, error) {
	title := dk.Title
	desc := dk.Description
	if tr := dk.Translations[lang]; tr != nil {
		if tr.Title != "" {
			title = tr.Title
		}
		if tr.Description != "" {
			desc = tr.Description
		}
	}
	page := env.BaseURL() + URL(lang, dk.ID)
	o := ldOffice{
		Context: "https://schema.org", Type: "GovernmentOffice",
		ID: env.BaseURL() + URL(Source, dk.ID) + "#desk", Name: title, Description: desc, URL: page,
		SameAs: dk.Website, Telephone: dk.Phone, Email: dk.Email,
		Address: ldAddress{Type: "PostalAddress", StreetAddress: dk.Address, PostalCode: dk.Postcode,
			AddressLocality: dk.Municipality, AddressRegion: dk.Province, AddressCountry: "IT"},
		KnowsLanguage: dk.Languages,
	}
	if dk.Lat != nil {
		o.Geo = &ldGeo{Type: "GeoCoordinates", Latitude: *dk.Lat, Longitude: *dk.Lon}
	}
	if dk.Operator != "" {
		o.ParentOrg = &ldOrg{Type: "GovernmentOrganization", Name: dk.Operator}
	}
	if dk.BookingURL != "" {
		o.Potential = &ldReserve{Type: "ReserveAction", Target: dk.BookingURL}
	}
	for _, h := range dk.Hours {
		o.Hours = append(o.Hours, ldHours{Type: "OpeningHoursSpecification", DayOfWeek: schemaDays[h.Day],
			Opens: ldClock(h.Opens), Closes: ldClock(h.Closes)})
	}
	for _, s := range dk.SpecialHours {
		day := s.Date.Format(time.DateOnly)
		o.Special = append(o.Special, ldHours{Type: "OpeningHoursSpecification", ValidFrom: day, ValidThrough: day,
			Opens: ldClock(s.Opens), Closes: ldClock(s.Closes)})
	}
	// schema.org marks a day closed with opens and closes both 00:00.
	for _, c := range dk.Closures {
		o.Special = append(o.Special, ldHours{Type: "OpeningHoursSpecification",
			ValidFrom: c.From.Format(time.DateOnly), ValidThrough: c.To.Format(time.DateOnly), Opens: "00:00", Closes: "00:00"})
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(o); err != nil {
		return "", fmt.Errorf("desk: %s: JSON-LD: %w", dk.ID, err)
	}
	return template.HTML(`<script type="application/ld+json">` + string(bytes.TrimSpace(b.Bytes())) + `</script>`), nil
}

// ldClock writes a time for schema.org; 24:00 becomes 23:59 because
// schema.org Time has no end-of-day value.
func ldClock(m int) string {
	if m == 24*60 {
		return "23:59"
	}
	return FormatClock(m)
}
