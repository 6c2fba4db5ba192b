package engine

import (
	"bufio"
	"bytes"
	"context"
	"crypto/md5"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/workspace"
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

// newCommand returns a new Engine on e's state, as a new command would make; with cold it
// first empties the state's file-hash cache (as before any plan).
func (e *testEnv) newCommand(b *testing.B, cold bool) *Engine {
	b.Helper()
	ctx := context.Background()
	if cold {
		rows, err := e.store.FileHashes(ctx, e.ws.Root)
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
	return eng
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
				eng := e.newCommand(b, !bc.warm)
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

// padPNG returns png with a private ancillary chunk of n bytes before its IEND chunk: a valid
// image of the same size, as big as a real screenshot (viewers skip the chunk).
func padPNG(png []byte, n int) []byte {
	body := append([]byte("pdDg"), bytes.Repeat([]byte{0x5a}, n)...)
	chunk := binary.BigEndian.AppendUint32(nil, uint32(n))
	chunk = append(chunk, body...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(body))
	iend := len(png) - 12
	return slices.Concat(png[:iend], chunk, png[iend:])
}

// BenchmarkLoad5000Large reads a collection of 5,000 screenshots of 40 KB (50 locales × 10
// display types × 10, 200 MB, the size of the collection the issue measured) as `plan` reads
// its local side, each iteration on a new Engine: "cold" with an empty file-hash cache,
// "warm" with the cache the previous iteration left, and "md5" the reference: reading every
// file once and hashing it, as md5sum would.
func BenchmarkLoad5000Large(b *testing.B) {
	e := newTestEnvWith(b, nil, false)
	app := workspace.App{BundleID: demo, Platform: collection.IOS, Active: "main"}
	dir := e.ws.CollectionDir(demo, "main")
	var paths []string
	for _, l := range collection.Locales[:50] {
		for _, ty := range bigTypes {
			for i := 1; i <= benchShots; i++ {
				rel := fmt.Sprintf("screenshot/%s/%s/%02d.png", l, ty.name, i)
				e.write(rel, padPNG(ascapitest.SamplePNG(ty.w, ty.h, i), 40<<10))
				paths = append(paths, e.path(rel))
			}
		}
	}
	ctx := context.Background()
	for _, name := range []string{"md5", "cold", "warm"} {
		b.Run(name, func(b *testing.B) {
			var images, read int64
			for b.Loop() {
				b.StopTimer()
				eng := e.newCommand(b, name == "cold")
				before := rchar()
				b.StartTimer()
				if name == "md5" {
					for _, p := range paths {
						f, err := os.Open(p)
						if err != nil {
							b.Fatal(err)
						}
						h := md5.New()
						_, err = io.Copy(h, f)
						f.Close()
						if err != nil {
							b.Fatal(err)
						}
					}
				} else if c, problems, err := eng.loadCollection(ctx, dir, app, false, nil); err != nil || len(c.Sets) != 500 || len(problems) > 0 {
					b.Fatalf("load: %v, %d sets, %v", err, len(c.Sets), problems[:min(3, len(problems))])
				}
				b.StopTimer()
				read += rchar() - before
				images += eng.files.bytesRead.Load()
				b.StartTimer()
			}
			b.ReportMetric(float64(images)/float64(b.N)/1e6, "image-MB/op")
			b.ReportMetric(float64(read)/float64(b.N)/1e6, "rchar-MB/op")
		})
	}
}
