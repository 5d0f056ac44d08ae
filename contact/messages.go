package contact

import (
	"maps"
	"strings"
)

// DefaultText is the built-in wording of one message in Italian and English.
type DefaultText struct {
	IT string // Italian
	EN string // English
}

// defaultMessages holds every message the function can show or write, with
// placeholders in braces ({field}, {max}, {phone}, ...).
var defaultMessages = map[string]DefaultText{
	// Page and JSON texts.
	"contact.page.error_title":   {"La domanda non è stata inviata", "Your question was not sent"},
	"contact.page.error_intro":   {"Correggi questi punti e invia di nuovo:", "Please correct the following and send again:"},
	"contact.page.back":          {"Torna al modulo", "Back to the form"},
	"contact.page.back_hint":     {"Con il pulsante «Indietro» del browser ritrovi il testo che hai scritto.", "Your browser's Back button takes you to the form with what you wrote."},
	"contact.page.sent":          {"La domanda è stata inviata.", "Your question has been sent."},
	"contact.page.alternatives":  {"Puoi contattare lo sportello direttamente:", "You can contact the desk directly:"},
	"contact.page.phone":         {"Telefono: {phone}", "Phone: {phone}"},
	"contact.page.email":         {"E-mail: {email}", "E-mail: {email}"},
	"contact.field.name":         {"Nome", "Name"},
	"contact.field.reply":        {"E-mail o telefono per la risposta", "E-mail or phone for the answer"},
	"contact.field.lang":         {"Lingua preferita", "Preferred language"},
	"contact.field.desk":         {"Sportello", "Desk"},
	"contact.field.topic":        {"Argomento", "Topic"},
	"contact.field.question":     {"Domanda", "Question"},
	"contact.field.consent":      {"Consenso al trattamento dei dati", "Consent to data processing"},
	"contact.error.required":     {"{field}: campo obbligatorio.", "{field}: this field is required."},
	"contact.error.too_long":     {"{field}: al massimo {max} caratteri.", "{field}: at most {max} characters."},
	"contact.error.single_line":  {"{field}: deve stare su una riga, senza caratteri di controllo.", "{field}: must be on one line, without control characters."},
	"contact.error.control":      {"{field}: contiene caratteri di controllo non ammessi.", "{field}: contains control characters that are not allowed."},
	"contact.error.repeated":     {"{field}: inviato più di una volta.", "{field}: sent more than once."},
	"contact.error.reply":        {"{field}: scrivi un indirizzo e-mail (nome@esempio.it) o un numero di telefono.", "{field}: write an e-mail address (name@example.org) or a phone number."},
	"contact.error.unknown_lang": {"{field}: scegli una lingua dall'elenco.", "{field}: choose a language from the list."},
	"contact.error.unknown_desk": {"{field}: lo sportello scelto non esiste. Scegli uno sportello dall'elenco.", "{field}: the chosen desk does not exist. Choose a desk from the list."},
	"contact.error.desk_no_email": {"{field}: questo sportello non riceve domande con il modulo. Contattalo direttamente.",
		"{field}: this desk does not receive questions through the form. Please contact it directly."},
	"contact.error.unknown_topic": {"{field}: scegli un argomento dall'elenco.", "{field}: choose a topic from the list."},
	"contact.error.consent":       {"{field}: per inviare la domanda devi accettare l'informativa sulla privacy.", "{field}: you must accept the privacy notice to send your question."},
	"contact.error.malformed":     {"Il modulo è arrivato danneggiato. Ricarica la pagina e riprova.", "The form arrived damaged. Please reload the page and try again."},
	"contact.error.encoding":      {"Il modulo contiene testo con una codifica non valida. Ricarica la pagina e riprova.", "The form contains text with an invalid encoding. Please reload the page and try again."},
	"contact.error.too_large":     {"Il modulo è troppo grande. Accorcia la domanda e riprova.", "The form is too large. Please shorten your question and try again."},
	"contact.error.method":        {"Questo indirizzo accetta solo l'invio del modulo.", "This address only accepts the submitted form."},
	"contact.error.content_type":  {"Il modulo è stato inviato in un formato non accettato.", "The form was sent in a format that is not accepted."},
	"contact.error.cross_origin":  {"Il modulo può essere inviato solo da questo sito.", "The form can only be sent from this site."},
	"contact.error.rate_limited": {"Hai inviato troppe domande in poco tempo. Riprova tra {minutes} minuti.",
		"You have sent too many questions in a short time. Please try again in {minutes} minutes."},
	"contact.error.not_configured": {"L'invio delle domande non è disponibile: la posta non è configurata. La domanda NON è stata inviata.",
		"Sending questions is not available: mail is not configured. Your question was NOT sent."},
	"contact.error.send_failed": {"Il server di posta non ha risposto: la domanda NON è stata inviata. Riprova più tardi o contatta lo sportello direttamente.",
		"The mail server did not answer: your question was NOT sent. Please try again later or contact the desk directly."},
	// Topics offered by the form.
	"contact.topic.entry":       {"Ingresso e visti", "Entry and visas"},
	"contact.topic.residence":   {"Permesso di soggiorno", "Residence permit"},
	"contact.topic.citizenship": {"Cittadinanza", "Citizenship"},
	"contact.topic.family":      {"Famiglia e ricongiungimento", "Family and reunification"},
	"contact.topic.services":    {"Servizi (casa, salute, scuola, lavoro)", "Services (housing, health, school, work)"},
	"contact.topic.consular":    {"Pratiche consolari", "Consular matters"},
	"contact.topic.other":       {"Altro", "Other"},
	// The e-mail to the desk, written in the site's default language.
	"contact.mail.subject":  {"Domanda dal sito: {topic} ({desk})", "Question from the website: {topic} ({desk})"},
	"contact.mail.intro":    {"Una persona ha scritto allo sportello con il modulo del sito.", "Someone wrote to the desk with the website's form."},
	"contact.mail.question": {"Domanda:", "Question:"},
	"contact.mail.no_reply_email": {"La persona non ha lasciato un indirizzo e-mail: per rispondere usa il recapito indicato sopra.",
		"The person left no e-mail address: use the contact given above to answer."},
	"contact.mail.footer": {"Messaggio inviato dal modulo di contatto di {site}. Non inoltrarlo oltre il necessario: può contenere dati personali.",
		"Sent by the contact form of {site}. Do not forward it further than needed: it may contain personal data."},
}

