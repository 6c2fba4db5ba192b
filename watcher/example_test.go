package watcher_test

import (
	"context"
	"log/slog"
	"os"

	"github.com/storesyncer/storesyncer/watcher"
)

// The daemon runs one Watcher for the workspace and re-reads what each batch names.
func Example() {
	ctx := context.Background()
	w, err := watcher.New(watcher.Config{
		Workspace: "/home/me/StoreSyncer",
		Roots:     []string{"/home/me/StoreSyncer/com.example.app/main"}, // the active collections
		Logger:    slog.New(slog.NewTextHandler(os.Stderr, nil)),
	})
	if err != nil {
		panic(err)
	}
	go func() { _ = w.Run(ctx) }() // under the daemon's errgroup
	for b := range w.Batches() {
		switch {
		case b.Rescan:
			// Re-read every app.toml and every root: events may have been lost.
		default:
			for _, c := range b.Changes {
				_ = c // c.Kind == watcher.KindAppConfig: reload that app; else re-plan c.Path's key
			}
		}
	}
}
