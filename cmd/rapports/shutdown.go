package main

import (
	"context"
	"net"
	"net/http"
	"sync"
)

// unusedConns keeps the server's connections that have not sent a request
// yet (http.StateNew). Browsers and Go's HTTP client open such connections
// ahead of need, and some are never used; http.Server.Shutdown counts them
// as active for their first 5 seconds, so one of them held serve's
// shutdown until shutdownTimeout and turned Ctrl-C into an error (seen as
// a flaky exit status 130 in TestServeWatch). closeAll closes them when
// the shutdown starts: no request was read on them, so none is lost, and a
// client whose request was on its way retries it on a new connection.
type unusedConns struct {
	mu      sync.Mutex
	conns   map[net.Conn]struct{}
	closing bool
}

// track is the server's ConnState hook.
func (u *unusedConns) track(c net.Conn, st http.ConnState) {
	u.mu.Lock()
	defer u.mu.Unlock()
	switch st {
	case http.StateNew:
		if u.closing {
			c.Close()
			return
		}
		if u.conns == nil {
			u.conns = make(map[net.Conn]struct{})
		}
		u.conns[c] = struct{}{}
	default:
		delete(u.conns, c)
	}
}

// closeAll closes the connections that have sent no request, and any
// accepted from now on.
func (u *unusedConns) closeAll() {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.closing = true
	for c := range u.conns {
		c.Close()
		delete(u.conns, c)
	}
}

// shutdown stops srv gracefully: it stops accepting, closes the idle and
// unused connections and waits for the requests under way, until ctx is
// done.
func shutdown(ctx context.Context, srv *http.Server, unused *unusedConns) error {
	done := make(chan error, 1)
	go func() { done <- srv.Shutdown(ctx) }()
	unused.closeAll()
	return <-done
}
