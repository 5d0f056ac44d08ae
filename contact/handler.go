package contact

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/language"
)

// MaxBodyBytes is the largest request body accepted. It fits the longest
// question (5,000 characters) even in Chinese, where each character takes
// nine bytes once percent-encoded, with room for the other fields.
const MaxBodyBytes = 64 << 10

// MinFillTime is the shortest time a person can plausibly take to fill in the
// form; faster submissions that carry a time stamp are dropped as automated.
const MinFillTime = 3 * time.Second

// Option changes how [NewHandler] builds the handler.
type Option func(*handler)

// WithClock sets the source of the current time (for the time trap, the
// rate limiter and the Date header). The default is time.Now.
func WithClock(now func() time.Time) Option { return func(h *handler) { h.now = now } }

// WithLogger sets the logger. The default is slog.Default().
func WithLogger(l *slog.Logger) Option { return func(h *handler) { h.log = l } }

// WithSender replaces the SMTP sender built from the configuration.
func WithSender(s Sender) Option { return func(h *handler) { h.sender = s } }

// WithRateLimit sets how many messages a client may send at once (burst) and
// how often it earns one more (every). The default is [DefaultRateBurst] and
// [DefaultRateEvery].
func WithRateLimit(burst int, every time.Duration) Option {
	return func(h *handler) { h.rateBurst, h.rateEvery = burst, every }
}

// WithRandom sets the source of randomness for message and request ids. It
// must be safe for concurrent use or used by one request at a time; the
// default is crypto/rand.
func WithRandom(r io.Reader) Option { return func(h *handler) { h.random = r } }

// WithRootCAs sets the certificates that the SMTP relay's certificate must
// chain to, for a relay with a private certificate. The default is the
// system's roots.
func WithRootCAs(pool *x509.CertPool) Option { return func(h *handler) { h.rootCAs = pool } }

type handler struct {
	cfg     Config
	cfgErr  error
	data    *Data
	from    *mail.Address
	sender  Sender
	limiter *limiter
	cop     *http.CrossOriginProtection
	matcher language.Matcher
	now     func() time.Time
	log     *slog.Logger

	rateBurst int
	rateEvery time.Duration
	rootCAs   *x509.CertPool

	randMu sync.Mutex
	random io.Reader
}

// NewHandler returns the contact-form handler, which accepts POSTed forms,
// validates them, and e-mails each valid question to the chosen desk. data
// must come from [LoadData]. When cfg is invalid the handler still answers,
// with 503 "mail is not configured", and the problems are logged once, by
// variable name. The handler is safe for concurrent use.
func NewHandler(cfg Config, data *Data, opts ...Option) http.Handler {
	h := &handler{
		cfg:       cfg,
		data:      data,
		now:       time.Now,
		log:       slog.Default(),
		rateBurst: DefaultRateBurst,
		rateEvery: DefaultRateEvery,
		random:    rand.Reader,
		cop:       http.NewCrossOriginProtection(),
	}
	for _, o := range opts {
		o(h)
	}
	h.limiter = newLimiter(cfg.RateSalt, h.rateBurst, h.rateEvery)

	tags := make([]language.Tag, len(data.Languages))
	for i, l := range data.Languages {
		tags[i] = language.Make(l.Code)
	}
	h.matcher = language.NewMatcher(tags)

	h.cfgErr = cfg.Validate()
	if h.cfgErr == nil {
		h.from, _ = mail.ParseAddress(cfg.From)
		for _, o := range cfg.AllowedOrigins {
			if err := h.cop.AddTrustedOrigin(o); err != nil {
				h.cfgErr = errors.Join(h.cfgErr, errors.New(EnvAllowedOrigins+" has an entry that is not an origin"))
			}
		}
	}
	if h.cfgErr != nil {
		h.log.Error("contact: mail is not configured; every submission will be answered with 503", "problems", h.cfgErr.Error())
	}
	if h.sender == nil {
		s := newSMTPSender(&cfg)
		s.RootCAs = h.rootCAs
		h.sender = s
	}
	return h
}

// result is what the handler decided about one request.
type result struct {
	status     int
	outcome    string // short code for the log
	lang       string
	errs       []FieldError
	desk       *Desk // shown as an alternative when sending failed
	retryAfter time.Duration
	sendErr    error
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := h.now()
	hdr := w.Header()
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	hdr.Set("Referrer-Policy", "same-origin")
	hdr.Set("X-Frame-Options", "DENY")

	res, deskID := h.handle(w, r)
	h.respond(w, r, res)

	attrs := []slog.Attr{
		slog.String("request_id", h.requestID(r)),
		slog.String("desk", deskID),
		slog.String("outcome", res.outcome),
		slog.Int("status", res.status),
		slog.Int64("latency_ms", h.now().Sub(start).Milliseconds()),
	}
	level := slog.LevelInfo
	if res.sendErr != nil {
		level = slog.LevelError
		var se *SendError
		if errors.As(res.sendErr, &se) {
			attrs = append(attrs, slog.String("error", se.Error()))
		} else {
			attrs = append(attrs, slog.String("error", "sender failed"))
		}
	}
	h.log.LogAttrs(r.Context(), level, "contact", attrs...)
}

