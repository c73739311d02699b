package index

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/rapports/rapports/corpus"
)

// maxPathClauses bounds the paths of one query listing the reports of
// some paths: longer lists are asked in several queries.
const maxPathClauses = 256

// UpdatePaths re-reads only some paths of a root indexed by AddPaths: the
// files and folders that changed, were created, removed or renamed
// (absolute, or relative to root). Each path that exists is read as
// AddPaths reads root (same IDs, reports unchanged by content hash
// skipped); the reports indexed from a path, or from under it for a
// folder, that are no longer found there are removed, so a path that no
// longer exists removes its reports. Reports of the other paths of root
// are not read nor touched. A path outside root is an ErrBadRequest; the
// path "." (root itself) makes it AddPaths of root. When ctx is done it
// stops after the current batches with Canceled set, as AddPaths.
//
// It serves "rapports serve --watch", which learns the changed paths from
// file events: a change to one file of a 50,000-file root costs the
// reading of that file, not of the root.
func (idx *Index) UpdatePaths(ctx context.Context, root string, paths []string, opts AddOptions) (AddSummary, error) {
	start := time.Now()
	abs, err := filepath.Abs(root)
	if err != nil {
		return AddSummary{}, fmt.Errorf("index: root %s: %w", root, err)
	}
	rels, err := corpus.RelPaths(abs, paths)
	if err != nil {
		return AddSummary{}, fmt.Errorf("%w: %w", ErrBadRequest, err)
	}
	if len(rels) == 1 && rels[0] == "." {
		return idx.AddPaths(ctx, []string{abs}, opts)
	}
	if len(rels) == 0 {
		return AddSummary{Duration: time.Since(start)}, nil
	}
	done, err := idx.writer()
	if err != nil {
		return AddSummary{}, err
	}
	defer done()
	walk := func(ctx context.Context, o corpus.Options, emit func(corpus.Report) error) (corpus.WalkCounts, error) {
		return corpus.WalkPaths(ctx, abs, rels, o, emit)
	}
	p := idx.newPipeline(abs, 0, walk, opts, start)
	p.dates = map[string]string{}
	p.list = func(ctx context.Context) (map[string]string, error) { return idx.pathHashes(ctx, abs, rels, p.dates) }
	st, err := p.run(ctx)
	st.Duration = time.Since(start)
	return st, err
}

// pathHashes returns the ID and content hash of every report indexed from
// root whose path is one of rels or under one of them, and puts their
// dates (as stored, "" for none) in dates.
func (idx *Index) pathHashes(ctx context.Context, root string, rels []string, dates map[string]string) (map[string]string, error) {
	out := map[string]string{}
	for len(rels) > 0 {
		chunk := rels[:min(len(rels), maxPathClauses)]
		rels = rels[len(chunk):]
		var which []query.Query
		for _, rel := range chunk {
			tq := bleve.NewTermQuery(rel)
			tq.SetField(fieldPath)
			pq := bleve.NewPrefixQuery(rel + "/")
			pq.SetField(fieldPath)
			which = append(which, tq, pq)
		}
		rq := bleve.NewTermQuery(root)
		rq.SetField(fieldRoot)
		q := bleve.NewConjunctionQuery(rq, bleve.NewDisjunctionQuery(which...))
		const page = 10_000
		var after []string
		for {
			req := bleve.NewSearchRequestOptions(q, page, 0, false)
			req.Fields = []string{fieldHash, fieldDateText}
			req.Sort = search.SortOrder{&search.SortDocID{}}
			req.Score = "none"
			if after != nil {
				req.SearchAfter = after
			}
			res, err := idx.search(ctx, req)
			if err != nil {
				return nil, fmt.Errorf("index: list reports of %d paths of %s: %w", len(chunk), root, err)
			}
			for _, h := range res.Hits {
				out[h.ID] = str(h.Fields[fieldHash])
				dates[h.ID] = str(h.Fields[fieldDateText])
			}
			if len(res.Hits) < page {
				break
			}
			after = []string{res.Hits[len(res.Hits)-1].ID}
		}
	}
	return out, nil
}
