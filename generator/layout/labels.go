package layout

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"text/template/parse"
)

// LabelRef is a use of {{.L.key}} in a layout: the key of an interface
// string looked up in the page's label map.
type LabelRef struct {
	Key  string
	File string // layout file that uses it, e.g. "layouts/guide.html"
	Line int
}

// Labels returns every {{.L.key}} the layouts use, sorted by key, so the
// caller can make sure each language has the key before any page is
// rendered (the layouts treat a missing key as an error).
func (s *Set) Labels() []LabelRef {
	seen := map[string]bool{}
	var refs []LabelRef
	for _, t := range s.pages {
		for _, tt := range t.Templates() {
			if tt.Tree == nil || tt.Tree.Root == nil {
				continue
			}
			tree := tt.Tree
			walk(tree.Root, func(n parse.Node, ident []string) {
				if len(ident) > 0 && ident[0] == "$" {
					ident = ident[1:]
				}
				if len(ident) < 2 || ident[0] != "L" {
					return
				}
				line, _ := tree.ErrorContext(n)
				ref := LabelRef{Key: ident[1], File: s.files[tree.ParseName], Line: lineOf(line)}
				id := ref.Key + "\x00" + line
				if !seen[id] {
					seen[id] = true
					refs = append(refs, ref)
				}
			})
		}
	}
	slices.SortFunc(refs, func(a, b LabelRef) int {
		return cmp.Or(strings.Compare(a.Key, b.Key), strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	return refs
}

// lineOf extracts the line from parse's "name:line:col" location.
func lineOf(loc string) int {
	parts := strings.Split(loc, ":")
	if len(parts) < 3 {
		return 0
	}
	n, _ := strconv.Atoi(parts[len(parts)-2])
	return n
}

// walk calls fn for every field and variable node under n, with its
// identifiers (".L.toc" gives L, toc; "$.L.toc" gives $, L, toc).
func walk(n parse.Node, fn func(parse.Node, []string)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walk(c, fn)
		}
	case *parse.ActionNode:
		walk(n.Pipe, fn)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			walk(c, fn)
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			walk(a, fn)
		}
	case *parse.FieldNode:
		fn(n, n.Ident)
	case *parse.VariableNode:
		fn(n, n.Ident)
	case *parse.ChainNode:
		walk(n.Node, fn)
	case *parse.IfNode:
		walk(n.Pipe, fn)
		walk(n.List, fn)
		walk(n.ElseList, fn)
	case *parse.RangeNode:
		walk(n.Pipe, fn)
		walk(n.List, fn)
		walk(n.ElseList, fn)
	case *parse.WithNode:
		walk(n.Pipe, fn)
		walk(n.List, fn)
		walk(n.ElseList, fn)
	case *parse.TemplateNode:
		walk(n.Pipe, fn)
	}
}