// handle decides the answer. It returns the desk id to log: the submitted id
// only when it names a known desk, since anything else is free text.
func (h *handler) handle(w http.ResponseWriter, r *http.Request) (result, string) {
	bad := func(status int, outcome, key string, lang string) result {
		return result{status: status, outcome: outcome, lang: lang, errs: []FieldError{{Key: key}}}
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return bad(http.StatusMethodNotAllowed, "method", "contact.error.method", h.acceptLang(r)), "-"
	}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" || (params["charset"] != "" && !strings.EqualFold(params["charset"], "utf-8")) {
		return bad(http.StatusUnsupportedMediaType, "content_type", "contact.error.content_type", h.acceptLang(r)), "-"
	}
	if err := h.cop.Check(r); err != nil {
		return bad(http.StatusForbidden, "cross_origin", "contact.error.cross_origin", h.acceptLang(r)), "-"
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return bad(http.StatusRequestEntityTooLarge, "too_large", "contact.error.too_large", h.acceptLang(r)), "-"
		}
		return bad(http.StatusBadRequest, "malformed", "contact.error.malformed", h.acceptLang(r)), "-"
	}

	f, parseErrs := ParseForm(body)
	lang := h.pageLang(r, &f)
	if len(parseErrs) == 1 && parseErrs[0].Field == "" {
		return bad(http.StatusBadRequest, "malformed", parseErrs[0].Key, lang), "-"
	}
	desk := h.data.desk(f.Desk)
	deskID := "-"
	if desk != nil {
		deskID = desk.ID
	}

	// Bots learn nothing: a filled honeypot or a form sent faster than a
	// person could fill it gets the normal success answer, and no mail.
	if f.Website != "" || hasFieldError(parseErrs, "website") {
		return result{status: http.StatusSeeOther, outcome: "honeypot", lang: lang}, deskID
	}
	if f.HasStarted {
		if elapsed := h.now().UnixMilli() - f.Started; elapsed >= 0 && elapsed < MinFillTime.Milliseconds() {
			return result{status: http.StatusSeeOther, outcome: "too_fast", lang: lang}, deskID
		}
	}
	// The hidden fields are filled by the page, not the person, who could
	// not correct them.
	if hasFieldError(parseErrs, "ui") || hasFieldError(parseErrs, "t") {
		return bad(http.StatusBadRequest, "malformed", "contact.error.malformed", lang), deskID
	}
	if h.cfgErr != nil {
		return result{status: http.StatusServiceUnavailable, outcome: "not_configured", lang: lang,
			errs: []FieldError{{Key: "contact.error.not_configured"}}, desk: desk}, deskID
	}

	errs := parseErrs
	for _, e := range h.data.check(&f) {
		if !hasFieldError(parseErrs, e.Field) {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b FieldError) int {
			return slices.Index(formFields, a.Field) - slices.Index(formFields, b.Field)
		})
		return result{status: http.StatusBadRequest, outcome: "invalid", lang: lang, errs: errs}, deskID
	}

	if ok, wait := h.limiter.allow(r.RemoteAddr, h.now()); !ok {
		return result{status: http.StatusTooManyRequests, outcome: "rate_limited", lang: lang, retryAfter: wait,
			errs: []FieldError{{Key: "contact.error.rate_limited"}}, desk: desk}, deskID
	}

	msg, err := h.data.compose(h.from, &f, desk, h.now(), h.randomBytes(16))
	if err == nil {
		ctx, cancel := h.sendContext(r)
		err = h.sender.Send(ctx, msg.from, msg.to, msg.data)
		cancel()
	}
	if err != nil {
		return result{status: http.StatusServiceUnavailable, outcome: "send_failed", lang: lang, sendErr: err,
			errs: []FieldError{{Key: "contact.error.send_failed"}}, desk: desk}, deskID
	}
	return result{status: http.StatusSeeOther, outcome: "sent", lang: lang}, deskID
}

// answerMargin is the time kept, before the request's own deadline, to
// answer after sending has failed.
const answerMargin = time.Second

// sendContext bounds sending by the send time-out and by the request's
// deadline less answerMargin (on Lambda, the function's deadline), but not by
// the client going away: a question whose sender closed the page is still
// delivered rather than cut off half-way.
func (h *handler) sendContext(r *http.Request) (context.Context, context.CancelFunc) {
	timeout := h.cfg.sendTimeout()
	if dl, ok := r.Context().Deadline(); ok {
		timeout = min(timeout, time.Until(dl)-answerMargin)
	}
	return context.WithTimeout(context.WithoutCancel(r.Context()), timeout)
}

func hasFieldError(errs []FieldError, field string) bool {
	return slices.ContainsFunc(errs, func(e FieldError) bool { return e.Field == field })
}

// pageLang chooses the language to answer in: the language of the page the
// form was on, else the preferred language, else the browser's.
func (h *handler) pageLang(r *http.Request, f *Form) string {
	for _, code := range []string{f.UI, f.Lang} {
		if code != "" && h.data.language(code) != nil {
			return code
		}
	}
	return h.acceptLang(r)
}

// acceptLang matches Accept-Language against the site's languages.
func (h *handler) acceptLang(r *http.Request) string {
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return h.data.Languages[0].Code
	}
	_, i, conf := h.matcher.Match(tags...)
	if conf == language.No {
		return h.data.Languages[0].Code
	}
	return h.data.Languages[i].Code
}

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`)

// requestID returns Netlify's id for the request when it has a safe shape,
// else a fresh random one.
func (h *handler) requestID(r *http.Request) string {
	if id := r.Header.Get("X-Nf-Request-Id"); requestIDPattern.MatchString(id) {
		return id
	}
	return hex.EncodeToString(h.randomBytes(8))
}

func (h *handler) randomBytes(n int) []byte {
	b := make([]byte, n)
	h.randMu.Lock()
	defer h.randMu.Unlock()
	if _, err := io.ReadFull(h.random, b); err != nil {
		// crypto/rand does not fail; a test reader that runs dry falls
		// back to it rather than producing a constant id.
		rand.Read(b)
	}
	return b
}
