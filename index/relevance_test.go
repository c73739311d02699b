package index

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The judged set of issue #13 (testdata/relevance): 45 information needs
// over the 13,040 TV-news reports of ../shared/data/tvnews-fr/docs, written
// before any results were seen (needs.tsv), the graded judgments of the
// pooled top 10 of rapports and Lucene (qrels.tsv: 0 not relevant,
// 1 partly, 2 relevant), and the top 10 of Lucene 8.8 (lucene-run.tsv) and of
// rapports before the ranking change (rapports-before-run.tsv).
//
// TestRelevance runs the needs on an index of the reports and prints
// nDCG@10, P@10 and MRR beside Lucene's, with a 95% bootstrap interval of
// the nDCG@10 ratio over the needs and a paired sign-flip test. Indexing the reports takes about a
// minute, so it runs only with RAPPORTS_RELEVANCE=1 (and ../shared):
//
//	RAPPORTS_RELEVANCE=1 go test ./index -run TestRelevance -v
//
// RAPPORTS_RELEVANCE_INDEX=DIR searches an index of the reports built
// beforehand (rapports index --index DIR ../shared/data/tvnews-fr/docs)
// instead of building one. TestTuneRanking (RAPPORTS_TUNE=1) searches the
// weights of the ranking on the judgments.

const relevanceDir = "testdata/relevance"

// need is one information need of the judged set.
type need struct {
	id, query, what string
}

// judgments maps a need to its judged reports and their grades.
type judgments map[string]map[string]int

// run maps a need to its ranked report IDs.
type run map[string][]string

// readTSV returns the fields of the lines of a testdata file, without
// comments and blank lines.
func readTSV(tb testing.TB, name string, fields int) [][]string {
	tb.Helper()
	f, err := os.Open(filepath.Join(relevanceDir, name))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		t := sc.Text()
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		r := strings.Split(t, "\t")
		if len(r) != fields {
			tb.Fatalf("%s:%d: %d fields, want %d", name, line, len(r), fields)
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return rows
}

func loadNeeds(tb testing.TB) []need {
	var ns []need
	for _, r := range readTSV(tb, "needs.tsv", 3) {
		ns = append(ns, need{r[0], r[1], r[2]})
	}
	return ns
}

func loadJudgments(tb testing.TB) judgments {
	j := judgments{}
	for _, r := range readTSV(tb, "qrels.tsv", 3) {
		g, err := strconv.Atoi(r[2])
		if err != nil || g < 0 || g > 2 {
			tb.Fatalf("qrels.tsv: grade %q of %s %s is not 0, 1 or 2", r[2], r[0], r[1])
		}
		if j[r[0]] == nil {
			j[r[0]] = map[string]int{}
		}
		if _, dup := j[r[0]][r[1]]; dup {
			tb.Fatalf("qrels.tsv: %s %s judged twice", r[0], r[1])
		}
		j[r[0]][r[1]] = g
	}
	return j
}

func loadRun(tb testing.TB, name string) run {
	r := run{}
	for _, row := range readTSV(tb, name, 3) {
		rank, err := strconv.Atoi(row[1])
		if err != nil || rank != len(r[row[0]])+1 {
			tb.Fatalf("%s: %s rank %q out of order", name, row[0], row[1])
		}
		r[row[0]] = append(r[row[0]], row[2])
	}
	return r
}

// gain is the DCG gain of a grade.
func gain(g int) float64 { return math.Exp2(float64(g)) - 1 }

// ndcg10 returns nDCG@10 of ranked against the judgments of one need
// (unjudged reports count as not relevant); the ideal ranking is that of
// the judged reports.
func ndcg10(ranked []string, grades map[string]int) float64 {
	var dcg, ideal float64
	for i, id := range ranked[:min(10, len(ranked))] {
		dcg += gain(grades[id]) / math.Log2(float64(i+2))
	}
	all := make([]int, 0, len(grades))
	for _, g := range grades {
		all = append(all, g)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(all)))
	for i, g := range all[:min(10, len(all))] {
		ideal += gain(g) / math.Log2(float64(i+2))
	}
	if ideal == 0 {
		return 0
	}
	return dcg / ideal
}

