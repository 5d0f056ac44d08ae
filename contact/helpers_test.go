package contact

import (
	"bytes"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"portal/contact/internal/smtptest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// testNow is the fixed time of the fake clock.
var testNow = time.Date(2026, 11, 22, 10, 30, 0, 0, time.FixedZone("CET", 3600))

const (
	testFrom     = "Portale Stranieri <noreply@portale.example.org>"
	testUser     = "relay-user"
	testPassword = "relay-secret-Xy9"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// seqReader yields 0, 1, 2, ... so that message ids are predictable.
type seqReader struct{ n byte }

func (r *seqReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r.n
		r.n++
	}
	return len(p), nil
}

// syncBuffer is a bytes.Buffer safe for the logger and the test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func loadTestData(t testing.TB) *Data {
	t.Helper()
	f, err := os.Open("testdata/data.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := LoadData(f)
	if err != nil {
		t.Fatalf("LoadData(testdata/data.json): %v", err)
	}
	return d
}

type fixture struct {
	smtp  *smtptest.Server
	h     http.Handler
	clock *fakeClock
	logs  *syncBuffer
	cfg   Config
}

// newFixture starts a real SMTP server on loopback (requiring AUTH PLAIN with
// the test credentials unless smtpOpts says otherwise) and a handler that
// sends to it.
func newFixture(t testing.TB, smtpOpts smtptest.Options, configure func(*Config), opts ...Option) *fixture {
	t.Helper()
	if smtpOpts.User == "" {
		smtpOpts.User, smtpOpts.Password = testUser, testPassword
	}
	srv := smtptest.Start(t, smtpOpts)
	cfg := Config{
		SMTPHost: srv.Host, SMTPPort: srv.Port,
		SMTPUser: testUser, SMTPPassword: testPassword,
		SMTPInsecure: true,
		From:         testFrom,
		SendTimeout:  2 * time.Second,
		DialTimeout:  time.Second,
	}
	if configure != nil {
		configure(&cfg)
	}
	fx := &fixture{smtp: srv, clock: &fakeClock{t: testNow}, logs: &syncBuffer{}, cfg: cfg}
	all := append([]Option{
		WithClock(fx.clock.Now),
		WithLogger(newJSONLogger(fx.logs)),
		WithRandom(&seqReader{}),
	}, opts...)
	fx.h = NewHandler(cfg, loadTestData(t), all...)
	return fx
}

// validForm is a complete, valid submission shown a minute before testNow.
func validForm() url.Values {
	return url.Values{
		"name":     {"Maria Rossi"},
		"reply":    {"maria.rossi@example.net"},
		"lang":     {"it"},
		"desk":     {"centro"},
		"topic":    {"residence"},
		"question": {"Il mio permesso scade a gennaio: quando devo chiedere il rinnovo?"},
		"consent":  {"yes"},
		"t":        {strconv.FormatInt(testNow.Add(-time.Minute).UnixMilli(), 10)},
	}
}

func with(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "\x00delete" {
			out.Del(kv[i])
			continue
		}
		out.Set(kv[i], kv[i+1])
	}
	return out
}

// post sends body to h as a same-origin form post and returns the answer.
func post(h http.Handler, body string, mods ...func(*http.Request)) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "https://portale.example.org/.netlify/functions/contact", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = "192.0.2.44:51234"
	for _, m := range mods {
		m(r)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func header(k, v string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set(k, v) }
}

func readAll(t testing.TB, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func newJSONLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
