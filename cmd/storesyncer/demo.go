package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/daemon"
	"github.com/storesyncer/storesyncer/internal/command"
	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// demoApp is the seeded app the demo adds.
const demoApp = "com.example.demo"

// demoMarker marks a folder the demo made, so a second run may replace it.
const demoMarker = ".storesyncer-demo"

// demoServerHook, when set (by tests), is given the demo's simulator once it runs.
var demoServerHook func(*ascapitest.Server)

func newDemoCmd(g *globals) *cobra.Command {
	var (
		dir                string
		latency, exitAfter time.Duration
		quiet              time.Duration
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Try StoreSyncer against a built-in simulated App Store Connect",
		Long: `Demo runs everything on this machine: a simulated App Store Connect with a seeded app
(com.example.demo), a workspace and config under --dir, and the daemon. It pulls the app into
the collection "main" and then watches it: edit a file and watch the upload happen. Each
upload and PATCH is printed as it happens. A second run starts afresh in the same folder.`,
		Example: `  storesyncer demo
  storesyncer demo --dir /tmp/ss-demo --latency 200ms`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if exitAfter > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, exitAfter)
				defer cancel()
			}
			return runDemo(ctx, g, dir, latency, quiet)
		},
	}
	f := cmd.Flags()
	f.StringVar(&dir, "dir", "storesyncer-demo", "folder for the demo's workspace, state and config")
	f.DurationVar(&latency, "latency", 0, "delay every simulated App Store Connect answer by this long")
	f.DurationVar(&exitAfter, "exit-after", 0, "stop after this long (0: run until Ctrl-C)")
	f.DurationVar(&quiet, "quiet-period", time.Second, "how long a file must be quiet before it is synced")
	_ = f.MarkHidden("quiet-period")
	return cmd
}

func runDemo(ctx context.Context, g *globals, dir string, latency, quiet time.Duration) error {
	if err := prepareDemoDir(dir); err != nil {
		return failure("demo.dir", dir, err)
	}
	srv := &ascapitest.Server{ProcessingDelay: time.Second, Faults: ascapitest.Faults{Latency: latency}}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		return failure("demo.simulator", "", err)
	}
	defer srv.Close()
	if demoServerHook != nil {
		demoServerHook(srv)
	}
	cfgPath, err := writeDemoConfig(dir, srv, quiet)
	if err != nil {
		return failure("demo.config", dir, err)
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		return &cliError{Exit: exitUsage, Code: "config.invalid", Path: cfgPath, Err: err}
	}
	logger := newLogger(io.Discard, "error", "text")
	if g.logger != nil && os.Getenv("STORESYNCER_DEMO_DEBUG") != "" {
		logger = g.logger
	}
	d, err := daemon.New(daemon.Config{Config: cfg, Logger: logger, Version: readBuildInfo().Version, AssetPollInterval: 500 * time.Millisecond})
	if err != nil {
		return failure("demo.daemon", "", err)
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- d.Run(runCtx) }()
	select {
	case <-d.Ready():
	case err := <-errc:
		if err == nil {
			return nil // interrupted while starting
		}
		return failure("demo.daemon", "", err)
	}
	events, unsubscribe := d.Subscribe(runCtx)
	defer unsubscribe()

	res := d.Command(ctx, &command.AppsAdd{BundleID: demoApp})
	err = nil
	if res.ExitCode != 0 {
		err = errors.New("apps add failed")
		if res.Error != nil {
			err = errors.New(res.Error.Message)
		}
	}
	if err != nil {
		stop()
		<-errc
		if ctx.Err() != nil {
			return nil // interrupted while starting
		}
		return failure("demo.apps_add", "", err)
	}
	coll := filepath.Join(dir, "workspace", demoApp, "main")
	addr := d.APIAddr()
	w := g.stdout
	fmt.Fprintf(w, "StoreSyncer demo: the daemon syncs a seeded app with a simulated App Store Connect (%s).\n\n", srv.URL())
	fmt.Fprintf(w, "  collection  %s\n", coll)
	fmt.Fprintf(w, "  edit        %s\n", filepath.Join(coll, "keyword", "en-US.txt"))
	fmt.Fprintf(w, "              (or any text file, or add a PNG to %s)\n", filepath.Join(coll, "screenshot", "en-US", "APP_IPHONE_67"))
	fmt.Fprintf(w, "  status API  http://%s/api/v1/status  (bearer token in %s)\n", addr, d.TokenFile())
	fmt.Fprintf(w, "  metrics     http://%s/metrics\n", addr)
	if u, err := d.DashboardURL(); err == nil {
		fmt.Fprintf(w, "  dashboard   %s  (a one-time login link; `storesyncer dashboard` makes another)\n", u)
	}
	exe, _ := os.Executable()
	fmt.Fprintf(w, "  try         %s --config %s status\n\n", selfCommand(exe, exec.LookPath), cfgPath)
	fmt.Fprintf(w, "Watching for changes; every upload and PATCH is printed below. Ctrl-C stops.\n")
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if line := demoLine(ev); line != "" {
				fmt.Fprintf(w, "%s  %s\n", ev.Time.Local().Format(time.TimeOnly), line)
			}
		case err := <-errc:
			if err != nil {
				return failure("demo.daemon", "", err)
			}
			return nil
		}
	}
}

