package search

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// vector is one shared tokeniser case; static/js/search.test.js runs the
// same file through the browser client.
type vector struct {
	Lang   string   `json:"lang"`
	In     string   `json:"in"`
	Tokens []string `json:"tokens"`
	Note   string   `json:"note"`
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	data, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(data, &vs); err != nil {
		t.Fatalf("testdata/vectors.json: %v", err)
	}
	if len(vs) < 20 {
		t.Fatalf("testdata/vectors.json has %d vectors, want at least 20", len(vs))
	}
	return vs
}

func TestTokensVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		got := Tokens(v.In, v.Lang)
		if got == nil {
			got = []string{}
		}
		if diff := cmp.Diff(v.Tokens, got); diff != "" {
			t.Errorf("Tokens(%q, %s) (%s) mismatch (-want +got):\n%s", v.In, v.Lang, v.Note, diff)
		}
	}
}

func TestFoldTable(t *testing.T) {
	// Every entry of the folding table, one letter at a time, in a word.
	tests := []struct{ in, want string }{
		{"ał", "al"}, {"aø", "ao"}, {"ađ", "ad"}, {"að", "ad"}, {"aß", "ass"},
		{"aæ", "aae"}, {"aœ", "aoe"}, {"aþ", "ath"}, {"aı", "ai"}, {"aħ", "ah"},
		{"aŧ", "at"}, {"σς", "σσ"},
		{"بى", "بي"}, {"بة", "به"}, {"بـب", "بب"}, {"ٱب", "اب"},
		{"بی", "بي"}, {"بک", "بك"}, {"بہ", "به"},
		{"a٠١٢٣٤٥٦٧٨٩", "a0123456789"}, {"a۰۹", "a09"}, {"a०९", "a09"}, {"a০৯", "a09"},
	}
	for _, tt := range tests {
		if got := foldWord(tt.in); got != tt.want {
			t.Errorf("foldWord(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTokensKeepsMeaningfulMarks(t *testing.T) {
	// Removing every combining mark would break Bengali and kana; only
	// diacritics and harakat go.
	for _, w := range []string{"কি", "ガ", "पानी"} {
		if got := Tokens(w, ""); len(got) != 1 || got[0] != w {
			t.Errorf("Tokens(%q) = %q, want the word unchanged", w, got)
		}
	}
}

func FuzzTokens(f *testing.F) {
	for _, s := range []string{"Città perché", "الإقامة", "居留许可", "ﬁ ß Ł", "a'b-c", "\u0301\u0301", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := Tokens(s, "it")
		for _, tok := range toks {
			if tok == "" {
				t.Fatalf("Tokens(%q) has an empty token", s)
			}
			if runeLen(tok) > maxTokenRunes {
				t.Fatalf("Tokens(%q): token %q longer than %d", s, tok, maxTokenRunes)
			}
			// Folding is idempotent: a token tokenises to itself.
			again := Tokens(tok, "it")
			if len(again) == 0 {
				t.Fatalf("Tokens(%q): token %q vanishes when tokenised again", s, tok)
			}
		}
		// Stemming never panics and keeps a prefix of the token.
		for _, lang := range []string{"it", "ar", "en", "fr"} {
			st := newStemmer(lang)
			for _, tok := range toks {
				term := st.term(tok, tok, false)
				if term == "" || len(term) > len(tok) || tok[:len(term)] != term && stripPrefix(tok, st.pre)[:min(len(term), len(stripPrefix(tok, st.pre)))] != term {
					t.Fatalf("term(%q, %s) = %q, want a non-empty prefix of the token", tok, lang, term)
				}
			}
		}
	})
}
