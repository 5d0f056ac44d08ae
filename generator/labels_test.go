package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A layout that uses {{.L.key}} for a string with placeholders, or for a
// key that does not exist, must be reported (file and line) or render the
// way {{.T "key"}} does, never silently print an empty string.
func TestLayoutLabels(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(string) string // applied to guide.html
		wantErr string
		want    string // in the rendered Italian guide when there is no error
	}{
		{name: "label with a placeholder", wantErr: `layouts/guide.html:4: error: the interface string "reviewed_on" has placeholders`,
			edit: func(s string) string {
				return strings.Replace(s, `{{.T "reviewed_on" "date" (.Date .Reviewed)}}`, `{{.L.reviewed_on}}`, 1)
			}},
		{name: "label defined nowhere renders as T does", want: `<h2 id="tr-title">[no_such_label]</h2>`,
			edit: func(s string) string { return strings.Replace(s, `{{.L.translations}}`, `{{.L.no_such_label}}`, 1) }},
		{name: "label from the root of a range", want: `<li lang="it">[sources]`,
			edit: func(s string) string {
				return strings.Replace(s, `<li lang="it">{{if .URL}}`, `<li lang="it">{{$.L.sources}}{{if .URL}}`, 1)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := testRoot(t, "testdata/site/i18n")
			lay := filepath.Join(root, "layouts")
			if err := os.Remove(lay); err != nil {
				t.Fatal(err)
			}
			if err := os.CopyFS(lay, os.DirFS("../layouts")); err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(lay, "guide.html")
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			edited := tt.edit(string(src))
			if edited == string(src) {
				t.Fatal("the edit changed nothing: update the test to the layout")
			}
			if err := os.WriteFile(p, []byte(edited), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "public")
			_, err = Build(context.Background(), Config{Root: root, Content: "testdata/site/content", Out: out, NoMinify: true})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			page, err := os.ReadFile(filepath.Join(out, "it/guides/residence/rinnovo/index.html"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(page), tt.want) {
				t.Errorf("rendered guide lacks %q", tt.want)
			}
		})
	}
}
