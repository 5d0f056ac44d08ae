package contact

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"portal/contact/internal/smtptest"
)

// selfSignedTLS makes a certificate for 127.0.0.1 and returns the server's
// TLS configuration and a pool that trusts it.
func selfSignedTLS(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "test relay"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}

// TestSTARTTLS sends through a relay that offers STARTTLS, with plain
// connections not allowed, and checks the session was encrypted before AUTH.
func TestSTARTTLS(t *testing.T) {
	serverTLS, pool := selfSignedTLS(t)
	fx := newFixture(t, smtptest.Options{TLS: serverTLS}, func(c *Config) { c.SMTPInsecure = false }, WithRootCAs(pool))
	w := post(fx.h, validForm().Encode())
	if w.Code != http.StatusSeeOther {
		t.Fatalf("status = %d, want 303; body:\n%s\nlogs:\n%s", w.Code, w.Body, fx.logs)
	}
	msgs := fx.smtp.Messages()
	if len(msgs) != 1 || !msgs[0].TLS || msgs[0].User != testUser {
		t.Fatalf("messages = %+v, want one sent over TLS by %s", msgs, testUser)
	}

	// The same relay with a certificate the client does not trust.
	fx = newFixture(t, smtptest.Options{TLS: serverTLS}, func(c *Config) { c.SMTPInsecure = false })
	if w := post(fx.h, validForm().Encode()); w.Code != http.StatusServiceUnavailable {
		t.Errorf("untrusted certificate: status = %d, want 503", w.Code)
	}
	if n := len(fx.smtp.Messages()); n != 0 {
		t.Errorf("untrusted certificate: %d messages sent", n)
	}
}

// TestSMTPFailures checks that every way the relay can fail is reported to
// the person as "not sent", with the desk's other contacts, and never as a
// success.
func TestSMTPFailures(t *testing.T) {
	closedPort := func() int {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		return port
	}
	tests := []struct {
		name      string
		smtp      smtptest.Options
		configure func(*Config)
		wantLog   string
	}{
		{name: "relay down", configure: func(c *Config) { c.SMTPPort = closedPort() }, wantLog: "smtp dial: failed"},
		{name: "no STARTTLS offered", configure: func(c *Config) { c.SMTPInsecure = false }, wantLog: "smtp starttls: relay does not offer STARTTLS"},
		{name: "wrong password", configure: func(c *Config) { c.SMTPPassword = "wrong" }, wantLog: "smtp auth: server replied 454"},
		{name: "recipient refused", smtp: smtptest.Options{RejectRcpt: true}, wantLog: "smtp rcpt: server replied 550"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t, tt.smtp, tt.configure)
			w := post(fx.h, validForm().Encode())
			if w.Code != http.StatusServiceUnavailable {
				t.Fatalf("status = %d, want 503; body:\n%s", w.Code, w.Body)
			}
			page := w.Body.String()
			for _, want := range []string{
				"la domanda NON è stata inviata",
				`<a href="tel:&#43;390000000000">Telefono: &#43;39 0000 000000</a>`,
				`<a href="mailto:centro@desks.example.org">E-mail: centro@desks.example.org</a>`,
			} {
				if !strings.Contains(page, want) {
					t.Errorf("page lacks %q:\n%s", want, page)
				}
			}
			if n := len(fx.smtp.Messages()); n != 0 {
				t.Errorf("server received %d messages", n)
			}
			if !strings.Contains(fx.logs.String(), tt.wantLog) {
				t.Errorf("log lacks %q:\n%s", tt.wantLog, fx.logs)
			}

			w = post(fx.h, validForm().Encode(), header("Accept", "application/json"))
			var ans jsonAnswer
			if err := json.Unmarshal(w.Body.Bytes(), &ans); err != nil || w.Code != 503 || ans.OK {
				t.Fatalf("JSON answer = %d %s (%v), want 503 not ok", w.Code, w.Body, err)
			}
			wantAlt := []string{"Puoi contattare lo sportello direttamente:", "Telefono: +39 0000 000000", "E-mail: centro@desks.example.org"}
			if fmt.Sprint(ans.Alternatives) != fmt.Sprint(wantAlt) {
				t.Errorf("alternatives = %q, want %q", ans.Alternatives, wantAlt)
			}
		})
	}
}

