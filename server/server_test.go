package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapports/rapports/analyzers"
	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/server"
)

// mock is a Searcher whose answers the test sets, and which records the
// last request and document ID it was given.
type mock struct {
	mu      sync.Mutex
	lastReq index.Request
	lastID  string
	// lastDocOpts are the options of the last Document call.
	lastDocOpts index.DocumentOptions

	search   func(ctx context.Context, req index.Request) (*index.Result, error)
	document func(ctx context.Context, id string) (*index.Document, error)
	stats    func(ctx context.Context) (index.Info, error)
}

func (m *mock) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	m.mu.Lock()
	m.lastReq = req
	m.mu.Unlock()
	if m.search == nil {
		return &index.Result{Query: req.Query, Page: req.Page, Size: req.Size, Hits: []index.Hit{}}, nil
	}
	return m.search(ctx, req)
}

func (m *mock) Document(ctx context.Context, id string, opts index.DocumentOptions) (*index.Document, error) {
	m.mu.Lock()
	m.lastID, m.lastDocOpts = id, opts
	m.mu.Unlock()
	if m.document == nil {
		return nil, fmt.Errorf("document %q: %w", id, index.ErrNotFound)
	}
	return m.document(ctx, id)
}

func (m *mock) Stats(ctx context.Context) (index.Info, error) {
	if m.stats == nil {
		return index.Info{Documents: 3, FirstDate: "2022-01", LastDate: "2025-06"}, nil
	}
	return m.stats(ctx)
}

var sampleResult = &index.Result{
	Query: "défense aérienne", Total: 12, TookMS: 3.1, Page: 1, Size: 10, MaxWindow: index.MaxWindow,
	Hits: []index.Hit{{ID: "defense/manama.txt", Score: 1.7, Title: "Réunion à Manama", Date: "2024-06",
		Countries: []string{"IL", "BH"}, Organizations: []string{"ONU"}, Fragments: []index.Fragment{{Text: "la défense aérienne & antimissile", Matches: []index.Span{{Start: 3, End: 21}}}},
		FragmentsHTML: []string{"la <mark>défense aérienne</mark> &amp; antimissile"}}},
	Facets: index.Facets{
		Country:      []index.CountryCount{{Code: "IL", Name: "Israël", Count: 7}},
		Organization: []index.OrgCount{{Code: "ONU", Name: "Organisation des Nations unies", Acronym: "ONU", Count: 5}},
		Date:         []index.DateCount{{Period: "2024-06", Count: 3}},
	},
}

// blockUntilDone waits for the context, as a search that takes too long.
func blockUntilDone(ctx context.Context, _ index.Request) (*index.Result, error) {
	<-ctx.Done()
	return nil, fmt.Errorf("index: search: %w", ctx.Err())
}

