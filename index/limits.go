package index

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"time"
)

// ErrBusy: the search is expensive (see ExpensivePrefixTerms) and as many
// expensive searches as Limits allows were running and waiting already, or
// its turn did not come within Limits.Wait. The error is a *BusyError,
// which says when to try again.
var ErrBusy = errors.New("index: too many expensive searches at once")

// ExpensivePrefixTerms is the number of words the prefixes of a query must
// expand to, in all, for its search to be expensive: each word costs a
// searcher and its memory (a 64-prefix query on 13,040 reports expands to
// 15,000 words and held about 100 MB while it ran), so expensive searches
// take turns (Limits).
const ExpensivePrefixTerms = 2000

// Default limits, see Limits.
const (
	DefaultWait      = 2 * time.Second
	queuePerSearcher = 4
)

// Limits bound the expensive searches (those whose prefixes expand to
// more than ExpensivePrefixTerms words) that run at once, so that many
// clients sending them do not exhaust the memory: the others wait for
// their turn, and fail with a *BusyError (ErrBusy) when too many are
// waiting or their turn does not come in time. Other searches never wait.
type Limits struct {
	// Expensive is the most expensive searches that run at once (default
	// DefaultExpensive()).
	Expensive int
	// Queue is the most expensive searches that wait for their turn
	// (default 4 times Expensive; negative for none); any more fail at
	// once.
	Queue int
	// Wait is the longest an expensive search waits for its turn (default
	// DefaultWait), within the time its context gives it.
	Wait time.Duration
}

// DefaultExpensive is the default of Limits.Expensive: one expensive
// search per processor the program may use (GOMAXPROCS), at most 4.
func DefaultExpensive() int { return min(4, max(1, runtime.GOMAXPROCS(0))) }

// BusyError is the error of a search refused by Limits; it wraps ErrBusy.
type BusyError struct {
	// Running and Waiting count the expensive searches running and
	// waiting when it was refused.
	Running, Waiting int
	// RetryAfter is when to try again: about the time an expensive
	// search takes.
	RetryAfter time.Duration
}

func (e *BusyError) Error() string {
	return fmt.Sprintf("%v (%d running, %d waiting): try again in %v", ErrBusy, e.Running, e.Waiting, e.RetryAfter)
}

// Unwrap returns ErrBusy.
func (e *BusyError) Unwrap() error { return ErrBusy }

// limiter gives expensive searches their turns.
type limiter struct {
	slots   chan struct{}
	waiting atomic.Int64
	queue   int64
	wait    time.Duration
}

func newLimiter(l Limits) *limiter {
	if l.Expensive <= 0 {
		l.Expensive = DefaultExpensive()
	}
	switch {
	case l.Queue == 0:
		l.Queue = queuePerSearcher * l.Expensive
	case l.Queue < 0:
		l.Queue = 0
	}
	if l.Wait <= 0 {
		l.Wait = DefaultWait
	}
	return &limiter{slots: make(chan struct{}, l.Expensive), queue: int64(l.Queue), wait: l.Wait}
}

// busy returns the error of a refused search.
func (l *limiter) busy() error {
	return &BusyError{Running: len(l.slots), Waiting: int(l.waiting.Load()), RetryAfter: max(time.Second, l.wait)}
}

// acquire waits for a turn and returns the function that ends it. It fails
// with a *BusyError when the queue is full or the turn does not come
// within l.wait, and with ctx's error when ctx is done first.
func (l *limiter) acquire(ctx context.Context) (func(), error) {
	release := func() { <-l.slots }
	select {
	case l.slots <- struct{}{}:
		return release, nil
	default:
	}
	if l.waiting.Add(1) > l.queue {
		l.waiting.Add(-1)
		return nil, l.busy()
	}
	defer l.waiting.Add(-1)
	t := time.NewTimer(l.wait)
	defer t.Stop()
	select {
	case l.slots <- struct{}{}:
		return release, nil
	case <-t.C:
		return nil, l.busy()
	case <-ctx.Done():
		return nil, fmt.Errorf("index: waiting for the turn of an expensive search: %w", ctx.Err())
	}
}

// SetLimits replaces the limits of the expensive searches; searches under
// way keep their turns under the old limits.
func (idx *Index) SetLimits(l Limits) {
	idx.limitMu.Lock()
	idx.limits = newLimiter(l)
	idx.limitMu.Unlock()
}

// turn waits for the turn of an expensive search of p, if it is one, and
// returns the function that ends it.
func (idx *Index) turn(ctx context.Context, p *plan) (func(), error) {
	if p.prefixTerms <= ExpensivePrefixTerms {
		return func() {}, nil
	}
	idx.limitMu.Lock()
	if idx.limits == nil {
		idx.limits = newLimiter(Limits{})
	}
	l := idx.limits
	idx.limitMu.Unlock()
	return l.acquire(ctx)
}
