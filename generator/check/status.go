package check

import (
	"html/template"

	"portal/generator"
	"portal/generator/check/translation"
)

// StatusPage returns the translation status page for editors (published
// at /status/, outside the sitemap and marked noindex): see
// translation.Page. The build, which package check imports, cannot call
// this without an import cycle; it calls translation.Page directly.
func StatusPage(a *generator.Analysis) (string, template.HTML) {
	return translation.Page(a.Langs, a.Site)
}
