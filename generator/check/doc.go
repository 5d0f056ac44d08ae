// Package check runs every content check of the portal without writing a
// site (portal check), prints the results for people, GitHub and tools,
// and reports the translation status of every page (portal check
// --translations and the /status/ page).
//
// Run calls generator.Analyze with drafts included, validates the desks
// with desk.Load, and adds the checks below. Everything is reported as a
// diag.Diagnostic: path:line:col: severity: message.
//
// # What the build already reports (through Analyze and desk.Load)
//
//   - front-matter schema errors in guides, pages and desks: unknown keys
//     with "did you mean" suggestions, bad dates, missing required keys,
//     bad service codes, bad aliases, aliases claimed twice;
//   - broken links to content files and files, broken anchors, links with
//     no address, site-absolute links, unsafe schemes, malformed http(s)
//     addresses;
//   - desk facts: hours, closures, phones, e-mail, coordinates, provinces.
//
// Errors in the body of a draft are turned into warnings ("this page is a
// draft: fix it before publishing"), since the build leaves drafts out.
//
// # What this package adds
//
// Links and text (errors unless marked):
//   - a link from a published page to a page that is only a draft;
//   - an image without alt text; a link without text;
//   - link text that says nothing out of context, in the page language
//     ("qui", "clicca qui", "here", "click here", "ici", "aquí", ...): warning;
//   - external address syntax: a host without a domain ending or with bad
//     characters, localhost or private addresses, malformed mailto: and
//     tel: links; plain http:// is a warning;
//   - TODO markers in title, description or body (left by portal new):
//     errors in published pages, one warning per draft listing the lines.
//
// Phone-friendly Markdown (warnings): a level-1 heading in the body, a
// heading that skips a level, a table wider than MaxColumns columns.
//
// Addresses: a plain page whose slug is a section of the site (guides,
// search, desks) and an alias that is the address of a page, a desk or a
// page the build makes (search, /status/) are errors; the same guide slug
// in two topics is a warning.
//
// Staleness: a guide whose Italian text was reviewed more than MaxAge
// months before Today is a warning, more than MaxAgeError months an error.
//
// Translations (warnings): a translation whose reviewed date is before its
// Italian text's; a page not translated into one of RequireLangs (one
// warning on the Italian file, listing the languages); a translation
// without an Italian text; a translation whose heading or link count
// differs from the Italian text's (both counts are named); a
// translation_of marker naming another file.
//
// External reachability (only with Options.External): every http(s)
// address in bodies, sources and desks is requested with HEAD, then GET
// if HEAD fails, each within Options.Timeout. 404 and 410 are errors;
// other failures are warnings, as they may be temporary.
//
// # Output
//
// WriteDiagnostics prints diagnostics as text, GitHub Actions annotations
// or JSON; WriteTable prints the translation table (Translations) as text
// or JSON; StatusPage renders it as the HTML of the /status/ page. The
// table and the page live in package translation, which does not import
// the generator, so the build can render /status/ with translation.Page.
//
// The exit status of portal check is 0 when there are no errors (warnings
// alone pass), 1 when there is at least one error, 2 for bad flags.
package check
