package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/rapports/rapports/analyzers"
	"github.com/rapports/rapports/corpus"
	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/server/web"
)

// Searcher is what the server needs of an index; *index.Index has it.
// Each method must stop when ctx is done and return the index package's
// errors (index.ErrNotFound, index.ErrBadQuery, ...) wrapped or not.
type Searcher interface {
	Search(ctx context.Context, req index.Request) (*index.Result, error)
	Document(ctx context.Context, id string, opts index.DocumentOptions) (*index.Document, error)
	Stats(ctx context.Context) (index.Info, error)
}

// DefaultSearchTimeout bounds each search when Options.SearchTimeout is 0.
const DefaultSearchTimeout = 10 * time.Second

// MaxAnalyzeLen is the most characters /api/analyze accepts in text.
const MaxAnalyzeLen = 10_000

// Options tune a server. The zero value is ready to use.
type Options struct {
	// SearchTimeout bounds each search, document or stats call
	// (default DefaultSearchTimeout). A call that runs out of time
	// answers 503 with code "timeout".
	SearchTimeout time.Duration
	// Reindexer and AdminToken, when both are set, enable the admin route
	// POST ReindexPath for requests carrying the header
	// "Authorization: Bearer AdminToken".
	Reindexer  Reindexer
	AdminToken string
	// AdminTries and AdminWindow guard the admin route against guessed
	// tokens: a client (an IP address) refused AdminTries times within
	// AdminWindow gets 429 with Retry-After until its window ends, and
	// refused tries are logged once per AdminWindow with their count
	// (defaults DefaultAdminTries, DefaultAdminWindow).
	AdminTries  int
	AdminWindow time.Duration
	// CORSOrigins are the origins ("https://example.org", or "*" for
	// any) whose pages may call the API from a browser: preflight
	// requests are answered and answers carry
	// Access-Control-Allow-Origin for them. None by default.
	CORSOrigins []string
}

// apiCSP is the Content-Security-Policy of API answers: JSON loads nothing
// and may not be framed.
const apiCSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"

type server struct {
	s          Searcher
	timeout    time.Duration
	log        *slog.Logger
	reindexer  Reindexer // nil without the admin route
	adminToken string
	admin      *adminGuard
}

// New returns the handler of the HTTP API over s, with the search page at
// "/". Every answer carries X-Content-Type-Options: nosniff, API answers a
// strict Content-Security-Policy; each request is logged on log (method,
// path, status, duration), and a panic in a handler answers 500 instead of
// killing the connection. A nil log discards the logs.
func New(s Searcher, opts Options, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opts.SearchTimeout <= 0 {
		opts.SearchTimeout = DefaultSearchTimeout
	}
	srv := &server{s: s, timeout: opts.SearchTimeout, log: log}
	if opts.Reindexer != nil && opts.AdminToken != "" {
		srv.reindexer, srv.adminToken = opts.Reindexer, opts.AdminToken
		srv.admin = newAdminGuard(opts.AdminTries, opts.AdminWindow, log)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/search", srv.search)
	mux.HandleFunc("GET /api/documents/{id...}", srv.document)
	mux.HandleFunc("GET /api/stats", srv.stats)
	mux.HandleFunc("GET /api/analyze", srv.analyze)
	mux.HandleFunc("GET /api/export", srv.export)
	mux.HandleFunc("GET /api/version", srv.version)
	mux.HandleFunc("GET /api/openapi.json", srv.openapi)
	mux.HandleFunc("GET /api/", srv.notFound)
	mux.HandleFunc("GET /healthz", srv.healthz)
	if srv.reindexer != nil {
		mux.HandleFunc("POST "+ReindexPath, srv.reindex)
	}
	mux.Handle("GET /", web.Handler())
	return cors(opts.CORSOrigins, compress(srv.middleware(mux)))
}

// isAPI reports whether path is answered in JSON.
func isAPI(path string) bool {
	return path == "/healthz" || path == "/api" || len(path) >= 5 && path[:5] == "/api/"
}

// middleware sets the common headers, refuses writes on the read-only API
// (all but the admin route),
// recovers panics and writes the access log.
func (srv *server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h := rec.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		api := isAPI(r.URL.Path)
		if api {
			h.Set("Content-Security-Policy", apiCSP)
			h.Set("Cache-Control", "no-store")
		}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				srv.log.ErrorContext(r.Context(), "panic", "method", r.Method, "path", r.URL.Path,
					"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if !rec.wrote {
					srv.writeError(rec, r, errors.New("panic in handler"))
				}
			}
			srv.log.InfoContext(r.Context(), "http", "method", r.Method, "path", r.URL.Path,
				"query", r.URL.RawQuery, "status", rec.status, "bytes", rec.bytes,
				"duration", time.Since(start))
		}()
		switch {
		case srv.reindexer != nil && r.URL.Path == ReindexPath:
			if r.Method != http.MethodPost {
				srv.refuseMethod(rec, r, "POST")
				return
			}
		case api && r.Method != http.MethodGet && r.Method != http.MethodHead:
			srv.refuseMethod(rec, r, "GET, HEAD")
			return
		}
		next.ServeHTTP(rec, r)
	})
}

