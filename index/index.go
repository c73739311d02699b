package index

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bolt "go.etcd.io/bbolt"

	"github.com/rapports/rapports/analyzers"
	"github.com/rapports/rapports/corpus"
)

// DefaultLockTimeout is how long Open waits for another process to release
// the index before it fails with ErrLocked.
const DefaultLockTimeout = 3 * time.Second

// scorchSettings are the Scorch settings of the indexes Open opens, beside
// the lock timeout and error callback (BenchmarkScorchSettings compares
// others). Merges stop at segments of maxSegmentReports (Bleve's default
// is 5 million), and gather mergeWays segments of one batch at once, so
// that a report is rewritten once by the merges instead of twice (Bleve's
// tiers of 10 merged batches into segments of about 5,000 reports, then 10
// of those); AddPaths and AddFS end by merging what is left
// (mergeLeftovers). On the 233,987 reports (go run ./index/internal/bench
// -passes 0 -cpuprofile, load 7-11, 2 rounds alternated with Bleve's
// tiers): 6 segments at the end instead of 19-22, merges 8.8-8.9 instead
// of 13.0-13.9 CPU-s of the profile, the run 104.3/101.8 instead of
// 104.6/107.3 CPU-s, peak RSS 666-667 instead of 603-604 MiB (a merge maps
// the 80 segments of its 40,000 reports), index 520 instead of 535-536 MB
// (the latter counted files of the snapshot before the last merge).
// A search costs about 0.06 ms of CPU per segment (issue #15: the Lucene
// mix 15% less CPU with 5 segments than with 22).
var scorchSettings = map[string]any{
	"scorchMergePlanOptions": map[string]any{
		"MaxSegmentSize":       maxSegmentReports,
		"MaxSegmentsPerTier":   mergeWays,
		"SegmentsPerMergeTask": mergeWays,
		"FloorSegmentSize":     DefaultBatchSize,
	},
}

// maxSegmentReports is the most reports a merge puts in one segment.
const maxSegmentReports = 40_000

// mergeWays is how many segments of one batch a merge gathers.
const mergeWays = maxSegmentReports / DefaultBatchSize

// Options configure Open.
type Options struct {
	// LockTimeout is how long Open waits for the index lock held by another
	// process (default DefaultLockTimeout).
	LockTimeout time.Duration
	// ReadOnly opens an existing index for searching only: Add, Delete and
	// AddPaths fail, and several processes may search it at once.
	ReadOnly bool
	// Limits bound the expensive searches run at once (zero: the
	// defaults); see SetLimits.
	Limits Limits
}

// Index is a French full-text index of reports. It is safe for concurrent
// use: searches run in parallel, writes are serialized.
type Index struct {
	path     string // "" in memory
	readOnly bool

	mu     sync.RWMutex // guards closed; held for reading by every operation
	closed bool
	bi     bleve.Index

	metaMu sync.Mutex // guards meta
	meta   meta

	writeMu sync.Mutex // serializes writers

	lengthMu sync.Mutex  // guards lengths
	lengths  lengthStats // field lengths for BM25, see bm25Stats

	cfg map[string]any // Bleve's configuration, to open the index again

	failMu   sync.Mutex
	failed   error         // the first failed write since Open, see fail
	failedCh chan struct{} // closed when failed is set

	builder builderOnce // makes the reports' documents, see reportdoc.go
	columns columnCache // the facet fields' values by segment, see facetcount.go
	limitMu sync.Mutex
	limits  *limiter // the turns of expensive searches, see turn
}

// metaKey is the internal key of the index metadata.
var metaKey = []byte("rapports_meta")

// meta is the index metadata kept in the index itself.
type meta struct {
	Schema   int    `json:"schema"`
	Analyzer string `json:"analyzer"` // fingerprint of the analyzers' output
	// FirstDate and LastDate bound the dates of the reports in the index
	// (period starts, RFC 3339): additions widen them, deletions read them
	// again from the index.
	FirstDate time.Time `json:"first_date"`
	LastDate  time.Time `json:"last_date"`
}

// analyzerProbe is analyzed to fingerprint the analyzers: if their output
// changes, an index built with the old analyzers gives wrong results.
const analyzerProbe = analyzers.FingerprintProbe

