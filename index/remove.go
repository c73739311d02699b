package index

import (
	"context"
	"fmt"
)

// RemoveRoot deletes every report indexed from root: the absolute form of
// a path given to AddPaths (it makes relative paths absolute), or the
// name given to AddFS. It returns how many reports it removed; a root
// that the index does not know removes nothing.
func (idx *Index) RemoveRoot(ctx context.Context, root string) (int, error) {
	done, err := idx.writer()
	if err != nil {
		return 0, err
	}
	defer done()
	known, err := idx.rootHashes(ctx, root)
	if err != nil {
		return 0, err
	}
	removed := 0
	b := idx.bi.NewBatch()
	for id := range known {
		b.Delete(id)
		if b.Size() >= DefaultBatchSize {
			if err := idx.commit(b, idx.getMeta()); err != nil {
				return removed, err
			}
			removed += b.Size()
			b = idx.bi.NewBatch()
		}
	}
	if b.Size() > 0 {
		if err := idx.commit(b, idx.getMeta()); err != nil {
			return removed, err
		}
		removed += b.Size()
	}
	if removed > 0 {
		if err := idx.refreshDates(ctx); err != nil {
			return removed, fmt.Errorf("index: remove %s: %w", root, err)
		}
	}
	return removed, idx.flush()
}
