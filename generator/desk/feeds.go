package desk

import (
	"bytes"
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// SchemaVersion is the version of the /api/desks.json format (see doc.go).
// It changes only when a field is removed or changes meaning.
const SchemaVersion = 1

type feed struct {
	Version   int           `json:"version"`
	Generated string        `json:"generated"`
	Site      string        `json:"site"`
	Languages []string      `json:"languages"`
	Services  []feedService `json:"services"`
	Desks     []feedDesk    `json:"desks"`
}

type feedService struct {
	Code string            `json:"code"`
	Name map[string]string `json:"name"`
}

type feedDesk struct {
	ID              string            `json:"id"`
	URL             map[string]string `json:"url"`
	Title           map[string]string `json:"title"`
	Description     map[string]string `json:"description"`
	BodyHTML        map[string]string `json:"body_html"`
	Operator        string            `json:"operator,omitempty"`
	Municipality    string            `json:"municipality"`
	Province        string            `json:"province"`
	ProvinceName    string            `json:"province_name"`
	Address         string            `json:"address,omitempty"`
	Postcode        string            `json:"postcode,omitempty"`
	Location        *feedLocation     `json:"location"`
	Phone           string            `json:"phone,omitempty"`
	Email           string            `json:"email,omitempty"`
	Website         string            `json:"website,omitempty"`
	BookingURL      string            `json:"booking_url,omitempty"`
	Services        []string          `json:"services"`
	Languages       []string          `json:"languages"`
	AppointmentOnly bool              `json:"appointment_only"`
	Hours           []feedRange       `json:"hours"`
	Closures        []feedClosure     `json:"closures"`
	SpecialHours    []feedSpecial     `json:"special_hours"`
	ICS             string            `json:"ics"`
}

type feedLocation struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

type feedRange struct {
	Day    string `json:"day"`
	Opens  string `json:"opens"`
	Closes string `json:"closes"`
}

type feedClosure struct {
	From string `json:"from"`
	To   string `json:"to"`
	Note string `json:"note,omitempty"`
}

type feedSpecial struct {
	Date   string `json:"date"`
	Opens  string `json:"opens"`
	Closes string `json:"closes"`
	Note   string `json:"note,omitempty"`
}

// WriteFeeds writes the machine-readable desk data under outDir:
// api/desks.json (format in doc.go), api/desks.geojson (RFC 7946),
// api/hsds/*.json (Open Referral HSDS 3.0 tables) and api/desks/<id>.ics.
func (d *Directory) WriteFeeds(outDir string, env Env) error {
	base := strings.TrimSuffix(env.BaseURL(), "/")
	files := map[string][]byte{}
	j, err := d.JSON(env)
	if err != nil {
		return err
	}
	files["api/desks.json"] = j
	g, err := d.GeoJSON(base)
	if err != nil {
		return err
	}
	files["api/desks.geojson"] = g
	h, err := d.HSDS(env)
	if err != nil {
		return err
	}
	for name, b := range h {
		files["api/hsds/"+name] = b
	}
	for _, dk := range d.Desks {
		files["api/desks/"+dk.ID+".ics"] = d.ICS(dk, base)
	}
	for name, b := range files {
		p := filepath.Join(outDir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("desk: writing feeds: %w", err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return fmt.Errorf("desk: writing feeds: %w", err)
		}
	}
	return nil
}

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", " ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("desk: encoding feed: %w", err)
	}
	return b.Bytes(), nil
}