// analyzerFingerprint returns a digest of the index analyzer's terms for
// analyzerProbe.
func analyzerFingerprint() (string, error) {
	h := sha256.New()
	for _, name := range []string{analyzers.IndexName, analyzers.FrenchName, analyzers.ExactQueryName} {
		toks, err := analyzers.Analyze(name, analyzerProbe)
		if err != nil {
			return "", fmt.Errorf("index: analyzer %s: %w", name, err)
		}
		for _, t := range toks {
			fmt.Fprintf(h, "%s/%d/%d/%d;", t.Term, t.Position, t.Start, t.End)
		}
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil)[:8]), nil
}

// Open opens the index at path, creating it when path does not exist or is
// an empty directory. It fails with ErrLocked after opts.LockTimeout when
// another process (or another Open in this process) holds the index, and
// with ErrIncompatible when the index was built with another schema or
// other analyzers.
func Open(path string, opts Options) (*Index, error) {
	if path == "" {
		return nil, fmt.Errorf("%w: empty index path", ErrBadRequest)
	}
	timeout := opts.LockTimeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	cfg := map[string]any{
		"bolt_timeout":           timeout.String(),
		"asyncErrorCallbackName": asyncErrorCallback,
		// write waits for each batch to be persisted itself: see
		// write for why Scorch's own wait must not be used.
		"unsafe_batch": true,
	}
	for k, v := range scorchSettings {
		cfg[k] = v
	}
	for k, v := range segmentConfig {
		cfg[k] = v
	}
	fp, err := analyzerFingerprint()
	if err != nil {
		return nil, err
	}
	exists, err := isIndex(path)
	if err != nil {
		return nil, err
	}
	var bi bleve.Index
	if exists {
		if opts.ReadOnly {
			cfg["read_only"] = true
		}
		bi, err = openBleve(path, cfg)
	} else {
		if opts.ReadOnly {
			return nil, fmt.Errorf("index: no index at %s to open read-only: %w", path, fs.ErrNotExist)
		}
		bi, err = bleve.NewUsing(path, newMapping(), scorch.Name, scorch.Name, cfg)
	}
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, fmt.Errorf("%w: %s is in use (waited %v)", ErrLocked, path, timeout)
		}
		if errors.Is(err, ErrDamaged) || errors.Is(err, ErrLocked) {
			return nil, err
		}
		return nil, fmt.Errorf("index: open %s: %w", path, err)
	}
	idx := &Index{path: path, readOnly: opts.ReadOnly, bi: bi, cfg: cfg, failedCh: make(chan struct{}), limits: newLimiter(opts.Limits)}
	if !opts.ReadOnly {
		openWriters.Store(scorchPath(path), idx)
	}
	if exists {
		if err := idx.loadMeta(fp); err != nil {
			idx.forget()
			bi.Close()
			return nil, err
		}
	} else {
		idx.meta = meta{Schema: SchemaVersion, Analyzer: fp}
		if err := idx.saveMeta(); err != nil {
			idx.forget()
			bi.Close()
			return nil, err
		}
	}
	return idx, nil
}

// isIndex reports whether path holds an index, and fails when path holds
// something else.
func isIndex(path string) (bool, error) {
	entries, err := os.ReadDir(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("index: open %s: %w", path, err)
	}
	if len(entries) == 0 {
		return false, nil
	}
	if _, err := os.Stat(filepath.Join(path, indexMetaFil)); err != nil {
		if isDamagedLayout(path) {
			return false, damaged(path, "%s is missing", indexMetaFil)
		}
		return false, fmt.Errorf("index: %s is not empty and holds no index (no %s)", path, indexMetaFil)
	}
	return true, nil
}

// OpenMemory returns a new empty index held in memory, for tests, examples
// and short-lived programs.
func OpenMemory() (*Index, error) {
	fp, err := analyzerFingerprint()
	if err != nil {
		return nil, err
	}
	bi, err := bleve.NewMemOnly(newMapping())
	if err != nil {
		return nil, fmt.Errorf("index: in memory: %w", err)
	}
	idx := &Index{bi: bi, meta: meta{Schema: SchemaVersion, Analyzer: fp}, failedCh: make(chan struct{})}
	if err := idx.saveMeta(); err != nil {
		bi.Close()
		return nil, err
	}
	return idx, nil
}

func (idx *Index) name() string {
	if idx.path == "" {
		return "in-memory index"
	}
	return idx.path
}

