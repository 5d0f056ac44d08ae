package contact

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// FuzzParseForm feeds arbitrary bodies to the form parser. Whatever comes
// in, ParseForm must not panic, and every value it returns must be clean:
// valid UTF-8 in NFC, without bidi controls, within its limit, and on one
// line except the question.
func FuzzParseForm(f *testing.F) {
	f.Add([]byte(validForm().Encode()))
	f.Add([]byte("name=x%0D%0ABcc:%20v@evil.test&desk=centro"))
	f.Add([]byte("question=%E2%80%AEabc%E2%80%AC&name=Nicolo%CC%80"))
	f.Add([]byte("name=%FF&t=12"))
	f.Add([]byte("question=a%0Db%0D%0Ac&t=-1"))
	f.Add([]byte("desk=a&desk=b;c"))
	f.Add([]byte("%"))
	f.Fuzz(func(t *testing.T, body []byte) {
		form, errs := ParseForm(body)
		for _, e := range errs {
			if e.Key == "" {
				t.Fatalf("error without a message key: %+v", e)
			}
			if _, ok := defaultMessages[e.Key]; !ok {
				t.Fatalf("error with unknown key %q", e.Key)
			}
			if e.Field == "" && len(errs) != 1 {
				t.Fatalf("a whole-form error came with others: %+v", errs)
			}
		}
		values := map[string]string{
			"name": form.Name, "reply": form.Reply, "lang": form.Lang, "ui": form.UI,
			"desk": form.Desk, "topic": form.Topic, "question": form.Question,
			"consent": form.Consent, "website": form.Website,
		}
		for field, v := range values {
			if !utf8.ValidString(v) {
				t.Fatalf("%s is not valid UTF-8: %q", field, v)
			}
			if !norm.NFC.IsNormalString(v) {
				t.Fatalf("%s is not NFC: %q", field, v)
			}
			if strings.ContainsFunc(v, isBidiControl) {
				t.Fatalf("%s keeps a bidi control: %q", field, v)
			}
			if n := utf8.RuneCountInString(v); n > fieldLimits[field] {
				t.Fatalf("%s has %d characters, over its limit %d", field, n, fieldLimits[field])
			}
			if v != strings.TrimSpace(v) {
				t.Fatalf("%s is not trimmed: %q", field, v)
			}
			allowed := func(r rune) bool { return false }
			if field == "question" {
				allowed = func(r rune) bool { return r == '\n' || r == '\t' }
			}
			if strings.ContainsFunc(v, func(r rune) bool {
				return (unicode.IsControl(r) || r == '\u2028' || r == '\u2029') && !allowed(r) && !(field == "question" && (r == '\u2028' || r == '\u2029'))
			}) {
				t.Fatalf("%s keeps a control character: %q", field, v)
			}
		}
		if form.HasStarted && form.Started < 0 {
			t.Fatalf("negative time stamp %d", form.Started)
		}
	})
}
