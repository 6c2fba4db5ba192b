// Command storesyncer keeps an app's App Store product page in step with a folder on disk.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// stopGrace is how long a command may take to wind down after SIGTERM or Ctrl-C before the
// process exits anyway: no read stuck in the kernel (a hung network mount) may keep a service
// from stopping. Jobs and uploads are journaled, so a forced stop loses nothing.
const stopGrace = 10 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		time.Sleep(stopGrace)
		fmt.Fprintf(os.Stderr, "storesyncer: still stopping %s after the signal; exiting now\n", stopGrace)
		os.Exit(exitFailure)
	}()
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err))
}
