package index

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

	"github.com/rapports/rapports/corpus"
)

// DefaultBatchSize is the number of reports written to the index at once.
// Each analysed batch stays in memory until its segment is built (about
// 30 MB per 500 TV-news reports): on the 233,987 reports, under rapports'
// 600 MiB soft memory limit, batches of 500 took 213 CPU-s and a peak RSS
// of 805 MiB against 245 CPU-s and 830 MiB for 1,000 (one run each, quiet
// machine; go run ./index/internal/bench -passes 0 -batch N). On the 13,040
// files BenchmarkBatchSize shows no clear difference. Once the analysis
// was held in flat arrays (analyzers.Frequencies), bigger batches still
// gave nothing: 500, 1,000 and 2,000 took 101.2/87.5, 102.6/94.8 and
// 103.2/112.7 CPU-s, peak RSS 600-617 MiB (2 alternated rounds, load 5-9,
// 3 December 2026).
const DefaultBatchSize = 500

// MaxBatchText bounds the text (titles and bodies) of one batch, whatever
// its number of reports: Bleve holds a batch's analysis and its new segment
// in memory, about 80 times the text, so batches of long reports are cut
// short to keep the memory of a run bounded. Reports of ordinary length
// (a few kB) fill DefaultBatchSize first.
const MaxBatchText = 4 << 20

// maxProblems is the most problems kept in AddSummary.Problems; all of them
// still go to AddOptions.OnProblem.
const maxProblems = 1000

// AddOptions configure AddPaths and AddFS.
type AddOptions struct {
	// Progress, if set, is called from one goroutine as the indexing goes,
	// and once at the end.
	Progress func(Progress)
	// OnProblem, if set, receives each file or record that was skipped.
	OnProblem func(corpus.Problem)
	// OnSkip, if set, receives each file that is not a report (an
	// unsupported format, an empty file) with the reason; such files are
	// counted in AddSummary.Skipped, not as failures.
	OnSkip func(path, reason string)
	// BatchSize is the number of reports per write (default
	// DefaultBatchSize).
	BatchSize int
	// OCR, if set, reads the PDF pages without text layer (scans); see
	// corpus.Options.OCR and corpus.NewTesseract.
	OCR corpus.OCR
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
	// Writing says that every report is read and the run is writing the
	// last batches and flushing the index to disk, which may take
	// seconds after the last byte was read.
	Writing bool
}

// AddSummary sums up an indexing run.
type AddSummary struct {
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

func (s *AddSummary) add(o AddSummary) {
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
type walkFunc func(ctx context.Context, opts corpus.Options, emit func(corpus.Report) error) (corpus.WalkCounts, error)

// AddPaths indexes the reports in each root (a file or a folder),
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
// corpora may want GOGC=200 with a soft memory limit (GOMEMLIMIT=500MiB), as
// the rapports binary sets; the package leaves the garbage collector alone.
func (idx *Index) AddPaths(ctx context.Context, roots []string, opts AddOptions) (AddSummary, error) {
	start := time.Now()
	done, err := idx.writer()
	if err != nil {
		return AddSummary{}, err
	}
	defer done()
	var total AddSummary
	for _, root := range roots {
		abs, err := filepath.Abs(root)
		if err != nil {
			return total, fmt.Errorf("index: root %s: %w", root, err)
		}
		size := treeSize(func(fn fs.WalkDirFunc) { _ = filepath.WalkDir(abs, fn) })
		walk := func(ctx context.Context, o corpus.Options, emit func(corpus.Report) error) (corpus.WalkCounts, error) {
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
	if !total.Canceled {
		if err := idx.mergeLeftovers(ctx); err != nil {
			total.Duration = time.Since(start)
			return total, err
		}
	}
	total.Duration = time.Since(start)
	return total, nil
}

// AddFS indexes the reports of fsys as AddPaths does for one root;
// name identifies the root in the index (for instance "sample").
func (idx *Index) AddFS(ctx context.Context, fsys fs.FS, name string, opts AddOptions) (AddSummary, error) {
	start := time.Now()
	if name == "" {
		return AddSummary{}, fmt.Errorf("%w: AddFS needs a root name", ErrBadRequest)
	}
	done, err := idx.writer()
	if err != nil {
		return AddSummary{}, err
	}
	defer done()
	size := treeSize(func(fn fs.WalkDirFunc) { _ = fs.WalkDir(fsys, ".", fn) })
	walk := func(ctx context.Context, o corpus.Options, emit func(corpus.Report) error) (corpus.WalkCounts, error) {
		return corpus.WalkFS(ctx, fsys, o, emit)
	}
	st, err := idx.indexRoot(ctx, name, size, walk, opts, start)
	if err == nil && !st.Canceled {
		err = idx.mergeLeftovers(ctx)
	}
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
		res, err := idx.search(ctx, req)
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