// loadMeta reads the metadata and checks it against this program's schema
// and analyzers.
func (idx *Index) loadMeta(fingerprint string) error {
	b, err := idx.bi.GetInternal(metaKey)
	if err != nil {
		return fmt.Errorf("index: read metadata of %s: %w", idx.path, err)
	}
	if b == nil {
		return fmt.Errorf("%w: index at %s was not built by rapports (no metadata): delete %s and re-index", ErrIncompatible, idx.path, idx.path)
	}
	var m meta
	if err := json.Unmarshal(b, &m); err != nil {
		return damaged(idx.path, "unreadable rapports metadata (%v)", err)
	}
	if m.Schema != SchemaVersion {
		return fmt.Errorf("%w: index at %s was built with schema %d, this rapports uses %d: re-index (delete %s)", ErrIncompatible, idx.path, m.Schema, SchemaVersion, idx.path)
	}
	stored, err1 := json.Marshal(idx.bi.Mapping())
	want, err2 := json.Marshal(newMapping())
	if err := errors.Join(err1, err2); err != nil {
		return fmt.Errorf("index: compare mappings of %s: %w", idx.path, err)
	}
	if string(stored) != string(want) {
		return fmt.Errorf("%w: index at %s was built with other fields (schema %d, changed since): re-index (delete %s)", ErrIncompatible, idx.path, m.Schema, idx.path)
	}
	if m.Analyzer != fingerprint {
		return fmt.Errorf("%w: index at %s was built with other analyzers (%s, this rapports has %s): re-index (delete %s)", ErrIncompatible, idx.path, m.Analyzer, fingerprint, idx.path)
	}
	idx.meta = m
	return nil
}

func (idx *Index) saveMeta() error {
	b, err := json.Marshal(idx.meta)
	if err != nil {
		return fmt.Errorf("index: encode metadata: %w", err)
	}
	batch := idx.bi.NewBatch()
	batch.SetInternal(metaKey, b)
	if err := idx.write(batch); err != nil {
		return fmt.Errorf("index: write metadata of %s: %w", idx.name(), err)
	}
	return idx.flush()
}

// write applies batch b and, for an index on disk, waits until it is
// persisted (Scorch calls the batch's persisted callback) or until a write
// of the index fails (see fail), whichever comes first.
//
// The index runs Scorch with "unsafe_batch", so that Scorch's Batch
// returns once the batch is introduced, and does the waiting for the
// persist here: Scorch's own wait, when the persist fails (a full disk),
// returns the error and closes the batch's in-memory segment although it is
// already part of the index's snapshot, and the persister, retrying, then
// merges that closed segment and panics in a goroutine nobody can recover
// ("assignment to entry in nil map" in zapx's invertedIndexCache). Waiting
// here costs the same as Scorch's wait: each writer waits for its batch.
//
// After a failed write it writes nothing more and returns that first
// error.
func (idx *Index) write(b *bleve.Batch) error {
	if err := idx.failure(); err != nil {
		return err
	}
	var persisted chan error
	if idx.path != "" {
		persisted = make(chan error, 1) // the callback never blocks
		b.SetPersistedCallback(func(err error) { persisted <- err })
	}
	err := idx.guard("write a batch", func() error { return idx.bi.Batch(b) })
	if err != nil {
		idx.fail(err)
		return idx.failure()
	}
	if persisted == nil {
		return nil
	}
	// Scorch calls back once the batch is on disk, never for a batch
	// whose persist failed (it keeps the callback for a retry); the
	// failure reaches onAsyncError instead.
	idx.failMu.Lock()
	failed := idx.failedCh
	idx.failMu.Unlock()
	select {
	case err := <-persisted:
		if err != nil {
			idx.fail(err)
			return idx.failure()
		}
		return nil
	case <-failed:
		return idx.failure()
	}
}

// flush returns the recorded write failure, if any: write already waits
// until each batch is on disk.
func (idx *Index) flush() error {
	return idx.failure()
}

// Close flushes and closes the index. Later calls return ErrClosed.
func (idx *Index) Close() error {
	idx.writeMu.Lock()
	defer idx.writeMu.Unlock()
	idx.mu.Lock()
	defer idx.mu.Unlock()
	if idx.closed {
		return ErrClosed
	}
	idx.closed = true
	idx.forget()
	if idx.bi == nil {
		return nil // a reopen after a failed write failed
	}
	ferr := idx.flush()
	if err := idx.guard("close", idx.bi.Close); err != nil {
		return fmt.Errorf("index: close %s: %w", idx.name(), err)
	}
	if errors.Is(ferr, ErrWriteFailed) {
		return nil // already returned by the write that failed
	}
	return ferr
}

