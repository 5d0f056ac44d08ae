package desk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// shape describes the JSON types expected in /api/desks.json: a string
// naming a type, a map for an object (keys ending in "?" are optional),
// a one-element slice for an array of that shape.
var deskShape = map[string]any{
	"version": "number", "generated": "string", "site": "string",
	"languages": []any{"string"},
	"services":  []any{map[string]any{"code": "string", "name": "langmap"}},
	"desks": []any{map[string]any{
		"id": "string", "url": "langmap", "title": "langmap", "description": "langmap", "body_html": "langmap",
		"operator?": "string", "municipality": "string", "province": "string", "province_name": "string",
		"address?": "string", "postcode?": "string", "location": "location|null",
		"phone?": "string", "email?": "string", "website?": "string", "booking_url?": "string",
		"services": []any{"string"}, "languages": []any{"string"}, "appointment_only": "bool",
		"hours":         []any{map[string]any{"day": "string", "opens": "string", "closes": "string"}},
		"closures":      []any{map[string]any{"from": "string", "to": "string", "note?": "string"}},
		"special_hours": []any{map[string]any{"date": "string", "opens": "string", "closes": "string", "note?": "string"}},
		"ics":           "string",
	}},
}

func checkShape(path string, v any, shape any) []string {
	var errs []string
	switch s := shape.(type) {
	case string:
		ok := false
		for _, alt := range strings.Split(s, "|") {
			switch alt {
			case "string":
				_, ok = v.(string)
			case "number":
				_, ok = v.(float64)
			case "bool":
				_, ok = v.(bool)
			case "null":
				ok = v == nil
			case "location":
				m, isMap := v.(map[string]any)
				_, la := m["lat"].(float64)
				_, lo := m["lon"].(float64)
				ok = isMap && la && lo && len(m) == 2
			case "langmap":
				m, isMap := v.(map[string]any)
				ok = isMap
				for k, x := range m {
					if _, str := x.(string); !str || !slices.Contains(testEnv.langs, k) {
						ok = false
					}
				}
			}
			if ok {
				break
			}
		}
		if !ok {
			errs = append(errs, fmt.Sprintf("%s: %v is not %s", path, v, s))
		}
	case []any:
		arr, ok := v.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: not an array", path)}
		}
		for i, x := range arr {
			errs = append(errs, checkShape(fmt.Sprintf("%s[%d]", path, i), x, s[0])...)
		}
	case map[string]any:
		m, ok := v.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: not an object", path)}
		}
		for k, sub := range s {
			key, optional := strings.CutSuffix(k, "?")
			x, present := m[key]
			if !present {
				if !optional {
					errs = append(errs, fmt.Sprintf("%s.%s: missing", path, key))
				}
				continue
			}
			errs = append(errs, checkShape(path+"."+key, x, sub)...)
		}
		for k := range m {
			if _, a := s[k]; !a {
				if _, b := s[k+"?"]; !b {
					errs = append(errs, fmt.Sprintf("%s.%s: not in the documented schema", path, k))
				}
			}
		}
	}
	return errs
}

func TestJSONFeedShape(t *testing.T) {
	d := loadSite(t)
	b, err := d.JSON(testEnv)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("desks.json is not JSON: %v", err)
	}
	for _, e := range checkShape("$", v, deskShape) {
		t.Error(e)
	}
	if v["version"] != float64(SchemaVersion) || v["generated"] != "2026-11-22T10:00:00Z" {
		t.Errorf("version %v generated %v", v["version"], v["generated"])
	}
	desks := v["desks"].([]any)
	c := desks[2].(map[string]any)
	if c["id"] != "prova-centro" {
		t.Fatalf("third desk is %v", c["id"])
	}
	title := c["title"].(map[string]any)
	body := c["body_html"].(map[string]any)
	if title["ar"] != "شبّاك تجريبي – المركز" || title["en"] != "Test desk – Centre" || len(body) != 3 {
		t.Errorf("text in each language: title %v body langs %d", title, len(body))
	}
	if strings.Contains(body["it"].(string), "<script") {
		t.Errorf("raw HTML reached the feed: %s", body["it"])
	}
	if h := c["hours"].([]any)[3].(map[string]any); h["day"] != "fri" || h["closes"] != "24:00" {
		t.Errorf("hours %v", h)
	}
	if m := desks[0].(map[string]any); m["location"] != nil || len(m["hours"].([]any)) != 0 {
		t.Errorf("a desk without facts: location %v hours %v", m["location"], m["hours"])
	}
}

