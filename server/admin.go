package server

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rapports/rapports/index"
)

// ReindexPath is the admin route that re-indexes at once. It exists only
// when Options.Reindexer and Options.AdminToken are set, and only answers
// POST with the token.
const ReindexPath = "/api/admin/reindex"

// Defaults of the admin route's guard against guessed tokens.
const (
	// DefaultAdminTries is how many refused tries a client (an IP
	// address) may make per DefaultAdminWindow before the route answers
	// it 429 without looking at its token.
	DefaultAdminTries = 5
	// DefaultAdminWindow is the window of DefaultAdminTries, and the
	// period of the log's summary of refused tries.
	DefaultAdminWindow = time.Minute
)

// maxAdminClients bounds the clients whose refused tries are counted: past
// it, the clients whose window has ended are forgotten, and if all are
// current, a new client is not counted (the log still is).
const maxAdminClients = 10_000

// Reindexer re-indexes the server's corpus on demand: the backend of the
// admin route (rapports serve --watch gives its watcher).
type Reindexer interface {
	// Reindex indexes the corpus now, even if nothing seems to have
	// changed, and returns the run's counts. The server calls it with a
	// context that is not canceled when the client goes away: a run
	// goes on to its end unless the Reindexer itself stops it (serve
	// stops it when it shuts down), and then returns AddSummary.Canceled.
	Reindex(ctx context.Context) (index.AddSummary, error)
}

// ReindexAnswer is the JSON answer of POST ReindexPath: what a whole run
// did. A run stopped before its end (the server shutting down) answers
// 503 "canceled" instead.
type ReindexAnswer struct {
	Added      int     `json:"added"`
	Updated    int     `json:"updated"`
	Unchanged  int     `json:"unchanged"`
	Removed    int     `json:"removed"`
	Failed     int     `json:"failed"`
	DurationMS float64 `json:"duration_ms"`
}

// adminGuard counts the refused tries of the admin route: per client, to
// answer 429 past the limit, and in all, to log one line per window
// instead of one per try.
type adminGuard struct {
	tries  int
	window time.Duration
	log    *slog.Logger
	now    func() time.Time

	mu      sync.Mutex
	clients map[string]*adminClient
	// Log state: a window opens at a logged refusal; the refusals during
	// it are counted and logged in one line when it ends.
	logOpen         bool
	quiet, quietTTL int // refused and blocked tries not logged yet
	quietClients    map[string]struct{}
}

// adminClient is one client's refused tries in its current window.
type adminClient struct {
	start time.Time
	n     int
}

func newAdminGuard(tries int, window time.Duration, log *slog.Logger) *adminGuard {
	if tries <= 0 {
		tries = DefaultAdminTries
	}
	if window <= 0 {
		window = DefaultAdminWindow
	}
	return &adminGuard{tries: tries, window: window, log: log, now: time.Now,
		clients: map[string]*adminClient{}, quietClients: map[string]struct{}{}}
}

// clientOf is the client a request counts for: its IP address.
func clientOf(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// blocked reports whether client used up its tries, and when it may try
// again.
func (g *adminGuard) blocked(client string) (time.Duration, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	c := g.clients[client]
	if c == nil {
		return 0, false
	}
	if end := c.start.Add(g.window); !now.Before(end) {
		delete(g.clients, client)
		return 0, false
	} else if c.n >= g.tries {
		return end.Sub(now), true
	}
	return 0, false
}

// refused counts a refused try of client (blocked: answered 429 without
// looking at its token) and logs it: the first of a window at once, the
// others in one line at the window's end.
func (g *adminGuard) refused(ctx context.Context, client, path string, blocked bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	if !blocked {
		c := g.clients[client]
		if c == nil || !now.Before(c.start.Add(g.window)) {
			if len(g.clients) >= maxAdminClients {
				g.forgetLocked(now)
			}
			if len(g.clients) < maxAdminClients {
				c = &adminClient{start: now}
				g.clients[client] = c
			}
		}
		if c != nil {
			c.n++
		}
	}
	if !g.logOpen {
		g.logOpen = true
		g.log.WarnContext(ctx, "admin: refused", "path", path, "remote", client, "blocked", blocked,
			"next_log_in", g.window)
		time.AfterFunc(g.window, g.summary)
		return
	}
	g.quiet++
	if blocked {
		g.quietTTL++
	}
	if len(g.quietClients) < maxAdminClients {
		g.quietClients[client] = struct{}{}
	}
}

// summary logs the refusals of the window that ends, and opens the next
// window if there were any (a flood gets one line per window).
func (g *adminGuard) summary() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.quiet == 0 {
		g.logOpen = false
		return
	}
	g.log.Warn("admin: refused", "path", ReindexPath, "count", g.quiet, "blocked", g.quietTTL,
		"clients", len(g.quietClients), "in_last", g.window)
	g.quiet, g.quietTTL = 0, 0
	clear(g.quietClients)
	time.AfterFunc(g.window, g.summary)
}

