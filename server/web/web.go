// Package web serves the search page of rapports: plain HTML, CSS and
// JavaScript embedded in the binary, with no build step and no external
// resource, talking to the JSON API of package server from the same origin.
//
// The page is a single-page application whose state lives in the URL:
//
//	/?q=coopération&country=IL&country=BH&from=2024&to=2024-06&sort=-date&page=2
//	/?doc=<id>&q=coopération   (the document view, query terms highlighted)
//
// Handler serves only its own files (no directory listing, 404 otherwise)
// and sets a strict Content-Security-Policy on every response.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"time"
)

//go:embed static
var static embed.FS

// ContentSecurityPolicy is the policy sent with every response of Handler:
// only the page's own scripts, styles and images, no plugins, no framing.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

// asset is one embedded file, ready to serve.
type asset struct {
	name  string // file name, for the log and ServeContent
	ctype string // Content-Type, from contentTypes
	data  []byte
	etag  string // from the content: a new binary changes it
}

// contentTypes are the types of the files the page is made of, by
// extension. An embedded file of another extension is not served
// (newHandler fails): the type of every file served is known, never
// sniffed, and JavaScript modules, which browsers load only under a
// JavaScript type, always have it.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
}

// handler serves the embedded files of the static folder.
type handler struct {
	assets map[string]*asset // by request path
}

// Handler serves the search page and its assets: "/" (and "/index.html")
// and each file of the embedded static folder at its name: the ES modules
// of the page ("/app.js", the entry, imports the others: "/state.js",
// "/search.js"...), "/app.css" and "/favicon.svg". Any other path is
// answered 404, any method but GET and HEAD 405. Every response carries
// ContentSecurityPolicy, X-Content-Type-Options: nosniff,
// Referrer-Policy: no-referrer and X-Frame-Options: DENY. Files are served
// with an ETag and revalidated on each use, so a new binary is picked up at
// once.
func Handler() http.Handler {
	h, err := newHandler(static)
	if err != nil {
		panic(err) // the embedded tree is fixed at build time; the tests read it
	}
	return h
}

// newHandler loads the files of fsys's "static" folder (not its
// subfolders), each served at "/" + its name, and index.html at "/" too.
func newHandler(fsys fs.FS) (*handler, error) {
	entries, err := fs.ReadDir(fsys, "static")
	if err != nil {
		return nil, fmt.Errorf("web: reading the embedded static folder: %w", err)
	}
	h := &handler{assets: make(map[string]*asset, len(entries)+1)}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() {
			return nil, fmt.Errorf("web: embedded static/%s: a folder, which the handler does not serve", name)
		}
		ctype, ok := contentTypes[path.Ext(name)]
		if !ok {
			return nil, fmt.Errorf("web: embedded static/%s: no content type for %q files", name, path.Ext(name))
		}
		data, err := fs.ReadFile(fsys, path.Join("static", name))
		if err != nil {
			return nil, fmt.Errorf("web: reading embedded %s: %w", name, err)
		}
		sum := sha256.Sum256(data)
		h.assets["/"+name] = &asset{name: name, ctype: ctype, data: data, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	}
	index, ok := h.assets["/index.html"]
	if !ok {
		return nil, fmt.Errorf("web: the embedded static folder has no index.html")
	}
	h.assets["/"] = index
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", ContentSecurityPolicy)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("X-Frame-Options", "DENY")

	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hd.Set("Allow", "GET, HEAD")
		http.Error(w, "méthode non autorisée", http.StatusMethodNotAllowed)
		return
	}
	a, ok := h.assets[r.URL.Path]
	if !ok {
		http.Error(w, "page introuvable", http.StatusNotFound)
		return
	}
	hd.Set("Content-Type", a.ctype)
	hd.Set("ETag", a.etag)
	hd.Set("Cache-Control", "no-cache") // revalidate: 304 while the ETag holds
	// ServeContent keeps the content type set, answers If-None-Match
	// with 304 and handles HEAD and ranges.
	http.ServeContent(w, r, a.name, time.Time{}, bytes.NewReader(a.data))
}
