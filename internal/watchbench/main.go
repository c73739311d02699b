// Command watchbench measures "rapports serve --watch" on a folder of many
// small files: the CPU it uses while nothing changes, the time from a new,
// changed or deleted file to the search answering it, and the duration of
// the index pass after one change (from serve's log).
//
//	go build -o /tmp/rapports ./cmd/rapports
//	go run ./internal/watchbench -bin /tmp/rapports -dir /tmp/wb -files 50000
//
// The corpus (files small French reports, 100 per folder) is generated
// into DIR/docs when absent, deterministically; the index goes to
// DIR/idx-NAME (removed first). Extra serve flags follow "--".
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

var words = strings.Fields(`armée défense aérienne gouvernement ministre élection président
économie croissance inflation budget réforme énergie gaz pétrole nucléaire climat sécheresse
inondation migration frontière accord sommet diplomatie sanctions guerre paix négociation`)

func main() {
	bin := flag.String("bin", "rapports", "the rapports binary")
	dir := flag.String("dir", "/tmp/watchbench", "work folder (corpus in DIR/docs)")
	files := flag.Int("files", 50_000, "files of the corpus")
	name := flag.String("name", "run", "name of the run (index folder DIR/idx-NAME)")
	idle := flag.Duration("idle", 30*time.Second, "how long to measure the idle CPU")
	rounds := flag.Int("rounds", 5, "rounds of create, modify, delete")
	interval := flag.String("interval", "2s", "serve's --interval")
	flag.Parse()

	docs := filepath.Join(*dir, "docs")
	if err := generate(docs, *files); err != nil {
		log.Fatal(err)
	}
	idx := filepath.Join(*dir, "idx-"+*name)
	if err := os.RemoveAll(idx); err != nil {
		log.Fatal(err)
	}
	args := append([]string{"serve", "--index", idx, "--addr", "127.0.0.1:0", "--watch", docs, "--interval", *interval}, flag.Args()...)
	cmd := exec.Command(*bin, args...)
	stderr, _ := cmd.StderrPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	var mu sync.Mutex
	var passes []string // "duration" of each "watch: indexed" line
	var logLines []string
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			mu.Lock()
			logLines = append(logLines, line)
			if strings.Contains(line, "watch: indexed") {
				passes = append(passes, field(line, "duration"))
			}
			mu.Unlock()
		}
	}()
	base := ""
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if _, u, ok := strings.Cut(sc.Text(), " on "); ok && strings.HasPrefix(u, "http") {
			base = u
			break
		}
	}
	if base == "" {
		log.Fatal("serve printed no URL")
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	start := time.Now()
	waitFor(base, "rapport", uint64(*files), 10*time.Minute)
	fmt.Printf("first pass: %d files searchable after %v\n", *files, time.Since(start).Round(time.Millisecond))
	time.Sleep(3 * time.Second) // let the last pass and merges settle

	// Idle CPU.
	t0, c0 := time.Now(), cpuTicks(cmd.Process.Pid)
	time.Sleep(*idle)
	t1, c1 := time.Now(), cpuTicks(cmd.Process.Pid)
	fmt.Printf("idle CPU over %v: %.1f%% of a core\n", t1.Sub(t0).Round(time.Second), 100*float64(c1-c0)/100/t1.Sub(t0).Seconds())

	var created, modified, deleted []time.Duration
	for r := range *rounds {
		word := fmt.Sprintf("zorglub%dq", r)
		word2 := fmt.Sprintf("bulgroz%dq", r)
		p := filepath.Join(docs, "d0000", fmt.Sprintf("nouveau-%d.txt", r))
		mu.Lock()
		before := len(passes)
		mu.Unlock()
		t := time.Now()
		must(os.WriteFile(p, []byte("Un nouveau rapport sur le "+word+".\n"), 0o644))
		waitFor(base, word, 1, time.Minute)
		created = append(created, time.Since(t))
		time.Sleep(300 * time.Millisecond)
		t = time.Now()
		must(os.WriteFile(p, []byte("Un rapport changé sur le "+word2+".\n"), 0o644))
		waitFor(base, word2, 1, time.Minute)
		modified = append(modified, time.Since(t))
		time.Sleep(300 * time.Millisecond)
		t = time.Now()
		must(os.Remove(p))
		waitFor(base, word2, 0, time.Minute)
		deleted = append(deleted, time.Since(t))
		time.Sleep(time.Second)
		mu.Lock()
		fmt.Printf("round %d: created %v, modified %v, deleted %v; passes %v\n", r+1,
			created[r].Round(time.Millisecond), modified[r].Round(time.Millisecond), deleted[r].Round(time.Millisecond), passes[before:])
		mu.Unlock()
	}
	fmt.Printf("median: created→searchable %v, modified %v, deleted %v\n", median(created), median(modified), median(deleted))
	mu.Lock()
	for _, l := range logLines {
		if strings.Contains(l, "watching") || strings.Contains(l, "polling") || strings.Contains(l, "events") {
			fmt.Println("log:", l)
		}
	}
	mu.Unlock()
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2].Round(time.Millisecond)
}

// field returns the value of key in a text or JSON log line.
func field(line, key string) string {
	var m map[string]any
	if json.Unmarshal([]byte(line), &m) == nil {
		return fmt.Sprint(m[key])
	}
	_, v, ok := strings.Cut(line, key+"=")
	if !ok {
		return ""
	}
	v, _, _ = strings.Cut(v, " ")
	return v
}

// cpuTicks returns utime+stime of pid, in clock ticks (100 per second).
func cpuTicks(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		log.Fatal(err)
	}
	_, rest, _ := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return u + s
}

// waitFor polls the search of q until its total is want.
func waitFor(base, q string, want uint64, limit time.Duration) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "api/search?highlight=false&size=1&q=" + url.QueryEscape(q))
		if err == nil {
			var res struct{ Total uint64 }
			_ = json.NewDecoder(resp.Body).Decode(&res)
			resp.Body.Close()
			if res.Total == want {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	log.Fatalf("search %q: not %d hits after %v", q, want, limit)
}

// generate writes n small reports under dir, 100 per folder, unless dir
// already holds them.
func generate(dir string, n int) error {
	if _, err := os.Stat(filepath.Join(dir, ".done")); err == nil {
		return nil
	}
	for i := range n {
		sub := filepath.Join(dir, fmt.Sprintf("d%04d", i/100))
		if i%100 == 0 {
			if err := os.MkdirAll(sub, 0o755); err != nil {
				return err
			}
		}
		body := fmt.Sprintf("date %d-%02d\ntitle: Rapport %d\n\nCe rapport numéro %d traite de %s, de %s et de %s.\n",
			2000+i%25, i%12+1, i, i, words[i%len(words)], words[(i/7)%len(words)], words[(i/49)%len(words)])
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("r%05d.txt", i)), []byte(body), 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, ".done"), nil, 0o644)
}
