package web

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestNewHandlerRefuses checks that the handler is built only from files
// whose type it knows, with an index.html.
func TestNewHandlerRefuses(t *testing.T) {
	page := &fstest.MapFile{Data: []byte("<!doctype html>")}
	for _, tc := range []struct {
		name string
		fsys fstest.MapFS
		want string // in the error; "" for none
	}{
		{"page", fstest.MapFS{"static/index.html": page, "static/a.js": {Data: []byte("export {};")}}, ""},
		{"unknown type", fstest.MapFS{"static/index.html": page, "static/notes.txt": {}}, `no content type for ".txt" files`},
		{"no extension", fstest.MapFS{"static/index.html": page, "static/README": {}}, `no content type for "" files`},
		{"folder", fstest.MapFS{"static/index.html": page, "static/js/a.js": {}}, "static/js: a folder"},
		{"no index", fstest.MapFS{"static/a.js": {}}, "no index.html"},
		{"no static", fstest.MapFS{"index.html": page}, "reading the embedded static folder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := newHandler(tc.fsys)
			if tc.want == "" {
				if err != nil || h.assets["/"] == nil || h.assets["/a.js"].ctype != contentTypes[".js"] {
					t.Fatalf("newHandler: %v; want the page served", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("newHandler: error %v; want one containing %q", err, tc.want)
			}
		})
	}
}
