package contact

import (
	"bytes"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"portal/contact/internal/smtptest"
)

// decodeMessage parses a received message and returns its decoded subject
// and body.
func decodeMessage(t *testing.T, data []byte) (*mail.Message, string, string) {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("received message does not parse: %v\n%s", err, data)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("Subject does not decode: %v", err)
	}
	if got := m.Header.Get("Content-Transfer-Encoding"); got != "quoted-printable" {
		t.Fatalf("Content-Transfer-Encoding = %q, want quoted-printable", got)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	if err != nil {
		t.Fatalf("body does not decode: %v", err)
	}
	// Quoted-printable text keeps the CRLF line breaks of the message.
	return m, subject, strings.ReplaceAll(string(body), "\r\n", "\n")
}

// TestDelivery sends real submissions through the handler to a real SMTP
// server on loopback and checks what arrives, byte for byte against a golden
// file and field by field.
func TestDelivery(t *testing.T) {
	tests := []struct {
		name        string
		form        map[string]string
		wantTo      string
		wantReplyTo string // "" means no Reply-To header
		wantSubject string
		wantInBody  []string
		wantNoJS    bool
	}{
		{
			name:        "italian-email-reply",
			form:        map[string]string{},
			wantTo:      "centro@desks.example.org",
			wantReplyTo: `"Maria Rossi" <maria.rossi@example.net>`,
			wantSubject: "Domanda dal sito: Permesso di soggiorno (Sportello Centro)",
			wantInBody: []string{
				"Nome: Maria Rossi\n",
				"E-mail o telefono per la risposta: maria.rossi@example.net\n",
				"Lingua preferita: Italiano (it)\n",
				"Sportello: Sportello Centro (centro)\n",
				"Domanda:\nIl mio permesso scade a gennaio: quando devo chiedere il rinnovo?\n",
				"https://portale.example.org",
			},
		},
		{
			name: "arabic-question-phone-reply",
			form: map[string]string{
				"name":     "أحمد المصري",
				"reply":    "+39 333 1234567",
				"lang":     "ar",
				"ui":       "ar",
				"desk":     "nord",
				"topic":    "family",
				"question": "أريد أن أعرف كيف أطلب لمّ شمل زوجتي وأطفالي.\nما هي الوثائق المطلوبة؟",
			},
			wantTo:      "nord@desks.example.org",
			wantSubject: "Domanda dal sito: Famiglia e ricongiungimento (Sportello Nord – Città)",
			wantInBody: []string{
				"Nome: أحمد المصري\n",
				"E-mail o telefono per la risposta: +39 333 1234567\n",
				"Lingua preferita: العربية (ar)\n",
				"Domanda:\nأريد أن أعرف كيف أطلب لمّ شمل زوجتي وأطفالي.\nما هي الوثائق المطلوبة؟\n",
				"La persona non ha lasciato un indirizzo e-mail",
			},
		},
		{
			name: "chinese-question-no-js",
			form: map[string]string{
				"name":     "王小明",
				"reply":    "王小明 <wang@example.net>",
				"lang":     "zh",
				"topic":    "citizenship",
				"question": "我在意大利住了十年，可以申请公民身份吗？需要什么语言证书？",
				"t":        "\x00delete",
			},
			wantTo:      "centro@desks.example.org",
			wantReplyTo: "=?utf-8?q?=E7=8E=8B=E5=B0=8F=E6=98=8E?= <wang@example.net>",
			wantSubject: "Domanda dal sito: Cittadinanza (Sportello Centro)",
			wantInBody: []string{
				"Nome: 王小明\n",
				"Lingua preferita: 中文 (zh)\n",
				"Domanda:\n我在意大利住了十年，可以申请公民身份吗？需要什么语言证书？\n",
			},
			wantNoJS: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t, smtptest.Options{}, nil)
			form := validForm()
			for k, v := range tt.form {
				form = with(form, k, v)
			}
			w := post(fx.h, form.Encode())
			if w.Code != http.StatusSeeOther {
				t.Fatalf("status = %d, want 303; body:\n%s", w.Code, w.Body)
			}
			msgs := fx.smtp.Messages()
			if len(msgs) != 1 {
				t.Fatalf("server received %d messages, want 1", len(msgs))
			}
			got := msgs[0]
			if got.From != "noreply@portale.example.org" {
				t.Errorf("envelope sender = %q, want noreply@portale.example.org", got.From)
			}
			if len(got.To) != 1 || got.To[0] != tt.wantTo {
				t.Errorf("envelope recipients = %q, want exactly [%s]", got.To, tt.wantTo)
			}
			if fx.smtp.RcptCount() != 1 {
				t.Errorf("server saw %d RCPT commands, want 1", fx.smtp.RcptCount())
			}
			if got.User != testUser {
				t.Errorf("authenticated user = %q, want %q", got.User, testUser)
			}

			// Header lines are folded between encoded words (at most a
			// name and one 75-byte word); quoted-printable body lines stay
			// within 76 bytes.
			inBody := false
			for i, line := range strings.SplitAfter(string(got.Data), "\n") {
				if line == "" {
					continue
				}
				if !strings.HasSuffix(line, "\r\n") {
					t.Errorf("line %d does not end in CRLF: %q", i+1, line)
				}
				limit := 100
				if inBody {
					limit = 76
				}
				if n := len(line) - 2; n > limit {
					t.Errorf("line %d is %d bytes long, over %d: %q", i+1, n, limit, line)
				}
				inBody = inBody || line == "\r\n"
			}

			m, subject, body := decodeMessage(t, got.Data)
			to, err := mail.ParseAddress(m.Header.Get("To"))
			if err != nil || to.Address != tt.wantTo {
				t.Errorf("To header = %q (%v), want address %s", m.Header.Get("To"), err, tt.wantTo)
			}
			if rt := m.Header.Get("Reply-To"); rt != tt.wantReplyTo {
				t.Errorf("Reply-To = %q, want %q", rt, tt.wantReplyTo)
			}
			if subject != tt.wantSubject {
				t.Errorf("Subject decodes to %q, want %q", subject, tt.wantSubject)
			}
			for _, h := range []string{"Date", "Message-ID", "MIME-Version", "From"} {
				if m.Header.Get(h) == "" {
					t.Errorf("header %s is missing", h)
				}
			}
			if ct := m.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			for _, want := range tt.wantInBody {
				if !strings.Contains(body, want) {
					t.Errorf("decoded body lacks %q; body:\n%s", want, body)
				}
			}
			if hasMarker := strings.HasPrefix(body, "[no-js]\n"); hasMarker != tt.wantNoJS {
				t.Errorf("body starts with [no-js]: %v, want %v", hasMarker, tt.wantNoJS)
			}

			golden := filepath.Join("testdata", "mail", tt.name+".eml")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got.Data, want) {
				t.Errorf("received message differs from %s:\n--- got\n%s\n--- want\n%s", golden, got.Data, want)
			}
		})
	}
}
