// Package i18n loads the site's languages and their interface strings from
// i18n/<code>.toml files.
//
// Each file names one language:
//
//	[language]
//	name = "العربية"          # native name, shown in the language chooser
//	direction = "rtl"         # "ltr" (default) or "rtl"
//	fallback = ["en", "it"]   # where to take a page's text from when it is not translated
//	weight = 50               # order in menus; Italian, the source language, comes first
//	months = ["يناير", ...]   # month names for dates, January first
//	date = "{d} {month} {y}"  # date layout
//
//	[ui]
//	skip = "Vai al contenuto"
//	[ui.results]              # a plural message: CLDR forms for this language
//	one = "{n} risultato"
//	other = "{n} risultati"
//
// Plural forms are chosen with golang.org/x/text/feature/plural, so Arabic
// gets zero/one/two/few/many/other and Ukrainian one/few/many/other. Placeholders
// are written {name} and filled from the key/value arguments of T. A key
// missing in a language is looked up along that language's fallback chain
// and finally in Italian; Check reports such gaps so translators can fill them.
package i18n
