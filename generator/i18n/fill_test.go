package i18n

import "testing"

func TestFill(t *testing.T) {
	vals := map[string]string{"n": "3", "date": "22 novembre 2026", "d": "7", "dd": "07"}
	value := func(name string) (string, bool) { v, ok := vals[name]; return v, ok }
	tests := []struct{ in, want string }{
		{"", ""},
		{"no placeholders", "no placeholders"},
		{"{n} guides", "3 guides"},
		{"checked on {date}.", "checked on 22 novembre 2026."},
		{"{d}/{dd}", "7/07"},
		{"{unknown} stays", "{unknown} stays"},
		{"{a {n}}", "{a 3}"},
		{"closing } alone", "closing } alone"},
		{"opening { alone", "opening { alone"},
		{"{{n}}", "{3}"},
		{"{}", "{}"},
		{"إلى {n} مكاتب", "إلى 3 مكاتب"},
	}
	for _, tt := range tests {
		if got := fill(tt.in, value); got != tt.want {
			t.Errorf("fill(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
