package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rapports/rapports/index"
)

// binary is the rapports executable built by TestMain for the end-to-end
// tests ("" if they are skipped).
var binary string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

// buildAndRun builds the binary, unless in -short mode, and runs the tests.
func buildAndRun(m *testing.M) int {
	flag.Parse()
	if testing.Short() {
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "rapports-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "rapports")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// testCorpus writes a small corpus of good and bad files under dir.
func testCorpus(t *testing.T, dir string) {
	t.Helper()
	files := map[string]string{
		"defense/manama.txt": "date 2024-06\ntitle: Réunion des états-majors à Manama\n\n" +
			"Le chef d'état-major de l'armée israélienne a rencontré à Bahreïn ses homologues des armées arabes. " +
			"La coopération dans le domaine de la défense aérienne et de la défense antimissile était au menu.\n",
		"defense/pologne.txt": "date: 2023-09-12\ntitle: L’armée polonaise se réarme\n\n" +
			"Varsovie commande des chars et des obusiers pour faire de l’armée polonaise la première armée de terre d'Europe. " +
			"La Pologne consacre plus de 4 % de son PIB à sa défense.\n",
		"energie/gaz.md": "date: 2022-11\ntitle: Le gaz norvégien remplace le gaz russe\n\n" +
			"La Norvège est devenue le premier fournisseur de gaz de l'Allemagne, loin devant la Russie.\n",
		"flux.jsonl": `{"id": "eco-1", "title": "Inflation au Japon", "date": "2024-02-15", "text": "La Banque du Japon relève ses taux pour la première fois depuis 2007."}` + "\n" +
			`{"id": "eco-2", "title": "Ligne cassée", "date": ` + "\n" +
			`{"id": "eco-3", "title": "Le Sénégal exporte son premier pétrole", "date": "2024-06-11", "text": "Le Sénégal a chargé sa première cargaison de pétrole brut."}` + "\n",
		"casse.json":   `{"title": "Objet JSON tronqué", "text": "La défense`,
		"binaire.txt":  "date 2024-01\n\x00\x01\x02\x00\x00 ELF\x00\x00\x00",
		"notes/.cache": "fichier caché, jamais lu",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// runBinary runs the binary with args and returns its output and exit status.
func runBinary(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("rapports %q: %v", args, err)
	}
	return out.String(), errOut.String(), code
}

// summaryRE reads the counts of an index run's summary line.
var summaryRE = regexp.MustCompile(`(\d+) added, (\d+) updated, (\d+) unchanged, (\d+) removed, (\d+) failed in `)

// counts returns the numbers added, updated, unchanged, removed and failed
// of an index run's output, as "5 0 0 0 3".
func counts(t *testing.T, out string) string {
	t.Helper()
	m := summaryRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no summary line in:\n%s", out)
	}
	return strings.Join(m[1:], " ")
}

// isolated returns an environment that keeps the binary away from the
// user's own index and cache.
func isolated(t *testing.T) []string {
	home := t.TempDir()
	return []string{"HOME=" + home, "XDG_CACHE_HOME=" + filepath.Join(home, "cache"), envIndex + "=", envToken + "=", "NO_COLOR="}
}

func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	env := isolated(t)
	root := t.TempDir()
	docs := filepath.Join(root, "docs")
	idxDir := filepath.Join(root, "idx")
	testCorpus(t, docs)

	// Index, with bad files: they are listed, the rest is indexed, exit 0.
	out, errOut, code := runBinary(t, env, "index", "--index", idxDir, docs)
	if code != 0 {
		t.Fatalf("index: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if got, want := counts(t, out), "5 0 0 0 3"; got != want {
		t.Errorf("index: counts %q, want %q\n%s", got, want, out)
	}
	for _, bad := range []string{"flux.jsonl:2:", "casse.json", "binaire.txt"} {
		if !strings.Contains(out, bad) {
			t.Errorf("index: bad file %s not listed in:\n%s", bad, out)
		}
	}

	// Again: nothing to do. Then change one file and remove another.
	out, _, code = runBinary(t, env, "index", "--index", idxDir, docs)
	if got, want := counts(t, out), "0 0 5 0 3"; code != 0 || got != want {
		t.Errorf("index again: exit %d, counts %q, want 0 and %q", code, got, want)
	}
	if err := os.WriteFile(filepath.Join(docs, "energie/gaz.md"), []byte("date: 2022-12\ntitle: Le gaz norvégien\n\n"+
		"La Norvège remplace la Russie comme fournisseur de gaz de l'Allemagne et de la France.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(docs, "defense/pologne.txt")); err != nil {
		t.Fatal(err)
	}
	out, _, code = runBinary(t, env, "index", "--index", idxDir, docs)
	if got, want := counts(t, out), "0 1 3 1 3"; code != 0 || got != want {
		t.Errorf("index after changes: exit %d, counts %q, want 0 and %q\n%s", code, got, want, out)
	}

	// search --json is the API's JSON.
	out, errOut, code = runBinary(t, env, "search", "--index", idxDir, "--json", "armées")
	if code != 0 {
		t.Fatalf("search --json: exit %d: %s", code, errOut)
	}
	var res index.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("search --json: %v in:\n%s", err, out)
	}
	if res.Total != 1 || len(res.Hits) != 1 || !strings.HasSuffix(res.Hits[0].ID, "manama.txt") || res.Hits[0].Date != "2024-06" {
		t.Errorf("search --json armées: %+v; want the one hit manama.txt dated 2024-06 (pologne.txt was removed)", res)
	} else if h := res.Hits[0]; len(h.Fragments) == 0 || len(h.Fragments[0].Matches) == 0 || !strings.Contains(strings.Join(h.FragmentsHTML, " "), "<mark>") {
		t.Errorf("search --json armées: fragments %+v / %q have no match", h.Fragments, h.FragmentsHTML)
	} else if f := h.Fragments[0]; strings.ContainsAny(f.Text, "<>") || strings.Contains(f.Text, "&#") {
		t.Errorf("search --json armées: fragment text %q is not plain", f.Text)
	}

	out, _, code = runBinary(t, env, "search", "--index", idxDir, "--json", "--from", "2024", "--sort", "date", "premier OR première")
	res = index.Result{}
	if err := json.Unmarshal([]byte(out), &res); code != 0 || err != nil {
		t.Fatalf("search --from: exit %d, %v:\n%s", code, err, out)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	if want := []string{"eco-1", "eco-3"}; strings.Join(ids, " ") != strings.Join(want, " ") {
		t.Errorf("search --from 2024 --sort date: hits %q, want %q", ids, want)
	}

	// The readable list, without colour when not on a terminal.
	out, _, code = runBinary(t, env, "search", "--index", idxDir, "défense aérienne")
	if code != 0 || !strings.Contains(out, `1 result for "défense aérienne"`) || !strings.Contains(out, "[défense]") ||
		strings.Contains(out, "\x1b[") {
		t.Errorf("search: exit %d, output:\n%s\nwant one plain result with [défense]", code, out)
	}

	// A bad flag: exit 2, naming it.
	_, errOut, code = runBinary(t, env, "search", "--index", idxDir, "--to", "2024-02-30", "gaz")
	if code != 2 || !strings.Contains(errOut, `to: "2024-02-30" is not a date`) {
		t.Errorf("search --to 2024-02-30: exit %d, stderr %q; want 2 and the reason", code, errOut)
	}

	out, _, code = runBinary(t, env, "stats", "--index", idxDir, "--json")
	var st index.Info
	if err := json.Unmarshal([]byte(out), &st); code != 0 || err != nil || st.Documents != 4 {
		t.Errorf("stats --json: exit %d, %v, %+v; want 4 documents", code, err, st)
	}
	out, _, code = runBinary(t, env, "stats", "--index", idxDir)
	if code != 0 || !regexp.MustCompile(`Documents\s+4\n`).MatchString(out) || !strings.Contains(out, "to 2024-06-11") {
		t.Errorf("stats: exit %d, output:\n%s", code, out)
	}

	// A search when no index exists says how to make one.
	_, errOut, code = runBinary(t, env, "search", "--index", filepath.Join(root, "absent"), "gaz")
	if code != 2 || !strings.Contains(errOut, "no index in") || !strings.Contains(errOut, "rapports index") {
		t.Errorf("search without an index: exit %d, stderr %q; want 2 and how to make an index", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(root, "absent")); err == nil {
		t.Errorf("search without an index created one")
	}

	cliJSON, _, _ := runBinary(t, env, "search", "--index", idxDir, "--json", "gaz")

	// Serve the index and query the API.
	srv := startServe(t, env, "--index", idxDir)
	api := func(method, path string) (int, http.Header, string) {
		t.Helper()
		req, err := http.NewRequest(method, srv.url+strings.TrimPrefix(path, "/"), nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, resp.Header, string(body)
	}
	statusCases := []struct {
		method, path string
		status       int
		want         string
	}{
		{"GET", "/api/search?q=" + url.QueryEscape("armée israélienne") + "&country=IL", 200, `"id":"defense/manama.txt"`},
		{"GET", "/api/search?q=gaz&to=2021", 200, `"total":0`},
		{"GET", "/api/search?q=gaz&to=2022", 200, `"total":1`},
		{"GET", "/api/search?q=gaz&from=2024-13", 400, `{"error":{"code":"bad_request","message":"from: \"2024-13\" is not a date (want YYYY, YYYY-MM or YYYY-MM-DD)","param":"from"}}`},
		{"GET", "/api/search?q=gaz&country=XX", 400, `country: \"XX\" is not an ISO 3166-1 code`},
		{"GET", "/api/search?q=%22gaz", 400, `{"error":{"code":"bad_request","message":"q: bad query: unclosed quote at 1","param":"q","position":1,"kind":"unclosed_quote"}}`},
		{"GET", "/api/search?q=gaz&size=101", 400, `size: 101`},
		{"GET", "/api/search?q=" + strings.Repeat("a", 1001), 413, `"code":"too_large"`},
		{"GET", "/api/documents/defense/manama.txt", 200, `"body":"Le chef d'état-major`},
		{"GET", "/api/documents/eco-3", 200, `"title":"Le Sénégal exporte son premier pétrole"`},
		{"GET", "/api/documents/inconnu.txt", 404, `"code":"not_found"`},
		{"POST", "/api/search?q=gaz", 405, `"code":"method_not_allowed"`},
		{"GET", "/api/stats", 200, `"documents":4`},
		{"GET", "/api/analyze?text=" + url.QueryEscape("l’armée"), 200, `{"analyzer":"rapports_fr","tokens":[{"term":"armée","position":1,"start":4,"end":10}]}`},
		{"GET", "/healthz", 200, `{"status":"ok"}`},
		{"GET", "/", 200, "<html"},
	}
	for _, tc := range statusCases {
		status, h, body := api(tc.method, tc.path)
		if status != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("%s %s: %d %s\nwant %d and %s", tc.method, tc.path, status, body, tc.status, tc.want)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s %s: no X-Content-Type-Options: nosniff", tc.method, tc.path)
		}
	}

	// The CLI's --json and the API answer the same JSON. Scores may differ
	// (serve, a writer, may merge segments and drop deleted documents from
	// the statistics scores are made of), and so may the time taken.
	_, _, apiJSON := api("GET", "/api/search?q=gaz&highlight=true")
	strip := regexp.MustCompile(`"(took_ms|score)":[0-9.e+-]+`)
	if strip.ReplaceAllString(apiJSON, "") != strip.ReplaceAllString(cliJSON, "") {
		t.Errorf("search --json and the API differ:\nCLI: %s\nAPI: %s", cliJSON, apiJSON)
	}

	// While serve holds the index, search and stats ask it and print what
	// they print without it.
	if _, err := os.Stat(filepath.Join(idxDir, serveFileName)); err != nil {
		t.Errorf("serve wrote no %s: %v", serveFileName, err)
	}
	asking := "the index is in use by rapports serve at " + srv.url + ": asking it"
	start := time.Now()
	out, errOut, code = runBinary(t, env, "search", "--index", idxDir, "--json", "gaz")
	t.Logf("search while serve runs took %v", time.Since(start).Round(time.Millisecond))
	if code != 0 || !strings.Contains(errOut, asking) {
		t.Errorf("search --json while serve runs: exit %d, stderr %q; want 0 and %q", code, errOut, asking)
	}
	if strip.ReplaceAllString(out, "") != strip.ReplaceAllString(apiJSON, "") {
		t.Errorf("search --json while serve runs and the API differ:\nCLI: %s\nAPI: %s", out, apiJSON)
	}
	for _, args := range [][]string{
		{"--json", "--country", "IL", "--from", "2024", "--size", "1", "armée israélienne"},
		{"--json", "--sort", "-date", "premier OR première"},
	} {
		v, _ := url.ParseQuery("")
		for i := 0; i+1 < len(args)-1; i++ {
			if name, ok := strings.CutPrefix(args[i], "--"); ok && name != "json" {
				v.Add(name, args[i+1])
			}
		}
		v.Set("q", args[len(args)-1])
		out, errOut, code = runBinary(t, env, append([]string{"search", "--index", idxDir}, args...)...)
		_, _, api := api("GET", "/api/search?"+v.Encode())
		if code != 0 || strip.ReplaceAllString(out, "") != strip.ReplaceAllString(api, "") {
			t.Errorf("search %q while serve runs: exit %d, stderr %q\nCLI: %s\nAPI (%s): %s", args, code, errOut, out, v.Encode(), api)
		}
	}
	out, _, code = runBinary(t, env, "search", "--index", idxDir, "défense aérienne")
	if code != 0 || !strings.Contains(out, `1 result for "défense aérienne"`) || !strings.Contains(out, "[défense]") {
		t.Errorf("search while serve runs: exit %d, output:\n%s\nwant one plain result with [défense]", code, out)
	}
	_, errOut, code = runBinary(t, env, "search", "--index", idxDir, `"gaz`)
	if code != 2 || !strings.Contains(errOut, "search: ") || !strings.Contains(errOut, "quote") {
		t.Errorf("search of an unclosed quote while serve runs: exit %d, stderr %q; want 2 and the reason", code, errOut)
	}
	_, errOut, code = runBinary(t, env, "search", "--index", idxDir, "--to", "2024-02-30", "gaz")
	if code != 2 || !strings.Contains(errOut, `to: "2024-02-30" is not a date`) || strings.Contains(errOut, "asking it") {
		t.Errorf("search --to 2024-02-30 while serve runs: exit %d, stderr %q; want 2 and the reason, found without the server", code, errOut)
	}
	out, errOut, code = runBinary(t, env, "stats", "--index", idxDir, "--json")
	if _, _, api := api("GET", "/api/stats"); code != 0 || out != api || !strings.Contains(errOut, asking) {
		t.Errorf("stats --json while serve runs: exit %d, stderr %q\nCLI: %s\nAPI: %s", code, errOut, out, api)
	}
	out, _, code = runBinary(t, env, "stats", "--index", idxDir)
	if code != 0 || !regexp.MustCompile(`Documents\s+4\n`).MatchString(out) || !strings.Contains(out, "to 2024-06-11") {
		t.Errorf("stats while serve runs: exit %d, output:\n%s", code, out)
	}

	// Another writer fails with a clear message, within 5 s.
	start = time.Now()
	_, errOut, code = runBinary(t, env, "index", "--index", idxDir, docs)
	took := time.Since(start)
	if code == 0 || !strings.Contains(errOut, "in use by another rapports process: rapports serve at "+srv.url) ||
		!strings.Contains(errOut, "--watch") || took > 5*time.Second {
		t.Errorf("index while serve runs: exit %d after %v, stderr %q; want a failure within 5 s naming the server and --watch", code, took, errOut)
	}
	t.Logf("index while serve runs failed after %v", took.Round(time.Millisecond))

	srv.stop(t)
	if _, err := os.Stat(filepath.Join(idxDir, serveFileName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("serve left its %s after a graceful stop (%v)", serveFileName, err)
	}

	// A stale serve.json is ignored: with the index free, search opens it;
	// with the index held, search fails as it did without the file.
	srv = startServe(t, env, "--index", idxDir)
	stale := fmt.Sprintf(`{"url":%q,"pid":%d}`, srv.url, goneProcess(t))
	if err := os.WriteFile(filepath.Join(idxDir, serveFileName), []byte(stale), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut, code = runBinary(t, env, "search", "--index", idxDir, "gaz")
	if code != 2 || !strings.Contains(errOut, "in use by another rapports process") || strings.Contains(errOut, "asking it") {
		t.Errorf("search beside a stale %s while the index is held: exit %d, stderr %q; want 2 and the index in use", serveFileName, code, errOut)
	}
	srv.stop(t)
	if b, err := os.ReadFile(filepath.Join(idxDir, serveFileName)); string(b) != stale {
		t.Errorf("serve removed a %s it did not write: %q, %v", serveFileName, b, err)
	}
	out, errOut, code = runBinary(t, env, "search", "--index", idxDir, "--json", "gaz")
	if code != 0 || strings.Contains(errOut, "asking it") || !strings.Contains(out, `"total":1`) {
		t.Errorf("search beside a stale %s: exit %d, stderr %q, output %s; want the index searched", serveFileName, code, errOut, out)
	}
}

// TestServeSample checks the first command of the README: serve with no
// index at the default place builds one from the embedded sample corpus.
// It also checks the 503 of a search over its time limit.
func TestServeSample(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	env := isolated(t)
	env = append(env, envIndex+"="+filepath.Join(t.TempDir(), "idx"))
	srv := startServe(t, env)
	if !strings.Contains(srv.log(), "sample corpus") {
		t.Errorf("serve did not log that it indexes the sample corpus:\n%s", srv.log())
	}
	resp, err := http.Get(srv.url + "api/search?q=" + url.QueryEscape("défense aérienne"))
	if err != nil {
		t.Fatal(err)
	}
	var res index.Result
	err = json.NewDecoder(resp.Body).Decode(&res)
	resp.Body.Close()
	if err != nil || res.Total == 0 || len(res.Facets.Country) == 0 || len(res.Facets.Date) == 0 {
		t.Errorf("sample search défense aérienne: %v, %+v; want hits and both facets", err, res)
	}
	srv.stop(t)

	// Again, with a search timeout no search can meet.
	srv = startServe(t, env, "--timeout", "1ns")
	resp, err = http.Get(srv.url + "api/search?q=arm%C3%A9e")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 || !strings.Contains(string(body), `"code":"timeout"`) {
		t.Errorf("search with --timeout 1ns: %d %s; want 503 timeout", resp.StatusCode, body)
	}
	if strings.Contains(srv.log(), "no index yet") {
		t.Errorf("second serve indexed the sample corpus again:\n%s", srv.log())
	}
	srv.stop(t)
}

// served is a running "rapports serve".
type served struct {
	cmd  *exec.Cmd
	url  string
	logf string
	done chan error
}

func (s *served) log() string {
	b, _ := os.ReadFile(s.logf)
	return string(b)
}

// startServe starts "rapports serve" on a free port and waits for its URL.
func startServe(t *testing.T, env []string, args ...string) *served {
	t.Helper()
	s := &served{logf: filepath.Join(t.TempDir(), "serve.log"), done: make(chan error, 1)}
	logFile, err := os.Create(s.logf)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	s.cmd = exec.Command(binary, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	s.cmd.Env = append(os.Environ(), env...)
	s.cmd.Stderr = logFile
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			_ = s.cmd.Process.Kill()
			<-s.done
		}
	})
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if i := strings.Index(sc.Text(), "http://"); i >= 0 {
				urls <- strings.Fields(sc.Text()[i:])[0]
			}
		}
		s.done <- s.cmd.Wait()
	}()
	select {
	case s.url = <-urls:
	case err := <-s.done:
		t.Fatalf("serve exited (%v) before printing its URL; log:\n%s", err, s.log())
	case <-time.After(2 * time.Minute):
		t.Fatalf("serve printed no URL; log:\n%s", s.log())
	}
	return s
}

// stop sends SIGINT and checks that serve shuts down cleanly.
func (s *served) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("serve after SIGINT: %v; log:\n%s", err, s.log())
		}
	case <-time.After(time.Minute):
		t.Errorf("serve did not stop on SIGINT; log:\n%s", s.log())
	}
}
