package daemon

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/storesyncer/storesyncer/internal/command"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/statusapi"
	"github.com/storesyncer/storesyncer/watcher/clock"
)

func TestLeaseAcquire(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	me := leaseHolder{host: "mac-a", pid: 100}
	alive := func(pid int) bool { return pid == 200 }
	tests := []struct {
		name     string
		existing *Lease
		garbage  bool
		wantOurs bool
	}{
		{name: "no lease", wantOurs: true},
		{name: "our own lease", existing: &Lease{Host: "mac-a", PID: 100, Heartbeat: now.Add(-time.Minute)}, wantOurs: true},
		{name: "another host, fresh", existing: &Lease{Host: "mac-b", PID: 7, Heartbeat: now.Add(-119 * time.Second)}, wantOurs: false},
		{name: "another host, stale", existing: &Lease{Host: "mac-b", PID: 7, Heartbeat: now.Add(-2 * time.Minute)}, wantOurs: true},
		{name: "this host, live process", existing: &Lease{Host: "mac-a", PID: 200, Heartbeat: now}, wantOurs: false},
		{name: "this host, dead process", existing: &Lease{Host: "mac-a", PID: 300, Heartbeat: now}, wantOurs: true},
		{name: "torn lease file", garbage: true, wantOurs: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			switch {
			case tt.existing != nil:
				if err := writeLease(dir, *tt.existing); err != nil {
					t.Fatal(err)
				}
			case tt.garbage:
				writeFile(t, LeasePath(dir), []byte(`{"host":"mac-b","pi`))
			}
			got, ours, err := me.acquire(dir, now, alive)
			if err != nil {
				t.Fatal(err)
			}
			if ours != tt.wantOurs {
				t.Fatalf("ours = %v, want %v (lease %+v)", ours, tt.wantOurs, got)
			}
			onDisk, ok, err := ReadLease(dir)
			if err != nil || !ok {
				t.Fatalf("read lease: %v %v", ok, err)
			}
			want := Lease{Host: "mac-a", PID: 100, Heartbeat: now}
			if !tt.wantOurs {
				want = *tt.existing
			}
			if diff := cmp.Diff(want, onDisk, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
				t.Errorf("lease file (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLeaseRelease(t *testing.T) {
	dir := t.TempDir()
	me := leaseHolder{host: "mac-a", pid: 100}
	other := Lease{Host: "mac-b", PID: 1, Heartbeat: time.Now()}
	if err := writeLease(dir, other); err != nil {
		t.Fatal(err)
	}
	if err := me.release(dir); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := ReadLease(dir); !ok {
		t.Fatal("release removed another daemon's lease")
	}
	if _, _, err := me.acquire(dir, time.Now().Add(time.Hour), processAlive); err != nil {
		t.Fatal(err)
	}
	if err := me.release(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(LeasePath(dir)); !os.IsNotExist(err) {
		t.Fatalf("our lease is still there: %v", err)
	}
}

// TestForeignLeaseSkipsApp starts a daemon while another machine holds the app's fresh lease:
// the app is not watched, status says who holds it, and the lease file is left alone.
func TestForeignLeaseSkipsApp(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.stop()
	appDir := filepath.Join(e.cfg.Workspace, testApp)
	foreign := Lease{Host: "someone-elses-mac", PID: 4242, Heartbeat: time.Now().UTC().Truncate(time.Second)}
	if err := writeLease(appDir, foreign); err != nil {
		t.Fatal(err)
	}
	e.start()
	st := e.d.Snapshot()
	if len(st.Apps) != 1 || st.Apps[0].Lease == nil || st.Apps[0].Lease.Ours || st.Apps[0].Lease.Host != "someone-elses-mac" || !st.Apps[0].Paused || st.Apps[0].Error == "" {
		t.Fatalf("status apps = %+v, want the app paused with someone-elses-mac's lease", st.Apps)
	}
	if _, ok := e.d.holds(testApp); ok {
		t.Fatal("the daemon holds the app")
	}
	if res := e.d.Command(context.Background(), &command.Push{}); res.ExitCode != statusapi.ExitFailure || res.Error == nil || res.Error.Code != "lease" {
		t.Errorf("push of an app leased elsewhere: %+v, want a lease error", res)
	}
	e.stop()
	got, _, _ := ReadLease(appDir)
	if got.Host != foreign.Host || got.PID != foreign.PID {
		t.Errorf("lease after stop = %+v, want the foreign one untouched", got)
	}
}

// TestOneDaemonPerStateDir starts a second daemon on the state dir of a running one: it is
// refused with state.ErrLocked.
func TestOneDaemonPerStateDir(t *testing.T) {
	e := newEnv(t, envOptions{noApp: true})
	_, err := New(Config{Config: e.cfg})
	if !errors.Is(err, state.ErrLocked) {
		t.Fatalf("second daemon: %v, want ErrLocked", err)
	}
}

// TestHeartbeatReloads checks that every LeaseHeartbeat the daemon asks its pipeline to reload
// the apps, which renews the leases.
func TestHeartbeatReloads(t *testing.T) {
	clk := &countingClock{Fake: clock.NewFake(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))}
	d := unitDaemon(t, &fakeEngine{}, clk, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- d.runHeartbeat(ctx) }()
	defer func() { cancel(); <-done }()
	old, err := d.store.AddEvent(ctx, state.Event{Time: clk.Now().Add(-8 * 24 * time.Hour), Type: "old"})
	if err != nil {
		t.Fatal(err)
	}
	recent, err := d.store.AddEvent(ctx, state.Event{Time: clk.Now(), Type: "recent"})
	if err != nil {
		t.Fatal(err)
	}
	waitPending(t, clk.Fake, 1)
	for i := range 3 {
		clk.Advance(LeaseHeartbeat - time.Second)
		select {
		case <-d.reloadc:
			t.Fatalf("beat %d came early", i)
		default:
		}
		clk.Advance(time.Second)
		select {
		case <-d.reloadc:
		case <-time.After(waitLimit):
			t.Fatalf("beat %d did not ask for a reload", i)
		}
		waitPending(t, clk.Fake, 1)
	}
	evs, err := d.store.Events(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].ID != recent.ID {
		t.Errorf("events after the beats = %+v, want only %d (event %d is a week old)", evs, recent.ID, old.ID)
	}
}
