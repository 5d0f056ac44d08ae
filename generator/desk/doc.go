// Package desk is the desk directory: the sportelli (desks for foreign
// residents) described in content/desks/, validated, rendered as pages in
// every site language, published as feeds for other sites and as an
// embeddable list for partner municipalities.
//
// # Files
//
// content/desks/<id>.md holds a desk's language-neutral facts in front
// matter and its Italian description as body; the id is the file name
// (lower-case ASCII, digits, single hyphens). Keys: title, municipality,
// province (required); description, operator, address, postcode, lat, lon,
// phone, email, website, booking_url, services, languages,
// appointment_only, hours, closures, special_hours (optional; a missing
// fact is simply not shown). content/desks/<id>.<lang>.md translates
// title, description and body and may carry nothing else.
// content/desks/_index.md (or _index.it.md) and _index.<lang>.md give the
// listing's title, description and introduction.
//
// # Validation
//
// Load reports every problem, each with file, line and a fix: unknown keys
// (with "did you mean"), at the top level and inside hours, closures and
// special_hours entries; unknown service codes (see Services) and
// non-ISO 639-1 language codes; day codes other than mon..sun; times that
// are not HH:MM (closes may be 24:00), closes before or equal to opens,
// overlapping ranges on one day or one special date; province not an
// Italian sigla; postcode not five digits; coordinates outside Italy's
// bounding box (or swapped, or only one of them); phone not +39 and 6-11
// digits (spaces allowed); e-mail not a bare address; website or
// booking_url not https; closures with to before from or longer than a
// year; special hours inside a closure; duplicate ids (same file name in
// two folders); translations of a missing desk, in a language the site
// does not have, in Italian, or carrying facts.
//
// # Pages and URLs
//
// Pages(lang) returns, for each language: /<lang>/desks/ (grouped by
// province then municipality, with a filter form that desks.js reveals and
// static filter links that work without JavaScript),
// /<lang>/desks/service/<code>/ for every service code,
// /<lang>/desks/language/<code>/ for every language spoken at some desk,
// and /<lang>/desks/<id>/ for every desk (hours table, next opening,
// services linked to guides, OpenStreetMap and geo: links, tel:, mailto:,
// booking, the contact form with the desk preselected at
// /<lang>/contact/?desk=<id>, the .ics link, and schema.org
// GovernmentOffice JSON-LD in Page.Head). A page without a translation
// shows the Italian text marked lang="it" and sets Page.TextLang.
// Templates live in layouts/desk/ and are parsed once by UseLayouts; they
// emit no inline script or style. UI strings come from Env.T with the keys
// of MessageKeys; desk.status.* keep the placeholders {time}, {day} and
// {date}, which desks.js fills in.
//
// desks.js reads each desk's data-hours attribute,
//
//	{"w":[["mon","09:00","12:30"]],"c":[["2026-12-24","2026-12-26"]],"s":[["2026-12-31","09:00","11:00"]]}
//
// (weekly ranges, closed date ranges, special ranges that replace a date's
// weekly ones) and shows "open now" or the next opening in Europe/Rome
// time.
//
// # Feeds
//
// WriteFeeds writes under the output directory (serve /api/* with
// Access-Control-Allow-Origin: *):
//
//   - api/desks.json, format version SchemaVersion (1):
//
//     {"version": 1, "generated": RFC 3339 time, "site": base URL,
//     "languages": [site languages, Italian first],
//     "services": [{"code", "name": {lang: label}}],
//     "desks": [{
//     "id", "url": {lang: page URL}, "title": {lang: text},
//     "description": {lang: text}, "body_html": {lang: safe HTML},
//     "operator"?, "municipality", "province" (sigla), "province_name",
//     "address"?, "postcode"?, "location": {"lat", "lon"} or null,
//     "phone"?, "email"?, "website"?, "booking_url"?,
//     "services": [codes], "languages": [ISO 639-1], "appointment_only",
//     "hours": [{"day": "mon".."sun", "opens": "HH:MM", "closes": "HH:MM"}],
//     "closures": [{"from", "to" (inclusive, YYYY-MM-DD), "note"?}],
//     "special_hours": [{"date", "opens", "closes", "note"?}],
//     "ics": URL}]}
//
//     Keys marked ? are left out when unknown; text maps hold the
//     languages that have that text (always "it" for title). Times are
//     Europe/Rome wall-clock times; "24:00" means midnight at the end of
//     the day. Fields may be added within a version; a removal or change of
//     meaning increments it.
//
//   - api/desks.geojson: RFC 7946 FeatureCollection, one Point feature per
//     desk with coordinates ([lon, lat], WGS 84), id = desk id, properties
//     id, title, municipality, province, url, services, languages,
//     appointment_only and, when known, address, phone, email, website,
//     booking_url.
//
//   - api/hsds/{organizations,services,locations,service_at_locations,
//     addresses,phones,languages,schedules}.json: Open Referral HSDS 3.0
//     tables (arrays of objects). Organisations are operators; each desk is
//     a physical location; each service code at a desk is a service with a
//     service_at_location; weekly hours are WEEKLY schedules with byday,
//     special hours and closures are schedules with valid_from/valid_to.
//     Ids are name-based UUIDs (version 5), stable across builds.
//
//   - api/desks/<id>.ics: RFC 5545 calendar with VTIMEZONE Europe/Rome, a
//     weekly RRULE event per opening range with EXDATEs for closures and
//     special dates, and events for special hours and closures.
//
// # Embed
//
// EmbedPages returns /embed/desks/index.html (Italian) and
// /embed/desks/<lang>/index.html: standalone, light pages without site
// navigation that list every desk. desks.js filters them by ?municipality=
// and ?service= (and moves to the ?lang= page) and posts
// {type: "portal-desks:height", height} to the parent, which
// static/js/embed.js uses to size the iframe. See README-embed.md.
package desk
