package watcher

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// BenchmarkEventStorm: 10,000 real writes spread over 100 files, through inotify, coalesced
// into one batch of 100 changes per iteration.
//
//	go test -run '^$' -bench EventStorm -benchmem ./watcher/
func BenchmarkEventStorm(b *testing.B) {
	const files, writes = 100, 10_000
	h := startWatcher(b, Config{})
	paths := make([]string, files)
	for i := range paths {
		paths[i] = h.abs(fmt.Sprintf("screenshot/l%d/APP_IPHONE_67/%d.png", i%10, i))
		writeFile(b, paths[i], "0")
	}
	h.sync()
	h.advance(time.Minute)
	h.next()
	fds := make([]*os.File, files)
	for i, p := range paths {
		f, err := os.OpenFile(p, os.O_WRONLY, 0)
		must(b, err)
		defer f.Close()
		fds[i] = f
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		for i := range writes {
			if _, err := fds[i%files].WriteAt([]byte{'x'}, int64(i/files)); err != nil {
				b.Fatal(err)
			}
		}
		h.sync()
		h.advance(time.Minute)
		if got := h.next(); len(got.Changes) != files {
			b.Fatalf("batch has %d changes, want %d", len(got.Changes), files)
		}
	}
	b.ReportMetric(float64(writes*b.N)/time.Since(start).Seconds(), "events/s")
}

// BenchmarkHandle: the watcher's own cost per event, without the kernel: one fsnotify Write
// event for one of 100 files, classified, ignore-checked, stat'ed and coalesced.
//
//	go test -run '^$' -bench Handle -benchmem ./watcher/
func BenchmarkHandle(b *testing.B) {
	root := b.TempDir()
	w, err := New(Config{Roots: []string{root}})
	must(b, err)
	l, err := newLoop(w)
	must(b, err)
	defer l.fs.Close()
	events := make([]fsnotify.Event, 100)
	for i := range events {
		p := filepath.Join(root, "screenshot", "de-DE", "APP_IPHONE_67", strconv.Itoa(i)+".png")
		writeFile(b, p, "png")
		events[i] = fsnotify.Event{Name: p, Op: fsnotify.Write}
	}
	now := time.Now()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		l.handle(events[i%len(events)], now)
	}
	b.StopTimer()
	if want := min(b.N, len(events)); len(l.pending) != want {
		b.Fatalf("pending = %d, want %d", len(l.pending), want)
	}
}
