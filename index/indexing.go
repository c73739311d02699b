package index

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

	"github.com/rapports/rapports/corpus"
)

// DefaultBatchSize is the number of reports written to the index at once,
// chosen by BenchmarkBatchSize.
const DefaultBatchSize = 1000

// MaxBatchText bounds the text (titles and bodies) of one batch, whatever
// its number of reports: Bleve holds a batch's analysis and its new segment
// in memory, about 80 times the text, so batches of long reports are cut
// short to keep the memory of a run bounded. Reports of ordinary length
// (a few kB) fill DefaultBatchSize first.
const MaxBatchText = 4 << 20

// maxProblems is the most problems kept in IndexStats.Problems; all of them
// still go to IndexOptions.OnProblem.
const maxProblems = 1000

// IndexOptions configure IndexPaths and IndexFS.
type IndexOptions struct {
	// Progress, if set, is called from one goroutine as the indexing goes,
	// and once at the end.
	Progress func(Progress)
	// OnProblem, if set, receives each file or record that was skipped.
	OnProblem func(corpus.Problem)
	// OnSkip, if set, receives each file that is not a report (an
	// unsupported format, an empty file) with the reason; such files are
	// counted in IndexStats.Skipped, not as failures.
	OnSkip func(path, reason string)
	// BatchSize is the number of reports per write (default
	// DefaultBatchSize).
	BatchSize int
}

// Progress is a snapshot of an indexing run, for progress bars.
type Progress struct {
	// Root is the corpus root being indexed.
	Root string
	// Files and Bytes count the files read so far and their size.
	Files int
	Bytes int64
	// TotalBytes is the size of all files under Root (0 when unknown).
	TotalBytes int64
	// Reports is the number of reports read so far.
	Reports int
	// Added, Updated and Unchanged count reports by what became of them.
	Added, Updated, Unchanged int
	// Failed counts problems so far.
	Failed int
	// Elapsed is the time since the run started.
	Elapsed time.Duration
}

// IndexStats sums up an indexing run.
type IndexStats struct {
	// Added, Updated, Unchanged: reports new to the index, changed since
	// last time (by content hash), and identical (skipped).
	Added, Updated, Unchanged int
	// Removed counts reports that were in the index for a root but are no
	// longer found under it.
	Removed int
	// Files is the number of files read, Skipped the number of files that
	// are not reports (an unsupported format, no text; see OnSkip).
	Files, Skipped int
	// Failed counts the files and records that could not be indexed.
	Failed int
	// Problems are the first problems (all of them go to OnProblem).
	Problems []corpus.Problem
	// Bytes is the size of the files read (compressed size for gzip).
	Bytes int64
	// TextBytes is the size of the titles and bodies indexed (added or
	// updated), in UTF-8.
	TextBytes int64
	// Duration is the time the run took.
	Duration time.Duration
	// Canceled is true when ctx was done before the end: the reports
	// indexed so far are kept and nothing was removed.
	Canceled bool
}

func (s *IndexStats) add(o IndexStats) {
	s.Added += o.Added
	s.Updated += o.Updated
	s.Unchanged += o.Unchanged
	s.Removed += o.Removed
	s.Files += o.Files
	s.Skipped += o.Skipped
	s.Failed += o.Failed
	s.Bytes += o.Bytes
	s.TextBytes += o.TextBytes
	s.Canceled = s.Canceled || o.Canceled
	for _, p := range o.Problems {
		if len(s.Problems) < maxProblems {
			s.Problems = append(s.Problems, p)
		}
	}
}

// walkFunc walks one corpus root.
type walkFunc func(ctx context.Context, opts corpus.Options, emit func(corpus.Report) error) (corpus.Stats, error)

// IndexPaths indexes the reports in each root (a file or a folder),
// incrementally: reports whose content hash is unchanged are skipped,
// changed ones are replaced, and reports indexed earlier from a root but no
// longer under it are removed. Report IDs come from package corpus (paths
// relative to their root): two roots holding the same relative path give
// one report, the later replacing the earlier. Bad files are reported and
// skipped. When ctx
// is done it stops after the current batches and returns the stats so far
// with Canceled set and a nil error: the index stays consistent.
//
// A large run allocates much short-lived memory: programs that index big
// corpora may want GOGC=200 with a soft memory limit (GOMEMLIMIT=1GiB), as
// the rapports binary sets; the package leaves the garbage collector alone.
func (idx *Index) IndexPaths(ctx context.Context, roots []string, opts IndexOptions) (IndexStats, error) {
	start := time.Now()
	done, err := idx.writer()
	if err != nil {
		return IndexStats{}, err
	}
	defer done()
	var total IndexStats
	for _, root := range roots {
		abs, err := filepath.Abs(root)
		if err != nil {
			return total, fmt.Errorf("index: root %s: %w", root, err)
		}
		size := treeSize(func(fn fs.WalkDirFunc) { _ = filepath.WalkDir(abs, fn) })
		walk := func(ctx context.Context, o corpus.Options, emit func(corpus.Report) error) (corpus.Stats, error) {
			return corpus.Walk(ctx, abs, o, emit)
		}
		st, err := idx.indexRoot(ctx, abs, size, walk, opts, start)
		total.add(st)
		if err != nil {
			total.Duration = time.Since(start)
			return total, err
		}
		if total.Canceled {
			break
		}
	}
	total.Duration = time.Since(start)
	return total, nil
}

