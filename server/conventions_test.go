package server_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/server"
)

// TestCORS checks that cross-origin requests get the CORS headers for the
// configured origins only, and preflights are answered; without origins,
// no CORS header at all.
func TestCORS(t *testing.T) {
	on := server.New(&mock{}, server.Options{CORSOrigins: []string{"https://a.example", "http://localhost:3000"}}, nil)
	any := server.New(&mock{}, server.Options{CORSOrigins: []string{"*"}}, nil)
	off := server.New(&mock{}, server.Options{}, nil)
	cases := []struct {
		name      string
		h         http.Handler
		method    string
		origin    string
		reqMethod string // Access-Control-Request-Method
		status    int
		allow     string // Access-Control-Allow-Origin
		methods   string // Access-Control-Allow-Methods
	}{
		{"allowed GET", on, "GET", "https://a.example", "", 200, "https://a.example", ""},
		{"second origin", on, "GET", "http://localhost:3000", "", 200, "http://localhost:3000", ""},
		{"preflight", on, "OPTIONS", "https://a.example", "GET", 204, "https://a.example", "GET, HEAD"},
		{"other origin", on, "GET", "https://evil.example", "", 200, "", ""},
		{"other origin preflight", on, "OPTIONS", "https://evil.example", "GET", 405, "", ""},
		{"no origin", on, "GET", "", "", 200, "", ""},
		{"any origin", any, "GET", "https://b.example", "", 200, "*", ""},
		{"off", off, "GET", "https://a.example", "", 200, "", ""},
		{"off preflight", off, "OPTIONS", "https://a.example", "GET", 405, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, "/api/search?q=gaz", nil)
			if tc.origin != "" {
				r.Header.Set("Origin", tc.origin)
			}
			if tc.reqMethod != "" {
				r.Header.Set("Access-Control-Request-Method", tc.reqMethod)
				r.Header.Set("Access-Control-Request-Headers", "Content-Type, X-Secret")
			}
			rec := httptest.NewRecorder()
			tc.h.ServeHTTP(rec, r)
			h := rec.Header()
			if rec.Code != tc.status || h.Get("Access-Control-Allow-Origin") != tc.allow || h.Get("Access-Control-Allow-Methods") != tc.methods {
				t.Errorf("%s %s from %q: %d, Allow-Origin %q, Allow-Methods %q; want %d, %q, %q",
					tc.method, r.URL, tc.origin, rec.Code, h.Get("Access-Control-Allow-Origin"), h.Get("Access-Control-Allow-Methods"),
					tc.status, tc.allow, tc.methods)
			}
			if tc.status == 204 && h.Get("Access-Control-Allow-Headers") != "content-type" {
				t.Errorf("preflight: Allow-Headers %q; want only content-type", h.Get("Access-Control-Allow-Headers"))
			}
		})
	}
}

// TestGzip checks that answers are gzipped when the client accepts it,
// and only then, and that the bytes are the same once decompressed.
func TestGzip(t *testing.T) {
	big := *sampleResult
	big.Hits = nil
	for range 40 {
		big.Hits = append(big.Hits, sampleResult.Hits...)
	}
	h := server.New(&mock{search: func(_ context.Context, _ index.Request) (*index.Result, error) { return &big, nil }}, server.Options{}, nil)
	plain := httptest.NewRecorder()
	h.ServeHTTP(plain, httptest.NewRequest("GET", "/api/search?q=gaz", nil))
	cases := []struct {
		accept, path string
		gzipped      bool
	}{
		{"gzip", "/api/search?q=gaz", true},
		{"gzip, deflate, br", "/api/search?q=gaz", true},
		{"br;q=1.0, gzip;q=0.8", "/api/search?q=gaz", true},
		{"gzip;q=0", "/api/search?q=gaz", false},
		{"deflate", "/api/search?q=gaz", false},
		{"", "/api/search?q=gaz", false},
		{"gzip", "/healthz", false}, // too small to gain
		{"gzip", "/", true},         // the page
		{"gzip", "/api/openapi.json", true},
	}
	for _, tc := range cases {
		r := httptest.NewRequest("GET", tc.path, nil)
		if tc.accept != "" {
			r.Header.Set("Accept-Encoding", tc.accept)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		got := rec.Header().Get("Content-Encoding") == "gzip"
		if got != tc.gzipped || rec.Code != 200 || !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
			t.Errorf("GET %s, Accept-Encoding %q: %d, Content-Encoding %q, Vary %q; want gzip %v", tc.path, tc.accept, rec.Code,
				rec.Header().Get("Content-Encoding"), rec.Header().Get("Vary"), tc.gzipped)
			continue
		}
		if !got || tc.path != "/api/search?q=gaz" {
			continue
		}
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(zr)
		if err != nil || string(body) != plain.Body.String() {
			t.Errorf("gunzipped answer differs from the plain one (%v):\n%.200s\n%.200s", err, body, plain.Body)
		}
		if rec.Body.Len() >= plain.Body.Len() {
			t.Errorf("gzipped %d bytes, plain %d", rec.Body.Len(), plain.Body.Len())
		}
	}
}

