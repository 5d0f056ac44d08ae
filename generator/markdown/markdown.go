package markdown

import (
	"bufio"
	"bytes"
	"html"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"portal/generator/diag"
)

// LinkKind classifies a link found in a body.
type LinkKind int

// Link kinds.
const (
	External LinkKind = iota // http(s), mailto, tel
	SamePage                 // "#anchor"
	Content                  // another content file ("x.md", "x.en.md")
	File                     // another file under the content root (an image, a PDF)
)

// Link is a link or image found in a body.
type Link struct {
	Kind   LinkKind
	Dest   string // as written
	Target string // for Content and File: path relative to the content root, without "#anchor"
	Anchor string // fragment without '#', or ""
	Text   string // the link text (alt text for images)
	Image  bool
	Line   int
	Col    int
}

// Heading is a heading of the document.
type Heading struct {
	Level int
	ID    string
	Text  string
	Line  int
}

// Section is the plain text under a heading (the first has no heading).
type Section struct {
	Anchor, Heading string
	Level           int
	Text            string
}

// Table describes a table, for checks of what suits a phone screen.
type Table struct {
	Columns int
	Line    int
}

// Result is a rendered body.
type Result struct {
	html     []byte
	plain    string // html as a string, made once when it has no links to resolve
	Links    []Link
	Headings []Heading
	Sections []Section
	Tables   []Table
}

// Resolve maps one content link to its address in an output language:
// href is the URL to use and hreflang the language of the text the target
// shows when it differs from the page's language ("" otherwise).
type Resolve func(l Link) (href, hreflang string)

// HTMLFor returns the body with content links rendered as given by
// resolve (nil renders them as plain relative paths, for previews and
// tests).
func (r *Result) HTMLFor(resolve Resolve) string {
	if !bytes.Contains(r.html, []byte(placeholder)) {
		if r.plain == "" {
			r.plain = string(r.html)
		}
		return r.plain
	}
	return string(r.AppendHTML(make([]byte, 0, len(r.html)+256), resolve))
}

// Empty reports whether the body has no HTML at all.
func (r *Result) Empty() bool { return len(r.html) == 0 }

// AppendHTML appends the body to dst as HTMLFor returns it.
func (r *Result) AppendHTML(dst []byte, resolve Resolve) []byte {
	rest := r.html
	marker := []byte(`href="` + placeholder)
	for {
		i := bytes.Index(rest, marker)
		if i < 0 {
			return append(dst, rest...)
		}
		dst = append(dst, rest[:i]...)
		rest = rest[i+len(marker):]
		j := bytes.IndexByte(rest, '"')
		n, err := strconv.Atoi(string(rest[:j]))
		rest = rest[j+1:]
		if err != nil || n < 0 || n >= len(r.Links) {
			dst = append(dst, `href="#"`...)
			continue
		}
		l := r.Links[n]
		href, hreflang := l.Target, ""
		if resolve != nil {
			href, hreflang = resolve(l)
		}
		dst = append(dst, `href="`...)
		dst = appendEscaped(dst, href)
		dst = append(dst, '"')
		if hreflang != "" {
			dst = append(dst, ` hreflang="`...)
			dst = appendEscaped(dst, hreflang)
			dst = append(dst, '"')
		}
	}
}

// appendEscaped appends s escaped as html.EscapeString escapes it.
func appendEscaped(dst []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '&':
			esc = "&amp;"
		case '\'':
			esc = "&#39;"
		case '"':
			esc = "&#34;"
		default:
			continue
		}
		dst = append(append(dst, s[last:i]...), esc...)
		last = i + 1
	}
	return append(dst, s[last:]...)
}

const placeholder = "portal-link-"

// Renderer converts bodies written in one language.
type Renderer struct {
	md   goldmark.Markdown
	lang string
	// NoSections leaves Result.Sections empty: the plain text of each
	// section is only needed by the search index.
	NoSections bool
}

