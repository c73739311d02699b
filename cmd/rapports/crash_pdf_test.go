//go:build unix

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/rapports/rapports/index"
)

// crashPDFs is the number of PDF reports of the PDF crash corpus, each of
// crashPDFPages pages, read by PDFium as a real corpus is: five before
// each of the first JSON Lines files of the crash corpus, so that batches
// are written (and the run killed) while PDFs are read in the background.
const (
	crashPDFs     = 60
	crashPDFPages = 4
)

// crashPDFName is the file of PDF report n: it sorts among the JSON Lines
// files of crashCorpus (lot-NN.jsonl).
func crashPDFName(n int) string { return fmt.Sprintf("lot-%02d-p%d.pdf", n/5, n%5) }

// crashPDFCorpus writes the PDF corpus under dir. Report n starts with
// "Rapport numéro n" and ends with "Fin du rapport n" on its last page; its
// text holds "travaux" and "yeux", which the lexicon (not Snowball) joins
// to "travail" and "œil".
func crashPDFCorpus(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(17, 17))
	for n := range crashPDFs {
		p := fpdf.New("P", "mm", "A4", "")
		tr := p.UnicodeTranslatorFromDescriptor("")
		p.SetAutoPageBreak(false, 0)
		for page := range crashPDFPages {
			var text strings.Builder
			if page == 0 {
				fmt.Fprintf(&text, "Rapport numéro %d sur les travaux publics.\n", n)
			}
			for w := range 380 {
				text.WriteString(frenchWords[rng.IntN(len(frenchWords))])
				if w%13 == 12 {
					text.WriteString(". ")
				} else {
					text.WriteByte(' ')
				}
			}
			text.WriteString("Les yeux des témoins.")
			if page == crashPDFPages-1 {
				fmt.Fprintf(&text, "\nFin du rapport %d.", n)
			}
			p.AddPage()
			p.SetFont("Helvetica", "", 9)
			p.SetXY(10, 10)
			p.MultiCell(190, 4, tr(text.String()), "", "L", false)
		}
		var b bytes.Buffer
		if err := p.Output(&b); err != nil {
			t.Fatalf("fpdf: %v", err)
		}
		if err := os.WriteFile(filepath.Join(dir, crashPDFName(n)), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// checkMixedIndex opens the index in dir and checks that every report in
// it is whole (a JSON one as written, a PDF its first and last page), that
// there is nothing else, and that the lexicon's conflations find the PDF
// reports; with complete, that all are there. It returns the numbers of
// JSON and of PDF reports.
func checkMixedIndex(t *testing.T, dir string, want map[string]crashDoc, complete bool) (nJSON, nPDF int) {
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
	bad := 0
	for id, w := range want {
		d, err := idx.Document(ctx, id, index.DocumentOptions{})
		if errors.Is(err, index.ErrNotFound) {
			continue
		}
		if err != nil {
			t.Fatalf("document %s: %v", id, err)
		}
		nJSON++
		if d.Title != w.Title || d.Body != w.Body || d.Date != w.Date {
			if bad++; bad <= 3 {
				t.Errorf("document %s is not whole: %q %q %.60q", id, d.Title, d.Date, d.Body)
			}
		}
	}
	for n := range crashPDFs {
		d, err := idx.Document(ctx, crashPDFName(n), index.DocumentOptions{})
		if errors.Is(err, index.ErrNotFound) {
			continue
		}
		if err != nil {
			t.Fatalf("document %s: %v", crashPDFName(n), err)
		}
		nPDF++
		if !strings.Contains(d.Body, fmt.Sprintf("Rapport numéro %d ", n)) || !strings.Contains(d.Body, fmt.Sprintf("Fin du rapport %d.", n)) {
			if bad++; bad <= 3 {
				t.Errorf("PDF report %d is not whole: %d bytes, %.80q … %.80q", n, len(d.Body), d.Body, d.Body[max(0, len(d.Body)-80):])
			}
		}
	}
	if st.Documents != uint64(nJSON+nPDF) {
		t.Errorf("the index counts %d documents, %d of them are the corpus's: duplicates or strays", st.Documents, nJSON+nPDF)
	}
	for _, q := range []struct {
		q    string
		want int
	}{{"travail", nPDF}, {"œil", nPDF}, {"rapport", nJSON + nPDF}} {
		res, err := idx.Search(ctx, index.Request{Query: q.q, Size: 1, Facets: index.FacetOptions{Countries: -1, DateInterval: "none"}})
		if err != nil {
			t.Fatalf("search %s: %v", q.q, err)
		}
		if res.Total != uint64(q.want) {
			t.Errorf("search %s: %d hits, want %d", q.q, res.Total, q.want)
		}
	}
	if complete && (nJSON != len(want) || nPDF != crashPDFs) {
		t.Errorf("the index holds %d of the %d JSON reports and %d of the %d PDF reports", nJSON, len(want), nPDF, crashPDFs)
	}
	return nJSON, nPDF
}

// TestCrashSafetyPDF kills "rapports index" with SIGKILL while it reads a
// folder of PDFs (PDFium in WebAssembly, read in the background) among
// JSON Lines files, the lexicon in the analyzer, twice; then checks that
// the index opens with whole reports only and that a new run completes
// it, re-reading only what was not indexed yet.
func TestCrashSafetyPDF(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	env := isolated(t)
	root := t.TempDir()
	docs := filepath.Join(root, "docs")
	start := time.Now()
	want := crashCorpus(t, docs)
	crashPDFCorpus(t, docs)
	t.Logf("%d PDFs of %d pages among %d JSON reports written in %v", crashPDFs, crashPDFPages, len(want), time.Since(start).Round(time.Millisecond))
	idxDir := filepath.Join(root, "idx")
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
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		err := <-exited
		nJSON, nPDF := checkMixedIndex(t, idxDir, want, false)
		t.Logf("cycle %d: killed after %v (%v); the index opens with %d whole JSON and %d whole PDF reports", cycle+1,
			time.Since(start).Round(time.Millisecond), err, nJSON, nPDF)
		if nJSON+nPDF < prev {
			t.Errorf("cycle %d: %d reports, fewer than the %d of the cycle before", cycle+1, nJSON+nPDF, prev)
		}
		prev = nJSON + nPDF
	}
	start = time.Now()
	out, errOut, code := runBinary(t, env, "index", "--index", idxDir, docs)
	if code != 0 {
		t.Fatalf("index after the crashes: exit %d\n%s\n%s", code, out, tail(errOut, 2000))
	}
	total := len(want) + crashPDFs
	if got, wantCounts := counts(t, out), fmt.Sprintf("%d 0 %d 0 0", total-prev, prev); got != wantCounts {
		t.Errorf("index after the crashes: %q; want %q (added, updated, unchanged, removed, failed)", got, wantCounts)
	}
	t.Logf("resumed run: %v: %s", time.Since(start).Round(time.Millisecond), firstLine(out))
	checkMixedIndex(t, idxDir, want, true)
}
