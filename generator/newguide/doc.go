// Package newguide starts a guide for an editor (portal new guide): a new
// Italian (or other language) guide with every required front-matter key
// and the recommended outline, or, with --from it, a translation skeleton
// of an existing Italian guide.
//
// A new guide, content/guides/<topic>/<slug>.<lang>.md, has title,
// description, reviewed (today), tags, services, weight, one sources entry
// to fill, draft: true, and the sections "what you need" (a task list),
// "how to do it" (numbered steps) and "watch out", with the Italian ids
// {#cosa-serve}, {#come-fare} and {#attenzione} in every language.
//
// A translation skeleton copies the Italian facts (sources, services,
// weight), sets translation_of to the Italian file (relative to the content
// folder), reviewed to today and draft: true, and keeps the Italian body
// with the same headings, {#id}s, links, lists and tables; each heading and
// block starts with "TODO: " so portal check lists what is left to
// translate (warnings while the file is a draft, errors once published).
// Headings without an explicit id that the page links to get the Italian
// id written out, so same-page links keep working.
//
// Create never overwrites a file.
package newguide
