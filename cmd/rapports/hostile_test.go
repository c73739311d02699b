//go:build unix

package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"github.com/rapports/rapports/corpus"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rapports/rapports/index"
)

// hostileFile is one file of the hostile corpus and what the index run
// must do with it.
type hostileFile struct {
	name string // path under the corpus root
	data []byte
	// good is the number of reports it must add to the index.
	good int
	// reason, if set, is a part of the problem line the run must print
	// for this file ("name...reason").
	reason string
	// find, if set, is a query that must find this file's report.
	find string
}

// bigFileSize is the size of the single-line text file of the hostile corpus.
const bigFileSize = 50 << 20

// smallFiles is the number of small reports in one folder of the hostile corpus.
const smallFiles = 5000

// hostileCorpus writes the hostile corpus under dir and returns what each
// file must give, and the number of good reports in all.
func hostileCorpus(t *testing.T, dir string) (files []hostileFile, good int) {
	t.Helper()
	win1252 := []byte("date 2023-03\ntitle: Note en Windows-1252\n\nLa d\xe9fense a\xe9rienne fran\xe7aise \x96 \xab cormorandier \xbb \x80.\n")
	utf16 := []byte{0xFF, 0xFE}
	for _, r := range "date 2022-05\ntitle: Note en UTF-16\n\nLes élections au Sénégal : grivelinière.\n" {
		utf16 = append(utf16, byte(r), byte(r>>8))
	}
	var nested bytes.Buffer
	nested.WriteString(`{"id": "profond", "text": `)
	nested.WriteString(strings.Repeat("[", 100_000))
	nested.WriteString(strings.Repeat("]", 100_000))
	nested.WriteString("}")
	var lines bytes.Buffer
	for i := range 20 {
		if i == 13 {
			lines.WriteString(`{"id": "flux-13", "title": "ligne cassée", "text": "La suite manque` + "\n")
			continue
		}
		fmt.Fprintf(&lines, `{"id": "flux-%d", "date": "2024-01-%02d", "text": "Dépêche %d sur la Pologne et ses armées."}`+"\n", i, i+1, i)
	}
	// A gzipped JSON Lines file cut in its middle: the lines before the
	// cut are read.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	for i := range 40 {
		fmt.Fprintf(zw, `{"id": "coupe-%d", "text": "Dépêche %d sur la frontière %s."}`+"\n", i, i, strings.Repeat("est ", i))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	cut := gz.Bytes()[:gz.Len()/2]
	zr, err := gzip.NewReader(bytes.NewReader(cut))
	if err != nil {
		t.Fatal(err)
	}
	whole, _ := io.ReadAll(zr) // up to the cut
	cutGood := bytes.Count(whole, []byte("\n"))
	bin := make([]byte, 64<<10)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range bin {
		bin[i] = byte(rng.UintN(256))
	}

	files = []hostileFile{
		// Empty files hold no report: skipped (counted, not listed).
		{name: "vide.txt", data: nil},
		{name: "blanc.md", data: []byte(" \n\r\n\t\n")},
		{name: "vide.json", data: nil, reason: "empty JSON file"},
		{name: "vide.jsonl", data: nil},
		{name: "binaire.txt", data: bin, reason: "not a text file"},
		{name: "elf.md", data: append([]byte("\x7fELF\x02\x01\x01\x00"), bin[:4096]...), reason: "not a text file"},
		{name: "utf8-invalide.txt", data: []byte("date 2021-02\ntitle: Octets invalides\n\nUne note \xff\xfe\xc3 avec des octets invalides : ornithorynque.\n"),
			good: 1, find: "ornithorynque"},
		{name: "utf16.txt", data: utf16, good: 1, find: "grivelinière"},
		{name: "cp1252.txt", data: win1252, good: 1, find: "cormorandier"},
		{name: "profond.json", data: nested.Bytes(), reason: "invalid JSON"},
		{name: "types.json", data: []byte(`{"id": ["a"], "title": 12, "text": true}`), reason: `: field "`},
		{name: "types-tableau.json", data: []byte(`[{"text": "Bon élément : quadrumane."}, {"text": 3}, "chaîne", {"text": "Autre bon élément."}]`),
			good: 2, reason: "element 2", find: "quadrumane"},
		{name: "flux.jsonl", data: lines.Bytes(), good: 19, reason: ":14: invalid JSON"},
		{name: "date-impossible.txt", data: []byte("date: 2024-02-30\ntitle: Date impossible\n\nLe texte reste indexé.\n"),
			good: 1, reason: "date"},
		{name: "tronque.json.gz", data: []byte("pas du gzip"), reason: "gzip: invalid header"},
		{name: "coupe.jsonl.gz", data: cut, good: cutGood, reason: "unexpected EOF"},
		{name: "tronque.pdf", data: []byte("%PDF-1.4"), reason: "truncated PDF"},
	}
	big := make([]byte, 0, bigFileSize)
	words := []string{"la", "défense", "aérienne", "européenne", "renforce", "ses", "moyens", "contre", "les", "drones", "et", "missiles"}
	for len(big) < bigFileSize-100 {
		big = append(big, words[rng.IntN(len(words))]...)
		big = append(big, ' ')
	}
	big = append(big, "hippopotomonstrueux."...)
	// Its body is indexed in parts of at most corpus.MaxPartSize.
	bigParts := len(corpus.SplitParts(corpus.Report{Body: string(big)}))
	files = append(files, hostileFile{name: "grand/une-ligne.txt", data: big, good: bigParts, find: "hippopotomonstrueux"})

	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			t.Fatal(err)
		}
		good += f.good
	}

	// Unreadable: mode 000 for an ordinary user; root reads anything, so
	// then a file whose reads fail (/proc/self/mem at offset 0 answers EIO).
	unreadable := filepath.Join(dir, "illisible.txt")
	if os.Geteuid() != 0 {
		if err := os.WriteFile(unreadable, []byte("date 2024\n\nSecret."), 0o000); err != nil {
			t.Fatal(err)
		}
		files = append(files, hostileFile{name: "illisible.txt", reason: "permission denied"})
	} else if runtime.GOOS == "linux" {
		if err := os.Symlink("/proc/self/mem", unreadable); err != nil {
			t.Fatal(err)
		}
		files = append(files, hostileFile{name: "illisible.txt", reason: "input/output error"})
	} else {
		t.Logf("running as root on %s: no unreadable file", runtime.GOOS)
	}

	// Symbolic link loops: a folder link to an ancestor, a link to itself,
	// and a dangling link.
	for link, target := range map[string]string{
		"boucle/retour": "..", "boucle/soi.txt": "soi.txt", "boucle/perdu.txt": "nulle-part.txt",
	} {
		p := filepath.Join(dir, link)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	files = append(files,
		hostileFile{name: "boucle/retour", reason: "symbolic link loop"},
		hostileFile{name: "boucle/soi.txt", reason: "symbolic link"},
		hostileFile{name: "boucle/perdu.txt", reason: "symbolic link"},
	)

	many := filepath.Join(dir, "nombreux")
	if err := os.MkdirAll(many, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range smallFiles {
		body := fmt.Sprintf("date 2020-%02d-%02d\ntitle: Brève %d\n\nBrève numéro %d sur l'économie du Japon.\n", i%12+1, i%28+1, i, i)
		if err := os.WriteFile(filepath.Join(many, fmt.Sprintf("%05d.txt", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files = append(files, hostileFile{name: "nombreux/04999.txt", good: smallFiles, find: "brève 4999"})
	good += smallFiles
	return files, good
}

// TestHostileCorpus runs one "rapports index" over a corpus of bad files
// among good ones: every bad file is listed with its reason, the run exits
// 0, and every good report is indexed. It logs the run's peak memory.
func TestHostileCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	env := isolated(t)
	root := t.TempDir()
	docs := filepath.Join(root, "docs")
	idxDir := filepath.Join(root, "idx")
	files, good := hostileCorpus(t, docs)

	start := time.Now()
	cmd := binaryCommand(t, env, "index", "--index", idxDir, docs)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	took := time.Since(start)
	if err != nil {
		t.Fatalf("index: %v after %v\nstdout:\n%s\nstderr:\n%s", err, took, out.String(), tail(errOut.String(), 4000))
	}
	t.Logf("index of %d files: %v, peak RSS %s\n%s", len(files)+smallFiles-1, took.Round(time.Millisecond),
		peakRSS(cmd.ProcessState), firstLine(out.String()))

	failed := out.String()
	if i := strings.Index(failed, "\nFailed:\n"); i >= 0 {
		failed = failed[i:]
	} else {
		failed = ""
	}
	for _, f := range files {
		if f.reason == "" {
			continue
		}
		found := false
		for line := range strings.SplitSeq(failed, "\n") {
			if strings.Contains(line, filepath.Join(docs, f.name)) && strings.Contains(line, f.reason) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("index: %s not listed with %q among the failures:\n%s", f.name, f.reason, failed)
		}
	}
	for _, goodName := range []string{"cp1252.txt:", "utf16.txt:", "une-ligne.txt:"} {
		if strings.Contains(failed, goodName) {
			t.Errorf("index: good file %s listed among the failures:\n%s", goodName, failed)
		}
	}

	sout, serr, code := runBinary(t, env, "stats", "--index", idxDir, "--json")
	var st index.Info
	if err := json.Unmarshal([]byte(sout), &st); code != 0 || err != nil {
		t.Fatalf("stats --json: exit %d, %v\n%s%s", code, err, sout, serr)
	}
	if st.Documents != uint64(good) {
		t.Errorf("stats: %d documents, want the %d good reports", st.Documents, good)
	}
	for _, f := range files {
		if f.find == "" {
			continue
		}
		sout, serr, code := runBinary(t, env, "search", "--index", idxDir, "--json", "--size", "1", f.find)
		var res index.Result
		if err := json.Unmarshal([]byte(sout), &res); code != 0 || err != nil {
			t.Errorf("search %q: exit %d, %v\n%s%s", f.find, code, err, sout, serr)
			continue
		}
		if len(res.Hits) == 0 {
			t.Errorf("search %q: no hit; want %s", f.find, f.name)
			continue
		}
		id, _, _ := strings.Cut(res.Hits[0].ID, "#p") // a part of a long report
		if !strings.HasSuffix(id, strings.TrimPrefix(f.name, "nombreux/")) && f.name != "types-tableau.json" {
			t.Errorf("search %q: %d hits %+v; want %s", f.find, res.Total, res.Hits, f.name)
		}
	}
}

// binaryCommand returns the command running the built binary with args in
// the environment env.
func binaryCommand(t *testing.T, env []string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

// peakRSS returns the peak resident memory of a finished process.
func peakRSS(ps *os.ProcessState) string {
	if ps == nil {
		return "unknown"
	}
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return "unknown"
	}
	kb := int64(ru.Maxrss) // kilobytes on Linux, bytes on macOS
	if runtime.GOOS == "darwin" {
		kb /= 1024
	}
	return formatBytes(kb * 1024)
}

// firstLine returns the first line of s.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// tail returns the last n bytes of s.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
