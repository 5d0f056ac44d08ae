package check

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func runMain(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	base := []string{"--root", "../..", "--today", "2025-06-01", "--require-langs", "it"}
	code := Main(context.Background(), append(base, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func TestMainExitStatus(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		out  string // a line the output must hold
		errs string // text stderr must hold
	}{
		{"warnings only pass", []string{"--content", "testdata/wide-table"}, 0,
			"testdata/wide-table/guides/entry/tabella.it.md:10: warning: this table has 5 columns",
			"portal check: 0 error(s), 1 warning(s)"},
		{"errors fail", []string{"--content", "testdata/image-alt"}, 1,
			"testdata/image-alt/guides/entry/foto.it.md:10:1: error: the image", "portal check: 1 error(s), 0 warning(s)"},
		{"content that does not load fails", []string{"--content", "testdata/front-matter"}, 1,
			`unknown key "reviwed": did you mean "reviewed"?`, "1 error(s)"},
		{"github annotations", []string{"--content", "testdata/image-alt", "--format", "github"}, 1,
			"::error file=testdata/image-alt/guides/entry/foto.it.md,line=10,col=1,title=portal check::the image", ""},
		{"max-age moves the limits", []string{"--content", "testdata/stale", "--max-age", "6", "--max-age-error", "30"}, 0,
			"testdata/stale/guides/entry/recente.it.md:4: warning: reviewed 2024-06-02 is more than 6 months ago", "0 error(s), 3 warning(s)"},
		{"translation table", []string{"--content", "testdata/translations", "--translations"}, 0,
			"guides/residence/rinnovo  source   outdated  ok", ""},
		{"bad format", []string{"--format", "xml"}, 2, "", `--format: unknown format "xml"`},
		{"bad date", []string{"--today", "1/6/2025"}, 2, "", `--today "1/6/2025" is not a date`},
		{"bad limits", []string{"--max-age", "24", "--max-age-error", "12"}, 2, "", "--max-age-error at least --max-age"},
		{"stray argument", []string{"content"}, 2, "", `unexpected argument "content"`},
		{"unknown flag", []string{"--fromat", "json"}, 2, "", "flag provided but not defined: -fromat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runMain(tt.args...)
			if code != tt.code {
				t.Errorf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errs)
			}
			if !strings.Contains(out, tt.out) {
				t.Errorf("stdout lacks %q:\n%s", tt.out, out)
			}
			if !strings.Contains(errs, tt.errs) {
				t.Errorf("stderr lacks %q:\n%s", tt.errs, errs)
			}
		})
	}
}

func TestMainJSON(t *testing.T) {
	code, out, _ := runMain("--content", "testdata/todo", "--format", "json")
	if code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	var got struct {
		Diagnostics []struct {
			Path, Severity, Message string
			Line                    int
		}
		Errors, Warnings int
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if got.Errors != 2 || got.Warnings != 1 || len(got.Diagnostics) != 3 ||
		got.Diagnostics[0].Path != "testdata/todo/guides/entry/finita.it.md" || got.Diagnostics[0].Line != 10 || got.Diagnostics[0].Severity != "error" {
		t.Errorf("JSON output:\n%s", out)
	}

	code, out, _ = runMain("--content", "testdata/translations", "--translations", "--format", "json")
	if code != 0 || !strings.Contains(out, `"outdated"`) || !json.Valid([]byte(out)) {
		t.Errorf("exit %d, JSON table:\n%s", code, out)
	}
}