// quotes returns the typographer's quotation marks for a language.
func quotes(lang string) map[extension.TypographicPunctuation]string {
	switch lang {
	case "it", "fr", "es", "ru", "uk", "sq", "ar", "ur":
		return map[extension.TypographicPunctuation]string{
			extension.LeftDoubleQuote:  "&laquo;",
			extension.RightDoubleQuote: "&raquo;",
		}
	case "ro":
		return map[extension.TypographicPunctuation]string{
			extension.LeftDoubleQuote:  "&bdquo;",
			extension.RightDoubleQuote: "&rdquo;",
		}
	}
	return nil
}

// New returns a renderer for text in lang.
func New(lang string) *Renderer {
	exts := []goldmark.Extender{
		gfm,
		extension.NewTypographer(extension.WithTypographicSubstitutions(quotes(lang))),
	}
	if lang == "zh" || lang == "ja" || lang == "ko" {
		exts = append(exts, extension.CJK)
	}
	return &Renderer{md: goldmark.New(
		goldmark.WithExtensions(exts...),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithAttribute()),
	), lang: lang}
}

// Doc identifies the body being rendered, for link resolution and
// diagnostics.
type Doc struct {
	Path     string // path shown in diagnostics
	Rel      string // path relative to the content root, for resolving relative links
	Body     []byte
	BodyLine int // line of Body's first byte in the file
}

// Render converts doc. Problems the editor must fix (bad links, bad
// attributes) are returned as diagnostics; the result is usable anyway.
func (r *Renderer) Render(doc Doc) (*Result, diag.List) {
	ctx := parser.NewContext(parser.WithIDs(newIDs()))
	root := r.md.Parser().Parse(text.NewReader(doc.Body), parser.WithContext(ctx))
	w := &walker{doc: doc, res: &Result{}, seenIDs: map[string]bool{}}
	w.heads = w.headsBuf[:0]
	w.walk(root)
	if !r.NoSections {
		w.sections(root)
	}
	sc := scratches.Get().(*scratch)
	defer scratches.Put(sc)
	sc.buf.Reset()
	sc.buf.Grow(len(doc.Body) * 5 / 4)
	sc.w.Reset(&sc.buf)
	err := r.md.Renderer().Render(sc.w, doc.Body, root)
	if err == nil {
		err = sc.w.Flush()
	}
	if err != nil {
		w.errs = append(w.errs, diag.Errorf(doc.Path, doc.BodyLine, "rendering Markdown: %v", err))
	}
	w.res.html = wrapTables(nil, sc.buf.Bytes())
	return w.res, w.errs
}

// scratch is where Render writes HTML before it is copied, tables
// wrapped, into a result of its own size. The renderer writes through a
// buffered writer, and takes one it is given as it is.
type scratch struct {
	buf bytes.Buffer
	w   *bufio.Writer
}

var scratches = sync.Pool{New: func() any { return &scratch{w: bufio.NewWriter(nil)} }}

type walker struct {
	doc     Doc
	res     *Result
	errs    diag.List
	lineIdx []int // line starts, made on the first call of pos
	seenIDs map[string]bool
	heads   []*ast.Heading // the node of each of res.Headings, for sections
	// headsBuf holds heads for a body of up to 16 headings (nearly all),
	// so that they cost no allocations of their own.
	headsBuf [16]*ast.Heading
}

func lineIndex(b []byte) []int {
	idx := make([]int, 1, 1+bytes.Count(b, []byte{'\n'}))
	for off := 0; ; {
		i := bytes.IndexByte(b[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
		idx = append(idx, off)
	}
	return idx
}

// pos converts a byte offset in the body to a file line and column.
func (w *walker) pos(off int) (int, int) {
	if w.lineIdx == nil {
		w.lineIdx = lineIndex(w.doc.Body)
	}
	lo, hi := 0, len(w.lineIdx)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if w.lineIdx[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	// RuneCount counts an invalid byte as one rune, as []rune(string(b))
	// does, without making either.
	col := 1 + utf8.RuneCount(w.doc.Body[w.lineIdx[lo]:min(off, len(w.doc.Body))])
	return w.doc.BodyLine + lo, col
}

// offsetOf finds a source offset for n: its first line, or its first text
// descendant's.
func offsetOf(n ast.Node) int {
	if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
		return n.Lines().At(0).Start
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			return t.Segment.Start
		}
		if o := offsetOf(c); o >= 0 {
			return o
		}
	}
	if p := n.Parent(); p != nil && p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
		return p.Lines().At(0).Start
	}
	return -1
}

