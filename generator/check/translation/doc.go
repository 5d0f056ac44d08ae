// Package translation reports how far each page's translations are from
// its Italian text: a table of pages by language (Translations) and the
// HTML of the editors' /status/ page (Page). It depends only on the loaded
// content, so the build can use it without importing package check.
//
// A translation is up to date (ok) when its reviewed date is not before the
// Italian text's, outdated when it is, missing when there is no file, and
// a draft when its file has draft: true. The Italian column says source.
package translation
