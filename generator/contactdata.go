package generator

import (
	"bytes"
	"fmt"
	"os"

	"portal/contact"
	"portal/generator/i18n"
)

// contactData is what the contact function needs from the site: the
// languages, the desks that may receive questions, and its translated
// messages.
func (b *builder) contactData() (*contact.Data, error) {
	d := &contact.Data{
		Site:     contact.Site{BaseURL: b.cfg.BaseURL, StylesheetURL: b.Asset("css/site.css")},
		Messages: map[string]map[string]string{},
	}
	keys := contact.MessageKeys()
	for _, l := range b.langs.All() {
		d.Languages = append(d.Languages, contact.Language{Code: l.Code, Name: l.Name, Dir: l.Direction})
		m := map[string]string{}
		for k := range keys {
			if l.Has(k) {
				m[k] = l.T(k)
			}
		}
		if len(m) > 0 {
			d.Messages[l.Code] = m
		}
	}
	if b.desks != nil {
		for _, dk := range b.desks.Desks {
			cd := contact.Desk{ID: dk.ID, Title: dk.Title, Email: dk.Email, Phone: dk.Phone}
			for _, l := range b.langs.All() {
				if l.Code == i18n.Source {
					continue
				}
				if t := dk.TitleIn(l.Code); t != dk.Title {
					if cd.Titles == nil {
						cd.Titles = map[string]string{}
					}
					cd.Titles[l.Code] = t
				}
			}
			d.Desks = append(d.Desks, cd)
		}
	}
	// Round-trip through the function's own loader so the build fails on
	// data the function would refuse at start.
	raw, err := d.Marshal()
	if err != nil {
		return nil, err
	}
	if _, err := contact.LoadData(bytes.NewReader(raw)); err != nil {
		return nil, fmt.Errorf("contact function data: %w", err)
	}
	return d, nil
}

// writeContactData writes the function's data file when Config.FunctionData
// names one, leaving the file untouched when nothing changed.
func (b *builder) writeContactData() error {
	if b.cfg.FunctionData == "" {
		return nil
	}
	d, err := b.contactData()
	if err != nil {
		return err
	}
	raw, err := d.Marshal()
	if err != nil {
		return err
	}
	if old, err := os.ReadFile(b.cfg.FunctionData); err == nil && bytes.Equal(old, raw) {
		return nil
	}
	if err := os.WriteFile(b.cfg.FunctionData+".tmp", raw, 0o644); err != nil {
		return err
	}
	return os.Rename(b.cfg.FunctionData+".tmp", b.cfg.FunctionData)
}
