package markdown

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// gfm is extension.GFM with a quicker autolink parser: the same
// extensions (linkify, tables, strikethrough, task lists), with goldmark's
// linkify parser behind quickLinkify.
var gfm = goldmark.Extender(gfmExt{})

type gfmExt struct{}

func (gfmExt) Extend(m goldmark.Markdown) {
	// As extension.Linkify.Extend, with the parser wrapped.
	m.Parser().AddOptions(parser.WithInlineParsers(
		util.Prioritized(&quickLinkify{extension.NewLinkifyParser()}, 999),
	))
	extension.Table.Extend(m)
	extension.Strikethrough.Extend(m)
	extension.TaskList.Extend(m)
}

// quickLinkify answers "no link here" without calling goldmark's linkify
// parser where that parser is sure to find none. It is triggered at every
// space of a text, and almost every word is not a link: the parser only
// links text that starts with "http:", "https:", "ftp:" or "www." (its
// default protocols), or an e-mail address, which has an '@' on the same
// line. Returning nil leaves the reader where it was, as the parser does
// when it finds nothing, so the output is the same.
type quickLinkify struct{ parser.InlineParser }

func (q *quickLinkify) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	if len(line) > 0 {
		switch line[0] {
		case ' ', '*', '_', '~', '(': // the triggers the parser steps over
			line = line[1:]
		}
	}
	if len(line) == 0 {
		return nil
	}
	if c := line[0]; c != 'h' && c != 'f' && c != 'w' && bytes.IndexByte(line, '@') < 0 {
		return nil
	}
	return q.InlineParser.Parse(parent, block, pc)
}
