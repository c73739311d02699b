package main

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rapports/rapports/index"
)

// TestSearchInterrupted checks that Ctrl-C during a search exits with
// status 130 and says "interrupted". The search is made to wait: the index
// is held by this process, and its serve.json points to a server whose
// /api/search answers only when the request is canceled.
func TestSearchInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	env := isolated(t)
	dir := filepath.Join(t.TempDir(), "idx")
	idx, err := index.Open(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	asked := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"status":"ok"}`))
			return
		}
		asked <- struct{}{}
		<-r.Context().Done() // a search that takes forever
	}))
	defer srv.Close()
	if err := writeServeInfo(dir, serveInfo{URL: srv.URL + "/", PID: os.Getpid(), Started: time.Now()}); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "search", "--index", dir, "armée")
	cmd.Env = append(os.Environ(), env...)
	var errOut strings.Builder
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-asked:
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("search never asked the server; stderr: %s", errOut.String())
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted || !strings.HasSuffix(errOut.String(), "rapports: interrupted\n") {
		t.Errorf("search after SIGINT: %v, stderr %q; want exit status 130 and \"rapports: interrupted\"", err, errOut.String())
	}
}
