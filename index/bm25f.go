package index

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// Ranking of words (issue #13). Bleve scores a word in the title and the
// same word in the body as two BM25 clauses that it adds up, each with its
// own saturation, and a disjunction of the two multiplies the sum by the
// share of clauses that matched: one query word in a short title then
// outweighed the whole query in a body. The words of a query are scored
// here instead as BM25F does (Robertson, Zaragoza and Taylor 2004):
//
//   - the occurrences of a word in each field, weighted by field and
//     normalised by the field's length against its average, are added into
//     one pseudo-frequency tf;
//   - the word scores idf × tf × (k1+1) / (k1 + tf): one saturation per word,
//     so that a title hit counts more than a body hit but never more than
//     k1+1 times an average body hit;
//   - the words' scores add up, so that covering the query matters more than
//     one strong field;
//   - a proximity bonus rewards query words near each other in one field:
//     for each pair of words, each occurrence of one adds
//     1/(1 + (d-1)/ProxScale), d the distance to the closest occurrence of
//     the other (1 for words side by side in the query's order), and the
//     sum saturates like a frequency; computing it reads the positions of
//     the matching reports only, once each;
//   - in a query of several words (whose positions the proximity bonus
//     reads anyway), an occurrence among the body's first LeadLen
//     positions adds Lead: a news report says its subject in its first
//     sentences (reading positions for one word costs 5% of the query
//     mix's time for 0.001 of nDCG@10);
//   - the title's frequency saturates by itself (TitleK1) before it is
//     weighted, so a word repeated in a title counts little more than once;
//   - a title holding every word of a query of several adds Coverage × the
//     words' idf;
//   - two words typed one after the other (no operator, phrase or title:
//     between) that stand in a field at the distance typed, a stop word
//     typed between them counting as it does in a phrase ("chômage des
//     jeunes": "jeunes" two positions after "chômage"), add AsTyped ×
//     min(idf) × c(k1+1)/(k1+c), c the number of such occurrences: the
//     words of a query are often a noun phrase, which the closeness above
//     rewards no more than two words side by side in another order of
//     sentence.
//
// The weights were tuned on the judged needs of testdata/relevance (see
// relevance_test.go): TitleWeight to ProxScale on all the needs (session
// 1), then TitleK1, Coverage and Lead from those, their gain checked
// on each half of the needs tuned on the other; AsTyped alone from those
// (session 3): tuned on either half it is 1, and gains on the other.

// scoreParams are the weights of the ranking.
type scoreParams struct {
	TitleWeight float64 // weight of a title occurrence, a body one weighing 1
	K1          float64 // saturation of the pseudo-frequency
	BTitle      float64 // length normalisation of the title (0 none, 1 full)
	BBody       float64 // length normalisation of the body
	Prox        float64 // weight of the proximity bonus (0 turns it off)
	ProxScale   float64 // extra distance at which a pair's bonus halves
	TitleK1     float64 // saturation of the title frequency before it is weighted (0 none)
	Coverage    float64 // bonus for a title holding every word, × the words' idf (0 none)
	CovPow      float64 // the bonus is Coverage × Σidf × (share of words in the title)^CovPow
	Lead        float64 // extra weight of a body occurrence among its first LeadLen positions
	LeadLen     float64
	AsTyped     float64 // weight of the bonus of two words typed in a row standing as typed
}

// scoring is the ranking in use. Tests change it to tune it.
var scoring = scoreParams{
	TitleWeight: 6,
	K1:          1.6,
	BTitle:      0.5,
	BBody:       0.5,
	Prox:        0.5,
	ProxScale:   8,
	TitleK1:     2,
	Coverage:    1,
	Lead:        1,
	LeadLen:     60,
	AsTyped:     1,
}

// MaxSlop is the largest N of a proximity search "a b"~N.
const MaxSlop = 100

// rankFields are the fields a word is searched in, in the order of
// scoreParams' weights.
var rankFields = [...]string{fieldTitle, fieldBody}

