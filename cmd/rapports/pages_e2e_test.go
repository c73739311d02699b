package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-pdf/fpdf"

	"github.com/rapports/rapports/index"
)

// writePagedPDF writes a PDF of n pages with fpdf's core Helvetica
// (Windows-1252: French accents need no font file). Page k holds the
// sentence of pages[k] if any, else a filler sentence.
func writePagedPDF(t *testing.T, path string, n int, pages map[int]string) {
	t.Helper()
	p := fpdf.New("P", "mm", "A4", "")
	tr := p.UnicodeTranslatorFromDescriptor("")
	p.SetTitle("Rapport sur la sécurité au Sahel", true)
	p.SetAutoPageBreak(false, 0)
	for k := 1; k <= n; k++ {
		p.AddPage()
		p.SetFont("Helvetica", "", 11)
		p.SetXY(15, 30)
		text := pages[k]
		if text == "" {
			text = fmt.Sprintf("La délégation a examiné la situation économique du pays, point %d.", k)
		}
		p.MultiCell(180, 6, tr(text), "", "L", false)
	}
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		t.Fatalf("fpdf: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestPagesEndToEnd indexes a generated 9-page PDF and checks that
// search, in the CLI (readable and --json) and over HTTP, says on which
// pages the words are, and that the document carries its page starts.
func TestPagesEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	env := isolated(t)
	dir := t.TempDir()
	docs, idxDir := filepath.Join(dir, "docs"), filepath.Join(dir, "idx")
	writePagedPDF(t, filepath.Join(docs, "sahel.pdf"), 9, map[int]string{
		1: "Rapport sur la sécurité au Sahel. Introduction générale.",
		3: "Les drones armés survolent la frontière du Niger.",
		7: "Un drone s'est écrasé près de Gao.",
	})
	if err := os.WriteFile(filepath.Join(docs, "note.txt"), []byte("Note\n\nLes drones du Mali, sans pages."), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runBinary(t, env, "index", "--index", idxDir, docs)
	if code != 0 || counts(t, out) != "2 0 0 0 0" {
		t.Fatalf("index: status %d; want 2 added\n%s%s", code, out, errOut)
	}

	out, errOut, code = runBinary(t, env, "search", "--index", idxDir, "--json", "drones")
	if code != 0 {
		t.Fatalf("search --json drones: status %d\n%s", code, errOut)
	}
	var res index.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("search --json: %v\n%s", err, out)
	}
	pages := map[string][]int{}
	for _, h := range res.Hits {
		pages[h.ID] = h.Pages
	}
	if len(pages) != 2 || !slices.Equal(pages["sahel.pdf"], []int{3, 7}) || pages["note.txt"] != nil {
		t.Errorf("search --json drones: pages %v; want sahel.pdf [3 7], note.txt none", pages)
	}
	if !strings.Contains(out, `"pages": [`) && !strings.Contains(out, `"pages":[`) {
		t.Errorf("search --json drones: no \"pages\" field in\n%s", out)
	}

	out, _, code = runBinary(t, env, "search", "--index", idxDir, "drones")
	if code != 0 || !strings.Contains(out, "sahel.pdf  p. 3, 7") || strings.Contains(out, "note.txt  p.") {
		t.Errorf("search drones: status %d; want \"sahel.pdf  p. 3, 7\" and no page for note.txt\n%s", code, out)
	}
	out, _, _ = runBinary(t, env, "search", "--index", idxDir, "Niger")
	if !strings.Contains(out, "sahel.pdf  p. 3\n") && !strings.Contains(out, "sahel.pdf  p. 3 ") {
		t.Errorf("search Niger: want \"sahel.pdf  p. 3\"\n%s", out)
	}

	out, _, code = runBinary(t, env, "show", "--index", idxDir, "--json", "sahel.pdf")
	var doc index.Document
	if err := json.Unmarshal([]byte(out), &doc); code != 0 || err != nil {
		t.Fatalf("show --json sahel.pdf: status %d, %v\n%s", code, err, out)
	}
	if doc.FirstPage != 1 || len(doc.PageStarts) != 9 || !strings.Contains(doc.Body[doc.PageStarts[2]:doc.PageStarts[3]], "drones armés") {
		t.Errorf("show --json sahel.pdf: first page %d, %d page starts; want 1 and 9, page 3 holding \"drones armés\"", doc.FirstPage, len(doc.PageStarts))
	}
	out, _, _ = runBinary(t, env, "show", "--index", idxDir, "sahel.pdf")
	if !strings.Contains(out, "Pages:     1–9") {
		t.Errorf("show sahel.pdf: no \"Pages: 1–9\" line\n%s", out)
	}

	srv := startServe(t, append(env, envIndex+"="+idxDir))
	defer srv.stop(t)
	for _, hl := range []string{"false", "true"} {
		resp, err := http.Get(srv.url + "api/search?highlight=" + hl + "&q=" + url.QueryEscape(`"drones armés" OR écrasé`))
		if err != nil {
			t.Fatal(err)
		}
		var res index.Result
		err = json.NewDecoder(resp.Body).Decode(&res)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 || len(res.Hits) != 1 || !slices.Equal(res.Hits[0].Pages, []int{3, 7}) {
			t.Errorf("GET /api/search highlight=%s: %d %v %+v; want sahel.pdf on pages [3 7]", hl, resp.StatusCode, err, res.Hits)
		}
	}
	resp, err := http.Get(srv.url + "api/documents/sahel.pdf")
	if err != nil {
		t.Fatal(err)
	}
	var d index.Document
	err = json.NewDecoder(resp.Body).Decode(&d)
	resp.Body.Close()
	if err != nil || d.FirstPage != 1 || !slices.Equal(d.PageStarts, doc.PageStarts) {
		t.Errorf("GET /api/documents/sahel.pdf: %v, first page %d, starts %v; want 1, %v", err, d.FirstPage, d.PageStarts, doc.PageStarts)
	}
}
