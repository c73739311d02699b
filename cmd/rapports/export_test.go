package main

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapports/rapports/index"
)

// exportDocs is the size of the generated corpus of TestExportPastWindow:
// more than index.MaxWindow.
const exportDocs = index.MaxWindow + 150

// writeExportCorpus writes exportDocs reports about drones in one JSON
// Lines file, and returns its folder.
func writeExportCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "flux.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for i := range exportDocs {
		rec := map[string]string{
			"id":    fmt.Sprintf("r%05d", i),
			"title": fmt.Sprintf("Note %d sur les drones", i),
			"date":  fmt.Sprintf("20%02d-%02d-%02d", 10+i%15, 1+i%12, 1+i%28),
			"text":  strings.Repeat("Les drones survolent le Mali. ", 1+i%4) + fmt.Sprintf("Rapport %d, l'armée observe.", i),
		}
		if err := enc.Encode(rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// checkRows checks an export of every hit: exportDocs rows, each ID
// once, scores not increasing.
func checkRows(t *testing.T, what string, recs []index.Record) {
	t.Helper()
	if len(recs) != exportDocs {
		t.Errorf("%s: %d rows; want %d (every hit, past the %d window)", what, len(recs), exportDocs, index.MaxWindow)
		return
	}
	seen := map[string]bool{}
	for i, r := range recs {
		if seen[r.ID] {
			t.Errorf("%s: %s twice", what, r.ID)
			return
		}
		seen[r.ID] = true
		if i > 0 && r.Score > recs[i-1].Score {
			t.Errorf("%s: row %d scores %v after %v: not in relevance order", what, i+1, r.Score, recs[i-1].Score)
			return
		}
		if r.Title == "" || r.Path != "flux.jsonl" || len(r.Countries) != 1 || r.Countries[0] != "ML" {
			t.Errorf("%s: row %d %+v lacks its title, path or country", what, i+1, r)
			return
		}
	}
}

// readJSONL decodes JSON Lines.
func readJSONL(t *testing.T, what, s string) []index.Record {
	t.Helper()
	var recs []index.Record
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r index.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s: line %d: %v", what, len(recs)+1, err)
		}
		recs = append(recs, r)
	}
	return recs
}

// TestExportPastWindow indexes a generated corpus of more than 10,000
// reports and checks that search --all --format jsonl|csv and GET
// /api/export give every hit, on the index and through serve.
func TestExportPastWindow(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	env := isolated(t)
	docs, idxDir := writeExportCorpus(t), filepath.Join(t.TempDir(), "idx")
	if out, errOut, code := runBinary(t, env, "index", "--index", idxDir, docs); code != 0 {
		t.Fatalf("index: exit %d\n%s\n%s", code, out, errOut)
	}

	// Paging stops at the window; --all does not.
	_, errOut, code := runBinary(t, env, "search", "--index", idxDir, "--size", "100", "--page", "101", "drones")
	if code != 2 || !strings.Contains(errOut, "next_cursor") {
		t.Errorf("search --page 101: exit %d, %q; want 2 and the way past the window", code, errOut)
	}
	out, errOut, code := runBinary(t, env, "search", "--index", idxDir, "--all", "--format", "jsonl", "drones")
	if code != 0 {
		t.Fatalf("search --all --format jsonl: exit %d: %s", code, errOut)
	}
	checkRows(t, "search --all --format jsonl", readJSONL(t, "search --all", out))

	out, _, code = runBinary(t, env, "search", "--index", idxDir, "--all", "--format", "csv", "--text", "--sort", "date", "drones")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(rows) != exportDocs+1 {
		t.Fatalf("search --all --format csv --text: exit %d, %v, %d rows; want %d and a header", code, err, len(rows), exportDocs+1)
	}
	if strings.Join(rows[0], ",") != "id,date,title,countries,organizations,source,path,score,text" || !strings.Contains(rows[1][8], "drones") {
		t.Errorf("csv: header %q, first row %q", rows[0], rows[1])
	}
	for i := 2; i < len(rows); i++ {
		if rows[i][1] < rows[i-1][1] {
			t.Errorf("csv --sort date: row %d dated %s after %s", i, rows[i][1], rows[i-1][1])
			break
		}
	}

	// Without --all, the page; nothing found exits 1 in every format.
	out, _, code = runBinary(t, env, "search", "--index", idxDir, "--format", "jsonl", "--size", "7", "--page", "3", "drones")
	if recs := readJSONL(t, "search --format jsonl", out); code != 0 || len(recs) != 7 {
		t.Errorf("search --format jsonl --size 7 --page 3: exit %d, %d rows; want 0 and 7", code, len(recs))
	}
	for _, format := range []string{"jsonl", "csv", "json", "text"} {
		if _, _, code := runBinary(t, env, "search", "--index", idxDir, "--format", format, "--all="+fmt.Sprint(format == "csv" || format == "jsonl"), "introuvable"); code != 1 {
			t.Errorf("search --format %s introuvable: exit %d; want 1", format, code)
		}
	}

	// Through serve: the CLI asks its /api/export, gzipped or not.
	srv := startServe(t, env, "--index", idxDir)
	out, errOut, code = runBinary(t, env, "search", "--index", idxDir, "--all", "--format", "jsonl", "drones")
	if code != 0 || !strings.Contains(errOut, "asking it") {
		t.Fatalf("search --all while serve runs: exit %d, %q", code, errOut)
	}
	checkRows(t, "search --all through serve", readJSONL(t, "through serve", out))
	req, err := http.NewRequest("GET", srv.url+"api/export?q=drones&format=jsonl", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req) // no transparent gunzip
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Content-Type") != "application/jsonl; charset=utf-8" {
		t.Fatalf("GET /api/export: %s, Content-Encoding %q, Content-Type %q", resp.Status, resp.Header.Get("Content-Encoding"), resp.Header.Get("Content-Type"))
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if _, err := bufio.NewReader(zr).WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	checkRows(t, "GET /api/export gzipped", readJSONL(t, "GET /api/export", b.String()))
	srv.stop(t)
}
