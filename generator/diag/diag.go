// Package diag holds the diagnostics the generator reports to editors: a
// message tied to a file and a line, with a severity. Diagnostics are
// collected across a whole run, sorted, and printed as
//
//	path:line:col: severity: message
//
// so that editors and tools (GitHub annotations, editors' problem matchers)
// can jump to the place that needs fixing.
package diag

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Severity says whether a diagnostic stops the build.
type Severity int

const (
	// Error stops the build: nothing is published.
	Error Severity = iota
	// Warning is reported but does not stop the build.
	Warning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Diagnostic is one problem found in one file.
type Diagnostic struct {
	Path     string // slash-separated path as the editor sees it, e.g. content/guides/entry/visto.it.md
	Line     int    // 1-based; 0 when the problem concerns the whole file
	Col      int    // 1-based; 0 when unknown
	Severity Severity
	Msg      string
}

// Error formats the diagnostic as path:line:col: message (line and column
// left out when unknown). The severity is not part of Error so that wrapped
// errors read naturally; Format includes it.
func (d Diagnostic) Error() string {
	return d.location() + d.Msg
}

// Format returns path:line:col: severity: message.
func (d Diagnostic) Format() string {
	return d.location() + d.Severity.String() + ": " + d.Msg
}

func (d Diagnostic) location() string {
	var b strings.Builder
	b.WriteString(d.Path)
	if d.Line > 0 {
		fmt.Fprintf(&b, ":%d", d.Line)
		if d.Col > 0 {
			fmt.Fprintf(&b, ":%d", d.Col)
		}
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	return b.String()
}

// Errorf returns an error diagnostic.
func Errorf(path string, line int, format string, args ...any) Diagnostic {
	return Diagnostic{Path: path, Line: line, Severity: Error, Msg: fmt.Sprintf(format, args...)}
}

// Warnf returns a warning diagnostic.
func Warnf(path string, line int, format string, args ...any) Diagnostic {
	return Diagnostic{Path: path, Line: line, Severity: Warning, Msg: fmt.Sprintf(format, args...)}
}

// List is a set of diagnostics. The zero value is ready to use.
type List []Diagnostic

// Sort orders diagnostics by path, line, column and message, so output is
// stable whatever order parallel workers found them in.
func (l List) Sort() {
	slices.SortStableFunc(l, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Msg, b.Msg),
		)
	})
}

// Errors returns the number of error-severity diagnostics.
func (l List) Errors() int {
	n := 0
	for _, d := range l {
		if d.Severity == Error {
			n++
		}
	}
	return n
}

// Err returns the list as an error if it holds at least one error-severity
// diagnostic, and nil otherwise (warnings alone do not fail).
func (l List) Err() error {
	if l.Errors() == 0 {
		return nil
	}
	return &ListError{List: slices.Clone(l)}
}

// ListError is the error a failed run returns: every diagnostic found.
type ListError struct{ List List }

// Error prints one diagnostic per line.
func (e *ListError) Error() string {
	var b strings.Builder
	for i, d := range e.List {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.Format())
	}
	return b.String()
}

// From converts err into diagnostics: a Diagnostic, a *ListError or errors
// joined with errors.Join are unpacked; any other error becomes one
// diagnostic for path.
func From(path string, err error) List {
	if err == nil {
		return nil
	}
	var le *ListError
	if errors.As(err, &le) {
		return le.List
	}
	var d Diagnostic
	if errors.As(err, &d) {
		return List{d}
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out List
		for _, e := range j.Unwrap() {
			out = append(out, From(path, e)...)
		}
		return out
	}
	return List{{Path: path, Severity: Error, Msg: err.Error()}}
}

// Collector gathers diagnostics from many goroutines.
type Collector struct {
	mu   sync.Mutex
	list List
}

// Add records diagnostics.
func (c *Collector) Add(ds ...Diagnostic) {
	c.mu.Lock()
	c.list = append(c.list, ds...)
	c.mu.Unlock()
}

// AddErr records err (see From) against path.
func (c *Collector) AddErr(path string, err error) {
	if err != nil {
		c.Add(From(path, err)...)
	}
}

// List returns a sorted copy of everything collected.
func (c *Collector) List() List {
	c.mu.Lock()
	defer c.mu.Unlock()
	l := slices.Clone(c.list)
	l.Sort()
	return l
}
