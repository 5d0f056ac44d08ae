package meta

import (
	"strings"
	"testing"
)

type testFM struct {
	Title    string   `yaml:"title" toml:"title"`
	Reviewed Text     `yaml:"reviewed" toml:"reviewed"`
	Tags     []string `yaml:"tags" toml:"tags"`
	Weight   int      `yaml:"weight" toml:"weight"`
	Hours    []struct {
		Day   string `yaml:"day" toml:"day"`
		Opens Text   `yaml:"opens" toml:"opens"`
	} `yaml:"hours" toml:"hours"`
}

func TestParseAndDecode(t *testing.T) {
	tests := []struct {
		name, in string
		wantErr  string // substring of the formatted error; "" = no error
		check    func(t *testing.T, s *Source, v *testFM)
	}{
		{name: "yaml ok", in: "---\ntitle: Ciao\nreviewed: 2026-11-22\nweight: 3\n---\n# Body\n",
			check: func(t *testing.T, s *Source, v *testFM) {
				if v.Title != "Ciao" || v.Weight != 3 || v.Reviewed.Raw != "2026-11-22" {
					t.Errorf("decoded %+v", v)
				}
				if s.BodyLine != 6 || string(s.Body) != "# Body\n" {
					t.Errorf("body line %d body %q", s.BodyLine, s.Body)
				}
				if d, err := v.Reviewed.Date(); err != nil || d.Day() != 22 {
					t.Errorf("date %v %v", d, err)
				}
			}},
		{name: "toml ok", in: "+++\ntitle = \"Ciao\"\nreviewed = 2026-11-22\n+++\nBody\n",
			check: func(t *testing.T, s *Source, v *testFM) {
				if v.Title != "Ciao" || v.Reviewed.Raw != "2026-11-22" {
					t.Errorf("decoded %+v", v)
				}
				if s.BodyLine != 5 {
					t.Errorf("body line %d", s.BodyLine)
				}
			}},
		{name: "yaml unknown key with suggestion", in: "---\ntitle: x\nreviwed: 2026-01-01\n---\n",
			wantErr: `f.md:3:1: error: front matter: unknown key "reviwed": did you mean "reviewed"?`},
		{name: "yaml unknown key in a list of mappings", in: "---\ntitle: x\nhours:\n  - day: mon\n    closes: 12\n  - dya: tue\n---\n",
			wantErr: `f.md:5:5: error: front matter: unknown key "closes" (allowed keys: day, opens)`},
		{name: "toml unknown key", in: "+++\ntitle = \"x\"\ntitel2 = 1\n+++\n",
			wantErr: `f.md:3:1: error: front matter: unknown key "titel2": did you mean "title"?`},
		{name: "yaml wrong type", in: "\n---\ntitle: x\nweight: heavy\n---\n",
			wantErr: `f.md:4:`},
		{name: "unterminated", in: "---\ntitle: x\n",
			wantErr: `f.md:1: error: the front matter opened here is never closed`},
		{name: "no front matter", in: "# Just text\n",
			check: func(t *testing.T, s *Source, v *testFM) {
				if s.Format != None || s.BodyLine != 1 {
					t.Errorf("got %+v", s)
				}
			}},
		{name: "bom and crlf", in: "\ufeff---\r\ntitle: x\r\n---\r\nBody\r\n",
			check: func(t *testing.T, s *Source, v *testFM) {
				if v.Title != "x" || s.BodyLine != 4 {
					t.Errorf("got %+v body line %d", v, s.BodyLine)
				}
			}},
		{name: "long body read past the splitter's buffer", in: "---\ntitle: x\n---\n" + longBody,
			check: func(t *testing.T, s *Source, v *testFM) {
				if string(s.Body) != longBody || s.BodyLine != 4 {
					t.Errorf("body of %d bytes at line %d, want %d bytes at line 4", len(s.Body), s.BodyLine, len(longBody))
				}
			}},
		{name: "long body without front matter", in: longBody,
			check: func(t *testing.T, s *Source, v *testFM) {
				if string(s.Body) != longBody || s.Format != None {
					t.Errorf("body of %d bytes, format %v", len(s.Body), s.Format)
				}
			}},
		{name: "invalid utf8", in: "---\ntitle: x\n---\nok\n\xff\n", wantErr: "f.md:5: error: the file is not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("f.md", []byte(tt.in))
			var v testFM
			if err == nil {
				err = s.Decode(&v)
			}
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("no error, want %q", tt.wantErr)
				}
				got := formatErr(err)
				if !strings.Contains(got, tt.wantErr) {
					t.Fatalf("error\n got %q\nwant %q", got, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			tt.check(t, s, &v)
		})
	}
}

