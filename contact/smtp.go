package contact

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"strconv"
	"time"
)

// Sender delivers one message to one recipient. It makes a single attempt
// and returns once the message has been accepted or has failed, and no later
// than shortly after ctx ends.
type Sender interface {
	Send(ctx context.Context, from, to string, data []byte) error
}

// SendError tells at which step of the SMTP conversation sending failed and,
// when the server answered, with which reply code. Its text contains no
// addresses or message content, so it can be logged.
type SendError struct {
	Step string // "dial", "hello", "starttls", "auth", "mail", "rcpt", "data" or "quit"
	Code int    // SMTP reply code, or 0 when the server gave none
	Err  error
}

func (e *SendError) Error() string {
	switch {
	case e.Code != 0:
		return fmt.Sprintf("smtp %s: server replied %d", e.Step, e.Code)
	case errors.Is(e.Err, context.DeadlineExceeded) || isTimeout(e.Err):
		return fmt.Sprintf("smtp %s: timed out", e.Step)
	case errors.Is(e.Err, errNoStartTLS):
		return fmt.Sprintf("smtp %s: %v", e.Step, e.Err)
	}
	return fmt.Sprintf("smtp %s: failed", e.Step)
}

// Unwrap returns the underlying error, which may contain server text.
func (e *SendError) Unwrap() error { return e.Err }

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// errNoStartTLS is returned when the relay does not offer STARTTLS and
// plain connections are not allowed.
var errNoStartTLS = errors.New("relay does not offer STARTTLS; set CONTACT_SMTP_INSECURE only for a loopback test relay")

// SMTPSender sends over SMTP with net/smtp: STARTTLS whenever the relay
// offers it (required unless Insecure), AUTH PLAIN when User is set, and one
// deadline for the whole conversation. It is safe for concurrent use; each
// Send opens its own connection.
type SMTPSender struct {
	// Host and Port locate the relay.
	Host string
	Port int
	// User and Password are sent with AUTH PLAIN; empty User means no AUTH.
	User, Password string
	// Insecure allows a relay that does not offer STARTTLS.
	Insecure bool
	// DialTimeout bounds connecting; the context bounds the whole exchange.
	DialTimeout time.Duration
	// RootCAs verifies the relay's certificate; nil means the system roots.
	RootCAs *x509.CertPool
}

// newSMTPSender returns the sender described by cfg.
func newSMTPSender(cfg *Config) *SMTPSender {
	return &SMTPSender{
		Host: cfg.SMTPHost, Port: cfg.SMTPPort, User: cfg.SMTPUser, Password: cfg.SMTPPassword,
		Insecure: cfg.SMTPInsecure, DialTimeout: cfg.dialTimeout(),
	}
}

// Send delivers data to the single recipient to. It stops when ctx ends: the
// connection is closed and an error returned.
func (s *SMTPSender) Send(ctx context.Context, from, to string, data []byte) (err error) {
	step := "dial"
	fail := func(e error) error {
		se := &SendError{Step: step, Err: e}
		var tp *textproto.Error
		if errors.As(e, &tp) {
			se.Code = tp.Code
		}
		if ctx.Err() != nil && se.Code == 0 {
			se.Err = errors.Join(ctx.Err(), e)
		}
		return se
	}

	d := net.Dialer{Timeout: s.DialTimeout}
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(s.Host, strconv.Itoa(s.Port)))
	if err != nil {
		return fail(err)
	}
	// Closing the connection when ctx ends unblocks any read or write; the
	// deadline does the same for a ctx without one.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}

	step = "hello"
	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		conn.Close()
		return fail(err)
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return fail(err)
	}
	step = "starttls"
	if ok, _ := c.Extension("STARTTLS"); ok {
		tc := &tls.Config{ServerName: s.Host, RootCAs: s.RootCAs, MinVersion: tls.VersionTLS12}
		if err := c.StartTLS(tc); err != nil {
			return fail(err)
		}
	} else if !s.Insecure {
		return fail(errNoStartTLS)
	}
	if s.User != "" {
		step = "auth"
		// net/smtp refuses PLAIN over an unencrypted connection unless the
		// host is localhost, which is what we want.
		if err := c.Auth(smtp.PlainAuth("", s.User, s.Password, s.Host)); err != nil {
			return fail(err)
		}
	}
	step = "mail"
	if err := c.Mail(from); err != nil {
		return fail(err)
	}
	step = "rcpt"
	if err := c.Rcpt(to); err != nil {
		return fail(err)
	}
	step = "data"
	w, err := c.Data()
	if err != nil {
		return fail(err)
	}
	if _, err := w.Write(data); err != nil {
		return fail(err)
	}
	if err := w.Close(); err != nil {
		return fail(err)
	}
	// The message is accepted once DATA is answered with 250; a failing
	// QUIT does not undo that, so it is not reported.
	_ = c.Quit()
	return nil
}
