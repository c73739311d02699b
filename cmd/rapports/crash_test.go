//go:build unix

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rapports/rapports/index"
)

// crashDocs is the number of reports of the crash-safety corpus: enough
// for an index run of several seconds.
const crashDocs = 12_000

// crashDoc is what a report of the crash corpus must look like in the index.
type crashDoc struct {
	Title, Date, Body string
}

// frenchWords make up the generated reports.
var frenchWords = strings.Fields(`armée défense aérienne gouvernement ministre élection président
économie croissance inflation budget réforme énergie gaz pétrole nucléaire climat sécheresse
inondation migration frontière accord sommet diplomatie sanctions guerre paix négociation
coopération sécurité frappe drone missile population santé épidémie hôpital vaccin
agriculture récolte exportation importation banque taux dette chômage emploi grève syndicat
parlement vote loi tribunal justice police manifestation capitale région province village`)

// crashCorpus writes crashDocs reports as JSON Lines files under dir and
// returns them by ID. Every report holds the word "rapport".
func crashCorpus(t *testing.T, dir string) map[string]crashDoc {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(6, 6))
	docs := make(map[string]crashDoc, crashDocs)
	const perFile = 500
	for f := 0; f < crashDocs/perFile; f++ {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		for i := range perFile {
			n := f*perFile + i
			id := fmt.Sprintf("r-%05d", n)
			var body strings.Builder
			fmt.Fprintf(&body, "Ce rapport numéro %d traite de", n)
			for w := range 150 + rng.IntN(100) {
				body.WriteByte(' ')
				body.WriteString(frenchWords[rng.IntN(len(frenchWords))])
				if w%17 == 16 {
					body.WriteString(".")
				}
			}
			body.WriteString(".")
			d := crashDoc{
				Title: fmt.Sprintf("Rapport %d : %s et %s", n, frenchWords[rng.IntN(len(frenchWords))], frenchWords[rng.IntN(len(frenchWords))]),
				Date:  fmt.Sprintf("%d-%02d-%02d", 2015+n%10, n%12+1, n%28+1),
				Body:  body.String(),
			}
			docs[id] = d
			if err := enc.Encode(map[string]string{"id": id, "title": d.Title, "date": d.Date, "text": d.Body}); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("lot-%02d.jsonl", f)), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return docs
}

// checkIndex opens the index in dir and checks that every document in it
// is one of want, whole, and that there is nothing else; with complete,
// that all of want is there. It returns the number of documents.
func checkIndex(t *testing.T, dir string, want map[string]crashDoc, complete bool) int {
	t.Helper()
	ctx := context.Background()
	idx, err := index.Open(dir, index.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("open the index after the crash: %v", err)
	}
	defer idx.Close()
	st, err := idx.Stats(ctx)
	if err != nil {
		t.Fatalf("stats: %v", err)
	}
	found, bad := 0, 0
	for id, w := range want {
		d, err := idx.Document(ctx, id, index.DocumentOptions{})
		if errors.Is(err, index.ErrNotFound) {
			continue
		}
		if err != nil {
			t.Fatalf("document %s: %v", id, err)
		}
		found++
		if d.Title != w.Title || d.Body != w.Body || d.Date != w.Date {
			bad++
			if bad <= 3 {
				t.Errorf("document %s is not whole:\ngot  %q %q %.60q\nwant %q %q %.60q", id, d.Title, d.Date, d.Body, w.Title, w.Date, w.Body)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d documents are not whole", bad, found)
	}
	if st.Documents != uint64(found) {
		t.Errorf("the index counts %d documents, %d of them are the corpus's: duplicates or strays", st.Documents, found)
	}
	res, err := idx.Search(ctx, index.Request{Query: "rapport", Size: 1, Facets: index.FacetOptions{Countries: -1, DateInterval: "none"}})
	if err != nil {
		t.Fatalf("search rapport: %v", err)
	}
	if res.Total != uint64(found) {
		t.Errorf("search rapport: %d hits, want the %d documents", res.Total, found)
	}
	if complete && found != len(want) {
		t.Errorf("the index holds %d of the %d reports", found, len(want))
	}
	return found
}

// startIndex starts "rapports index" and returns it with its output buffers.
func startIndex(t *testing.T, env []string, idxDir, docs string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	cmd := binaryCommand(t, env, "index", "--index", idxDir, docs)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &out, &errOut
}

// segments returns the names of the segment files of the index in dir.
func segments(dir string) map[string]bool {
	names, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	set := make(map[string]bool, len(names))
	for _, n := range names {
		set[filepath.Base(n)] = true
	}
	return set
}

// waitForSegments waits until the index in dir has n segment files that
// were not in before, or cmd exits. It reports whether cmd is still running.
func waitForSegments(t *testing.T, exited <-chan error, dir string, before map[string]bool, n int) bool {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			t.Logf("index exited (%v) before %d new segments were written", err, n)
			return false
		case <-time.After(20 * time.Millisecond):
		}
		fresh := 0
		for name := range segments(dir) {
			if !before[name] {
				fresh++
			}
		}
		if fresh >= n {
			return true
		}
	}
	t.Fatalf("no %d new segments in %s after 2 minutes", n, dir)
	return false
}

