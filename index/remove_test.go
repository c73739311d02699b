package index

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

func TestRemoveRoot(t *testing.T) {
	ctx := context.Background()
	idx, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	fsys := fstest.MapFS{
		"a.txt": {Data: []byte("date 2022-01\n\nLe Tchad et le Niger.")},
		"b.txt": {Data: []byte("date 2022-02\n\nLe Mali.")},
	}
	if _, err := idx.AddFS(ctx, fsys, "exemple", AddOptions{}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "c.txt"), []byte("date 2024-05\n\nLa Jordanie."), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := idx.AddPaths(ctx, []string{dir}, AddOptions{}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		root        string
		removed     int
		left        uint64
		first, last string
	}{
		{"inconnu", 0, 3, "2022-01-01", "2024-05-01"},
		{"exemple", 2, 1, "2024-05-01", "2024-05-01"},
		{"exemple", 0, 1, "2024-05-01", "2024-05-01"},
		{dir, 1, 0, "", ""},
	}
	for _, tc := range cases {
		n, err := idx.RemoveRoot(ctx, tc.root)
		if err != nil {
			t.Fatalf("RemoveRoot(%q): %v", tc.root, err)
		}
		st, err := idx.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != tc.removed || st.Documents != tc.left || st.FirstDate != tc.first || st.LastDate != tc.last {
			t.Errorf("RemoveRoot(%q) = %d, then %d documents from %q to %q; want %d, %d, %q to %q",
				tc.root, n, st.Documents, st.FirstDate, st.LastDate, tc.removed, tc.left, tc.first, tc.last)
		}
	}
}
