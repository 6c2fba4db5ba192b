package watcher

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/watcher/clock"
)

// harness runs a Watcher with the real fsnotify on a temporary folder and a fake clock.
type harness struct {
	t    testing.TB
	w    *Watcher
	clk  *clock.Fake
	root string
	m    *countingMetrics
	// synced holds the names of sync marker files the watcher has seen.
	synced sync.Map
}

// startWatcher runs a watcher on a fresh root (cfg.Roots, if empty, becomes that root) and
// consumes the start-up rescan batch.
func startWatcher(t testing.TB, cfg Config) *harness {
	t.Helper()
	h := &harness{t: t, clk: clock.NewFake(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)), m: &countingMetrics{}}
	if len(cfg.Roots) == 0 && cfg.Workspace == "" {
		h.root = t.TempDir()
		cfg.Roots = []string{h.root}
	} else if len(cfg.Roots) > 0 {
		h.root = cfg.Roots[0]
	}
	cfg.Clock = h.clk
	cfg.Metrics = h.m
	ignore := cfg.Ignore
	if ignore == nil {
		ignore = collection.IsIgnored
	}
	cfg.Ignore = func(name string) bool {
		if strings.HasPrefix(name, ".sync-") {
			h.synced.Store(name, true)
		}
		return ignore(name)
	}
	if cfg.Rand == nil {
		cfg.Rand = func() float64 { return 0.5 }
	}
	w, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	h.w = w
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	b := h.next()
	if !b.Rescan || b.Trigger != TriggerStartup {
		t.Fatalf("first batch = %+v, want the start-up rescan", b)
	}
	return h
}

// probe runs f on the watcher's goroutine, after everything it received before.
func (h *harness) probe(f func(l *loop)) {
	h.t.Helper()
	done := make(chan struct{})
	select {
	case h.w.probes <- func(l *loop) { f(l); close(done) }:
	case <-time.After(10 * time.Second):
		h.t.Fatal("watcher loop is not answering")
	}
	<-done
}

// pending returns the pending paths, relative to the root, sorted.
func (h *harness) pending() []string {
	var out []string
	h.probe(func(l *loop) {
		for p := range l.pending {
			out = append(out, h.rel(p))
		}
	})
	slices.Sort(out)
	return out
}

// waitFor polls (bounded) until cond holds on the watcher's goroutine: fsnotify delivers
// events asynchronously, and the fake clock must only move once they have arrived.
func (h *harness) waitFor(what string, cond func(l *loop) bool) {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok := false
		h.probe(func(l *loop) { ok = cond(l) })
		if ok {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("timed out waiting for %s; pending: %v", what, h.pending())
		}
		time.Sleep(time.Millisecond)
	}
}

// waitPending waits until all events so far were handled and checks that every rel path is
// pending.
func (h *harness) waitPending(rels ...string) {
	h.t.Helper()
	h.sync()
	var missing []string
	h.probe(func(l *loop) {
		for _, r := range rels {
			if l.pending[h.abs(r)] == nil {
				missing = append(missing, r)
			}
		}
	})
	if len(missing) > 0 {
		h.t.Fatalf("not pending: %q; pending: %q", missing, h.pending())
	}
}

// advance moves the fake clock; timers that fall due have reached the loop when it returns.
func (h *harness) advance(d time.Duration) { h.clk.Advance(d) }

// next returns the next batch.
func (h *harness) next() Batch {
	h.t.Helper()
	select {
	case b := <-h.w.Batches():
		return b
	case <-time.After(10 * time.Second):
		h.t.Fatal("no batch")
		return Batch{}
	}
}

// none fails if a batch is waiting to be read.
func (h *harness) none() {
	h.t.Helper()
	var queued []Batch
	h.probe(func(l *loop) { queued = slices.Clone(l.outbox) })
	if len(queued) > 0 {
		h.t.Fatalf("unexpected batches: %+v", queued)
	}
}

// wantBatch reads the next batch and compares it with reason and changes (paths relative).
func (h *harness) wantBatch(reason Reason, want ...Change) {
	h.t.Helper()
	b := h.next()
	for i := range b.Changes {
		b.Changes[i].Path = h.rel(b.Changes[i].Path)
	}
	if diff := cmp.Diff(Batch{Reason: reason, Changes: want}, b); diff != "" {
		h.t.Fatalf("batch (-want +got):\n%s", diff)
	}
}

func (h *harness) abs(rel string) string { return filepath.Join(h.root, rel) }

func (h *harness) rel(abs string) string {
	r, err := filepath.Rel(h.root, abs)
	if err != nil {
		return abs
	}
	return r
}

// write writes data to rel below the root, creating folders.
func (h *harness) write(rel, data string) {
	h.t.Helper()
	writeFile(h.t, h.abs(rel), data)
}

func writeFile(t testing.TB, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func changed(rel string) Change { return Change{Path: rel, Op: Changed} }

// countingMetrics is a Metrics that counts, for assertions.
type countingMetrics struct {
	mu      sync.Mutex
	ignored map[string]int
	rescans map[Trigger]int
	flushes map[Reason]int
	errors  int
	ovf     int
}

func (m *countingMetrics) Event(string) {}
func (m *countingMetrics) Ignored(reason string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ignored == nil {
		m.ignored = map[string]int{}
	}
	m.ignored[reason]++
}
func (m *countingMetrics) Overflow() { m.mu.Lock(); m.ovf++; m.mu.Unlock() }
func (m *countingMetrics) Error(string) {
	m.mu.Lock()
	m.errors++
	m.mu.Unlock()
}
func (m *countingMetrics) Rescan(t Trigger) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.rescans == nil {
		m.rescans = map[Trigger]int{}
	}
	m.rescans[t]++
}
func (m *countingMetrics) Flush(r Reason, _ int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.flushes == nil {
		m.flushes = map[Reason]int{}
	}
	m.flushes[r]++
}

func (m *countingMetrics) ignoredCount(reason string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ignored[reason]
}

var _ Metrics = (*countingMetrics)(nil)

func diffOf(want, got any) string { return cmp.Diff(want, got) }

// sync waits until every event caused before it was handled: it touches an ignored marker
// file in the root and waits until the watcher has seen its event, which the kernel queues
// after all earlier ones.
func (h *harness) sync() {
	h.t.Helper()
	f, err := os.CreateTemp(h.root, ".sync-")
	if err != nil {
		h.t.Fatal(err)
	}
	f.Close()
	if err := os.Remove(f.Name()); err != nil {
		h.t.Fatal(err)
	}
	name := filepath.Base(f.Name())
	h.waitFor("sync", func(*loop) bool { _, ok := h.synced.Load(name); return ok })
}

func (m *countingMetrics) errorCount() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.errors
}