// TestCrashSafety kills "rapports index" mid-run with SIGKILL, twice, then
// checks that the index opens with only whole documents and that a new run
// completes it with exactly the corpus; then interrupts a run with SIGINT,
// which must stop after the current batch, say so and exit with status 130.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	env := isolated(t)
	root := t.TempDir()
	docs := filepath.Join(root, "docs")
	want := crashCorpus(t, docs)

	t.Run("SIGKILL", func(t *testing.T) {
		idxDir := filepath.Join(root, "idx-kill")
		prev := 0
		for cycle := range 2 {
			before := segments(idxDir)
			start := time.Now()
			cmd, _, _ := startIndex(t, env, idxDir, docs)
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			if !waitForSegments(t, exited, idxDir, before, 2) {
				t.Fatalf("cycle %d: index finished before it could be killed: make the corpus bigger", cycle+1)
			}
			time.Sleep(time.Duration(200+300*cycle) * time.Millisecond)
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			err := <-exited
			killedAt := time.Since(start)
			n := checkIndex(t, idxDir, want, false)
			t.Logf("cycle %d: killed after %v (%v); the index opens with %d whole documents", cycle+1,
				killedAt.Round(time.Millisecond), err, n)
			if n < prev {
				t.Errorf("cycle %d: %d documents, fewer than the %d of the cycle before", cycle+1, n, prev)
			}
			prev = n
		}
		start := time.Now()
		out, errOut, code := runBinary(t, env, "index", "--index", idxDir, docs)
		if code != 0 {
			t.Fatalf("index after the crashes: exit %d\n%s\n%s", code, out, tail(errOut, 2000))
		}
		var added, updated, unchanged, removed, failed int
		if _, err := fmt.Sscanf(counts(t, out), "%d %d %d %d %d",
			&added, &updated, &unchanged, &removed, &failed); err != nil {
			t.Fatal(err)
		}
		if added+updated+unchanged != crashDocs || failed != 0 || unchanged != prev {
			t.Errorf("index after the crashes: %s; want %d in all, %d unchanged (those indexed before), none failed",
				firstLine(out), crashDocs, prev)
		}
		t.Logf("resumed run: %v: %s", time.Since(start).Round(time.Millisecond), firstLine(out))
		checkIndex(t, idxDir, want, true)
	})

	t.Run("SIGINT", func(t *testing.T) {
		idxDir := filepath.Join(root, "idx-int")
		start := time.Now()
		cmd, out, errOut := startIndex(t, env, idxDir, docs)
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		if !waitForSegments(t, exited, idxDir, nil, 2) {
			t.Fatal("index finished before it could be interrupted: make the corpus bigger")
		}
		sent := time.Now()
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		var err error
		select {
		case err = <-exited:
		case <-time.After(time.Minute):
			t.Fatal("index did not stop within a minute of SIGINT")
		}
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 130 {
			t.Errorf("index after SIGINT: %v, want exit status 130", err)
		}
		if !strings.Contains(errOut.String(), "interrupted; the index is usable, run the same command again to finish") {
			t.Errorf("index after SIGINT does not say it was interrupted; stderr:\n%s", tail(errOut.String(), 2000))
		}
		counts(t, out.String()) // the summary is printed
		n := checkIndex(t, idxDir, want, false)
		t.Logf("SIGINT after %v: stopped %v later; %s; %d whole documents", sent.Sub(start).Round(time.Millisecond),
			time.Since(sent).Round(time.Millisecond), firstLine(out.String()), n)
		if n == 0 {
			t.Errorf("after SIGINT: no document kept, want the batches written before it")
		}

		sout, serr, code := runBinary(t, env, "index", "--index", idxDir, docs)
		if code != 0 {
			t.Fatalf("index after SIGINT: exit %d\n%s\n%s", code, sout, tail(serr, 2000))
		}
		if got, wantCounts := counts(t, sout), fmt.Sprintf("%d 0 %d 0 0", crashDocs-n, n); got != wantCounts {
			t.Errorf("index after SIGINT: %q, want %q", got, wantCounts)
		}
		checkIndex(t, idxDir, want, true)
	})
}
