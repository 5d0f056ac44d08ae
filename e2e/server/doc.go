// Command server serves a built portal site for the browser tests in e2e/,
// the way production does: netlify.toml's headers and redirects through
// portal/generator/netlify, the contact function at
// /.netlify/functions/contact (package contact, configured from the CONTACT_*
// environment variables like the real function), gzip for text like
// Netlify's CDN, and /sw.js.
//
//	go run ./e2e/server -dir SITE -data DATA.json [-addr 127.0.0.1:0]
//
// When the built site has no sw.js, the server renders layouts/sw.js with the
// core asset URLs found in SITE/assets (see [RenderServiceWorker]), which is
// what the site build is expected to do. It prints "listening on URL" once
// it accepts connections and stops on SIGINT or SIGTERM.
package main
