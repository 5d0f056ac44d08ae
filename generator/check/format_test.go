package check

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"portal/generator/diag"
)

var sample = diag.List{
	{Path: "content/guides/entry/visto.it.md", Line: 12, Col: 5, Severity: diag.Error, Msg: `the link "x.md" points to a page that does not exist`},
	{Path: "content/pages/a,b:c.it.md", Line: 3, Severity: diag.Warning, Msg: "100% sure\r\nsecond line"},
	{Path: "content/guides/entry/visto.it.md", Severity: diag.Warning, Msg: "not yet translated into fr"},
}

func TestAnnotation(t *testing.T) {
	want := []string{
		`::error file=content/guides/entry/visto.it.md,line=12,col=5,title=portal check::the link "x.md" points to a page that does not exist`,
		// %, CR and LF are escaped in the message; in properties also : and ,.
		`::warning file=content/pages/a%2Cb%3Ac.it.md,line=3,title=portal check::100%25 sure%0D%0Asecond line`,
		// No line: a file-level annotation.
		`::warning file=content/guides/entry/visto.it.md,title=portal check::not yet translated into fr`,
	}
	for i, d := range sample {
		if got := Annotation(d); got != want[i] {
			t.Errorf("Annotation(%v)\n got %s\nwant %s", d, got, want[i])
		}
	}
	var b bytes.Buffer
	if err := WriteDiagnostics(&b, GitHub, sample); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != want[0]+"\n"+want[1]+"\n"+want[2]+"\n" {
		t.Errorf("WriteDiagnostics(github) = %q", got)
	}
}

func TestWriteText(t *testing.T) {
	var b bytes.Buffer
	if err := WriteDiagnostics(&b, Text, sample); err != nil {
		t.Fatal(err)
	}
	want := "content/guides/entry/visto.it.md:12:5: error: the link \"x.md\" points to a page that does not exist\n" +
		"content/pages/a,b:c.it.md:3: warning: 100% sure\r\nsecond line\n" +
		"content/guides/entry/visto.it.md: warning: not yet translated into fr\n"
	if got := b.String(); got != want {
		t.Errorf("text output\n got %q\nwant %q", got, want)
	}
}

func TestWriteJSON(t *testing.T) {
	var b bytes.Buffer
	if err := WriteDiagnostics(&b, JSON, sample); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, b.String())
	}
	want := map[string]any{
		"errors":   1.0,
		"warnings": 2.0,
		"diagnostics": []any{
			map[string]any{"path": "content/guides/entry/visto.it.md", "line": 12.0, "col": 5.0, "severity": "error", "message": `the link "x.md" points to a page that does not exist`},
			map[string]any{"path": "content/pages/a,b:c.it.md", "line": 3.0, "severity": "warning", "message": "100% sure\r\nsecond line"},
			map[string]any{"path": "content/guides/entry/visto.it.md", "severity": "warning", "message": "not yet translated into fr"},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
	// No problems: an empty list, not null.
	b.Reset()
	if err := WriteDiagnostics(&b, JSON, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b.Bytes(), []byte(`"diagnostics": []`)) {
		t.Errorf("empty JSON output = %s", b.String())
	}
}

func TestParseFormat(t *testing.T) {
	for _, s := range []string{"text", "github", "json"} {
		if f, err := ParseFormat(s); err != nil || string(f) != s {
			t.Errorf("ParseFormat(%q) = %q, %v", s, f, err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil {
		t.Error("ParseFormat(xml) succeeded")
	}
}