// checkRFC7946 applies the rules of RFC 7946 that the feed can break:
// FeatureCollection of Features (3.2, 3.3), Point geometry with a
// longitude-latitude position of 2 numbers in range (3.1.1, 3.1.2, 4),
// no "crs" member (4), id a string or number (3.2), properties an object
// or null (3.2).
func checkRFC7946(t *testing.T, b []byte, desks []*Desk) {
	t.Helper()
	var fc map[string]any
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if fc["type"] != "FeatureCollection" {
		t.Errorf("type %v", fc["type"])
	}
	if _, ok := fc["crs"]; ok {
		t.Error(`"crs" member is not allowed (RFC 7946 section 4)`)
	}
	feats, ok := fc["features"].([]any)
	if !ok {
		t.Fatalf("features is not an array")
	}
	var withCoords []*Desk
	for _, dk := range desks {
		if dk.Lat != nil {
			withCoords = append(withCoords, dk)
		}
	}
	if len(feats) != len(withCoords) {
		t.Errorf("%d features, want %d (desks with coordinates)", len(feats), len(withCoords))
	}
	for i, f := range feats {
		f := f.(map[string]any)
		if f["type"] != "Feature" {
			t.Errorf("feature %d type %v", i, f["type"])
		}
		if _, ok := f["id"].(string); !ok {
			t.Errorf("feature %d id %v", i, f["id"])
		}
		if p, ok := f["properties"]; !ok || (p != nil && fmt.Sprintf("%T", p) != "map[string]interface {}") {
			t.Errorf("feature %d properties %v", i, p)
		}
		g := f["geometry"].(map[string]any)
		pos, _ := g["coordinates"].([]any)
		if g["type"] != "Point" || len(pos) != 2 {
			t.Errorf("feature %d geometry %v", i, g)
			continue
		}
		lon, ok1 := pos[0].(float64)
		lat, ok2 := pos[1].(float64)
		if !ok1 || !ok2 || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
			t.Errorf("feature %d position %v out of range", i, pos)
			continue
		}
		if i < len(withCoords) && (lon != *withCoords[i].Lon || lat != *withCoords[i].Lat) {
			t.Errorf("feature %d position %v, want [lon %v, lat %v]", i, pos, *withCoords[i].Lon, *withCoords[i].Lat)
		}
	}
}

func TestGeoJSON(t *testing.T) {
	d := loadSite(t)
	b, err := d.GeoJSON("https://portale.example.org")
	if err != nil {
		t.Fatal(err)
	}
	checkRFC7946(t, b, d.Desks)
	golden(t, "desks.geojson", b)
}

// TestGeoJSONValidator runs the npm validator @placemarkio/check-geojson
// (a devDependency in package.json) on the feed of the test site and of
// the bench corpus, and checks that it rejects a broken file.
func TestGeoJSONValidator(t *testing.T) {
	root, _ := filepath.Abs("../..")
	if _, err := os.Stat(filepath.Join(root, "node_modules/@placemarkio/check-geojson")); err != nil {
		t.Fatalf("the GeoJSON validator is not installed: run npm ci in %s (%v)", root, err)
	}
	d := loadSite(t)
	b, err := d.GeoJSON("https://portale.example.org")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "desks.geojson")
	bad := filepath.Join(dir, "bad.geojson")
	os.WriteFile(good, b, 0o644)
	os.WriteFile(bad, bytes.Replace(b, []byte(`"Point"`), []byte(`"Punto"`), 1), 0o644)
	run := func(file string) (string, error) {
		cmd := exec.Command("node", "generator/desk/testdata/check-geojson.js", file)
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run(good); err != nil {
		t.Errorf("validator rejected desks.geojson: %v\n%s", err, out)
	}
	if out, err := run(bad); err == nil || !strings.Contains(out, "not allowed") {
		t.Errorf("validator accepted a broken file: %v\n%s", err, out)
	}
}

