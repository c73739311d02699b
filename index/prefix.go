package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// checkEvery is how many dictionary terms or term searchers the prefix
// expansion handles between two checks of its context.
const checkEvery = 64

// expandPrefix returns the terms of field that start with prefix, at most
// limit+1 of them (so that the caller sees that there are more than
// limit). It stops with ctx's error when ctx is done.
func (idx *Index) expandPrefix(ctx context.Context, field, prefix string, limit int) ([]string, error) {
	d, err := idx.bi.FieldDictPrefix(field, []byte(prefix))
	if err != nil {
		return nil, fmt.Errorf("index: expand prefix %q: %w", prefix, err)
	}
	defer d.Close()
	var terms []string
	for len(terms) <= limit {
		if len(terms)%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("index: expand prefix %q: %w", prefix, err)
			}
		}
		e, err := d.Next()
		if err != nil {
			return nil, fmt.Errorf("index: expand prefix %q: %w", prefix, err)
		}
		if e == nil {
			break
		}
		terms = append(terms, e.Term)
	}
	return terms, nil
}

// prefixQuery matches the documents holding any of the terms a prefix
// expanded to when the query was built (expandPrefix). Unlike Bleve's
// PrefixQuery, which walks the term dictionary again and opens a searcher
// for each term without looking at its context, it checks the context
// every checkEvery terms, so that a search of many prefixes stops at its
// time limit. A term added to the index between the expansion and the
// search (a few milliseconds) is not matched. Its scores are those of
// Bleve's PrefixQuery: a disjunction of the terms' searchers.
type prefixQuery struct {
	prefix string
	field  string
	terms  []string
	boost  *query.Boost
}

// SetBoost implements query.BoostableQuery.
func (q *prefixQuery) SetBoost(b float64) {
	boost := query.Boost(b)
	q.boost = &boost
}

// Boost implements query.BoostableQuery.
func (q *prefixQuery) Boost() float64 { return q.boost.Value() }

// SetField implements query.FieldableQuery.
func (q *prefixQuery) SetField(f string) { q.field = f }

// Field implements query.FieldableQuery, so that Bleve counts the field
// in its statistics.
func (q *prefixQuery) Field() string { return q.field }

// Searcher implements query.Query.
func (q *prefixQuery) Searcher(ctx context.Context, r bleveindex.IndexReader, _ mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	boost := q.boost.Value()
	if len(q.terms) == 0 {
		return searcher.NewMatchNoneSearcher(r)
	}
	if len(q.terms) == 1 {
		return searcher.NewTermSearcher(ctx, r, q.terms[0], q.field, boost, options)
	}
	ss := make([]search.Searcher, 0, len(q.terms))
	closeAll := func() {
		for _, s := range ss {
			_ = s.Close()
		}
	}
	for i, t := range q.terms {
		if i%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				closeAll()
				return nil, fmt.Errorf("index: prefix %q: %w", q.prefix, err)
			}
		}
		s, err := searcher.NewTermSearcher(ctx, r, t, q.field, boost, options)
		if err != nil {
			closeAll()
			return nil, err
		}
		ss = append(ss, s)
	}
	ds, err := searcher.NewDisjunctionSearcher(ctx, r, ss, 0, options)
	if err != nil {
		closeAll()
		return nil, err
	}
	return &ctxSearcher{Searcher: ds, ctx: ctx, prefix: q.prefix}, nil
}

// ctxSearcher checks its context every checkEvery documents: Bleve's
// collector checks it only every 1,024 documents, and each document of a
// disjunction of thousands of terms costs as many heap moves, which on a
// loaded machine let a search of many prefixes overrun its limit by a
// quarter.
type ctxSearcher struct {
	search.Searcher
	ctx    context.Context
	prefix string
	n      int
}

// check returns ctx's error every checkEvery calls.
func (s *ctxSearcher) check() error {
	s.n++
	if s.n%checkEvery != 0 {
		return nil
	}
	if err := s.ctx.Err(); err != nil {
		return fmt.Errorf("index: prefix %q: %w", s.prefix, err)
	}
	return nil
}

// Next implements search.Searcher.
func (s *ctxSearcher) Next(sc *search.SearchContext) (*search.DocumentMatch, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	return s.Searcher.Next(sc)
}

// Advance implements search.Searcher.
func (s *ctxSearcher) Advance(sc *search.SearchContext, id bleveindex.IndexInternalID) (*search.DocumentMatch, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	return s.Searcher.Advance(sc, id)
}