// MessageKeys returns every message key the contact function uses, with its
// default Italian and English text. Placeholders in braces ({field}, {max},
// {minutes}, {phone}, {email}, {topic}, {desk}, {site}) are filled in by the
// function and must be kept in translations.
func MessageKeys() map[string]DefaultText {
	return maps.Clone(defaultMessages)
}

// Topics lists the topic values the form may send, in display order. Each has
// the message key "contact.topic.<value>".
var Topics = []string{"entry", "residence", "citizenship", "family", "services", "consular", "other"}

// text returns the message key in language lang with placeholders replaced.
// A text missing for lang in the data file falls back to the built-in text
// for lang (Italian and English are built in), then to English, then to
// Italian, each from the data file first.
func (d *Data) text(lang, key string, args ...string) string {
	s, _ := d.textLang(lang, key, args...)
	return s
}

// textLang is text, also returning the language the text is in, which
// differs from lang when a translation is missing.
func (d *Data) textLang(lang, key string, args ...string) (string, string) {
	builtin := func(l string) string {
		switch l {
		case "it":
			return defaultMessages[key].IT
		case "en":
			return defaultMessages[key].EN
		}
		return ""
	}
	s, in := "", ""
	for _, l := range []string{lang, "en", "it"} {
		if s = d.Messages[l][key]; s == "" {
			s = builtin(l)
		}
		if s != "" {
			in = l
			break
		}
	}
	if s == "" {
		// A programming error: every key used in code is in defaultMessages,
		// which a test checks. Show the key rather than nothing.
		s, in = key, "en"
	}
	if len(args) > 0 {
		s = strings.NewReplacer(args...).Replace(s)
	}
	return s, in
}