// p10 returns the share of the first 10 places holding a relevant report
// (grade 1 or 2).
func p10(ranked []string, grades map[string]int) float64 {
	n := 0
	for _, id := range ranked[:min(10, len(ranked))] {
		if grades[id] > 0 {
			n++
		}
	}
	return float64(n) / 10
}

// mrr returns 1/rank of the first relevant report (grade 1 or 2), 0 when
// there is none in ranked.
func mrr(ranked []string, grades map[string]int) float64 {
	for i, id := range ranked {
		if grades[id] > 0 {
			return 1 / float64(i+1)
		}
	}
	return 0
}

func TestRelevanceMetrics(t *testing.T) {
	grades := map[string]int{"a": 2, "b": 1, "c": 0, "d": 2}
	ideal := 3 + 3/math.Log2(3) + 1/math.Log2(4)
	tests := []struct {
		ranked      []string
		ndcg, p, rr float64
	}{
		{[]string{"a", "d", "b", "c"}, 1, 0.3, 1},
		{[]string{"c", "b"}, (1 / math.Log2(3)) / ideal, 0.1, 0.5},
		{[]string{"x", "c"}, 0, 0, 0},
		{[]string{"d", "a", "b"}, 1, 0.3, 1},
		{[]string{"b", "a", "d"}, (1 + 3/math.Log2(3) + 3/math.Log2(4)) / ideal, 0.3, 1},
	}
	for _, tt := range tests {
		if got := ndcg10(tt.ranked, grades); math.Abs(got-tt.ndcg) > 1e-9 {
			t.Errorf("ndcg10(%v) = %v, want %v", tt.ranked, got, tt.ndcg)
		}
		if got := p10(tt.ranked, grades); math.Abs(got-tt.p) > 1e-9 {
			t.Errorf("p10(%v) = %v, want %v", tt.ranked, got, tt.p)
		}
		if got := mrr(tt.ranked, grades); math.Abs(got-tt.rr) > 1e-9 {
			t.Errorf("mrr(%v) = %v, want %v", tt.ranked, got, tt.rr)
		}
	}
	if got := ndcg10([]string{"a"}, map[string]int{"a": 0}); got != 0 {
		t.Errorf("ndcg10 without a relevant report = %v, want 0", got)
	}
}

// TestRelevanceData checks the judged set: at least 40 needs, each judged,
// the recorded runs fully judged.
func TestRelevanceData(t *testing.T) {
	needs := loadNeeds(t)
	if len(needs) < 40 {
		t.Errorf("%d needs, want at least 40", len(needs))
	}
	j := loadJudgments(t)
	seen := map[string]bool{}
	for _, n := range needs {
		if seen[n.id] {
			t.Errorf("need %s twice", n.id)
		}
		seen[n.id] = true
		if n.query == "" || len(n.what) < 20 {
			t.Errorf("need %s: query %q, description %q", n.id, n.query, n.what)
		}
		if len(j[n.id]) == 0 {
			t.Errorf("need %s has no judgment", n.id)
		}
	}
	for id := range j {
		if !seen[id] {
			t.Errorf("qrels.tsv judges unknown need %s", id)
		}
	}
	for _, name := range []string{"lucene-run.tsv", "rapports-before-run.tsv"} {
		for id, ranked := range loadRun(t, name) {
			if !seen[id] {
				t.Errorf("%s: unknown need %s", name, id)
			}
			for _, doc := range ranked {
				if _, ok := j[id][doc]; !ok {
					t.Errorf("%s: %s %s is not judged", name, id, doc)
				}
			}
		}
	}
}

