package meta

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/adrg/frontmatter"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	yamlparser "github.com/goccy/go-yaml/parser"
	"github.com/pelletier/go-toml/v2"

	"portal/generator/diag"
)

// Format names a front-matter syntax.
type Format string

// The supported front-matter formats.
const (
	None Format = ""
	YAML Format = "yaml"
	TOML Format = "toml"
)

// Source is a content file split into front matter and body.
type Source struct {
	Path      string // as reported in diagnostics
	Format    Format
	Front     []byte // front matter text without delimiters; nil when absent
	FrontLine int    // line of the first front-matter line (after the opening delimiter)
	Body      []byte // Markdown body
	BodyLine  int    // line of the body's first line in the file

	yamlFile *ast.File
}

var bom = []byte("\ufeff")

// Parse splits data, the contents of the file at path, into front matter
// and body. A file without front matter is all body. A front matter block
// that is opened but never closed is an error.
func Parse(path string, data []byte) (*Source, error) {
	data = bytes.TrimPrefix(data, bom)
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:firstInvalid(data)], []byte("\n"))
		return nil, diag.Errorf(path, line, "the file is not valid UTF-8 text: save it with UTF-8 encoding")
	}
	s := &Source{Path: path}
	var front []byte
	var format Format
	// The splitter copies everything it reads into a buffer of its own
	// and returns the body from there; the reader stops once the front
	// matter is found, so that it reads little more than the front matter,
	// and the body stays a slice of data (a site holds every body for the
	// whole build).
	r := &stopReader{data: data}
	// The splitter reads through a bufio.Reader, and takes one it is given
	// as it is: pass a pooled one rather than have it make 4 KB per file.
	br := readers.Get().(*bufio.Reader)
	br.Reset(r)
	defer readers.Put(br)
	capture := func(f Format) frontmatter.UnmarshalFunc {
		return func(b []byte, _ any) error {
			front, format = bytes.Clone(b), f
			r.stop = true
			return nil
		}
	}
	head, err := frontmatter.Parse(br, nil,
		frontmatter.NewFormat("---", "---", capture(YAML)),
		frontmatter.NewFormat("+++", "+++", capture(TOML)),
	)
	if err != nil {
		return nil, diag.Errorf(path, 0, "reading front matter: %v", err)
	}
	open := openingLine(data)
	if format == None && open > 0 {
		return nil, diag.Errorf(path, open, "the front matter opened here is never closed: add a line with only %q after the last key", strings.TrimSpace(lineAt(data, open)))
	}
	// head is the start of the body as far as the splitter read: it
	// starts r.off-len(head) bytes into data.
	body := data[r.off-len(head):]
	s.Format, s.Body = format, body
	s.BodyLine = 1 + bytes.Count(data[:len(data)-len(body)], []byte("\n"))
	if format != None {
		s.Front = front
		s.FrontLine = open + 1
	}
	return s, nil
}

var readers = sync.Pool{New: func() any { return bufio.NewReader(nil) }}

// stopReader reads data a line at a time until stop is set, then reports
// the end. Lines one by one keep the splitter's read-ahead buffer from
// holding (and then copying) the start of the body.
type stopReader struct {
	data []byte
	off  int // bytes handed out
	stop bool
}

func (r *stopReader) Read(p []byte) (int, error) {
	if r.stop || r.off == len(r.data) {
		return 0, io.EOF
	}
	rest := r.data[r.off:]
	if i := bytes.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i+1]
	}
	n := copy(p, rest)
	r.off += n
	return n, nil
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// openingLine returns the line of a "---" or "+++" delimiter that starts the
// file (after blank lines), or 0.
func openingLine(data []byte) int {
	line := 0
	for len(data) > 0 {
		line++
		l, rest, _ := bytes.Cut(data, []byte("\n"))
		data = rest
		t := string(bytes.TrimSpace(l))
		if t == "" {
			continue
		}
		if t == "---" || t == "+++" {
			return line
		}
		return 0
	}
	return 0
}

func lineAt(data []byte, n int) string {
	for i := 1; i < n; i++ {
		_, data, _ = bytes.Cut(data, []byte("\n"))
	}
	l, _, _ := bytes.Cut(data, []byte("\n"))
	return string(l)
}

