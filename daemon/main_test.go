package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/internal/config"
)

// childEnv names the config file a re-executed test binary runs a daemon on (crash tests).
const childEnv = "STORESYNCER_TEST_DAEMON_CONFIG"

func TestMain(m *testing.M) {
	if path := os.Getenv(childEnv); path != "" {
		os.Exit(runChild(path))
	}
	code := m.Run()
	for _, dir := range goldenDirs {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// runChild runs a daemon on the config at path until SIGTERM, as `storesyncer run` does.
func runChild(path string) int {
	cfg, err := config.Load(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	d, err := New(Config{Config: cfg, Logger: slog.New(slog.NewTextHandler(os.Stderr, nil)), AssetPollInterval: 20 * time.Millisecond})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := d.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}
