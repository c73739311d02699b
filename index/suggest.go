package index

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	"github.com/blevesearch/vellum/levenshtein"

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
		if snap, ok := r.(*scorch.IndexSnapshot); ok {
			cands, err = fuzzyTerms(snap, term, fuzz)
			if err != nil {
				return "", fmt.Errorf("index: suggest %q: %w", w, err)
			}
		}
		for _, field := range []string{fieldBody, fieldTitle} {
			if cands != nil {
				break
			}
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

// levBuilders are the builders of Levenshtein automata of 1 and 2 edits,
// made on first use, with the options of Scorch's FieldDictFuzzy.
var levBuilders = sync.OnceValues(func() ([2]*levenshtein.LevenshteinAutomatonBuilder, error) {
	var b [2]*levenshtein.LevenshteinAutomatonBuilder
	for i := range b {
		var err error
		if b[i], err = levenshtein.NewLevenshteinAutomatonBuilder(uint8(i+1), true); err != nil {
			return b, fmt.Errorf("index: Levenshtein automaton of %d edits: %w", i+1, err)
		}
	}
	return b, nil
})

// fuzzyTerms returns the exact forms within fuzz edits of term, other
// than term, in the body's then the title's terms of snap: the terms
// Scorch's FieldDictFuzzy(field, term, fuzz, analyzers.ExactMarker) lists,
// in its order (each field's sorted, the title's not in the body's after
// them), never nil. It builds the automaton once for both fields, and
// reads the segments' dictionaries in two halves at once while a core is
// idle (FieldDictFuzzy goes through them one term at a time, a merge of
// all segments' iterators); on the 233,987-report corpus the suggestion of
// a query of two long words that matches nothing was 20 ms.
func fuzzyTerms(snap *scorch.IndexSnapshot, term string, fuzz int) ([]string, error) {
	builders, err := levBuilders()
	if err != nil {
		return nil, err
	}
	if fuzz < 1 || fuzz > len(builders) {
		return nil, fmt.Errorf("fuzziness %d out of range", fuzz)
	}
	a, err := builders[fuzz-1].BuildDfa(term, uint8(fuzz))
	if err != nil {
		return nil, fmt.Errorf("Levenshtein automaton of %q: %w", term, err)
	}
	beg := []byte(analyzers.ExactMarker)
	end := exclusiveEnd(beg)
	segs := snap.Segments()
	fields := []string{fieldBody, fieldTitle}
	// found[f][i] are the terms of field f in segment i.
	found := make([][][]string, len(fields))
	for f := range found {
		found[f] = make([][]string, len(segs))
	}
	read := func(i int) error {
		for f, field := range fields {
			dict, err := segs[i].Segment().Dictionary(field)
			if err != nil {
				return fmt.Errorf("terms of %s: %w", field, err)
			}
			var it segment.DictionaryIterator
			if oc, ok := dict.(interface {
				AutomatonIteratorOmitCount(a segment.Automaton, start, end []byte) segment.DictionaryIterator
			}); ok {
				it = oc.AutomatonIteratorOmitCount(a, beg, end)
			} else {
				it = dict.AutomatonIterator(a, beg, end)
			}
			for {
				e, err := it.Next()
				if err != nil {
					return fmt.Errorf("terms of %s: %w", field, err)
				}
				if e == nil {
					break
				}
				found[f][i] = append(found[f][i], e.Term)
			}
		}
		return nil
	}
	n := searching.Add(1)
	defer searching.Add(-1)
	var errs [2]error
	if 2*int(n) <= runtime.GOMAXPROCS(0) && len(segs) > 1 {
		// Alternate segments between the two halves: merges make
		// segments of similar sizes in runs.
		var wg sync.WaitGroup
		wg.Go(func() {
			for i := 1; i < len(segs) && errs[1] == nil; i += 2 {
				errs[1] = read(i)
			}
		})
		for i := 0; i < len(segs) && errs[0] == nil; i += 2 {
			errs[0] = read(i)
		}
		wg.Wait()
	} else {
		for i := range segs {
			if errs[0] = read(i); errs[0] != nil {
				break
			}
		}
	}
	if err := errors.Join(errs[:]...); err != nil {
		return nil, err
	}
	cands := []string{}
	for f := range fields {
		var terms []string
		for _, ts := range found[f] {
			terms = append(terms, ts...)
		}
		slices.Sort(terms)
		terms = slices.Compact(terms)
		for _, t := range terms {
			if t != term && (f == 0 || !slices.Contains(cands, t)) {
				cands = append(cands, t)
			}
		}
	}
	return cands, nil
}

// exclusiveEnd returns the end (excluded) of the range of keys starting
// with prefix, nil for none, as Scorch computes it
// (calculateExclusiveEndFromPrefix).
func exclusiveEnd(prefix []byte) []byte {
	if len(prefix) == 0 {
		return nil
	}
	end := slices.Clone(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		end[i]++
		if end[i] != 0 {
			return end
		}
	}
	return nil
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
