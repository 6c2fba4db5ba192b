package main

import (
	"bytes"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
)

// TestRunTellsSystemdReadyStatusAndWatchdog runs the built binary's `run` the way systemd
// runs a Type=notify unit with WatchdogSec=: NOTIFY_SOCKET names a datagram socket the test
// listens on, WATCHDOG_USEC asks for pings. It reads READY=1 (sent only once the status API
// answers), the STATUS= line with the queue, which changes when an app is added, repeated
// WATCHDOG=1 pings, and STOPPING=1 on SIGTERM.
func TestRunTellsSystemdReadyStatusAndWatchdog(t *testing.T) {
	bin := storesyncerBinary(t)
	srv, err := ascapitest.NewServer(t, ascapitest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	listen, err := ascapitest.FreeLoopbackAddr()
	if err != nil {
		t.Fatal(err)
	}
	if err := ascapitest.WriteCredentials(dir, srv.Credentials(), srv.URL(), listen); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "config.toml")

	sock := filepath.Join(dir, "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	msgs := make(chan string, 64)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				close(msgs)
				return
			}
			msgs <- string(buf[:n])
		}
	}()

	cmd := exec.Command(bin, "--config", cfgPath, "run")
	cmd.Env = append(os.Environ(), "NOTIFY_SOCKET="+sock, "WATCHDOG_USEC=400000") // pings every 200 ms
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		_ = cmd.Process.Kill()
	}()

	// next returns the next message that starts with prefix, skipping the others.
	next := func(prefix string) string {
		t.Helper()
		deadline := time.After(30 * time.Second)
		for {
			select {
			case m, ok := <-msgs:
				if !ok {
					t.Fatalf("notify socket closed before %q", prefix)
				}
				if strings.HasPrefix(m, prefix) {
					return m
				}
			case err := <-exited:
				t.Fatalf("storesyncer run exited (%v) before sending %q:\n%s", err, prefix, stderr.String())
			case <-deadline:
				t.Fatalf("no %q on the notify socket; stderr:\n%s", prefix, stderr.String())
			}
		}
	}

	ready := next("READY=1")
	if want := "READY=1\nSTATUS=watching 0 apps; queue: 0 pending, 0 in flight, 0 retrying, 0 failed, 0 held"; ready != want {
		t.Errorf("ready message = %q, want %q", ready, want)
	}
	// READY=1 comes after the API serves: no retry needed.
	resp, err := http.Get("http://" + listen + "/healthz")
	if err != nil {
		t.Fatalf("healthz right after READY=1: %v", err)
	}
	resp.Body.Close()
	for range 3 {
		next("WATCHDOG=1")
	}

	code, out, errOut := runCLI(t, "--config", cfgPath, "apps", "add", "--bundle-id", "com.example.demo")
	if code != 0 {
		t.Fatalf("apps add: exit %d\n%s%s", code, out, errOut)
	}
	if st := next("STATUS=watching 1 apps"); !strings.Contains(st, "queue: ") {
		t.Errorf("status after apps add = %q", st)
	}
	next("WATCHDOG=1") // still pinging after the work

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	next("STOPPING=1")
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("storesyncer run after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("storesyncer run did not stop on SIGTERM")
	}
}
