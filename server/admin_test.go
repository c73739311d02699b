package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/server"
)

// logBuffer collects a server's JSON log lines, safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines returns the decoded log lines whose message is msg.
func (b *logBuffer) lines(t *testing.T, msg string) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(b.buf.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		if m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}

func newLogBuffer() (*logBuffer, *slog.Logger) {
	b := &logBuffer{}
	return b, slog.New(slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// adminPost sends POST ReindexPath from remote (an IP address) with the
// token (none if empty) and returns the recorded answer.
func adminPost(h http.Handler, remote, token string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", server.ReindexPath, nil)
	req.RemoteAddr = remote + ":40000"
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// errorCode returns the code of a JSON error answer ("" for none).
func errorCode(rec *httptest.ResponseRecorder) string {
	var body struct{ Error struct{ Code string } }
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
	return body.Error.Code
}

// TestAdminTooManyTries checks the guard against guessed tokens: past its
// tries a client gets 429 with Retry-After, even with the right token,
// other clients are not affected, and the refused tries of a window make
// one log line.
func TestAdminTooManyTries(t *testing.T) {
	logs, log := newLogBuffer()
	ri := &reindexer{}
	h := server.New(&mock{}, server.Options{Reindexer: ri, AdminToken: "s3cret", AdminTries: 3, AdminWindow: time.Hour}, log)
	for i, tc := range []struct {
		remote, token string
		status        int
		code          string
	}{
		{"192.0.2.7", "faux1", 401, "unauthorized"},
		{"192.0.2.7", "", 401, "unauthorized"},
		{"192.0.2.7", "faux3", 401, "unauthorized"},
		{"192.0.2.7", "faux4", 429, "too_many_requests"},
		{"192.0.2.7", "s3cret", 429, "too_many_requests"}, // the token is not looked at
		{"198.51.100.1", "s3cret", 200, ""},               // another client
		{"198.51.100.1", "faux", 401, "unauthorized"},
	} {
		rec := adminPost(h, tc.remote, tc.token)
		if rec.Code != tc.status || errorCode(rec) != tc.code {
			t.Errorf("try %d from %s: %d %s; want %d %q", i+1, tc.remote, rec.Code, rec.Body, tc.status, tc.code)
		}
		if tc.status == 429 {
			secs, err := strconv.Atoi(rec.Header().Get("Retry-After"))
			if err != nil || secs < 1 || secs > 3600 {
				t.Errorf("try %d: Retry-After %q; want 1 to 3600 seconds", i+1, rec.Header().Get("Retry-After"))
			}
		}
	}
	if ri.runs != 1 {
		t.Errorf("%d runs; want 1 (the other client's)", ri.runs)
	}
	if got := logs.lines(t, "admin: refused"); len(got) != 1 {
		t.Errorf("%d log lines for 6 refused tries within the window; want 1: %v", len(got), got)
	}
}

// TestAdminRefusalLog floods the route with wrong tokens and checks that
// the log says how many tries were refused, in a few lines.
func TestAdminRefusalLog(t *testing.T) {
	logs, log := newLogBuffer()
	h := server.New(&mock{}, server.Options{Reindexer: &reindexer{}, AdminToken: "s3cret", AdminTries: 1, AdminWindow: 50 * time.Millisecond}, log)
	const tries = 400
	for i := range tries {
		rec := adminPost(h, fmt.Sprintf("203.0.113.%d", i%7), "faux")
		if rec.Code != 401 && rec.Code != 429 {
			t.Fatalf("try %d: %d %s; want 401 or 429", i, rec.Code, rec.Body)
		}
	}
	deadline := time.Now().Add(time.Minute)
	for {
		lines := logs.lines(t, "admin: refused")
		n := 0
		for _, l := range lines {
			if c, ok := l["count"].(float64); ok {
				n += int(c)
			} else {
				n++ // the first line of a window is one try
			}
		}
		if n == tries {
			if len(lines) >= tries/2 {
				t.Errorf("%d log lines for %d refused tries; want a few", len(lines), tries)
			}
			t.Logf("%d refused tries logged in %d lines", tries, len(lines))
			return
		}
		if n > tries || time.Now().After(deadline) {
			t.Fatalf("the log counts %d refused tries in %d lines; want %d", n, len(lines), tries)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// slowReindexer runs until released, and records whether its context was
// canceled meanwhile.
type slowReindexer struct {
	started, release chan struct{}
	ctxErr           chan error
	stats            index.AddSummary
}

func (r *slowReindexer) Reindex(ctx context.Context) (index.AddSummary, error) {
	close(r.started)
	<-r.release
	r.ctxErr <- ctx.Err()
	return r.stats, nil
}

// TestAdminClientGone checks that a client going away does not stop the
// run, and that the log says the run ended and the client was gone.
func TestAdminClientGone(t *testing.T) {
	logs, log := newLogBuffer()
	ri := &slowReindexer{started: make(chan struct{}), release: make(chan struct{}), ctxErr: make(chan error, 1),
		stats: index.AddSummary{Added: 7}}
	api := httptest.NewServer(server.New(&mock{}, server.Options{Reindexer: ri, AdminToken: "s3cret"}, log))
	defer api.Close()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", api.URL+server.ReindexPath, nil)
	req.Header.Set("Authorization", "Bearer s3cret")
	errc := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	<-ri.started
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("client: %v; want canceled", err)
	}
	time.Sleep(50 * time.Millisecond) // let the server see the connection close
	close(ri.release)
	if err := <-ri.ctxErr; err != nil {
		t.Errorf("the run's context was %v when the client went away; want it to go on", err)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		lines := logs.lines(t, "admin: reindexed")
		if len(lines) == 1 {
			if lines[0]["added"] != 7.0 {
				t.Errorf("log %v; want added 7", lines[0])
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no \"admin: reindexed\" line after the run")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// canceledReindexer returns a run stopped half-way.
type canceledReindexer struct{}

func (canceledReindexer) Reindex(context.Context) (index.AddSummary, error) {
	return index.AddSummary{Added: 3529, Canceled: true}, nil
}

// TestAdminCanceled checks that a run stopped before its end answers 503
// "canceled" and is logged as such, never as "admin: reindexed".
func TestAdminCanceled(t *testing.T) {
	logs, log := newLogBuffer()
	h := server.New(&mock{}, server.Options{Reindexer: canceledReindexer{}, AdminToken: "s3cret"}, log)
	rec := adminPost(h, "192.0.2.1", "s3cret")
	if rec.Code != 503 || errorCode(rec) != "canceled" || !strings.Contains(rec.Body.String(), "3529 added") {
		t.Errorf("canceled run: %d %s; want 503 canceled naming 3529 added", rec.Code, rec.Body)
	}
	if n := len(logs.lines(t, "admin: reindexed")); n != 0 {
		t.Errorf("a canceled run logged \"admin: reindexed\" %d times", n)
	}
	if n := len(logs.lines(t, "admin: reindex canceled before its end")); n != 1 {
		t.Errorf("a canceled run logged %d cancel lines; want 1", n)
	}
}

// TestOpenAPIAdminAnswers validates every answer of the admin route
// against openapi.json: the status is listed and the body matches.
func TestOpenAPIAdminAnswers(t *testing.T) {
	doc := loadOpenAPI(t)
	v := &validator{schemas: doc.Components.Schemas}
	op := doc.Paths[server.ReindexPath]["post"]
	ok := server.New(&mock{}, server.Options{Reindexer: &reindexer{}, AdminToken: "s3cret", AdminTries: 1}, nil)
	failing := server.New(&mock{}, server.Options{Reindexer: &reindexer{err: errors.New("disk")}, AdminToken: "s3cret"}, nil)
	canceled := server.New(&mock{}, server.Options{Reindexer: canceledReindexer{}, AdminToken: "s3cret"}, nil)
	for _, tc := range []struct {
		h      http.Handler
		remote string
		token  string
		status int
	}{
		{ok, "192.0.2.1", "s3cret", 200},
		{ok, "192.0.2.2", "faux", 401},
		{ok, "192.0.2.2", "faux", 429},
		{failing, "192.0.2.1", "s3cret", 500},
		{canceled, "192.0.2.1", "s3cret", 503},
	} {
		rec := adminPost(tc.h, tc.remote, tc.token)
		if rec.Code != tc.status {
			t.Errorf("POST %s: %d %s; want %d", server.ReindexPath, rec.Code, rec.Body, tc.status)
			continue
		}
		resp, found := op.Responses[strconv.Itoa(rec.Code)]
		if !found {
			t.Errorf("openapi.json: POST %s does not list the answer %d it gives (%s)", server.ReindexPath, rec.Code, rec.Body)
			continue
		}
		if err := v.validateJSON(resp.Content["application/json"].Schema, rec.Body.Bytes()); err != nil {
			t.Errorf("POST %s %d: the answer does not match openapi.json: %v\n%s", server.ReindexPath, rec.Code, err, rec.Body)
		}
	}
}
