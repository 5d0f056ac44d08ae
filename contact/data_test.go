package contact

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"
)

func TestLoadDataErrors(t *testing.T) {
	tests := []struct {
		name string
		json string
		want []string
	}{
		{"syntax error with line", "{\n  \"languages\": [\n    {\"code\": \"it\",}\n  ]\n}", []string{"line 3:"}},
		{"unknown key", `{"languages":[{"code":"it","name":"Italiano"}],"desk":[]}`, []string{`unknown field "desk"`}},
		{"no languages", `{"languages":[]}`, []string{"languages is empty"}},
		{"bad language code", `{"languages":[{"code":"Italian","name":"Italiano"}]}`, []string{`languages[0].code "Italian"`}},
		{"duplicate language", `{"languages":[{"code":"it","name":"A"},{"code":"it","name":"B"}]}`, []string{`languages[1].code "it" is listed twice`}},
		{"bad direction", `{"languages":[{"code":"ar","name":"عربي","dir":"right"}]}`, []string{`dir "right"`}},
		{"bad desk id", `{"languages":[{"code":"it","name":"I"}],"desks":[{"id":"Centro Città","title":"x"}]}`, []string{`desks[0].id "Centro Città"`}},
		{"duplicate desk", `{"languages":[{"code":"it","name":"I"}],"desks":[{"id":"a","title":"A"},{"id":"a","title":"B"}]}`, []string{"desks[1] (a): id is listed twice"}},
		{"desk email with name", `{"languages":[{"code":"it","name":"I"}],"desks":[{"id":"a","title":"A","email":"Desk <a@example.org>"}]}`, []string{"must be a bare address"}},
		{"desk email list", `{"languages":[{"code":"it","name":"I"}],"desks":[{"id":"a","title":"A","email":"a@example.org, b@example.org"}]}`, []string{"desks[0] (a): email"}},
		{"desk email with newline", `{"languages":[{"code":"it","name":"I"}],"desks":[{"id":"a","title":"A","email":"a@example.org\r\nBcc: x@evil.test"}]}`, []string{"control character"}},
		{"title with newline", `{"languages":[{"code":"it","name":"I"}],"desks":[{"id":"a","title":"A\nB"}]}`, []string{"title must be one non-empty line"}},
		{"title in unknown language", `{"languages":[{"code":"it","name":"I"}],"desks":[{"id":"a","title":"A","titles":{"fr":"A"}}]}`, []string{`titles has language "fr"`}},
		{"bad phone", `{"languages":[{"code":"it","name":"I"}],"desks":[{"id":"a","title":"A","phone":"call us"}]}`, []string{`phone "call us"`}},
		{"unknown message key", `{"languages":[{"code":"it","name":"I"}],"messages":{"it":{"contact.nope":"x"}}}`, []string{`unknown key "contact.nope"`}},
		{"translation drops a placeholder", `{"languages":[{"code":"it","name":"I"},{"code":"fr","name":"F"}],"messages":{"fr":{"contact.error.too_long":"{field} : trop long."}}}`, []string{"messages[fr][contact.error.too_long] has placeholders [{field}], want [{field} {max}]"}},
		{"messages for unknown language", `{"languages":[{"code":"it","name":"I"}],"messages":{"fr":{}}}`, []string{`messages has language "fr"`}},
		{"stylesheet elsewhere", `{"site":{"stylesheetURL":"https://cdn.example/x.css"},"languages":[{"code":"it","name":"I"}]}`, []string{"site.stylesheetURL"}},
		{"sent path without lang", `{"site":{"sentPath":"/grazie/"},"languages":[{"code":"it","name":"I"}]}`, []string{"site.sentPath"}},
		{"protocol-relative form path", `{"site":{"formPath":"//evil.test/{lang}/"},"languages":[{"code":"it","name":"I"}]}`, []string{"site.formPath"}},
		{"two objects", `{"languages":[{"code":"it","name":"I"}]} {}`, []string{"extra content"}},
		{"several problems at once", `{"languages":[{"code":"it","name":""}],"desks":[{"id":"-a","title":"A"}]}`, []string{"languages[0] (it): name", `desks[0].id "-a"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadData(strings.NewReader(tt.json))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// TestFunctionData checks the data file embedded by the Netlify function: it
// must load, and be exactly what Marshal writes, so a rebuild from the same
// content leaves it unchanged.
func TestFunctionData(t *testing.T) {
	for _, path := range []string{"../netlify/functions/contact/data.json", "testdata/data.json"} {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		d, err := LoadData(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out, err := d.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		again, err := LoadData(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("%s: Marshal output does not load: %v", path, err)
		}
		out2, _ := again.Marshal()
		if !bytes.Equal(out, out2) {
			t.Errorf("%s: Marshal is not stable across a round trip", path)
		}
		if path == "../netlify/functions/contact/data.json" && !bytes.Equal(raw, out) {
			t.Errorf("%s is not in the form Marshal writes; regenerate it:\n%s", path, out)
		}
		for _, desk := range d.Desks {
			if desk.Email != "" && !strings.HasSuffix(desk.Email, "example.org") && path != "../netlify/functions/contact/data.json" {
				t.Errorf("%s: test desk %s has a real-looking address", path, desk.ID)
			}
		}
	}
}

// TestMessageKeys checks that every key used in the code has defaults in
// both languages and that the fallback order holds.
func TestMessageKeys(t *testing.T) {
	keys := MessageKeys()
	used := regexp.MustCompile(`"(contact\.[a-z_]+\.[a-z_]+)"`)
	files := []string{"handler.go", "respond.go", "form.go", "mail.go"}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range used.FindAllStringSubmatch(string(src), -1) {
			if _, ok := keys[m[1]]; !ok {
				t.Errorf("%s uses message key %s, which has no default", f, m[1])
			}
		}
	}
	for _, topic := range Topics {
		if _, ok := keys["contact.topic."+topic]; !ok {
			t.Errorf("topic %s has no message key", topic)
		}
	}
	for _, field := range []string{"name", "reply", "lang", "desk", "topic", "question", "consent"} {
		if _, ok := keys["contact.field."+field]; !ok {
			t.Errorf("field %s has no label", field)
		}
	}
	placeholder := regexp.MustCompile(`\{[a-z]+\}`)
	for k, v := range keys {
		if v.IT == "" || v.EN == "" {
			t.Errorf("%s lacks a default text", k)
		}
		if a, b := placeholder.FindAllString(v.IT, -1), placeholder.FindAllString(v.EN, -1); strings.Join(a, ",") != strings.Join(b, ",") {
			t.Errorf("%s: placeholders differ between Italian %v and English %v", k, a, b)
		}
	}

	d := loadTestData(t)
	tests := []struct{ lang, key, want string }{
		{"ar", "contact.field.name", "الاسم"},                   // from the data
		{"ar", "contact.page.back", "Back to the contact form"}, // English from the data
		{"ar", "contact.field.desk", "Desk"},                    // built-in English
		{"zh", "contact.page.error_title", "Your question was not sent"},
		{"it", "contact.page.back", "Torna al modulo"}, // built-in Italian beats English data
		{"en", "contact.page.back", "Back to the contact form"},
		{"it", "contact.error.too_long", "{field}: al massimo {max} caratteri."},
	}
	for _, tt := range tests {
		if got := d.text(tt.lang, tt.key); got != tt.want {
			t.Errorf("text(%s, %s) = %q, want %q", tt.lang, tt.key, got, tt.want)
		}
	}
}
