package index

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rapports/rapports/corpus"
)

// TestDateRangeShrinks checks that the index's date range follows
// deletions, both by Delete and when a re-indexed root lost a file.
func TestDateRangeShrinks(t *testing.T) {
	ctx := context.Background()
	idx, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	day := func(s string) corpus.Date {
		d, err := corpus.ParseISODate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	err = idx.Add(ctx,
		corpus.Report{ID: "ancien", Date: day("2019-03"), Body: "Le Tchad en 2019."},
		corpus.Report{ID: "milieu", Date: day("2022-05-04"), Body: "Le Niger en 2022."},
		corpus.Report{ID: "recent", Date: day("2025"), Body: "Le Mali en 2025."},
		corpus.Report{ID: "sans-date", Body: "Le Bénin, sans date."},
	)
	if err != nil {
		t.Fatal(err)
	}
	check := func(step, first, last string) {
		t.Helper()
		st, err := idx.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.FirstDate != first || st.LastDate != last {
			t.Errorf("%s: date range %q to %q; want %q to %q", step, st.FirstDate, st.LastDate, first, last)
		}
	}
	check("after Add", "2019-03-01", "2025-01-01")
	if err := idx.Delete(ctx, "ancien", "recent"); err != nil {
		t.Fatal(err)
	}
	check("after Delete", "2022-05-04", "2022-05-04")
	if err := idx.Delete(ctx, "milieu"); err != nil {
		t.Fatal(err)
	}
	check("with no dated report", "", "")

	// A root re-indexed after a file is gone.
	dir := t.TempDir()
	for name, text := range map[string]string{
		"a.txt": "date 2021-02\n\nLa Jordanie.",
		"b.txt": "date 2023-09\n\nLe Liban.",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := idx.AddPaths(ctx, []string{dir}, AddOptions{}); err != nil {
		t.Fatal(err)
	}
	check("after AddPaths", "2021-02-01", "2023-09-01")
	if err := os.Remove(filepath.Join(dir, "b.txt")); err != nil {
		t.Fatal(err)
	}
	st, err := idx.AddPaths(ctx, []string{dir}, AddOptions{})
	if err != nil || st.Removed != 1 {
		t.Fatalf("AddPaths again: removed %d, %v; want 1 removed", st.Removed, err)
	}
	check("after a file is gone", "2021-02-01", "2021-02-01")
}
