package layout

import (
	"html/template"
	"testing"
	"testing/fstest"
)

type slotData struct{ Title string }

func (slotData) Body() template.HTML { return Slot(1) }
func (slotData) Attr() template.HTML { return Slot(2) }

func (slotData) AppendSlot(dst []byte, n byte) []byte {
	switch n {
	case 1:
		return append(dst, "<p>body & more</p>"...)
	case 2:
		return append(dst, "ATTR"...)
	}
	return append(dst, "?"...)
}

func TestEmitSlots(t *testing.T) {
	fsys := fstest.MapFS{
		"layouts/base.html":  {Data: []byte(`{{define "base"}}<h1>{{.Title}}</h1>{{block "main" .}}{{end}}{{end}}`)},
		"layouts/page.html":  {Data: []byte(`{{define "main"}}<div>{{.Body}}</div><i>{{.Body}}</i>{{end}}`)},
		"layouts/attr.html":  {Data: []byte(`{{define "main"}}<a title="{{.Attr}}">x</a>{{end}}`)},
		"layouts/plain.html": {Data: []byte(`{{define "main"}}no slots{{end}}`)},
	}
	s, err := Parse(fsys, "layouts", false)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		layout string
		data   any
		want   string
	}{
		{"page", slotData{Title: "A <b>"}, `<h1>A &lt;b&gt;</h1><div><p>body & more</p></div><i><p>body & more</p></i>`},
		// In an attribute the marker is escaped like any text: no part is
		// filled in and no NUL byte reaches the page.
		{"attr", slotData{Title: "T"}, "<h1>T</h1><a title=\"\uFFFD\x02\">x</a>"},
		{"plain", slotData{Title: "T"}, `<h1>T</h1>no slots`},
		// Data that is no Slotter gets its markers back unchanged.
		{"plain", struct{ Title string }{"U"}, `<h1>U</h1>no slots`},
	}
	for _, tt := range tests {
		got, err := s.Render(tt.layout, tt.data)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.want {
			t.Errorf("%s: got %q, want %q", tt.layout, got, tt.want)
		}
	}
}