func TestHandler(t *testing.T) {
	long := strings.Repeat("é", index.MaxQueryLen+1)
	fail := func(err error) func(context.Context, index.Request) (*index.Result, error) {
		return func(context.Context, index.Request) (*index.Result, error) { return nil, err }
	}
	cases := []struct {
		name     string
		method   string
		target   string
		search   func(context.Context, index.Request) (*index.Result, error)
		status   int
		code     string // error code, for error answers
		contains string // part of the body
	}{
		{name: "search", target: "/api/search?q=d%C3%A9fense+a%C3%A9rienne",
			search:   func(context.Context, index.Request) (*index.Result, error) { return sampleResult, nil },
			status:   200,
			contains: `"fragments":[{"text":"la défense aérienne & antimissile","matches":[{"start":3,"end":21}]}],"fragments_html":["la <mark>défense aérienne</mark> &amp; antimissile"]`},
		{name: "head search", method: "HEAD", target: "/api/search?q=arm%C3%A9e", status: 200},
		{name: "missing q", target: "/api/search", status: 400, code: "bad_request", contains: `"q: missing`},
		{name: "blank q", target: "/api/search?q=+++", status: 400, code: "bad_request", contains: `"q: missing`},
		{name: "bad month", target: "/api/search?q=a&from=2024-13", status: 400, code: "bad_request",
			contains: `"message":"from: \"2024-13\" is not a date (want YYYY, YYYY-MM or YYYY-MM-DD)"`},
		{name: "bad day", target: "/api/search?q=a&to=2023-02-29", status: 400, code: "bad_request", contains: `to: \"2023-02-29\"`},
		{name: "from after to", target: "/api/search?q=a&from=2025&to=2024-12", status: 400, code: "bad_request", contains: `from: 2025 is after to: 2024-12`},
		{name: "bad country", target: "/api/search?q=a&country=FR&country=XX", status: 400, code: "bad_request",
			contains: `"country: \"XX\" is not an ISO 3166-1 code`},
		{name: "bad organization", target: "/api/search?q=a&organization=ONU&organization=NOPE", status: 400, code: "bad_request",
			contains: `"organization: \"NOPE\" is not a code of the gazetteer of organisations`},
		{name: "long country", target: "/api/search?q=a&country=FRA", status: 400, code: "bad_request", contains: `country: \"FRA\"`},
		{name: "bad sort", target: "/api/search?q=a&sort=score", status: 400, code: "bad_request", contains: `sort: \"score\"`},
		{name: "size too big", target: "/api/search?q=a&size=101", status: 400, code: "bad_request", contains: `size: 101 is out of range`},
		{name: "size zero", target: "/api/search?q=a&size=0", status: 400, code: "bad_request", contains: `size: 0`},
		{name: "size not a number", target: "/api/search?q=a&size=ten", status: 400, code: "bad_request", contains: `size: \"ten\"`},
		{name: "page zero", target: "/api/search?q=a&page=0", status: 400, code: "bad_request", contains: `page: 0`},
		{name: "page past window", target: "/api/search?q=a&size=100&page=101", status: 400, code: "bad_request", contains: `beyond 10000`},
		{name: "last page in window", target: "/api/search?q=a&size=100&page=100", status: 200},
		{name: "bad highlight", target: "/api/search?q=a&highlight=oui", status: 400, code: "bad_request", contains: `highlight: \"oui\"`},
		{name: "bad interval", target: "/api/search?q=a&interval=week", status: 400, code: "bad_request", contains: `interval: \"week\"`},
		{name: "q too long", target: "/api/search?q=" + url.QueryEscape(long), status: 413, code: "too_large", contains: `q: 1001 characters, at most 1000`},
		{name: "q at the limit", target: "/api/search?q=" + url.QueryEscape(long[len("é"):]), status: 200},
		{name: "bad query", target: "/api/search?q=open", search: fail(fmt.Errorf("%w: unclosed quote at 0", index.ErrBadQuery)),
			status: 400, code: "bad_request", contains: `"message":"q: bad query: unclosed quote at 0"`},
		{name: "empty query", target: "/api/search?q=le", search: fail(fmt.Errorf("%w: only stop words", index.ErrEmptyQuery)),
			status: 400, code: "bad_request", contains: `"message":"q: empty query: only stop words"`},
		{name: "too expensive", target: "/api/search?q=abc*", search: fail(fmt.Errorf("%w: a* expands to 90000 terms", index.ErrTooExpensive)),
			status: 400, code: "too_expensive", contains: `"message":"q: query too expensive: a* expands to 90000 terms"`},
		{name: "internal", target: "/api/search?q=a", search: fail(errors.New("disk on fire at /var/secret")),
			status: 500, code: "internal", contains: `"message":"internal error"`},
		{name: "closed", target: "/api/search?q=a", search: fail(fmt.Errorf("search: %w", index.ErrClosed)), status: 503, code: "unavailable"},
		{name: "timeout", target: "/api/search?q=a", search: blockUntilDone, status: 503, code: "timeout"},
		{name: "panic", target: "/api/search?q=a",
			search: func(context.Context, index.Request) (*index.Result, error) { panic("boom") },
			status: 500, code: "internal"},
		{name: "post search", method: "POST", target: "/api/search?q=a", status: 405, code: "method_not_allowed", contains: `method POST not allowed`},
		{name: "delete document", method: "DELETE", target: "/api/documents/x", status: 405, code: "method_not_allowed"},
		{name: "put healthz", method: "PUT", target: "/healthz", status: 405, code: "method_not_allowed"},
		{name: "unknown document", target: "/api/documents/nope.txt", status: 404, code: "not_found", contains: `nope.txt`},
		{name: "no document id", target: "/api/documents/", status: 400, code: "bad_request", contains: `id: missing`},
		{name: "unknown endpoint", target: "/api/nothing", status: 404, code: "not_found", contains: `no endpoint /api/nothing`},
		{name: "stats", target: "/api/stats", status: 200, contains: `"documents":3`},
		{name: "healthz", target: "/healthz", status: 200, contains: `{"status":"ok"}`},
		{name: "analyze", target: "/api/analyze?text=" + url.QueryEscape("l'armée"), status: 200,
			contains: `"analyzer":"` + analyzers.FrenchName + `"`},
		{name: "analyze exact", target: "/api/analyze?analyzer=" + analyzers.ExactName + "&text=Arm%C3%A9es", status: 200,
			contains: `"term":"armees"`},
		{name: "analyze unknown analyzer", target: "/api/analyze?analyzer=en&text=a", status: 400, code: "bad_request", contains: `analyzer: \"en\"`},
		{name: "analyze no text", target: "/api/analyze", status: 400, code: "bad_request", contains: `text: missing`},
		{name: "analyze long text", target: "/api/analyze?text=" + strings.Repeat("a", server.MaxAnalyzeLen+1), status: 413, code: "too_large"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			m := &mock{search: tc.search}
			h := server.New(m, server.Options{SearchTimeout: 20 * time.Millisecond},
				slog.New(slog.NewTextHandler(&logs, nil)))
			method := tc.method
			if method == "" {
				method = "GET"
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(method, tc.target, nil))
			body := rec.Body.String()
			if rec.Code != tc.status {
				t.Fatalf("%s %s: status %d, want %d; body %s", method, tc.target, rec.Code, tc.status, body)
			}
			if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("%s %s: X-Content-Type-Options %q, want nosniff", method, tc.target, got)
			}
			if got := rec.Header().Get("Content-Security-Policy"); !strings.Contains(got, "default-src 'none'") {
				t.Errorf("%s %s: Content-Security-Policy %q, want default-src 'none'", method, tc.target, got)
			}
			if got := rec.Header().Get("Content-Type"); got != "application/json; charset=utf-8" {
				t.Errorf("%s %s: Content-Type %q, want JSON", method, tc.target, got)
			}
			if tc.status == 405 {
				if got := rec.Header().Get("Allow"); got != "GET, HEAD" {
					t.Errorf("%s %s: Allow %q, want \"GET, HEAD\"", method, tc.target, got)
				}
			}
			if method == "HEAD" {
				if body != "" {
					t.Errorf("HEAD %s: body %q, want none", tc.target, body)
				}
				return
			}
			if tc.contains != "" && !strings.Contains(body, tc.contains) {
				t.Errorf("%s %s: body %s\nwant it to contain %s", method, tc.target, body, tc.contains)
			}
			if tc.code != "" {
				var e struct {
					Error struct{ Code, Message string }
				}
				if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
					t.Fatalf("%s %s: error body %q is not JSON: %v", method, tc.target, body, err)
				}
				if e.Error.Code != tc.code || e.Error.Message == "" {
					t.Errorf("%s %s: error %+v, want code %q and a message", method, tc.target, e.Error, tc.code)
				}
			}
			if strings.Contains(body, "/var/secret") {
				t.Errorf("%s %s: body %s shows an internal error's text", method, tc.target, body)
			}
			if tc.status == 500 && !strings.Contains(logs.String(), "level=ERROR") {
				t.Errorf("%s %s: a 500 was not logged as an error; log:\n%s", method, tc.target, logs.String())
			}
			wantLog := fmt.Sprintf("method=%s path=%s", method, strings.SplitN(tc.target, "?", 2)[0])
			if !strings.Contains(logs.String(), wantLog) || !strings.Contains(logs.String(), fmt.Sprintf("status=%d", tc.status)) {
				t.Errorf("%s %s: access log lacks %q and status=%d:\n%s", method, tc.target, wantLog, tc.status, logs.String())
			}
		})
	}
}