// TestStatsPath checks that /api/stats shows the index folder to
// loopback clients only.
func TestStatsPath(t *testing.T) {
	h := server.New(&mock{stats: func(context.Context) (index.Info, error) {
		return index.Info{Documents: 3, Path: "/home/moi/.cache/rapports/index"}, nil
	}}, server.Options{}, nil)
	cases := []struct {
		remote, forwarded string
		path              bool
	}{
		{"127.0.0.1:5000", "", true},
		{"[::1]:5000", "", true},
		{"192.0.2.7:5000", "", false},
		{"127.0.0.1:5000", "203.0.113.9", false}, // a proxy on this machine
	}
	for _, tc := range cases {
		r := httptest.NewRequest("GET", "/api/stats", nil)
		r.RemoteAddr = tc.remote
		if tc.forwarded != "" {
			r.Header.Set("X-Forwarded-For", tc.forwarded)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		var st index.Info
		if err := json.Unmarshal(rec.Body.Bytes(), &st); err != nil {
			t.Fatal(err)
		}
		if (st.Path != "") != tc.path {
			t.Errorf("/api/stats from %s (X-Forwarded-For %q): path %q; want shown %v", tc.remote, tc.forwarded, st.Path, tc.path)
		}
	}
}

// TestParamErrors checks the 400s of unknown parameters, cursors and
// blank queries.
func TestParamErrors(t *testing.T) {
	h := server.New(&mock{}, server.Options{}, nil)
	cases := []struct {
		target, want string
	}{
		{"/api/search?q=gaz&limit=5&offset=10", `"message":"limit, offset: unknown parameters (the parameters are q, country, organization, from, to, sort, size, page, cursor, highlight, interval)"`},
		{"/api/search?q=gaz&Q=x", `"message":"Q: an unknown parameter`},
		{"/api/search?q=gaz&cursor=abc&page=2", `"message":"cursor: give cursor or page, not both`},
		{"/api/search?q=", `"message":"q: missing: give the words to search for, as in q=armée, or a filter (country, organization, from, to) to list its reports by date"`},
		{"/api/export?q=gaz&page=2", `"message":"page: an unknown parameter (the parameters are q, country, organization, from, to, sort, format, text)"`},
		{"/api/export?q=gaz&text=oui", `"message":"text: \"oui\" is not a boolean`},
	}
	for _, tc := range cases {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", tc.target, nil))
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), tc.want) {
			t.Errorf("GET %s: %d %s; want 400 and %s", tc.target, rec.Code, rec.Body, tc.want)
		}
	}
	rec := httptest.NewRecorder()
	sampleServer(t).ServeHTTP(rec, httptest.NewRequest("GET", "/api/search?q=gaz&cursor=abc", nil))
	if want := `"message":"cursor: not a cursor of this version (give the next_cursor of a previous answer, as is)"`; rec.Code != 400 || !strings.Contains(rec.Body.String(), want) {
		t.Errorf("a bad cursor: %d %s; want 400 and %s", rec.Code, rec.Body, want)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/export?q=gaz", nil))
	if rec.Code != 501 || !strings.Contains(rec.Body.String(), `"code":"not_implemented"`) {
		t.Errorf("export over a Searcher without Scan: %d %s; want 501", rec.Code, rec.Body)
	}
}
