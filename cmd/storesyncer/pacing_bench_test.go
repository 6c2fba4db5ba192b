package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
)

// benchWatchTypes are five small display types, so 1,000 screenshots stay cheap to make.
var benchWatchTypes = []struct {
	name string
	w, h int
}{{"APP_WATCH_ULTRA", 410, 502}, {"APP_WATCH_SERIES_10", 416, 496}, {"APP_WATCH_SERIES_7", 396, 484},
	{"APP_WATCH_SERIES_4", 368, 448}, {"APP_WATCH_SERIES_3", 312, 390}}

// benchPaceLocales are 20 locales: 20 × 5 display types × 10 screenshots = 1,000.
var benchPaceLocales = []string{"en-US", "de-DE", "ja", "fr-FR", "es-ES", "it", "nl-NL", "pt-BR", "ko", "zh-Hans",
	"zh-Hant", "sv", "da", "fi", "no", "pl", "tr", "ru", "cs", "hu"}

// BenchmarkPacedPush1000Screenshots is `storesyncer push` of 1,000 new screenshots (20
// locales × 5 display types × 10) against a simulator whose budget is PACE_BENCH_RATE
// (default 300/10s: Apple's 300-per-window shape with the window cut from 1 m to 10 s, so
// the same requests are paced through the same number of windows in a sixth of the time;
// PACE_BENCH_RATE=300/1m runs the full size). The config's rate_window tells the
// client the window, as `simulator --write-credentials` does. It reports the simulator's 429
// answers and the achieved rate ÷ budget: the time the calls need at the budget — the first
// window's burst is free, every further full N costs one window — over the push's time.
func BenchmarkPacedPush1000Screenshots(b *testing.B) {
	spec := os.Getenv("PACE_BENCH_RATE")
	if spec == "" {
		spec = "300/10s"
	}
	limit, window, err := ascapitest.ParseRateBudget(spec)
	if err != nil {
		b.Fatal(err)
	}
	for _, conc := range []int{4, 8} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				sim, err := ascapitest.NewServer(b, ascapitest.Options{Configure: func(s *ascapitest.Server) {
					s.Seed, s.ProcessAfterReads = testSeed(), 1
					s.RateLimit, s.RateWindow = limit, window
				}})
				if err != nil {
					b.Fatal(err)
				}
				dir := b.TempDir()
				if _, err := ascapitest.SaveCredentials(dir, sim.Credentials(), sim.URL(), window); err != nil {
					b.Fatal(err)
				}
				cfg := filepath.Join(dir, "config.toml")
				f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
				if err != nil {
					b.Fatal(err)
				}
				fmt.Fprintf(f, "\n[sync]\nconcurrency = %d\n", conc)
				f.Close()
				e := &syncEnv{tb: b, sim: sim, cfg: cfg, ws: filepath.Join(dir, "workspace")}
				e.mustRun("apps", "add", "--bundle-id", testBundle)
				_ = os.RemoveAll(e.path("main", "screenshot"))
				for li, locale := range benchPaceLocales {
					for ti, dt := range benchWatchTypes {
						for k := 1; k <= 10; k++ {
							e.write(fmt.Sprintf("screenshot/%s/%s/%02d.png", locale, dt.name, k),
								ascapitest.SamplePNG(dt.w, dt.h, (li*5+ti)*10+k))
						}
					}
				}
				// Start with a fresh window so every run is paced alike.
				time.Sleep(window)
				sim.ResetJournal()
				b.StartTimer()
				start := time.Now()
				e.mustRun("push", "--only", "media")
				elapsed := time.Since(start)
				b.StopTimer()
				calls := sim.APICalls()
				n429 := 0
				for _, c := range calls {
					if c.Status == 429 {
						n429++
					}
				}
				ideal := time.Duration((len(calls)-1)/limit) * window
				b.ReportMetric(float64(n429), "429s")
				b.ReportMetric(float64(len(calls)), "api-calls")
				b.ReportMetric(float64(ideal)/float64(elapsed), "rate/budget")
				b.ReportMetric(elapsed.Seconds(), "push-s")
				b.StartTimer()
			}
		})
	}
}
