package index

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
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
	// The files of the merged segments are gone before AddFS returns
	// (dropMergedFiles), not only at the next Open.
	if _, segs := treeStats(dir); segs > 2 {
		t.Errorf("%d segment files after AddFS and Close, want at most 2", segs)
	}
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

// TestDropMergedFiles holds the snapshot of six segments while they are
// merged into one, as Scorch's merger does for a moment after a final
// merge: their files stay on disk after the metadata is written again,
// and dropMergedFiles waits until they are removed once the snapshot is
// let go.
func TestDropMergedFiles(t *testing.T) {
	old := scorchSettings
	// Tiers of 40 segments and no largest size: neither Scorch's merger nor
	// the end of AddFS merges the six segments of one batch.
	scorchSettings = map[string]any{"scorchMergePlanOptions": map[string]any{
		"MaxSegmentsPerTier": 40, "SegmentsPerMergeTask": 40, "FloorSegmentSize": 50}}
	defer func() { scorchSettings = old }()
	dir := filepath.Join(t.TempDir(), "idx")
	idx, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	var lines strings.Builder
	for i := range 300 {
		fmt.Fprintf(&lines, `{"id": "r%d", "text": "Rapport %d sur la défense aérienne."}`+"\n", i, i)
	}
	fsys := fstest.MapFS{"flux.jsonl": {Data: []byte(lines.String())}}
	if _, err := idx.AddFS(context.Background(), fsys, "flux", AddOptions{BatchSize: 50}); err != nil {
		t.Fatal(err)
	}
	s, ok := idx.scorch()
	if !ok {
		t.Fatal("not a Scorch index")
	}
	ctx := context.Background()
	if done, err := idx.waitPersisted(ctx, s); !done || err != nil {
		t.Fatal(done, err)
	}
	held, err := s.Reader()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(held.(*scorch.IndexSnapshot).Segments()); n < 2 {
		held.Close()
		t.Fatalf("%d segments before the merge, want several", n)
	}
	if err := s.ForceMerge(ctx, &mergeplan.SingleSegmentMergePlanOptions); err != nil {
		held.Close()
		t.Fatal(err)
	}
	if done, err := idx.waitPersisted(ctx, s); !done || err != nil {
		held.Close()
		t.Fatal(done, err)
	}
	if err := idx.saveMeta(); err != nil {
		held.Close()
		t.Fatal(err)
	}
	stale, err := staleSegmentFiles(s)
	if err != nil || stale == 0 {
		held.Close()
		t.Fatalf("%d stale segment files while the old snapshot is held (err %v), want several", stale, err)
	}
	go func() {
		time.Sleep(100 * time.Millisecond)
		held.Close()
	}()
	if err := idx.dropMergedFiles(ctx, s); err != nil {
		t.Fatal(err)
	}
	if stale, err := staleSegmentFiles(s); err != nil || stale != 0 {
		t.Errorf("%d stale segment files after dropMergedFiles (err %v), want 0", stale, err)
	}
	if _, segs := treeStats(dir); segs != 1 {
		t.Errorf("%d segment files, want 1", segs)
	}
}