func (w *walker) lineOf(n ast.Node) (int, int) {
	o := offsetOf(n)
	for p := n.Parent(); o < 0 && p != nil; p = p.Parent() {
		o = offsetOf(p)
	}
	if o < 0 {
		return w.doc.BodyLine, 0
	}
	return w.pos(o)
}

func (w *walker) walk(root ast.Node) {
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			id, _ := n.AttributeString("id")
			idb, _ := id.([]byte)
			line, _ := w.lineOf(n)
			hid := string(idb)
			if w.seenIDs[hid] {
				// An explicit {#id} repeated an id used earlier in the page.
				w.errs = append(w.errs, diag.Errorf(w.doc.Path, line, "the heading id %q is used twice in this page: give this heading another {#id}", hid))
				base := hid
				for i := 1; w.seenIDs[hid]; i++ {
					hid = base + "-" + strconv.Itoa(i)
				}
				n.SetAttributeString("id", []byte(hid))
			}
			w.seenIDs[hid] = true
			w.res.Headings = append(w.res.Headings, Heading{Level: n.Level, ID: hid, Text: plainText(n, w.doc.Body), Line: line})
			w.heads = append(w.heads, n)
		case *ast.Link:
			w.link(n, &n.Destination, plainText(n, w.doc.Body), false)
		case *ast.Image:
			w.link(n, &n.Destination, plainText(n, w.doc.Body), true)
		case *ast.AutoLink:
			// autolinks are external by construction (URL or e-mail)
		case *east.Table:
			line, _ := w.lineOf(n)
			cols := 0
			if h := n.FirstChild(); h != nil {
				cols = h.ChildCount()
			}
			w.res.Tables = append(w.res.Tables, Table{Columns: cols, Line: line})
		}
		return ast.WalkContinue, nil
	})
}

func (w *walker) link(n ast.Node, dest *[]byte, txt string, image bool) {
	line, col := w.lineOf(n)
	raw := string(*dest)
	l := Link{Dest: raw, Text: txt, Image: image, Line: line, Col: col}
	fail := func(format string, args ...any) {
		d := diag.Errorf(w.doc.Path, line, format, args...)
		d.Col = col
		w.errs = append(w.errs, d)
	}
	switch {
	case raw == "":
		l.Kind = External
		if !image {
			fail("the link %q has no address: put the target in the parentheses, like [text](../topic/guide.md)", txt)
		}
	case strings.HasPrefix(raw, "#"):
		l.Kind, l.Anchor = SamePage, raw[1:]
	case hasScheme(raw):
		l.Kind = External
		u, err := url.Parse(raw)
		scheme := strings.ToLower(strings.SplitN(raw, ":", 2)[0])
		switch {
		case scheme == "http" || scheme == "https":
			if err != nil || u.Host == "" {
				fail("%q is not a valid web address: write the full address, like https://www.example.gov.it/page", raw)
			}
		case scheme == "mailto" || scheme == "tel":
		default:
			fail("links with %q addresses are not allowed: use https://, mailto: or tel:", scheme+":")
			*dest = []byte("#")
		}
	case strings.HasPrefix(raw, "/") || strings.HasPrefix(raw, "//"):
		fail("%q is a site address: link to the content file instead, with a relative path such as ../residence/rinnovo-permesso.md, so the link follows the reader's language", raw)
	default:
		p, frag, _ := strings.Cut(raw, "#")
		if unesc, err := url.PathUnescape(p); err == nil {
			p = unesc
		}
		target := cleanRel(dir(w.doc.Rel), p)
		if strings.HasPrefix(target, "../") || target == ".." {
			fail("%q points outside the content folder", raw)
			return
		}
		l.Target, l.Anchor = target, frag
		if strings.HasSuffix(target, ".md") {
			l.Kind = Content
		} else {
			l.Kind = File
		}
		if image && l.Kind == Content {
			fail("an image cannot show a Markdown file: %q", raw)
		}
		if l.Kind == Content && !image {
			*dest = []byte(placeholder + strconv.Itoa(len(w.res.Links)))
		} else {
			*dest = []byte("/files/" + target)
		}
	}
	w.res.Links = append(w.res.Links, l)
}

