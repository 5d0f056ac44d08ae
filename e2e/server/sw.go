package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
)

// CorePlaceholder is the comment in layouts/sw.js that the build replaces
// with the core asset URLs.
const CorePlaceholder = "/* PORTAL_CORE_ASSETS */"

// coreAsset matches the fingerprinted files every page needs offline: the
// stylesheets and the scripts loaded by every guide.
var coreAsset = regexp.MustCompile(`^(site|print|sw-register|checklist)\.[0-9a-f]{8}\.(css|js)$`)

// RenderServiceWorker fills the core asset list of the service worker source
// src with the fingerprinted core files found under assets/ in site, plus
// /manifest.webmanifest and the icons it names.
func RenderServiceWorker(src []byte, site fs.FS) ([]byte, error) {
	if !strings.Contains(string(src), CorePlaceholder) {
		return nil, fmt.Errorf("service worker source: no %s placeholder; put it inside the CORE array", CorePlaceholder)
	}
	entries, err := fs.ReadDir(site, "assets")
	if err != nil {
		return nil, fmt.Errorf("service worker core assets: %w", err)
	}
	var urls []string
	for _, e := range entries {
		if coreAsset.MatchString(e.Name()) {
			urls = append(urls, "/assets/"+e.Name())
		}
	}
	if len(urls) == 0 {
		return nil, errors.New("service worker core assets: no site.*.css in assets/; build the site first")
	}
	if raw, err := fs.ReadFile(site, "manifest.webmanifest"); err == nil {
		urls = append(urls, "/manifest.webmanifest")
		var m struct {
			Icons []struct {
				Src string `json:"src"`
			} `json:"icons"`
		}
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("manifest.webmanifest: %w", err)
		}
		for _, ic := range m.Icons {
			if strings.HasPrefix(ic.Src, "/") {
				urls = append(urls, path.Clean(ic.Src))
			}
		}
	}
	sort.Strings(urls)
	quoted := make([]string, len(urls))
	for i, u := range urls {
		b, _ := json.Marshal(u) // a string cannot fail
		quoted[i] = string(b)
	}
	return []byte(strings.Replace(string(src), CorePlaceholder, strings.Join(quoted, ","), 1)), nil
}
