package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
)

// TestUpdatePaths applies changes to a folder, then re-reads only their
// paths, and checks each time that the index holds what a whole run of
// AddPaths over the folder would, and that only the given paths were read.
func TestUpdatePaths(t *testing.T) {
	ctx := context.Background()
	idx, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	root := t.TempDir()
	write := func(rel, body string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.txt", "Le barrage du fleuve.")
	write("b.txt", "Le Mali et le Niger.")
	write("sub/c.txt", "La crue du fleuve.")
	write("sub/deep/d.txt", "Le delta du fleuve.")
	write("sub-x/e.txt", "Un rapport voisin.")
	write("lot.jsonl", `{"id": "j1", "text": "Dépêche un."}`+"\n"+`{"id": "j2", "text": "Dépêche deux."}`+"\n")
	if _, err := idx.AddPaths(ctx, []string{root}, AddOptions{}); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name   string
		change func()
		paths  []string
		want   []string   // IDs in the index after
		stats  AddSummary // Added, Updated, Unchanged, Removed, Files
	}{
		{"nothing changed", func() {}, []string{"a.txt"},
			[]string{"a.txt", "b.txt", "j1", "j2", "sub-x/e.txt", "sub/c.txt", "sub/deep/d.txt"},
			AddSummary{Unchanged: 1, Files: 1}},
		{"modified", func() { write("a.txt", "Le barrage a cédé.") }, []string{filepath.Join(root, "a.txt")},
			[]string{"a.txt", "b.txt", "j1", "j2", "sub-x/e.txt", "sub/c.txt", "sub/deep/d.txt"},
			AddSummary{Updated: 1, Files: 1}},
		{"created", func() { write("sub/n.txt", "Un nouveau rapport.") }, []string{"sub/n.txt"},
			[]string{"a.txt", "b.txt", "j1", "j2", "sub-x/e.txt", "sub/c.txt", "sub/deep/d.txt", "sub/n.txt"},
			AddSummary{Added: 1, Files: 1}},
		{"removed", func() { os.Remove(filepath.Join(root, "b.txt")) }, []string{"b.txt"},
			[]string{"a.txt", "j1", "j2", "sub-x/e.txt", "sub/c.txt", "sub/deep/d.txt", "sub/n.txt"},
			AddSummary{Removed: 1}},
		{"record dropped", func() { write("lot.jsonl", `{"id": "j2", "text": "Dépêche deux."}`+"\n") }, []string{"lot.jsonl"},
			[]string{"a.txt", "j2", "sub-x/e.txt", "sub/c.txt", "sub/deep/d.txt", "sub/n.txt"},
			AddSummary{Unchanged: 1, Removed: 1, Files: 1}},
		{"folder renamed", func() {
			if err := os.Rename(filepath.Join(root, "sub"), filepath.Join(root, "moved")); err != nil {
				t.Fatal(err)
			}
		}, []string{"sub", "moved"},
			[]string{"a.txt", "j2", "moved/c.txt", "moved/deep/d.txt", "moved/n.txt", "sub-x/e.txt"},
			AddSummary{Added: 3, Removed: 3, Files: 3}},
		{"file and its folder", func() { write("moved/deep/f.txt", "Un autre.") }, []string{"moved/deep/f.txt", "moved/deep", "moved/deep/f.txt"},
			[]string{"a.txt", "j2", "moved/c.txt", "moved/deep/d.txt", "moved/deep/f.txt", "moved/n.txt", "sub-x/e.txt"},
			AddSummary{Added: 1, Unchanged: 1, Files: 2}},
		{"hidden path", func() { write(".cache/x.txt", "Caché.") }, []string{".cache/x.txt", "moved/.tmp"},
			[]string{"a.txt", "j2", "moved/c.txt", "moved/deep/d.txt", "moved/deep/f.txt", "moved/n.txt", "sub-x/e.txt"},
			AddSummary{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.change()
			st, err := idx.UpdatePaths(ctx, root, tc.paths, AddOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got := AddSummary{Added: st.Added, Updated: st.Updated, Unchanged: st.Unchanged, Removed: st.Removed, Files: st.Files}
			if !reflect.DeepEqual(got, tc.stats) {
				t.Errorf("UpdatePaths(%q) = %+v; want %+v", tc.paths, got, tc.stats)
			}
			ids := indexIDs(t, idx)
			if !slices.Equal(ids, tc.want) {
				t.Errorf("after UpdatePaths(%q): IDs %q; want %q", tc.paths, ids, tc.want)
			}
			// A whole run finds nothing left to do.
			full, err := idx.AddPaths(ctx, []string{root}, AddOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if full.Added+full.Updated+full.Removed != 0 {
				t.Errorf("after UpdatePaths(%q), AddPaths found work: %+v", tc.paths, full)
			}
		})
	}

	if _, err := idx.UpdatePaths(ctx, root, []string{filepath.Dir(root)}, AddOptions{}); !errors.Is(err, ErrBadRequest) {
		t.Errorf("UpdatePaths of a path outside the root: %v; want ErrBadRequest", err)
	}
	// "." is the whole root.
	os.Remove(filepath.Join(root, "a.txt"))
	st, err := idx.UpdatePaths(ctx, root, []string{"moved/c.txt", "."}, AddOptions{})
	if err != nil || st.Removed != 1 || st.Unchanged != 6 {
		t.Errorf("UpdatePaths(.) = %+v, %v; want 1 removed, 6 unchanged", st, err)
	}
}

// indexIDs returns the IDs of every document in idx, sorted.
func indexIDs(t *testing.T, idx *Index) []string {
	t.Helper()
	res, err := idx.bi.Search(bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 10_000, 0, false))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	slices.Sort(ids)
	return ids
}

// TestUpdatePathsDates checks the index's date range after UpdatePaths
// removes reports: narrowed when a removed report held a bound, kept
// otherwise.
func TestUpdatePathsDates(t *testing.T) {
	ctx := context.Background()
	idx, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	root := t.TempDir()
	for name, body := range map[string]string{
		"a.txt": "date 2001-03\n\nLe plus ancien.",
		"b.txt": "date 2010\n\nUn rapport du milieu.",
		"c.txt": "date 2012-05-02\n\nUn autre du milieu.",
		"d.txt": "date 2030-01\n\nLe plus récent.",
		"e.txt": "Un rapport sans date.",
	} {
		if err := os.WriteFile(filepath.Join(root, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := idx.AddPaths(ctx, []string{root}, AddOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		remove      string
		first, last string
	}{
		{"b.txt", "2001-03-01", "2030-01-01"},
		{"e.txt", "2001-03-01", "2030-01-01"},
		{"d.txt", "2001-03-01", "2012-05-02"},
		{"a.txt", "2012-05-02", "2012-05-02"},
		{"c.txt", "", ""},
	} {
		if err := os.Remove(filepath.Join(root, tc.remove)); err != nil {
			t.Fatal(err)
		}
		if _, err := idx.UpdatePaths(ctx, root, []string{tc.remove}, AddOptions{}); err != nil {
			t.Fatal(err)
		}
		st, err := idx.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.FirstDate != tc.first || st.LastDate != tc.last {
			t.Errorf("after removing %s: dates %q to %q; want %q to %q", tc.remove, st.FirstDate, st.LastDate, tc.first, tc.last)
		}
	}
}
