package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rapports/rapports/server/web"
)

func TestHandlerRoutes(t *testing.T) {
	srv := httptest.NewServer(web.Handler())
	defer srv.Close()

	cases := []struct {
		method, path string
		status       int
		ctype        string // prefix of Content-Type; "" for any
		contains     string // in the body; "" for any
	}{
		{"GET", "/", 200, "text/html", `<script type="module" src="app.js">`},
		{"GET", "/?q=coop%C3%A9ration&country=IL", 200, "text/html", `id="q"`},
		{"GET", "/index.html", 200, "text/html", `lang="fr"`},
		{"HEAD", "/", 200, "text/html", ""},
		{"GET", "/app.js", 200, "text/javascript", `from "./state.js"`},
		{"GET", "/state.js", 200, "text/javascript", "export function navigate"},
		{"GET", "/app.css", 200, "text/css", ":focus-visible"},
		{"GET", "/favicon.svg", 200, "image/svg+xml", "<svg"},
		{"GET", "/static/", 404, "", ""},
		{"GET", "/static/app.js", 404, "", ""},
		{"GET", "/../web.go", 404, "", ""},
		{"GET", "/web.go", 404, "", ""},
		{"GET", "/doc/x", 404, "", ""},
		{"GET", "/app.js/", 404, "", ""},
		{"GET", "/State.js", 404, "", ""},
		{"GET", "/./state.js", 404, "", ""},
		{"POST", "/", 405, "", ""},
		{"DELETE", "/app.js", 405, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			res, body := fetch(t, tc.method, srv.URL+tc.path, nil)
			if res.StatusCode != tc.status {
				t.Errorf("%s %s: status %d; want %d", tc.method, tc.path, res.StatusCode, tc.status)
			}
			if ct := res.Header.Get("Content-Type"); tc.ctype != "" && !strings.HasPrefix(ct, tc.ctype) {
				t.Errorf("%s %s: Content-Type %q; want %s...", tc.method, tc.path, ct, tc.ctype)
			}
			if tc.contains != "" && !strings.Contains(body, tc.contains) {
				t.Errorf("%s %s: body does not contain %q", tc.method, tc.path, tc.contains)
			}
			// Security headers go on every answer, errors included.
			for h, want := range map[string]string{
				"Content-Security-Policy": web.ContentSecurityPolicy,
				"X-Content-Type-Options":  "nosniff",
				"Referrer-Policy":         "no-referrer",
				"X-Frame-Options":         "DENY",
			} {
				if got := res.Header.Get(h); got != want {
					t.Errorf("%s %s: %s = %q; want %q", tc.method, tc.path, h, got, want)
				}
			}
		})
	}
}

func TestHandlerCSP(t *testing.T) {
	// The page's own files must respect the policy: no inline script or
	// style, nothing from another origin.
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'",
		"object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(web.ContentSecurityPolicy, want) {
			t.Errorf("ContentSecurityPolicy = %q; want it to contain %q", web.ContentSecurityPolicy, want)
		}
	}
	srv := httptest.NewServer(web.Handler())
	defer srv.Close()
	paths := []string{"/"}
	for _, name := range staticFiles(t) {
		if !strings.HasSuffix(name, ".svg") {
			paths = append(paths, "/"+name)
		}
	}
	for _, path := range paths {
		_, body := fetch(t, "GET", srv.URL+path, nil)
		for _, bad := range []string{"http://", "https://", "//cdn", "<style", " style=\"", "onclick=", "onload=", "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("} {
			if strings.Contains(body, bad) {
				t.Errorf("%s contains %q: the page must work under the CSP and never parse data as HTML", path, bad)
			}
		}
		if path == "/" && strings.Contains(body, "<script>") {
			t.Errorf("%s has an inline <script>, which the CSP blocks", path)
		}
	}
}

func TestHandlerETag(t *testing.T) {
	srv := httptest.NewServer(web.Handler())
	defer srv.Close()
	res, _ := fetch(t, "GET", srv.URL+"/app.js", nil)
	etag := res.Header.Get("ETag")
	if etag == "" {
		t.Fatalf("GET /app.js: no ETag")
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("GET /app.js: Cache-Control %q; want no-cache", cc)
	}
	res, _ = fetch(t, "GET", srv.URL+"/app.js", http.Header{"If-None-Match": {etag}})
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("GET /app.js with If-None-Match %s: status %d; want 304", etag, res.StatusCode)
	}
}

// fetch sends a request with the headers h and returns the answer and its
// body, read and closed.
func fetch(t *testing.T, method, url string, h http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatalf("%s %s: reading the answer: %v", method, url, err)
	}
	return res, string(b)
}

// staticFiles lists the files of the page, as the source tree has them.
func staticFiles(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir("static")
	if err != nil {
		t.Fatalf("listing the page's files: %v", err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) < 3 {
		t.Fatalf("static holds %q; want the page's files", names)
	}
	return names
}

// importRE matches the static imports of an ES module.
var importRE = regexp.MustCompile(`(?m)^import\s+(?:[^;]*?\s+from\s+)?"([^"]+)";`)

// TestHandlerModules checks that every file of the page is served with its
// type, and that every module an ES module imports is served as
// JavaScript (a module served under another type is refused by the
// browser), starting from the entry module that index.html loads: no
// module is missing, none is left unused.
func TestHandlerModules(t *testing.T) {
	srv := httptest.NewServer(web.Handler())
	defer srv.Close()
	get := func(path string) (string, string) {
		t.Helper()
		res, body := fetch(t, "GET", srv.URL+path, nil)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s: status %d", path, res.StatusCode)
		}
		return res.Header.Get("Content-Type"), body
	}
	types := map[string]string{".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
		".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}
	var modules []string
	for _, name := range staticFiles(t) {
		ext := name[strings.LastIndexByte(name, '.'):]
		if ct, _ := get("/" + name); ct != types[ext] {
			t.Errorf("GET /%s: Content-Type %q; want %q", name, ct, types[ext])
		}
		if ext == ".js" {
			modules = append(modules, name)
		}
	}
	_, page := get("/")
	if !strings.Contains(page, `<script type="module" src="app.js"></script>`) {
		t.Fatalf("index.html does not load app.js as a module")
	}
	seen := map[string]bool{"app.js": true}
	queue := []string{"app.js"}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		_, src := get("/" + name)
		for _, m := range importRE.FindAllStringSubmatch(src, -1) {
			dep, ok := strings.CutPrefix(m[1], "./")
			if !ok || strings.Contains(dep, "/") {
				t.Errorf("%s imports %q; want a module of the page, ./name.js", name, m[1])
				continue
			}
			if !slices.Contains(modules, dep) {
				t.Errorf("%s imports %s, which is not served", name, dep)
				continue
			}
			if !seen[dep] {
				seen[dep] = true
				queue = append(queue, dep)
			}
		}
	}
	for _, m := range modules {
		if !seen[m] {
			t.Errorf("module %s is served but imported by no module of the page", m)
		}
	}
	if len(seen) < 10 {
		t.Errorf("the page loads %d modules; want it split by concern", len(seen))
	}
}
