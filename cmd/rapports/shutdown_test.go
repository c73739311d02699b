package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestShutdownUnusedConns checks that a connection which never sends a
// request does not hold the shutdown (http.Server.Shutdown alone waits 5
// seconds for it, past the 2 s given here), while a request under way
// still gets its whole answer.
func TestShutdownUnusedConns(t *testing.T) {
	for _, tc := range []struct {
		name     string
		inFlight bool
	}{
		{"unused connection only", false},
		{"unused connection and a request under way", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			started := make(chan struct{})
			unused := &unusedConns{}
			srv := &http.Server{
				Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					close(started)
					time.Sleep(300 * time.Millisecond)
					io.WriteString(w, "fini")
				}),
				ConnState: unused.track,
			}
			served := make(chan error, 1)
			go func() { served <- srv.Serve(ln) }()

			idle, err := net.Dial("tcp", ln.Addr().String()) // sends nothing
			if err != nil {
				t.Fatal(err)
			}
			defer idle.Close()

			answer := make(chan string, 1)
			if tc.inFlight {
				go func() {
					resp, err := http.Get("http://" + ln.Addr().String() + "/")
					if err != nil {
						answer <- "error: " + err.Error()
						return
					}
					defer resp.Body.Close()
					b, _ := io.ReadAll(resp.Body)
					answer <- string(b)
				}()
				<-started
			}
			// Let the server see the unused connection before shutting down.
			deadline := time.Now().Add(5 * time.Second)
			for {
				unused.mu.Lock()
				n := len(unused.conns)
				unused.mu.Unlock()
				if n > 0 || time.Now().After(deadline) {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}

			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			if err := shutdown(ctx, srv, unused); err != nil {
				t.Fatalf("shutdown with a connection that sent no request: %v; want nil", err)
			}
			if err := <-served; err != http.ErrServerClosed {
				t.Errorf("Serve after shutdown: %v; want %v", err, http.ErrServerClosed)
			}
			if tc.inFlight {
				if got := <-answer; got != "fini" {
					t.Errorf("request under way during shutdown: %q; want \"fini\"", got)
				}
			}
			// The unused connection was closed by the server.
			idle.SetReadDeadline(time.Now().Add(2 * time.Second))
			if _, err := idle.Read(make([]byte, 1)); err != io.EOF {
				t.Errorf("read on the unused connection after shutdown: %v; want EOF", err)
			}
		})
	}
}