func TestICS(t *testing.T) {
	d := loadSite(t)
	b := d.ICS(d.Desk("prova-centro"), "https://portale.example.org")
	golden(t, "prova-centro.ics", b)
	s := string(b)
	if strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\n") || strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\r") || !strings.HasSuffix(s, "\r\n") {
		t.Fatal("lines must end in CRLF, with no bare CR or LF")
	}
	physical := strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
	for i, l := range physical {
		if len(l) > 75 {
			t.Errorf("line %d is %d octets, more than 75: %q", i+1, len(l), l)
		}
	}
	// Unfold (RFC 5545 3.1) and check the structure.
	unfolded := strings.Split(strings.ReplaceAll(strings.TrimSuffix(s, "\r\n"), "\r\n ", ""), "\r\n")
	var stack []string
	var events []map[string][]string
	var cur map[string][]string
	for i, l := range unfolded {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("line %d has no colon: %q", i+1, l)
		}
		switch name {
		case "BEGIN":
			stack = append(stack, value)
			if value == "VEVENT" {
				cur = map[string][]string{}
			}
		case "END":
			if len(stack) == 0 || stack[len(stack)-1] != value {
				t.Fatalf("line %d: END:%s does not close %v", i+1, value, stack)
			}
			stack = stack[:len(stack)-1]
			if value == "VEVENT" {
				events = append(events, cur)
				cur = nil
			}
		default:
			if cur != nil {
				key, _, _ := strings.Cut(name, ";")
				cur[key] = append(cur[key], l)
			}
		}
	}
	if len(stack) != 0 || unfolded[0] != "BEGIN:VCALENDAR" || !slices.Contains(unfolded, "VERSION:2.0") || !slices.Contains(unfolded, "TZID:Europe/Rome") {
		t.Fatalf("bad calendar structure: %v", unfolded[:5])
	}
	if !slices.Contains(unfolded, "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU") || !slices.Contains(unfolded, "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU") {
		t.Error("VTIMEZONE lacks the EU summer-time rules")
	}
	uids := map[string]bool{}
	for _, e := range events {
		for _, req := range []string{"UID", "DTSTAMP", "DTSTART"} {
			if len(e[req]) != 1 {
				t.Errorf("event %v: %s appears %d times", e["UID"], req, len(e[req]))
			}
		}
		if uids[e["UID"][0]] {
			t.Errorf("duplicate %s", e["UID"][0])
		}
		uids[e["UID"][0]] = true
	}
	// 5 weekly ranges + 1 special opening + 2 closures.
	if len(events) != 8 {
		t.Fatalf("%d events, want 8", len(events))
	}
	want := map[string][]string{
		"DTSTART": {"DTSTART;TZID=Europe/Rome:20261116T090000", "DTSTART;TZID=Europe/Rome:20261116T140000", "DTSTART;TZID=Europe/Rome:20261118T090000", "DTSTART;TZID=Europe/Rome:20261120T200000", "DTSTART;TZID=Europe/Rome:20261121T000000"},
		"DTEND":   {"DTEND;TZID=Europe/Rome:20261116T123000", "DTEND;TZID=Europe/Rome:20261116T160000", "DTEND;TZID=Europe/Rome:20261118T123000", "DTEND;TZID=Europe/Rome:20261121T000000", "DTEND;TZID=Europe/Rome:20261121T010000"},
		"RRULE":   {"RRULE:FREQ=WEEKLY;BYDAY=MO", "RRULE:FREQ=WEEKLY;BYDAY=MO", "RRULE:FREQ=WEEKLY;BYDAY=WE", "RRULE:FREQ=WEEKLY;BYDAY=FR", "RRULE:FREQ=WEEKLY;BYDAY=SA"},
	}
	for key, vals := range want {
		for i, v := range vals {
			if got := events[i][key]; len(got) != 1 || got[0] != v {
				t.Errorf("weekly event %d %s = %v, want %s", i, key, got, v)
			}
		}
	}
	// The closure 24-26 December (Thursday to Saturday) removes the Friday
	// and Saturday ranges; 14 August is before the first occurrence.
	if got := events[3]["EXDATE"]; len(got) != 1 || got[0] != "EXDATE;TZID=Europe/Rome:20261225T200000" {
		t.Errorf("friday EXDATE %v", got)
	}
	if got := events[4]["EXDATE"]; len(got) != 1 || got[0] != "EXDATE;TZID=Europe/Rome:20261226T000000" {
		t.Errorf("saturday EXDATE %v", got)
	}
	for i := 0; i < 3; i++ {
		if ex := events[i]["EXDATE"]; ex != nil {
			t.Errorf("weekly event %d has EXDATE %v", i, ex)
		}
	}
	if got := events[7]["DTSTART"][0] + " " + events[7]["DTEND"][0]; got != "DTSTART;VALUE=DATE:20261224 DTEND;VALUE=DATE:20261227" {
		t.Errorf("closure event %s", got)
	}
	if !regexp.MustCompile(`SUMMARY:.*Chiuso: Chiusura natalizia`).MatchString(strings.Join(unfolded, "\n")) {
		t.Error("closure note missing")
	}
}