// refuseMethod answers 405 to a request whose method is not in allow
// ("GET, HEAD").
func (srv *server) refuseMethod(w http.ResponseWriter, r *http.Request, allow string) {
	w.Header().Set("Allow", allow)
	use, _, _ := strings.Cut(allow, ",")
	srv.writeError(w, r, &Error{Status: http.StatusMethodNotAllowed, Code: "method_not_allowed",
		Message: fmt.Sprintf("method %s not allowed on %s (use %s)", r.Method, r.URL.Path, use)})
}

// statusRecorder remembers the status and size of an answer for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// parsed reads the query string of r with parse (ParseSearch,
// ParseDocument): the parameters of a handler.
func parsed[T any](r *http.Request, parse func(url.Values) (T, error)) (T, error) {
	v, err := queryValues(r)
	if err != nil {
		var zero T
		return zero, err
	}
	return parse(v)
}

// answer writes the answer of call, run under the server's time limit, or
// its error.
func answer[T any](srv *server, w http.ResponseWriter, r *http.Request, call func(context.Context) (T, error)) {
	ctx, cancel := context.WithTimeout(r.Context(), srv.timeout)
	defer cancel()
	v, err := call(ctx)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	srv.writeJSON(w, r, v)
}

func (srv *server) search(w http.ResponseWriter, r *http.Request) {
	req, err := parsed(r, ParseSearch)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	answer(srv, w, r, func(ctx context.Context) (*index.Result, error) { return srv.s.Search(ctx, req) })
}

func (srv *server) document(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if id == "" {
		srv.writeError(w, r, &Error{Status: http.StatusBadRequest, Code: "bad_request",
			Message: "id: missing (want /api/documents/{id})"})
		return
	}
	opts, err := parsed(r, ParseDocument)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	answer(srv, w, r, func(ctx context.Context) (*index.Document, error) { return srv.s.Document(ctx, id, opts) })
}

func (srv *server) stats(w http.ResponseWriter, r *http.Request) {
	answer(srv, w, r, func(ctx context.Context) (index.Info, error) {
		st, err := srv.s.Stats(ctx)
		if !isLocal(r) {
			st.Path = "" // the server's folders are not the business of remote clients
		}
		return st, err
	})
}

// Analysis is the answer of /api/analyze and of `rapports analyze --json`.
type Analysis struct {
	Analyzer string            `json:"analyzer"`
	Tokens   []analyzers.Token `json:"tokens"`
}

func (srv *server) analyze(w http.ResponseWriter, r *http.Request) {
	q, err := queryValues(r)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	a, err := Analyze(q.Get("analyzer"), q.Get("text"))
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	srv.writeJSON(w, r, a)
}

// queryValues parses the query string of r. Unlike r.URL.Query, which
// drops the parameters it cannot decode (a filter would then be ignored),
// it fails with a 400 *Error on a bad percent-encoding.
func queryValues(r *http.Request) (url.Values, error) {
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, &Error{Status: http.StatusBadRequest, Code: "bad_request",
			Message: "query string: " + err.Error() + " (encode parameters with percent-encoding of UTF-8)", Err: index.ErrBadRequest}
	}
	return v, nil
}

func (srv *server) healthz(w http.ResponseWriter, r *http.Request) {
	srv.writeJSON(w, r, map[string]string{"status": "ok"})
}

func (srv *server) notFound(w http.ResponseWriter, r *http.Request) {
	srv.writeError(w, r, &Error{Status: http.StatusNotFound, Code: "not_found",
		Message: fmt.Sprintf("no endpoint %s (see /api/openapi.json)", r.URL.Path)})
}

// writeJSON answers 200 with v.
func (srv *server) writeJSON(w http.ResponseWriter, r *http.Request, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	if err := WriteJSON(w, v); err != nil {
		srv.log.DebugContext(r.Context(), "write answer", "path", r.URL.Path, "err", err)
	}
}

// WriteJSON writes v to w as one line of JSON, as the API answers it: no
// HTML escaping of <, > and & (hit fragments are already escaped HTML with
// <mark> tags), a newline at the end. The command line's --json output
// goes through it too, so both print the same JSON.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("server: encode JSON: %w", err)
	}
	return nil
}

// Error is an API error: its status, its code and a message for the user
// that names the parameter at fault. Handlers answer it as is; other
// errors are mapped by ErrorOf. Its JSON form is the "error" object of an
// error answer.
type Error struct {
	// Status is the HTTP status: 400, 401, 404, 405, 413, 429, 500 or 503.
	Status int `json:"-"`
	// Code is the machine-readable class: "bad_request", "too_expensive",
	// "too_large", "unauthorized", "too_many_requests", "not_found",
	// "method_not_allowed",
	// "internal", "timeout", "canceled", "unavailable", "busy" (503 with
	// Retry-After: too many expensive searches at once, index.ErrBusy).
	Code string `json:"code"`
	// Message is for the user; it starts with the parameter at fault.
	Message string `json:"message"`
	// Param is the parameter at fault ("size", "q"), if any.
	Param string `json:"param,omitempty"`
	// Position is, for an error of the query text, the 1-based character
	// position in q of the problem (0: none).
	Position int `json:"position,omitempty"`
	// Kind is, for an error of the query text, what is wrong with it: one
	// of the index.Kind constants ("unclosed_quote", "prefix_too_short").
	Kind string `json:"kind,omitempty"`
	// Limit is, for a parameter past a limit, that limit: the most hits
	// paged (index.MaxWindow) for a page too far, index.MaxSize for size,
	// index.MaxQueryLen characters for q (0: none).
	Limit int `json:"limit,omitempty"`
	// Err is the cause, if any, for errors.Is.
	Err error `json:"-"`
}

