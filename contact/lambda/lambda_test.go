package lambda

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	awslambda "github.com/aws/aws-lambda-go/lambda"

	"portal/contact"
	"portal/contact/internal/smtptest"
)

// newContactHandler returns the real contact handler sending to a real SMTP
// server on loopback.
func newContactHandler(t *testing.T) (http.Handler, *smtptest.Server) {
	t.Helper()
	srv := smtptest.Start(t, smtptest.Options{})
	f, err := os.Open("../testdata/data.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, err := contact.LoadData(f)
	if err != nil {
		t.Fatal(err)
	}
	cfg := contact.Config{
		SMTPHost: srv.Host, SMTPPort: srv.Port, SMTPInsecure: true,
		From: "Portale <noreply@portale.example.org>", SendTimeout: 2 * time.Second,
	}
	return contact.NewHandler(cfg, data, contact.WithLogger(newDiscardLogger())), srv
}

// invoke runs the event file through the Lambda runtime's own handler
// wrapper, as lambda.Start would, and returns the response as raw JSON
// fields.
func invoke(t *testing.T, h http.Handler, event []byte) map[string]json.RawMessage {
	t.Helper()
	out, err := awslambda.NewHandler(Handler(h)).Invoke(context.Background(), event)
	if err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	var resp map[string]json.RawMessage
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, out)
	}
	return resp
}

func readEvent(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decodedBody(t *testing.T, data []byte) (*mail.Message, string) {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	if err != nil {
		t.Fatal(err)
	}
	return m, strings.ReplaceAll(string(b), "\r\n", "\n")
}

// TestPlainFormEvent sends a browser's plain form post, as Netlify passes it
// to the function, through the adapter into the contact handler.
func TestPlainFormEvent(t *testing.T) {
	h, srv := newContactHandler(t)
	resp := invoke(t, h, readEvent(t, "event-form-plain.json"))

	var status int
	var headers map[string]string
	json.Unmarshal(resp["statusCode"], &status)
	json.Unmarshal(resp["headers"], &headers)
	if status != http.StatusSeeOther {
		t.Fatalf("statusCode = %d, want 303; response: %s", status, resp["body"])
	}
	if headers["Location"] != "/en/contact/sent/" {
		t.Errorf("Location = %q, want /en/contact/sent/", headers["Location"])
	}
	for k, v := range map[string]string{
		"Cache-Control":           "no-store",
		"X-Content-Type-Options":  "nosniff",
		"Content-Security-Policy": "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
	} {
		if headers[k] != v {
			t.Errorf("header %s = %q, want %q", k, headers[k], v)
		}
	}
	// Netlify ignores multiValueHeaders, so nothing may be put there.
	if mv := string(resp["multiValueHeaders"]); mv != "null" {
		t.Errorf("multiValueHeaders = %s, want null", mv)
	}

	msgs := srv.Messages()
	if len(msgs) != 1 || len(msgs[0].To) != 1 || msgs[0].To[0] != "centro@desks.example.org" {
		t.Fatalf("messages = %+v, want one to centro@desks.example.org", msgs)
	}
	_, body := decodedBody(t, msgs[0].Data)
	if !strings.Contains(body, "Domanda:\nQuando scade il mio permesso?\n") || !strings.HasPrefix(body, "[no-js]") {
		t.Errorf("body:\n%s", body)
	}
}

// TestBase64JSONEvent sends the script's post with a base64-encoded body and
// an Arabic question.
func TestBase64JSONEvent(t *testing.T) {
	h, srv := newContactHandler(t)
	resp := invoke(t, h, readEvent(t, "event-json-base64.json"))

	var status int
	var headers map[string]string
	var body string
	var isB64 bool
	json.Unmarshal(resp["statusCode"], &status)
	json.Unmarshal(resp["headers"], &headers)
	json.Unmarshal(resp["body"], &body)
	json.Unmarshal(resp["isBase64Encoded"], &isB64)
	if status != http.StatusOK || isB64 {
		t.Fatalf("statusCode = %d isBase64Encoded = %v, want 200 false; body %s", status, isB64, body)
	}
	if headers["Content-Type"] != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q", headers["Content-Type"])
	}
	var ans struct {
		OK       bool   `json:"ok"`
		Redirect string `json:"redirect"`
	}
	if err := json.Unmarshal([]byte(body), &ans); err != nil || !ans.OK || ans.Redirect != "/ar/contact/sent/" {
		t.Errorf("answer = %s (%v)", body, err)
	}

	msgs := srv.Messages()
	if len(msgs) != 1 || msgs[0].To[0] != "nord@desks.example.org" {
		t.Fatalf("messages = %+v", msgs)
	}
	m, text := decodedBody(t, msgs[0].Data)
	if !strings.Contains(text, "Domanda:\nما هي الوثائق المطلوبة؟\n") || !strings.Contains(text, "Nome: أحمد\n") {
		t.Errorf("Arabic text did not arrive intact:\n%s", text)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if subject != "Domanda dal sito: Famiglia e ricongiungimento (Sportello Nord – Città)" {
		t.Errorf("Subject = %q", subject)
	}
}

// TestErrorEvents checks refused requests through the adapter.
func TestErrorEvents(t *testing.T) {
	h, srv := newContactHandler(t)
	var plain events.APIGatewayProxyRequest
	if err := json.Unmarshal(readEvent(t, "event-form-plain.json"), &plain); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(*events.APIGatewayProxyRequest)
		status int
	}{
		{"bad base64", func(ev *events.APIGatewayProxyRequest) { ev.IsBase64Encoded = true; ev.Body = "not base64!" }, 400},
		{"GET", func(ev *events.APIGatewayProxyRequest) { ev.HTTPMethod = "GET"; ev.Body = "" }, 405},
		{"cross-site", func(ev *events.APIGatewayProxyRequest) {
			ev.Headers = clone(ev.Headers)
			ev.Headers["sec-fetch-site"] = "cross-site"
			ev.Headers["origin"] = "https://evil.test"
			ev.MultiValueHeaders = nil
		}, 403},
		{"body over the limit, base64", func(ev *events.APIGatewayProxyRequest) {
			ev.IsBase64Encoded = true
			ev.Body = base64.StdEncoding.EncodeToString([]byte("question=" + strings.Repeat("x", contact.MaxBodyBytes)))
		}, 413},
		{"missing consent", func(ev *events.APIGatewayProxyRequest) { ev.Body = strings.Replace(ev.Body, "consent=yes", "", 1) }, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := plain
			tt.change(&ev)
			resp, err := Handler(h)(context.Background(), ev)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status {
				t.Errorf("status = %d, want %d; body %s", resp.StatusCode, tt.status, resp.Body)
			}
			if resp.Headers["Cache-Control"] != "no-store" || resp.Headers["X-Content-Type-Options"] != "nosniff" {
				t.Errorf("headers = %v", resp.Headers)
			}
		})
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages sent for refused requests", n)
	}
}