// reader takes the read lock and returns ErrClosed if the index is closed.
// The caller must call idx.mu.RUnlock when err is nil.
func (idx *Index) reader() error {
	idx.mu.RLock()
	if idx.closed {
		idx.mu.RUnlock()
		return ErrClosed
	}
	return nil
}

// writer takes the write serialization and the read lock.
func (idx *Index) writer() (func(), error) {
	if idx.readOnly {
		return nil, fmt.Errorf("index: %s is open read-only", idx.name())
	}
	idx.writeMu.Lock()
	if err := idx.reader(); err != nil {
		idx.writeMu.Unlock()
		return nil, err
	}
	return func() {
		idx.mu.RUnlock()
		if idx.failure() != nil {
			// Stop Scorch retrying, and go back to the index's last
			// state on disk: the next writer writes again. A failure to
			// reopen closes the index (ErrClosed from then on).
			_ = idx.reopen()
		}
		idx.writeMu.Unlock()
	}, nil
}

// Add indexes reports, replacing any with the same ID. Each report needs an
// ID. It fails with ErrBadRequest naming the first report without one.
func (idx *Index) Add(ctx context.Context, reports ...corpus.Report) error {
	for i := range reports {
		if reports[i].ID == "" {
			return fmt.Errorf("%w: report %d (%q) has no ID", ErrBadRequest, i, reports[i].Title)
		}
	}
	done, err := idx.writer()
	if err != nil {
		return err
	}
	defer done()
	const chunk = 1000
	for len(reports) > 0 {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("index: add: %w", err)
		}
		n := min(chunk, len(reports))
		b := idx.bi.NewBatch()
		m := idx.getMeta()
		for i := range reports[:n] {
			r := &reports[i]
			if err := idx.addReport(b, r, ""); err != nil {
				return fmt.Errorf("index: add %s: %w", r.ID, err)
			}
			m.extend(r.Date)
		}
		if err := idx.commit(b, m); err != nil {
			return err
		}
		reports = reports[n:]
	}
	return idx.flush()
}

// extend widens the metadata's date range to d.
func (m *meta) extend(d corpus.Date) {
	if d.IsZero() {
		return
	}
	if m.FirstDate.IsZero() || d.Time.Before(m.FirstDate) {
		m.FirstDate = d.Time
	}
	if d.Time.After(m.LastDate) {
		m.LastDate = d.Time
	}
}

// commit writes batch b with the metadata m. The caller holds the writer.
func (idx *Index) commit(b *bleve.Batch, m meta) error {
	if m != idx.getMeta() {
		enc, err := json.Marshal(m)
		if err != nil {
			return fmt.Errorf("index: encode metadata: %w", err)
		}
		b.SetInternal(metaKey, enc)
	}
	if err := idx.write(b); err != nil {
		return fmt.Errorf("index: write batch to %s: %w", idx.name(), err)
	}
	idx.metaMu.Lock()
	idx.meta = m
	idx.metaMu.Unlock()
	return nil
}

// Delete removes the reports with these IDs; unknown IDs are ignored.
func (idx *Index) Delete(ctx context.Context, ids ...string) error {
	done, err := idx.writer()
	if err != nil {
		return err
	}
	defer done()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("index: delete: %w", err)
	}
	b := idx.bi.NewBatch()
	for _, id := range ids {
		b.Delete(id)
	}
	if err := idx.write(b); err != nil {
		return fmt.Errorf("index: delete from %s: %w", idx.name(), err)
	}
	if err := idx.refreshDates(ctx); err != nil {
		return err
	}
	return idx.flush()
}

