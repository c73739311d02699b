package index

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/rapports/rapports/corpus"
)

// numWriters is the number of batches written at once: two keep both
// cores busy while one batch waits for its segment to be persisted.
func numWriters() int { return min(4, max(2, runtime.GOMAXPROCS(0))) }

// pending is one batch on its way to the writer.
type pending struct {
	b    *bleve.Batch
	meta meta
}

// pipeline indexes one root: the walk (reading and extraction) in one
// goroutine, hash checks and batch building in the caller's, and Bleve's
// batch writes (analysis, segment building and persisting) in numWriters
// others, so that they all overlap; then the removal of the reports that
// vanished from the root. The caller holds the writer.
type pipeline struct {
	idx        *Index
	root       string
	totalBytes int64
	walk       walkFunc
	opts       AddOptions
	start      time.Time
	batchSize  int
	// list returns the ID and hash of the reports the run covers, those
	// it removes when the walk does not meet them: all of the root's
	// (rootHashes) unless the run is an update of some paths.
	list func(context.Context) (map[string]string, error)
	// dates, when set, holds the date (fieldDateText) of the reports
	// list returns: removing reports then refreshes the index's date
	// range only when one of them was at its bounds.
	dates map[string]string

	st    AddSummary
	known map[string]string   // ID → content hash of the root's reports in the index
	seen  map[string]struct{} // IDs met by the walk
	read  int                 // reports read so far
	done  bool                // all read: writing the last batches and flushing

	files, failed, bytes atomic.Int64
	probMu               sync.Mutex // guards st.Problems
	copts                corpus.Options

	// Set by startWalk.
	reports   chan corpus.Report
	stopWalk  context.CancelFunc
	walkDone  chan struct{}
	walkStats corpus.WalkCounts
	walkErr   error

	// Set by startWriters.
	batches  chan pending
	writers  sync.WaitGroup
	writeMu  sync.Mutex
	writeErr error
}

// newPipeline returns the pipeline of one run over root, whose files weigh
// totalBytes, read by walk.
func (idx *Index) newPipeline(root string, totalBytes int64, walk walkFunc, opts AddOptions, start time.Time) *pipeline {
	p := &pipeline{idx: idx, root: root, totalBytes: totalBytes, walk: walk, opts: opts, start: start, batchSize: opts.BatchSize}
	p.list = func(ctx context.Context) (map[string]string, error) { return idx.rootHashes(ctx, root) }
	if p.batchSize <= 0 {
		p.batchSize = DefaultBatchSize
	}
	p.copts = corpus.Options{
		OnProblem: p.problem,
		OnFile: func(_ string, size int64) {
			p.files.Add(1)
			p.bytes.Add(size)
		},
		OnSkip: opts.OnSkip,
		OCR:    opts.OCR,
	}
	return p
}

// indexRoot runs the pipeline for one root.
func (idx *Index) indexRoot(ctx context.Context, root string, totalBytes int64, walk walkFunc, opts AddOptions, start time.Time) (AddSummary, error) {
	return idx.newPipeline(root, totalBytes, walk, opts, start).run(ctx)
}

// problem counts and keeps a problem, and passes it to OnProblem.
func (p *pipeline) problem(pr corpus.Problem) {
	p.failed.Add(1)
	p.probMu.Lock()
	if len(p.st.Problems) < maxProblems {
		p.st.Problems = append(p.st.Problems, pr)
	}
	p.probMu.Unlock()
	if p.opts.OnProblem != nil {
		p.opts.OnProblem(pr)
	}
}

// progress reports the run so far to Progress, if set.
func (p *pipeline) progress() {
	if p.opts.Progress == nil {
		return
	}
	p.opts.Progress(Progress{
		Root: p.root, Files: int(p.files.Load()), Bytes: p.bytes.Load(), TotalBytes: p.totalBytes,
		Reports: p.read, Added: p.st.Added, Updated: p.st.Updated, Unchanged: p.st.Unchanged,
		Failed: int(p.failed.Load()), Elapsed: time.Since(p.start), Writing: p.done,
	})
}

