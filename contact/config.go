package contact

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config holds the deployment settings of the contact function. Secrets come
// from the environment (see [ConfigFromEnv]), never from the repository.
type Config struct {
	// SMTPHost is the mail relay's host name (CONTACT_SMTP_HOST).
	SMTPHost string
	// SMTPPort is the relay's port (CONTACT_SMTP_PORT, default 587).
	SMTPPort int
	// SMTPUser and SMTPPassword authenticate with AUTH PLAIN
	// (CONTACT_SMTP_USER, CONTACT_SMTP_PASSWORD). Both empty means no AUTH.
	SMTPUser     string
	SMTPPassword string
	// SMTPInsecure allows a relay without STARTTLS (CONTACT_SMTP_INSECURE).
	// It is accepted only for a loopback relay, as in tests.
	SMTPInsecure bool
	// From is the sender of every message (CONTACT_FROM), such as
	// "Portale Stranieri <noreply@example.org>".
	From string
	// AllowedOrigins are extra origins, such as "https://www.example.org",
	// whose pages may post the form (CONTACT_ALLOWED_ORIGINS, comma
	// separated). Same-origin posts are always allowed.
	AllowedOrigins []string
	// RateSalt keys the hash of client addresses used by the rate limiter
	// (CONTACT_RATE_SALT). Empty means a random salt for each instance.
	RateSalt string
	// SendTimeout bounds the whole SMTP conversation; zero means
	// DefaultSendTimeout. DialTimeout bounds connecting; zero means
	// DefaultDialTimeout.
	SendTimeout time.Duration
	DialTimeout time.Duration
}

// Default timeouts, chosen so that a slow relay still leaves time to answer
// within a 10 s function budget.
const (
	DefaultSendTimeout = 7 * time.Second
	DefaultDialTimeout = 3 * time.Second
	DefaultSMTPPort    = 587
)

// Environment variables read by [ConfigFromEnv].
const (
	EnvSMTPHost       = "CONTACT_SMTP_HOST"
	EnvSMTPPort       = "CONTACT_SMTP_PORT"
	EnvSMTPUser       = "CONTACT_SMTP_USER"
	EnvSMTPPassword   = "CONTACT_SMTP_PASSWORD"
	EnvFrom           = "CONTACT_FROM"
	EnvAllowedOrigins = "CONTACT_ALLOWED_ORIGINS"
	EnvSMTPInsecure   = "CONTACT_SMTP_INSECURE"
	EnvRateSalt       = "CONTACT_RATE_SALT"
)

// ConfigFromEnv reads the configuration from environment variables through
// getenv (os.Getenv in production). It returns the configuration it could
// read together with every problem found; each problem names its variable but
// never echoes a value, so the error can be logged safely.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	var errs []error
	cfg := Config{
		SMTPHost:     strings.TrimSpace(getenv(EnvSMTPHost)),
		SMTPUser:     getenv(EnvSMTPUser),
		SMTPPassword: getenv(EnvSMTPPassword),
		From:         strings.TrimSpace(getenv(EnvFrom)),
		RateSalt:     getenv(EnvRateSalt),
		SMTPPort:     DefaultSMTPPort,
	}
	if p := strings.TrimSpace(getenv(EnvSMTPPort)); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			errs = append(errs, fmt.Errorf("%s must be a port number from 1 to 65535", EnvSMTPPort))
			n = 0
		}
		cfg.SMTPPort = n
	}
	switch v := strings.ToLower(strings.TrimSpace(getenv(EnvSMTPInsecure))); v {
	case "", "0", "false", "no":
	case "1", "true", "yes":
		cfg.SMTPInsecure = true
	default:
		errs = append(errs, fmt.Errorf("%s must be \"true\" or \"false\"", EnvSMTPInsecure))
	}
	for o := range strings.SplitSeq(getenv(EnvAllowedOrigins), ",") {
		if o = strings.TrimSpace(o); o != "" {
			cfg.AllowedOrigins = append(cfg.AllowedOrigins, o)
		}
	}
	if err := cfg.Validate(); err != nil {
		errs = append(errs, err)
	}
	return cfg, errors.Join(errs...)
}

// Validate reports every problem with the configuration. Messages name the
// environment variable to fix and never contain secret values.
func (c *Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	switch {
	case c.SMTPHost == "":
		bad("%s is not set: set it to the mail relay's host name", EnvSMTPHost)
	case !singleLine(c.SMTPHost) || strings.ContainsAny(c.SMTPHost, " /:@"):
		bad("%s must be a bare host name, without scheme, port or spaces", EnvSMTPHost)
	}
	if c.SMTPPort < 1 || c.SMTPPort > 65535 {
		bad("%s must be a port number from 1 to 65535", EnvSMTPPort)
	}
	if (c.SMTPUser == "") != (c.SMTPPassword == "") {
		bad("%s and %s must be set together (or both left empty for a relay without login)", EnvSMTPUser, EnvSMTPPassword)
	}
	if !singleLine(c.SMTPUser) || !singleLine(c.SMTPPassword) {
		bad("%s and %s must not contain control characters", EnvSMTPUser, EnvSMTPPassword)
	}
	if c.SMTPInsecure && c.SMTPHost != "" && !isLoopback(c.SMTPHost) {
		bad("%s is allowed only with a loopback %s (localhost, 127.0.0.1 or ::1), for tests", EnvSMTPInsecure, EnvSMTPHost)
	}
	switch a, err := mail.ParseAddress(c.From); {
	case c.From == "":
		bad("%s is not set: set it to the sender address, such as \"Portale <noreply@example.org>\"", EnvFrom)
	case err != nil || !singleLine(c.From):
		bad("%s is not a valid e-mail address", EnvFrom)
	case !strings.Contains(a.Address, "@"):
		bad("%s must contain a full address with a domain", EnvFrom)
	}
	for i, o := range c.AllowedOrigins {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			bad("%s entry %d must be an origin such as https://www.example.org (scheme and host only)", EnvAllowedOrigins, i+1)
		}
	}
	if c.SendTimeout < 0 || c.DialTimeout < 0 {
		bad("timeouts must not be negative")
	}
	return errors.Join(errs...)
}

func (c *Config) sendTimeout() time.Duration {
	if c.SendTimeout > 0 {
		return c.SendTimeout
	}
	return DefaultSendTimeout
}

func (c *Config) dialTimeout() time.Duration {
	if c.DialTimeout > 0 {
		return c.DialTimeout
	}
	return DefaultDialTimeout
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
