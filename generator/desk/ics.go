package desk

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

var icsDays = map[string]string{"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}

// vtimezone describes Europe/Rome with the EU summer-time rule in force
// since 1996 (last Sunday of March 02:00 to last Sunday of October 03:00).
const vtimezone = "BEGIN:VTIMEZONE\nTZID:Europe/Rome\nX-LIC-LOCATION:Europe/Rome\n" +
	"BEGIN:DAYLIGHT\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nTZNAME:CEST\nDTSTART:19700329T020000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\nEND:DAYLIGHT\n" +
	"BEGIN:STANDARD\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nTZNAME:CET\nDTSTART:19701025T030000\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nEND:STANDARD\n" +
	"END:VTIMEZONE"

// ICS returns the desk's iCalendar file (RFC 5545): one weekly recurring
// event per opening range (starting in the week of d.Now), with EXDATEs for
// the closures and the special-hours dates, one event per special opening
// and one all-day event per closure. Text is Italian. Lines end in CRLF and
// are folded at 75 octets.
func (d *Directory) ICS(dk *Desk, baseURL string) []byte {
	rome := romeLocation()
	now := d.Now.In(rome)
	host := "desks"
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	stamp := d.Now.UTC().Format("20060102T150405Z")
	// Monday of the current week, as a calendar date.
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	page := strings.TrimSuffix(baseURL, "/") + URL(Source, dk.ID)

	var lines []string
	add := func(s ...string) { lines = append(lines, s...) }
	add("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//portal//desk directory//IT", "CALSCALE:GREGORIAN",
		"METHOD:PUBLISH", "X-WR-CALNAME:"+icsText(dk.Title), "X-WR-TIMEZONE:Europe/Rome")
	add(strings.Split(vtimezone, "\n")...)
	common := func() {
		add("SUMMARY:" + icsText(dk.Title))
		if loc := location(dk); loc != "" {
			add("LOCATION:" + icsText(loc))
		}
		if dk.Lat != nil {
			add(fmt.Sprintf("GEO:%s;%s", coord(*dk.Lat), coord(*dk.Lon)))
		}
		add("URL:" + page)
	}
	local := func(day time.Time, m int) string {
		t := day.Add(time.Duration(m) * time.Minute)
		return t.Format("20060102T150405")
	}
	for i, h := range dk.Hours {
		first := monday.AddDate(0, 0, indexOf(Days, h.Day))
		add("BEGIN:VEVENT",
			fmt.Sprintf("UID:%s-%s-%d@%s", dk.ID, h.Day, i, host),
			"DTSTAMP:"+stamp,
			"DTSTART;TZID=Europe/Rome:"+local(first, h.Opens),
			"DTEND;TZID=Europe/Rome:"+local(first, h.Closes),
			"RRULE:FREQ=WEEKLY;BYDAY="+icsDays[h.Day])
		var ex []string
		for _, day := range d.exceptions(dk) {
			if !day.Before(first) && indexOf(Days, dayCode(day)) == indexOf(Days, h.Day) {
				ex = append(ex, local(day, h.Opens))
			}
		}
		if len(ex) > 0 {
			add("EXDATE;TZID=Europe/Rome:" + strings.Join(ex, ","))
		}
		common()
		add("TRANSP:TRANSPARENT", "END:VEVENT")
	}
	for i, s := range dk.SpecialHours {
		summary := "Orario speciale"
		if s.Note != "" {
			summary += ": " + s.Note
		}
		add("BEGIN:VEVENT",
			fmt.Sprintf("UID:%s-special-%d@%s", dk.ID, i, host),
			"DTSTAMP:"+stamp,
			"DTSTART;TZID=Europe/Rome:"+local(s.Date, s.Opens),
			"DTEND;TZID=Europe/Rome:"+local(s.Date, s.Closes))
		common()
		add("DESCRIPTION:"+icsText(summary), "TRANSP:TRANSPARENT", "END:VEVENT")
	}
	for i, c := range dk.Closures {
		summary := "Chiuso"
		if c.Note != "" {
			summary += ": " + c.Note
		}
		add("BEGIN:VEVENT",
			fmt.Sprintf("UID:%s-closed-%d@%s", dk.ID, i, host),
			"DTSTAMP:"+stamp,
			"DTSTART;VALUE=DATE:"+c.From.Format("20060102"),
			"DTEND;VALUE=DATE:"+c.To.AddDate(0, 0, 1).Format("20060102"),
			"SUMMARY:"+icsText(dk.Title+" – "+summary),
			"URL:"+page, "TRANSP:TRANSPARENT", "END:VEVENT")
	}
	add("END:VCALENDAR")
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(fold(l))
	}
	return b.Bytes()
}

// exceptions returns every date on which the weekly hours do not apply:
// each day of each closure and each special-hours date.
func (d *Directory) exceptions(dk *Desk) []time.Time {
	var out []time.Time
	for _, c := range dk.Closures {
		for day := c.From; !day.After(c.To); day = day.AddDate(0, 0, 1) {
			out = append(out, day)
		}
	}
	for _, s := range dk.SpecialHours {
		if len(out) == 0 || !out[len(out)-1].Equal(s.Date) {
			out = append(out, s.Date)
		}
	}
	return out
}

func dayCode(t time.Time) string { return Days[(int(t.Weekday())+6)%7] }

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

func location(dk *Desk) string {
	var parts []string
	if dk.Address != "" {
		parts = append(parts, dk.Address)
	}
	town := dk.Municipality
	if dk.Postcode != "" {
		town = dk.Postcode + " " + town
	}
	return strings.Join(append(parts, town+" ("+dk.Province+")"), ", ")
}

// icsText escapes a TEXT value (RFC 5545 3.3.11).
func icsText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// fold writes one content line, folded so that no physical line exceeds 75
// octets (RFC 5545 3.1), never splitting a UTF-8 sequence, with CRLF.
func fold(line string) string {
	var b strings.Builder
	n := 0
	for _, r := range line {
		size := utf8.RuneLen(r)
		if n+size > 75 {
			b.WriteString("\r\n ")
			n = 1
		}
		b.WriteRune(r)
		n += size
	}
	b.WriteString("\r\n")
	return b.String()
}

func romeLocation() *time.Location {
	if loc, err := time.LoadLocation("Europe/Rome"); err == nil {
		return loc
	}
	// Without tzdata the wall-clock date may be off by an hour at night;
	// only the anchor week depends on it.
	return time.FixedZone("CET", 3600)
}