// wordsQuery matches the reports holding every one of its words (any of
// each word's terms) in the title or the body and scores them as said
// above. With slop ≥ 0 it matches only the reports where all the words
// stand within slop positions of each other (stop words count) in one
// field, in any order.
type wordsQuery struct {
	words    [][]string // the index terms of each word (stems of one position)
	optional int        // the last optional words score when present but need not match
	fields   []string   // rankFields, or the title only
	slop     int        // -1: no proximity constraint
	// phrases are the runs of words that must stand in a row, in one
	// field: a phrase or a word of several positions among the words.
	phrases []phrase
	// typed are the runs of plain words of the query, at the distances
	// they were typed (scored by AsTyped, never required).
	typed  []phrase
	params scoreParams
}

// phrase is a run of the words of a wordsQuery that must stand at given
// positions after the first one's, in one field, as in Bleve's phrase
// query: words[first+i] at offsets[i] (offsets[0] is 0; a stop word leaves
// a gap).
type phrase struct {
	first   int
	offsets []uint64
}

// newWordsQuery returns the query for words (each a list of terms),
// searched in the title and the body or, when titleOnly, the title.
func newWordsQuery(words [][]string, titleOnly bool, slop int) *wordsQuery {
	fields := rankFields[:]
	if titleOnly {
		fields = rankFields[:1]
	}
	return &wordsQuery{words: words, fields: fields, slop: slop, params: scoring}
}

// Searcher implements Bleve's query.Query.
func (q *wordsQuery) Searcher(ctx context.Context, r bleveindex.IndexReader, _ mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	n, avg, err := fieldStats(ctx, r)
	if err != nil {
		return nil, err
	}
	lead := len(q.words) > 1 && q.params.Lead > 0
	positions := q.slop >= 0 || (len(q.words) > 1 && q.params.Prox > 0) || lead || len(q.phrases) > 0
	s := &wordsSearcher{
		q:         q,
		opts:      opts,
		lead:      lead,
		positions: positions,
		vectors:   positions || opts.IncludeTermVectors,
		words:     make([]wordPostings, len(q.words)),
		idf:       make([]float64, len(q.words)),
		avg:       avg,
	}
	for i, terms := range q.words {
		var df uint64
		for _, t := range terms {
			for fi, field := range rankFields {
				if !slices.Contains(q.fields, field) {
					continue
				}
				if err := search.RecordTermSearcher(ctx); err != nil {
					s.Close()
					return nil, err
				}
				tfr, err := r.TermFieldReader(ctx, []byte(t), field, true, true, s.vectors)
				if err != nil {
					s.Close()
					return nil, fmt.Errorf("index: read postings of %q in %s: %w", t, field, err)
				}
				df = max(df, tfr.Count())
				tfr = unwrap(tfr)
				p := &posting{tfr: tfr, term: t, field: fi}
				p.cp, _ = tfr.(*cachedPostings)
				if l, ok := tfr.(lazyVectors); ok && s.vectors && l.deferVectors() {
					// Without term vectors in the hits, match reads
					// the positions only.
					p.lazy, p.posOnly = l, !opts.IncludeTermVectors
				}
				s.words[i].postings = append(s.words[i].postings, p)
			}
		}
		s.idf[i] = math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
	}
	return s, nil
}

// fieldStats returns the document count and the average length of each
// rank field: from the statistics the search passed (bm25Stats), else from
// the reader.
func fieldStats(ctx context.Context, r bleveindex.IndexReader) (uint64, [len(rankFields)]float64, error) {
	var avg [len(rankFields)]float64
	if st, ok := ctx.Value(search.BM25StatsKey).(*search.BM25Stats); ok && st.DocCount > 0 {
		for i, f := range rankFields {
			avg[i] = max(1, float64(st.FieldCardinality[f])/st.DocCount)
		}
		return uint64(st.DocCount), avg, nil
	}
	n, err := r.DocCount()
	if err != nil {
		return 0, avg, fmt.Errorf("index: count documents: %w", err)
	}
	for i, f := range rankFields {
		avg[i] = 1
		if br, ok := r.(bleveindex.BM25Reader); ok && n > 0 {
			c, err := br.FieldCardinality(f)
			if err != nil {
				return 0, avg, fmt.Errorf("index: field length of %s: %w", f, err)
			}
			avg[i] = max(1, float64(c)/float64(n))
		}
	}
	return n, avg, nil
}