func hasScheme(s string) bool {
	i := strings.IndexByte(s, ':')
	if i <= 0 {
		return false
	}
	for _, r := range s[:i] {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

func dir(rel string) string {
	if i := strings.LastIndexByte(rel, '/'); i >= 0 {
		return rel[:i]
	}
	return ""
}

// cleanRel joins a relative link to the directory of the linking file and
// cleans it, keeping a leading "../" when it escapes the root.
func cleanRel(base, p string) string {
	parts := []string{}
	if base != "" {
		parts = strings.Split(base, "/")
	}
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "", ".":
		case "..":
			if len(parts) == 0 || parts[len(parts)-1] == ".." {
				parts = append(parts, "..")
			} else {
				parts = parts[:len(parts)-1]
			}
		default:
			parts = append(parts, seg)
		}
	}
	return strings.Join(parts, "/")
}

// plainText returns the text content of n.
func plainText(n ast.Node, src []byte) string {
	return string(appendPlain(nil, n, src))
}

// appendPlain appends the text content of n to dst, entities decoded.
//
// The text is looked through for '&' once it is joined, rather than
// piece by piece as it is appended: a block's text comes in many short
// pieces (words between emphasis, links, line breaks), and a search
// through each cost more in calls than in bytes (about 0.02 s of CPU per
// build of the 10k corpus).
func appendPlain(dst []byte, n ast.Node, src []byte) []byte {
	start := len(dst)
	dst = appendInline(dst, n, src)
	if bytes.IndexByte(dst[start:], '&') >= 0 {
		dst = append(dst[:start], html.UnescapeString(string(dst[start:]))...)
	}
	return dst
}

// appendInline appends the text of n's descendants to dst, entities as
// written (see appendPlain).
//
// Text nodes, most of a body's nodes, are taken with the calls made on
// the concrete node, which the compiler inlines (the segment's bytes read
// without Segment.Value, unless it is padded, and the next node without
// a call through the ast.Node interface): about a third of what a text
// node cost here (callgrind, BenchmarkSectionsCorpus: sections 47.0 → 41.8
// M instructions per pass over the Italian bodies of the 10k corpus).
func appendInline(dst []byte, n ast.Node, src []byte) []byte {
	for c := n.FirstChild(); c != nil; {
		if t, ok := c.(*ast.Text); ok {
			if seg := &t.Segment; seg.Padding == 0 {
				dst = append(dst, src[seg.Start:seg.Stop]...)
			} else {
				dst = append(dst, seg.Value(src)...)
			}
			if t.SoftLineBreak() || t.HardLineBreak() {
				dst = append(dst, ' ')
			}
			c = t.NextSibling()
			continue
		}
		switch t := c.(type) {
		case *ast.String:
			dst = append(dst, t.Value...)
		case *ast.AutoLink:
			dst = append(dst, t.Label(src)...)
		default:
			dst = appendInline(dst, c, src)
		}
		c = c.NextSibling()
	}
	return dst
}

