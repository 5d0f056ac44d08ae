package contact

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
)

// message is one e-mail ready to be sent: the envelope and the bytes of the
// message, with CRLF line endings.
type message struct {
	from string // envelope sender, a bare address
	to   string // envelope recipient, a bare address: the desk's
	data []byte
}

// compose builds the e-mail for a validated form. The recipient is the
// desk's address from the site data; nothing in the form can add or change
// a recipient or a header, because single-line fields were checked for
// control characters, header values are encoded, and the question travels
// in a quoted-printable body.
func (d *Data) compose(from *mail.Address, f *Form, desk *Desk, now time.Time, id []byte) (*message, error) {
	lang := d.Languages[0].Code
	t := func(key string, args ...string) string { return d.text(lang, key, args...) }

	topic := t("contact.topic." + f.Topic)
	deskTitle := desk.TitleIn(lang)
	subject := t("contact.mail.subject", "{topic}", topic, "{desk}", deskTitle)

	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	var b bytes.Buffer
	header := func(name, value string) {
		// mime joins encoded words with a space; folding there keeps every
		// line short, and decoders ignore the space between encoded words.
		value = strings.ReplaceAll(value, "?= =?", "?=\r\n =?")
		fmt.Fprintf(&b, "%s: %s\r\n", name, value)
	}
	header("From", from.String())
	header("To", (&mail.Address{Name: deskTitle, Address: desk.Email}).String())
	kind, replyAddr := classifyReply(f.Reply)
	if kind == replyEmail {
		header("Reply-To", (&mail.Address{Name: f.Name, Address: replyAddr}).String())
	}
	header("Subject", mime.QEncoding.Encode("utf-8", subject))
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", "<"+hex.EncodeToString(id)+"@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")

	var body strings.Builder
	line := func(s string) { body.WriteString(s); body.WriteByte('\n') }
	if !f.HasStarted {
		line("[no-js]")
	}
	line(t("contact.mail.intro"))
	line("")
	if f.Name != "" {
		line(t("contact.field.name") + ": " + f.Name)
	}
	line(t("contact.field.reply") + ": " + f.Reply)
	if l := d.language(f.Lang); l != nil {
		line(t("contact.field.lang") + ": " + l.Name + " (" + l.Code + ")")
	}
	line(t("contact.field.desk") + ": " + deskTitle + " (" + desk.ID + ")")
	line(t("contact.field.topic") + ": " + topic)
	if kind != replyEmail {
		line(t("contact.mail.no_reply_email"))
	}
	line("")
	line(t("contact.mail.question"))
	line(f.Question)
	line("")
	line("-- ")
	line(t("contact.mail.footer", "{site}", d.Site.BaseURL))

	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(body.String())); err != nil {
		return nil, fmt.Errorf("contact: encoding the message body: %w", err)
	}
	if err := qp.Close(); err != nil {
		return nil, fmt.Errorf("contact: encoding the message body: %w", err)
	}
	return &message{from: from.Address, to: desk.Email, data: b.Bytes()}, nil
}
