package index

import (
	"context"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"

	"github.com/rapports/rapports/analyzers"
)

// BM25 normalises a field's length by its average length over the index.
// Bleve takes that average to be the number of distinct terms of the field
// divided by the number of documents: on the 13,040 TV-news reports it
// gives 15 tokens for bodies of 337 on average and 4 for titles of 16, so
// a body match weighed next to nothing beside a title match, and the
// longer a report the lower it sank whatever its content; it also changes
// a report's score with the vocabulary of the others. The search passes
// Bleve the average measured on a sample of the reports instead.

// lengthSample is the number of reports whose fields are analyzed to
// estimate the average field lengths, taken in lengthSlices evenly spaced
// runs of the index's document order. Reports of one period lie together
// in that order and their lengths differ by period: on the 13,040 TV-news
// reports (bodies of 324.2 tokens on average, all counted) 256 reports in
// 8 runs gave 285.0 and the figure changed with the build's segment
// layout; 512 in 32 runs give 323.6, for about 0.2-0.6 s once per change
// of the report count on a loaded machine (0.05-0.09 s before).
const (
	lengthSample = 512
	lengthSlices = 32
)

// lengthStats are the document count and estimated total field lengths
// that BM25 scoring reads, for an index of count documents.
type lengthStats struct {
	count uint64
	bm25  *search.BM25Stats
}

// bm25Stats returns the scoring statistics of the index as it is now. They
// are measured again when the number of documents changes (replacing
// reports in place keeps the previous estimate). It returns nil for an
// empty index.
func (idx *Index) bm25Stats(ctx context.Context) (*search.BM25Stats, error) {
	n, err := idx.bi.DocCount()
	if err != nil {
		return nil, fmt.Errorf("index: count documents: %w", err)
	}
	if n == 0 {
		return nil, nil
	}
	idx.lengthMu.Lock()
	defer idx.lengthMu.Unlock()
	if idx.lengths.count == n && idx.lengths.bm25 != nil {
		return idx.lengths.bm25, nil
	}
	avg, err := idx.averageLengths(ctx, n)
	if err != nil {
		return nil, err
	}
	st := &search.BM25Stats{DocCount: float64(n), FieldCardinality: map[string]int{}}
	// Bleve fails a search that reaches a field missing here. Keyword
	// fields hold one term a value.
	names, err := idx.bi.Fields()
	if err != nil {
		return nil, fmt.Errorf("index: list fields: %w", err)
	}
	names = append(names, fieldDate, fieldDateText, fieldYear, fieldMonth, fieldCountries,
		fieldMentions, fieldOrgs, fieldOrgMentions, fieldSource, fieldURL, fieldPath, fieldHash, fieldRoot)
	for _, field := range names {
		st.FieldCardinality[field] = int(n)
	}
	// Filters of several terms (countries, date ranges) become one
	// searcher over the pseudo-field "*"; they are not scored.
	st.FieldCardinality[scorch.OptimizeTFRConjunctionUnadornedField] = int(n)
	st.FieldCardinality[scorch.OptimizeTFRDisjunctionUnadornedField] = int(n)
	for field, a := range avg {
		// Bleve divides this by the document count (and rounds up).
		st.FieldCardinality[field] = int(math.Round(a * float64(n)))
	}
	idx.lengths = lengthStats{count: n, bm25: st}
	return st, nil
}

// averageLengths analyzes the title and body of up to lengthSample
// reports, as the index analyzed them, and returns the mean number of
// tokens of each field over the reports that have it (at least 1).
func (idx *Index) averageLengths(ctx context.Context, n uint64) (map[string]float64, error) {
	runs := uint64(lengthSlices)
	per := uint64(lengthSample / lengthSlices)
	if n <= lengthSample {
		runs, per = 1, n
	}
	fields := []string{fieldTitle, fieldBody}
	tokens := make(map[string]int, len(fields))
	docs := make(map[string]int, len(fields))
	for s := range runs {
		req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), int(per), int(s*n/runs), false)
		req.Fields = fields
		req.Score = "none"
		res, err := idx.search(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("index: sample field lengths: %w", err)
		}
		for _, h := range res.Hits {
			for _, f := range fields {
				text := str(h.Fields[f])
				if text == "" {
					continue
				}
				n, err := countTokens(text)
				if err != nil {
					return nil, fmt.Errorf("index: sample field lengths: %w", err)
				}
				tokens[f] += n
				docs[f]++
			}
		}
	}
	avg := make(map[string]float64, len(fields))
	for _, f := range fields {
		avg[f] = 1
		if docs[f] > 0 {
			avg[f] = max(1, float64(tokens[f])/float64(docs[f]))
		}
	}
	return avg, nil
}

// sampleText is the most text of one field that averageLengths analyzes:
// the tokens of a longer text (a part of a long report, up to 256 KiB) are
// extrapolated from its first sampleText bytes, so that measuring costs
// a few milliseconds whatever the reports.
const sampleText = 16 << 10

// countTokens returns the field length of text for ranking (the index
// analyzer's tokens, see analyzers.FieldLength), extrapolated from its start when it is longer than sampleText.
func countTokens(text string) (int, error) {
	cut := len(text)
	if cut > sampleText {
		cut = strings.LastIndexByte(text[:sampleText], ' ')
		if cut <= 0 {
			cut = sampleText
		}
		for cut < len(text) && !utf8.RuneStart(text[cut]) {
			cut++
		}
	}
	n, err := analyzers.IndexFieldLength(text[:cut])
	if err != nil {
		return 0, err
	}
	if cut == len(text) {
		return n, nil
	}
	return int(math.Round(float64(n) * float64(len(text)) / float64(cut))), nil
}