// TestSearchRequest checks that the parameters reach the index as they should.
func TestSearchRequest(t *testing.T) {
	cases := []struct {
		query string
		want  index.Request
	}{
		{"q=arm%C3%A9e", index.Request{Query: "armée", Sort: "relevance", Size: 10, Page: 1, Highlight: true}},
		{"q=a&country=fr&country=IL,bh&country=FR&from=2023&to=2024-06&sort=-date&size=5&page=3&highlight=false&interval=month",
			index.Request{Query: "a", Countries: []string{"FR", "IL", "BH"}, From: "2023", To: "2024-06", Sort: "-date",
				Size: 5, Page: 3, Highlight: false, Facets: index.FacetOptions{DateInterval: "month"}}},
		{"q=a&organization=onu,OTAN&organization=ONU", index.Request{Query: "a", Organizations: []string{"ONU", "OTAN"}, Sort: "relevance", Size: 10, Page: 1, Highlight: true}},
		{"q=a&sort=date&from=2024-02-29&to=2024-02-29", index.Request{Query: "a", Sort: "date", Size: 10, Page: 1, Highlight: true,
			From: "2024-02-29", To: "2024-02-29"}},
	}
	for _, tc := range cases {
		m := &mock{}
		h := server.New(m, server.Options{}, nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/search?"+tc.query, nil))
		if rec.Code != 200 {
			t.Errorf("GET /api/search?%s: status %d, body %s", tc.query, rec.Code, rec.Body)
			continue
		}
		if !reflect.DeepEqual(m.lastReq, tc.want) {
			t.Errorf("GET /api/search?%s: index got\n%+v\nwant\n%+v", tc.query, m.lastReq, tc.want)
		}
	}
}

// TestSearchJSON checks the answer against the API's documented form.
func TestSearchJSON(t *testing.T) {
	m := &mock{search: func(context.Context, index.Request) (*index.Result, error) { return sampleResult, nil }}
	srv := httptest.NewServer(server.New(m, server.Options{}, nil))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/search?q=" + url.QueryEscape("défense aérienne"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatalf("decode: %v", err)
	}
	want := map[string]any{
		"query": "défense aérienne", "total": 12.0, "took_ms": 3.1, "page": 1.0, "size": 10.0, "max_window": 10000.0,
		"hits": []any{map[string]any{"id": "defense/manama.txt", "score": 1.7, "title": "Réunion à Manama", "date": "2024-06",
			"countries": []any{"IL", "BH"}, "organizations": []any{"ONU"}, "fragments": []any{map[string]any{"text": "la défense aérienne & antimissile", "matches": []any{map[string]any{"start": 3.0, "end": 21.0}}}},
			"fragments_html": []any{"la <mark>défense aérienne</mark> &amp; antimissile"}}},
		"facets": map[string]any{
			"country":      []any{map[string]any{"code": "IL", "name": "Israël", "count": 7.0}},
			"organization": []any{map[string]any{"code": "ONU", "name": "Organisation des Nations unies", "acronym": "ONU", "count": 5.0}},
			"date":         []any{map[string]any{"period": "2024-06", "count": 3.0}},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("GET /api/search: got\n%v\nwant\n%v", got, want)
	}
}

func TestDocumentID(t *testing.T) {
	m := &mock{document: func(_ context.Context, id string) (*index.Document, error) {
		return &index.Document{ID: id, Title: "Titre", Countries: []string{"FR"}, Body: "Texte."}, nil
	}}
	h := server.New(m, server.Options{}, nil)
	for target, want := range map[string]string{
		"/api/documents/defense/manama.txt":      "defense/manama.txt",
		"/api/documents/flux.jsonl%2342":         "flux.jsonl#42",
		"/api/documents/d%C3%A9fense%20a%C3%A9r": "défense aér",
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		if rec.Code != 200 || m.lastID != want {
			t.Errorf("GET %s: status %d, index asked for %q; want 200 and %q", target, rec.Code, m.lastID, want)
		}
		if !strings.Contains(rec.Body.String(), `"body":"Texte."`) {
			t.Errorf("GET %s: body %s lacks the text", target, rec.Body)
		}
	}
}

// TestClientGone checks that a search stops when its client goes away.
func TestClientGone(t *testing.T) {
	stopped := make(chan error, 1)
	m := &mock{search: func(ctx context.Context, req index.Request) (*index.Result, error) {
		<-ctx.Done()
		stopped <- ctx.Err()
		return nil, ctx.Err()
	}}
	h := server.New(m, server.Options{SearchTimeout: time.Hour}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequest("GET", "/api/search?q=a", nil).WithContext(ctx)
	done := make(chan struct{})
	go func() {
		h.ServeHTTP(httptest.NewRecorder(), req)
		close(done)
	}()
	cancel()
	select {
	case err := <-stopped:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("search context ended with %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("search went on after its client was gone")
	}
	<-done
}

func TestWebPage(t *testing.T) {
	h := server.New(&mock{}, server.Options{}, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("GET /: status %d, Content-Type %q; want 200 text/html", rec.Code, rec.Header().Get("Content-Type"))
	}
	if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("GET /: no nosniff header")
	}
}

func TestStatusOf(t *testing.T) {
	cases := []struct {
		err    error
		status int
		code   string
	}{
		{fmt.Errorf("x: %w", index.ErrBadRequest), 400, "bad_request"},
		{fmt.Errorf("x: %w", index.ErrNotFound), 404, "not_found"},
		{fmt.Errorf("x: %w", context.DeadlineExceeded), 503, "timeout"},
		{fmt.Errorf("x: %w", index.ErrClosed), 503, "unavailable"},
		{fmt.Errorf("x: %w", index.ErrLocked), 500, "internal"},
		{io.ErrUnexpectedEOF, 500, "internal"},
	}
	for _, tc := range cases {
		status, code, msg := server.StatusOf(tc.err)
		if status != tc.status || code != tc.code || msg == "" {
			t.Errorf("StatusOf(%v) = %d, %q, %q; want %d, %q and a message", tc.err, status, code, msg, tc.status, tc.code)
		}
	}
}

// FuzzParseSearch checks that no query string makes the parser panic, and
// that every error it returns answers a 4xx naming a parameter.
func FuzzParseSearch(f *testing.F) {
	for _, s := range []string{"q=arm%C3%A9e", "q=a&from=2024-13", "q=a&size=-1&page=99999999999999999999",
		"q=a&country=%FF", "q=%22a&sort=-date&to=2024", "q=a&from=2025&to=2024-02-29"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		req, err := server.ParseSearch(v)
		if err != nil {
			if e := server.ErrorOf(err); e.Status < 400 || e.Status > 499 || e.Param == "" || !strings.HasPrefix(e.Message, e.Param+": ") {
				t.Fatalf("ParseSearch(%q): error %#v (answered %+v), want a 4xx naming a parameter", raw, err, e)
			}
			return
		}
		if req.Size < 1 || req.Size > index.MaxSize || req.Page < 1 || req.Page*req.Size > index.MaxWindow || req.Query == "" {
			t.Fatalf("ParseSearch(%q) = %+v: out of the index's limits", raw, req)
		}
	})
}