// Document returns the stored report with this ID, or an error wrapping
// ErrNotFound. With opts.Query, it also gives where the query matches the
// whole title and body (Document.TitleMatches and BodyMatches, see
// DocumentOptions), and fails on a bad query as Search does.
func (idx *Index) Document(ctx context.Context, id string, opts DocumentOptions) (*Document, error) {
	if err := idx.reader(); err != nil {
		return nil, err
	}
	defer idx.mu.RUnlock()
	req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery([]string{id}), 1, 0, false)
	req.Fields = storedFields
	var res *bleve.SearchResult
	err := idx.guard("read a document", func() (err error) {
		res, err = idx.bi.SearchInContext(ctx, req)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("index: document %q: %w", id, err)
	}
	if len(res.Hits) == 0 {
		return nil, fmt.Errorf("%w: no document %q", ErrNotFound, id)
	}
	h := res.Hits[0]
	d := &Document{
		ID:        h.ID,
		Title:     str(h.Fields[fieldTitle]),
		Date:      str(h.Fields[fieldDateText]),
		Countries: strs(h.Fields[fieldCountries]),
		Source:    str(h.Fields[fieldSource]),
		URL:       str(h.Fields[fieldURL]),
		Path:      str(h.Fields[fieldPath]),
		Hash:      str(h.Fields[fieldHash]),
		Body:      str(h.Fields[fieldBody]),

		DateSource: str(h.Fields[fieldDateSource]),
	}
	if fp := nums(h.Fields[fieldFirstPage]); len(fp) > 0 && fp[0] >= 1 {
		if starts := parsePageStarts(str(h.Fields[fieldPageStarts])); len(starts) > 0 {
			d.FirstPage, d.PageStarts = int(fp[0]), starts
		}
	}
	for _, v := range nums(h.Fields[fieldMentions]) {
		d.Mentions = append(d.Mentions, int(v))
	}
	d.Organizations = strs(h.Fields[fieldOrgs])
	for _, v := range nums(h.Fields[fieldOrgMentions]) {
		d.OrgMentions = append(d.OrgMentions, int(v))
	}
	r := &corpus.Report{
		ID: d.ID, Path: d.Path, Title: d.Title, Countries: d.Countries,
		Mentions: d.Mentions, Organizations: d.Organizations, OrgMentions: d.OrgMentions, Source: d.Source, URL: d.URL, Body: d.Body, Hash: d.Hash,
		DateSource: d.DateSource, FirstPage: d.FirstPage, PageStarts: d.PageStarts,
	}
	if d.Date != "" {
		if date, err := corpus.ParseISODate(d.Date); err == nil {
			r.Date = date
		}
	}
	d.Report = r
	if err := idx.addMatches(ctx, d, opts); err != nil {
		return nil, err
	}
	return d, nil
}

// str returns a stored field as a string.
func str(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []any:
		if len(v) > 0 {
			s, _ := v[0].(string)
			return s
		}
	}
	return ""
}

// strs returns a stored multi-valued field as strings.
func strs(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return []string{}
}

// nums returns a stored multi-valued numeric field.
func nums(v any) []float64 {
	switch v := v.(type) {
	case float64:
		return []float64{v}
	case []any:
		out := make([]float64, 0, len(v))
		for _, x := range v {
			if f, ok := x.(float64); ok {
				out = append(out, f)
			}
		}
		return out
	}
	return nil
}

// Stats returns the Info of the index: document count, date range, top
// countries and size on disk.
func (idx *Index) Stats(ctx context.Context) (Info, error) {
	if err := idx.reader(); err != nil {
		return Info{}, err
	}
	defer idx.mu.RUnlock()
	var n uint64
	err := idx.guard("count documents", func() (err error) {
		n, err = idx.bi.DocCount()
		return err
	})
	if err != nil {
		return Info{}, fmt.Errorf("index: count documents of %s: %w", idx.name(), err)
	}
	st := Info{Documents: n, SchemaVersion: SchemaVersion, Path: idx.path, TopCountries: []CountryCount{}}
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 0, 0, false)
	fc := newFacetCounter(&idx.columns, []string{fieldCountries})
	err = idx.guard("count countries", func() error {
		_, err := idx.bi.SearchInContext(fc.context(ctx), req)
		return err
	})
	if err != nil {
		return Info{}, fmt.Errorf("index: stats of %s: %w", idx.name(), err)
	}
	st.TopCountries = countryRows(fc.rows(fieldCountries, 10))
	m := idx.getMeta()
	if !m.FirstDate.IsZero() {
		st.FirstDate = m.FirstDate.Format("2006-01-02")
		st.LastDate = m.LastDate.Format("2006-01-02")
	}
	if idx.path != "" {
		st.SizeBytes = dirSize(idx.path)
	}
	return st, nil
}

// dirSize returns the total size of the files under dir.
func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if info, err := d.Info(); err == nil {
			n += info.Size()
		}
		return nil
	})
	return n
}

// getMeta returns a copy of the metadata.
func (idx *Index) getMeta() meta {
	idx.metaMu.Lock()
	defer idx.metaMu.Unlock()
	return idx.meta
}