// posting is one term's postings in one field.
type posting struct {
	tfr   bleveindex.TermFieldReader
	term  string
	field int // index in rankFields
	cur   *bleveindex.TermFieldDoc
	buf   bleveindex.TermFieldDoc
	done  bool
	// lazy, when the reader can, reads cur's vectors when match asks
	// for them (vectors), or their positions only (positions) when
	// posOnly; filled says they were read.
	lazy    lazyVectors
	posOnly bool
	filled  bool
	// cp is tfr when it is a *cachedPostings, called directly; key is
	// then the current document's number (math.MaxUint64 once done),
	// compared instead of its ID.
	cp  *cachedPostings
	key uint64
}

func (p *posting) next() error {
	if p.done {
		return nil
	}
	var d *bleveindex.TermFieldDoc
	var err error
	if p.cp != nil {
		d, err = p.cp.Next(p.buf.Reset())
	} else {
		d, err = p.tfr.Next(p.buf.Reset())
	}
	if err != nil {
		return fmt.Errorf("index: read postings of %q: %w", p.term, err)
	}
	p.setCur(d)
	return nil
}

// setCur makes d the current posting (nil at the end).
func (p *posting) setCur(d *bleveindex.TermFieldDoc) {
	p.cur, p.done, p.filled = d, d == nil, false
	p.key = math.MaxUint64
	if d != nil && len(d.ID) == 8 {
		p.key = binary.BigEndian.Uint64(d.ID)
	}
}

// positions appends the positions of the current posting's term vectors
// to dst.
func (p *posting) positions(dst []uint64) []uint64 {
	if p.posOnly {
		if p.filled {
			return dst
		}
		p.filled = true
		return p.lazy.appendPositions(dst)
	}
	for _, v := range p.vectors() {
		dst = append(dst, v.Pos)
	}
	return dst
}

// vectors returns the term vectors of the current posting.
func (p *posting) vectors() []*bleveindex.TermFieldVector {
	if p.lazy != nil && !p.filled {
		p.lazy.fillVectors(p.cur)
		p.filled = true
	}
	return p.cur.Vectors
}

// advance moves p to the first posting at or after id (of number key,
// with cp).
func (p *posting) advance(id bleveindex.IndexInternalID, key uint64) error {
	var d *bleveindex.TermFieldDoc
	var err error
	if p.cp != nil {
		if p.key >= key {
			return nil
		}
		d, err = p.cp.Advance(id, p.buf.Reset())
	} else {
		if p.done || (p.cur != nil && cmpID(p.cur.ID, id) >= 0) {
			return nil
		}
		d, err = p.tfr.Advance(id, p.buf.Reset())
	}
	if err != nil {
		return fmt.Errorf("index: read postings of %q: %w", p.term, err)
	}
	p.setCur(d)
	return nil
}

// on reports whether p stands on id, of number key.
func (p *posting) on(id bleveindex.IndexInternalID, key uint64) bool {
	if p.cp != nil {
		return p.key == key
	}
	return !p.done && p.cur != nil && eqID(p.cur.ID, id)
}

// idKey returns the number of a Scorch internal ID, as a posting's key.
func idKey(id bleveindex.IndexInternalID) uint64 {
	if len(id) == 8 {
		return binary.BigEndian.Uint64(id)
	}
	return math.MaxUint64
}

// cmpID compares two documents' internal IDs as bytes.Compare does, fast
// for Scorch's (8 bytes, big-endian document numbers).
func cmpID(a, b bleveindex.IndexInternalID) int {
	if len(a) == 8 && len(b) == 8 {
		return cmp.Compare(binary.BigEndian.Uint64(a), binary.BigEndian.Uint64(b))
	}
	return bytes.Compare(a, b)
}

