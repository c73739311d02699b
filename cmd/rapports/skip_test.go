package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapports/rapports/corpus/sample"
	"github.com/rapports/rapports/index"
)

// TestIndexListsSkipped checks that files that are not reports are counted
// in the summary and listed, with their reason, under --verbose.
func TestIndexListsSkipped(t *testing.T) {
	docs := t.TempDir()
	files := map[string]string{
		"note.txt":    "date 2024-06\n\nL'armée française en Jordanie.",
		"vide.txt":    "",
		"annexe.xlsx": "PK\x03\x04",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(docs, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, errOut, err := run(t, "--verbose", "index", "--index", t.TempDir(), docs)
	if err != nil {
		t.Fatalf("index: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "1 added,") || !strings.Contains(out, "2 files skipped") {
		t.Errorf("index summary = %q; want 1 added and 2 files skipped", out)
	}
	for _, want := range []string{"annexe.xlsx", `unsupported format \".xlsx\"`, "vide.txt", "no text"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("index --verbose log lacks %q:\n%s", want, errOut)
		}
	}
}

// TestIndexRemovesSample checks that indexing the user's folder into an
// index that a first serve filled with the sample corpus removes the sample.
func TestIndexRemovesSample(t *testing.T) {
	idxDir := t.TempDir()
	idx, err := index.Open(idxDir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := idx.AddFS(context.Background(), sample.Files(), sampleRoot, index.AddOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	docs := t.TempDir()
	if err := os.WriteFile(filepath.Join(docs, "note.txt"), []byte("date 2024-06\n\nL'armée française en Jordanie."), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := run(t, "index", "--index", idxDir, docs)
	if err != nil {
		t.Fatalf("index: %v\n%s", err, errOut)
	}
	if !strings.Contains(errOut, "removed the sample corpus") {
		t.Errorf("index log lacks the sample removal:\n%s", errOut)
	}
	out, errOut, err = run(t, "stats", "--index", idxDir, "--json")
	if err != nil {
		t.Fatalf("stats: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, `"documents": 1,`) && !strings.Contains(out, `"documents":1,`) {
		t.Errorf("stats after indexing one file over the sample: %s; want 1 document", out)
	}
}