// JSON returns /api/desks.json.
func (d *Directory) JSON(env Env) ([]byte, error) {
	base := strings.TrimSuffix(env.BaseURL(), "/")
	langs := env.Langs()
	f := feed{Version: SchemaVersion, Generated: d.Now.UTC().Format(time.RFC3339), Site: base, Languages: langs,
		Services: []feedService{}, Desks: []feedDesk{}}
	for _, s := range Services {
		fs := feedService{Code: s, Name: map[string]string{}}
		for _, l := range langs {
			fs.Name[l] = env.T(l, "desk.service."+s)
		}
		f.Services = append(f.Services, fs)
	}
	for _, dk := range d.Desks {
		fd := feedDesk{
			ID: dk.ID, URL: map[string]string{}, Title: map[string]string{Source: dk.Title},
			Description: map[string]string{}, BodyHTML: map[string]string{},
			Operator: dk.Operator, Municipality: dk.Municipality, Province: dk.Province, ProvinceName: ProvinceName(dk.Province),
			Address: dk.Address, Postcode: dk.Postcode, Phone: dk.Phone, Email: dk.Email, Website: dk.Website,
			BookingURL: dk.BookingURL, Services: nonNil(dk.Services), Languages: nonNil(dk.Languages),
			AppointmentOnly: dk.AppointmentOnly, Hours: []feedRange{}, Closures: []feedClosure{}, SpecialHours: []feedSpecial{},
			ICS: base + ICSURL(dk.ID),
		}
		for _, l := range langs {
			fd.URL[l] = base + URL(l, dk.ID)
		}
		if dk.Description != "" {
			fd.Description[Source] = dk.Description
		}
		texts := map[string]struct {
			body []byte
			path string
			line int
		}{Source: {dk.Body, dk.Path, dk.BodyLine}}
		for l, tr := range dk.Translations {
			if tr.Title != "" {
				fd.Title[l] = tr.Title
			}
			if tr.Description != "" {
				fd.Description[l] = tr.Description
			}
			texts[l] = struct {
				body []byte
				path string
				line int
			}{tr.Body, tr.Path, tr.BodyLine}
		}
		for l, t := range texts {
			if len(bytes.TrimSpace(t.body)) == 0 {
				continue
			}
			h, err := env.Markdown(l, t.body, t.path, t.line)
			if err != nil {
				return nil, fmt.Errorf("desk: %s: %w", t.path, err)
			}
			fd.BodyHTML[l] = string(h)
		}
		if dk.Lat != nil {
			fd.Location = &feedLocation{Lat: *dk.Lat, Lon: *dk.Lon}
		}
		for _, h := range dk.Hours {
			fd.Hours = append(fd.Hours, feedRange{h.Day, FormatClock(h.Opens), FormatClock(h.Closes)})
		}
		for _, c := range dk.Closures {
			fd.Closures = append(fd.Closures, feedClosure{c.From.Format(time.DateOnly), c.To.Format(time.DateOnly), c.Note})
		}
		for _, s := range dk.SpecialHours {
			fd.SpecialHours = append(fd.SpecialHours, feedSpecial{s.Date.Format(time.DateOnly), FormatClock(s.Opens), FormatClock(s.Closes), s.Note})
		}
		f.Desks = append(f.Desks, fd)
	}
	return marshal(f)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// GeoJSON returns /api/desks.geojson: an RFC 7946 FeatureCollection with
// one Point per desk that has coordinates (longitude first, WGS 84).
func (d *Directory) GeoJSON(base string) ([]byte, error) {
	type geometry struct {
		Type        string     `json:"type"`
		Coordinates [2]float64 `json:"coordinates"`
	}
	type feature struct {
		Type       string         `json:"type"`
		ID         string         `json:"id"`
		Geometry   geometry       `json:"geometry"`
		Properties map[string]any `json:"properties"`
	}
	fc := struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}{Type: "FeatureCollection", Features: []feature{}}
	for _, dk := range d.Desks {
		if dk.Lat == nil {
			continue
		}
		props := map[string]any{
			"id": dk.ID, "title": dk.Title, "municipality": dk.Municipality, "province": dk.Province,
			"url": base + URL(Source, dk.ID), "services": nonNil(dk.Services), "languages": nonNil(dk.Languages),
			"appointment_only": dk.AppointmentOnly,
		}
		for k, v := range map[string]string{"address": dk.Address, "phone": dk.Phone, "email": dk.Email, "website": dk.Website, "booking_url": dk.BookingURL} {
			if v != "" {
				props[k] = v
			}
		}
		fc.Features = append(fc.Features, feature{Type: "Feature", ID: dk.ID,
			Geometry: geometry{Type: "Point", Coordinates: [2]float64{*dk.Lon, *dk.Lat}}, Properties: props})
	}
	return marshal(fc)
}