// eqID reports whether two internal IDs are equal, as bytes.Equal.
func eqID(a, b bleveindex.IndexInternalID) bool {
	if len(a) == 8 && len(b) == 8 {
		return binary.BigEndian.Uint64(a) == binary.BigEndian.Uint64(b)
	}
	return bytes.Equal(a, b)
}

// wordPostings are the postings of one query word: any of them matches.
type wordPostings struct {
	postings []*posting
}

// min returns the smallest current document of the word, nil at the end.
func (w *wordPostings) min() bleveindex.IndexInternalID {
	var m bleveindex.IndexInternalID
	var mk uint64 = math.MaxUint64
	for _, p := range w.postings {
		if p.cp != nil {
			if p.key < mk {
				m, mk = p.cur.ID, p.key
			}
			continue
		}
		if !p.done && p.cur != nil && (m == nil || cmpID(p.cur.ID, m) < 0) {
			m, mk = p.cur.ID, idKey(p.cur.ID)
		}
	}
	return m
}

// wordsSearcher is the searcher of a wordsQuery: a conjunction of the
// words, each a disjunction of its terms in the fields.
type wordsSearcher struct {
	q         *wordsQuery
	opts      search.SearcherOptions
	lead      bool // score the lead bonus
	positions bool // read positions for the proximity bonus or constraint
	vectors   bool // read term vectors
	words     []wordPostings
	idf       []float64
	avg       [len(rankFields)]float64
	started   bool
	target    bleveindex.IndexInternalID // scratch copy of the candidate
	tkey      uint64                     // its number (idKey)
	last      bleveindex.IndexInternalID // the last document returned
	pos       [][len(rankFields)][]uint64
}

var reflectStaticSizeWordsSearcher = int(reflect.TypeOf(wordsSearcher{}).Size())

func (s *wordsSearcher) start() error {
	s.started = true
	for i := range s.words {
		for _, p := range s.words[i].postings {
			if err := p.next(); err != nil {
				return err
			}
		}
	}
	return nil
}

// Next implements search.Searcher.
func (s *wordsSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if !s.started {
		if err := s.start(); err != nil {
			return nil, err
		}
	} else if err := s.skip(s.last); err != nil {
		return nil, err
	}
	return s.find(ctx)
}

// Advance implements search.Searcher.
func (s *wordsSearcher) Advance(ctx *search.SearchContext, id bleveindex.IndexInternalID) (*search.DocumentMatch, error) {
	if !s.started {
		if err := s.start(); err != nil {
			return nil, err
		}
	}
	key := idKey(id)
	for i := range s.words {
		for _, p := range s.words[i].postings {
			if err := p.advance(id, key); err != nil {
				return nil, err
			}
		}
	}
	return s.find(ctx)
}

