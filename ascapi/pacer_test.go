package ascapi

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"
)

// take reserves a slot at now and fails when the pacer makes the caller wait.
func take(tb testing.TB, p *Pacer, now time.Time) *Reservation {
	tb.Helper()
	r, wait, _ := p.tryReserve(now)
	if r == nil {
		tb.Fatalf("reserve at %s waits %s, want a slot now", now.Format(time.TimeOnly), wait)
	}
	return r
}

// waits returns how long a reservation at now must wait, failing when a slot is free.
func waits(tb testing.TB, p *Pacer, now time.Time) time.Duration {
	tb.Helper()
	r, wait, _ := p.tryReserve(now)
	if r != nil {
		tb.Fatalf("reserve at %s got a slot, want a wait", now.Format(time.TimeOnly))
	}
	return wait
}

func budget(limit, rem int) RateLimit { return RateLimit{Limit: limit, Remaining: rem, Known: true} }

func TestPacerReserve(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	t.Run("unknown budget never waits", func(t *testing.T) {
		var p Pacer
		for i := 0; i < 100; i++ {
			take(t, &p, t0)
		}
	})
	t.Run("plenty left never waits", func(t *testing.T) {
		var p Pacer
		take(t, &p, t0).Done(budget(3600, 3599), t0)
		for i := 0; i < 100; i++ {
			take(t, &p, t0)
		}
		if got := p.RateLimit(); got != budget(3600, 3499) {
			t.Errorf("RateLimit() = %+v, want 3499 left after 101 reservations", got)
		}
	})
	t.Run("in-flight requests hold their slots", func(t *testing.T) {
		var p Pacer
		take(t, &p, t0).Done(budget(10, 9), t0)
		for i := 0; i < 9; i++ {
			take(t, &p, t0) // in flight, not answered
		}
		// The only slot that can free is the answered one, an hour after its answer.
		if d := waits(t, &p, t0.Add(10*time.Minute)); d != 50*time.Minute {
			t.Errorf("wait = %s, want 50m", d)
		}
		take(t, &p, t0.Add(time.Hour))
	})
	t.Run("a late answer never raises the count", func(t *testing.T) {
		var p Pacer
		first := take(t, &p, t0)
		var rs []*Reservation
		for i := 1; i < 300; i++ {
			rs = append(rs, take(t, &p, t0))
		}
		first.Done(budget(300, 299), t0.Add(time.Second))
		// Answers computed early arrive last and say much is left: 300 slots are still taken.
		for i, r := range rs {
			r.Done(budget(300, 299-i/2), t0.Add(2*time.Second))
		}
		if got := p.RateLimit(); got != budget(300, 0) {
			t.Errorf("RateLimit() = %+v, want 0 left", got)
		}
		if d := waits(t, &p, t0.Add(time.Minute)); d != 59*time.Minute+time.Second {
			t.Errorf("request 301 waits %s, want until the first answer is an hour old (59m1s)", d)
		}
	})
	t.Run("the window rolls one slot at a time", func(t *testing.T) {
		p := Pacer{Window: time.Second}
		for i := 0; i < 3; i++ {
			at := t0.Add(time.Duration(i) * 100 * time.Millisecond)
			take(t, &p, at).Done(budget(3, 2-i), at)
		}
		if d := waits(t, &p, t0.Add(500*time.Millisecond)); d != 500*time.Millisecond {
			t.Errorf("wait = %s, want 500ms", d)
		}
		take(t, &p, t0.Add(time.Second))
		if d := waits(t, &p, t0.Add(time.Second)); d != 100*time.Millisecond {
			t.Errorf("second wait = %s, want 100ms", d)
		}
	})
	t.Run("a settled slot wakes the waiters", func(t *testing.T) {
		var p Pacer
		take(t, &p, t0).Done(budget(2, 1), t0)
		inflight := take(t, &p, t0)
		_, wait, wake := p.tryReserve(t0)
		if wake == nil || wait != time.Hour {
			t.Fatalf("wait = %s, wake = %v; want a full window and a wake channel", wait, wake)
		}
		inflight.Done(budget(2, 0), t0.Add(time.Second))
		select {
		case <-wake:
		default:
			t.Error("Done did not wake the waiting caller")
		}
	})
	t.Run("budget spent by another client: probe once a slot can have refilled", func(t *testing.T) {
		var p Pacer
		take(t, &p, t0).Done(budget(3600, 0), t0) // another client spent the rest
		if got := p.RateLimit(); got != budget(3600, 0) {
			t.Fatalf("RateLimit() = %+v, want 0 left", got)
		}
		if d := waits(t, &p, t0); d != time.Second {
			t.Errorf("wait = %s, want one refill interval (1s)", d)
		}
		probe := take(t, &p, t0.Add(time.Second))
		if d := waits(t, &p, t0.Add(time.Second)); d <= 0 {
			t.Error("a second request went out beside the probe")
		}
		probe.Done(budget(3600, 0), t0.Add(2*time.Second)) // still spent: the gap doubles
		if d := waits(t, &p, t0.Add(2*time.Second)); d != 2*time.Second {
			t.Errorf("wait after an empty probe = %s, want 2s", d)
		}
		probe = take(t, &p, t0.Add(4*time.Second))
		probe.Done(budget(3600, 3000), t0.Add(4*time.Second)) // the window refilled
		for i := 0; i < 3000; i++ {                           // 3 own slots and 597 of others explain the 600 spent
			take(t, &p, t0.Add(4*time.Second))
		}
		if got := p.RateLimit(); got != budget(3600, 0) {
			t.Errorf("RateLimit() after the refill = %+v, want 0 left", got)
		}
	})
	t.Run("block holds everyone", func(t *testing.T) {
		var p Pacer
		p.Block(t0.Add(30 * time.Second))
		for i := 0; i < 3; i++ {
			if d := waits(t, &p, t0); d != 30*time.Second {
				t.Errorf("wait = %s, want 30s", d)
			}
		}
		take(t, &p, t0.Add(31*time.Second))
	})
}

