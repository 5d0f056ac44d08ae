// Package markdown converts the Markdown bodies of content files to HTML
// with goldmark, the way the portal needs:
//
//   - GitHub Flavored Markdown (tables, autolinks, strikethrough, task
//     lists), the typographer with each language's quotation marks, and
//     explicit heading IDs written {#id};
//   - heading IDs of our own (ID) that keep Arabic, Chinese, Cyrillic and
//     accented text readable and unique within a page;
//   - raw HTML is never emitted (goldmark's safe default, which replaces it
//     with a comment) and dangerous link schemes are dropped;
//   - links to other content files, written as editors see them in the
//     repository ("../citizenship/cittadinanza.md#requisiti"), are
//     collected with their line numbers and rendered as placeholders that
//     Result.HTMLFor fills in per output language, so one rendering serves
//     every language a fallback page appears in;
//   - the headings (for the table of contents and anchor checks) and the
//     plain text of each section (for the search index) come out of the
//     same parse.
//
// A Renderer is not safe for concurrent use; make one per goroutine.
package markdown
