// Package search builds the portal's full-text search: one index per site
// language, split into small files so that a browser answers a query by
// downloading only a manifest, the chunks holding the query's terms, and
// the fragments of the results it shows. The client is
// static/js/search.js (plain JavaScript, no build step); Index in this
// package answers queries the same way, so tests can check recall,
// ranking and bytes fetched on a real index.
//
// # Building
//
//	b := search.NewBuilder([]string{"it", "en", "ar", "zh", ...})
//	b.Add(search.Doc{...}) // from many goroutines; every page of every language
//	stats, err := b.Write(outDir)
//
// Add every guide, topic page, plain page and desk in every site
// language, fallback pages included (Lang is the site language, TextLang
// the language the text is written in). Pages with the same text share
// one analysis, so fallback pages cost little. Set Doc.Key (the content
// path without language) so that Italian title words are indexed in
// every language: readers type "permesso di soggiorno" in any language.
// Write reports every problem (unknown language, missing URL, the same
// URL twice, bad filter name) as one joined error naming the page.
//
// # Files
//
// Write creates, under /search/:
//
//	/search/<lang>/manifest.json     one per site language; the one fixed name: serve with a short cache
//	/search/t/<hash>.json            term chunks: immutable, cache forever
//	/search/f/<doc>.<hash>.json      result fragments of pages doc..doc+fp-1: immutable, cache forever
//	/search/f/t.<hash>.json          titles table: every page's URL and title: immutable, cache forever
//	/search/d/<hash>.json            preview sessions only: changes since Write (see Live)
//
// Chunk and fragment files are named after their content and shared by
// every language whose index holds the same bytes, so a language that
// shows another's pages by fallback costs little more than its manifest.
// Suggested Netlify headers: "/search/*/manifest.json" with
// "Cache-Control: public, max-age=300, must-revalidate", and "/search/t/*"
// and "/search/f/*" with "Cache-Control: public, max-age=31536000,
// immutable". The site's service worker (layouts/sw.js) keeps the last
// manifest of each language for when the network fails, routes the
// requests for immutable files past itself where the browser allows
// (static routing), and the browser's HTTP cache holds those files, so
// that a query made before still answers offline. Pages are numbered by
// URL; the fragment hash covers a group of 64 consecutive pages, so the
// manifest stays small, and editing a page renames the fragment files of
// its group only.
//
// The manifest holds the format version (4), the document count, the stop
// words and Arabic clitics the client must drop or cut from queries, the
// first term and hash of each chunk, the fragment group hashes ("fg", 64
// pages each: "gs"), the pages per fragment file of each group ("fp": 4,
// or 8 or 16 for groups of small fragments such as desks), and the filter
// values present (kind, topic, and every Doc.Filters name), and the name
// of the titles table ("tt"). A chunk is
// {"t": [terms in UTF-16 order], "p": [postings]}; a postings string is a
// run of numbers in a 64-character alphabet (5 bits per character, values
// 32-63 meaning "more follows"): the term's idf×8, then for each page the
// page number delta, its 1-31 score and its best section. Adjacent word
// pairs of titles, headings and summaries are terms "a b"; filter values
// are terms "=name:value". A fragment file is a JSON array of up to fp
// fragments {"u": URL, "k": kind, "t": title, "s": summary, "h": [[anchor,
// heading, text], ...]}, with section text cut to 400 characters (2,400 per
// page); a URL in the index's language directory is written relative to it
// ("./guides/x/" in the ur index stands for "/ur/guides/x/"). The titles
// table {"u": [URLs], "t": [titles]} lists every page by number; each URL
// is front-coded: its first character, a digit of the postings alphabet,
// says how many UTF-16 units (up to 63) it shares with the URL before it,
// and the rest follows ("./guides/a/", "9b/" for "./guides/b/"). The
// client loads it right after the manifest, before any query, so that a
// query shows its first results' titles and links as soon as its chunks
// are in; their sections and excerpts follow with the fragment files.
//
// # Cost
//
// Add analyses each distinct text once (fallback pages share it) into
// compact term records, which wait with the result fragments in a
// temporary file until Write: the builder itself keeps little more than
// the dictionary of terms. A page given with the very strings of one of
// the last texts added (as the site build gives fallback pages, right
// after their text) is known by their addresses, without hashing the
// text again (recent.go); a new text is hashed in one call over its
// fields laid end to end, each after its length. Workers cache the term
// of every word they have seen, so folding and stemming run once per
// distinct word. Before a worker analyses a page it reads a byte of
// every cache line of its texts (touchDoc): by then the text has left
// the caches while its batch filled, and these independent reads let the
// misses overlap instead of stalling the scan one line at a time. A
// one-off build hands new texts to Add in batches of 1,024, analysed
// language by language so that a worker's word table stays in the
// processor's caches (and one worker, with one set of tables, does
// nearly all of it); Write analyses the last batch first, a language per
// goroutine.
//
// Write escapes every term as JSON once, in the client's order, on two
// goroutines while it plans the language builds: it sorts the words
// alone, and puts each adjacent pair after its first word, its JSON made
// from its words' (termorder.go). The language builds run
// on two workers, each taking the first build that can start (the
// costliest first, derived ones last), and meanwhile score their pages
// and write their fragments, which need no term ranks, before they wait
// for termJSON; languages
// whose pages are all the same (fallback languages) are built once. A
// language whose pages are another's but for a few (a fallback language
// with desk pages of its own) is derived from that one's build and waits
// for it without holding a worker: terms on none of the differing pages
// take the base's postings strings, and a chunk whose postings strings
// all come out as the base's takes its file (see derive.go). A text
// shown in several languages (by fallback) is scored once: its postings
// wait, packed in 32 bits where they fit, for the languages that show
// it. A text's term records are read eight bytes at a time, and scored
// and packed in one pass, with as many bits of section as the
// dictionary's ids leave (scorePacked), so that a language build places
// most postings with their score and section bits as they are. A
// fragment group that another language has written (the same pages at
// the same numbers) is not read again. A group's term records
// and fragments lie next to each other in the temporary file and are
// read back in one pass. Files are named after the 64-bit xxHash of
// their content (SHA-256 read about six times slower, for no need: the
// names only have to change when the content does). Each file is
// created by its name in its folder, opened once (output.Folder), so
// that the kernel does not walk the whole path again for each of the
// thousands of files. A postings string takes a posting whose page
// difference and section are both below 32 (four in five) as three
// bytes at once, and the others' numbers of one or two characters from
// a table, without a branch on their length; a chunk's strings are
// written quoted as they are made, and the chunk takes them in one
// copy. Chunks are about 48 KB
// and fragments come four to a file (up to sixteen when small, about 12
// KB a file): creating a file costs about as much as writing 70 KB (and
// far more on a busy disk), so the index adds a few thousand files to a
// 10,000-page site, not tens of thousands, while a one-word query still
// fetches a few tens of KB. A chunk is not closed between a word and
// the adjacent pairs that follow it (unless it reaches 96 KB), so that a
// two-word query fetches its two words' chunks and no third for the pair.
//
// # Text rules (shared with the client, checked by testdata/vectors.json)
//
//  1. NFKC; remove soft hyphens and zero-width characters; lower case.
//  2. Split into words: runs of letters, marks and numbers (\p{L}\p{M}\p{N}).
//  3. Per word: NFD, drop Latin/Greek/Cyrillic diacritics and Arabic
//     harakat (which also turns أ إ آ ؤ ئ into bare letters), NFC, then map
//     ł ø đ ð ß æ œ þ ı ħ ŧ, final sigma, ى→ي, ة→ه, tatweel, ٱ, Urdu/Farsi
//     ی ک ہ, and Arabic-Indic, Devanagari and Bengali digits to ASCII.
//  4. Han, kana and Hangul runs become overlapping bigrams (a lone
//     character stays a unigram); other runs are one token, dropped if a
//     single letter, cut to 40 characters.
//
// At index time, stop words are dropped and tokens are stemmed with
// Snowball where a stemmer exists (it, en, fr, es, ro, pt, de, ar, ...;
// none for uk, zh, sq, bn, ur). The stem is kept only as far as it is a
// prefix of the word, so the client needs no stemmer: a query word
// matches the longest index terms that are prefixes of it (permessi →
// permess) and the one a character shorter, and, with weight k/n, shorter
// prefixes of k characters down to max(5, n-5) for a word of n characters
// (a stem: reagrupacion → reagrup, where another page holds the whole
// word). Arabic words also lose one leading clitic (و ف ال بال وال كال
// فال لل) before stemming; the client tries each word with and without
// it. In unstemmed languages a finished query word also matches words
// that share all but its last two characters and are about as long
// (посвідка → посвідки). The last word, while being typed (the query does
// not end in a separator), also matches every term it begins (up to 64);
// all its candidate terms then count as rare as the most common of them
// (their weights are scaled by that idf over their own), so that a rare
// term ("citi", of "city", for "citiz") does not outrank the common word
// being typed.
//
// # Ranking
//
// A page's score for a term is BM25 over weighted fields (heading 5,
// summary and filter values 3, body 1; the average length is that of the
// distinct texts in the page's text language, so a text scores the same
// in every index that shows it, and Chinese texts, counted in bigrams, are
// not measured against Latin ones) scaled to 0-20, plus 11 when the
// term is in the title or 6 when in the Italian title, capped at 31. The
// query side sorts pages by the number of query words they match, then by
// the sum over words of weight × idf × score, plus a phrase bonus when
// adjacent query words are an adjacent pair in the title, a heading or
// the summary; ties go to the page that sorts first by URL. Each hit links
// to the section its words point at most (URL#anchor), or to the page top.
//
// # Markup the client expects
//
// The header search box, on every page (works without JavaScript, since
// it is a plain GET form to the search page):
//
//	<form data-search action="/<lang>/search/" method="get" role="search">
//	  <label for="q">Cerca</label>
//	  <input type="search" id="q" name="q" autocomplete="off">
//	  <button>Cerca</button>
//	</form>
//
// The search page /<lang>/search/ has a form of the same shape (the
// client enhances the first form[data-search] on a page that also has
// #search-results), optional filter fields, the results container and a
// fallback shown when there is no query or no JavaScript:
//
//	<html lang="<lang>" dir="rtl|ltr">
//	<form data-search action="/<lang>/search/" method="get" role="search">
//	  <input type="search" name="q" ...>
//	  <select name="topic"><option value="">…</option><option value="residence">…</option></select>
//	  <select name="kind"><option value="">…</option><option value="desk">…</option></select>
//	  <select name="service">…</select> <select name="municipality">…</select>
//	  <button>…</button>
//	</form>
//	<div id="search-results"
//	     data-none="Nessun risultato" data-one="1 risultato" data-many="{n} risultati"
//	     data-more="Altri risultati" data-error="La ricerca non è disponibile"></div>
//	<div id="search-fallback"> topic index, shown without JavaScript </div>
//	<script src="/js/search.js" defer></script>
//
// Filter fields are any named form fields other than q (select, radio,
// checkbox); their names are filter names (kind, topic, and the
// Doc.Filters names), their values the filter values listed in the
// manifest; "" means any. Status strings: data-none for 0, otherwise the
// attribute named after the CLDR plural category of n (data-zero,
// data-one, data-two, data-few, data-many, data-other) and data-many as
// the fallback; "{n}" is replaced by the number. Optional attributes on
// the form: data-search="/base/" (index root, default "/search/") and
// data-lang (default: <html lang>).
//
// The client fills #search-results with
//
//	<p class="search-status" role="status">3 risultati</p>
//	<ol class="search-list">
//	  <li class="search-hit">
//	    <a class="search-title" dir="auto" href="/it/…/#kit-postale">Rinnovo del <mark>permesso</mark></a>
//	    <span class="search-section" dir="auto">Il kit postale</span>
//	    <p class="search-excerpt" dir="auto">… text with <mark>matches</mark> …</p>
//	  </li>
//	</ol>
//	<button type="button" class="search-more" hidden>Altri risultati</button>
//
// built with DOM methods only (index text never goes through innerHTML).
// A hit first shows its title and link (from the titles table) with the
// class search-pending and an empty section line and excerpt, whose room
// the stylesheet keeps; they fill in and the class goes when the hit's
// fragment arrives.
// The status paragraph is the live region; do not put aria-live on
// #search-results itself, or screen readers read the whole list at every
// keystroke (the client sets aria-busy on it while updating). Results
// update 150 ms after typing stops; Enter runs the search at once; the
// query and filters are kept in the address (?q=…&topic=…) with
// history.replaceState; ArrowDown moves from the box to the results,
// ArrowUp/ArrowDown between them, Escape back to the box. #search-fallback
// is hidden while a query or filter is active. No inline script or style
// is needed: CSP script-src 'self' and connect-src 'self' suffice.
package search
