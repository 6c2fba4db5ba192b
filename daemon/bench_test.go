package daemon

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BenchmarkSaveToPatch measures the time from a save to its PATCH reaching App Store Connect
// (the simulator on loopback), and reports the part beyond the 50 ms quiet period and the API
// calls a save costs.
func BenchmarkSaveToPatch(b *testing.B) { benchSaveToPatch(b, newEnv(b, envOptions{})) }

// benchSaveToPatch saves the de-DE keywords of e's app b.N times, each time waiting for the
// PATCH, and reports the time beyond the quiet period, the API calls per save and the CPU
// time the process (daemon and simulator) spent per save, which a loaded machine does not
// inflate.
func benchSaveToPatch(b *testing.B, e *env) {
	quiet := e.cfg.Watch.QuietPeriod
	path := e.coll("keyword", "de-DE.txt")
	var total time.Duration
	e.srv.ResetJournal()
	cpu := cpuTime()
	b.ResetTimer()
	for i := range b.N {
		want := fmt.Sprintf("planer,bench%d", i)
		start := time.Now()
		if err := os.WriteFile(path, []byte(want+"\n"), 0o644); err != nil {
			b.Fatal(err)
		}
		for e.remoteText("de-DE", "keywords") != want {
			time.Sleep(100 * time.Microsecond)
		}
		total += time.Since(start)
		e.waitIdle()
	}
	b.StopTimer()
	b.ReportMetric(float64((total/time.Duration(b.N)-quiet).Microseconds())/1000, "ms-beyond-quiet/op")
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(len(e.srv.APICalls()))/float64(b.N), "api-calls/op")
}

// BenchmarkEventStorm writes 10,000 changes to the 27 text files of the collection (each file
// rewritten about 370 times, the last write of each locale's description different) and
// measures until every localization is in step; it checks that the storm became exactly one
// PATCH per changed localization.
func BenchmarkEventStorm(b *testing.B) {
	e := newEnv(b, envOptions{})
	var files []string
	for _, glob := range []string{"*/*.txt"} {
		m, _ := filepath.Glob(filepath.Join(e.coll(), glob))
		files = append(files, m...)
	}
	if len(files) != 27 {
		b.Fatalf("%d text files, want 27", len(files))
	}
	const changes = 10000
	var writing, tail time.Duration
	b.ResetTimer()
	for i := range b.N {
		e.srv.ResetJournal()
		start := time.Now()
		for n := range changes {
			p := files[n%len(files)]
			content, err := os.ReadFile(p)
			if err != nil {
				b.Fatal(err)
			}
			if n >= changes-len(files) && strings.Contains(p, string(filepath.Separator)+"description"+string(filepath.Separator)) {
				content = []byte(fmt.Sprintf("Storm %d %s\n", i, filepath.Base(p)))
			}
			if err := os.WriteFile(p, content, 0o644); err != nil {
				b.Fatal(err)
			}
		}
		wrote := time.Since(start)
		for _, loc := range []string{"en-US", "de-DE", "ja"} {
			want := fmt.Sprintf("Storm %d %s.txt", i, loc)
			for e.remoteText(loc, "description") != want {
				time.Sleep(time.Millisecond)
			}
		}
		inStep := time.Since(start)
		writing += wrote
		tail += inStep - wrote
		e.waitIdle()
		if got := len(e.patches()); got != 3 {
			b.Fatalf("storm %d: %d PATCHes, want 3 (one per changed localization)", i, got)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(writing.Milliseconds())/float64(b.N), "ms-writing/op")
	b.ReportMetric(float64(tail.Milliseconds())/float64(b.N), "ms-after-last-write/op")
}