// uuid5 returns a name-based (SHA-1) UUID, RFC 9562 version 5, so that HSDS
// ids stay the same from build to build.
func uuid5(name string) string {
	// Namespace: the URL namespace of RFC 9562 (6ba7b811-9dad-11d1-80b4-00c04fd430c8).
	ns := []byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	h := sha1.New()
	h.Write(ns)
	h.Write([]byte(name))
	s := h.Sum(nil)[:16]
	s[6] = s[6]&0x0f | 0x50
	s[8] = s[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", s[0:4], s[4:6], s[6:8], s[8:10], s[10:16])
}

var hsdsDays = map[string]string{"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}

// HSDS returns the Open Referral HSDS 3.0 tables as JSON arrays, by file
// name: organizations, services, locations, service_at_locations,
// addresses, phones, languages and schedules. Every id is a UUID derived
// from the site URL and the desk id, stable across builds. Text is Italian.
func (d *Directory) HSDS(env Env) (map[string][]byte, error) {
	base := strings.TrimSuffix(env.BaseURL(), "/")
	type row = map[string]any
	tables := map[string][]row{
		"organizations": {}, "services": {}, "locations": {}, "service_at_locations": {},
		"addresses": {}, "phones": {}, "languages": {}, "schedules": {},
	}
	orgs := map[string]string{} // name -> id
	for _, dk := range d.Desks {
		id := func(kind string, parts ...string) string {
			return uuid5(base + "/desks/" + dk.ID + "#" + kind + strings.Join(parts, "/"))
		}
		orgName := dk.Operator
		if orgName == "" {
			orgName = dk.Title
		}
		orgID, ok := orgs[orgName]
		if !ok {
			orgID = uuid5(base + "/organization/" + orgName)
			orgs[orgName] = orgID
			tables["organizations"] = append(tables["organizations"], row{
				"id": orgID, "name": orgName, "description": "Ente che gestisce sportelli per cittadini stranieri elencati su " + base + ".",
			})
		}
		desc := dk.Description
		if desc == "" {
			desc = dk.Title
		}
		locID := id("location")
		loc := row{"id": locID, "location_type": "physical", "name": dk.Title, "description": desc,
			"organization_id": orgID, "url": base + URL(Source, dk.ID)}
		if dk.Lat != nil {
			loc["latitude"], loc["longitude"] = *dk.Lat, *dk.Lon
		}
		tables["locations"] = append(tables["locations"], loc)
		if dk.Address != "" { // address_1 is required by HSDS
			tables["addresses"] = append(tables["addresses"], row{"id": id("address"), "location_id": locID,
				"address_1": dk.Address, "city": dk.Municipality, "region": ProvinceName(dk.Province), "state_province": dk.Province,
				"postal_code": dk.Postcode, "country": "IT", "address_type": "physical"})
		}
		if dk.Phone != "" {
			tables["phones"] = append(tables["phones"], row{"id": id("phone"), "location_id": locID, "number": dk.Phone, "type": "voice"})
		}
		for _, l := range dk.Languages {
			tables["languages"] = append(tables["languages"], row{"id": id("language", l), "location_id": locID,
				"code": l, "name": languageName("en", l)})
		}
		for i, h := range dk.Hours {
			tables["schedules"] = append(tables["schedules"], row{"id": id("schedule", h.Day, fmt.Sprint(i)), "location_id": locID,
				"freq": "WEEKLY", "wkst": "MO", "byday": hsdsDays[h.Day], "opens_at": FormatClock(h.Opens), "closes_at": FormatClock(h.Closes),
				"description": "Orario settimanale (ora di Roma)"})
		}
		for i, s := range dk.SpecialHours {
			day := s.Date.Format(time.DateOnly)
			tables["schedules"] = append(tables["schedules"], row{"id": id("special", fmt.Sprint(i)), "location_id": locID,
				"valid_from": day, "valid_to": day, "opens_at": FormatClock(s.Opens), "closes_at": FormatClock(s.Closes),
				"description": strings.TrimSpace("Orario speciale " + s.Note)})
		}
		for i, c := range dk.Closures {
			tables["schedules"] = append(tables["schedules"], row{"id": id("closure", fmt.Sprint(i)), "location_id": locID,
				"valid_from": c.From.Format(time.DateOnly), "valid_to": c.To.Format(time.DateOnly),
				"description": strings.TrimSpace("Chiuso " + c.Note)})
		}
		for _, s := range dk.Services {
			svcID := id("service", s)
			svc := row{"id": svcID, "organization_id": orgID, "name": env.T(Source, "desk.service."+s) + " – " + dk.Title,
				"description": desc, "status": "active", "url": base + URL(Source, dk.ID)}
			if dk.Email != "" {
				svc["email"] = dk.Email
			}
			tables["services"] = append(tables["services"], svc)
			tables["service_at_locations"] = append(tables["service_at_locations"], row{"id": id("sal", s), "service_id": svcID, "location_id": locID})
		}
	}
	out := map[string][]byte{}
	for name, rows := range tables {
		b, err := marshal(rows)
		if err != nil {
			return nil, err
		}
		out[name+".json"] = b
	}
	return out, nil
}
