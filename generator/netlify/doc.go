// Package netlify reads the site's netlify.toml and _redirects files and
// reproduces, for the dev server and for tests, what Netlify's CDN does with
// them: header rules, redirects, rewrites, custom 404 pages and pretty URLs.
// netlify.toml stays the single source of these policies; nothing here
// duplicates them.
//
// # Reading the configuration
//
// Load parses netlify.toml with go-toml/v2 in strict mode: unknown keys and
// values of the wrong type are errors, reported as "file:line: message", as
// are invalid rules (bad path patterns, unsupported status codes, a target
// that uses a placeholder its from path does not capture, a Language that is
// not a BCP 47 tag). ParseRedirectsFile reads a _redirects file ("from to
// [status[!]] [Language=a,b] [Country=c]" per line) with the same checks.
//
// # Path patterns
//
// [[headers]] "for" paths follow @netlify/headers-parser, which netlify-cli
// uses: case-insensitive, trailing slash optional, ":name" is one segment,
// a standalone "*" matches anything including nothing (and, as upstream, makes
// the slash before it optional, so "/ro/*" also matches "/robots.txt"), and
// "*" inside a segment matches any characters. Redirect "from" paths follow
// Netlify's redirect rules: ":name" is one segment and "*" may only be the
// whole last segment; its match fills ":splat" in the target.
//
// # Headers
//
// Config.HeadersFor merges every matching rule in file order (later wins, as
// in netlify-cli). Netlify does not document what production does when two
// matching rules set the same header name, so a correct configuration never
// does that; Config.Conflicts lists such cases for a path.
//
// # Redirects
//
// MatchRedirect evaluates rules in order and returns the first that matches
// the path and conditions. A rule without force is shadowed when a file exists
// at the path. The Language condition is compared with the nf_lang cookie if
// set, otherwise with only the first tag of Accept-Language (q-values and later
// tags are ignored, as on Netlify); a condition "ar" matches a browser's
// "ar-EG", while a condition with a region must match the region too. The
// Country condition is read but not evaluated, because a local server has no
// GeoIP: a rule with only a Country condition behaves as unconditional.
// Query-parameter matching, host-based rules, proxying (200 to another site)
// and role-based rules are rejected as unsupported.
//
// # Serving
//
// Middleware returns an http.Handler that serves a built site from an fs.FS
// obtained per request (so a dev server can swap builds atomically), applying
// redirects (the site's _redirects first, then netlify.toml), pretty URLs,
// custom 404 content, the default /404.html, and the header rules on every
// response except function responses. Set Handler.Functions to mount
// functions under /.netlify/functions/. Header rules are matched against the
// request path, also when the content comes from a rewrite or a 404 page.
//
// # Checking a built site
//
// CheckSite compares a configuration with a built publish directory: every
// redirect target exists, every "for" pattern matches a real file, no path
// gets one header name from two rules, every HTML file gets exactly one
// Content-Security-Policy without 'unsafe-inline' and the right framing
// (frame-ancestors * and no X-Frame-Options under /embed/, 'none' plus
// X-Frame-Options: DENY elsewhere), content-hashed files are cached as
// immutable (search manifests excepted), and /api/ files carry
// Access-Control-Allow-Origin.
package netlify