// skip moves the postings standing on id to their next document.
func (s *wordsSearcher) skip(id bleveindex.IndexInternalID) error {
	if id == nil {
		return nil
	}
	key := idKey(id)
	for i := range s.words {
		for _, p := range s.words[i].postings {
			if p.on(id, key) {
				if err := p.next(); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// find returns the first document at or after the postings' positions that
// holds every word (and meets the proximity constraint), nil at the end.
func (s *wordsSearcher) find(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	required := len(s.words) - s.q.optional
	if required <= 0 {
		return nil, nil
	}
	for {
		var target bleveindex.IndexInternalID
		for i := range s.words[:required] {
			m := s.words[i].min()
			if m == nil {
				return nil, nil
			}
			if target == nil || cmpID(m, target) > 0 {
				target = m
			}
		}
		s.target = append(s.target[:0], target...)
		s.tkey = idKey(s.target)
		// With one word, its postings stand at or after the target, its
		// smallest: aligned.
		if len(s.words) > 1 {
			aligned, end, err := s.align(required)
			if err != nil || end {
				return nil, err
			}
			if !aligned {
				continue
			}
		}
		if dm := s.match(ctx); dm != nil {
			s.last = append(s.last[:0], s.target...)
			return dm, nil
		}
		if err := s.skip(s.target); err != nil {
			return nil, err
		}
	}
}

// align advances every posting to s.target and reports whether each of
// the first required words has one there, or end when one of them has
// none left.
func (s *wordsSearcher) align(required int) (aligned, end bool, err error) {
	aligned = true
	for i := range s.words {
		for _, p := range s.words[i].postings {
			if err := p.advance(s.target, s.tkey); err != nil {
				return false, false, err
			}
		}
		if i >= required {
			continue
		}
		m := s.words[i].min()
		if m == nil {
			return false, true, nil
		}
		aligned = aligned && eqID(m, s.target)
	}
	return aligned, false, nil
}

// match scores the document s.target, on which every word has a posting,
// or returns nil when it fails the proximity constraint.
func (s *wordsSearcher) match(ctx *search.SearchContext) *search.DocumentMatch {
	prm := s.q.params
	weights := [len(rankFields)]float64{prm.TitleWeight, 1}
	bs := [len(rankFields)]float64{prm.BTitle, prm.BBody}
	if s.positions {
		if cap(s.pos) < len(s.words) {
			s.pos = make([][len(rankFields)][]uint64, len(s.words))
		}
		s.pos = s.pos[:len(s.words)]
	}
	var score, covered, idfs float64
	for i := range s.words {
		var tfs [len(rankFields)]float64
		if s.positions {
			for f := range rankFields {
				s.pos[i][f] = s.pos[i][f][:0]
			}
		}
		for _, p := range s.words[i].postings {
			if !p.on(s.target, s.tkey) {
				continue
			}
			length := 1.0
			if p.cur.Norm > 0 {
				length = 1 / (p.cur.Norm * p.cur.Norm)
			}
			f := p.field
			freq := float64(p.cur.Freq)
			if s.positions {
				from := len(s.pos[i][f])
				s.pos[i][f] = p.positions(s.pos[i][f])
				if f == 1 && s.lead {
					for _, pos := range s.pos[i][f][from:] {
						if float64(pos) <= prm.LeadLen {
							freq += prm.Lead
						}
					}
				}
			}
			tfs[f] += freq / (1 - bs[f] + bs[f]*length/s.avg[f])
		}
		if tfs[0] > 0 {
			covered++
			if prm.TitleK1 > 0 {
				tfs[0] = tfs[0] * (prm.TitleK1 + 1) / (prm.TitleK1 + tfs[0])
			}
		}
		tf := weights[0]*tfs[0] + weights[1]*tfs[1]
		score += s.idf[i] * tf * (prm.K1 + 1) / (prm.K1 + tf)
		idfs += s.idf[i]
	}
	if n := float64(len(s.words)); prm.Coverage > 0 && n > 1 && covered > 0 {
		share := covered / n
		if prm.CovPow == 0 {
			share = math.Floor(share)
		} else {
			share = math.Pow(share, prm.CovPow)
		}
		score += prm.Coverage * idfs * share
	}
	if s.positions {
		for i := range s.pos {
			for f := range rankFields {
				slices.Sort(s.pos[i][f])
			}
		}
		if s.q.slop >= 0 && !s.near() {
			return nil
		}
		if !s.phrased() {
			return nil
		}
		if prm.Prox > 0 {
			score += prm.Prox * s.proximity(prm.ProxScale, prm.K1)
		}
		if prm.AsTyped > 0 {
			score += prm.AsTyped * s.asTyped(prm.K1)
		}
	}
	dm := ctx.DocumentMatchPool.Get()
	dm.IndexInternalID = bleveindex.NewIndexInternalIDFrom(dm.IndexInternalID, s.target)
	if s.opts.Score != "none" {
		dm.Score = score
	}
	if s.opts.IncludeTermVectors {
		// The occurrences of "a b"~N outside every window of the words
		// are not matches: they are left out of the locations, so
		// highlighting and pages mark only the words near each other.
		var inWindow [len(rankFields)][]uint64
		if s.q.slop >= 0 {
			for f := range rankFields {
				lists := make([][]uint64, len(s.words))
				for i := range s.words {
					lists[i] = s.pos[i][f]
				}
				inWindow[f] = windowed(lists, uint64(s.q.slop)+uint64(len(lists)-1))
			}
		}
		for i := range s.words {
			for _, p := range s.words[i].postings {
				if !p.on(s.target, s.tkey) {
					continue
				}
				for _, v := range p.vectors() {
					if s.q.slop >= 0 {
						if _, ok := slices.BinarySearch(inWindow[p.field], v.Pos); !ok {
							continue
						}
					}
					var ap search.ArrayPositions
					if len(v.ArrayPositions) > 0 {
						ap = append(ap, v.ArrayPositions...)
					}
					dm.FieldTermLocations = append(dm.FieldTermLocations, search.FieldTermLocation{
						Field:    v.Field,
						Term:     p.term,
						Location: search.Location{Pos: v.Pos, Start: v.Start, End: v.End, ArrayPositions: ap},
					})
				}
			}
		}
	}
	return dm
}

// proximity returns the proximity bonus of the current document (its
// positions in s.pos). For each pair of words, every occurrence of the
// first adds 1/(1+(d-1)/scale), d its distance to the closest occurrence of
// the second in the same field; the sum a saturates as the words'
// frequencies do, to min(idf) × a(k1+1)/(k1+a).
func (s *wordsSearcher) proximity(scale, k1 float64) float64 {
	var bonus float64
	for i := range s.words {
		for j := i + 1; j < len(s.words); j++ {
			var acc float64
			for f := range rankFields {
				acc += closeness(s.pos[i][f], s.pos[j][f], scale)
			}
			if acc > 0 {
				bonus += min(s.idf[i], s.idf[j]) * acc * (k1 + 1) / (k1 + acc)
			}
		}
	}
	return bonus
}

// closeness sums, over the positions of a, 1/(1+(d-1)/scale) for d the
// distance to the closest position of b (both sorted): b-a when b follows
// a, a-b+1 when it precedes it, so that the query's order wins ties. It
// reads each list once.
func closeness(a, b []uint64, scale float64) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	var sum float64
	j := 0
	for _, p := range a {
		for j < len(b) && b[j] <= p {
			j++
		}
		// b[j-1] ≤ p < b[j]
		d := uint64(math.MaxUint64)
		if j < len(b) {
			d = b[j] - p
		}
		if j > 0 && b[j-1] < p {
			d = min(d, p-b[j-1]+1)
		}
		if d == math.MaxUint64 {
			continue // p is also a position of b: two stems of one word
		}
		sum += 1 / (1 + float64(d-1)/scale)
	}
	return sum
}

// near reports whether, in one field, an occurrence of each word lies in a
// window with at most s.q.slop other positions.
func (s *wordsSearcher) near() bool {
	for f := range rankFields {
		lists := make([][]uint64, len(s.words))
		for i := range s.words {
			lists[i] = s.pos[i][f]
		}
		if w, ok := minWindow(lists); ok && w-uint64(len(lists)-1) <= uint64(s.q.slop) {
			return true
		}
	}
	return false
}

// asTyped returns the bonus of the words typed in a row: for each two
// consecutive words of a run of s.q.typed, the number c of positions of
// the first whose next word stands at the distance typed (one more for
// each stop word typed between them), in either field, saturates to
// min(idf) × c(k1+1)/(k1+c).
func (s *wordsSearcher) asTyped(k1 float64) float64 {
	var bonus float64
	for _, ph := range s.q.typed {
		for i := 0; i+1 < len(ph.offsets); i++ {
			a, b := ph.first+i, ph.first+i+1
			gap := ph.offsets[i+1] - ph.offsets[i]
			var c float64
			for f := range rankFields {
				for _, p := range s.pos[a][f] {
					if _, ok := slices.BinarySearch(s.pos[b][f], p+gap); ok {
						c++
					}
				}
			}
			if c > 0 {
				bonus += min(s.idf[a], s.idf[b]) * c * (k1 + 1) / (k1 + c)
			}
		}
	}
	return bonus
}

// phrased reports whether each of the query's phrases stands in a row in
// one of its fields (the positions of the current document in s.pos).
func (s *wordsSearcher) phrased() bool {
	for _, ph := range s.q.phrases {
		found := false
		for f := range rankFields {
			if found = s.inRow(ph, f); found {
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// inRow reports whether phrase ph stands in a row in field f: a position p
// of its first word with each next word i at p+offsets[i].
func (s *wordsSearcher) inRow(ph phrase, f int) bool {
next:
	for _, p := range s.pos[ph.first][f] {
		for i := 1; i < len(ph.offsets); i++ {
			if _, ok := slices.BinarySearch(s.pos[ph.first+i][f], p+ph.offsets[i]); !ok {
				continue next
			}
		}
		return true
	}
	return false
}

// windowed returns, sorted, the positions of the sorted lists that lie in a
// window of at most span+1 positions holding a position of every list:
// the occurrences of "a b"~N that count. It reads the positions once.
func windowed(lists [][]uint64, span uint64) []uint64 {
	type occ struct {
		pos  uint64
		list int
	}
	var all []occ
	for i, l := range lists {
		if len(l) == 0 {
			return nil
		}
		for _, p := range l {
			all = append(all, occ{p, i})
		}
	}
	slices.SortFunc(all, func(a, b occ) int { return cmp.Compare(a.pos, b.pos) })
	count := make([]int, len(lists)) // occurrences of each list in all[lo:hi]
	covered := 0
	diff := make([]int, len(all)+1) // +1 at a window's start, -1 past its end
	hi := 0
	for lo := range all {
		for hi < len(all) && all[hi].pos-all[lo].pos <= span {
			if count[all[hi].list] == 0 {
				covered++
			}
			count[all[hi].list]++
			hi++
		}
		if covered == len(lists) {
			diff[lo]++
			diff[hi]--
		}
		count[all[lo].list]--
		if count[all[lo].list] == 0 {
			covered--
		}
	}
	var out []uint64
	depth := 0
	for i, o := range all {
		depth += diff[i]
		if depth > 0 && (len(out) == 0 || out[len(out)-1] != o.pos) {
			out = append(out, o.pos)
		}
	}
	return out
}

// minWindow returns the smallest max-min over choices of one position from
// each sorted list, and false when a list is empty.
func minWindow(lists [][]uint64) (uint64, bool) {
	idx := make([]int, len(lists))
	for _, l := range lists {
		if len(l) == 0 {
			return 0, false
		}
	}
	best := uint64(math.MaxUint64)
	for {
		lo, hi := -1, uint64(0)
		for i, l := range lists {
			v := l[idx[i]]
			if lo < 0 || v < lists[lo][idx[lo]] {
				lo = i
			}
			hi = max(hi, v)
		}
		best = min(best, hi-lists[lo][idx[lo]])
		idx[lo]++
		if idx[lo] == len(lists[lo]) {
			return best, true
		}
	}
}

// Close implements search.Searcher.
func (s *wordsSearcher) Close() error {
	var first error
	for i := range s.words {
		for _, p := range s.words[i].postings {
			if err := p.tfr.Close(); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}

// Weight implements search.Searcher. The scores are absolute: the query
// norm does not apply to them.
func (s *wordsSearcher) Weight() float64 { return 1 }

// SetQueryNorm implements search.Searcher.
func (s *wordsSearcher) SetQueryNorm(float64) {}

// Count implements search.Searcher: at most the postings of the rarest word.
func (s *wordsSearcher) Count() uint64 {
	var c uint64
	for i, w := range s.words[:len(s.words)-s.q.optional] {
		var n uint64
		for _, p := range w.postings {
			n += p.tfr.Count()
		}
		if i == 0 || n < c {
			c = n
		}
	}
	return c
}

// Min implements search.Searcher.
func (s *wordsSearcher) Min() int { return 0 }

// Size implements search.Searcher.
func (s *wordsSearcher) Size() int {
	n := reflectStaticSizeWordsSearcher
	for _, w := range s.words {
		for _, p := range w.postings {
			n += p.tfr.Size() + len(p.term)
		}
	}
	return n
}

// DocumentMatchPoolSize implements search.Searcher.
func (s *wordsSearcher) DocumentMatchPoolSize() int { return 1 }
