package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readme returns the README at the root of the module.
func readme(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatalf("README.md: %v", err)
	}
	return string(b)
}

// TestREADMECommands checks that the README starts with the two set-up
// commands and that CI runs exactly its test command.
func TestREADMECommands(t *testing.T) {
	text := readme(t)
	first := regexp.MustCompile("(?s)```sh\n(.*?)```").FindStringSubmatch(text)
	if first == nil {
		t.Fatal("README.md has no sh block")
	}
	for _, cmd := range []string{"go run ./cmd/rapports serve", "go test ./..."} {
		if !strings.Contains(first[1], cmd) {
			t.Errorf("README.md's first block %q lacks %q", first[1], cmd)
		}
	}
	ci, err := os.ReadFile(filepath.Join("..", "..", ".ci", "run"))
	if err != nil {
		t.Fatalf(".ci/run: %v", err)
	}
	if !regexp.MustCompile(`(?m)^go test \./\.\.\.$`).Match(ci) || !strings.Contains(string(ci), "set -euo pipefail") {
		t.Errorf(".ci/run does not run exactly \"go test ./...\" under set -euo pipefail:\n%s", ci)
	}
}

// TestREADMEExample compiles the README's Go example against the module.
func TestREADMEExample(t *testing.T) {
	if testing.Short() {
		t.Skip("compiling the README example skipped in -short mode")
	}
	m := regexp.MustCompile("(?s)```go\n(.*?)```").FindStringSubmatch(readme(t))
	if m == nil {
		t.Fatal("README.md has no Go example")
	}
	file := filepath.Join(t.TempDir(), "main.go")
	if err := os.WriteFile(file, []byte(m[1]), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "vet", file)
	cmd.Dir = filepath.Join("..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("the README's Go example does not build: %v\n%s\n%s", err, out, m[1])
	}
}
