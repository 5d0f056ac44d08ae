// Package contact is the contact-form function: a plain [net/http] handler
// that receives a question from the site's form and e-mails it to the desk
// the person chose.
//
// # The request
//
// The handler accepts only POST (else 405 with "Allow: POST") with an
// application/x-www-form-urlencoded body (else 415) of at most
// [MaxBodyBytes] (else 413). Browser posts from other origins are refused
// with 403 by [net/http.CrossOriginProtection]; extra trusted origins come
// from the configuration. The fields are:
//
//	name      the person's name (optional, one line, at most 100 characters)
//	reply     an e-mail address or a phone number for the answer (required)
//	lang      the language the person wants the answer in (a site language code)
//	ui        the language of the page holding the form (optional, hidden);
//	          the answer page uses it, else lang, else Accept-Language
//	desk      the id of a desk in the site data; never an address
//	topic     one of entry, residence, citizenship, family, services, consular, other
//	question  the question (required, at most 5,000 characters, may span lines)
//	consent   must be "yes": the privacy notice was accepted
//	website   a honeypot, hidden from people; it must stay empty
//	t         when the form was shown, in Unix milliseconds, set by the page's
//	          script; absent without JavaScript
//
// Every value must be valid UTF-8 (else 400). Bidi override and isolate
// characters are removed and text is normalised to NFC. A line break or other
// control character in any field but the question is refused (400), so no
// value can add a header to the e-mail.
//
// A filled honeypot, or a form sent less than [MinFillTime] after it was
// shown, gets the normal success answer and no e-mail is sent. A form without
// "t" is accepted and its e-mail marked "[no-js]". A time stamp in the future
// (the person's clock is ahead of the server's) is accepted, so that a wrong
// clock never loses a question.
//
// # The answer
//
// A form sent by the page's script carries "Accept: application/json" and
// gets JSON: {"ok": true, "redirect": "/it/contact/sent/", ...} with status
// 200, or {"ok": false, "errors": [{"field": ..., "message": ...}], ...} with
// the status below. A plain form post gets a 303 redirect to the site's "sent"
// page (Site.SentPath) on success, or a small HTML page in the reader's
// language listing what is wrong, with a link back to the form.
//
//	400  a field is missing or wrong; nothing was sent
//	403  posted from another site
//	405  not POST
//	413  body too large
//	415  not a url-encoded form
//	429  too many questions from this client (Retry-After says when to retry)
//	503  mail is not configured, or the mail relay failed or timed out: the
//	     question was NOT sent, and the page shows the desk's phone and e-mail
//
// One attempt is made to send each message and it is never retried, so a
// person never gets a success answer for an unsent message nor a duplicate.
//
// # The e-mail
//
// The only recipient is the chosen desk's address from the site data. The
// message is plain UTF-8 text, quoted-printable, written in the site's
// default language (the first in [Data.Languages]); its Subject is built from
// the topic and the desk, and Reply-To is set only when "reply" is an e-mail
// address. It goes out over SMTP with STARTTLS (required unless the relay is
// on loopback and explicitly allowed to be plain) and AUTH PLAIN, within
// [DefaultSendTimeout] and at least a second before the request's own
// deadline (the function's, on Lambda), leaving time to answer within a
// 10-second function budget. A person closing the page does not cut sending
// short.
//
// # Rate limit
//
// Each client may send [DefaultRateBurst] messages at once and one more every
// [DefaultRateEvery]. Clients are told apart by a salted hash of their
// address; the address itself is never stored. Only a valid question about
// to be sent uses the allowance, so correcting mistakes costs nothing. The
// limit lives in one
// function instance's memory, so it brakes floods rather than enforcing a
// global quota.
//
// # Logs and personal data
//
// Each request logs, with log/slog, a request id, the desk id (only when it
// is a known desk), an outcome code, the status and the latency. Nothing the
// person wrote, and not their address, is logged or stored.
//
// # Configuration and data
//
// [ConfigFromEnv] reads the CONTACT_* environment variables. [LoadData]
// reads the JSON file that the site build writes with [Data.Marshal]:
// languages, desks, translated messages (keys listed by [MessageKeys]) and
// site paths.
package contact
