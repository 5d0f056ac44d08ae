// Package content loads the portal's content tree into pages grouped by
// translation.
//
// Layout (paths relative to the content root):
//
//	_index.<lang>.md                      home page text per language
//	guides/_index.<lang>.md               the list of all guides
//	guides/<topic>/_index.<lang>.md       a topic's introduction
//	guides/<topic>/<slug>.<lang>.md       a guide; translations share the slug
//	pages/<slug>.<lang>.md                plain pages (about, privacy, ...)
//	desks/...                             desk files, loaded by package desk
//
// A file without a language suffix is in the source language (Italian). A
// suffix that is not a configured language is an error. Topics are a fixed
// list (Topics). Front matter follows the Meta schema: unknown keys, wrong
// types, bad dates and missing required fields are reported with the file
// and line, all of them in one run.
package content