// forgetLocked drops the clients whose window has ended.
func (g *adminGuard) forgetLocked(now time.Time) {
	for k, c := range g.clients {
		if !now.Before(c.start.Add(g.window)) {
			delete(g.clients, k)
		}
	}
}

// accepted forgets client's refused tries.
func (g *adminGuard) accepted(client string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.clients, client)
}

// reindex serves ReindexPath: POST with the header "Authorization: Bearer
// TOKEN" re-indexes at once and answers its summary; without the token it
// answers 401, and 429 with Retry-After to a client past its tries (the
// middleware answers 405 to other methods). The run does not depend on the
// client: it goes on when the client goes away, and is logged either way;
// a run stopped by the server answers 503 "canceled".
func (srv *server) reindex(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	client := clientOf(r)
	if wait, blocked := srv.admin.blocked(client); blocked {
		srv.admin.refused(r.Context(), client, r.URL.Path, true)
		secs := max(1, int(math.Ceil(wait.Seconds())))
		h.Set("Retry-After", strconv.Itoa(secs))
		srv.writeError(w, r, &Error{Status: http.StatusTooManyRequests, Code: "too_many_requests",
			Message: fmt.Sprintf("too many refused tries from %s: try again in %d s", client, secs)})
		return
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(srv.adminToken)) != 1 {
		srv.admin.refused(r.Context(), client, r.URL.Path, false)
		h.Set("WWW-Authenticate", `Bearer realm="rapports"`)
		srv.writeError(w, r, &Error{Status: http.StatusUnauthorized, Code: "unauthorized",
			Message: "missing or wrong token (want the header \"Authorization: Bearer TOKEN\", TOKEN as given to serve by --token-file or RAPPORTS_TOKEN)"})
		return
	}
	srv.admin.accepted(client)
	ctx := context.WithoutCancel(r.Context())
	st, err := srv.reindexer.Reindex(ctx)
	gone := r.Context().Err() != nil
	if err != nil {
		status, code := http.StatusInternalServerError, "internal"
		if errors.Is(err, context.Canceled) || errors.Is(err, index.ErrClosed) {
			status, code = http.StatusServiceUnavailable, "unavailable"
		}
		srv.log.ErrorContext(ctx, "admin: reindex failed", "remote", r.RemoteAddr, "err", err, "client_gone", gone)
		srv.writeError(w, r, &Error{Status: status, Code: code, Message: "re-index failed (see the server log)", Err: err})
		return
	}
	counts := []any{"remote", r.RemoteAddr, "added", st.Added, "updated", st.Updated, "unchanged", st.Unchanged,
		"removed", st.Removed, "failed", st.Failed, "duration", st.Duration.Round(time.Millisecond), "client_gone", gone}
	if st.Canceled {
		srv.log.WarnContext(ctx, "admin: reindex canceled before its end", counts...)
		srv.writeError(w, r, &Error{Status: http.StatusServiceUnavailable, Code: "canceled",
			Message: fmt.Sprintf("re-index canceled before its end (the server is stopping): %d added, %d updated so far; nothing removed; run it again", st.Added, st.Updated),
			Err:     context.Canceled})
		return
	}
	srv.log.InfoContext(ctx, "admin: reindexed", counts...)
	srv.writeJSON(w, r, ReindexAnswer{
		Added: st.Added, Updated: st.Updated, Unchanged: st.Unchanged, Removed: st.Removed, Failed: st.Failed,
		DurationMS: float64(st.Duration.Microseconds()) / 1000,
	})
}
