package index

import (
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// The ranked query: the same matches as the query build makes, scored by
// wordsQuery (bm25f.go). The words, phrases and "a b"~N of one group are
// scored together, so that their proximity counts; a phrase or a word of
// several positions (Notre-Dame) adds its words to the group, and the words
// query keeps only the reports where they stand in a row (checked from the
// positions it reads anyway, instead of a Bleve phrase query as a filter,
// which read them a second time). Prefixes and the names of an organisation
// (expanded to its other names, organizations.go) keep Bleve's scoring.

// blevePhrases makes the ranked query keep a phrase's words in a row with
// Bleve's phrase query as a filter, as before: tests set it to check that
// the words query's own check finds the same reports. Searches never
// change it.
var blevePhrases bool

// rankedAnd returns the ranked query of the AND node n, or nil when it
// holds nothing to search.
func (b *builder) rankedAnd(n *node) (query.Query, error) {
	var body, title [][]string // the words scored together, by field
	var optional [][]string    // organisations' words as typed, scored if present
	var must, filters, not []query.Query
	var bodyPhrases, titlePhrases []phrase // the phrases among body and title
	var typed []phrase                     // the runs of plain words typed among the body's
	var tr typedRun
	for _, k := range orgRuns(n.kids) {
		plainWord := k.kind == nodeWord && k.sign == signNone && !k.title && !k.exact
		if !plainWord {
			if err := tr.end(b, &typed); err != nil {
				return nil, err
			}
		}
		if k.sign == signExcluded {
			// Exclusions match or not: Bleve's query does.
			plain := *b
			plain.rank = false
			q, err := plain.build(k)
			if err != nil {
				return nil, err
			}
			if q != nil {
				not = append(not, q)
			}
			continue
		}
		if q, ok, err := b.organization(k); ok || err != nil {
			// An organisation matches by any of its names and acronyms (a
			// filter); the words as typed score when the report holds them.
			if err != nil {
				return nil, err
			}
			words, err := b.words(k)
			if err != nil {
				return nil, err
			}
			filters = append(filters, q)
			optional = append(optional, words...)
			if err := tr.end(b, &typed); err != nil {
				return nil, err
			}
			continue
		}
		switch k.kind {
		case nodeWord, nodePhrase:
			words, offsets, err := b.wordsAt(k)
			if err != nil {
				return nil, err
			}
			if len(words) == 0 {
				if plainWord {
					tr.add(k.text, 0, 0)
				}
				continue
			}
			group := &body
			if k.title {
				group = &title
			}
			if len(words) > 1 && blevePhrases {
				f, err := b.text(k)
				if err != nil {
					return nil, err
				}
				filters = append(filters, f)
			} else if len(words) > 1 {
				// A phrase: its words in a row, checked by the words
				// query from the positions it reads.
				ph := phrase{first: len(*group), offsets: offsets}
				if k.title {
					titlePhrases = append(titlePhrases, ph)
				} else {
					bodyPhrases = append(bodyPhrases, ph)
				}
			}
			if plainWord {
				tr.add(k.text, len(words), len(*group))
			}
			*group = append(*group, words...)
		case nodeNear:
			words, err := b.words(k)
			if err != nil {
				return nil, err
			}
			if len(words) > 0 {
				must = append(must, newWordsQuery(words, k.title, k.slop))
			}
		default:
			q, err := b.build(k)
			if err != nil {
				return nil, err
			}
			if q != nil {
				must = append(must, q)
			}
		}
	}
	if err := tr.end(b, &typed); err != nil {
		return nil, err
	}
	if len(title) > 0 {
		wq := newWordsQuery(title, true, -1)
		wq.phrases = titlePhrases
		must = append([]query.Query{wq}, must...)
	}
	switch {
	case len(body) > 0:
		wq := newWordsQuery(append(body, optional...), false, -1)
		wq.optional = len(optional)
		wq.phrases = bodyPhrases
		wq.typed = typed
		must = append([]query.Query{wq}, must...)
	case len(optional) > 0 && len(must) == 0:
		// Only organisations: Bleve scores them as they match.
		must, filters = filters, nil
	}
	if len(must) == 0 && (len(not) == 0 || (n == b.top && !b.keepStops)) {
		return nil, nil
	}
	if len(not) == 0 && len(filters) == 0 && len(must) == 1 {
		return must[0], nil
	}
	bq := bleve.NewBooleanQuery()
	switch len(must) {
	case 0:
		bq.AddMust(bleve.NewMatchAllQuery())
	case 1:
		bq.AddMust(must[0])
	default:
		bq.AddMust(bleve.NewConjunctionQuery(must...))
	}
	if len(not) > 0 {
		bq.AddMustNot(not...)
	}
	switch len(filters) {
	case 0:
	case 1:
		bq.AddFilter(filters[0])
	default:
		bq.AddFilter(bleve.NewConjunctionQuery(filters...))
	}
	return bq, nil
}

// typedRun is a run of consecutive plain words of a query (neither
// phrases, signed, title:, exact: nor organisations), stop words included,
// whose words are scored together in the body: the distances at which they
// were typed are those of the run's text analyzed as one.
type typedRun struct {
	texts []string
	first int // index of the run's first word among the body's words
	words int
}

// add appends a word node's text holding n words, the first of which is
// the body's word at index i; a stop word (n 0) counts only inside a run.
func (r *typedRun) add(text string, n, i int) {
	if r.words == 0 {
		if n == 0 {
			return
		}
		r.texts, r.first = r.texts[:0], i
	}
	r.texts = append(r.texts, text)
	r.words += n
}

// end closes the run: a run of two words or more is appended to out as a
// phrase (its words at the positions typed), then the run is emptied.
func (r *typedRun) end(b *builder, out *[]phrase) error {
	defer func() { r.texts, r.words = r.texts[:0], 0 }()
	if r.words < 2 {
		return nil
	}
	words, offsets, err := b.wordsAt(&node{kind: nodePhrase, text: strings.Join(r.texts, " ")})
	if err != nil {
		return err
	}
	if len(words) == r.words {
		*out = append(*out, phrase{first: r.first, offsets: offsets})
	}
	return nil
}

// words returns the index terms of the words of a word, phrase or near
// node: one list a position, nil for stop words only.
func (b *builder) words(n *node) ([][]string, error) {
	words, _, err := b.wordsAt(n)
	return words, err
}

// wordsAt returns the words of n as words does, and the position of each
// word after the first one's (stop words leave gaps): what a phrase of
// them requires, as Bleve's phrase query of the same text does.
func (b *builder) wordsAt(n *node) ([][]string, []uint64, error) {
	toks, _, err := b.tokens(n)
	if err != nil {
		return nil, nil, err
	}
	var words [][]string
	var offsets []uint64
	for i, t := range toks {
		if i == 0 || t.Position != toks[i-1].Position {
			if t.Position < toks[0].Position {
				return nil, nil, fmt.Errorf("index: analyze %q: positions go backwards", n.text)
			}
			words = append(words, nil)
			offsets = append(offsets, uint64(t.Position-toks[0].Position))
		}
		w := &words[len(words)-1]
		if !contains(*w, t.Term) {
			*w = append(*w, t.Term)
		}
	}
	return words, offsets, nil
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// rankedNode returns the ranked query of n when n is a group, word, phrase
// or near node (ok true); other nodes build as usual.
func (b *builder) rankedNode(n *node) (q query.Query, ok bool, err error) {
	switch n.kind {
	case nodeAnd:
		q, err = b.rankedAnd(n)
		return q, true, err
	case nodeWord, nodePhrase, nodeNear:
		if n.sign == signExcluded {
			return nil, false, nil
		}
		q, err = b.rankedAnd(&node{kind: nodeAnd, pos: n.pos, kids: []*node{n}})
		return q, true, err
	}
	return nil, false, nil
}

// near builds the query of "a b"~N.
func (b *builder) near(n *node) (query.Query, error) {
	words, err := b.words(n)
	if err != nil || len(words) == 0 {
		return nil, err
	}
	return newWordsQuery(words, n.title, n.slop), nil
}