// Error returns the message.
func (e *Error) Error() string { return e.Message }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// errorBody is the JSON of an error answer.
type errorBody struct {
	Error *Error `json:"error"`
}

// ErrorOf maps err to the API error it answers: an *Error as is, an
// *index.RequestError as a 400 naming its field (413 "too_large" for a
// query too long), an *index.QueryError as a 400 with the position and
// kind of the problem in q, the index's other errors by their sentinel.
// Errors it does not know are 500 "internal error": their text is not
// shown, since it may name server paths.
func ErrorOf(err error) *Error {
	var (
		e  *Error
		re *index.RequestError
		qe *index.QueryError
	)
	switch {
	case errors.As(err, &e):
		return e
	case errors.As(err, &re):
		out := &Error{Status: http.StatusBadRequest, Code: "bad_request", Param: re.Field, Message: re.Field + ": " + re.Reason, Limit: re.Limit, Err: err}
		if errors.Is(err, index.ErrTooLong) {
			out.Status, out.Code = http.StatusRequestEntityTooLarge, "too_large"
		}
		return out
	case errors.As(err, &qe):
		out := &Error{Status: http.StatusBadRequest, Code: "bad_request", Param: "q", Message: queryMessage(qe),
			Position: qe.Pos, Kind: qe.Kind, Err: err}
		if errors.Is(err, index.ErrTooExpensive) {
			out.Code = "too_expensive"
		}
		return out
	}
	status, code, message := http.StatusInternalServerError, "internal", "internal error"
	switch {
	case errors.Is(err, index.ErrTooExpensive):
		status, code, message = http.StatusBadRequest, "too_expensive", queryMessage(err)
	case errors.Is(err, index.ErrEmptyQuery), errors.Is(err, index.ErrBadQuery):
		status, code, message = http.StatusBadRequest, "bad_request", queryMessage(err)
	case errors.Is(err, index.ErrBadRequest), errors.Is(err, corpus.ErrBadDate):
		// "index: bad request: cursor: ..." names the parameter first.
		status, code, message = http.StatusBadRequest, "bad_request", strings.TrimPrefix(err.Error(), index.ErrBadRequest.Error()+": ")
	case errors.Is(err, index.ErrNotFound):
		status, code, message = http.StatusNotFound, "not_found", err.Error()
	case errors.Is(err, index.ErrBusy):
		status, code, message = http.StatusServiceUnavailable, "busy", "too many expensive searches (many prefixes) at once; try again in a moment (Retry-After) or narrow the query"
	case errors.Is(err, context.DeadlineExceeded):
		status, code, message = http.StatusServiceUnavailable, "timeout", "the search took too long; narrow the query or try again"
	case errors.Is(err, context.Canceled):
		status, code, message = http.StatusServiceUnavailable, "canceled", "the request was canceled"
	case errors.Is(err, index.ErrClosed):
		status, code, message = http.StatusServiceUnavailable, "unavailable", "the index is closed; the server is shutting down"
	}
	return &Error{Status: status, Code: code, Message: message, Err: err}
}

// StatusOf returns the HTTP status, the code and the user message of err,
// as ErrorOf maps it.
func StatusOf(err error) (status int, code, message string) {
	e := ErrorOf(err)
	return e.Status, e.Code, e.Message
}

// queryMessage names the parameter q in the message of an error of the
// query text ("q: bad query: unclosed quote at 7").
func queryMessage(err error) string {
	return "q: " + strings.TrimPrefix(err.Error(), "index: ")
}

// writeError answers err as JSON with the status ErrorOf gives it, and
// logs the errors that are the server's fault.
func (srv *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := ErrorOf(err)
	status, code := e.Status, e.Code
	var busy *index.BusyError
	if errors.As(err, &busy) {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(busy.RetryAfter.Seconds()))))
	}
	switch {
	case code == "busy":
		// The access log counts them; an error line each would flood the
		// log under the load that causes them.
		srv.log.DebugContext(r.Context(), "search refused: busy", "path", r.URL.Path, "err", err)
	case status >= 500 && code != "canceled":
		srv.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path,
			"status", status, "err", err)
	case status >= 500:
		srv.log.DebugContext(r.Context(), "request canceled", "path", r.URL.Path, "err", err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	if err := WriteJSON(w, errorBody{Error: e}); err != nil {
		srv.log.DebugContext(r.Context(), "write error answer", "path", r.URL.Path, "err", err)
	}
}
