package contact

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"portal/contact/internal/smtptest"
)

// rawForm encodes a form by hand, so that a test controls every byte.
func rawForm(v url.Values, raw ...string) string {
	s := v.Encode()
	for _, r := range raw {
		s += "&" + r
	}
	return s
}

// TestHeaderInjection puts line breaks in every field. Nothing may be sent:
// single-line fields are refused with 400, the hidden honeypot silently drops
// the form, and the question, the only multi-line field, travels in the
// encoded body where a line break cannot start a header.
func TestHeaderInjection(t *testing.T) {
	payloads := map[string]string{
		"crlf":         "x%0D%0ABcc:%20victim@evil.test",
		"crlf-lower":   "x%0d%0abcc:%20victim@evil.test",
		"lf":           "x%0ABcc:%20victim@evil.test",
		"cr":           "x%0DBcc:%20victim@evil.test",
		"crlf-crlf":    "x%0D%0A%0D%0Abody",
		"nel":          "x%C2%85Bcc:%20victim@evil.test",
		"line-sep":     "x%E2%80%A8Bcc:%20victim@evil.test",
		"nul":          "x%00y",
		"leading-crlf": "%0D%0ABcc:%20victim@evil.test",
	}
	fields := []string{"name", "reply", "lang", "ui", "desk", "topic", "consent", "t", "website"}
	for _, field := range fields {
		for pname, payload := range payloads {
			t.Run(field+"/"+pname, func(t *testing.T) {
				fx := newFixture(t, smtptest.Options{}, nil)
				form := validForm()
				form.Del(field)
				value := payload
				if field == "reply" {
					value = "maria@example.net" + payload
				}
				w := post(fx.h, rawForm(form, field+"="+value))
				want := http.StatusBadRequest
				if field == "website" {
					want = http.StatusSeeOther // the honeypot drops silently
				}
				if w.Code != want {
					t.Errorf("status = %d, want %d; body:\n%s", w.Code, want, w.Body)
				}
				if strings.Contains(w.Body.String(), "contact.error.") || strings.Contains(w.Body.String(), "contact.field.") {
					t.Errorf("answer shows a message key instead of text:\n%s", w.Body)
				}
				if n := len(fx.smtp.Messages()); n != 0 {
					t.Errorf("server received %d messages, want 0", n)
				}
				if n := fx.smtp.RcptCount(); n != 0 {
					t.Errorf("server saw %d RCPT commands, want 0", n)
				}
			})
		}
	}

	t.Run("question", func(t *testing.T) {
		fx := newFixture(t, smtptest.Options{}, nil)
		form := validForm()
		form.Del("question")
		w := post(fx.h, rawForm(form, "question=first%0D%0ABcc:%20victim@evil.test%0D%0A%0D%0Aafter%0Dlone-cr%0Alone-lf"))
		if w.Code != http.StatusSeeOther {
			t.Fatalf("status = %d, want 303; body:\n%s", w.Code, w.Body)
		}
		msgs := fx.smtp.Messages()
		if len(msgs) != 1 || len(msgs[0].To) != 1 || msgs[0].To[0] != "centro@desks.example.org" || fx.smtp.RcptCount() != 1 {
			t.Fatalf("want exactly one message to the desk with one RCPT; got %d messages, %d RCPT", len(msgs), fx.smtp.RcptCount())
		}
		m, _, body := decodeMessage(t, msgs[0].Data)
		if bcc := m.Header.Get("Bcc"); bcc != "" {
			t.Errorf("injected Bcc header arrived: %q", bcc)
		}
		if !strings.Contains(body, "Domanda:\nfirst\nBcc: victim@evil.test\n\nafter\nlone-cr\nlone-lf\n") {
			t.Errorf("question text not delivered as body text with normalised line breaks:\n%s", body)
		}
	})
}