// contactGoroutines lists goroutines other than the caller's that are inside
// the package's sending code or net/smtp.
func contactGoroutines() []string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var found []string
	for i, g := range strings.Split(string(buf), "\n\n") {
		if i == 0 {
			continue // the calling goroutine
		}
		if strings.Contains(g, "portal/contact.(*SMTPSender)") || strings.Contains(g, "net/smtp.") {
			found = append(found, g)
		}
	}
	return found
}

// TestSMTPSlow uses a relay that never answers DATA. The handler must give
// up at its deadline, answer 503, and leave no goroutine behind.
func TestSMTPSlow(t *testing.T) {
	hold := make(chan struct{})
	fx := newFixture(t, smtptest.Options{Hold: hold}, func(c *Config) { c.SendTimeout = 300 * time.Millisecond })
	t.Cleanup(func() { close(hold) }) // runs before the server's cleanup

	start := time.Now()
	w := post(fx.h, validForm().Encode())
	elapsed := time.Since(start)
	if w.Code != http.StatusServiceUnavailable {
		t.Fatalf("status = %d, want 503", w.Code)
	}
	// The relay is still holding DATA: the answer came from the deadline.
	if elapsed > 300*time.Millisecond+2*time.Second {
		t.Errorf("answer took %v with a 300ms send deadline", elapsed)
	}
	if !strings.Contains(fx.logs.String(), "smtp data: timed out") {
		t.Errorf("log does not report the time-out:\n%s", fx.logs)
	}
	var left []string
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if left = contactGoroutines(); len(left) == 0 {
			break
		}
	}
	if len(left) > 0 {
		t.Errorf("goroutines left in the sender after the answer:\n%s", strings.Join(left, "\n\n"))
	}
}

// TestNotConfigured checks the answer when environment variables are missing.
func TestNotConfigured(t *testing.T) {
	logs := &syncBuffer{}
	cfg, err := ConfigFromEnv(func(k string) string {
		return map[string]string{EnvSMTPUser: "someone", EnvSMTPPassword: "pa55-not-logged"}[k]
	})
	if err == nil {
		t.Fatal("ConfigFromEnv accepted a configuration without host or sender")
	}
	h := NewHandler(cfg, loadTestData(t), WithLogger(newJSONLogger(logs)))
	w := post(h, with(validForm(), "ui", "en").Encode())
	if w.Code != http.StatusServiceUnavailable {
		t.Fatalf("status = %d, want 503", w.Code)
	}
	if !strings.Contains(w.Body.String(), "mail is not configured. Your question was NOT sent.") {
		t.Errorf("page does not say mail is not configured:\n%s", w.Body)
	}
	for _, want := range []string{EnvSMTPHost, EnvFrom} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log does not name %s:\n%s", want, logs)
		}
	}
	for _, secret := range []string{"pa55-not-logged", "someone"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("log contains the configured value %q", secret)
		}
	}
}