// sections splits the document's text at headings for the search index.
//
// All the texts go into one buffer, made once with room for about the
// whole body (the text of a body is nearly always shorter than its
// Markdown: 92 % of it on the 10k corpus, never more), and each
// section's Text is a string pointing into it rather than a copy: the
// bytes of a section are never written again once its string is made
// (later sections only append after them; should the buffer grow, the
// strings keep the old array). Headings take the id and text the walk
// already found. Compared with a reused buffer copied out section by
// section and headings read again, this saves the copies, the buffer's
// growth and 96 % of the allocations: sections takes half the time
// (BenchmarkSectionsCorpus), about 0.08 s of CPU less per build of the
// 10k corpus.
func (w *walker) sections(root ast.Node) {
	src := w.doc.Body
	buf, blk := takeText(len(src) + len(src)/16 + 16)
	defer func() { putText(blk, buf) }()
	start := 0 // where the current section's text starts in buf
	cur := Section{}
	w.res.Sections = make([]Section, 0, len(w.heads)+1) // at most one per heading, and the top
	flush := func() {
		cur.Text = ""
		if t := bytes.TrimSpace(buf[start:]); len(t) > 0 {
			cur.Text = unsafe.String(&t[0], len(t))
		}
		if cur.Text != "" || cur.Heading != "" {
			w.res.Sections = append(w.res.Sections, cur)
		}
		start = len(buf)
	}
	next := 0 // the first of w.heads not yet met
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok {
			buf = appendBlockText(buf, n, src)
			continue
		}
		flush()
		i := next
		for i < len(w.heads) && w.heads[i] != h {
			i++
		}
		if i < len(w.heads) {
			hd := &w.res.Headings[i]
			cur = Section{Anchor: hd.ID, Heading: hd.Text, Level: h.Level}
			next = i + 1
		} else { // not met by the walk (cannot happen): find them again
			id, _ := h.AttributeString("id")
			idb, _ := id.([]byte)
			cur = Section{Anchor: string(idb), Heading: plainText(h, src), Level: h.Level}
		}
	}
	flush()
}

// textChunkSize is the size of the blocks that section texts are carved
// from (see takeText).
const textChunkSize = 256 << 10

// textBlocks holds blocks that section texts are carved from, each with
// room left after its carved part, its length; the last is taken first.
var textBlocks struct {
	sync.Mutex
	blocks [][]byte
}

// maxTextBlocks bounds the blocks textBlocks keeps (one per body being
// rendered at once is enough).
const maxTextBlocks = 8

// takeText returns an empty buffer with room for n bytes for the texts
// of a body (see sections), and the block it lies in, if any; give both
// back with putText once the texts are made. The texts of small bodies
// are carved one after another from blocks shared with the texts of
// other bodies: the section texts of a thousand bodies then cost a few
// allocations of a block instead of one allocation each (a fifth of what
// sections cost on the 10k corpus: BenchmarkSectionsCorpus). A block
// lives as long as any text in it: the texts of bodies rendered one
// after another (the search index keeps them for a while, then drops
// them in the same order).
//
// While a body's texts are made, its buffer reaches to the end of the
// block, which no one else carves from meanwhile; putText then keeps
// only what the texts took. (Reserving n bytes for the body, enough for
// any text, took about 14 % more than the texts need, so that about 14 %
// more blocks were allocated and kept alive by the texts the index keeps
// waiting for their analysis.)
func takeText(n int) (buf, blk []byte) {
	if n > textChunkSize/4 {
		return newTextBuf(n), nil
	}
	textBlocks.Lock()
	if k := len(textBlocks.blocks); k > 0 {
		blk = textBlocks.blocks[k-1]
		textBlocks.blocks = textBlocks.blocks[:k-1]
	}
	textBlocks.Unlock()
	if cap(blk)-len(blk) < n {
		blk = newTextBuf(textChunkSize) // the rest of the last block is left unused
	}
	return blk[len(blk):len(blk):cap(blk)], blk
}