// longBody is longer than the splitter's read buffer (4 KiB).
var longBody = strings.Repeat("Una riga del testo della guida, con parole.\n", 300)

func formatErr(err error) string {
	if d, ok := err.(interface{ Format() string }); ok {
		return d.Format()
	}
	return err.Error()
}

func TestLine(t *testing.T) {
	in := "---\ntitle: x\nhours:\n  - {day: mon, opens: \"09:00\"}\n  - day: tue\n    opens: \"10:00\"\n---\n"
	s, err := Parse("d.md", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var v testFM
	if err := s.Decode(&v); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path []any
		want int
	}{
		{[]any{"title"}, 2},
		{[]any{"hours"}, 4}, // the value starts on the next line
		{[]any{"hours", 0}, 4},
		{[]any{"hours", 1, "opens"}, 6},
		{[]any{"missing"}, 2},
		{[]any{"hours", 7, "opens"}, 4},
	} {
		if got := s.Line(tc.path...); got != tc.want {
			t.Errorf("Line(%v) = %d, want %d", tc.path, got, tc.want)
		}
	}
	if v.Hours[1].Opens.Raw != "10:00" {
		t.Errorf("opens = %q", v.Hours[1].Opens.Raw)
	}
	if got := strings.Join(s.Keys(), ","); got != "title,hours" {
		t.Errorf("Keys = %s", got)
	}
}

func TestSuggest(t *testing.T) {
	keys := []string{"title", "description", "reviewed", "sources", "tags"}
	for in, want := range map[string]string{"reviwed": "reviewed", "descripton": "description", "source": "sources", "zzz": "", "tag": "tags"} {
		if got := Suggest(in, keys); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("---\ntitle: x\nreviewed: 2026-01-01\n---\nbody"))
	f.Add([]byte("+++\ntitle = 'x'\n+++\n"))
	f.Add([]byte("---\n- a\n- b\n---\n"))
	f.Add([]byte("---\n: :\n---"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("f.md", data)
		if err != nil {
			return
		}
		var v testFM
		_ = s.Decode(&v)
		_ = s.Line("hours", 0, "opens")
		_ = s.Keys()
		if s.BodyLine < 1 {
			t.Fatalf("body line %d", s.BodyLine)
		}
	})
}

// TestYAMLSyntaxHints checks that the YAML mistakes editors make most are
// explained with their fix, on the right line and column.
func TestYAMLSyntaxHints(t *testing.T) {
	tests := []struct{ front, want string }{
		{"title: \"Conversione\" del permesso\n", `f.md:2:22: error: front matter: there is text after a quoted value`},
		{"title: 'l'avvocato'\n", `put the whole value in double quotes`},
		{"title: Permesso: rinnovo\n", `f.md:2:8: error: front matter: a value contains ": " or a line is indented: put the value in double quotes`},
		{"title: x\ntags: [a, b\n", `f.md:3:7: error: front matter: a list opened with "[" is not closed`},
		{"title: x\n\tweight: 1\n", `f.md:3:1: error: front matter: YAML does not allow tabs`},
		{"title: \"aperto\n", `a value opened with " is not closed`},
		{"title: x\ntitle: y\n", `f.md:3:1: error: front matter: this key appears twice: keep one (YAML: mapping key "title" already defined)`},
		{"title: @x\n", `a value may not start with @`},
		{"title: x\ntags: - a\n", `a list item ("- ...") must start on its own line`},
		{"weight: !\n", `f.md:2:9: error: front matter: this value cannot be read: it must be a whole number, such as 10`},
		{"weight: [1]\n", `this value cannot be read: it must be a whole number`},
		{"tags: 3\n", `f.md:2:7: error: front matter: a list is expected here`},
		{"title: x\nweight: 1.5\n", `f.md:3:9: error: front matter: this value must be a whole number, such as 10 (not 1.5)`},
	}
	for _, tt := range tests {
		src, err := Parse("f.md", []byte("---\n"+tt.front+"---\nBody\n"))
		if err != nil {
			t.Fatalf("%q: %v", tt.front, err)
		}
		var v testFM
		err = src.Decode(&v)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want it to contain %q", tt.front, err, tt.want)
		}
	}
}
