package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/server"
)

// apiGet gets path from a served rapports and returns its status and body.
func apiGet(base, path string) (int, string, error) {
	resp, err := http.Get(base + strings.TrimPrefix(path, "/"))
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// searchTotal returns the number of hits of q.
func searchTotal(base, q string) (uint64, error) {
	status, body, err := apiGet(base, "/api/search?highlight=false&q="+url.QueryEscape(q))
	if err != nil {
		return 0, err
	}
	if status != 200 {
		return 0, fmt.Errorf("search %q: %d %s", q, status, body)
	}
	var res index.Result
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		return 0, fmt.Errorf("search %q: %w", q, err)
	}
	return res.Total, nil
}

// eventually polls cond until it holds, failing after a minute.
func eventually(t *testing.T, what string, cond func() (bool, error)) time.Duration {
	t.Helper()
	start := time.Now()
	for time.Since(start) < time.Minute {
		ok, err := cond()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if ok {
			return time.Since(start)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: not seen after a minute", what)
	return 0
}

// TestServeWatch runs "serve --watch" on a folder, adds, changes and
// deletes reports in it, and waits for the API to show each change, while
// other clients search and read the changing document without pause: none
// of their requests may fail, and the document is always the old or the
// new version, whole.
func TestServeWatch(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	env := isolated(t)
	root := t.TempDir()
	docs := filepath.Join(root, "docs")
	if err := os.MkdirAll(docs, 0o755); err != nil {
		t.Fatal(err)
	}
	const v1 = "date 2024-03\ntitle: Première version\n\nLe barrage du fleuve protège la vallée : version ancienne alpaga.\n"
	const v2 = "date 2024-04\ntitle: Seconde version\n\nLe barrage du fleuve a cédé : version nouvelle lamantin.\n"
	write := func(name, body string) {
		t.Helper()
		p := filepath.Join(docs, name)
		tmp := filepath.Join(docs, ".tmp-"+name)
		if err := os.WriteFile(tmp, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, p); err != nil {
			t.Fatal(err)
		}
	}
	write("base.txt", "date 2023\ntitle: Base\n\nUn rapport présent dès le départ sur le fleuve.\n")

	tokenFile := filepath.Join(root, "token")
	if err := os.WriteFile(tokenFile, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := startServe(t, env, "--index", filepath.Join(root, "idx"), "--watch", docs, "--interval", "100ms", "--token-file", tokenFile)
	eventually(t, "the report present at start", func() (bool, error) {
		n, err := searchTotal(srv.url, "fleuve")
		return n == 1, err
	})

	// Readers: searches and the changing document, all the time.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var requests, failures atomic.Int64
	var failMu sync.Mutex
	var failed []string
	fail := func(format string, args ...any) {
		failures.Add(1)
		failMu.Lock()
		if len(failed) < 10 {
			failed = append(failed, fmt.Sprintf(format, args...))
		}
		failMu.Unlock()
	}
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				requests.Add(2)
				if _, err := searchTotal(srv.url, "barrage fleuve"); err != nil {
					fail("%v", err)
				}
				status, body, err := apiGet(srv.url, "/api/documents/rapport.txt")
				switch {
				case err != nil:
					fail("document: %v", err)
				case status == 404:
				case status != 200:
					fail("document: %d %s", status, body)
				default:
					var d index.Document
					if err := json.Unmarshal([]byte(body), &d); err != nil {
						fail("document: %v", err)
					} else if !(d.Title == "Première version" && strings.Contains(v1, d.Body) && d.Date == "2024-03") &&
						!(d.Title == "Seconde version" && strings.Contains(v2, d.Body) && d.Date == "2024-04") {
						fail("document is neither version: %+v", d)
					}
				}
			}
		})
	}

	write("rapport.txt", v1)
	took := eventually(t, "the added report", func() (bool, error) {
		n, err := searchTotal(srv.url, "alpaga")
		return n == 1, err
	})
	t.Logf("added report searchable after %v", took.Round(time.Millisecond))

	write("rapport.txt", v2)
	took = eventually(t, "the changed report", func() (bool, error) {
		n1, err := searchTotal(srv.url, "alpaga")
		if err != nil {
			return false, err
		}
		n2, err := searchTotal(srv.url, "lamantin")
		return n1 == 0 && n2 == 1, err
	})
	t.Logf("changed report searchable after %v", took.Round(time.Millisecond))

	// Many reports at once, while the readers go on.
	var lines strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&lines, `{"id": "lot-%d", "text": "Dépêche %d sur le barrage du fleuve et la crue."}`+"\n", i, i)
	}
	write("lot.jsonl", lines.String())
	took = eventually(t, "3000 reports of a JSON Lines file", func() (bool, error) {
		n, err := searchTotal(srv.url, "crue")
		return n == 3000, err
	})
	t.Logf("3000 reports searchable after %v", took.Round(time.Millisecond))

	if err := os.Remove(filepath.Join(docs, "rapport.txt")); err != nil {
		t.Fatal(err)
	}
	took = eventually(t, "the deleted report", func() (bool, error) {
		status, _, err := apiGet(srv.url, "/api/documents/rapport.txt")
		return status == 404, err
	})
	t.Logf("deleted report gone after %v", took.Round(time.Millisecond))

	close(stop)
	wg.Wait()
	t.Logf("%d requests during the updates, %d failed", requests.Load(), failures.Load())
	if failures.Load() > 0 {
		t.Errorf("%d of %d requests failed during the updates: %s", failures.Load(), requests.Load(), strings.Join(failed, "\n"))
	}

	// The admin endpoint: only POST, only with the token.
	post := func(auth string) (int, string) {
		t.Helper()
		req, err := http.NewRequest("POST", srv.url+strings.TrimPrefix(server.ReindexPath, "/"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, tc := range []struct {
		auth   string
		status int
		want   string
	}{
		{"", 401, `"code":"unauthorized"`},
		{"Bearer faux", 401, `"code":"unauthorized"`},
		{"s3cret", 401, `"code":"unauthorized"`},
		{"Bearer s3cret", 200, `"unchanged":3001`},
	} {
		if status, body := post(tc.auth); status != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("POST %s with Authorization %q: %d %s; want %d and %s", server.ReindexPath, tc.auth, status, body, tc.status, tc.want)
		}
	}
	if status, body, _ := apiGet(srv.url, server.ReindexPath); status != 405 {
		t.Errorf("GET %s: %d %s; want 405", server.ReindexPath, status, body)
	}
	srv.stop(t)

	// Without a token there is no admin endpoint: the API is read-only.
	srv = startServe(t, env, "--index", filepath.Join(root, "idx"), "--watch", docs)
	resp, err := http.Post(srv.url+strings.TrimPrefix(server.ReindexPath, "/"), "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 405 {
		t.Errorf("POST %s without a token: %d, want 405", server.ReindexPath, resp.StatusCode)
	}
	srv.stop(t)
}

// TestServeToken checks the ways of giving the admin route's token:
// RAPPORTS_TOKEN works, --token is refused with a message that says the
// ways that do not show the token in ps, and bad token files are refused.
func TestServeToken(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	env := isolated(t)
	root := t.TempDir()
	docs := filepath.Join(root, "docs")
	if err := os.MkdirAll(docs, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(docs, "a.txt"), []byte("Un rapport sur le fleuve.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	idx := filepath.Join(root, "idx")
	srv := startServe(t, append(env, envToken+"=d3env"), "--index", idx, "--watch", docs)
	req, _ := http.NewRequest("POST", srv.url+strings.TrimPrefix(server.ReindexPath, "/"), nil)
	req.Header.Set("Authorization", "Bearer d3env")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"unchanged":1`) {
		t.Errorf("POST %s with the token of %s: %d %s; want 200 and 1 unchanged", server.ReindexPath, envToken, resp.StatusCode, b)
	}
	srv.stop(t)

	write := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(root, name)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"--token", []string{"--watch", docs, "--token", "s3cret"}, []string{"--token is no longer accepted", "ps", "--token-file FILE", envToken}},
		{"empty file", []string{"--watch", docs, "--token-file", write("vide", "\n", 0o600)}, []string{"--token-file", "is empty"}},
		{"two words", []string{"--watch", docs, "--token-file", write("deux", "un deux\n", 0o600)}, []string{"spaces"}},
		{"missing file", []string{"--watch", docs, "--token-file", filepath.Join(root, "absent")}, []string{"--token-file", "no such file"}},
		{"without --watch", []string{"--token-file", write("ok", "s3cret", 0o600)}, []string{"--watch"}},
	} {
		_, errOut, code := runBinary(t, env, append([]string{"serve", "--index", idx, "--addr", "127.0.0.1:0"}, tc.args...)...)
		for _, w := range tc.want {
			if code != 2 || !strings.Contains(errOut, w) {
				t.Errorf("serve %s: exit %d, %q; want 2 and %q", tc.name, code, errOut, w)
			}
		}
	}
}
