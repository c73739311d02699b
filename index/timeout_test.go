package index

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/rapports/rapports/analyzers"
	"github.com/rapports/rapports/corpus"
)

// expiringCtx is a context whose deadline passes after its Err has been
// asked a given number of times: a time limit that does not depend on the
// speed of the machine. It counts the calls made after the deadline.
type expiringCtx struct {
	context.Context
	left  atomic.Int64 // calls of Err before the deadline passes
	after atomic.Int64 // calls of Err since
	once  sync.Once
	done  chan struct{}
}

func newExpiringCtx(calls int64) *expiringCtx {
	c := &expiringCtx{Context: context.Background(), done: make(chan struct{})}
	c.left.Store(calls)
	return c
}

func (c *expiringCtx) Err() error {
	if c.left.Add(-1) >= 0 {
		return nil
	}
	c.once.Do(func() { close(c.done) })
	c.after.Add(1)
	return context.DeadlineExceeded
}

func (c *expiringCtx) Done() <-chan struct{} { return c.done }

// prefixIndex returns an index of reports full of distinct words starting
// with the prefixes, so that each prefix expands to hundreds of words.
func prefixIndex(t *testing.T, prefixes []string) *Index {
	t.Helper()
	idx, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	rng := rand.New(rand.NewPCG(1, 2))
	const letters = "abcdefghijlmnoprstuv"
	reports := make([]corpus.Report, 150)
	for i := range reports {
		var body strings.Builder
		for range 40 {
			body.WriteString(prefixes[rng.IntN(len(prefixes))])
			for range 5 {
				body.WriteByte(letters[rng.IntN(len(letters))])
			}
			body.WriteByte(' ')
		}
		reports[i] = corpus.Report{ID: fmt.Sprintf("r%d", i), Title: "Rapport", Body: body.String()}
	}
	if err := idx.Add(context.Background(), reports...); err != nil {
		t.Fatal(err)
	}
	return idx
}

// TestSearchStopsAtDeadline checks that a search of many prefixes looks
// at its deadline inside the expensive part (the expansion of the
// prefixes, the searchers of their words, the collection of the matches
// with their facets, the highlighting), at least once per checkEvery
// words, and stops as soon as it has passed: with deadlines passing after
// more and more checks, the search either finishes or fails with
// context.DeadlineExceeded, looking at its context only a few times more
// (no more work).
func TestSearchStopsAtDeadline(t *testing.T) {
	prefixes := []string{"pro", "con", "dis", "tra", "sou", "mar"}
	idx := prefixIndex(t, prefixes)
	words := 0
	for _, p := range prefixes {
		for _, field := range []string{fieldTitle, fieldBody} {
			ts, err := idx.expandPrefix(context.Background(), field, analyzers.ExactMarker+p, MaxPrefixTerms)
			if err != nil {
				t.Fatal(err)
			}
			words += len(ts)
		}
	}
	for _, op := range []string{" OR ", " "} {
		q := strings.Join(prefixes, "*"+op) + "*"
		unlimited := newExpiringCtx(1 << 40)
		if _, err := idx.Search(unlimited, Request{Query: q, Highlight: true}); err != nil {
			t.Fatal(err)
		}
		checks := 1<<40 - unlimited.left.Load()
		if checks < int64(words/checkEvery) {
			t.Errorf("Search(%q) of %d words checked its deadline %d times; want at least one per %d words", q, words, checks, checkEvery)
		}
		t.Logf("%q: %d words, %d checks", q, words, checks)
		for calls := int64(0); calls < checks; calls = calls*2 + 1 {
			ctx := newExpiringCtx(calls)
			_, err := idx.Search(ctx, Request{Query: q, Highlight: true})
			switch {
			case err == nil:
				t.Errorf("Search(%q) with a deadline after %d of its %d checks did not fail", q, calls, checks)
			case !errors.Is(err, context.DeadlineExceeded):
				t.Fatalf("Search(%q) with a deadline after %d checks: %v; want context.DeadlineExceeded", q, calls, err)
			case ctx.after.Load() > 8:
				t.Errorf("Search(%q) with a deadline after %d checks: %d more checks after it (still working)", q, calls, ctx.after.Load())
			}
		}
	}
}

// TestPrefixesTooMany checks the bound on the words all the prefixes of a
// query expand to (lowered here to 1,000): under it the query runs, over it
// the prefix that crosses it is refused with KindPrefixesTooMany.
func TestPrefixesTooMany(t *testing.T) {
	defer func(n int) { maxQueryPrefixTerms = n }(maxQueryPrefixTerms)
	maxQueryPrefixTerms = 1000
	const perPrefix = 250
	idx, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	const letters = "abcdefghijlmnoprstuv"
	var body strings.Builder
	for _, p := range []string{"pa", "pe", "pi", "po", "pu"} {
		for i := range perPrefix {
			body.WriteString(p)
			for n, k := i, 0; k < 3; n, k = n/len(letters), k+1 {
				body.WriteByte(letters[n%len(letters)])
			}
			body.WriteByte(' ')
		}
	}
	if err := idx.Add(context.Background(), corpus.Report{ID: "r", Title: "Rapport", Body: body.String()}); err != nil {
		t.Fatal(err)
	}
	if res, err := idx.Search(context.Background(), Request{Query: "pa* pe* pi* po*"}); err != nil || res.Total != 1 {
		t.Fatalf("four prefixes of %d words each: %v, %v; want the report", perPrefix, res, err)
	}
	_, err = idx.Search(context.Background(), Request{Query: "pa* pe* pi* po* pu*"})
	var qe *QueryError
	if !errors.As(err, &qe) || qe.Kind != KindPrefixesTooMany || qe.Pos != 17 || !errors.Is(err, ErrTooExpensive) {
		t.Fatalf("five prefixes of %d words each: %v; want %s at 17 (ErrTooExpensive)", perPrefix, err, KindPrefixesTooMany)
	}
}
