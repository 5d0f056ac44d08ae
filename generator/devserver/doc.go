// Package devserver is the editors' live preview behind "portal serve": it
// builds the site into a scratch folder, serves it the way Netlify serves
// the published site, rebuilds it when a file changes, and tells the open
// browser tabs to reload.
//
// # Use
//
//	ln, err := devserver.Listen("127.0.0.1", 1313) // "port 1313 is in use: ..." when taken
//	s, err := devserver.New(devserver.Options{Build: cfg, Logger: log})
//	err = s.Serve(ctx, ln) // returns after ctx is done, once shut down
//
// cfg.Out must be a scratch folder: every build replaces it. The pages
// themselves are kept in memory (generator.Config.InMemory) and served
// over that folder, which receives only what parts of the build write on
// their own (the search index and its delta files, the desk feeds): a
// 10,000-page site starts without writing twenty thousand files, and an
// edit rewrites nothing on disk but the search index's delta files.
//
// # Production parity
//
// The site is served through package netlify's handler, configured from
// the project's netlify.toml (never from rules copied here): the same
// headers on every response, the same redirects with their Language
// conditions, the site's _redirects (aliases), pretty URLs and the
// per-language 404 pages. Editing netlify.toml applies the new rules at
// once; an invalid edit keeps the previous rules and is shown like a build
// error. The contact function is mounted at /.netlify/functions/contact
// with package contact's handler. Its data (desks, languages, messages) is
// the file each build writes (generator.Config.FunctionData, set to a
// scratch file next to the output), as on Netlify, or the project's
// netlify/functions/contact/data.json when the build wrote none; a new
// handler is made whenever that data changes. Its mail settings come from
// the CONTACT_* environment variables. Without them the server says at
// start-up that mail is not configured, and submissions are answered with
// 503, as the deployed function would.
//
// Pages are built with generator.Config.Dev set, which adds
// <script src="/__portal/reload.js" defer> to every page: an external
// script, so the production Content-Security-Policy (no 'unsafe-inline')
// holds in the preview too. Nothing under /__portal/ is ever written into
// the built site.
//
// # Watching
//
// The content folder and the project's layouts/, i18n/ and static/ folders
// are watched recursively with fsnotify (every directory, new ones added as
// they appear, removed or renamed ones dropped), and netlify.toml through
// its folder: watches are on directories, so saves that write a temporary
// file and rename it over the original are seen as a change of the
// original. Editors' swap, backup and temporary files (hidden names, "~",
// ".swp", "#name#", Vim's "4913" probe) are ignored. A burst of events
// becomes one rebuild once no event arrived for Options.Debounce (50 ms by
// default; at most a second after the burst began). Changes made during a
// build are gathered into the next one.
//
// Each batch calls generator.Session.Rebuild with the absolute paths that
// changed (files, and folders that appeared or disappeared, with the files
// and folders found inside a new folder); nil means everything (the first
// build, or when the kernel's event queue overflowed). The reload event
// passes on Result.Changed, the URL paths an incremental update wrote or
// removed (null after a full build). When the server stops it waits for
// the session's background search-index update.
//
// # Reloading
//
// /__portal/events is a server-sent event stream. Each event's data is one
// line of JSON:
//
//	hello  {"build": id, "errors": [...]}    first event of every connection
//	reload {"build": id, "changed": [...]}   a build succeeded; changed lists
//	                                         the URL paths that changed, null
//	                                         meaning every page
//	error  {"build": id, "errors": [...]}    a build failed (or netlify.toml is
//	                                         invalid); the last good site is
//	                                         still served
//
// Errors are "path:line: message" strings. The build id changes with every
// good build and every run of the server, so a tab that reconnects (after a
// restart, or after missing events) and sees another id reloads.
//
// reload.js, served at /__portal/reload.js, reloads the page when a reload
// event concerns it (keeping the scroll position), and shows the errors in
// a dialog built with DOM calls and styled by /__portal/overlay.css; the
// dialog goes away with the next good build. Before the first good build,
// every path answers 503 with a page listing the errors, which reloads
// itself once the site builds.
//
// /__portal/status returns the state as JSON (see Status), for tests and
// benchmarks.
//
// # Shutting down
//
// When the context given to Serve is done, the watcher stops, a running
// build is cancelled, the event streams are closed and the HTTP server
// shuts down gracefully (waiting at most 5 seconds for requests in flight).
package devserver
