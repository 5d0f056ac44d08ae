// Package meta splits a content file into its front matter and Markdown body
// and decodes the front matter strictly into a Go struct, reporting every
// problem with the file's real line numbers.
//
// Front matter is YAML between "---" lines or TOML between "+++" lines at the
// top of the file (blank lines and a UTF-8 byte-order mark before it are
// allowed). Splitting uses github.com/adrg/frontmatter with decoders of our
// own: github.com/goccy/go-yaml and github.com/pelletier/go-toml/v2, both in
// strict mode, so unknown keys, duplicate keys and wrong types are errors
// that name the line. Line numbers always refer to the whole file: the body
// keeps its original line numbering through BodyLine.
//
// Values whose syntax differs between the formats, such as dates, are
// decoded as Text and checked by the caller, which can ask Source.Line for
// the line of any key path to report the problem in place.
package meta
