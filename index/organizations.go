package index

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/rapports/rapports/analyzers"
	"github.com/rapports/rapports/corpus"
	"github.com/rapports/rapports/internal/fold"
)

// maxOrgRun is the most query words read as one organisation's name
// ("Organisation des Nations unies pour l'éducation, la science et la
// culture" is 11).
const maxOrgRun = 12

// orgRuns returns kids with each longest run of plain words that names an
// organisation as a whole ("Nations unies", "Banque mondiale") replaced by
// one phrase node, which text then expands to the organisation's other
// names. Words with a sign, title: or exact: are not joined.
func orgRuns(kids []*node) []*node {
	plain := func(k *node) bool { return k.kind == nodeWord && k.sign == signNone && !k.exact && !k.title }
	var out []*node
	for i := 0; i < len(kids); i++ {
		if !plain(kids[i]) {
			out = append(out, kids[i])
			continue
		}
		j := i
		for j < len(kids) && j-i < maxOrgRun && plain(kids[j]) {
			j++
		}
		joined := false
		for end := j; end > i+1; end-- {
			words := make([]string, 0, end-i)
			for _, k := range kids[i:end] {
				words = append(words, k.text)
			}
			text := strings.Join(words, " ")
			if _, ok := corpus.OrganizationNamed(text); ok {
				out = append(out, &node{kind: nodePhrase, text: text, pos: kids[i].pos})
				i, joined = end-1, true
				break
			}
		}
		if !joined {
			out = append(out, kids[i])
		}
	}
	return out
}

// organization returns, for a word or phrase that names an organisation
// ("ONU", "Nations unies", "WHO"), a query for any of its names and
// acronyms (corpus.OrganizationForms); ok is false for other nodes and for
// exact: ones. Acronyms are searched as exact forms, so that "OMS" does not
// find "OM" by its stem; names as phrases of stems.
func (b *builder) organization(n *node) (q query.Query, ok bool, err error) {
	if n.exact || n.kind != nodeWord && n.kind != nodePhrase {
		return nil, false, nil
	}
	code, found := corpus.OrganizationNamed(n.text)
	if !found {
		return nil, false, nil
	}
	// The user's own form last: "oms" is searched as the acronym OMS.
	forms := append(corpus.OrganizationForms(code), n.text)
	seen := map[string]bool{}
	var clauses []func(field string) query.Query
	for _, f := range forms {
		key := fold.String(f)
		if seen[key] {
			continue
		}
		seen[key] = true
		mk, err := formQuery(f)
		if err != nil {
			return nil, false, err
		}
		if mk != nil {
			clauses = append(clauses, mk)
		}
	}
	if len(clauses) == 0 {
		return nil, false, nil
	}
	return b.perField(n, func(field string) query.Query {
		qs := make([]query.Query, len(clauses))
		for i, mk := range clauses {
			qs[i] = mk(field)
		}
		if len(qs) == 1 {
			return qs[0]
		}
		return bleve.NewDisjunctionQuery(qs...)
	}), true, nil
}

// formQuery returns the maker of a query for one name of an organisation
// on a field: an exact form for an acronym (a word in capitals, or with
// dots), the stems of a word, a phrase of stems for several words; nil for
// a form that analyzes to nothing.
func formQuery(form string) (func(field string) query.Query, error) {
	analyzer := analyzers.FrenchName
	if isAcronym(form) {
		analyzer = analyzers.ExactQueryName
	}
	toks, err := analyzers.Analyze(analyzer, form)
	if err != nil {
		return nil, fmt.Errorf("index: analyze %q: %w", form, err)
	}
	if len(toks) == 0 {
		return nil, nil
	}
	onePosition := true
	for _, t := range toks {
		onePosition = onePosition && t.Position == toks[0].Position
	}
	return func(field string) query.Query {
		if onePosition {
			qs := make([]query.Query, len(toks))
			for i, t := range toks {
				tq := bleve.NewTermQuery(t.Term)
				tq.SetField(field)
				qs[i] = tq
			}
			if len(qs) == 1 {
				return qs[0]
			}
			return bleve.NewDisjunctionQuery(qs...)
		}
		pq := bleve.NewMatchPhraseQuery(form)
		pq.SetField(field)
		pq.Analyzer = analyzer
		return pq
	}, nil
}

// isAcronym reports whether form is one word written in capitals ("OMS",
// "G20") or with dots ("O.N.U.").
func isAcronym(form string) bool {
	letters := 0
	for _, r := range form {
		switch {
		case unicode.IsLower(r), unicode.IsSpace(r):
			return false
		case unicode.IsLetter(r):
			letters++
		}
	}
	return letters >= 2
}
