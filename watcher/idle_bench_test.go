//go:build unix

package watcher

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkIdle measures what an idle watcher costs with 5,000 files in 250 watched
// folders, on the wall clock: one iteration is one idle second. It reports CPU time per
// idle second and the process's resident memory (which includes the test binary).
//
//	go test -run '^$' -bench Idle -benchtime 10x ./watcher/
func BenchmarkIdle(b *testing.B) {
	root := b.TempDir()
	for d := range 250 {
		for f := range 20 {
			writeFile(b, filepath.Join(root, fmt.Sprintf("screenshot/l%03d/APP_IPHONE_67/%d.png", d, f)), "png")
		}
	}
	w, err := New(Config{Roots: []string{root}})
	must(b, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	defer func() { cancel(); <-done }()
	<-w.Batches() // the start-up rescan: every folder is watched by now
	cpu0 := cpuTime(b)
	b.ResetTimer()
	for range b.N {
		time.Sleep(time.Second)
	}
	b.StopTimer()
	b.ReportMetric(float64((cpuTime(b)-cpu0).Microseconds())/float64(b.N), "cpu-µs/idle-s")
	b.ReportMetric(rssMB(b), "rss-MB")
	b.ReportMetric(float64(w.WatchedDirs()), "watched-dirs")
}

func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	must(tb, syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// rssMB reads VmRSS from /proc (Linux only; 0 elsewhere).
func rssMB(tb testing.TB) float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}
