// Package lambda runs an [http.Handler] behind the AWS Lambda API Gateway
// proxy integration, as Netlify runs Go functions.
//
// Netlify passes requests as [events.APIGatewayProxyRequest] and reads
// answers as [events.APIGatewayProxyResponse], but ignores the response's
// MultiValueHeaders; so this adapter answers with single-value Headers only,
// joining repeated values with ", ". Bodies that are not valid UTF-8 are
// returned base64-encoded, and request bodies marked IsBase64Encoded are
// decoded before the handler sees them.
//
// The client address given to the handler (Request.RemoteAddr) is taken from
// Netlify's X-Nf-Client-Connection-Ip header, else from the request
// context's source IP.
package lambda

import (
	"bytes"
	"context"
	"encoding/base64"
	"net"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
)

// Handler returns a Lambda handler function that serves each event with h.
func Handler(h http.Handler) func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	return func(ctx context.Context, ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		r, err := Request(ctx, ev)
		if err != nil {
			return events.APIGatewayProxyResponse{
				StatusCode: http.StatusBadRequest,
				Headers: map[string]string{
					"Content-Type":           "text/plain; charset=utf-8",
					"Cache-Control":          "no-store",
					"X-Content-Type-Options": "nosniff",
				},
				Body: "bad request\n",
			}, nil
		}
		w := newRecorder()
		h.ServeHTTP(w, r)
		return w.response(), nil
	}
}

// Request builds the *http.Request that an event describes.
func Request(ctx context.Context, ev events.APIGatewayProxyRequest) (*http.Request, error) {
	body := []byte(ev.Body)
	if ev.IsBase64Encoded {
		var err error
		if body, err = base64.StdEncoding.DecodeString(ev.Body); err != nil {
			return nil, err
		}
	}

	query := url.Values{}
	for k, vs := range ev.MultiValueQueryStringParameters {
		query[k] = append([]string(nil), vs...)
	}
	for k, v := range ev.QueryStringParameters {
		if _, ok := query[k]; !ok {
			query.Set(k, v)
		}
	}
	path := ev.Path
	if path == "" {
		path = "/"
	}
	u := &url.URL{Path: path, RawQuery: query.Encode()}

	r, err := http.NewRequestWithContext(ctx, ev.HTTPMethod, u.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for k, vs := range ev.MultiValueHeaders {
		for _, v := range vs {
			r.Header.Add(k, v)
		}
	}
	for k, v := range ev.Headers {
		if _, ok := r.Header[http.CanonicalHeaderKey(k)]; !ok {
			r.Header.Set(k, v)
		}
	}
	r.Host = r.Header.Get("Host")
	r.URL.Host = r.Host
	r.ContentLength = int64(len(body))
	r.RequestURI = u.RequestURI()

	ip := r.Header.Get("X-Nf-Client-Connection-Ip")
	if net.ParseIP(ip) == nil {
		ip = ev.RequestContext.Identity.SourceIP
	}
	if net.ParseIP(ip) != nil {
		r.RemoteAddr = net.JoinHostPort(ip, "0")
	}
	return r, nil
}

// recorder collects a handler's answer.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newRecorder() *recorder { return &recorder{header: make(http.Header)} }

func (w *recorder) Header() http.Header { return w.header }

func (w *recorder) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *recorder) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(b)
}

func (w *recorder) response() events.APIGatewayProxyResponse {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	resp := events.APIGatewayProxyResponse{StatusCode: w.status, Headers: make(map[string]string, len(w.header))}
	for k, vs := range w.header {
		if len(vs) > 0 {
			resp.Headers[k] = strings.Join(vs, ", ")
		}
	}
	if b := w.body.Bytes(); utf8.Valid(b) {
		resp.Body = string(b)
	} else {
		resp.Body = base64.StdEncoding.EncodeToString(b)
		resp.IsBase64Encoded = true
	}
	return resp
}
