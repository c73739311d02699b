package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// mergeLeftovers merges, at the end of AddPaths and AddFS, the segments
// that Scorch's merge plan (scorchSettings) leaves below half its largest
// size until more of them come, into as few segments of at most that size
// as it can: the reports of the last batches of a run would otherwise stay
// in many small segments, and a search costs about as much per segment as
// per report (issue #15). It does nothing for an index in memory, or when
// the plan has no largest size.
func (idx *Index) mergeLeftovers(ctx context.Context) error {
	max := planMaxSegmentSize(idx.cfg)
	if max <= 0 {
		return nil
	}
	s, ok := idx.scorch()
	if !ok {
		return nil
	}
	// One tier of segments of max reports: every segment below max/2 is
	// eligible, and the budget is as many segments as max-report ones
	// would hold them all.
	opts := &mergeplan.MergePlanOptions{
		MaxSegmentsPerTier:   1,
		MaxSegmentSize:       max,
		TierGrowth:           1,
		SegmentsPerMergeTask: 1 << 20,
		FloorSegmentSize:     max,
		ReclaimDeletesWeight: mergeplan.DefaultMergePlanOptions.ReclaimDeletesWeight,
	}
	// A merge plan is made of the segments of the moment: Scorch's own
	// merges, still going on when the run ends, may leave small segments
	// beside the ones this merge takes, so merge again (at most twice)
	// while two of them remain.
	for range 3 {
		if done, err := idx.forceMergeOnce(ctx, s, opts); !done || err != nil {
			return err
		}
		if smallSegments(s, max) < 2 {
			break
		}
	}
	// Scorch keeps the snapshot before the last one, here the one of the
	// small segments, with their files: writing the metadata again makes
	// a newer one, after which it drops that one and removes its files.
	if err := idx.saveMeta(); err != nil {
		return err
	}
	return idx.dropMergedFiles(ctx, s)
}

// staleWait is how long dropMergedFiles waits, at most, for Scorch to
// remove the files of merged segments; a variable for tests.
var staleWait = 5 * time.Second

// dropMergedFiles waits until the only segment files in the index's folder
// are those of Scorch's current snapshot, writing the metadata again every
// 50 ms while others remain. Scorch's persister removes the files of an
// older snapshot after a persist, and only once nobody holds that snapshot:
// its merger lets go of the snapshot it merged only after the final merge
// has returned, so under load the persist of saveMeta can come first, and
// the files of the small segments stayed on disk until the next Open (one
// run ended with 82 files, 2.03x the text, instead of 6). After staleWait,
// or when ctx ends, it leaves them to the next Open, which removes them.
func (idx *Index) dropMergedFiles(ctx context.Context, s *scorch.Scorch) error {
	deadline := time.Now().Add(staleWait)
	for i := 1; ; i++ {
		stale, err := staleSegmentFiles(s)
		if err != nil || stale == 0 || time.Now().After(deadline) {
			return nil // the next Open removes what is left
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(10 * time.Millisecond):
		}
		if i%5 == 0 {
			if err := idx.saveMeta(); err != nil {
				return err
			}
		}
	}
}

// staleSegmentFiles counts the segment files (.zap) in the folder of the
// segments of Scorch's current snapshot that the snapshot does not use.
func staleSegmentFiles(s *scorch.Scorch) (int, error) {
	r, err := s.Reader()
	if err != nil {
		return 0, err
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return 0, nil
	}
	used := map[string]bool{}
	dir := ""
	for _, seg := range snap.Segments() {
		if p, ok := seg.Segment().(segment.PersistedSegment); ok {
			used[filepath.Base(p.Path())] = true
			dir = filepath.Dir(p.Path())
		}
	}
	if dir == "" {
		return 0, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if filepath.Ext(e.Name()) == ".zap" && !used[e.Name()] {
			n++
		}
	}
	return n, nil
}

// scorch returns the index's Scorch index, false for an index in memory
// (Bleve's upsidedown).
func (idx *Index) scorch() (*scorch.Scorch, bool) {
	adv, err := idx.bi.Advanced()
	if err != nil {
		return nil, false
	}
	s, ok := adv.(*scorch.Scorch)
	return s, ok
}

// forceMergeOnce runs one final merge with opts and waits until the
// persister has written its result. It returns false when ctx ends first,
// and the index's write failure if one comes first.
func (idx *Index) forceMergeOnce(ctx context.Context, s *scorch.Scorch, opts *mergeplan.MergePlanOptions) (bool, error) {
	// Scorch's merger plans only the segments on disk: the last batches'
	// segments may still be in memory, on their way to the persister.
	if done, err := idx.waitPersisted(ctx, s); !done || err != nil {
		return false, err
	}
	// Scorch's ForceMerge waits until its merger has done the merge, and a
	// merger whose segment cannot be written (a full disk, a file size
	// limit) reports the error (onAsyncError) and tries again, forever:
	// wait for the merge, for that failure, or for the end of the run,
	// whichever comes first. The merger stops trying when the writer
	// reopens the failed index (reopen closes Scorch, which ends
	// ForceMerge).
	idx.failMu.Lock()
	failed := idx.failedCh
	idx.failMu.Unlock()
	merged := make(chan error, 1)
	go func() { merged <- s.ForceMerge(ctx, opts) }()
	select {
	case err := <-merged:
		if err != nil && strings.Contains(err.Error(), "force merge already in progress") {
			// The final merge of an earlier, canceled run still goes on.
			return true, nil
		}
		if err != nil {
			return false, fmt.Errorf("index: final merge: %w", err)
		}
	case <-failed:
		return false, idx.failure()
	case <-ctx.Done():
		return false, nil // the run is canceled: the merge stays for later
	}
	// The merged segments replace the small ones on disk once the
	// persister has written the new snapshot: until then, a Close would
	// leave the small ones, and remove the merged one at the next Open.
	if done, err := idx.waitPersisted(ctx, s); !done || err != nil {
		return false, err
	}
	return true, nil
}

// smallSegments counts the segments of Scorch's current snapshot that hold
// fewer than max/2 reports, those a final merge takes.
func smallSegments(s *scorch.Scorch, max int64) int {
	r, err := s.Reader()
	if err != nil {
		return 0
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return 0
	}
	n := 0
	for _, seg := range snap.Segments() {
		if int64(seg.Count()) < max/2 {
			n++
		}
	}
	return n
}

// waitPersisted waits until Scorch's persister has written its current
// snapshot to disk. It returns false when ctx ends first, and the index's
// write failure if one comes first.
func (idx *Index) waitPersisted(ctx context.Context, s *scorch.Scorch) (bool, error) {
	st, ok := s.Stats().(*scorch.Stats)
	if !ok {
		return true, nil
	}
	root := atomic.LoadUint64(&st.CurRootEpoch)
	for atomic.LoadUint64(&st.LastPersistedEpoch) < root {
		if err := idx.failure(); err != nil {
			return false, err
		}
		select {
		case <-ctx.Done():
			return false, nil
		case <-time.After(5 * time.Millisecond):
		}
	}
	return true, nil
}

// planMaxSegmentSize returns the MaxSegmentSize of the merge plan options
// of Scorch configuration cfg, 0 when it has none.
func planMaxSegmentSize(cfg map[string]any) int64 {
	opts, _ := cfg["scorchMergePlanOptions"].(map[string]any)
	switch v := opts["MaxSegmentSize"].(type) {
	case int:
		return int64(v)
	case int64:
		return v
	case float64: // from JSON
		return int64(v)
	}
	return 0
}
