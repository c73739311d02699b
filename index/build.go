package index

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/rapports/rapports/analyzers"
)

// builder turns a parsed query into a Bleve query.
type builder struct {
	ctx       context.Context // bounds the prefix expansions
	idx       *Index
	top       *node // the whole query
	keepStops bool  // search stop words as exact forms rather than dropping them
	rank      bool  // build the ranked query (rank.go)
	// marks builds the query of a document's matches (document.go): the
	// words of an AND match each on its own, and exclusions mark nothing.
	marks bool
	// prefixes holds the expansions of the prefixes built so far, by
	// field and prefix, shared by the copies of the builder (the ranked
	// query expands the same prefixes); see newBuilder.
	prefixes *expansions
}

// expansions are the prefixes of one query expanded to their terms.
type expansions struct {
	terms map[[2]string][]string // by field and prefix term
	total int                    // the number of terms of all of them
}

// newBuilder returns a builder of the query ast, whose prefix expansions
// stop when ctx is done.
func newBuilder(ctx context.Context, idx *Index, ast *node) builder {
	return builder{ctx: ctx, idx: idx, top: ast, prefixes: &expansions{terms: map[[2]string][]string{}}}
}

// build returns the query for n, or nil when n holds nothing to search
// (stop words only).
func (b *builder) build(n *node) (query.Query, error) {
	if b.rank {
		if q, ok, err := b.rankedNode(n); ok {
			return q, err
		}
	}
	switch n.kind {
	case nodeAnd:
		var must, not []query.Query
		for _, k := range orgRuns(n.kids) {
			q, err := b.build(k)
			if err != nil {
				return nil, err
			}
			if q == nil {
				continue
			}
			if k.sign == signExcluded {
				not = append(not, q)
			} else {
				must = append(must, q)
			}
		}
		if b.marks {
			return anyOf(must), nil
		}
		if len(must) == 0 && (len(not) == 0 || (n == b.top && !b.keepStops)) {
			// Nothing positive at the top: the caller retries with stop
			// words kept, and only then searches everything but the
			// exclusions.
			return nil, nil
		}
		if len(not) == 0 {
			if len(must) == 1 {
				return must[0], nil
			}
			return bleve.NewConjunctionQuery(must...), nil
		}
		bq := bleve.NewBooleanQuery()
		if len(must) == 1 {
			bq.AddMust(must[0])
		} else if len(must) > 1 {
			bq.AddMust(bleve.NewConjunctionQuery(must...))
		} else {
			bq.AddMust(bleve.NewMatchAllQuery())
		}
		bq.AddMustNot(not...)
		return bq, nil
	case nodeOr:
		var any []query.Query
		for _, k := range n.kids {
			q, err := b.build(k)
			if err != nil {
				return nil, err
			}
			if q != nil {
				any = append(any, q)
			}
		}
		return anyOf(any), nil
	case nodePrefix:
		return b.prefix(n)
	case nodeNear:
		return b.near(n)
	}
	return b.text(n)
}

