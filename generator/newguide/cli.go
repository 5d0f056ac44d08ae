package newguide

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"portal/generator/i18n"
)

// Main runs "portal new" with args (the words after "new") and returns the
// exit status: 0 when the file was created, 1 when it could not be (it
// exists, the Italian text is missing), 2 for bad arguments.
func Main(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("new", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: portal new guide <topic>/<slug> [--lang xx] [--from it]\n\n"+
			"Creates content/guides/<topic>/<slug>.<lang>.md with every required field and an\n"+
			"outline to fill in (it never overwrites a file). With --from it, the new file is a\n"+
			"translation skeleton of the Italian guide: same headings, links and facts, with\n"+
			"TODO markers where text is to be translated.\n\nflags:\n")
		fs.PrintDefaults()
	}
	root := fs.String("root", ".", "project folder holding i18n/")
	var opt Options
	fs.StringVar(&opt.Content, "content", "", "content folder (default <root>/content)")
	fs.StringVar(&opt.Lang, "lang", "it", "language of the new file")
	fs.StringVar(&opt.From, "from", "", "make a translation skeleton of the text in this language (it)")
	// Flags may come before or after the words.
	var words []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		words = append(words, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(words) != 2 || words[0] != "guide" {
		fs.Usage()
		return 2
	}
	topic, slug, ok := strings.Cut(strings.TrimSuffix(words[1], ".md"), "/")
	if !ok || strings.Contains(slug, "/") {
		fmt.Fprintf(stderr, "portal new: %q: write the guide as <topic>/<slug>, like residence/rinnovo-permesso\n", words[1])
		return 2
	}
	opt.Topic, opt.Slug = topic, slug
	if opt.Content == "" {
		opt.Content = filepath.Join(*root, "content")
	}
	if set, _ := i18n.Load(os.DirFS(*root), "i18n"); set != nil && len(set.Codes()) > 0 {
		opt.Langs = set.Codes()
	}
	p, err := Create(opt)
	if err != nil {
		fmt.Fprintf(stderr, "portal new: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "created %s\n", p)
	if opt.From != "" {
		fmt.Fprintln(stdout, "next: translate every part marked TODO, delete the markers and \"draft: true\", then run portal check")
	} else {
		fmt.Fprintln(stdout, "next: fill in every TODO (title, description, sources, text), remove \"draft: true\" when it is ready, then run portal check")
	}
	return 0
}
