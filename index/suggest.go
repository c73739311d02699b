package index

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/rapports/rapports/analyzers"
	"github.com/rapports/rapports/internal/fold"
)

// SuggestBelow is the most results a query may have for Search to look
// for a "did you mean" suggestion (Result.Suggestion).
const SuggestBelow = 3

// Limits of the suggestion's search for close words.
const (
	// suggestMinLen is the fewest letters of a word that is corrected.
	suggestMinLen = 4
	// suggestTwoEdits is the fewest letters of a word corrected with two
	// edits; shorter ones get one.
	suggestTwoEdits = 6
	// suggestGain is how many times more reports than the typed word a
	// close word must have to replace it.
	suggestGain = 10
	// suggestMaxWords is the most words of a query that are corrected.
	suggestMaxWords = 8
	// suggestReports is how many reports the suggestion reads to find how
	// its words are written.
	suggestReports = 10
)

// fuzzyReader is the part of Bleve's index reader that lists the terms
// close to a term.
type fuzzyReader interface {
	FieldDictFuzzy(field string, term string, fuzziness int, prefix string) (bleveindex.FieldDict, error)
}

// suggest returns a query like q whose rare words are replaced by the
// closest, then most frequent, exact forms of the index within edit
// distance 2 (1 for short words) that at least suggestGain times more
// reports hold, accents and case ignored ("défence aériene" gives "défense
// aérienne"), written as the index's text writes them; "" when no word
// changes or when the suggestion finds no more reports than total. It
// corrects the words and phrases of a query of clauses (no OR, no groups)
// and keeps the rest as typed; filters apply to the suggestion's count as
// to the query.
func (idx *Index) suggest(ctx context.Context, p *plan, q string, total uint64) (string, error) {
	ast, err := parseQuery(q)
	if err != nil {
		return "", nil
	}
	adv, err := idx.bi.Advanced()
	if err != nil {
		return "", fmt.Errorf("index: suggest: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return "", fmt.Errorf("index: suggest: %w", err)
	}
	defer r.Close()
	// A disk index (scorch) lists close terms with an automaton; an index
	// in memory (upsidedown) has no such list, and its terms are read
	// through.
	fr, _ := r.(fuzzyReader)
	// changes are the corrected words' terms and their replacements.
	type change struct{ from, to string }
	var changes []change
	words := 0
	correct := func(w string) (string, error) {
		if words++; words > suggestMaxWords {
			return "", nil
		}
		n := utf8.RuneCountInString(w)
		if n < suggestMinLen || strings.ContainsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) {
			return "", nil
		}
		toks, err := analyzers.Analyze(analyzers.ExactQueryName, w)
		if err != nil || len(toks) != 1 {
			return "", err
		}
		term := toks[0].Term
		own, err := docCount(ctx, r, term)
		if err != nil {
			return "", err
		}
		fuzz := 1
		if n >= suggestTwoEdits {
			fuzz = 2
		}
		// Candidates from the body's and the title's terms.
		var cands []string
		for _, field := range []string{fieldBody, fieldTitle} {
			var d bleveindex.FieldDict
			if fr != nil {
				d, err = fr.FieldDictFuzzy(field, term, fuzz, analyzers.ExactMarker)
			} else {
				d, err = r.FieldDictPrefix(field, []byte(analyzers.ExactMarker))
			}
			if err != nil {
				return "", fmt.Errorf("index: suggest %q: %w", w, err)
			}
			for {
				e, err := d.Next()
				if err != nil {
					d.Close()
					return "", fmt.Errorf("index: suggest %q: %w", w, err)
				}
				if e == nil {
					break
				}
				if e.Term != term && (fr != nil || withinEdits(term, e.Term, fuzz)) && !slices.Contains(cands, e.Term) {
					cands = append(cands, e.Term)
				}
			}
			if err := d.Close(); err != nil {
				return "", fmt.Errorf("index: suggest %q: %w", w, err)
			}
		}
		// The closest words first (one edit before two), then the most
		// frequent.
		best, bestCount, bestEdits := "", own*suggestGain, fuzz+1
		for _, cand := range cands {
			edits := 2
			if withinEdits(term, cand, 1) {
				edits = 1
			}
			if edits > bestEdits {
				continue
			}
			c, err := docCount(ctx, r, cand)
			if err != nil {
				return "", err
			}
			if c <= own*suggestGain {
				continue
			}
			if edits < bestEdits || c > bestCount || c == bestCount && cand < best {
				best, bestCount, bestEdits = cand, c, edits
			}
		}
		if best != "" && bestCount > 0 {
			changes = append(changes, change{term, best})
		}
		return best, nil
	}
	// Build the suggestion with the replacement terms, folded, then find
	// how the text writes them. fixes[i][j] is the replacement term of
	// word j of clause i ("" to keep it).
	fixes := make([][]string, len(ast.kids))
	for i, k := range ast.kids {
		switch {
		case k.kind == nodeAnd || k.kind == nodeOr:
			return "", nil
		case (k.kind == nodeWord || k.kind == nodePhrase) && k.sign != signExcluded && !k.exact:
			for _, w := range strings.Fields(k.text) {
				to, err := correct(w)
				if err != nil {
					return "", err
				}
				fixes[i] = append(fixes[i], to)
			}
		}
	}
	if len(changes) == 0 {
		return "", nil
	}
	// write returns the query with the replacements, each written by
	// form (the folded term without its marker when form has none).
	write := func(form func(typed, term string) string) string {
		parts := make([]string, len(ast.kids))
		for i, k := range ast.kids {
			if fixes[i] == nil {
				parts[i] = k.String()
				continue
			}
			ws := strings.Fields(k.text)
			for j, to := range fixes[i] {
				if to != "" {
					ws[j] = form(ws[j], to)
				}
			}
			c := *k
			c.text = strings.Join(ws, " ")
			parts[i] = c.String()
		}
		return strings.Join(parts, " ")
	}
	folded := write(func(_, term string) string { return strings.TrimPrefix(term, analyzers.ExactMarker) })
	sast, err := parseQuery(folded)
	if err != nil {
		return "", nil
	}
	b := newBuilder(ctx, idx, sast)
	text, err := b.build(sast)
	if err != nil || text == nil {
		return "", nil
	}
	sp := *p
	sp.text, sp.ranked = text, text
	req := bleve.NewSearchRequestOptions(sp.filtered(nil), suggestReports, 0, false)
	req.IncludeLocations = true
	req.Fields = []string{fieldTitle, fieldBody}
	res, err := idx.search(ctx, req)
	if err != nil {
		return "", fmt.Errorf("index: suggest: %w", err)
	}
	if res.Total <= total || len(res.Hits) == 0 {
		return "", nil
	}
	// The words as the best report writes them: "défense", not "defense".
	// written maps the folded form of each matched word to the word.
	written := map[string]string{}
	off := offsets{m: idx.bi.Mapping()}
	for _, h := range res.Hits {
		off.fill(h, func(field string) []byte {
			if s, ok := h.Fields[field].(string); ok {
				return []byte(s)
			}
			return nil
		})
		for _, field := range []string{fieldBody, fieldTitle} {
			text := str(h.Fields[field])
			for _, locs := range h.Locations[field] {
				for _, l := range locs {
					if l.End <= uint64(len(text)) && l.Start < l.End {
						w := text[l.Start:l.End]
						if _, ok := written[fold.String(w)]; !ok {
							written[fold.String(w)] = w
						}
					}
				}
			}
		}
	}
	return write(func(typed, term string) string {
		w, ok := written[strings.TrimPrefix(term, analyzers.ExactMarker)]
		if !ok {
			return strings.TrimPrefix(term, analyzers.ExactMarker)
		}
		if !startsUpper(typed) {
			w = strings.ToLower(w)
		}
		return w
	}), nil
}

// docCount returns how many documents hold term in the body or, when more,
// in the title (a short report may be all title).
func docCount(ctx context.Context, r bleveindex.IndexReader, term string) (uint64, error) {
	var n uint64
	for _, field := range []string{fieldBody, fieldTitle} {
		tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
		if err != nil {
			return 0, fmt.Errorf("index: suggest: count %q: %w", term, err)
		}
		n = max(n, tfr.Count())
		if err := tfr.Close(); err != nil {
			return 0, fmt.Errorf("index: suggest: count %q: %w", term, err)
		}
	}
	return n, nil
}

// startsUpper reports whether s starts with an upper-case letter.
func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// withinEdits reports whether a and b are at most k edits apart
// (Levenshtein distance on runes).
func withinEdits(a, b string, k int) bool {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > k || -d > k {
		return false
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			low = min(low, cur[j])
		}
		if low > k {
			return false
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)] <= k
}
