package index

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// TestIndexCanceled checks that a run whose context is done stops after
// the batch being built: the reports already read ahead are not indexed,
// and a second run adds exactly the rest.
func TestIndexCanceled(t *testing.T) {
	const n, batch = 5000, 100
	var lines strings.Builder
	for i := range n {
		fmt.Fprintf(&lines, `{"id": "r%d", "text": "Rapport %d sur la défense aérienne."}`+"\n", i, i)
	}
	fsys := fstest.MapFS{"flux.jsonl": {Data: []byte(lines.String())}}
	idx, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := idx.AddFS(ctx, fsys, "flux", AddOptions{BatchSize: batch, Progress: func(Progress) { cancel() }})
	if err != nil {
		t.Fatalf("AddFS canceled: %v", err)
	}
	if !st.Canceled || st.Added != batch {
		t.Errorf("AddFS canceled after its first batch: canceled %v, %d added; want true and %d (the reports read ahead are not indexed)",
			st.Canceled, st.Added, batch)
	}
	stats, err := idx.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if stats.Documents != uint64(st.Added) {
		t.Errorf("after the canceled run: %d documents, want the %d added", stats.Documents, st.Added)
	}

	st2, err := idx.AddFS(context.Background(), fsys, "flux", AddOptions{BatchSize: batch})
	if err != nil {
		t.Fatal(err)
	}
	if st2.Canceled || st2.Added != n-st.Added || st2.Unchanged != st.Added {
		t.Errorf("second run: %+v; want %d added and %d unchanged", st2, n-st.Added, st.Added)
	}
}