// TestBadInput checks every refused request: its status, the field blamed,
// and that nothing reaches the SMTP server.
func TestBadInput(t *testing.T) {
	long := func(r string, n int) string { return strings.Repeat(r, n) }
	tests := []struct {
		name      string
		method    string
		ctype     string
		body      string
		headers   map[string]string
		status    int
		wantField string // field blamed in the JSON answer; "-" for a whole-form error
		wantKey   string // message key expected
	}{
		{name: "GET", method: "GET", body: "", status: 405, wantField: "-", wantKey: "contact.error.method"},
		{name: "PUT", method: "PUT", body: validForm().Encode(), status: 405, wantField: "-", wantKey: "contact.error.method"},
		{name: "multipart", ctype: "multipart/form-data; boundary=x", body: "--x--", status: 415, wantField: "-", wantKey: "contact.error.content_type"},
		{name: "json", ctype: "application/json", body: `{"name":"x"}`, status: 415, wantField: "-", wantKey: "contact.error.content_type"},
		{name: "no content type", ctype: "-", body: validForm().Encode(), status: 415, wantField: "-", wantKey: "contact.error.content_type"},
		{name: "latin1 charset", ctype: "application/x-www-form-urlencoded; charset=iso-8859-1", body: validForm().Encode(), status: 415, wantField: "-", wantKey: "contact.error.content_type"},
		{name: "1 MB body", body: "question=" + long("a", 1<<20), status: 413, wantField: "-", wantKey: "contact.error.too_large"},
		{name: "one byte over the limit", body: rawForm(validForm(), "pad="+long("a", MaxBodyBytes))[:MaxBodyBytes+1], status: 413, wantField: "-", wantKey: "contact.error.too_large"},
		{name: "invalid UTF-8", body: rawForm(with(validForm(), "name", "\x00delete"), "name=Mar%FFia"), status: 400, wantField: "-", wantKey: "contact.error.encoding"},
		{name: "overlong UTF-8", body: rawForm(with(validForm(), "question", "\x00delete"), "question=%C0%AF"), status: 400, wantField: "-", wantKey: "contact.error.encoding"},
		{name: "bad escape", body: validForm().Encode() + "&name=%zz", status: 400, wantField: "-", wantKey: "contact.error.malformed"},
		{name: "semicolon", body: validForm().Encode() + ";x=1", status: 400, wantField: "-", wantKey: "contact.error.malformed"},
		{name: "time stamp not a number", body: with(validForm(), "t", "soon").Encode(), status: 400, wantField: "-", wantKey: "contact.error.malformed"},
		{name: "missing reply", body: with(validForm(), "reply", "").Encode(), status: 400, wantField: "reply", wantKey: "contact.error.required"},
		{name: "reply neither mail nor phone", body: with(validForm(), "reply", "ask my neighbour").Encode(), status: 400, wantField: "reply", wantKey: "contact.error.reply"},
		{name: "reply half an address", body: with(validForm(), "reply", "maria@").Encode(), status: 400, wantField: "reply", wantKey: "contact.error.reply"},
		{name: "reply two addresses", body: with(validForm(), "reply", "a@example.net, b@example.net").Encode(), status: 400, wantField: "reply", wantKey: "contact.error.reply"},
		{name: "missing lang", body: with(validForm(), "lang", "\x00delete").Encode(), status: 400, wantField: "lang", wantKey: "contact.error.required"},
		{name: "unknown lang", body: with(validForm(), "lang", "xx").Encode(), status: 400, wantField: "lang", wantKey: "contact.error.unknown_lang"},
		{name: "missing desk", body: with(validForm(), "desk", "\x00delete").Encode(), status: 400, wantField: "desk", wantKey: "contact.error.required"},
		{name: "unknown desk", body: with(validForm(), "desk", "sud").Encode(), status: 400, wantField: "desk", wantKey: "contact.error.unknown_desk"},
		{name: "desk as address", body: with(validForm(), "desk", "victim@evil.test").Encode(), status: 400, wantField: "desk", wantKey: "contact.error.unknown_desk"},
		{name: "desk path", body: with(validForm(), "desk", "../centro").Encode(), status: 400, wantField: "desk", wantKey: "contact.error.unknown_desk"},
		{name: "desk upper case", body: with(validForm(), "desk", "CENTRO").Encode(), status: 400, wantField: "desk", wantKey: "contact.error.unknown_desk"},
		{name: "desk without e-mail", body: with(validForm(), "desk", "solo-telefono").Encode(), status: 400, wantField: "desk", wantKey: "contact.error.desk_no_email"},
		{name: "desk twice", body: validForm().Encode() + "&desk=nord", status: 400, wantField: "desk", wantKey: "contact.error.repeated"},
		{name: "missing topic", body: with(validForm(), "topic", "\x00delete").Encode(), status: 400, wantField: "topic", wantKey: "contact.error.required"},
		{name: "unknown topic", body: with(validForm(), "topic", "asylum-fast-track").Encode(), status: 400, wantField: "topic", wantKey: "contact.error.unknown_topic"},
		{name: "missing question", body: with(validForm(), "question", "\x00delete").Encode(), status: 400, wantField: "question", wantKey: "contact.error.required"},
		{name: "question of spaces", body: with(validForm(), "question", " \n\t ").Encode(), status: 400, wantField: "question", wantKey: "contact.error.required"},
		{name: "question with escape char", body: with(validForm(), "question", "ciao\x1b[31m").Encode(), status: 400, wantField: "question", wantKey: "contact.error.control"},
		{name: "name too long", body: with(validForm(), "name", long("é", 101)).Encode(), status: 400, wantField: "name", wantKey: "contact.error.too_long"},
		{name: "question too long", body: with(validForm(), "question", long("a", 5001)).Encode(), status: 400, wantField: "question", wantKey: "contact.error.too_long"},
		{name: "no consent", body: with(validForm(), "consent", "\x00delete").Encode(), status: 400, wantField: "consent", wantKey: "contact.error.consent"},
		{name: "consent not yes", body: with(validForm(), "consent", "on").Encode(), status: 400, wantField: "consent", wantKey: "contact.error.consent"},
		{name: "other site by Origin", headers: map[string]string{"Origin": "https://evil.test"}, body: validForm().Encode(), status: 403, wantField: "-", wantKey: "contact.error.cross_origin"},
		{name: "other site by Sec-Fetch-Site", headers: map[string]string{"Sec-Fetch-Site": "cross-site"}, body: validForm().Encode(), status: 403, wantField: "-", wantKey: "contact.error.cross_origin"},
		{name: "sibling subdomain", headers: map[string]string{"Sec-Fetch-Site": "same-site", "Origin": "https://blog.example.org"}, body: validForm().Encode(), status: 403, wantField: "-", wantKey: "contact.error.cross_origin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t, smtptest.Options{}, nil)
			mods := []func(*http.Request){header("Accept", "application/json")}
			if tt.method != "" {
				mods = append(mods, func(r *http.Request) { r.Method = tt.method })
			}
			switch tt.ctype {
			case "":
			case "-":
				mods = append(mods, func(r *http.Request) { r.Header.Del("Content-Type") })
			default:
				mods = append(mods, header("Content-Type", tt.ctype))
			}
			for k, v := range tt.headers {
				mods = append(mods, header(k, v))
			}
			w := post(fx.h, tt.body, mods...)
			if w.Code != tt.status {
				t.Fatalf("status = %d, want %d; body:\n%s", w.Code, tt.status, w.Body)
			}
			if tt.status == 405 && w.Header().Get("Allow") != "POST" {
				t.Errorf("Allow = %q, want POST", w.Header().Get("Allow"))
			}
			var ans jsonAnswer
			if err := json.Unmarshal(w.Body.Bytes(), &ans); err != nil {
				t.Fatalf("answer is not JSON: %v\n%s", err, w.Body)
			}
			if ans.OK {
				t.Errorf("answer says ok for a refused request")
			}
			field := tt.wantField
			if field == "-" {
				field = ""
			}
			var args []string
			if tt.wantKey == "contact.error.too_long" {
				args = []string{"{max}", strconv.Itoa(fieldLimits[field])}
			}
			wantMsg := fx.h.(*handler).message("it", FieldError{Field: field, Key: tt.wantKey, Args: args}, &result{})
			found := false
			for _, e := range ans.Errors {
				if e.Field == field && e.Message == wantMsg.Text {
					found = true
				}
			}
			if !found {
				t.Errorf("errors = %+v, want one for field %q with the text of %s", ans.Errors, field, tt.wantKey)
			}
			if n := len(fx.smtp.Messages()); n != 0 {
				t.Errorf("server received %d messages, want 0", n)
			}
		})
	}
}

