// Package generator builds the portal: it loads the languages (i18n/), the
// content (content/), the layouts (layouts/) and the static assets
// (static/), checks everything, and writes the site atomically.
//
// Data flow:
//
//	content/*.md --load--> pages --validate (all errors, sorted)--> fail, old site intact
//	                          |
//	                          +--render in parallel (Markdown once per text, layout per language)
//	                          |      --> minify --> temporary directory
//	                          +--sitemap, feeds, aliases, 404 pages, language chooser
//	                                      --> swapped into place on success
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
