package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/rapports/rapports/corpus"
	"github.com/rapports/rapports/corpus/sample"
)

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func find(t *testing.T, idx *Index, q string) []string {
	t.Helper()
	res, err := idx.Search(context.Background(), Request{Query: q, Size: MaxSize})
	if err != nil {
		t.Fatalf("Search(%q): %v", q, err)
	}
	return sorted(ids(res))
}

func TestAddPathsIncremental(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	root := filepath.Join(dir, "corpus")
	other := filepath.Join(dir, "other")
	writeFile(t, filepath.Join(root, "a.txt"), "date 2024-06\n\nLes drones du Mali\n\nL'armée malienne utilise des drones.")
	writeFile(t, filepath.Join(root, "b.txt"), "date 2023-01-05\n\nLa défense aérienne\n\nLes défenses aériennes israéliennes.")
	writeFile(t, filepath.Join(root, "sub", "c.txt"), "date 2022\n\nÉconomie\n\nL'économie française ralentit.")
	writeFile(t, filepath.Join(root, "bad.json"), "{not json")
	writeFile(t, filepath.Join(other, "d.txt"), "date 2021\n\nAutre corpus\n\nDes drones ailleurs.")

	idx, err := Open(filepath.Join(dir, "idx"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	var calls int
	opts := AddOptions{Progress: func(Progress) { calls++ }}
	st, err := idx.AddPaths(ctx, []string{root, other}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if st.Added != 4 || st.Updated != 0 || st.Unchanged != 0 || st.Removed != 0 || st.Failed != 1 || len(st.Problems) != 1 || calls == 0 {
		t.Errorf("first AddPaths = %+v (%d progress calls); want 4 added, 1 failed", st, calls)
	}
	if len(st.Problems) == 1 && !strings.Contains(st.Problems[0].Error(), "bad.json") {
		t.Errorf("problem %q does not name bad.json", st.Problems[0])
	}
	if got := find(t, idx, "drones"); len(got) != 2 {
		t.Errorf("drones: %q; want 2 hits", got)
	}

	// Same files: nothing to do.
	st, err = idx.AddPaths(ctx, []string{root}, AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Added != 0 || st.Updated != 0 || st.Unchanged != 3 || st.Removed != 0 {
		t.Errorf("second AddPaths = %+v; want 3 unchanged", st)
	}

	// One changed, one removed, one new; the other root keeps its report.
	writeFile(t, filepath.Join(root, "a.txt"), "date 2024-06\n\nLes blindés du Mali\n\nL'armée malienne utilise des blindés.")
	os.Remove(filepath.Join(root, "b.txt"))
	writeFile(t, filepath.Join(root, "e.txt"), "date 2025-02\n\nNouveau\n\nUn nouveau rapport sur les drones.")
	st, err = idx.AddPaths(ctx, []string{root}, AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Added != 1 || st.Updated != 1 || st.Unchanged != 1 || st.Removed != 1 {
		t.Errorf("third AddPaths = %+v; want 1 added, 1 updated, 1 unchanged, 1 removed", st)
	}
	if got, want := find(t, idx, "drones"), []string{"d.txt", "e.txt"}; !slices.Equal(got, want) {
		t.Errorf("drones after update: %q; want %q", got, want)
	}
	if got := find(t, idx, "blindés"); !slices.Equal(got, []string{"a.txt"}) {
		t.Errorf("blindés after update: %q; want a.txt", got)
	}

	// A missing root is an error and removes nothing.
	if _, err := idx.AddPaths(ctx, []string{filepath.Join(dir, "missing")}, AddOptions{}); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("AddPaths(missing) error = %v; want one naming the root", err)
	}
	st2, err := idx.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st2.Documents != 4 {
		t.Errorf("Stats().Documents = %d; want 4", st2.Documents)
	}
}

func TestAddPathsCanceled(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "corpus")
	for i := range 300 {
		writeFile(t, filepath.Join(root, strings.Repeat("x", 1+i%5)+"-"+time.Duration(i).String()+".txt"),
			"date 2024-06\n\nRapport\n\nLes drones de l'armée, rapport numéro "+time.Duration(i).String()+".")
	}
	idx, err := Open(filepath.Join(dir, "idx"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	ctx, cancel := context.WithCancel(context.Background())
	opts := AddOptions{BatchSize: 10, Progress: func(p Progress) {
		if p.Reports >= 50 {
			cancel()
		}
	}}
	st, err := idx.AddPaths(ctx, []string{root}, opts)
	if err != nil {
		t.Fatalf("canceled AddPaths: %v", err)
	}
	if !st.Canceled || st.Added == 0 || st.Added >= 300 {
		t.Errorf("canceled AddPaths = %+v; want Canceled with some but not all added", st)
	}
	// The index is usable and a new run completes it.
	st, err = idx.AddPaths(context.Background(), []string{root}, AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Canceled || st.Added+st.Unchanged != 300 {
		t.Errorf("resumed AddPaths = %+v; want 300 added or unchanged", st)
	}
	res, err := idx.Search(context.Background(), Request{Query: "drones"})
	if err != nil || res.Total != 300 {
		t.Errorf("drones after resume: %v, %v; want 300 hits", res, err)
	}
}

func TestAddFS(t *testing.T) {
	idx, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	ctx := context.Background()
	st, err := idx.AddFS(ctx, sample.FS, "sample", AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Added < 40 || st.Failed != 0 {
		first := ""
		if len(st.Problems) > 0 {
			first = st.Problems[0].Error()
		}
		t.Errorf("AddFS(sample): %d added, %d failed (first: %s); want 40+ added, none failed", st.Added, st.Failed, first)
	}
	fsys := fstest.MapFS{"x.txt": {Data: []byte("date 2024\n\nTitre\n\nLes drones.")}}
	if _, err := idx.AddFS(ctx, fsys, "mem", AddOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := find(t, idx, "title:titre"); !slices.Equal(got, []string{"x.txt"}) {
		t.Errorf("title:titre = %q; want x.txt", got)
	}
	// Re-indexing the sample does not touch the other root.
	st, err = idx.AddFS(ctx, sample.FS, "sample", AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Added != 0 || st.Removed != 0 || st.Unchanged < 40 {
		t.Errorf("second AddFS(sample) = %+v; want all unchanged", st)
	}
}

func TestOpenPersistence(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "idx")
	idx, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := idx.Add(ctx, fixture()...); err != nil {
		t.Fatal(err)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	idx, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if got := find(t, idx, "drones"); len(got) != 3 {
		t.Errorf("drones after reopen: %q; want 3 hits", got)
	}
	st, err := idx.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Documents != 6 || st.FirstDate != "2022-01-01" || st.SizeBytes == 0 || st.Path != path || st.SchemaVersion != SchemaVersion {
		t.Errorf("Stats after reopen = %+v", st)
	}
}

func TestOpenLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "idx")
	idx, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	start := time.Now()
	_, err = Open(path, Options{LockTimeout: 200 * time.Millisecond})
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), path) {
		t.Errorf("second Open error = %v; want ErrLocked naming %s", err, path)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("second Open took %v", d)
	}
}

func TestOpenIncompatible(t *testing.T) {
	path := filepath.Join(t.TempDir(), "idx")
	idx, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	idx.meta.Schema = SchemaVersion + 1
	if err := idx.saveMeta(); err != nil {
		t.Fatal(err)
	}
	idx.Close()
	_, err = Open(path, Options{})
	if !errors.Is(err, ErrIncompatible) || !strings.Contains(err.Error(), "re-index") || !strings.Contains(err.Error(), path) {
		t.Errorf("Open of a schema %d index: error %v; want ErrIncompatible naming the path", SchemaVersion+1, err)
	}

	// A folder holding something else is not an index.
	other := t.TempDir()
	writeFile(t, filepath.Join(other, "notes.txt"), "x")
	if _, err := Open(other, Options{}); err == nil || !strings.Contains(err.Error(), "holds no index") {
		t.Errorf("Open(non-index folder) error = %v", err)
	}
	if _, err := Open(filepath.Join(t.TempDir(), "none"), Options{ReadOnly: true}); err == nil {
		t.Errorf("Open(missing, read-only) succeeded")
	}
}

func TestAddErrors(t *testing.T) {
	idx, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	err = idx.Add(context.Background(), corpus.Report{ID: "a"}, corpus.Report{Title: "sans id"})
	if !errors.Is(err, ErrBadRequest) || !strings.Contains(err.Error(), "sans id") {
		t.Errorf("Add without ID: error %v", err)
	}
	idx.Close()
	if err := idx.Add(context.Background(), corpus.Report{ID: "a"}); !errors.Is(err, ErrClosed) {
		t.Errorf("Add after Close: error %v; want ErrClosed", err)
	}
	if _, err := idx.Document(context.Background(), "a", DocumentOptions{}); !errors.Is(err, ErrClosed) {
		t.Errorf("Document after Close: error %v; want ErrClosed", err)
	}
}

func TestSearchWhileIndexing(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "corpus")
	for i := range 200 {
		writeFile(t, filepath.Join(root, fmt.Sprintf("r%03d.txt", i)), fmt.Sprintf("date 2024-%02d\n\nRapport %d\n\nLes drones de l'armée.", 1+i%12, i))
	}
	idx, err := Open(filepath.Join(dir, "idx"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	ctx := context.Background()
	done := make(chan error)
	go func() {
		_, err := idx.AddPaths(ctx, []string{root}, AddOptions{BatchSize: 20})
		done <- err
	}()
	var last uint64
	for running := true; running; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			running = false
		default:
		}
		res, err := idx.Search(ctx, Request{Query: "drones", Highlight: true})
		if err != nil {
			t.Fatalf("Search during AddPaths: %v", err)
		}
		if res.Total < last {
			t.Errorf("Search during AddPaths: total went from %d down to %d", last, res.Total)
		}
		last = res.Total
	}
	res, err := idx.Search(ctx, Request{Query: "drones"})
	if err != nil || res.Total != 200 {
		t.Errorf("Search after AddPaths = %v, %v; want 200 hits", res, err)
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := idx.Search(canceled, Request{Query: "drones"}); !errors.Is(err, context.Canceled) {
		t.Errorf("Search with a canceled context: error %v; want context.Canceled", err)
	}
}
