package index

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// TestMergeLeftovers checks that AddFS ends by merging the small segments
// its last batches left: with batches of 50 and a plan of segments of at
// most 2,000 reports merged 40 at a time, 3,000 reports end in 2 segments
// (1,950 and 1,050 reports), not in one merged segment and 21 of one batch.
func TestMergeLeftovers(t *testing.T) {
	old := scorchSettings
	scorchSettings = map[string]any{"scorchMergePlanOptions": map[string]any{
		"MaxSegmentSize": 2000, "MaxSegmentsPerTier": 40, "SegmentsPerMergeTask": 40, "FloorSegmentSize": 50}}
	defer func() { scorchSettings = old }()
	const n = 3000
	var lines strings.Builder
	for i := range n {
		fmt.Fprintf(&lines, `{"id": "r%d", "text": "Rapport %d sur la défense aérienne."}`+"\n", i, i)
	}
	fsys := fstest.MapFS{"flux.jsonl": {Data: []byte(lines.String())}}
	dir := filepath.Join(t.TempDir(), "idx")
	idx, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := idx.AddFS(context.Background(), fsys, "flux", AddOptions{BatchSize: 50})
	if err != nil {
		t.Fatal(err)
	}
	if st.Added != n {
		t.Errorf("%d reports added, want %d", st.Added, n)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	_, segs := treeStats(dir)
	t.Logf("%d segment files after Close", segs)
	// Opening removes the files of merged segments Close left.
	if idx, err = Open(dir, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	if _, segs := treeStats(dir); segs > 2 {
		t.Errorf("%d segments after AddFS, want at most 2", segs)
	}
}