// Decode decodes the front matter into v (a pointer to a struct with yaml
// and toml tags) strictly. It returns nil or a diag.List error naming the
// line of each problem. Unknown keys get a "did you mean" suggestion taken
// from v's field names.
func (s *Source) Decode(v any) error {
	if s.Format == None {
		return nil
	}
	switch s.Format {
	case YAML:
		return s.decodeYAML(v)
	case TOML:
		return s.decodeTOML(v)
	}
	return fmt.Errorf("meta: unknown format %q", s.Format)
}

func (s *Source) decodeYAML(v any) error {
	f, err := s.yamlAST()
	if err != nil {
		return s.yamlErr(err, v)
	}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return nil
	}
	if len(f.Docs) > 1 {
		return diag.List{s.diagAt(s.FrontLine, "the front matter holds more than one YAML document: remove the extra \"---\" line")}.Err()
	}
	if _, ok := f.Docs[0].Body.(*ast.MappingNode); !ok {
		if _, ok := f.Docs[0].Body.(*ast.MappingValueNode); !ok {
			return diag.List{s.diagAt(s.FrontLine, "the front matter must be a list of \"key: value\" lines")}.Err()
		}
	}
	if l := s.unknownYAMLKeys(f.Docs[0].Body, v); len(l) > 0 {
		return l.Err()
	}
	if err := nodeToValue(f.Docs[0].Body, v); err != nil {
		var p *decodePanic
		if errors.As(err, &p) {
			return diag.List{s.diagAt(s.FrontLine, "front matter: a value cannot be read (%v): look for a \"!\" tag without a value", p.v)}.Err()
		}
		return s.yamlErr(err, v)
	}
	return nil
}

// decodePanic is a panic inside the YAML decoder, turned into an error:
// no input file may stop the build.
type decodePanic struct{ v any }

func (p *decodePanic) Error() string { return fmt.Sprint("yaml decoder panic: ", p.v) }

func nodeToValue(n ast.Node, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &decodePanic{r}
		}
	}()
	return yaml.NodeToValue(n, v, yaml.Strict(), yaml.DisallowUnknownField())
}

// unknownYAMLKeys reports every key that v has no field for, in order,
// each on its own line, at the top level and inside nested mappings and
// lists of them (the decoder stops at the first, and which one it meets
// first varies from run to run), and fractions given for whole numbers.
func (s *Source) unknownYAMLKeys(body ast.Node, v any) diag.List {
	var l diag.List
	s.unknownKeysIn(body, reflect.TypeOf(v), &l)
	return l
}

func (s *Source) unknownKeysIn(n ast.Node, t reflect.Type, l *diag.List) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || n == nil {
		return
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		// The decoder truncates 1.5 to 1 without a word.
		if f, ok := n.(*ast.FloatNode); ok && f.Value != math.Trunc(f.Value) {
			d := s.diagAt(s.FrontLine, "front matter: this value must be a whole number, such as 10 (not %s)", f.String())
			if tk := f.GetToken(); tk != nil && tk.Position != nil {
				d.Line = s.FrontLine + tk.Position.Line - 1
				d.Col = tk.Position.Column
			}
			*l = append(*l, d)
		}
		return
	case reflect.Slice, reflect.Array:
		if seq, ok := n.(*ast.SequenceNode); ok {
			for _, item := range seq.Values {
				s.unknownKeysIn(item, t.Elem(), l)
			}
		}
		return
	case reflect.Struct:
	default:
		return
	}
	known, types := structKeys(t)
	var values []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		values = m.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{m}
	default:
		return // a scalar for a struct: the decoder (or the type's own unmarshaler) reports it
	}
	for _, mv := range values {
		if mv == nil || mv.Key == nil {
			continue
		}
		key := mv.Key.String()
		if ft, ok := types[key]; ok {
			s.unknownKeysIn(mv.Value, ft, l)
			continue
		}
		d := s.diagAt(s.FrontLine, "front matter: %s", unknownKeyIn(key, known))
		if tk := mv.Key.GetToken(); tk != nil && tk.Position != nil {
			d.Line = s.FrontLine + tk.Position.Line - 1
			d.Col = tk.Position.Column
		}
		*l = append(*l, d)
	}
}

func (s *Source) yamlAST() (*ast.File, error) {
	if s.yamlFile != nil {
		return s.yamlFile, nil
	}
	f, err := yamlparser.ParseBytes(s.Front, 0)
	if err != nil {
		return nil, err
	}
	s.yamlFile = f
	return f, nil
}

