package watcher

import (
	"errors"
	"testing"
	"time"
)

func TestRescanTriggers(t *testing.T) {
	tests := []struct {
		name    string
		trigger func(h *harness)
		want    Trigger
	}{
		{"manual", func(h *harness) { h.w.Rescan() }, TriggerManual},
		{"watch error, at once", func(h *harness) {
			h.probe(func(l *loop) { l.errc <- errors.New("inotify: bad file descriptor") })
		}, TriggerWatchError},
		{"periodic, at 100 % of the interval with Rand 0.5", func(h *harness) {
			h.advance(59 * time.Minute)
			h.none()
			h.advance(time.Minute)
		}, TriggerPeriodic},
		{"overflow, once events calm down", func(h *harness) {
			h.write("keyword/en-US.txt", "k")
			h.sync()
			h.probe(func(l *loop) { l.signalOverflow() })
			h.sync()
			h.advance(time.Second)
			h.none()
			h.advance(time.Second)
		}, TriggerOverflow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := startWatcher(t, Config{})
			tt.trigger(h)
			b := h.next()
			if !b.Rescan || b.Trigger != tt.want || len(b.Changes) != 0 {
				t.Fatalf("batch = %+v, want a %s rescan", b, tt.want)
			}
			h.none()
			h.m.mu.Lock()
			defer h.m.mu.Unlock()
			if got := h.m.rescans[tt.want]; got != 1 {
				t.Errorf("rescans{trigger=%s} = %d, want 1", tt.want, got)
			}
			if got := h.m.flushes[ReasonRescan]; got != 2 { // start-up and this one
				t.Errorf("flushes{reason=rescan} = %d, want 2", got)
			}
		})
	}
}

// TestPeriodicRescanJitter: each periodic rescan is drawn anew from 75–125 % of the interval.
func TestPeriodicRescanJitter(t *testing.T) {
	draws := []float64{0, 0.999, 0.5}
	h := startWatcher(t, Config{Rand: func() float64 { d := draws[0]; draws = draws[1:]; return d }})
	h.advance(45*time.Minute - time.Second)
	h.none()
	h.advance(time.Second)
	if b := h.next(); b.Trigger != TriggerPeriodic {
		t.Fatalf("batch = %+v, want periodic rescan at 45m", b)
	}
	h.advance(74 * time.Minute)
	h.none()
	h.advance(time.Minute)
	if b := h.next(); b.Trigger != TriggerPeriodic {
		t.Fatalf("batch = %+v, want periodic rescan at 45m+~75m", b)
	}
}

// TestSlowReader: batches queue without blocking the watcher, and an abandoned queue
// collapses into one rescan.
func TestSlowReader(t *testing.T) {
	h := startWatcher(t, Config{})
	for range maxOutbox + 5 {
		h.w.Rescan()
		h.probe(func(*loop) {})
	}
	var n int
	h.probe(func(l *loop) { n = len(l.outbox) })
	if n > maxOutbox {
		t.Fatalf("outbox holds %d batches, want at most %d", n, maxOutbox)
	}
	last := Batch{}
	for range n {
		last = h.next()
	}
	if !last.Rescan {
		t.Fatalf("last batch = %+v, want a rescan", last)
	}
}
