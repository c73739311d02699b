package server

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"github.com/rapports/rapports/index"
)

// ReindexPath is the admin route that re-indexes at once. It exists only
// when Options.Reindexer and Options.AdminToken are set, and only answers
// POST with the token.
const ReindexPath = "/api/admin/reindex"

// Reindexer re-indexes the server's corpus on demand: the backend of the
// admin route (rapports serve --watch gives its watcher).
type Reindexer interface {
	// Reindex indexes the corpus now, even if nothing seems to have
	// changed, and returns the run's counts.
	Reindex(ctx context.Context) (index.AddStats, error)
}

// ReindexAnswer is the JSON answer of POST ReindexPath.
type ReindexAnswer struct {
	Added      int     `json:"added"`
	Updated    int     `json:"updated"`
	Unchanged  int     `json:"unchanged"`
	Removed    int     `json:"removed"`
	Failed     int     `json:"failed"`
	DurationMS float64 `json:"duration_ms"`
	Canceled   bool    `json:"canceled,omitempty"`
}

// reindex serves ReindexPath: POST with the header "Authorization: Bearer
// TOKEN" re-indexes at once and answers its summary; without the token it
// answers 401 (the middleware answers 405 to other methods).
func (srv *server) reindex(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(srv.adminToken)) != 1 {
		srv.log.WarnContext(r.Context(), "admin: refused", "path", r.URL.Path, "remote", r.RemoteAddr)
		h.Set("WWW-Authenticate", `Bearer realm="rapports"`)
		srv.writeError(w, r, &Error{Status: http.StatusUnauthorized, Code: "unauthorized",
			Message: "missing or wrong token (want the header \"Authorization: Bearer TOKEN\" with serve's --token)"})
		return
	}
	st, err := srv.reindexer.Reindex(r.Context())
	if err != nil {
		status, code := http.StatusInternalServerError, "internal"
		if errors.Is(err, context.Canceled) || errors.Is(err, index.ErrClosed) {
			status, code = http.StatusServiceUnavailable, "unavailable"
		}
		srv.writeError(w, r, &Error{Status: status, Code: code, Message: "re-index failed (see the server log)", Err: err})
		return
	}
	srv.log.InfoContext(r.Context(), "admin: reindexed", "remote", r.RemoteAddr)
	srv.writeJSON(w, r, ReindexAnswer{
		Added: st.Added, Updated: st.Updated, Unchanged: st.Unchanged, Removed: st.Removed, Failed: st.Failed,
		DurationMS: float64(st.Duration.Microseconds()) / 1000, Canceled: st.Canceled,
	})
}
