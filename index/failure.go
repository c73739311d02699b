package index

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bolt "go.etcd.io/bbolt"
)

// ErrWriteFailed: a write to the index failed (a full disk, a file size
// limit, an I/O error), and the index wrote nothing more. The index keeps
// its last state on disk: the reports written before the failure are
// there, and the next write (another Add or AddPaths) starts again from
// that state.
var ErrWriteFailed = errors.New("index: write failed")

// asyncErrorCallback names the Scorch callback that receives the errors
// of its background work (persisting segments, merging them): see fail.
const asyncErrorCallback = "rapports_async_error"

// openWriters maps the Scorch folder of each index open for writing in this
// process to its *Index, for onAsyncError.
var openWriters sync.Map

func init() {
	scorch.RegistryAsyncErrorCallbacks[asyncErrorCallback] = onAsyncError
}

// scorchPath returns the folder Scorch is given for the index at dir, as
// its callbacks name it.
func scorchPath(dir string) string { return filepath.Clean(filepath.Join(dir, storeDir)) }

// onAsyncError receives the errors of Scorch's persister and merger: a
// segment that could not be written (a full disk) stops the index's
// writes, as a failed batch does. Clean-up errors (old files not removed)
// do not.
func onAsyncError(err error, path string) {
	var se *scorch.ScorchError
	if errors.As(err, &se) && se.ErrType == scorch.ErrCleanup {
		return
	}
	if v, ok := openWriters.Load(filepath.Clean(path)); ok {
		v.(*Index).fail(err)
	}
}

// fail records err as the index's first failed write: from then on, write
// writes nothing and returns it, and the writer that saw it reopens the
// index when it is done (see reopen).
func (idx *Index) fail(err error) {
	idx.failMu.Lock()
	defer idx.failMu.Unlock()
	if idx.failed == nil {
		idx.failed = err
		close(idx.failedCh)
	}
}

// failure returns the recorded write failure, wrapping ErrWriteFailed, or
// nil.
func (idx *Index) failure() error {
	idx.failMu.Lock()
	defer idx.failMu.Unlock()
	if idx.failed == nil {
		return nil
	}
	return fmt.Errorf("%w: %s: %w", ErrWriteFailed, idx.name(), idx.failed)
}

// forget removes the index from openWriters.
func (idx *Index) forget() {
	if idx.path != "" {
		openWriters.CompareAndDelete(scorchPath(idx.path), idx)
	}
}

// reopen closes Bleve's index and opens it again from its files, after a
// failed write: Scorch then stops retrying to persist what it holds in
// memory, and the index is back to its last state on disk, where the next
// write starts. If the index does not open again, it is closed: every
// later call returns ErrClosed. The caller holds writeMu, not mu.
func (idx *Index) reopen() error {
	idx.mu.Lock()
	defer idx.mu.Unlock()
	if idx.closed || idx.path == "" {
		return nil
	}
	_ = idx.guard("close after a failed write", idx.bi.Close) // the failure is what counts
	idx.failMu.Lock()
	idx.failed = nil
	idx.failedCh = make(chan struct{})
	idx.failMu.Unlock()
	bi, err := openBleve(idx.path, idx.cfg)
	if err != nil {
		idx.closed = true
		idx.bi = nil
		idx.forget()
		return err
	}
	idx.bi = bi
	b, err := bi.GetInternal(metaKey)
	if err == nil && b != nil {
		var m meta
		if jerr := json.Unmarshal(b, &m); jerr == nil {
			idx.metaMu.Lock()
			idx.meta = m
			idx.metaMu.Unlock()
		}
	}
	idx.lengthMu.Lock()
	idx.lengths = lengthStats{}
	idx.lengthMu.Unlock()
	return nil
}

// openBleve verifies the files of the existing index at dir (see
// verifyStore) and opens it with Bleve. Damage found either way wraps
// ErrDamaged.
func openBleve(dir string, cfg map[string]any) (bleve.Index, error) {
	timeout := DefaultLockTimeout
	if s, ok := cfg["bolt_timeout"].(string); ok {
		if d, err := time.ParseDuration(s); err == nil {
			timeout = d
		}
	}
	if err := verifyStore(dir, timeout); err != nil {
		return nil, err
	}
	var bi bleve.Index
	err := guardOpen(dir, func() (err error) {
		bi, err = bleve.OpenUsing(dir, cfg)
		return err
	})
	if err != nil && !errors.Is(err, bolt.ErrTimeout) && !errors.Is(err, ErrDamaged) {
		err = damaged(dir, "%v", err)
	}
	return bi, err
}
