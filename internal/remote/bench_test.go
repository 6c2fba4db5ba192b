package remote

import (
	"context"
	"fmt"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/plan"
)

// benchLocales are the 10 locales of the benchmark: 3 the seed has, 7 new ones.
var benchLocales = []string{"en-US", "de-DE", "ja", "fr-FR", "es-ES", "it", "nl-NL", "pt-BR", "ko", "zh-Hans"}

// BenchmarkFirstPush100Screenshots pushes 100 new screenshots (10 locales × one APP_IPHONE_65
// set × 10) to the simulator with 100 ms latency on every request, API call and upload part
// alike, and 1 s of processing per asset (polled every second). Groups run on 1 or 4
// goroutines. It reports API requests per screenshot (the floor is 2: reserve + commit),
// counted from the simulator's journal, with and without the fetch.
func BenchmarkFirstPush100Screenshots(b *testing.B) {
	var files [][]localFile
	for i, locale := range benchLocales {
		var set []localFile
		for j := 1; j <= 10; j++ {
			set = append(set, localFile{fmt.Sprintf("%02d.png", j), ascapitest.SamplePNG(1242, 2688, i*10+j)})
		}
		files = append(files, set)
		_ = locale
	}
	for _, conc := range []int{1, 4} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			var requests, applyRequests int
			for range b.N {
				b.StopTimer()
				e := newEnv(b, withRealTime(), withSim(func(s *ascapitest.Server) {
					s.ProcessingDelay = time.Second
				}))
				e.r.poll = newPollPolicy(time.Second, 0, 0)
				l := newLocal(b)
				for i, locale := range benchLocales {
					l.set(plan.MediaKey(locale, plan.Screenshot, "APP_IPHONE_65"), files[i]...)
				}
				e.sim.SetFaults(ascapitest.Faults{Latency: 100 * time.Millisecond})
				e.sim.ResetJournal()
				b.StartTimer()

				ctx := context.Background()
				snap, err := e.r.Fetch(ctx, e.app, Scope{MediaLocales: benchLocales})
				if err != nil {
					b.Fatal(err)
				}
				p := planFor(snap, l, nil)
				fetched := len(e.sim.APICalls())
				applyGroups(b, e, snap, p, l, conc)

				b.StopTimer()
				all := len(e.sim.APICalls())
				requests += all
				applyRequests += all - fetched
				for _, locale := range benchLocales {
					k := plan.MediaKey(locale, plan.Screenshot, "APP_IPHONE_65")
					si, _ := e.sim.ScreenshotSet(demo, "1.1", locale, "APP_IPHONE_65")
					if len(si.Assets) != 10 || fmt.Sprint(si.Checksums()) != fmt.Sprint(l.checksums(k)) {
						b.Fatalf("%s ends with %d screenshots", k, len(si.Assets))
					}
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(applyRequests)/float64(100*b.N), "requests/screenshot")
			b.ReportMetric(float64(requests)/float64(100*b.N), "requests-with-fetch/screenshot")
		})
	}
}

// BenchmarkSetUpload pushes n new screenshots (n = 10: one set; n = 100: ten sets of 10,
// four groups at once as the engine's workers do) at 100 ms latency on every request, with
// instant processing, once with the set's uploads in parallel (the default) and once one
// at a time (SetParallelism 1, the reference measured in the same run). It reports the
// time of the applies against the sequential round-trip floor n × 3 × latency (reserve,
// parts, commit per screenshot): x-floor is floor ÷ time, so 4 means four times faster.
func BenchmarkSetUpload(b *testing.B) {
	const latency = 100 * time.Millisecond
	for _, n := range []int{10, 100} {
		for _, par := range []int{DefaultSetParallelism, 1} {
			b.Run(fmt.Sprintf("screenshots=%d/set-parallelism=%d", n, par), func(b *testing.B) {
				sets := n / 10
				var elapsed time.Duration
				for range b.N {
					b.StopTimer()
					e := newEnv(b, withRealTime())
					e.r.setPar = par
					l := newLocal(b)
					for i, locale := range benchLocales[:sets] {
						var files []localFile
						for j := 1; j <= 10; j++ {
							files = append(files, localFile{fmt.Sprintf("%02d.png", j), ascapitest.SamplePNG(1242, 2688, i*10+j)})
						}
						l.set(plan.MediaKey(locale, plan.Screenshot, "APP_IPHONE_65"), files...)
					}
					ctx := context.Background()
					snap, err := e.r.Fetch(ctx, e.app, Scope{MediaLocales: benchLocales[:sets]})
					if err != nil {
						b.Fatal(err)
					}
					p := planFor(snap, l, nil)
					e.sim.SetFaults(ascapitest.Faults{Latency: latency})
					b.StartTimer()
					start := time.Now()
					applyGroups(b, e, snap, p, l, 4)
					elapsed += time.Since(start)
					b.StopTimer()
					for _, locale := range benchLocales[:sets] {
						k := plan.MediaKey(locale, plan.Screenshot, "APP_IPHONE_65")
						si, _ := e.sim.ScreenshotSet(demo, "1.1", locale, "APP_IPHONE_65")
						if fmt.Sprint(si.Checksums()) != fmt.Sprint(l.checksums(k)) {
							b.Fatalf("%s ends with %d screenshots", k, len(si.Assets))
						}
					}
					b.StartTimer()
				}
				per := elapsed / time.Duration(b.N)
				floor := time.Duration(n*3) * latency
				b.ReportMetric(per.Seconds(), "s/push")
				b.ReportMetric(floor.Seconds()/per.Seconds(), "x-floor")
			})
		}
	}
}

// applyGroups applies every group of p on conc goroutines, as the engine's workers do; a
// failed key fails the benchmark.
func applyGroups(b *testing.B, e *env, snap *Snapshot, p plan.Plan, l *local, conc int) {
	b.Helper()
	g, ctx := errgroup.WithContext(context.Background())
	g.SetLimit(conc)
	for _, grp := range p.Resources() {
		g.Go(func() error {
			res, err := e.r.Apply(ctx, e.app, snap, grp, ApplyOptions{Source: l.source()})
			if err == nil && len(res.Failed) > 0 {
				err = fmt.Errorf("%s failed: %v", grp.Resource, res.Failed)
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		b.Fatal(err)
	}
}