// relevanceIndex returns an index of the 13,040 reports, built in a
// temporary folder (or opened from RAPPORTS_RELEVANCE_INDEX), skipping
// unless env is 1 and the corpus is there.
func relevanceIndex(tb testing.TB, env string) *Index {
	tb.Helper()
	if os.Getenv(env) != "1" {
		tb.Skipf("set %s=1 to run (it indexes the 13,040 reports of ../shared)", env)
	}
	const docs = "../../shared/data/tvnews-fr/docs"
	if _, err := os.Stat(docs); err != nil {
		tb.Skipf("no corpus: %v", err)
	}
	dir := os.Getenv("RAPPORTS_RELEVANCE_INDEX")
	opts := Options{ReadOnly: true}
	if dir == "" {
		dir, opts = filepath.Join(tb.TempDir(), "idx"), Options{}
	}
	idx, err := Open(dir, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { idx.Close() })
	if !opts.ReadOnly {
		if _, err := idx.AddPaths(context.Background(), []string{docs}, AddOptions{}); err != nil {
			tb.Fatal(err)
		}
	}
	return idx
}

// rankNeeds returns the top size report IDs of each need.
func rankNeeds(tb testing.TB, idx *Index, needs []need, size int) run {
	tb.Helper()
	r := run{}
	for _, n := range needs {
		res, err := idx.Search(context.Background(), Request{
			Query:  n.query,
			Size:   size,
			Facets: FacetOptions{Countries: -1, DateInterval: "none"},
		})
		if err != nil {
			tb.Fatalf("%s %q: %v", n.id, n.query, err)
		}
		for _, h := range res.Hits {
			r[n.id] = append(r[n.id], h.ID)
		}
	}
	return r
}

