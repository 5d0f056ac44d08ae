package contact

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestConfigFromEnv(t *testing.T) {
	base := map[string]string{
		EnvSMTPHost:     "smtp.example.org",
		EnvSMTPUser:     "portal",
		EnvSMTPPassword: "hunter2-value",
		EnvFrom:         "Portale <noreply@example.org>",
	}
	env := func(over map[string]string) func(string) string {
		return func(k string) string {
			if v, ok := over[k]; ok {
				return v
			}
			return base[k]
		}
	}

	cfg, err := ConfigFromEnv(env(map[string]string{
		EnvSMTPPort:       "2525",
		EnvAllowedOrigins: " https://www.example.org, https://deploy-preview-1--portale.netlify.app ,",
		EnvRateSalt:       "salt",
	}))
	if err != nil {
		t.Fatalf("valid environment: %v", err)
	}
	want := Config{
		SMTPHost: "smtp.example.org", SMTPPort: 2525, SMTPUser: "portal", SMTPPassword: "hunter2-value",
		From:           "Portale <noreply@example.org>",
		AllowedOrigins: []string{"https://www.example.org", "https://deploy-preview-1--portale.netlify.app"},
		RateSalt:       "salt",
	}
	if diff := cmp.Diff(want, cfg); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}
	if cfg.sendTimeout() != DefaultSendTimeout || cfg.dialTimeout() != DefaultDialTimeout {
		t.Errorf("default timeouts = %v, %v", cfg.sendTimeout(), cfg.dialTimeout())
	}
	if cfg, _ := ConfigFromEnv(env(nil)); cfg.SMTPPort != 587 {
		t.Errorf("default port = %d, want 587", cfg.SMTPPort)
	}

	bad := []struct {
		name string
		over map[string]string
		want []string // each must appear in the error
	}{
		{"nothing set", map[string]string{EnvSMTPHost: "", EnvSMTPUser: "", EnvSMTPPassword: "", EnvFrom: ""}, []string{EnvSMTPHost + " is not set", EnvFrom + " is not set"}},
		{"port not a number", map[string]string{EnvSMTPPort: "smtp"}, []string{EnvSMTPPort + " must be a port number"}},
		{"port out of range", map[string]string{EnvSMTPPort: "70000"}, []string{EnvSMTPPort}},
		{"host with port", map[string]string{EnvSMTPHost: "smtp.example.org:587"}, []string{EnvSMTPHost + " must be a bare host name"}},
		{"host with newline", map[string]string{EnvSMTPHost: "smtp\n.example.org"}, []string{EnvSMTPHost}},
		{"user without password", map[string]string{EnvSMTPPassword: ""}, []string{EnvSMTPUser + " and " + EnvSMTPPassword + " must be set together"}},
		{"sender not an address", map[string]string{EnvFrom: "noreply"}, []string{EnvFrom + " is not a valid e-mail address"}},
		{"insecure remote relay", map[string]string{EnvSMTPInsecure: "true"}, []string{EnvSMTPInsecure + " is allowed only with a loopback"}},
		{"insecure not a boolean", map[string]string{EnvSMTPInsecure: "maybe"}, []string{EnvSMTPInsecure + ` must be "true" or "false"`}},
		{"origin with path", map[string]string{EnvAllowedOrigins: "https://www.example.org/contact"}, []string{EnvAllowedOrigins + " entry 1"}},
		{"origin without scheme", map[string]string{EnvAllowedOrigins: "https://a.example, www.example.org"}, []string{EnvAllowedOrigins + " entry 2"}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ConfigFromEnv(env(tt.over))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "hunter2-value") {
				t.Errorf("error echoes the password: %q", err)
			}
		})
	}

	// Plain SMTP is fine for a loopback relay.
	if _, err := ConfigFromEnv(env(map[string]string{EnvSMTPHost: "127.0.0.1", EnvSMTPInsecure: "1"})); err != nil {
		t.Errorf("insecure loopback relay: %v", err)
	}
	if err := (&Config{SMTPHost: "h", SMTPPort: 25, From: "a@b.example", SendTimeout: -time.Second}).Validate(); err == nil {
		t.Error("negative time-out accepted")
	}
}
