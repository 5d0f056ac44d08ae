package check

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"portal/generator/diag"
)

// Format is an output format of the diagnostics and the table.
type Format string

// Output formats.
const (
	Text   Format = "text"   // path:line:col: severity: message
	GitHub Format = "github" // GitHub Actions workflow commands (annotations)
	JSON   Format = "json"   // for tools
)

// ParseFormat returns the format named s.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case Text, GitHub, JSON:
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q: use text, github or json", s)
}

// jsonDiagnostic is one diagnostic in JSON output.
type jsonDiagnostic struct {
	Path     string `json:"path"`
	Line     int    `json:"line,omitempty"`
	Col      int    `json:"col,omitempty"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

// WriteDiagnostics writes l in format f.
//
// Text writes one Format() line per diagnostic. GitHub writes one
// workflow command per diagnostic,
//
//	::error file=content/x.it.md,line=3,col=5,title=portal check::message
//
// (::warning for warnings; line and col left out when unknown), escaped as
// GitHub documents: in the message %, CR and LF become %25, %0D and %0A;
// in properties also : and , become %3A and %2C. JSON writes
//
//	{"diagnostics": [{"path", "line"?, "col"?, "severity", "message"}], "errors": n, "warnings": n}
func WriteDiagnostics(w io.Writer, f Format, l diag.List) error {
	switch f {
	case GitHub:
		var b strings.Builder
		for _, d := range l {
			b.WriteString(Annotation(d))
			b.WriteByte('\n')
		}
		_, err := io.WriteString(w, b.String())
		return err
	case JSON:
		out := struct {
			Diagnostics []jsonDiagnostic `json:"diagnostics"`
			Errors      int              `json:"errors"`
			Warnings    int              `json:"warnings"`
		}{Diagnostics: []jsonDiagnostic{}, Errors: l.Errors(), Warnings: len(l) - l.Errors()}
		for _, d := range l {
			out.Diagnostics = append(out.Diagnostics, jsonDiagnostic{d.Path, d.Line, d.Col, d.Severity.String(), d.Msg})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	default:
		var b strings.Builder
		for _, d := range l {
			b.WriteString(d.Format())
			b.WriteByte('\n')
		}
		_, err := io.WriteString(w, b.String())
		return err
	}
}

// Annotation formats d as a GitHub Actions workflow command.
func Annotation(d diag.Diagnostic) string {
	var b strings.Builder
	b.WriteString("::")
	b.WriteString(d.Severity.String())
	b.WriteString(" file=")
	b.WriteString(escapeProperty(d.Path))
	if d.Line > 0 {
		b.WriteString(",line=" + strconv.Itoa(d.Line))
		if d.Col > 0 {
			b.WriteString(",col=" + strconv.Itoa(d.Col))
		}
	}
	b.WriteString(",title=portal check::")
	b.WriteString(escapeData(d.Msg))
	return b.String()
}

func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// WriteTable writes the translation table in format f: a text table (one
// row per page, one column per language), or JSON ({"languages": [...],
// "pages": [{"key", "kind", "title", "path", "url", "status": {lang:
// status}}]}). GitHub output is the text table.
func WriteTable(w io.Writer, f Format, t *Table) error {
	if f == JSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(t)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "page")
	for _, l := range t.Langs {
		fmt.Fprint(tw, "\t", l)
	}
	fmt.Fprintln(tw)
	for _, r := range t.Rows {
		fmt.Fprint(tw, r.Key)
		for _, l := range t.Langs {
			fmt.Fprint(tw, "\t", r.Status[l])
		}
		fmt.Fprintln(tw)
	}
	fmt.Fprint(tw, "up to date")
	for _, l := range t.Langs {
		fmt.Fprintf(tw, "\t%d/%d", t.Count(l, OK)+t.Count(l, Source), len(t.Rows))
	}
	fmt.Fprintln(tw)
	return tw.Flush()
}