// run indexes the root and removes its vanished reports. When ctx is done
// it stops after the batches under way and returns the stats so far with
// Canceled set.
func (p *pipeline) run(ctx context.Context) (AddSummary, error) {
	idx := p.idx
	var err error
	p.known, err = p.list(ctx)
	if err != nil {
		if ctx.Err() != nil {
			p.st.Canceled = true
			return p.st, nil
		}
		return p.st, err
	}
	p.startWalk(ctx)
	defer p.stopWalk()
	p.startWriters()
	m, mapErr := p.build(ctx)
	// Drain the walker if we stopped early.
	for range p.reports {
	}
	<-p.walkDone
	p.done = true
	p.progress() // say that the index is being written: it may take seconds
	writeErr := p.finishWrites()
	if writeErr == nil && mapErr == nil && m != idx.getMeta() {
		// Concurrent writers may have left an older date range.
		if err := idx.commit(idx.bi.NewBatch(), m); err != nil {
			return p.st, err
		}
	}

	p.st.Files = p.walkStats.Files
	p.st.Skipped = p.walkStats.Skipped
	p.st.Bytes = p.walkStats.Bytes
	p.st.Failed = int(p.failed.Load())
	if mapErr != nil {
		return p.st, mapErr
	}
	if writeErr != nil {
		return p.st, writeErr
	}
	if err := idx.flush(); err != nil {
		return p.st, err
	}
	if ctx.Err() != nil {
		p.st.Canceled = true
		p.progress()
		return p.st, nil
	}
	if p.walkErr != nil {
		return p.st, fmt.Errorf("index: read %s: %w", p.root, p.walkErr)
	}
	if err := p.removeVanished(ctx); err != nil {
		return p.st, err
	}
	p.progress()
	return p.st, idx.flush()
}

// startWalk starts the walk of the root, which sends its reports to
// p.reports and closes it at the end.
func (p *pipeline) startWalk(ctx context.Context) {
	var wctx context.Context
	wctx, p.stopWalk = context.WithCancel(ctx)
	p.reports = make(chan corpus.Report, 2*p.batchSize)
	p.walkDone = make(chan struct{})
	go func() {
		defer close(p.walkDone)
		defer close(p.reports)
		p.walkStats, p.walkErr = p.walk(wctx, p.copts, func(r corpus.Report) error {
			select {
			case p.reports <- r:
				return nil
			case <-wctx.Done():
				return wctx.Err()
			}
		})
	}()
}

// startWriters starts the writers of the batches sent to p.batches: Bleve
// builds the segments of concurrent batches in parallel and introduces
// them one at a time. After a write fails, the writers drop the batches
// that follow and stop the walk.
func (p *pipeline) startWriters() {
	p.batches = make(chan pending, 1)
	for range numWriters() {
		p.writers.Go(func() {
			for b := range p.batches {
				p.writeMu.Lock()
				failedBefore := p.writeErr != nil
				p.writeMu.Unlock()
				if failedBefore {
					continue
				}
				if err := p.idx.commit(b.b, b.meta); err != nil {
					p.writeMu.Lock()
					p.writeErr = err
					p.writeMu.Unlock()
					p.stopWalk()
				}
			}
		})
	}
}

// finishWrites waits for the writers and returns the first write error.
func (p *pipeline) finishWrites() error {
	close(p.batches)
	p.writers.Wait()
	return p.writeErr
}