func (s *Source) yamlErr(err error, v any) error {
	var ye yaml.Error
	line, col, msg := s.FrontLine, 0, err.Error()
	if errors.As(err, &ye) {
		msg = ye.GetMessage()
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			line = s.FrontLine + tk.Position.Line - 1
			col = tk.Position.Column
		}
	}
	var uf *yaml.UnknownFieldError
	if errors.As(err, &uf) {
		key := unknownKeyName(msg)
		msg = unknownKeyMsg(key, v)
	} else {
		msg = plainYAMLMsg(msg)
	}
	d := s.diagAt(line, "front matter: %s", msg)
	d.Col = col
	return diag.List{d}.Err()
}

func (s *Source) decodeTOML(v any) error {
	dec := toml.NewDecoder(bytes.NewReader(s.Front)).DisallowUnknownFields().EnableUnmarshalerInterface()
	err := dec.Decode(v)
	if err == nil {
		return nil
	}
	var sm *toml.StrictMissingError
	if errors.As(err, &sm) {
		var l diag.List
		for _, e := range sm.Errors {
			row, col := e.Position()
			key := strings.Join(e.Key(), ".")
			d := s.diagAt(s.FrontLine+row-1, "front matter: %s", unknownKeyMsg(key, v))
			d.Col = col
			l = append(l, d)
		}
		return l.Err()
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, col := de.Position()
		d := s.diagAt(s.FrontLine+row-1, "front matter: %s", strings.TrimPrefix(de.Error(), "toml: "))
		d.Col = col
		return diag.List{d}.Err()
	}
	return diag.List{s.diagAt(s.FrontLine, "front matter: %s", strings.TrimPrefix(err.Error(), "toml: "))}.Err()
}

func (s *Source) diagAt(line int, format string, args ...any) diag.Diagnostic {
	return diag.Errorf(s.Path, line, format, args...)
}

// Compact frees the parsed front-matter tree kept for Line; Line parses
// the front matter again if it is needed later. A site holds thousands of
// sources for the whole build, and the trees are most of their weight.
func (s *Source) Compact() { s.yamlFile = nil }

// Errorf returns an error diagnostic for this file at line.
func (s *Source) Errorf(line int, format string, args ...any) diag.Diagnostic {
	return diag.Errorf(s.Path, line, format, args...)
}

// Warnf returns a warning diagnostic for this file at line.
func (s *Source) Warnf(line int, format string, args ...any) diag.Diagnostic {
	return diag.Warnf(s.Path, line, format, args...)
}

// Line returns the file line where the value at a key path starts in the front
// matter, such as Line("hours", 2, "opens") for the third hours entry's
// "opens" key. Elements are strings (map keys) and ints (list indexes). When
// the exact position is unknown it returns the line of the closest known
// ancestor, and at worst the first front-matter line; for a file without
// front matter it returns 1.
func (s *Source) Line(keyPath ...any) int {
	if s.Format == None {
		return 1
	}
	for n := len(keyPath); n > 0; n-- {
		if l := s.lineOf(keyPath[:n]); l > 0 {
			return l
		}
	}
	return s.FrontLine
}

func (s *Source) lineOf(keyPath []any) int {
	switch s.Format {
	case YAML:
		f, err := s.yamlAST()
		if err != nil || len(f.Docs) == 0 {
			return 0
		}
		var b strings.Builder
		b.WriteString("$")
		for _, k := range keyPath {
			switch k := k.(type) {
			case int:
				fmt.Fprintf(&b, "[%d]", k)
			case string:
				if isPlainKey(k) {
					b.WriteString("." + k)
				} else {
					b.WriteString(".'" + k + "'")
				}
			}
		}
		p, err := yaml.PathString(b.String())
		if err != nil {
			return 0
		}
		n, err := p.FilterFile(f)
		if err != nil || n == nil || n.GetToken() == nil || n.GetToken().Position == nil {
			return 0
		}
		return s.FrontLine + n.GetToken().Position.Line - 1
	case TOML:
		// Only top-level keys are located; nested paths fall back to them.
		if len(keyPath) != 1 {
			return 0
		}
		k, _ := keyPath[0].(string)
		for i, l := range strings.Split(string(s.Front), "\n") {
			t := strings.TrimSpace(l)
			if rest, ok := strings.CutPrefix(t, k); ok {
				rest = strings.TrimSpace(rest)
				if strings.HasPrefix(rest, "=") {
					return s.FrontLine + i
				}
			}
			if t == "["+k+"]" || t == "[["+k+"]]" {
				return s.FrontLine + i
			}
		}
	}
	return 0
}

