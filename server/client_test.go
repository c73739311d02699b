package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/server"
)

// TestSearchValues checks that ParseSearch reads SearchValues(req) back as
// req, for requests as ParseSearch returns them.
func TestSearchValues(t *testing.T) {
	for _, req := range []index.Request{
		{Query: "armée", Size: 10, Page: 1, Sort: index.SortRelevance, Highlight: true},
		{Query: "gaz OR défense", Countries: []string{"IL", "BH"}, From: "2024", To: "2024-06",
			Sort: index.SortDateDesc, Size: 3, Page: 2, Highlight: false, Facets: index.FacetOptions{DateInterval: "month"}},
		{Query: `"a b" -c`, Sort: index.SortDate, Size: 100, Page: 100, Highlight: true, Facets: index.FacetOptions{DateInterval: "none"}},
	} {
		v := server.SearchValues(req)
		got, err := server.ParseSearch(v)
		if err != nil {
			t.Errorf("ParseSearch(SearchValues(%+v) = %v): %v", req, v, err)
			continue
		}
		if !reflect.DeepEqual(got, req) {
			t.Errorf("ParseSearch(SearchValues(req) = %v)\ngot  %+v\nwant %+v", v, got, req)
		}
	}
}

// TestClient checks that a Client gives the answers of the server's
// Searcher, and its errors with their status, code and index error.
func TestClient(t *testing.T) {
	m := &mock{
		search: func(_ context.Context, req index.Request) (*index.Result, error) {
			if req.Query == "boom" {
				return nil, fmt.Errorf("index: search: %w", index.ErrTooExpensive)
			}
			return sampleResult, nil
		},
		document: func(_ context.Context, id string) (*index.Document, error) {
			if id != "a/b#p2" {
				return nil, fmt.Errorf("document %q: %w", id, index.ErrNotFound)
			}
			return &index.Document{ID: id, Title: "l'armée", Countries: []string{}}, nil
		},
	}
	api := httptest.NewServer(server.New(m, server.Options{}, nil))
	defer api.Close()
	c, err := server.NewClient(api.URL, api.Client())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	res, err := c.Search(ctx, index.Request{Query: "défense aérienne", Countries: []string{"IL"}, Highlight: true})
	if err != nil || !reflect.DeepEqual(res, sampleResult) {
		t.Errorf("Search = %+v, %v; want %+v", res, err, sampleResult)
	}
	if want := []string{"IL"}; !reflect.DeepEqual(m.lastReq.Countries, want) || !m.lastReq.Highlight {
		t.Errorf("the server got %+v; want countries %v and highlight", m.lastReq, want)
	}
	opts := index.DocumentOptions{Query: `"défense aérienne" -x`, HTML: true}
	doc, err := c.Document(ctx, "a/b#p2", opts)
	if err != nil || doc.Title != "l'armée" || m.lastID != "a/b#p2" || m.lastDocOpts != opts {
		t.Errorf("Document(a/b#p2, %+v) = %+v, %v (server got %q, %+v)", opts, doc, err, m.lastID, m.lastDocOpts)
	}
	if _, err := c.Document(ctx, "a/b#p2", index.DocumentOptions{}); err != nil || m.lastDocOpts != (index.DocumentOptions{}) {
		t.Errorf("Document(a/b#p2) without options: %v (server got %+v)", err, m.lastDocOpts)
	}
	st, err := c.Stats(ctx)
	if err != nil || st.Documents != 3 {
		t.Errorf("Stats = %+v, %v; want 3 documents", st, err)
	}
	if err := c.Health(ctx); err != nil {
		t.Errorf("Health: %v", err)
	}

	for _, tc := range []struct {
		name   string
		call   func() error
		status int
		code   string
		is     error
	}{
		{"too expensive", func() error { _, err := c.Search(ctx, index.Request{Query: "boom"}); return err },
			http.StatusBadRequest, "too_expensive", index.ErrTooExpensive},
		{"bad size", func() error { _, err := c.Search(ctx, index.Request{Query: "a", Size: 1000}); return err },
			http.StatusBadRequest, "bad_request", index.ErrBadRequest},
		{"not found", func() error { _, err := c.Document(ctx, "absent", index.DocumentOptions{}); return err },
			http.StatusNotFound, "not_found", index.ErrNotFound},
	} {
		err := tc.call()
		var e *server.Error
		if !errors.As(err, &e) || e.Status != tc.status || e.Code != tc.code || !errors.Is(err, tc.is) || e.Message == "" {
			t.Errorf("%s: %v; want a %d %s wrapping %v", tc.name, err, tc.status, tc.code, tc.is)
		}
	}

	for _, base := range []string{"ftp://127.0.0.1/", "127.0.0.1:8080", "http://"} {
		if _, err := server.NewClient(base, nil); err == nil {
			t.Errorf("NewClient(%q) succeeded; want an error", base)
		}
	}
}

// reindexer counts its runs and fails when err is set.
type reindexer struct {
	runs int
	err  error
}

func (r *reindexer) Reindex(context.Context) (index.AddSummary, error) {
	r.runs++
	return index.AddSummary{Added: 2, Unchanged: 1}, r.err
}