// build reads the walk's reports, skips the unchanged ones and sends the
// others to the writers in batches, sending the last one too. It returns
// the index metadata extended by the dates of the reports sent, and an
// error when a report could not be mapped (the walk is then stopped). When
// ctx is done it sends nothing more: the batch being built (or waiting for
// a writer) is dropped, and not counted in p.st.
func (p *pipeline) build(ctx context.Context) (meta, error) {
	idx := p.idx
	p.seen = make(map[string]struct{}, len(p.known))
	m := idx.getMeta()
	sent := m // the metadata of the batches sent to the writers
	b := idx.bi.NewBatch()
	batchText := 0
	var added, updated int // the reports of b
	// send hands b to the writers, unless ctx is done first: after an
	// interrupt only the batches being written are finished (each costs
	// seconds on a loaded machine), and the one being built, or waiting
	// for a writer, is dropped with its counts.
	send := func() bool {
		if ctx.Err() == nil {
			select {
			case p.batches <- pending{b: b, meta: m}:
				sent, added, updated = m, 0, 0
				return true
			case <-ctx.Done():
			}
		}
		p.st.Added -= added
		p.st.Updated -= updated
		p.st.TextBytes -= int64(batchText)
		return false
	}
	for r := range p.reports {
		if ctx.Err() != nil {
			break // the batch being built and the reports read ahead are dropped
		}
		p.read++
		if p.read%256 == 0 {
			p.progress()
		}
		if _, dup := p.seen[r.ID]; dup && r.ID != "" {
			p.problem(corpus.Problem{Path: r.Path, Err: fmt.Errorf("duplicate report ID %q: the later one replaces the earlier", r.ID)})
		}
		p.seen[r.ID] = struct{}{}
		if r.ID == "" {
			p.problem(corpus.Problem{Path: r.Path, Err: errors.New("report without ID")})
			continue
		}
		old, ok := p.known[r.ID]
		switch {
		case ok && old == r.Hash && r.Hash != "":
			p.st.Unchanged++
			continue
		case ok:
			p.st.Updated++
			updated++
		default:
			p.st.Added++
			added++
		}
		if err := idx.addReport(b, &r, p.root); err != nil {
			p.stopWalk()
			return m, fmt.Errorf("index: map report %s: %w", r.ID, err)
		}
		m.extend(r.Date)
		p.st.TextBytes += int64(len(r.Title) + len(r.Body))
		batchText += len(r.Title) + len(r.Body)
		if b.Size() >= p.batchSize || batchText >= MaxBatchText {
			if !send() {
				return sent, nil
			}
			b = idx.bi.NewBatch()
			batchText = 0
			p.progress()
		}
	}
	if b.Size() > 0 && !send() {
		return sent, nil
	}
	return m, nil
}

// removeVanished removes the reports of the root that the walk did not
// meet, and refreshes the index's date range when it removed any.
func (p *pipeline) removeVanished(ctx context.Context) error {
	idx := p.idx
	del := idx.bi.NewBatch()
	for id := range p.known {
		if _, ok := p.seen[id]; ok {
			continue
		}
		del.Delete(id)
		p.st.Removed++
		if del.Size() >= p.batchSize {
			if err := idx.commit(del, idx.getMeta()); err != nil {
				return err
			}
			del = idx.bi.NewBatch()
		}
	}
	if del.Size() > 0 {
		if err := idx.commit(del, idx.getMeta()); err != nil {
			return err
		}
	}
	if p.st.Removed > 0 && p.removedAtBounds() {
		return idx.refreshDates(ctx)
	}
	return nil
}

// removedAtBounds reports whether a removed report may have held the first
// or the last date of the index: always, unless p.dates tells.
func (p *pipeline) removedAtBounds() bool {
	if p.dates == nil {
		return true
	}
	m := p.idx.getMeta()
	for id := range p.known {
		if _, ok := p.seen[id]; ok {
			continue
		}
		text := p.dates[id]
		if text == "" {
			continue // no date: the range does not depend on it
		}
		d, err := corpus.ParseISODate(text)
		if err != nil || !d.Time.After(m.FirstDate) || !d.Time.Before(m.LastDate) {
			return true
		}
	}
	return false
}
