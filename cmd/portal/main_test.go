package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestRun checks the command line itself: exit statuses, where messages
// go, and the end-of-build summary, on the project's own content.
func TestRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	bad := t.TempDir()
	writeFile(t, filepath.Join(bad, "guides/entry/visto.md"), "---\ndescription: no title\nreviewed: 2026-01-10\n---\nText.\n")
	badOut := filepath.Join(t.TempDir(), "public")
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()

	tests := []struct {
		name       string
		ctx        context.Context
		args       []string
		code       int
		stdout     string // regular expression
		stderr     string // regular expression
		wantOutput string // a file the run must have written ("" for none)
		noOutput   string // a folder the run must not have created
	}{
		{name: "no command", args: nil, code: 2, stderr: `usage: portal <command>`},
		{name: "help", args: []string{"help"}, code: 0, stdout: `(?s)build .*check .*new .*serve `},
		{name: "unknown command", args: []string{"bild"}, code: 2, stderr: `unknown command "bild"`},
		{name: "bad flag", args: []string{"build", "--nope"}, code: 2, stderr: `flag provided but not defined: -nope`},
		{name: "build", args: []string{"build", "--root", "../..", "--out", out, "--base-url", "https://example.org"}, code: 0,
			stdout:     `^built \d+ pages \(ar \d+, bn \d+, en \d+, .*it \d+.*\), \d+ files, [\d.]+ MB in [\d.]+m?s\n$`,
			wantOutput: filepath.Join(out, "it", "index.html")},
		{name: "content error", args: []string{"build", "--root", "../..", "--content", bad, "--out", badOut}, code: 1,
			stderr:   `(?m)guides/entry/visto\.md:2: error: .*title.*\n(.*\n)*portal: 1 error\(s\); nothing was published`,
			noOutput: badOut},
		{name: "interrupted", ctx: cancelled, args: []string{"build", "--root", "../..", "--out", badOut}, code: 130,
			stderr: `interrupted; nothing was published`, noOutput: badOut},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tt.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			var stdout, stderr bytes.Buffer
			code := run(ctx, tt.args, &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit status %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout.String(), stderr.String())
			}
			for _, c := range []struct{ name, re, got string }{{"stdout", tt.stdout, stdout.String()}, {"stderr", tt.stderr, stderr.String()}} {
				if c.re != "" && !regexp.MustCompile(c.re).MatchString(c.got) {
					t.Errorf("%s does not match %q:\n%s", c.name, c.re, c.got)
				}
			}
			if tt.wantOutput != "" {
				if _, err := os.Stat(tt.wantOutput); err != nil {
					t.Errorf("missing output: %v", err)
				}
			}
			if tt.noOutput != "" {
				if _, err := os.Stat(tt.noOutput); !os.IsNotExist(err) {
					t.Errorf("%s exists after a failed build (err %v)", tt.noOutput, err)
				}
				if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(tt.noOutput), ".public.tmp-*")); len(leftovers) > 0 {
					t.Errorf("temporary folders left behind: %v", leftovers)
				}
			}
			if code == 0 && strings.Contains(stderr.String(), "error") {
				t.Errorf("a successful run printed errors:\n%s", stderr.String())
			}
		})
	}
}

func writeFile(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSourceDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // RFC 3339, "" for the zero time
		err  bool
	}{
		{in: "", want: ""},
		{in: "1772620200", want: "2026-03-04T10:30:00Z"},
		{in: "0", want: "1970-01-01T00:00:00Z"},
		{in: "-5", err: true},
		{in: "2026-03-04", err: true},
		{in: "1.5", err: true},
	}
	for _, tt := range tests {
		got, err := sourceDate(tt.in)
		if (err != nil) != tt.err {
			t.Errorf("sourceDate(%q) error = %v, want error %v", tt.in, err, tt.err)
			continue
		}
		if err != nil {
			if !strings.Contains(err.Error(), "SOURCE_DATE_EPOCH") || !strings.Contains(err.Error(), "git log -1 --format=%ct") {
				t.Errorf("sourceDate(%q) error %q does not say how to fix it", tt.in, err)
			}
			continue
		}
		s := ""
		if !got.IsZero() {
			s = got.Format("2006-01-02T15:04:05Z07:00")
		}
		if s != tt.want {
			t.Errorf("sourceDate(%q) = %q, want %q", tt.in, s, tt.want)
		}
	}
}

func TestBuildBadSourceDate(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "yesterday")
	out := filepath.Join(t.TempDir(), "public")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"build", "--root", "../..", "--out", out}, &stdout, &stderr); code != 2 {
		t.Errorf("exit status %d, want 2; stderr: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), `SOURCE_DATE_EPOCH="yesterday"`) {
		t.Errorf("stderr does not name the bad value: %s", stderr.String())
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s exists after a refused build", out)
	}
}
