package engine

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/plan"
)

// rchar is the bytes this process has read through read(2) and friends so far (files,
// sockets and pipes alike), from /proc/self/io; -1 where there is none.
func rchar() int64 {
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return -1
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if v, ok := bytes.CutPrefix(sc.Bytes(), []byte("rchar: ")); ok {
			n, _ := strconv.ParseInt(string(v), 10, 64)
			return n
		}
	}
	return -1
}

// BenchmarkPlan5000 is `storesyncer plan` (a full plan, every set read) of an app with 5,000
// unchanged screenshots (50 locales × 10 display types × 10, all in sync), each iteration on
// a new Engine as a new command would be: "first" with an empty file-hash cache (every image
// is read and hashed), "second" with the cache the previous command left in the state;
// "local-first" and "local-second" are the same without App Store Connect: only the
// collection's read, which is all that depends on the images. It reports the image bytes
// read (the cache's count) and everything the process read (rchar: the state, the
// simulator's HTTP on loopback and the images). The simulator runs in the same process,
// without its conformance check (the tests do that).
func BenchmarkPlan5000(b *testing.B) {
	e := benchEnvOf(b, collection.Locales[:50], bigTypes, false)
	ctx := context.Background()
	dir := e.ws.CollectionDir(demo, "main")
	app, err := e.ws.App(demo)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name        string
		warm, local bool
	}{{"first", false, false}, {"second", true, false}, {"local-first", false, true}, {"local-second", true, true}} {
		b.Run(bc.name, func(b *testing.B) {
			var images, read int64
			e.sim.ResetJournal()
			for b.Loop() {
				b.StopTimer()
				if !bc.warm { // as before any plan: no entry in the state
					rows, err := e.store.FileHashes(ctx, dir)
					if err != nil {
						b.Fatal(err)
					}
					var drop []string
					for p := range rows {
						drop = append(drop, p)
					}
					if err := e.store.SaveFileHashes(ctx, nil, drop); err != nil {
						b.Fatal(err)
					}
				}
				eng, err := New(Config{Workspace: e.ws, Store: e.store, Remote: e.eng.mkRem})
				if err != nil {
					b.Fatal(err)
				}
				before := rchar()
				b.StartTimer()
				if bc.local {
					c, _, err := eng.loadCollection(ctx, dir, app, false, nil)
					if err != nil || len(c.Sets) != 500 {
						b.Fatalf("load: %v", err)
					}
				} else {
					pr, err := eng.Plan(ctx, demo, PlanOptions{Full: true})
					if err != nil {
						b.Fatal(err)
					}
					for _, op := range pr.Plan.Ops {
						if op.Kind != plan.InSync {
							b.Fatalf("%s is %s", op.Key, op.Kind)
						}
					}
				}
				b.StopTimer()
				read += rchar() - before
				images += eng.files.bytesRead.Load()
				b.StartTimer()
			}
			b.ReportMetric(float64(images)/float64(b.N)/1e6, "image-MB/op")
			b.ReportMetric(float64(read)/float64(b.N)/1e6, "rchar-MB/op")
			b.ReportMetric(float64(len(e.sim.APICalls()))/float64(b.N), "requests/op")
		})
	}
}

// BenchmarkPlanReads is `storesyncer plan` (full) of an app with 1, 10 or 50 locales, each
// with every text field and one set of 10 screenshots, against the simulator with 100 ms of
// latency on every request. It reports the API requests a plan makes.
func BenchmarkPlanReads(b *testing.B) {
	for _, n := range []int{1, 10, 50} {
		b.Run(fmt.Sprintf("locales=%d", n), func(b *testing.B) {
			e := benchEnvOf(b, collection.Locales[:n], bigTypes[:1], false)
			e.sim.SetFaults(ascapitest.Faults{Latency: 100 * time.Millisecond})
			ctx := context.Background()
			e.sim.ResetJournal()
			for b.Loop() {
				if _, err := e.eng.Plan(ctx, demo, PlanOptions{Full: true}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(e.sim.APICalls()))/float64(b.N), "requests/op")
		})
	}
}
