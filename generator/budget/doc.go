// Package budget measures what a phone has to download before it can show a
// page of the built site: the page's HTML plus the stylesheets it links for
// the screen, gzip-compressed as a CDN sends them. The goal is one
// round trip: at most [Limit] bytes for every page type (a TCP initial
// congestion window of ten 1,460-byte segments is about 14 KB).
//
// [Measure] reads a built site and reports each HTML page's weight and its
// type (the class on <body>, which the layouts set from the page kind). It
// also reports what would slow the first paint: a script in <head> without
// defer or async, a web font (@font-face) in a stylesheet, and an <img>
// without loading="lazy" or without width and height (layout shift).
//
// The test in this package builds the real site into a temporary folder
// with generator.Build and fails when a page is over the limit; run it with
// -v to see the figures per page type:
//
//	go test -v -run TestSiteWeight ./generator/budget/
package budget
