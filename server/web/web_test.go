package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
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
		{"GET", "/", 200, "text/html", `<script src="app.js"`},
		{"GET", "/?q=coop%C3%A9ration&country=IL", 200, "text/html", `id="q"`},
		{"GET", "/index.html", 200, "text/html", `lang="fr"`},
		{"HEAD", "/", 200, "text/html", ""},
		{"GET", "/app.js", 200, "text/javascript", "use strict"},
		{"GET", "/app.css", 200, "text/css", ":focus-visible"},
		{"GET", "/favicon.svg", 200, "image/svg+xml", "<svg"},
		{"GET", "/static/", 404, "", ""},
		{"GET", "/static/app.js", 404, "", ""},
		{"GET", "/../web.go", 404, "", ""},
		{"GET", "/web.go", 404, "", ""},
		{"GET", "/doc/x", 404, "", ""},
		{"GET", "/app.js/", 404, "", ""},
		{"POST", "/", 405, "", ""},
		{"DELETE", "/app.js", 405, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(res.Body)
			res.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != tc.status {
				t.Errorf("%s %s: status %d; want %d", tc.method, tc.path, res.StatusCode, tc.status)
			}
			if ct := res.Header.Get("Content-Type"); tc.ctype != "" && !strings.HasPrefix(ct, tc.ctype) {
				t.Errorf("%s %s: Content-Type %q; want %s...", tc.method, tc.path, ct, tc.ctype)
			}
			if tc.contains != "" && !strings.Contains(string(body), tc.contains) {
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
	for _, path := range []string{"/", "/app.js", "/app.css"} {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		body := string(b)
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
	res, err := http.Get(srv.URL + "/app.js")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	etag := res.Header.Get("ETag")
	if etag == "" {
		t.Fatalf("GET /app.js: no ETag")
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("GET /app.js: Cache-Control %q; want no-cache", cc)
	}
	req, err := http.NewRequest("GET", srv.URL+"/app.js", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("If-None-Match", etag)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("GET /app.js with If-None-Match %s: status %d; want 304", etag, res.StatusCode)
	}
}