// TestAccepted checks inputs at the edge of what is allowed.
func TestAccepted(t *testing.T) {
	tests := []struct {
		name       string
		form       url.Values
		mods       []func(*http.Request)
		wantInBody string
	}{
		{name: "5000 Chinese characters fit the body limit", form: with(validForm(), "question", strings.Repeat("问", 5000)), wantInBody: strings.Repeat("问", 5000)},
		{name: "5000 Arabic characters", form: with(validForm(), "question", strings.Repeat("س", 5000)), wantInBody: strings.Repeat("س", 5000)},
		{name: "no name", form: with(validForm(), "name", "\x00delete"), wantInBody: "Una persona ha scritto allo sportello con il modulo del sito.\n\nE-mail o telefono per la risposta: maria.rossi@example.net\n"},
		{name: "blank name", form: with(validForm(), "name", "   "), wantInBody: "sito.\n\nE-mail o telefono"},
		{name: "100-character name", form: with(validForm(), "name", strings.Repeat("é", 100)), wantInBody: "Nome: " + strings.Repeat("é", 100) + "\n"},
		{name: "bidi override stripped from name", form: with(validForm(), "name", "Maria\u202Egnp.exe\u202C Rossi"), wantInBody: "Nome: Mariagnp.exe Rossi\n"},
		{name: "decomposed accents normalised to NFC", form: with(validForm(), "name", "Nicolo\u0300"), wantInBody: "Nome: Nicolò\n"},
		{name: "phone reply", form: with(validForm(), "reply", "+39 (051) 123-4567"), wantInBody: "risposta: +39 (051) 123-4567\n"},
		{name: "next parameter ignored", form: with(validForm(), "next", "https://evil.test/"), wantInBody: "Domanda:"},
		{name: "script in question arrives as text", form: with(validForm(), "question", "<script>alert(1)</script>"), wantInBody: "<script>alert(1)</script>"},
		{name: "same origin by Origin header", form: validForm(), mods: []func(*http.Request){header("Origin", "https://portale.example.org")}, wantInBody: "Domanda:"},
		{name: "same origin by Sec-Fetch-Site", form: validForm(), mods: []func(*http.Request){header("Sec-Fetch-Site", "same-origin"), header("Origin", "https://portale.example.org")}, wantInBody: "Domanda:"},
		{name: "trusted origin", form: validForm(), mods: []func(*http.Request){header("Sec-Fetch-Site", "cross-site"), header("Origin", "https://www.example.org")}, wantInBody: "Domanda:"},
		{name: "client clock ahead of server", form: with(validForm(), "t", strconv.FormatInt(testNow.Add(time.Hour).UnixMilli(), 10)), wantInBody: "Domanda:"},
		{name: "utf-8 charset parameter", form: validForm(), mods: []func(*http.Request){header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")}, wantInBody: "Domanda:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t, smtptest.Options{}, func(c *Config) { c.AllowedOrigins = []string{"https://www.example.org"} })
			w := post(fx.h, tt.form.Encode(), tt.mods...)
			if w.Code != http.StatusSeeOther {
				t.Fatalf("status = %d, want 303; body:\n%s", w.Code, w.Body)
			}
			if loc := w.Header().Get("Location"); loc != "/it/contact/sent/" {
				t.Errorf("Location = %q, want /it/contact/sent/", loc)
			}
			msgs := fx.smtp.Messages()
			if len(msgs) != 1 {
				t.Fatalf("server received %d messages, want 1", len(msgs))
			}
			_, _, body := decodeMessage(t, msgs[0].Data)
			if !strings.Contains(body, tt.wantInBody) {
				t.Errorf("body lacks %q:\n%s", tt.wantInBody, body)
			}
		})
	}
}

