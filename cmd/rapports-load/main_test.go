package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRunSmoke runs a short load over a small index built from a generated
// JSON Lines file, with reports added during the run: every request must
// succeed.
func TestRunSmoke(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data.jsonl")
	var b strings.Builder
	enc := json.NewEncoder(&b)
	topics := []string{"élection présidentielle", "grève des transports", "réforme des retraites", "inondations et tempête",
		"guerre en Ukraine", "prix de l'essence", "santé et hôpital", "défense aérienne", "incendie de forêt", "chômage"}
	for i := range 300 {
		topic := topics[i%len(topics)]
		if err := enc.Encode(map[string]string{
			"id": fmt.Sprintf("d-%d", i), "date": fmt.Sprintf("%d-%02d-01", 2015+i%9, 1+i%12), "title": "Sujet : " + topic,
			"text": fmt.Sprintf("Reportage %d en France sur %s, avec le gouvernement et les agriculteurs.", i, topic),
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(data, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := config{indexDir: filepath.Join(dir, "idx"), data: data, docs: 200, clients: 4,
		duration: time.Second, timeout: 10 * time.Second, write: 100, seed: 1}
	rep, err := run(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	rep.print(&out)
	t.Log("\n" + out.String())
	if rep.Documents != 200 || rep.Requests == 0 || rep.Errors != 0 || rep.Written != 100 || rep.WriteErr != "" || rep.P50 <= 0 {
		t.Errorf("load run: %+v; want 200 documents, requests without error, 100 written", rep)
	}
}

func TestCheckLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:8080": true, "[::1]:80": true, "10.1.2.3:80": false, "192.168.0.1:8080": false, "8.8.8.8:53": false, "nohost": false,
	} {
		if err := checkLoopback(addr); (err == nil) != ok {
			t.Errorf("checkLoopback(%q) = %v; want ok %v", addr, err, ok)
		}
	}
}
