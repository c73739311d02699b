package corpus

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestRelPaths(t *testing.T) {
	root := filepath.FromSlash("/data/rapports")
	for _, tc := range []struct {
		in   []string
		want []string
		err  bool
	}{
		{nil, nil, false},
		{[]string{"b.txt", "a.txt", "b.txt"}, []string{"a.txt", "b.txt"}, false},
		{[]string{"/data/rapports/sub/x.txt", "sub", "sub-b/y.txt", "sub.d/z.txt"}, []string{"sub", "sub-b/y.txt", "sub.d/z.txt"}, false},
		{[]string{"a/b/c.txt", "a/b", "a"}, []string{"a"}, false},
		{[]string{".cache/x.txt", "sub/.tmp-x.txt", "ok.txt"}, []string{"ok.txt"}, false},
		{[]string{"x.txt", "/data/rapports"}, []string{"."}, false},
		{[]string{"/data/autres/x.txt"}, nil, true},
		{[]string{"../x.txt"}, nil, true},
	} {
		in := make([]string, len(tc.in))
		for i, p := range tc.in {
			in[i] = filepath.FromSlash(p)
		}
		got, err := RelPaths(root, in)
		if (err != nil) != tc.err || !tc.err && !slices.Equal(got, tc.want) {
			t.Errorf("RelPaths(%q) = %q, %v; want %q (error: %v)", tc.in, got, err, tc.want, tc.err)
		}
	}
}

// TestWalkPaths checks that WalkPaths gives the reports of its paths as
// Walk of the whole folder gives them, and skips missing paths.
func TestWalkPaths(t *testing.T) {
	root := t.TempDir()
	for rel, body := range map[string]string{
		"a.txt":          "Un rapport.",
		"sub/b.txt":      "Un autre.",
		"sub/deep/c.md":  "# Titre\n\nUn troisième.",
		"sub/.cache.txt": "Caché.",
		"lot.jsonl":      `{"id": "j1", "text": "Dépêche."}` + "\n",
	} {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	all := map[string]Report{}
	if _, err := Walk(ctx, root, Options{}, func(r Report) error { all[r.ID] = r; return nil }); err != nil {
		t.Fatal(err)
	}
	var ids []string
	st, err := WalkPaths(ctx, root, []string{"sub", filepath.Join(root, "lot.jsonl"), "absent.txt", "sub/deep/c.md"}, Options{},
		func(r Report) error {
			ids = append(ids, r.ID)
			if w := all[r.ID]; w.Path != r.Path || w.Hash != r.Hash || w.Title != r.Title {
				t.Errorf("WalkPaths gives %s as %+v; Walk as %+v", r.ID, r, w)
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"j1", "sub/b.txt", "sub/deep/c.md"}; !slices.Equal(ids, want) || st.Files != 3 {
		t.Errorf("WalkPaths: IDs %q, %d files; want %q, 3 files", ids, st.Files, want)
	}
	if _, err := WalkPaths(ctx, filepath.Join(root, "a.txt"), []string{"x"}, Options{}, func(Report) error { return nil }); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("WalkPaths on a file root: %v; want an error saying it is not a folder", err)
	}
}