// TestBotTraps checks the honeypot and the time trap: the bot gets the
// normal success answer and nothing is sent.
func TestBotTraps(t *testing.T) {
	ms := func(d time.Duration) string { return strconv.FormatInt(testNow.Add(d).UnixMilli(), 10) }
	tests := []struct {
		name     string
		form     url.Values
		wantSent bool
		wantNoJS bool
	}{
		{name: "honeypot filled", form: with(validForm(), "website", "https://spam.test")},
		{name: "honeypot filled, rest invalid", form: with(validForm(), "website", "x", "desk", "nowhere", "consent", "")},
		{name: "sent after 1 s", form: with(validForm(), "t", ms(-time.Second))},
		{name: "sent at once", form: with(validForm(), "t", ms(0))},
		{name: "sent after 2.999 s", form: with(validForm(), "t", ms(-2999*time.Millisecond))},
		{name: "sent after 3 s", form: with(validForm(), "t", ms(-3*time.Second)), wantSent: true},
		{name: "sent after 10 min", form: with(validForm(), "t", ms(-10*time.Minute)), wantSent: true},
		{name: "honeypot empty", form: with(validForm(), "website", ""), wantSent: true},
		{name: "no time stamp (no JavaScript)", form: with(validForm(), "t", "\x00delete"), wantSent: true, wantNoJS: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t, smtptest.Options{}, nil)
			w := post(fx.h, tt.form.Encode())
			if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/it/contact/sent/" {
				t.Fatalf("answer = %d Location %q, want 303 to /it/contact/sent/", w.Code, w.Header().Get("Location"))
			}
			msgs := fx.smtp.Messages()
			if got := len(msgs) == 1; got != tt.wantSent || len(msgs) > 1 {
				t.Fatalf("server received %d messages, want sent=%v", len(msgs), tt.wantSent)
			}
			if tt.wantSent {
				_, _, body := decodeMessage(t, msgs[0].Data)
				if noJS := strings.HasPrefix(body, "[no-js]\n"); noJS != tt.wantNoJS {
					t.Errorf("[no-js] marker = %v, want %v", noJS, tt.wantNoJS)
				}
			}
			// JSON clients get the same: success, nothing sent.
			w = post(fx.h, tt.form.Encode(), header("Accept", "application/json"))
			if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"ok":true`) {
				t.Errorf("JSON answer = %d %s, want 200 ok", w.Code, w.Body)
			}
		})
	}
}

// TestRateLimit drives the limiter with a fake clock through the handler.
func TestRateLimit(t *testing.T) {
	fx := newFixture(t, smtptest.Options{}, nil, WithRateLimit(2, time.Minute))
	from := func(ip string) func(*http.Request) { return func(r *http.Request) { r.RemoteAddr = ip + ":4000" } }
	body := validForm()
	send := func(ip string) *http.Response {
		// The time stamp must stay a minute old as the clock moves.
		b := with(body, "t", strconv.FormatInt(fx.clock.Now().Add(-time.Minute).UnixMilli(), 10))
		return post(fx.h, b.Encode(), from(ip)).Result()
	}
	for i := range 2 {
		if r := send("198.51.100.7"); r.StatusCode != 303 {
			t.Fatalf("message %d: status %d, want 303", i+1, r.StatusCode)
		}
	}
	r := send("198.51.100.7")
	if r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("third message: status %d, want 429", r.StatusCode)
	}
	if ra := r.Header.Get("Retry-After"); ra != "60" {
		t.Errorf("Retry-After = %q, want 60", ra)
	}
	if body := readAll(t, r.Body); !strings.Contains(body, "Riprova tra 1 minuti") {
		t.Errorf("429 page does not say when to retry:\n%s", body)
	}
	if r := send("198.51.100.8"); r.StatusCode != 303 {
		t.Errorf("another client: status %d, want 303", r.StatusCode)
	}
	fx.clock.Advance(30 * time.Second)
	if r := send("198.51.100.7"); r.StatusCode != 429 || r.Header.Get("Retry-After") != "30" {
		t.Errorf("after 30 s: status %d Retry-After %q, want 429 and 30", r.StatusCode, r.Header.Get("Retry-After"))
	}
	fx.clock.Advance(30 * time.Second)
	if r := send("198.51.100.7"); r.StatusCode != 303 {
		t.Errorf("after 60 s: status %d, want 303", r.StatusCode)
	}
	if n := len(fx.smtp.Messages()); n != 4 {
		t.Errorf("server received %d messages, want 4", n)
	}
	// Invalid forms do not use up the allowance: they send nothing.
	for range 5 {
		post(fx.h, with(body, "desk", "nowhere").Encode(), from("198.51.100.9"))
	}
	if r := send("198.51.100.9"); r.StatusCode != 303 {
		t.Errorf("after invalid forms: status %d, want 303", r.StatusCode)
	}
}

func TestLimiterKeepsNoAddress(t *testing.T) {
	l := newLimiter("salt-one", 1, time.Minute)
	l2 := newLimiter("salt-two", 1, time.Minute)
	addrs := []string{"203.0.113.7:1234", "[2001:db8::1]:443", "203.0.113.8:1"}
	for _, a := range addrs {
		l.allow(a, testNow)
		if l.key(a) == l2.key(a) {
			t.Errorf("the key of %s does not depend on the salt", a)
		}
	}
	if len(l.buckets) != 3 {
		t.Fatalf("limiter holds %d buckets, want 3", len(l.buckets))
	}
	for k := range l.buckets {
		for _, a := range addrs {
			host := strings.Trim(strings.Split(a, "]")[0], "[")
			host = strings.Split(host, ":")[0]
			if strings.Contains(string(k[:]), host) {
				t.Errorf("bucket key contains the address %s", host)
			}
		}
	}
	// The port does not matter: the same host is one client.
	if ok, _ := l.allow("203.0.113.7:9999", testNow); ok {
		t.Errorf("a new port of the same host got a fresh allowance")
	}
	// Full buckets are forgotten when the map is full.
	l.max = 3
	l.allow("203.0.113.9:1", testNow.Add(time.Hour))
	if len(l.buckets) != 1 {
		t.Errorf("after an hour with a full map, %d buckets remain, want 1", len(l.buckets))
	}
}

// TestJSONAnswers checks the answers given to the page's script.
func TestJSONAnswers(t *testing.T) {
	fx := newFixture(t, smtptest.Options{}, nil)
	w := post(fx.h, with(validForm(), "ui", "en").Encode(), header("Accept", "application/json"))
	if w.Code != http.StatusOK {
		t.Fatalf("status = %d, want 200", w.Code)
	}
	var ok jsonAnswer
	if err := json.Unmarshal(w.Body.Bytes(), &ok); err != nil {
		t.Fatal(err)
	}
	if !ok.OK || ok.Redirect != "/en/contact/sent/" || ok.Message != "Your question has been sent." {
		t.Errorf("answer = %+v", ok)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}

	w = post(fx.h, with(validForm(), "ui", "ar", "reply", "", "desk", "sud").Encode(), header("Accept", "application/json"))
	var bad jsonAnswer
	if err := json.Unmarshal(w.Body.Bytes(), &bad); err != nil {
		t.Fatal(err)
	}
	want := []jsonError{
		{Field: "reply", Message: "E-mail or phone for the answer: this field is required."},
		{Field: "desk", Message: "Desk: the chosen desk does not exist. Choose a desk from the list."},
	}
	if w.Code != 400 || bad.OK || bad.Message != "لم يتم إرسال سؤالك" || fmt.Sprint(bad.Errors) != fmt.Sprint(want) {
		t.Errorf("answer = %d %+v\nwant 400 with errors %+v", w.Code, bad, want)
	}
	if n := len(fx.smtp.Messages()); n != 1 {
		t.Errorf("server received %d messages, want 1", n)
	}
}

// TestErrorPage checks the page shown without JavaScript.
func TestErrorPage(t *testing.T) {
	fx := newFixture(t, smtptest.Options{}, nil)
	w := post(fx.h, with(validForm(), "ui", "ar", "name", strings.Repeat("x", 101), "question", "").Encode())
	if w.Code != 400 {
		t.Fatalf("status = %d, want 400", w.Code)
	}
	page := w.Body.String()
	for _, want := range []string{
		`<html lang="ar" dir="rtl">`,
		`<link rel="stylesheet" href="/assets/site.css">`,
		`<title>لم يتم إرسال سؤالك</title>`,
		`<h1>لم يتم إرسال سؤالك</h1>`, // translated: not marked
		// Missing Arabic texts fall back to English, marked as English.
		`<li><span lang="en" dir="ltr">الاسم: at most 100 characters.</span></li>`,
		`<li><span lang="en" dir="ltr">Question: this field is required.</span></li>`,
		`<a href="/ar/contact/"><span lang="en" dir="ltr">Back to the contact form</span></a>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q:\n%s", want, page)
		}
	}
	for _, banned := range []string{"<script", "style=", "<style", " on"} {
		if strings.Contains(page, banned) {
			t.Errorf("page contains %q, which the CSP forbids", banned)
		}
	}
	if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
}

// TestSecurityHeaders checks that every kind of answer carries the function's
// own security headers, since Netlify's header rules do not apply to it.
func TestSecurityHeaders(t *testing.T) {
	fx := newFixture(t, smtptest.Options{}, nil)
	answers := map[string]*http.Response{
		"303":  post(fx.h, validForm().Encode()).Result(),
		"400":  post(fx.h, "").Result(),
		"405":  post(fx.h, "", func(r *http.Request) { r.Method = "GET" }).Result(),
		"json": post(fx.h, validForm().Encode(), header("Accept", "application/json")).Result(),
	}
	want := map[string]string{
		"Cache-Control":           "no-store",
		"X-Content-Type-Options":  "nosniff",
		"Content-Security-Policy": "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
		"Referrer-Policy":         "same-origin",
		"X-Frame-Options":         "DENY",
	}
	for name, r := range answers {
		for k, v := range want {
			if got := r.Header.Values(k); len(got) != 1 || got[0] != v {
				t.Errorf("%s answer: %s = %q, want exactly %q", name, k, got, v)
			}
		}
		if r.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s answer allows cross-origin reads", name)
		}
	}
}