// IndexFS indexes the reports of fsys as IndexPaths does for one root;
// name identifies the root in the index (for instance "sample").
func (idx *Index) IndexFS(ctx context.Context, fsys fs.FS, name string, opts IndexOptions) (IndexStats, error) {
	start := time.Now()
	if name == "" {
		return IndexStats{}, fmt.Errorf("%w: IndexFS needs a root name", ErrBadRequest)
	}
	done, err := idx.writer()
	if err != nil {
		return IndexStats{}, err
	}
	defer done()
	size := treeSize(func(fn fs.WalkDirFunc) { _ = fs.WalkDir(fsys, ".", fn) })
	walk := func(ctx context.Context, o corpus.Options, emit func(corpus.Report) error) (corpus.Stats, error) {
		return corpus.WalkFS(ctx, fsys, o, emit)
	}
	st, err := idx.indexRoot(ctx, name, size, walk, opts, start)
	st.Duration = time.Since(start)
	return st, err
}

// treeSize sums the sizes of the regular files a walk visits.
func treeSize(walk func(fs.WalkDirFunc)) int64 {
	var n int64
	walk(func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// numWriters is the number of batches written at once: two keep both
// cores busy while one batch waits for its segment to be persisted.
func numWriters() int { return min(4, max(2, runtime.GOMAXPROCS(0))) }

// pending is one batch on its way to the writer.
type pending struct {
	b    *bleve.Batch
	meta meta
}

// indexRoot runs the pipeline for one root: the walk (reading and
// extraction) in one goroutine, hash checks and batch building in this one,
// and Bleve's batch writes (analysis, segment building and persisting) in
// numWriters others, so that they all overlap. The caller holds the writer.
func (idx *Index) indexRoot(ctx context.Context, root string, totalBytes int64, walk walkFunc, opts IndexOptions, start time.Time) (IndexStats, error) {
	var st IndexStats
	batchSize := opts.BatchSize
	if batchSize <= 0 {
		batchSize = DefaultBatchSize
	}
	known, err := idx.rootHashes(ctx, root)
	if err != nil {
		if ctx.Err() != nil {
			st.Canceled = true
			return st, nil
		}
		return st, err
	}

	var files, failed atomic.Int64
	var bytes atomic.Int64
	var probMu sync.Mutex
	copts := corpus.Options{
		OnProblem: func(p corpus.Problem) {
			failed.Add(1)
			probMu.Lock()
			if len(st.Problems) < maxProblems {
				st.Problems = append(st.Problems, p)
			}
			probMu.Unlock()
			if opts.OnProblem != nil {
				opts.OnProblem(p)
			}
		},
		OnFile: func(_ string, size int64) {
			files.Add(1)
			bytes.Add(size)
		},
		OnSkip: opts.OnSkip,
	}

	// Walker.
	wctx, stopWalk := context.WithCancel(ctx)
	defer stopWalk()
	reports := make(chan corpus.Report, 2*batchSize)
	var walkStats corpus.Stats
	var walkErr error
	walkDone := make(chan struct{})
	go func() {
		defer close(walkDone)
		defer close(reports)
		walkStats, walkErr = walk(wctx, copts, func(r corpus.Report) error {
			select {
			case reports <- r:
				return nil
			case <-wctx.Done():
				return wctx.Err()
			}
		})
	}()

	// Writers: Bleve builds the segments of concurrent batches in
	// parallel and introduces them one at a time.
	batches := make(chan pending, 1)
	var writeErr error
	var writeMu sync.Mutex
	var writers sync.WaitGroup
	for range numWriters() {
		writers.Go(func() {
			for p := range batches {
				writeMu.Lock()
				failedBefore := writeErr != nil
				writeMu.Unlock()
				if failedBefore {
					continue
				}
				if err := idx.commit(p.b, p.meta); err != nil {
					writeMu.Lock()
					writeErr = err
					writeMu.Unlock()
					stopWalk()
				}
			}
		})
	}

	progress := func(reportsRead int) {
		if opts.Progress == nil {
			return
		}
		opts.Progress(Progress{
			Root: root, Files: int(files.Load()), Bytes: bytes.Load(), TotalBytes: totalBytes,
			Reports: reportsRead, Added: st.Added, Updated: st.Updated, Unchanged: st.Unchanged,
			Failed: int(failed.Load()), Elapsed: time.Since(start),
		})
	}

	seen := make(map[string]struct{}, len(known))
	m := idx.getMeta()
	b := idx.bi.NewBatch()
	batchText := 0
	read := 0
	var mapErr error
	for r := range reports {
		if ctx.Err() != nil {
			break // stop after the batch being built; the reports read ahead are dropped
		}
		read++
		if read%256 == 0 {
			progress(read)
		}
		if _, dup := seen[r.ID]; dup && r.ID != "" {
			copts.OnProblem(corpus.Problem{Path: r.Path, Err: fmt.Errorf("duplicate report ID %q: the later one replaces the earlier", r.ID)})
		}
		seen[r.ID] = struct{}{}
		if r.ID == "" {
			copts.OnProblem(corpus.Problem{Path: r.Path, Err: errors.New("report without ID")})
			continue
		}
		old, ok := known[r.ID]
		switch {
		case ok && old == r.Hash && r.Hash != "":
			st.Unchanged++
			continue
		case ok:
			st.Updated++
		default:
			st.Added++
		}
		if err := b.Index(r.ID, fields(&r, root)); err != nil {
			mapErr = fmt.Errorf("index: map report %s: %w", r.ID, err)
			stopWalk()
			break
		}
		m.extend(r.Date)
		st.TextBytes += int64(len(r.Title) + len(r.Body))
		batchText += len(r.Title) + len(r.Body)
		if b.Size() >= batchSize || batchText >= MaxBatchText {
			batches <- pending{b: b, meta: m}
			b = idx.bi.NewBatch()
			batchText = 0
			progress(read)
		}
	}
	// Drain the walker if we stopped early.
	for range reports {
	}
	<-walkDone
	if b.Size() > 0 && mapErr == nil {
		batches <- pending{b: b, meta: m}
	}
	close(batches)
	writers.Wait()
	if writeErr == nil && mapErr == nil && m != idx.getMeta() {
		// Concurrent writers may have left an older date range.
		b := idx.bi.NewBatch()
		if err := idx.commit(b, m); err != nil {
			return st, err
		}
	}

	st.Files = walkStats.Files
	st.Skipped = walkStats.Skipped
	st.Bytes = walkStats.Bytes
	st.Failed = int(failed.Load())
	if mapErr != nil {
		return st, mapErr
	}
	if writeErr != nil {
		return st, writeErr
	}
	if err := idx.flush(); err != nil {
		return st, err
	}
	if ctx.Err() != nil {
		st.Canceled = true
		progress(read)
		return st, nil
	}
	if walkErr != nil {
		return st, fmt.Errorf("index: read %s: %w", root, walkErr)
	}

	// Remove the reports of this root that are gone.
	del := idx.bi.NewBatch()
	for id := range known {
		if _, ok := seen[id]; ok {
			continue
		}
		del.Delete(id)
		st.Removed++
		if del.Size() >= batchSize {
			if err := idx.commit(del, idx.getMeta()); err != nil {
				return st, err
			}
			del = idx.bi.NewBatch()
		}
	}
	if del.Size() > 0 {
		if err := idx.commit(del, idx.getMeta()); err != nil {
			return st, err
		}
	}
	if st.Removed > 0 {
		if err := idx.refreshDates(ctx); err != nil {
			return st, err
		}
	}
	progress(read)
	return st, idx.flush()
}

// rootHashes returns the ID and content hash of every report indexed from
// root.
func (idx *Index) rootHashes(ctx context.Context, root string) (map[string]string, error) {
	out := map[string]string{}
	q := bleve.NewTermQuery(root)
	q.SetField(fieldRoot)
	const page = 10_000
	var after []string
	for {
		req := bleve.NewSearchRequestOptions(q, page, 0, false)
		req.Fields = []string{fieldHash}
		req.Sort = search.SortOrder{&search.SortDocID{}}
		if after != nil {
			req.SearchAfter = after
		}
		res, err := idx.bi.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("index: list reports of %s: %w", root, err)
		}
		for _, h := range res.Hits {
			out[h.ID] = str(h.Fields[fieldHash])
		}
		if len(res.Hits) < page {
			return out, nil
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
}
