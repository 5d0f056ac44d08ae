// Package search builds the portal's full-text search: one index per site
// language, split into small files so that a browser answers a query by
// downloading only a manifest, the chunks holding the query's terms, and
// the fragments of the results it shows.
//
// (The full contract, including the markup the client expects, follows in
// later commits.)
package search
