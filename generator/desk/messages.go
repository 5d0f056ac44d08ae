package desk

// messages holds the default Italian and English text of every UI string
// the desk pages use. No key takes arguments: {time}, {day} and {date} in
// desk.status.* are placeholders that desks.js fills in the browser, so
// translations must keep them.
var messages = map[string][2]string{
	"desk.list.title":            {"Sportelli", "Desks"},
	"desk.list.description":      {"Dove trovare gli sportelli per cittadini stranieri: orari, servizi e lingue parlate.", "Where to find the desks for foreign residents: opening hours, services and languages spoken."},
	"desk.list.none":             {"Nessuno sportello in questo elenco.", "No desks in this list."},
	"desk.list.all":              {"Tutti gli sportelli", "All desks"},
	"desk.filter.heading":        {"Filtra l'elenco", "Filter the list"},
	"desk.filter.service":        {"Servizio", "Service"},
	"desk.filter.language":       {"Lingua parlata", "Language spoken"},
	"desk.filter.any":            {"Tutti", "All"},
	"desk.filter.open":           {"Solo aperti ora", "Open now only"},
	"desk.filter.none":           {"Nessuno sportello corrisponde ai filtri scelti.", "No desk matches the filters you chose."},
	"desk.filter.byservice":      {"Sportelli per servizio", "Desks by service"},
	"desk.filter.bylanguage":     {"Sportelli per lingua parlata", "Desks by language spoken"},
	"desk.filter.service.intro":  {"Sportelli che offrono questo servizio.", "Desks that offer this service."},
	"desk.filter.language.intro": {"Sportelli dove si parla questa lingua.", "Desks where this language is spoken."},

	"desk.service.permit-renewal":       {"Rinnovo del permesso di soggiorno", "Residence permit renewal"},
	"desk.service.permit-first":         {"Primo permesso di soggiorno", "First residence permit"},
	"desk.service.family-reunification": {"Ricongiungimento familiare", "Family reunification"},
	"desk.service.citizenship":          {"Cittadinanza", "Citizenship"},
	"desk.service.legal-advice":         {"Consulenza legale", "Legal advice"},
	"desk.service.cultural-mediation":   {"Mediazione culturale", "Cultural mediation"},
	"desk.service.language-courses":     {"Corsi di lingua", "Language courses"},
	"desk.service.work":                 {"Lavoro", "Work"},
	"desk.service.housing":              {"Casa", "Housing"},
	"desk.service.health":               {"Salute", "Health"},
	"desk.service.school":               {"Scuola", "School"},

	"desk.day.mon": {"Lunedì", "Monday"},
	"desk.day.tue": {"Martedì", "Tuesday"},
	"desk.day.wed": {"Mercoledì", "Wednesday"},
	"desk.day.thu": {"Giovedì", "Thursday"},
	"desk.day.fri": {"Venerdì", "Friday"},
	"desk.day.sat": {"Sabato", "Saturday"},
	"desk.day.sun": {"Domenica", "Sunday"},

	"desk.hours":           {"Orari", "Opening hours"},
	"desk.hours.caption":   {"Orari di apertura settimanali", "Weekly opening hours"},
	"desk.hours.day":       {"Giorno", "Day"},
	"desk.hours.time":      {"Orario", "Hours"},
	"desk.hours.closed":    {"Chiuso", "Closed"},
	"desk.closures":        {"Giorni di chiusura", "Days closed"},
	"desk.special":         {"Orari speciali", "Special opening hours"},
	"desk.ics":             {"Aggiungi gli orari al tuo calendario (.ics)", "Add the opening hours to your calendar (.ics)"},
	"desk.appointment":     {"Solo su appuntamento", "By appointment only"},
	"desk.status.open":     {"Aperto ora: chiude alle {time}", "Open now: closes at {time}"},
	"desk.status.closed":   {"Chiuso ora", "Closed now"},
	"desk.status.today":    {"Chiuso ora: apre oggi alle {time}", "Closed now: opens today at {time}"},
	"desk.status.tomorrow": {"Chiuso ora: apre domani alle {time}", "Closed now: opens tomorrow at {time}"},
	"desk.status.day":      {"Chiuso ora: apre {day} alle {time}", "Closed now: opens {day} at {time}"},
	"desk.status.date":     {"Chiuso ora: apre il {date} alle {time}", "Closed now: opens on {date} at {time}"},
	"desk.operator":        {"Gestito da", "Run by"},
	"desk.where":           {"Dove si trova", "Where it is"},
	"desk.map.osm":         {"Vedi sulla mappa (OpenStreetMap)", "See it on the map (OpenStreetMap)"},
	"desk.map.geo":         {"Apri nell'app delle mappe", "Open in your map app"},
	"desk.contacts":        {"Contatti", "Contacts"},
	"desk.phone":           {"Telefono", "Phone"},
	"desk.email":           {"E-mail", "E-mail"},
	"desk.website":         {"Sito web", "Website"},
	"desk.booking":         {"Prenota un appuntamento", "Book an appointment"},
	"desk.write":           {"Scrivi a questo sportello", "Write to this desk"},
	"desk.services":        {"Servizi", "Services"},
	"desk.services.guides": {"Guide su questo argomento", "Guides on this subject"},
	"desk.languages":       {"Lingue parlate", "Languages spoken"},
	"desk.about":           {"Lo sportello", "About this desk"},
	"desk.fallback":        {"Questo testo è disponibile solo in italiano.", "This text is only available in Italian."},
	"desk.embed.title":     {"Sportelli per cittadini stranieri", "Desks for foreign residents"},
	"desk.embed.source":    {"Dati del portale", "Data from the portal"},
}

// MessageKeys returns, for every UI string the desk pages use, its default
// Italian and English text. No key takes arguments; see the placeholders
// note on desk.status.* keys in doc.go.
func MessageKeys() map[string][2]string {
	out := make(map[string][2]string, len(messages))
	for k, v := range messages {
		out[k] = v
	}
	return out
}