func TestPacerReserveHonoursContext(t *testing.T) {
	var p Pacer
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	take(t, &p, now).Done(budget(1, 0), now)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Reserve(ctx, func() time.Time { return now }, sleepCtx); err != context.Canceled {
		t.Errorf("Reserve on a cancelled context = %v, want context.Canceled", err)
	}
}

// budgetServer answers like App Store Connect's rolling-hour budget, on the shared fake clock.
type budgetServer struct {
	mu    sync.Mutex
	limit int
	now   func() time.Time
	sent  []time.Time
	n429  int
	total int
}

func (b *budgetServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	kept := b.sent[:0]
	for _, s := range b.sent {
		if now.Sub(s) < time.Hour {
			kept = append(kept, s)
		}
	}
	b.sent = kept
	b.total++
	if len(b.sent) >= b.limit {
		b.n429++
		w.Header().Set("X-Rate-Limit", fmt.Sprintf("user-hour-lim:%d;user-hour-rem:0;", b.limit))
		writeRaw(w, 429, `{"errors":[{"status":"429","code":"RATE_LIMIT_EXCEEDED","title":"t","detail":"d"}]}`)
		return
	}
	b.sent = append(b.sent, now)
	w.Header().Set("X-Rate-Limit", fmt.Sprintf("user-hour-lim:%d;user-hour-rem:%d;", b.limit, b.limit-len(b.sent)))
	writeRaw(w, 200, `{"data":{"type":"apps","id":"1","attributes":{"bundleId":"a"}}}`)
}

func TestPacerKeepsSharedBudget(t *testing.T) {
	pacer := NewPacer()
	env := setup(t, WithPacer(pacer))
	bs := &budgetServer{limit: 50, now: env.clock.Now}
	env.mux.Handle("/v1/apps/1", bs)
	// A second client of the same key, sharing the pacer and the clock.
	other, err := NewClient(teamCreds(t), WithBaseURL(env.server.URL+prefix), WithClock(env.clock.Now),
		WithSleep(env.clock.Sleep), WithPacer(pacer))
	if err != nil {
		t.Fatal(err)
	}
	start := env.clock.Now()
	for i := 0; i < 120; i++ {
		c := env.client
		if i%2 == 1 {
			c = other
		}
		if _, _, err := c.Apps.Get(context.Background(), "1"); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	if bs.n429 != 0 {
		t.Errorf("server answered 429 %d times; the pacer should have kept under the budget", bs.n429)
	}
	if elapsed := env.clock.Now().Sub(start); elapsed < time.Hour {
		t.Errorf("120 requests on a 50/hour budget took %s; they cannot fit in under an hour", elapsed)
	}
	if got := env.client.RateLimit(); !got.Known || got.Limit != 50 {
		t.Errorf("RateLimit() = %+v", got)
	}
}

// TestPacerNo429AtAnyConcurrency: however many goroutines share the pacer, a rolling budget of
// 50 is never overrun once the first answer told it (the clock is fake: sleeping moves it).
func TestPacerNo429AtAnyConcurrency(t *testing.T) {
	for _, workers := range []int{1, 8, 32} {
		t.Run(fmt.Sprintf("%d goroutines", workers), func(t *testing.T) {
			pacer := NewPacer()
			env := setup(t, WithPacer(pacer))
			bs := &budgetServer{limit: 50, now: env.clock.Now}
			env.mux.Handle("/v1/apps/1", bs)
			if _, _, err := env.client.Apps.Get(context.Background(), "1"); err != nil {
				t.Fatal(err) // the first answer tells the budget
			}
			var wg sync.WaitGroup
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < 200/workers; i++ {
						if _, _, err := env.client.Apps.Get(context.Background(), "1"); err != nil {
							t.Errorf("get: %v", err)
							return
						}
					}
				}()
			}
			wg.Wait()
			if bs.n429 != 0 {
				t.Errorf("%d answers 429 of %d requests", bs.n429, bs.total)
			}
		})
	}
}