func isPlainKey(k string) bool {
	for _, r := range k {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return k != ""
}

// Keys returns the top-level keys present in the front matter, in order.
func (s *Source) Keys() []string {
	var keys []string
	switch s.Format {
	case YAML:
		f, err := s.yamlAST()
		if err != nil || len(f.Docs) == 0 {
			return nil
		}
		var mvs []*ast.MappingValueNode
		switch n := f.Docs[0].Body.(type) {
		case *ast.MappingNode:
			mvs = n.Values
		case *ast.MappingValueNode:
			mvs = []*ast.MappingValueNode{n}
		}
		for _, mv := range mvs {
			keys = append(keys, mv.Key.String())
		}
	case TOML:
		var m map[string]any
		if toml.Unmarshal(s.Front, &m) == nil {
			for _, l := range strings.Split(string(s.Front), "\n") {
				k, _, ok := strings.Cut(l, "=")
				k = strings.TrimSpace(k)
				if _, in := m[k]; ok && in {
					keys = append(keys, k)
				}
			}
		}
	}
	return keys
}

func unknownKeyName(msg string) string {
	// goccy: `unknown field "reviwed"`
	if i := strings.IndexByte(msg, '"'); i >= 0 {
		if j := strings.LastIndexByte(msg, '"'); j > i {
			return msg[i+1 : j]
		}
	}
	return msg
}

func unknownKeyMsg(key string, v any) string { return unknownKeyIn(key, KnownKeys(v)) }

// unknownKeyIn describes an unknown key among the known ones.
func unknownKeyIn(key string, known []string) string {
	msg := fmt.Sprintf("unknown key %q", key)
	if best := Suggest(key, known); best != "" {
		return msg + fmt.Sprintf(": did you mean %q?", best)
	}
	return msg + fmt.Sprintf(" (allowed keys: %s)", strings.Join(known, ", "))
}

func plainYAMLMsg(msg string) string {
	msg = strings.TrimSpace(msg)
	if i := strings.Index(msg, "\n"); i > 0 {
		msg = msg[:i]
	}
	// goccy prefixes "[line:col] "; the position is already ours.
	if strings.HasPrefix(msg, "[") {
		if i := strings.Index(msg, "] "); i > 0 {
			msg = msg[i+2:]
		}
	}
	// Positions inside the message count from the front matter, not the
	// file: drop them (the diagnostic already points at the line).
	if i := strings.Index(msg, " at ["); i > 0 && strings.HasSuffix(msg, "]") {
		msg = msg[:i]
	}
	for _, h := range yamlHints {
		if strings.Contains(msg, h.match) {
			return h.say + " (YAML: " + msg + ")"
		}
	}
	// "cannot unmarshal X into Go struct field T.F of type int" names Go
	// types: say what the editor must write instead.
	if m := unmarshalMsg.FindStringSubmatch(msg); m != nil {
		want := "a value of another kind"
		switch t := m[1]; {
		case t == "int" || strings.HasPrefix(t, "int") || strings.HasPrefix(t, "uint"):
			want = "a whole number, such as 10"
		case t == "string":
			want = "text"
		case t == "bool":
			want = "true or false"
		case strings.HasPrefix(t, "[]"):
			want = `a list: [a, b] or one "- item" line each`
		}
		return "this value cannot be read: it must be " + want
	}
	if strings.Contains(msg, "where sequence is expected") {
		return `a list is expected here: write [a, b] or one "- item" line each, indented under the key`
	}
	return msg
}

var unmarshalMsg = regexp.MustCompile(`^cannot unmarshal .* into Go (?:struct field \S+|value) of type (\S+)`)

// yamlHints explain the YAML parser's messages for the mistakes editors
// make most, with the fix.
var yamlHints = []struct{ match, say string }{
	{"map key-value is pre-defined", `there is text after a quoted value, or a quote inside a quoted value: put the whole value in double quotes and write a " inside it as \"`},
	{"mapping value is not allowed in this context", `a value contains ": " or a line is indented: put the value in double quotes (title: "Permesso: rinnovo") and start every key at the beginning of its line`},
	{"sequence end token ']' not found", `a list opened with "[" is not closed: end it with "]" on the same line`},
	{"cannot start any token", "YAML does not allow tabs: indent with spaces"},
	{"could not find end character of double-quoted text", `a value opened with " is not closed: add the closing " on the same line`},
	{"could not find end character of single-quoted text", `a value opened with ' is not closed: add the closing ' on the same line`},
	{"already defined", "this key appears twice: keep one"},
	{"is a reserved character", "a value may not start with @ or `: put it in double quotes"},
	{"block sequence entries are not allowed in this context", `a list item ("- ...") must start on its own line, indented under its key`},
}

// KnownKeys lists the yaml key names of the struct v points to.
func KnownKeys(v any) []string {
	keys, _ := structKeys(reflect.TypeOf(v))
	return slices.Clone(keys) // the caller's to change
}

// structKeys lists the yaml key names of struct type t (through
// pointers) and the field type of each; nil when t is not a struct. The
// answers are shared: callers must not change them.
func structKeys(t reflect.Type) ([]string, map[string]reflect.Type) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil, nil
	}
	// Every file's front matter asks about the same few types.
	if k, ok := structKeyCache.Load(t); ok {
		k := k.(*structKeyInfo)
		return k.keys, k.types
	}
	keys, types := makeStructKeys(t)
	structKeyCache.Store(t, &structKeyInfo{keys, types})
	return keys, types
}

