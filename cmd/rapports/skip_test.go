package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIndexListsSkipped checks that files that are not reports are counted
// in the summary and listed, with their reason, under --verbose.
func TestIndexListsSkipped(t *testing.T) {
	docs := t.TempDir()
	files := map[string]string{
		"note.txt":   "date 2024-06\n\nL'armée française en Jordanie.",
		"vide.txt":   "",
		"annexe.pdf": "%PDF-1.4",
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
	for _, want := range []string{"annexe.pdf", `unsupported format \".pdf\"`, "vide.txt", "no text"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("index --verbose log lacks %q:\n%s", want, errOut)
		}
	}
}