func TestICSFold(t *testing.T) {
	for _, in := range []string{strings.Repeat("a", 200), "SUMMARY:" + strings.Repeat("è", 80), "X:" + strings.Repeat("漢", 60)} {
		out := fold(in)
		for _, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
			if len(l) > 75 {
				t.Errorf("folded line of %d octets", len(l))
			}
			if !strings.HasPrefix(l, " ") && !strings.HasPrefix(in, l[:1]) {
				t.Errorf("continuation without space: %q", l)
			}
		}
		if got := strings.ReplaceAll(strings.TrimSuffix(out, "\r\n"), "\r\n ", ""); got != in {
			t.Errorf("unfolding does not give back the line: %q", got)
		}
	}
	if got := icsText("a,b;c\\d\ne"); got != `a\,b\;c\\d\ne` {
		t.Errorf("icsText: %s", got)
	}
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestHSDS(t *testing.T) {
	d := loadSite(t)
	files, err := d.HSDS(testEnv)
	if err != nil {
		t.Fatal(err)
	}
	tables := map[string][]map[string]any{}
	ids := map[string]string{}
	for name, b := range files {
		var rows []map[string]any
		if err := json.Unmarshal(b, &rows); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		table := strings.TrimSuffix(name, ".json")
		tables[table] = rows
		for _, r := range rows {
			id, _ := r["id"].(string)
			if !uuidRE.MatchString(id) {
				t.Errorf("%s: id %q is not a UUID", name, id)
			}
			if prev, dup := ids[id]; dup {
				t.Errorf("%s: id %s also in %s", name, id, prev)
			}
			ids[id] = table
		}
	}
	ref := func(table, field, target string) {
		for _, r := range tables[table] {
			v, ok := r[field].(string)
			if !ok || ids[v] != target {
				t.Errorf("%s.%s = %v does not name a row of %s", table, field, r[field], target)
			}
		}
	}
	ref("services", "organization_id", "organizations")
	ref("locations", "organization_id", "organizations")
	ref("service_at_locations", "service_id", "services")
	ref("service_at_locations", "location_id", "locations")
	ref("schedules", "location_id", "locations")
	ref("phones", "location_id", "locations")
	ref("languages", "location_id", "locations")
	ref("addresses", "location_id", "locations")
	required := map[string][]string{
		"organizations": {"name", "description"}, "services": {"name", "status"}, "locations": {"location_type"},
		"addresses": {"address_1", "city", "state_province", "postal_code", "country"}, "phones": {"number"},
	}
	for table, fields := range required {
		for _, r := range tables[table] {
			for _, f := range fields {
				if s, _ := r[f].(string); s == "" {
					t.Errorf("%s row %v lacks %s", table, r["id"], f)
				}
			}
		}
	}
	if n := len(tables["locations"]); n != 3 {
		t.Errorf("%d locations, want 3", n)
	}
	if n := len(tables["services"]); n != 4 {
		t.Errorf("%d services, want 4 (3 at prova-centro, 1 at prova-nord)", n)
	}
	if n := len(tables["schedules"]); n != 5+1+1+2 {
		t.Errorf("%d schedules, want 9", n)
	}
	// Stable across builds.
	again, _ := d.HSDS(testEnv)
	if !bytes.Equal(again["services.json"], files["services.json"]) {
		t.Error("HSDS output changes between runs")
	}
}

func TestWriteFeeds(t *testing.T) {
	d := loadSite(t)
	out := t.TempDir()
	if err := d.WriteFeeds(out, testEnv); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"api/desks.json", "api/desks.geojson", "api/hsds/organizations.json", "api/hsds/services.json",
		"api/hsds/locations.json", "api/hsds/schedules.json", "api/desks/prova-centro.ics", "api/desks/prova-minimo.ics", "api/desks/prova-nord.ics"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
}