var structKeyCache sync.Map // reflect.Type -> *structKeyInfo

type structKeyInfo struct {
	keys  []string
	types map[string]reflect.Type
}

func makeStructKeys(t reflect.Type) ([]string, map[string]reflect.Type) {
	var keys []string
	types := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		keys = append(keys, name)
		types[name] = f.Type
	}
	return keys, types
}

// Suggest returns the candidate closest to s by edit distance when it is
// close enough to be a likely typo, or "".
func Suggest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(s), c); d < bestD {
			best, bestD = c, d
		}
	}
	limit := 2
	if len(s) <= 4 {
		limit = 1
	}
	if bestD <= limit || (best != "" && (strings.HasPrefix(best, s) || strings.HasPrefix(s, best)) && len(s) >= 3) {
		return best
	}
	return ""
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			// transposition counts as one edit
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev[j-1]) // approximated Damerau
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Text is a scalar front-matter value kept as written, used for values whose
// syntax the caller validates itself (dates, times). It accepts YAML scalars
// and TOML strings, dates and times.
type Text struct {
	Raw string
	Set bool
}

// UnmarshalYAML implements yaml.BytesUnmarshaler.
func (t *Text) UnmarshalYAML(b []byte) error {
	s := strings.TrimSpace(string(b))
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		if u, err := strconv.Unquote(`"` + strings.ReplaceAll(s[1:len(s)-1], `"`, `\"`) + `"`); err == nil && s[0] == '"' {
			s = u
		} else {
			s = s[1 : len(s)-1]
		}
	}
	t.Raw, t.Set = s, true
	return nil
}

// UnmarshalTOML receives the raw TOML value (go-toml's unmarshaler
// interface, enabled by Decode).
func (t *Text) UnmarshalTOML(b []byte) error {
	s := strings.TrimSpace(string(b))
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		var v string
		if err := toml.Unmarshal([]byte("v = "+s), &struct {
			V *string `toml:"v"`
		}{&v}); err == nil {
			s = v
		} else {
			s = s[1 : len(s)-1]
		}
	}
	t.Raw, t.Set = s, true
	return nil
}

// String returns the raw text.
func (t Text) String() string { return t.Raw }

// Date parses t as a calendar date written YYYY-MM-DD. An unset Text gives
// the zero time and no error.
func (t Text) Date() (time.Time, error) {
	if !t.Set {
		return time.Time{}, nil
	}
	raw := t.Raw
	// TOML local date-times and YAML timestamps: accept a date with a time part.
	if len(raw) > 10 && (raw[10] == 'T' || raw[10] == ' ') {
		raw = raw[:10]
	}
	d, err := time.Parse(time.DateOnly, raw)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date: write it as YYYY-MM-DD, for example 2026-03-31", t.Raw)
	}
	return d, nil
}