// TestBurst posts 50 valid questions at once over loopback HTTP to a real
// SMTP server: all 50 must arrive, each exactly once.
func TestBurst(t *testing.T) {
	const n = 50
	fx := newFixture(t, smtptest.Options{}, nil, WithRateLimit(n, time.Hour), WithRandom(rand.Reader))
	srv := httptest.NewServer(fx.h)
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	postOne := func(i int) (int, error) {
		form := with(validForm(), "question", fmt.Sprintf("Domanda numero %d di %d", i, n))
		resp, err := client.Post(srv.URL, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	var wg sync.WaitGroup
	statuses := make([]int, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { statuses[i], errs[i] = postOne(i) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || statuses[i] != http.StatusSeeOther {
			t.Errorf("submission %d: status %d, error %v", i, statuses[i], errs[i])
		}
	}

	msgs := fx.smtp.Messages()
	if len(msgs) != n {
		t.Fatalf("server received %d messages, want %d", len(msgs), n)
	}
	seen := make(map[string]int)
	ids := make(map[string]bool)
	number := regexp.MustCompile(`Domanda numero (\d+) di 50`)
	for _, m := range msgs {
		hdr, _, body := decodeMessage(t, m.Data)
		match := number.FindStringSubmatch(body)
		if match == nil {
			t.Fatalf("message without its number:\n%s", body)
		}
		seen[match[1]]++
		ids[hdr.Header.Get("Message-ID")] = true
	}
	for i := range n {
		if c := seen[fmt.Sprint(i)]; c != 1 {
			t.Errorf("question %d arrived %d times", i, c)
		}
	}
	if len(ids) != n {
		t.Errorf("%d distinct Message-IDs for %d messages", len(ids), n)
	}
	if fx.smtp.RcptCount() != n {
		t.Errorf("%d RCPT commands for %d messages", fx.smtp.RcptCount(), n)
	}
	// The burst used the whole allowance of this client.
	if code, err := postOne(n); err != nil || code != http.StatusTooManyRequests {
		t.Errorf("submission %d: status %d, error %v, want 429", n, code, err)
	}
}

// TestLogsHoldNoPersonalData submits forms with recognisable personal data
// along every path and checks that none of it reaches the log.
func TestLogsHoldNoPersonalData(t *testing.T) {
	fx := newFixture(t, smtptest.Options{RejectRcpt: false}, nil)
	personal := with(validForm(),
		"name", "Zelinda Quarantotti",
		"reply", "zelinda.q@private.example.net",
		"question", "Ho il codice fiscale QRNZLN80A41H501X e una malattia rara",
	)
	fromIP := func(r *http.Request) { r.RemoteAddr = "203.0.113.77:61000" }
	post(fx.h, personal.Encode(), fromIP, header("X-Nf-Request-Id", "01HNETLIFYREQ"))
	post(fx.h, with(personal, "desk", "zelinda-private-desk").Encode(), fromIP)
	post(fx.h, with(personal, "website", "zelinda-bot").Encode(), fromIP)
	post(fx.h, with(personal, "reply", "zelinda@@bad").Encode(), fromIP)

	logs := fx.logs.String()
	for _, secret := range []string{"Zelinda", "zelinda", "Quarantotti", "private.example.net", "QRNZLN80A41H501X", "malattia", "203.0.113.77"} {
		if strings.Contains(logs, secret) {
			t.Errorf("log contains %q:\n%s", secret, logs)
		}
	}
	var lines []map[string]any
	for line := range strings.Lines(logs) {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		lines = append(lines, m)
	}
	want := []struct{ desk, outcome string }{{"centro", "sent"}, {"-", "invalid"}, {"centro", "honeypot"}, {"centro", "invalid"}}
	if len(lines) != len(want) {
		t.Fatalf("%d log lines, want %d:\n%s", len(lines), len(want), logs)
	}
	for i, w := range want {
		if lines[i]["desk"] != w.desk || lines[i]["outcome"] != w.outcome {
			t.Errorf("log line %d: desk %v outcome %v, want %s %s", i+1, lines[i]["desk"], lines[i]["outcome"], w.desk, w.outcome)
		}
		for _, k := range []string{"request_id", "status", "latency_ms"} {
			if _, ok := lines[i][k]; !ok {
				t.Errorf("log line %d lacks %s", i+1, k)
			}
		}
	}
	if lines[0]["request_id"] != "01HNETLIFYREQ" {
		t.Errorf("request id = %v, want Netlify's 01HNETLIFYREQ", lines[0]["request_id"])
	}
}

// TestSendContext checks the bounds of the sending time.
func TestSendContext(t *testing.T) {
	h := &handler{cfg: Config{SendTimeout: 7 * time.Second}}

	// A client that goes away does not cut sending short.
	parent, cancel := context.WithCancel(context.Background())
	r := httptest.NewRequest("POST", "/", nil).WithContext(parent)
	ctx, stop := h.sendContext(r)
	defer stop()
	cancel()
	if ctx.Err() != nil {
		t.Errorf("sending stopped when the client went away: %v", ctx.Err())
	}
	if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > 7*time.Second || time.Until(dl) < 6*time.Second {
		t.Errorf("deadline in %v, want about 7s", time.Until(dl))
	}

	// A request deadline (the function's) leaves a second to answer.
	parent, cancel = context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	ctx, stop = h.sendContext(r.WithContext(parent))
	defer stop()
	if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > 3*time.Second || time.Until(dl) < 2*time.Second {
		t.Errorf("deadline in %v, want about 3s", time.Until(dl))
	}
}
