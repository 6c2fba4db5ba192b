package ascapi

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"
)

func TestPacerReserve(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	t.Run("unknown budget never waits", func(t *testing.T) {
		var p Pacer
		for i := 0; i < 100; i++ {
			if d := p.reserve(t0); d != 0 {
				t.Fatalf("call %d waits %s", i, d)
			}
		}
	})
	t.Run("plenty left never waits", func(t *testing.T) {
		var p Pacer
		p.Observe(RateLimit{Limit: 3600, Remaining: 3000, Known: true})
		for i := 0; i < 100; i++ {
			if d := p.reserve(t0); d != 0 {
				t.Fatalf("call %d waits %s", i, d)
			}
		}
	})
	t.Run("low budget spreads callers, more as it shrinks", func(t *testing.T) {
		var p Pacer
		p.Observe(RateLimit{Limit: 3600, Remaining: 360, Known: true})
		prev := time.Duration(-1)
		gap := time.Duration(0)
		for i := 0; i < 10; i++ {
			d := p.reserve(t0) // ten parallel callers at the same instant
			if i > 0 && d-prev < time.Second {
				t.Errorf("call %d only %s after the previous one", i, d-prev)
			}
			if i > 1 && d-prev < gap {
				t.Errorf("gap shrank from %s to %s while the budget shrank", gap, d-prev)
			}
			if i > 0 {
				gap = d - prev
			}
			prev = d
		}
	})
	t.Run("zero waits for the oldest send to leave the window", func(t *testing.T) {
		var p Pacer
		p.Observe(RateLimit{Limit: 3600, Remaining: 3000, Known: true})
		p.reserve(t0)
		p.reserve(t0.Add(time.Minute))
		p.Observe(RateLimit{Limit: 3600, Remaining: 0, Known: true})
		if d, want := p.reserve(t0.Add(10*time.Minute)), 50*time.Minute; d != want {
			t.Errorf("wait = %s, want %s", d, want)
		}
	})
	t.Run("zero without history waits one refill interval", func(t *testing.T) {
		var p Pacer
		p.Observe(RateLimit{Limit: 3600, Remaining: 0, Known: true})
		if d := p.reserve(t0); d != time.Second {
			t.Errorf("wait = %s, want 1s", d)
		}
	})
	t.Run("block holds everyone", func(t *testing.T) {
		var p Pacer
		p.Block(t0.Add(30 * time.Second))
		for i := 0; i < 3; i++ {
			if d := p.reserve(t0); d != 30*time.Second {
				t.Errorf("wait = %s, want 30s", d)
			}
		}
		if d := p.reserve(t0.Add(31 * time.Second)); d != 0 {
			t.Errorf("wait after block = %s, want 0", d)
		}
	})
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
