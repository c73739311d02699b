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
)

func main() {
	tuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
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
	stop()
	os.Exit(code)
}
