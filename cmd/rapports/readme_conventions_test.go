package main

import (
	"encoding/json"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rapports/rapports/server"
)

// conventionsTitle is the README's section on exit statuses and options.
const conventionsTitle = "### Conventions: exit status, options, version, completion, manual"

// TestREADMEExitStatus checks the README's table of exit statuses against
// the constants main exits with.
func TestREADMEExitStatus(t *testing.T) {
	sec := readmeSection(t, conventionsTitle)
	var got []int
	for _, m := range regexp.MustCompile(`(?m)^\| (\d+) \|`).FindAllStringSubmatch(sec, -1) {
		n, _ := strconv.Atoi(m[1])
		got = append(got, n)
	}
	if want := []int{exitOK, exitNoResult, exitError, exitInterrupted}; !slices.Equal(got, want) {
		t.Errorf("README's exit statuses %v; the command exits with %v", got, want)
	}
}

// TestREADMEErrorLines runs each "$ rapports ..." of the README's
// conventions section that shows an error, and compares its one line.
func TestREADMEErrorLines(t *testing.T) {
	t.Setenv(envIndex, t.TempDir()+"/absent")
	sec := readmeSection(t, conventionsTitle)
	re := regexp.MustCompile(`(?m)^\$ rapports (.*)\n(rapports: .*)$`)
	ms := re.FindAllStringSubmatch(sec, -1)
	if len(ms) < 3 {
		t.Fatalf("README's conventions section shows %d error lines; want the 3 of unknown command, option and query", len(ms))
	}
	for _, m := range ms {
		args, err := shellWords(m[1])
		if err != nil {
			t.Fatalf("README: $ rapports %s: %v", m[1], err)
		}
		_, _, err = run(t, args...)
		if err == nil || exitCode(err) != exitError {
			t.Errorf("rapports %s: err %v (exit %d); the README shows an error", m[1], err, exitCode(err))
			continue
		}
		if got := "rapports: " + err.Error(); got != m[2] {
			t.Errorf("rapports %s prints\n%s\nthe README shows\n%s", m[1], got, m[2])
		}
	}
}

// TestREADMEVersionLine checks the README's sample of --version against
// the shape of what the binary prints.
func TestREADMEVersionLine(t *testing.T) {
	shape := regexp.MustCompile(`^rapports \S+ \((commit [0-9a-f]{12}(\+modified)?, )?go[0-9.]+\S*, schema \d+, analyzers [0-9a-f]{16}\)$`)
	out, _, err := run(t, "--version")
	if err != nil || !shape.MatchString(strings.TrimSpace(out)) {
		t.Errorf("rapports --version: %v, %q; want the shape %s", err, out, shape)
	}
	m := regexp.MustCompile(`(?m)^rapports --version.*\n(.*)$`).FindStringSubmatch(readmeSection(t, conventionsTitle))
	if m == nil || !shape.MatchString(m[1]) {
		t.Errorf("README's --version sample %q does not have the shape %s", m, shape)
	}
}

// shellWords splits s as a POSIX shell splits a simple command: words
// separated by blanks, single and double quotes.
func shellWords(s string) ([]string, error) {
	var words []string
	var w strings.Builder
	inWord, quote := false, rune(0)
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			w.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		default:
			w.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, strconv.ErrSyntax
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, nil
}

// TestREADMEAPIAnswers checks the README's "`/api/...` answers `message`"
// samples against the API over the sample corpus, and its list of export
// columns against server.ExportColumns.
func TestREADMEAPIAnswers(t *testing.T) {
	text := readme(t)
	h := sampleAPI(t)
	ms := regexp.MustCompile("`(/api/[^`]+)` answers\\s+`([^`]+)`").FindAllStringSubmatch(text, -1)
	if len(ms) == 0 {
		t.Fatal("README.md shows no \"`/api/...` answers `...`\" sample")
	}
	for _, m := range ms {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", m[1], nil))
		var body struct {
			Error struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error.Message != m[2] {
			t.Errorf("README: %s answers %q; the API answers %d %s", m[1], m[2], rec.Code, rec.Body)
		}
	}
	cols := regexp.MustCompile("(?s)one row per report: (.*?), and with `text=true`").FindStringSubmatch(text)
	if cols == nil {
		t.Fatal("README.md does not list the export columns (\"one row per report: ...\")")
	}
	var got []string
	for _, c := range regexp.MustCompile("`([a-z_]+)`").FindAllStringSubmatch(cols[1], -1) {
		got = append(got, c[1])
	}
	if !slices.Equal(got, server.ExportColumns) {
		t.Errorf("README's export columns %q; the export writes %q", got, server.ExportColumns)
	}
}
