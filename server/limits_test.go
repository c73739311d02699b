package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/rapports/rapports/corpus"
	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/server"
)

// TestBusy runs the server over an index that lets one expensive search
// run at a time, with no queue: while an expensive search holds the turn,
// another answers 503 "busy" with Retry-After (and the Client returns
// index.ErrBusy), a cheap one answers 200; once the turn is free, the
// expensive one answers 200.
func TestBusy(t *testing.T) {
	idx, err := index.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	const letters = "abcdefghijlmnoprstuv"
	var body strings.Builder
	for i := range index.ExpensivePrefixTerms + 100 {
		body.WriteString("pa")
		for n, k := i, 0; k < 3; n, k = n/len(letters), k+1 {
			body.WriteByte(letters[n%len(letters)])
		}
		body.WriteByte(' ')
	}
	body.WriteString("défense")
	ctx := context.Background()
	if err := idx.Add(ctx, corpus.Report{ID: "r", Title: "Rapport", Body: body.String()}); err != nil {
		t.Fatal(err)
	}
	idx.SetLimits(index.Limits{Expensive: 1, Queue: -1})
	srv := httptest.NewServer(server.New(idx, server.Options{}, nil))
	defer srv.Close()

	held, release := make(chan struct{}), make(chan struct{})
	scanned := make(chan error, 1)
	go func() {
		_, err := idx.Scan(ctx, index.Request{Query: "pa*"}, index.ScanOptions{}, func(index.Record) error {
			close(held)
			<-release
			return nil
		})
		scanned <- err
	}()
	<-held
	get := func(q string) (*http.Response, map[string]map[string]any) {
		t.Helper()
		resp, err := http.Get(srv.URL + "/api/search?q=" + q)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var v map[string]map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&v)
		return resp, v
	}
	resp, v := get("pa*")
	secs, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if resp.StatusCode != http.StatusServiceUnavailable || v["error"]["code"] != "busy" || err != nil || secs < 1 {
		t.Errorf("expensive search while the turn is held: %d, Retry-After %q, %v; want 503, a number of seconds, code busy",
			resp.StatusCode, resp.Header.Get("Retry-After"), v)
	}
	c, err := server.NewClient(srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Search(ctx, index.Request{Query: "pa*"}); !errors.Is(err, index.ErrBusy) {
		t.Errorf("Client.Search while the turn is held: %v; want index.ErrBusy", err)
	}
	if resp, v := get("d%C3%A9fense"); resp.StatusCode != http.StatusOK {
		t.Errorf("cheap search while the turn is held: %d %v; want 200", resp.StatusCode, v)
	}
	close(release)
	if err := <-scanned; err != nil {
		t.Fatal(err)
	}
	if resp, v := get("pa*"); resp.StatusCode != http.StatusOK || resp.Header.Get("Retry-After") != "" {
		t.Errorf("expensive search once the turn is free: %d %v; want 200", resp.StatusCode, v)
	}
}