// anyOf returns the disjunction of qs: nil for none, the query itself for
// one.
func anyOf(qs []query.Query) query.Query {
	switch len(qs) {
	case 0:
		return nil
	case 1:
		return qs[0]
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// boostPhrase returns q, for a query of plain words only (défense
// aérienne), with the words in a row as an optional clause: reports where
// they stand together rank above reports where they are scattered. The
// matches stay those of q.
func (b *builder) boostPhrase(ast *node, q query.Query) (query.Query, error) {
	if len(ast.kids) < 2 {
		return q, nil
	}
	words := make([]string, len(ast.kids))
	for i, k := range ast.kids {
		if k.kind != nodeWord || k.sign != signNone || k.title || k.exact {
			return q, nil
		}
		words[i] = k.text
	}
	text := strings.Join(words, " ")
	toks, err := analyzers.Analyze(analyzers.FrenchName, text)
	if err != nil {
		return nil, fmt.Errorf("index: analyze %q: %w", text, err)
	}
	if len(toks) == 0 || toks[len(toks)-1].Position == toks[0].Position {
		// Stop words and one other word: no phrase to look for.
		return q, nil
	}
	phrase, err := b.text(&node{kind: nodePhrase, text: text})
	if err != nil || phrase == nil {
		return q, err
	}
	bq := bleve.NewBooleanQuery()
	bq.AddMust(q)
	bq.AddShould(phrase)
	return bq, nil
}

// text builds a word or phrase query; one that names an organisation
// also matches its other names.
func (b *builder) text(n *node) (query.Query, error) {
	if q, ok, err := b.organization(n); ok || err != nil {
		return q, err
	}
	toks, analyzer, err := b.tokens(n)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, nil
	}
	onePosition := true
	for _, t := range toks {
		onePosition = onePosition && t.Position == toks[0].Position
	}
	return b.perField(n, func(field string) query.Query {
		if onePosition {
			// One word, maybe with several stems: any of them.
			qs := make([]query.Query, 0, len(toks))
			for _, t := range toks {
				tq := bleve.NewTermQuery(t.Term)
				tq.SetField(field)
				qs = append(qs, tq)
			}
			if len(qs) == 1 {
				return qs[0]
			}
			return bleve.NewDisjunctionQuery(qs...)
		}
		pq := bleve.NewMatchPhraseQuery(n.text)
		pq.SetField(field)
		pq.Analyzer = analyzer
		return pq
	}), nil
}

// tokens returns the index terms of the text of a word, phrase or near
// node, and the analyzer that gave them: the French one, or the exact
// forms' for exact: and for stop words the user requires or excludes (or
// all of them, with keepStops); none for stop words otherwise.
func (b *builder) tokens(n *node) ([]analyzers.Token, string, error) {
	analyzer := analyzers.FrenchName
	if n.exact {
		analyzer = analyzers.ExactQueryName
	}
	toks, err := analyzers.Analyze(analyzer, n.text)
	if err == nil && len(toks) == 0 && !n.exact && (b.keepStops || n.sign != signNone) {
		// A stop word the user requires or excludes: match its exact form.
		analyzer = analyzers.ExactQueryName
		toks, err = analyzers.Analyze(analyzer, n.text)
	}
	if err != nil {
		return nil, "", fmt.Errorf("index: analyze %q: %w", n.text, err)
	}
	return toks, analyzer, nil
}

// perField returns mk's query on the title only, for title:, or else on the
// title (boosted) or the body.
func (b *builder) perField(n *node, mk func(field string) query.Query) query.Query {
	title := mk(fieldTitle)
	if n.title {
		return title
	}
	title.(query.BoostableQuery).SetBoost(titleBoost)
	return bleve.NewDisjunctionQuery(title, mk(fieldBody))
}

// prefix builds a prefix query on exact forms, refusing one that expands to
// more than MaxPrefixTerms terms.
func (b *builder) prefix(n *node) (query.Query, error) {
	toks, err := analyzers.Analyze(analyzers.ExactQueryName, n.text)
	if err != nil {
		return nil, fmt.Errorf("index: analyze %q: %w", n.text, err)
	}
	if len(toks) != 1 {
		return nil, &QueryError{Pos: n.pos, Kind: KindPrefixNotWord, Msg: fmt.Sprintf("prefix %q is not a single word", n.text+"*"), Err: ErrBadQuery}
	}
	term := toks[0].Term
	if utf8.RuneCountInString(strings.TrimPrefix(term, analyzers.ExactMarker)) < MinPrefixLen {
		return nil, &QueryError{Pos: n.pos, Kind: KindPrefixTooShort, Msg: fmt.Sprintf("prefix %q is shorter than %d letters", n.text+"*", MinPrefixLen), Err: ErrBadQuery}
	}
	terms := map[string][]string{}
	for _, field := range []string{fieldTitle, fieldBody} {
		ts, err := b.expand(field, term)
		if err != nil {
			return nil, err
		}
		if len(ts) > MaxPrefixTerms {
			return nil, &QueryError{Pos: n.pos, Kind: KindPrefixTooMany, Msg: fmt.Sprintf("prefix %q matches more than %d words (make it longer)", n.text+"*", MaxPrefixTerms), Err: ErrTooExpensive}
		}
		if b.prefixes.total > maxQueryPrefixTerms {
			return nil, &QueryError{Pos: n.pos, Kind: KindPrefixesTooMany, Msg: fmt.Sprintf("the prefixes up to %q match more than %d words in all (use fewer or longer prefixes)", n.text+"*", maxQueryPrefixTerms), Err: ErrTooExpensive}
		}
		terms[field] = ts
	}
	return b.perField(n, func(field string) query.Query {
		return &prefixQuery{prefix: term, field: field, terms: terms[field]}
	}), nil
}

// expand returns the terms of field starting with prefix (at most
// MaxPrefixTerms+1), expanding each prefix once per query.
func (b *builder) expand(field, prefix string) ([]string, error) {
	if b.prefixes == nil {
		b.prefixes = &expansions{terms: map[[2]string][]string{}}
	}
	key := [2]string{field, prefix}
	if ts, ok := b.prefixes.terms[key]; ok {
		return ts, nil
	}
	ctx := b.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	ts, err := b.idx.expandPrefix(ctx, field, prefix, MaxPrefixTerms)
	if err != nil {
		return nil, err
	}
	b.prefixes.terms[key] = ts
	b.prefixes.total += len(ts)
	return ts, nil
}
