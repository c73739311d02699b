// Command rapports indexes French reports and searches them, from the
// shell or over HTTP. Run "rapports help" for the commands; see README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// stopGrace is how long a command may take to stop cleanly after Ctrl-C
// or SIGTERM (an index run finishes its current batches, serve its
// requests) before the process exits anyway. Exiting then is safe: each
// batch is written atomically, so the index keeps the last one completed.
const stopGrace = 5 * time.Second

func main() {
	tuneGC()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go stopOnSignal(cancel, stopGrace, func(code int) { os.Exit(code) })
	err := newApp().RunContext(ctx, os.Args)
	if err == nil {
		return
	}
	code := exitStatus(err, ctx.Err() != nil)
	msg := err.Error()
	if code == exitInterrupted && errors.Is(err, context.Canceled) {
		msg = "interrupted" // the rest says only where it was when stopped
	}
	if msg != "" {
		fmt.Fprintln(os.Stderr, "rapports:", msg)
	}
	os.Exit(code)
}

// stopOnSignal waits for Ctrl-C or SIGTERM, then cancels the command's
// context so that it stops cleanly; if the command is still running grace
// later, or on a second signal, it calls exit with exitInterrupted,
// whatever the command is doing (a write stuck on a full disk, a long
// search).
func stopOnSignal(cancel context.CancelFunc, grace time.Duration, exit func(int)) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	sig := <-sigs
	cancel()
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case sig = <-sigs:
		fmt.Fprintf(os.Stderr, "rapports: second %v: exiting now\n", sig)
	case <-t.C:
		fmt.Fprintf(os.Stderr, "rapports: still running %v after %v: exiting now (the index keeps its last completed batch)\n", grace, sig)
	}
	exit(exitInterrupted)
}