// demoLine renders a daemon event for the demo's output, or "" for events it leaves out.
func demoLine(ev statusapi.Event) string {
	var data struct {
		Resource string   `json:"resource"`
		Keys     []string `json:"keys"`
		Key      string   `json:"key"`
		File     string   `json:"file"`
		Calls    int      `json:"calls"`
		Message  string   `json:"message"`
	}
	_ = json.Unmarshal(ev.Data, &data)
	switch ev.Type {
	case daemon.EventJobCompleted:
		if strings.Count(data.Resource, "/") == 1 {
			return fmt.Sprintf("PATCH %s (%s): %d API calls", data.Resource, strings.Join(data.Keys, ", "), data.Calls)
		}
		return fmt.Sprintf("synced %s: %d API calls", data.Resource, data.Calls)
	case daemon.EventUploaded:
		return fmt.Sprintf("upload %s to %s", data.File, data.Key)
	case daemon.EventJobQueued, daemon.EventJobFailed, daemon.EventJobHeld, daemon.EventJobDropped,
		daemon.EventPulled, daemon.EventConflict:
		return data.Message
	}
	return ""
}

// prepareDemoDir makes dir, or empties a folder an earlier demo made. A folder that holds
// anything else is refused: the demo never deletes files it did not make.
func prepareDemoDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	case len(entries) == 0:
	default:
		if _, err := os.Stat(filepath.Join(dir, demoMarker)); err != nil {
			return fmt.Errorf("%s is not empty and was not made by storesyncer demo: pass --dir with a new folder", dir)
		}
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("remove the previous demo: %w", err)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "workspace"), 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, demoMarker), []byte("made by storesyncer demo; the next demo run replaces this folder\n"), 0o644)
}

// writeDemoConfig writes the key and a config pointing at srv, with the demo's timings, and
// returns the config's path.
func writeDemoConfig(dir string, srv *ascapitest.Server, quiet time.Duration) (string, error) {
	listen, err := ascapitest.FreeLoopbackAddr()
	if err != nil {
		return "", err
	}
	if err := ascapitest.WriteCredentials(dir, srv.Credentials(), srv.URL(), listen); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "config.toml")
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return "", err
	}
	maxWait := max(10*quiet, time.Second)
	_, err = fmt.Fprintf(f, "\n[watch]\nquiet_period = %q\nmax_wait = %q\ndelete_delay = %q\n", quiet, maxWait, 2*quiet)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return path, err
}

// selfCommand is how the user can run this binary again from a shell: "go run
// ./cmd/storesyncer" under go run (whose binary is deleted at exit), "storesyncer" when that
// name on PATH is this binary, else the binary's path.
func selfCommand(exe string, lookPath func(string) (string, error)) string {
	if exe == "" || strings.Contains(exe, string(filepath.Separator)+"go-build") {
		return "go run ./cmd/storesyncer"
	}
	if p, err := lookPath("storesyncer"); err == nil {
		a, errA := os.Stat(p)
		b, errB := os.Stat(exe)
		if errA == nil && errB == nil && os.SameFile(a, b) {
			return "storesyncer"
		}
	}
	if strings.ContainsAny(exe, " '\"") {
		return strconv.Quote(exe)
	}
	return exe
}