// writeRun writes r to the file out as "need<TAB>rank<TAB>report ID" lines,
// the format of the recorded runs, to pool and judge its reports.
func writeRun(tb testing.TB, out string, needs []need, r run) {
	var b strings.Builder
	for _, n := range needs {
		for i, id := range r[n.id] {
			fmt.Fprintf(&b, "%s\t%d\t%s\n", n.id, i+1, id)
		}
	}
	if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// meanNDCG returns the mean nDCG@10 of r over needs.
func meanNDCG(r run, needs []need, j judgments) float64 {
	var s float64
	for _, n := range needs {
		s += ndcg10(r[n.id], j[n.id])
	}
	return s / float64(len(needs))
}

// condensed returns r without its unjudged reports: nDCG@10 of the
// condensed lists (Sakai 2007) scores a ranking by the order of the reports
// judged, so that weights bringing up unjudged reports are neither
// rewarded nor punished for them before they are judged.
func condensed(r run, j judgments) run {
	c := run{}
	for id, ranked := range r {
		for _, doc := range ranked {
			if _, ok := j[id][doc]; ok {
				c[id] = append(c[id], doc)
			}
		}
	}
	return c
}

// unjudged returns the number of reports of r's top 10 without a judgment.
func unjudged(r run, j judgments) int {
	n := 0
	for id, ranked := range r {
		for _, doc := range ranked[:min(10, len(ranked))] {
			if _, ok := j[id][doc]; !ok {
				n++
			}
		}
	}
	return n
}

func TestRelevance(t *testing.T) {
	idx := relevanceIndex(t, "RAPPORTS_RELEVANCE")
	needs := loadNeeds(t)
	j := loadJudgments(t)
	lucene := loadRun(t, "lucene-run.tsv")
	before := loadRun(t, "rapports-before-run.tsv")
	if js := os.Getenv("RAPPORTS_SCORING"); js != "" {
		// Weights to try, as JSON (the fields of scoreParams).
		saved := scoring
		defer func() { scoring = saved }()
		if err := json.Unmarshal([]byte(js), &scoring); err != nil {
			t.Fatalf("RAPPORTS_SCORING: %v", err)
		}
		t.Logf("scoring %+v", scoring)
	}
	got := rankNeeds(t, idx, needs, 10)
	if out := os.Getenv("RAPPORTS_RELEVANCE_RUN"); out != "" {
		writeRun(t, out, needs, got)
	}
	var sum [3][3]float64      // engine × metric
	var ours, theirs []float64 // nDCG@10 per need of rapports and Lucene
	var unjudged []string
	var worse []string
	var b strings.Builder
	fmt.Fprintf(&b, "%-4s %-30s %7s %7s %7s\n", "need", "query", "before", "after", "Lucene")
	for _, n := range needs {
		var nd [3]float64
		for e, r := range []run{before, got, lucene} {
			nd[e] = ndcg10(r[n.id], j[n.id])
			sum[e][0] += nd[e]
			sum[e][1] += p10(r[n.id], j[n.id])
			sum[e][2] += mrr(r[n.id], j[n.id])
		}
		fmt.Fprintf(&b, "%-4s %-30s %7.3f %7.3f %7.3f\n", n.id, n.query, nd[0], nd[1], nd[2])
		ours, theirs = append(ours, nd[1]), append(theirs, nd[2])
		if nd[1] < nd[2]-0.15 {
			worse = append(worse, fmt.Sprintf("%s (%.3f against %.3f)", n.id, nd[1], nd[2]))
		}
		for _, id := range got[n.id] {
			if _, ok := j[n.id][id]; !ok {
				unjudged = append(unjudged, n.id+" "+id)
			}
		}
	}
	k := float64(len(needs))
	fmt.Fprintf(&b, "%-35s %7s %7s %7s\n", "", "nDCG@10", "P@10", "MRR")
	for e, name := range []string{"rapports before", "rapports", "Lucene 8.8 (recorded)"} {
		fmt.Fprintf(&b, "%-35s %7.4f %7.4f %7.4f\n", name, sum[e][0]/k, sum[e][1]/k, sum[e][2]/k)
	}
	t.Log("\n" + b.String())
	if len(unjudged) > 0 {
		t.Logf("%d reports of the top 10 are not judged (they count as not relevant): %s", len(unjudged), strings.Join(unjudged, ", "))
	}
	if len(unjudged) > len(needs) {
		t.Errorf("%d unjudged reports in the top 10: judge them (qrels.tsv) before trusting the figures", len(unjudged))
	}
	// The target is 1.05x; the ranking reaches about 1.03x (see
	// the README): fail on a fall below Lucene.
	ratio := sum[1][0] / sum[2][0]
	lo, hi := bootstrapRatio(ours, theirs, 10000, 1)
	t.Logf("nDCG@10 is %.3fx Lucene's (target 1.05x); 95%% bootstrap interval over the needs %.3f-%.3f; paired sign-flip test against Lucene p = %.3f",
		ratio, lo, hi, signFlipP(ours, theirs, 100000, 1))
	if ratio < 1 {
		t.Errorf("nDCG@10 is %.3fx Lucene's, below it", ratio)
	}
	if len(worse) > 0 {
		t.Logf("needs more than 0.15 below Lucene: %s", strings.Join(worse, ", "))
	}
}

// signFlipP returns the two-sided p-value of a paired randomisation test
// of the mean difference between a and b (per need): the share of rounds
// random sign flips of the differences give a mean at least as far from 0.
func signFlipP(a, b []float64, rounds int, seed int64) float64 {
	d := make([]float64, len(a))
	var obs float64
	for i := range a {
		d[i] = a[i] - b[i]
		obs += d[i]
	}
	obs = math.Abs(obs)
	rng := rand.New(rand.NewSource(seed))
	hits := 0
	for range rounds {
		var s float64
		for _, x := range d {
			if rng.Intn(2) == 0 {
				s += x
			} else {
				s -= x
			}
		}
		if math.Abs(s) >= obs-1e-12 {
			hits++
		}
	}
	return float64(hits) / float64(rounds)
}

// bootstrapRatio returns the 2.5th and 97.5th percentiles of
// mean(a)/mean(b) over rounds resamplings of the needs with replacement.
func bootstrapRatio(a, b []float64, rounds int, seed int64) (lo, hi float64) {
	rng := rand.New(rand.NewSource(seed))
	ratios := make([]float64, rounds)
	for r := range ratios {
		var sa, sb float64
		for range a {
			i := rng.Intn(len(a))
			sa, sb = sa+a[i], sb+b[i]
		}
		ratios[r] = sa / sb
	}
	sort.Float64s(ratios)
	return ratios[rounds*25/1000], ratios[rounds*975/1000]
}

func TestRelevanceStatistics(t *testing.T) {
	same := []float64{0.5, 0.7, 0.9, 1}
	better := []float64{0.6, 0.8, 1, 1}
	far := make([]float64, 30)
	near := make([]float64, 30)
	for i := range far {
		far[i], near[i] = 0.9, 0.5+0.01*float64(i%3)
	}
	tests := []struct {
		name  string
		a, b  []float64
		pMin  float64
		pMax  float64
		loMin float64
		hiMax float64
	}{
		{"identical", same, same, 1, 1, 1, 1},
		// 3 of 4 differences are +0.1, one 0: 2 of the 8 sign patterns
		// reach a sum of ±0.3.
		{"three better", better, same, 0.2, 0.3, 1, 1.3},
		{"far apart", far, near, 0, 0.001, 1.7, 1.8},
	}
	for _, tt := range tests {
		p := signFlipP(tt.a, tt.b, 20000, 1)
		if p < tt.pMin || p > tt.pMax {
			t.Errorf("%s: signFlipP = %.4f, want %.3f-%.3f", tt.name, p, tt.pMin, tt.pMax)
		}
		lo, hi := bootstrapRatio(tt.a, tt.b, 2000, 1)
		if lo > hi || lo < tt.loMin || hi > tt.hiMax {
			t.Errorf("%s: bootstrapRatio = %.3f-%.3f, want within %.3f-%.3f", tt.name, lo, hi, tt.loMin, tt.hiMax)
		}
	}
}

// TestTuneRanking searches the weights of the ranking by coordinate ascent
// on nDCG@10, on all the needs and, to see how much of the gain is
// overfitting, on the odd needs scored on the even ones and back. With
// RAPPORTS_TUNE_CONDENSED=1 it scores the condensed top 30 (judged reports
// only) instead of the top 10, so that the weights are not drawn to the
// rankings already pooled; the top 10 of the weights found must then be
// pooled and judged (TestRelevancePool) before their nDCG@10 is trusted.
// RAPPORTS_TUNE_ONLY=Lead,Coverage (names of scoreParams' fields) tunes
// those weights only, from the weights in use: fewer free weights, less
// overfitting of 22 or 23 needs.
//
//	RAPPORTS_TUNE=1 RAPPORTS_RELEVANCE_INDEX=/tmp/idx go test ./index -run TestTuneRanking -v
func TestTuneRanking(t *testing.T) {
	idx := relevanceIndex(t, "RAPPORTS_TUNE")
	needs := loadNeeds(t)
	j := loadJudgments(t)
	saved := scoring
	defer func() { scoring = saved }()
	var odd, even []need
	for i, n := range needs {
		if i%2 == 0 {
			odd = append(odd, n)
		} else {
			even = append(even, n)
		}
	}
	cond := os.Getenv("RAPPORTS_TUNE_CONDENSED") == "1"
	from, only := untuned, []string(nil)
	if v := os.Getenv("RAPPORTS_TUNE_ONLY"); v != "" {
		// Tune these weights only, from the weights in use.
		from, only = saved, strings.Split(v, ",")
	}
	eval := func(p scoreParams, set []need) float64 {
		scoring = p
		if cond {
			return meanNDCG(condensed(rankNeeds(t, idx, set, 30), j), set, j)
		}
		return meanNDCG(rankNeeds(t, idx, set, 10), set, j)
	}
	for _, c := range []struct {
		name       string
		train, dev []need
	}{{"odd→even", odd, even}, {"even→odd", even, odd}, {"all", needs, needs}} {
		p, score := tune(from, only, func(p scoreParams) float64 { return eval(p, c.train) })
		t.Logf("%s: tuned %+v: train %.4f, held out %.4f (untuned: %.4f, in use: %.4f)",
			c.name, p, score, eval(p, c.dev), eval(untuned, c.dev), eval(saved, c.dev))
		scoring = p
		top := rankNeeds(t, idx, needs, 10)
		t.Logf("%s: tuned weights on all needs: nDCG@10 %.4f with %d unjudged reports in the top 10",
			c.name, meanNDCG(top, needs, j), unjudged(top, j))
	}
}

// untuned are the weights the tuning starts from: BM25's usual k1 and b,
// a title weighing 3 body words (the boost used before), a mild proximity.
var untuned = scoreParams{TitleWeight: 3, K1: 1.2, BTitle: 0.5, BBody: 0.75, Prox: 0.5, ProxScale: 3, LeadLen: 60}

// tune maximises f by coordinate ascent over a grid of each weight, from
// p; only the weights named in only when it is not nil.
func tune(p scoreParams, only []string, f func(scoreParams) float64) (scoreParams, float64) {
	grid := []struct {
		name   string
		v      *float64
		values []float64
	}{
		{"TitleWeight", &p.TitleWeight, []float64{1, 1.5, 2, 3, 4, 6, 8, 12}},
		{"K1", &p.K1, []float64{0.6, 0.9, 1.2, 1.6, 2.2, 3}},
		{"BTitle", &p.BTitle, []float64{0, 0.25, 0.5, 0.75, 1}},
		{"BBody", &p.BBody, []float64{0.3, 0.5, 0.75, 0.9, 1}},
		{"Prox", &p.Prox, []float64{0, 0.25, 0.5, 1, 1.5, 2, 3}},
		{"ProxScale", &p.ProxScale, []float64{1, 2, 3, 5, 8, 15}},
		{"TitleK1", &p.TitleK1, []float64{0, 1, 2, 4}},
		{"Coverage", &p.Coverage, []float64{0, 0.1, 0.25, 0.5, 1}},
		{"CovPow", &p.CovPow, []float64{0, 1, 2}},
		{"Lead", &p.Lead, []float64{0, 0.25, 0.5, 1, 2}},
		{"LeadLen", &p.LeadLen, []float64{30, 60, 120}},
		{"AsTyped", &p.AsTyped, []float64{0, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2}},
	}
	if only != nil {
		grid = slices.DeleteFunc(grid, func(g struct {
			name   string
			v      *float64
			values []float64
		}) bool {
			return !slices.Contains(only, g.name)
		})
	}
	best := f(p)
	for round := 0; round < 3; round++ {
		improved := false
		for _, g := range grid {
			keep := *g.v
			for _, v := range g.values {
				if v == keep {
					continue
				}
				*g.v = v
				if s := f(p); s > best+1e-9 {
					best, keep, improved = s, v, true
				}
			}
			*g.v = keep
		}
		if !improved {
			break
		}
	}
	return p, best
}

// TestRelevancePool rebuilds the pool of the judged set: the top 10 of
// each need in the recorded runs (Lucene's, rapports' before #13), in the
// ranking of this build (with RAPPORTS_SCORING's weights when set) and in
// any run files named by RAPPORTS_POOL_RUNS (comma-separated, the format of
// the recorded runs: RAPPORTS_RELEVANCE_RUN writes one). It writes the
// pooled reports that qrels.tsv does not grade yet to the file
// RAPPORTS_POOL (outside the repository: it holds the reports' text), need
// by need, in an order shuffled by the need's ID and without the engine
// that returned each, with the need's description, the report's title and
// its first RAPPORTS_POOL_CHARS characters (1,200 by default), and one
// line "need<TAB>report<TAB>" to complete with the grade and append to
// qrels.tsv:
//
//	RAPPORTS_POOL=/tmp/pool.txt RAPPORTS_RELEVANCE_INDEX=/tmp/idx go test ./index -run TestRelevancePool -v
func TestRelevancePool(t *testing.T) {
	out := os.Getenv("RAPPORTS_POOL")
	if out == "" {
		t.Skip("set RAPPORTS_POOL=FILE to write the unjudged pooled reports to FILE")
	}
	t.Setenv("RAPPORTS_POOL_INDEX", "1")
	idx := relevanceIndex(t, "RAPPORTS_POOL_INDEX")
	needs := loadNeeds(t)
	j := loadJudgments(t)
	if js := os.Getenv("RAPPORTS_SCORING"); js != "" {
		saved := scoring
		defer func() { scoring = saved }()
		if err := json.Unmarshal([]byte(js), &scoring); err != nil {
			t.Fatalf("RAPPORTS_SCORING: %v", err)
		}
	}
	runs := []run{loadRun(t, "lucene-run.tsv"), loadRun(t, "rapports-before-run.tsv"), rankNeeds(t, idx, needs, 10)}
	for _, f := range strings.Split(os.Getenv("RAPPORTS_POOL_RUNS"), ",") {
		if f == "" {
			continue
		}
		r, err := readRunFile(f)
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, r)
	}
	chars := 1200
	if v := os.Getenv("RAPPORTS_POOL_CHARS"); v != "" {
		var err error
		if chars, err = strconv.Atoi(v); err != nil || chars <= 0 {
			t.Fatalf("RAPPORTS_POOL_CHARS=%q: want a positive number of characters", v)
		}
	}
	pool := poolOf(needs, j, runs...)
	var b strings.Builder
	total := 0
	for _, n := range needs {
		if len(pool[n.id]) == 0 {
			continue
		}
		fmt.Fprintf(&b, "######## %s [%s] %s (%d to judge)\n", n.id, n.query, n.what, len(pool[n.id]))
		for _, id := range pool[n.id] {
			d, err := idx.Document(context.Background(), id, DocumentOptions{})
			if err != nil {
				t.Fatalf("%s %s: %v", n.id, id, err)
			}
			text := strings.Join(strings.Fields(d.Body), " ")
			if r := []rune(text); len(r) > chars {
				text = string(r[:chars]) + " …"
			}
			fmt.Fprintf(&b, "--- %s\t%s\t\n%s\n%s\n\n", n.id, id, d.Title, text)
			total++
		}
	}
	if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d pooled reports to judge written to %s", total, out)
}