// TestAdminRoute checks the admin route: only POST with the token
// re-indexes; the answers are the API's JSON errors.
func TestAdminRoute(t *testing.T) {
	ri := &reindexer{}
	api := httptest.NewServer(server.New(&mock{}, server.Options{Reindexer: ri, AdminToken: "s3cret"}, nil))
	defer api.Close()
	plain := httptest.NewServer(server.New(&mock{}, server.Options{Reindexer: ri}, nil)) // no token: no route
	defer plain.Close()

	for _, tc := range []struct {
		name, base, method, auth string
		fail                     error
		status                   int
		code                     string // of the error, "" for success
		runs                     int
	}{
		{"good token", api.URL, "POST", "Bearer s3cret", nil, 200, "", 1},
		{"no token", api.URL, "POST", "", nil, 401, "unauthorized", 0},
		{"wrong token", api.URL, "POST", "Bearer s3cre", nil, 401, "unauthorized", 0},
		{"not bearer", api.URL, "POST", "Basic s3cret", nil, 401, "unauthorized", 0},
		{"GET", api.URL, "GET", "Bearer s3cret", nil, 405, "method_not_allowed", 0},
		{"PUT", api.URL, "PUT", "Bearer s3cret", nil, 405, "method_not_allowed", 0},
		{"failure", api.URL, "POST", "Bearer s3cret", errors.New("disk"), 500, "internal", 1},
		{"closed", api.URL, "POST", "Bearer s3cret", index.ErrClosed, 503, "unavailable", 1},
		{"route off", plain.URL, "POST", "Bearer s3cret", nil, 405, "method_not_allowed", 0},
	} {
		ri.runs, ri.err = 0, tc.fail
		req, _ := http.NewRequest(tc.method, tc.base+server.ReindexPath, nil)
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			server.ReindexAnswer
			Error struct{ Code, Message string }
		}
		derr := json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		switch {
		case derr != nil || resp.StatusCode != tc.status || body.Error.Code != tc.code || ri.runs != tc.runs:
			t.Errorf("%s: %d %+v (%v), %d runs; want %d %q, %d runs", tc.name, resp.StatusCode, body, derr, ri.runs, tc.status, tc.code, tc.runs)
		case tc.code == "" && (body.Added != 2 || body.Unchanged != 1):
			t.Errorf("%s: answer %+v; want added 2, unchanged 1", tc.name, body.ReindexAnswer)
		case !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'"):
			t.Errorf("%s: CSP %q; want the API's", tc.name, resp.Header.Get("Content-Security-Policy"))
		case tc.status == 401 && resp.Header.Get("WWW-Authenticate") == "":
			t.Errorf("%s: no WWW-Authenticate header", tc.name)
		}
	}
}

// TestErrorBody checks the structured error answers: the parameter at
// fault, the limit it went past, and for the query text the position and
// kind of the problem.
func TestErrorBody(t *testing.T) {
	api := httptest.NewServer(server.New(&mock{}, server.Options{}, nil))
	defer api.Close()
	for _, tc := range []struct {
		query string
		want  server.Error // Status, Code, Param, Position, Kind, Limit
	}{
		{"q=%22d%C3%A9fense", server.Error{Status: 400, Code: "bad_request", Param: "q", Position: 1, Kind: index.KindUnclosedQuote}},
		{"q=arm%C3%A9e+(Gaza", server.Error{Status: 400, Code: "bad_request", Param: "q", Position: 7, Kind: index.KindUnclosedParen}},
		{"q=a*", server.Error{Status: 400, Code: "bad_request", Param: "q", Position: 1, Kind: index.KindPrefixTooShort}},
		{"q=Gaza+OR", server.Error{Status: 400, Code: "bad_request", Param: "q", Position: 6, Kind: index.KindOrWithoutRight}},
		{"q=" + strings.Repeat("mot+", 65), server.Error{Status: 400, Code: "too_expensive", Param: "q", Position: 257, Kind: index.KindTooManyClauses}},
		{"q=" + strings.Repeat("a", index.MaxQueryLen+1), server.Error{Status: 413, Code: "too_large", Param: "q", Limit: index.MaxQueryLen}},
		{"q=", server.Error{Status: 400, Code: "bad_request", Param: "q"}},
		{"q=a&size=101", server.Error{Status: 400, Code: "bad_request", Param: "size", Limit: index.MaxSize}},
		{"q=a&size=x", server.Error{Status: 400, Code: "bad_request", Param: "size"}},
		{"q=a&page=101&size=100", server.Error{Status: 400, Code: "bad_request", Param: "page", Limit: index.MaxWindow}},
		{"q=a&country=XX", server.Error{Status: 400, Code: "bad_request", Param: "country"}},
		{"q=a&organization=NOPE", server.Error{Status: 400, Code: "bad_request", Param: "organization"}},
		{"q=a&to=juin", server.Error{Status: 400, Code: "bad_request", Param: "to"}},
		{"q=a&interval=week", server.Error{Status: 400, Code: "bad_request", Param: "interval"}},
		{"q=a&highlight=oui", server.Error{Status: 400, Code: "bad_request", Param: "highlight"}},
	} {
		resp, err := http.Get(api.URL + "/api/search?" + tc.query)
		if err != nil {
			t.Fatal(err)
		}
		var body struct{ Error server.Error }
		derr := json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		got := body.Error
		got.Status, got.Message = resp.StatusCode, ""
		if derr != nil || got != tc.want || !strings.HasPrefix(body.Error.Message, tc.want.Param+": ") {
			t.Errorf("GET /api/search?%.40s: %+v (%v), message %q; want %+v and a message naming %s", tc.query, got, derr, body.Error.Message, tc.want, tc.want.Param)
		}
	}
}
