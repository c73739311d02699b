package index

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rapports/rapports/corpus"
)

// TestLimiter checks the turns of expensive searches: one runs, one waits
// and gets its turn when the first ends, one more finds the queue full,
// and one waits in vain (Wait) or until its context is done.
func TestLimiter(t *testing.T) {
	l := newLimiter(Limits{Expensive: 1, Queue: 1, Wait: time.Hour})
	ctx := context.Background()
	done, err := l.acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() {
		d, err := l.acquire(ctx)
		if err == nil {
			d()
		}
		waited <- err
	}()
	for l.waiting.Load() != 1 {
		time.Sleep(time.Millisecond)
	}
	_, err = l.acquire(ctx)
	var be *BusyError
	if !errors.As(err, &be) || !errors.Is(err, ErrBusy) || be.Running != 1 || be.Waiting != 1 || be.RetryAfter < time.Second {
		t.Fatalf("acquire with the queue full: %v; want a BusyError (1 running, 1 waiting, RetryAfter >= 1s)", err)
	}
	done()
	if err := <-waited; err != nil {
		t.Fatalf("the waiting search: %v; want its turn", err)
	}

	short := newLimiter(Limits{Expensive: 1, Wait: time.Millisecond})
	done, err = short.acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := short.acquire(ctx); !errors.Is(err, ErrBusy) {
		t.Errorf("acquire past Wait: %v; want ErrBusy", err)
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := l.acquire(canceled); err != nil {
		t.Errorf("acquire of a free turn with a canceled context: %v; want the turn (the search stops on its context)", err)
	}
	long := newLimiter(Limits{Expensive: 1, Wait: time.Hour})
	if _, err := long.acquire(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := long.acquire(canceled); !errors.Is(err, context.Canceled) {
		t.Errorf("waiting with a canceled context: %v; want context.Canceled", err)
	}
	none := newLimiter(Limits{Expensive: 1, Queue: -1, Wait: time.Hour})
	if _, err := none.acquire(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := none.acquire(ctx); !errors.Is(err, ErrBusy) {
		t.Errorf("acquire without a queue: %v; want ErrBusy at once", err)
	}
	done()
}

// TestSearchTakesTurns checks that only expensive searches take turns:
// while the one turn is held (by a Scan of an expensive query, blocked in
// its callback), another expensive search fails with ErrBusy and a cheap
// one runs; once it is released, the expensive search runs.
func TestSearchTakesTurns(t *testing.T) {
	idx, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	const letters = "abcdefghijlmnoprstuv"
	var body strings.Builder
	for i := range ExpensivePrefixTerms + 100 {
		body.WriteString("pa")
		for n, k := i, 0; k < 3; n, k = n/len(letters), k+1 {
			body.WriteByte(letters[n%len(letters)])
		}
		body.WriteByte(' ')
	}
	body.WriteString("défense")
	if err := idx.Add(context.Background(), corpus.Report{ID: "r", Title: "Rapport", Body: body.String()}); err != nil {
		t.Fatal(err)
	}
	idx.SetLimits(Limits{Expensive: 1, Queue: -1})
	ctx := context.Background()
	held, release := make(chan struct{}), make(chan struct{})
	scanned := make(chan error, 1)
	go func() {
		_, err := idx.Scan(ctx, Request{Query: "pa*"}, ScanOptions{}, func(Record) error {
			close(held)
			<-release
			return nil
		})
		scanned <- err
	}()
	<-held
	if _, err := idx.Search(ctx, Request{Query: "pa*"}); !errors.Is(err, ErrBusy) {
		t.Errorf("expensive search while the turn is held: %v; want ErrBusy", err)
	}
	if _, err := idx.Search(ctx, Request{Query: "défense"}); err != nil {
		t.Errorf("cheap search while the turn is held: %v", err)
	}
	close(release)
	if err := <-scanned; err != nil {
		t.Fatal(err)
	}
	if res, err := idx.Search(ctx, Request{Query: "pa*"}); err != nil || res.Total != 1 {
		t.Errorf("expensive search after the turn: %v, %v; want the report", res, err)
	}
}