func clone(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// TestRequest checks how an event becomes an http.Request.
func TestRequest(t *testing.T) {
	ev := events.APIGatewayProxyRequest{
		HTTPMethod: "POST",
		Path:       "/.netlify/functions/contact",
		Headers:    map[string]string{"host": "portale.example.org", "content-type": "application/x-www-form-urlencoded", "x-multi": "one"},
		MultiValueHeaders: map[string][]string{
			"x-multi": {"one", "two"},
		},
		QueryStringParameters:           map[string]string{"a": "1"},
		MultiValueQueryStringParameters: map[string][]string{"b": {"2", "3"}},
		Body:                            "x=1",
	}
	ev.RequestContext.Identity.SourceIP = "192.0.2.9"
	type ctxKey struct{}
	ctx := context.WithValue(context.Background(), ctxKey{}, "here")
	r, err := Request(ctx, ev)
	if err != nil {
		t.Fatal(err)
	}
	if r.Host != "portale.example.org" || r.URL.Path != "/.netlify/functions/contact" {
		t.Errorf("host %q path %q", r.Host, r.URL.Path)
	}
	if got := r.URL.Query(); got.Get("a") != "1" || strings.Join(got["b"], ",") != "2,3" {
		t.Errorf("query = %v", got)
	}
	if got := r.Header.Values("X-Multi"); strings.Join(got, ",") != "one,two" {
		t.Errorf("X-Multi = %q, want one,two (once each)", got)
	}
	if r.RemoteAddr != "192.0.2.9:0" {
		t.Errorf("RemoteAddr = %q, want the source IP when Netlify's header is absent", r.RemoteAddr)
	}
	if r.Context().Value(ctxKey{}) != "here" {
		t.Error("the Lambda context does not reach the handler")
	}
	if b, _ := io.ReadAll(r.Body); string(b) != "x=1" || r.ContentLength != 3 {
		t.Errorf("body %q length %d", b, r.ContentLength)
	}

	ev.Headers["x-nf-client-connection-ip"] = "2001:db8::7"
	if r, _ := Request(ctx, ev); r.RemoteAddr != "[2001:db8::7]:0" {
		t.Errorf("RemoteAddr = %q, want Netlify's client address", r.RemoteAddr)
	}
	ev.Headers["x-nf-client-connection-ip"] = "not an ip"
	if r, _ := Request(ctx, ev); r.RemoteAddr != "192.0.2.9:0" {
		t.Errorf("RemoteAddr = %q, want the source IP when Netlify's header is malformed", r.RemoteAddr)
	}
}

// TestResponse checks how a handler's answer becomes the Lambda response.
func TestResponse(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept")
		w.Header().Add("Vary", "Accept-Language")
		w.Header().Set("Content-Type", "application/octet-stream")
		if r.URL.Query().Get("binary") != "" {
			w.Write([]byte{0xff, 0x00, 0xfe})
			return
		}
		w.Write([]byte("ciao"))
		w.WriteHeader(http.StatusTeapot) // too late: ignored, as net/http does
	})
	resp, _ := Handler(h)(context.Background(), events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/"})
	if resp.StatusCode != 200 || resp.Body != "ciao" || resp.IsBase64Encoded {
		t.Errorf("text answer = %d %q base64=%v", resp.StatusCode, resp.Body, resp.IsBase64Encoded)
	}
	if resp.Headers["Vary"] != "Accept, Accept-Language" || resp.MultiValueHeaders != nil {
		t.Errorf("Vary = %q, multiValueHeaders = %v", resp.Headers["Vary"], resp.MultiValueHeaders)
	}
	resp, _ = Handler(h)(context.Background(), events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/", QueryStringParameters: map[string]string{"binary": "1"}})
	if !resp.IsBase64Encoded || resp.Body != base64.StdEncoding.EncodeToString([]byte{0xff, 0x00, 0xfe}) {
		t.Errorf("binary answer = %q base64=%v", resp.Body, resp.IsBase64Encoded)
	}
}