// newTextBuf returns an empty buffer with room for n bytes whose memory
// is not cleared first. Section texts are only ever read where they were
// written (every string sections makes lies in bytes it appended), so
// clearing a block before use is wasted work; and a block of 256 KB is a
// large allocation, which make clears whenever its pages held freed
// objects before, as they nearly always do in a site build running at its
// soft memory limit: clearing the 57 MB of blocks a build of the 10k
// corpus takes cost 0.01 to 0.025 s of CPU there (memclrNoHeapPointers
// under takeText, in three sets of 4 or 5 profiled builds).
// strings.Builder.Grow is the standard library's way to allocate bytes
// without clearing them; the builder is dropped at once and its string
// never used again, so the bytes are the caller's alone.
func newTextBuf(n int) []byte {
	var sb strings.Builder
	sb.Grow(n)
	sb.WriteByte(0) // so that the string below has a first byte to point at
	return unsafe.Slice(unsafe.StringData(sb.String()), n)[:0]
}

// putText gives back blk, which takeText returned with buf, once the
// texts made in buf are final: the block's carved part then ends where
// they end, and the texts of the next body start after them, so that
// theirs are never written again. If buf outgrew the block (it moved),
// the block is not used again: the texts made before the move stay in
// it.
func putText(blk, buf []byte) {
	if blk == nil {
		return
	}
	rest := blk[len(blk):cap(blk)]
	if cap(buf) != len(rest) || unsafe.SliceData(buf) != unsafe.SliceData(rest) {
		return // buf moved
	}
	blk = blk[:len(blk)+len(buf)]
	if cap(blk)-len(blk) < 1<<10 {
		return // full enough
	}
	textBlocks.Lock()
	if len(textBlocks.blocks) < maxTextBlocks {
		textBlocks.blocks = append(textBlocks.blocks, blk)
	}
	textBlocks.Unlock()
}

// appendBlockText appends the text of block n and its children to dst,
// each block followed by a space.
func appendBlockText(dst []byte, n ast.Node, src []byte) []byte {
	switch n.(type) {
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		for i := 0; i < n.Lines().Len(); i++ {
			s := n.Lines().At(i)
			dst = append(dst, s.Value(src)...)
		}
		return append(dst, ' ')
	case *ast.ThematicBreak, *ast.HTMLBlock:
		return dst
	}
	if n.Type() == ast.TypeBlock && n.FirstChild() != nil && n.FirstChild().Type() == ast.TypeInline {
		return append(appendPlain(dst, n, src), ' ')
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		dst = appendBlockText(dst, c, src)
	}
	return dst
}

// Transform replaces the rendered HTML with f's result, for example to
// minify it once before it is reused in many pages. f must keep link
// attributes written as href="..." intact.
func (r *Result) Transform(f func([]byte) ([]byte, error)) error {
	out, err := f(r.html)
	if err != nil {
		return err
	}
	r.html, r.plain = out, ""
	return nil
}

// String returns the body with links rendered as their relative targets.
func (r *Result) String() string { return r.HTMLFor(nil) }

// wrapTables appends b to out with every table put in a focusable,
// scrollable box, so a wide table scrolls on its own on a narrow screen
// instead of the page. The
// renderer never emits raw HTML, so "<table>" only comes from tables.
func wrapTables(out, b []byte) []byte {
	const open, close = "<table>", "</table>"
	n := bytes.Count(b, []byte(open))
	// One byte more: the minifier's reader then marks the end of the
	// input in place instead of copying it all.
	out = slices.Grow(out, len(b)+n*len(`<div class="table" tabindex="0"></div>`)+1)
	for {
		i := bytes.Index(b, []byte(open))
		if i < 0 {
			break
		}
		j := bytes.Index(b[i:], []byte(close))
		if j < 0 {
			break
		}
		j += i + len(close)
		out = append(out, b[:i]...)
		out = append(out, `<div class="table" tabindex="0">`...)
		out = append(out, b[i:j]...)
		out = append(out, "</div>"...)
		b = b[j:]
	}
	return append(out, b...)
}
