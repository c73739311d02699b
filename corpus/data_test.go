package corpus

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// sharedData is the reference data folder beside the repository.
const sharedData = "../../shared/data"

// sharedDigests are the digests (reportsDigest) of the walks of the shared
// data folder's roots, those of main 0225e99: a change of the reading, of
// the title, date, countries or organisations found, changes them. A
// change made on purpose gives new ones.
var sharedDigests = map[string]string{
	"docs":               "4307cb77f9e5c086",
	"countries":          "e3b0c44298fc1c14",
	"snowball-fr":        "b91b00f3c6ed2659",
	"README.md":          "6fafc51c63f1f3d8",
	"tvnews-fr.jsonl.gz": "398df19247d6ad5d",
}

// TestSharedData reads every file of the shared data folder (the 314 MB
// JSON Lines file only without -short), checks the digest of its reports'
// IDs and hashes (sharedDigests), and reports the counts.
func TestSharedData(t *testing.T) {
	if _, err := os.Stat(sharedData); err != nil {
		t.Skipf("shared data absent: %v", err)
	}
	big := filepath.Join(sharedData, "tvnews-fr", "tvnews-fr.jsonl.gz")
	roots := []string{
		filepath.Join(sharedData, "tvnews-fr", "docs"),
		filepath.Join(sharedData, "countries"),
		filepath.Join(sharedData, "snowball-fr"),
		filepath.Join(sharedData, "README.md"),
	}
	if !testing.Short() {
		roots = append(roots, big)
	}
	for _, root := range roots {
		t.Run(filepath.Base(root), func(t *testing.T) {
			var problems []string
			var dated, withCountry, reports int
			digest := sha256.New()
			st, err := Walk(context.Background(), root, Options{
				OnProblem: func(p Problem) { problems = append(problems, p.Error()) },
			}, func(r Report) error {
				reports++
				fmt.Fprintf(digest, "%s\t%s\n", r.ID, r.Hash)
				if !r.Date.IsZero() {
					dated++
				}
				if len(r.Countries) > 0 {
					withCountry++
				}
				if r.ID == "" || r.Hash == "" || r.Body == "" {
					return errors.New("report " + r.ID + " without ID, hash or body")
				}
				if len(r.Countries) != len(r.Mentions) {
					return errors.New("report " + r.ID + ": countries and mentions differ in length")
				}
				return nil
			})
			if err != nil {
				t.Fatalf("Walk(%s): %v", root, err)
			}
			if len(problems) > 0 {
				t.Errorf("Walk(%s): %d problems on good files, first: %s", root, len(problems), strings.Join(problems[:min(5, len(problems))], "; "))
			}
			if got, want := hex.EncodeToString(digest.Sum(nil))[:16], sharedDigests[filepath.Base(root)]; got != want {
				t.Errorf("Walk(%s): digest of the IDs and hashes %s; want %s", root, got, want)
			}
			if st.Reports != reports {
				t.Errorf("WalkCounts.Reports = %d; emitted %d", st.Reports, reports)
			}
			t.Logf("%s: %d files, %d skipped, %d reports, %d with a date, %d with a country, %.1f MB",
				root, st.Files, st.Skipped, reports, dated, withCountry, float64(st.Bytes)/1e6)
		})
	}
}

// BenchmarkExtract measures extraction (read, decode, header, title, date,
// countries, hash) on the real reports of tvnews-fr/docs, one core.
func BenchmarkExtract(b *testing.B) {
	root := filepath.Join(sharedData, "tvnews-fr", "docs")
	if _, err := os.Stat(root); err != nil {
		b.Skipf("shared data absent: %v", err)
	}
	st, err := Walk(context.Background(), root, Options{}, func(Report) error { return nil })
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Bytes)
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		if _, err := Walk(context.Background(), root, Options{}, func(Report) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu, st.Bytes)
}

// reportCPU reports the throughput per second of process CPU time since
// cpu: on a shared machine, wall-clock MB/s also count the time spent
// waiting for a core.
func reportCPU(b *testing.B, cpu time.Duration, bytes int64) {
	if cpu == 0 {
		return
	}
	if used := cpuTime() - cpu; used > 0 {
		b.ReportMetric(float64(bytes)*float64(b.N)/1e6/used.Seconds(), "MB/cpu-s")
	}
}

// BenchmarkFindCountries measures the gazetteer alone on the same texts.
func BenchmarkFindCountries(b *testing.B) {
	texts := loadDocs(b)
	var n int64
	for _, t := range texts {
		n += int64(len(t))
	}
	b.SetBytes(n)
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		for _, t := range texts {
			FindCountries(t)
		}
	}
	reportCPU(b, cpu, n)
}

// BenchmarkFindDate measures the date search alone (texts without header).
func BenchmarkFindDate(b *testing.B) {
	texts := loadDocs(b)
	var n int64
	for i, t := range texts {
		if _, body, ok := strings.Cut(t, "\n\n"); ok {
			texts[i] = body
		}
		n += int64(len(texts[i]))
	}
	b.SetBytes(n)
	b.ResetTimer()
	for b.Loop() {
		for _, t := range texts {
			findDate(t, dateWindow)
		}
	}
}

func loadDocs(b *testing.B) []string {
	b.Helper()
	texts, err := loadTexts()
	if err != nil {
		b.Skipf("shared data absent: %v", err)
	}
	return texts
}

// loadTexts returns the texts of the files of tvnews-fr/docs.
func loadTexts() ([]string, error) {
	root := filepath.Join(sharedData, "tvnews-fr", "docs")
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var texts []string
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(root, e.Name()))
		if err != nil {
			return nil, err
		}
		texts = append(texts, string(data))
	}
	return texts, nil
}

// BenchmarkExtractJSONL measures the JSON Lines path (decode, fields,
// date, countries, hash) on the first 32 MB of tvnews-fr.jsonl.gz,
// decompressed in memory beforehand so that gunzip is not counted.
func BenchmarkExtractJSONL(b *testing.B) {
	f, err := os.Open(filepath.Join(sharedData, "tvnews-fr", "tvnews-fr.jsonl.gz"))
	if err != nil {
		b.Skipf("shared data absent: %v", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	data, err := io.ReadAll(io.LimitReader(zr, 32<<20))
	if err != nil {
		b.Fatal(err)
	}
	data = data[:bytes.LastIndexByte(data, '\n')+1]
	fsys := fstest.MapFS{"tv.jsonl": {Data: data}}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		st, err := WalkFS(context.Background(), fsys, Options{}, func(Report) error { return nil })
		if err != nil || st.Failed > 0 {
			b.Fatalf("WalkFS: %+v, %v", st, err)
		}
	}
	reportCPU(b, cpu, int64(len(data)))
}
