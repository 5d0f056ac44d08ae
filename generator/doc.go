// Package generator builds the portal: it loads the languages (i18n/), the
// content (content/), the layouts (layouts/) and the static assets
// (static/), checks everything, and writes the site atomically.
//
// Data flow:
//
//	content/*.md --load--> pages --validate (all errors, sorted)--> fail, old site intact
//	                          |
//	                          +--render in parallel, one pool for content groups and desk pages
//	                          |   (Markdown once per text, layout per language, search analysis)
//	                          |      --> temporary directory
//	                          +--side by side: search index, sitemap, feeds, aliases, 404 pages,
//	                          |   language chooser, desk feeds
//	                          +--swapped into place on success
//
// Build does this once. A Session (portal serve) keeps the site model after
// the first build and brings the site up to date after an edit by
// re-rendering only what depends on the changed files, updating the search
// index through delta files; with Config.InMemory its pages stay in memory
// and are served by Session.FS.
//
// URLs: /<lang>/ home, /<lang>/guides/ all guides, /<lang>/guides/<topic>/
// topic, /<lang>/guides/<topic>/<slug>/ guide, /<lang>/<slug>/ plain page,
// /<lang>/search/, /<lang>/contact/sent/, /<lang>/404.html, /<lang>/feed.xml,
// /sitemap.xml, /robots.txt, fingerprinted /assets/<name>.<hash>.<ext>.
//
// Every piece of content is published in every configured language. Where a
// translation is missing, the page shows the text of the first language of
// that language's fallback chain (i18n/<lang>.toml), with a notice; such a
// page points its canonical link at the page whose text it shows, stays out
// of the sitemap and claims no hreflang translation. Markdown is rendered
// once per text and reused by every fallback page; links inside it are
// resolved for each output language.
package generator