// poolOf returns, for each need, the reports of the runs' top 10 that j
// does not grade, in an order shuffled by the need's ID (the same at every
// run, independent of the engine that returned each report).
func poolOf(needs []need, j judgments, runs ...run) map[string][]string {
	pool := map[string][]string{}
	for _, n := range needs {
		seen := map[string]bool{}
		var ids []string
		for _, r := range runs {
			for _, id := range r[n.id][:min(10, len(r[n.id]))] {
				if _, ok := j[n.id][id]; !ok && !seen[id] {
					seen[id] = true
					ids = append(ids, id)
				}
			}
		}
		sort.Strings(ids)
		h := fnv.New64a()
		h.Write([]byte(n.id))
		rand.New(rand.NewSource(int64(h.Sum64()))).Shuffle(len(ids), func(a, b int) { ids[a], ids[b] = ids[b], ids[a] })
		if len(ids) > 0 {
			pool[n.id] = ids
		}
	}
	return pool
}

// readRunFile reads a run file outside testdata (need, rank, report ID).
func readRunFile(name string) (run, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("run file: %w", err)
	}
	r := run{}
	for i, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("run file %s:%d: %d fields, want need, rank, report ID", name, i+1, len(f))
		}
		r[f[0]] = append(r[f[0]], f[2])
	}
	return r, nil
}

func TestPoolOf(t *testing.T) {
	needs := []need{{id: "q1"}, {id: "q2"}}
	j := judgments{"q1": {"a": 2}}
	r1 := run{"q1": {"a", "b", "c"}, "q2": {"x"}}
	r2 := run{"q1": {"c", "d"}}
	got := poolOf(needs, j, r1, r2)
	q1 := slices.Clone(got["q1"])
	sort.Strings(q1)
	if !slices.Equal(q1, []string{"b", "c", "d"}) || !slices.Equal(got["q2"], []string{"x"}) {
		t.Errorf("poolOf = %v; want q1 [b c d] in some order (a is judged), q2 [x]", got)
	}
	if again := poolOf(needs, j, r2, r1); !slices.Equal(again["q1"], got["q1"]) {
		t.Errorf("poolOf order depends on the runs' order: %v then %v", got["q1"], again["q1"])
	}
}
