package daemon

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/statusapi"
	"github.com/storesyncer/storesyncer/watcher/clock"
)

// Event types the daemon records on top of the engine's own.
const (
	EventJobQueued     = "job.queued"
	EventJobCompleted  = "job.completed"
	EventJobFailed     = "job.failed"
	EventJobHeld       = "job.held"
	EventJobDropped    = "job.dropped"
	EventUploaded      = "asset.uploaded"
	EventPulled        = "pull.applied"
	EventConflict      = "conflict.detected"
	EventAppSkipped    = "app.skipped"
	EventAppWatching   = "app.watching"
	EventRemotePolled  = "remote.polled"
	EventDaemonStarted = "daemon.started"
)

// hubPollInterval is how often the hub reads the events table when nobody poked it: the
// engine records events of its own without telling the daemon.
const hubPollInterval = time.Second

// subBuffer is how many events a slow subscriber may lag behind before it is dropped (its
// SSE client reconnects and replays from the table).
const subBuffer = 256

// hub streams the events table to subscribers, in ID order, as rows appear. Its methods are
// safe for concurrent use; Run reads the table.
type hub struct {
	store *state.Store
	clock clock.Clock
	log   *slog.Logger
	poke  chan struct{}

	mu   sync.Mutex
	subs map[int]chan statusapi.Event
	next int
	last int64 // the newest event sent
}

func newHub(store *state.Store, clk clock.Clock, log *slog.Logger) *hub {
	return &hub{store: store, clock: clk, log: log, poke: make(chan struct{}, 1), subs: map[int]chan statusapi.Event{}}
}

// add records an event and wakes the hub. A failure is logged: the work it reports is done.
func (h *hub) add(ctx context.Context, typ, app string, data any) {
	b, err := json.Marshal(data)
	if err == nil {
		_, err = h.store.AddEvent(ctx, state.Event{Time: h.clock.Now(), Type: typ, App: app, Data: b})
	}
	if err != nil {
		h.log.Warn("record event", "type", typ, "app", app, "error", err)
		return
	}
	h.wake()
}

// wake makes Run read the table now.
func (h *hub) wake() {
	select {
	case h.poke <- struct{}{}:
	default:
	}
}

// subscribe returns a channel of events recorded from now on and a function that ends the
// subscription. The channel is closed when the subscription ends, ctx is done, or the
// subscriber fell subBuffer events behind.
func (h *hub) subscribe(ctx context.Context) (<-chan statusapi.Event, func()) {
	ch := make(chan statusapi.Event, subBuffer)
	h.mu.Lock()
	id := h.next
	h.next++
	h.subs[id] = ch
	h.mu.Unlock()
	var once sync.Once
	cancel := func() {
		once.Do(func() {
			h.mu.Lock()
			if _, ok := h.subs[id]; ok {
				delete(h.subs, id)
				close(ch)
			}
			h.mu.Unlock()
		})
	}
	go func() {
		<-ctx.Done()
		cancel()
	}()
	return ch, cancel
}

// run sends new rows to subscribers until ctx is done, then ends every subscription.
func (h *hub) run(ctx context.Context) error {
	last, err := h.store.LastEventID(ctx)
	if err != nil {
		return err
	}
	h.mu.Lock()
	h.last = last
	h.mu.Unlock()
	tick := make(chan struct{}, 1)
	var timer clock.Timer
	arm := func() {
		timer = h.clock.AfterFunc(hubPollInterval, func() {
			select {
			case tick <- struct{}{}:
			default:
			}
		})
	}
	arm()
	defer func() {
		timer.Stop()
		h.mu.Lock()
		for id, ch := range h.subs {
			delete(h.subs, id)
			close(ch)
		}
		h.mu.Unlock()
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-h.poke:
		case <-tick:
			arm()
		}
		h.flush(ctx)
	}
}

// flush reads the rows after the last one sent and hands them to every subscriber.
func (h *hub) flush(ctx context.Context) {
	h.mu.Lock()
	after := h.last
	h.mu.Unlock()
	for {
		evs, err := h.store.Events(ctx, after, 500)
		if err != nil {
			if ctx.Err() == nil {
				h.log.Warn("read events", "error", err)
			}
			return
		}
		if len(evs) == 0 {
			return
		}
		h.mu.Lock()
		for _, e := range evs {
			out := toAPIEvent(e)
			for id, ch := range h.subs {
				select {
				case ch <- out:
				default: // too slow: drop it, it resumes from the table
					delete(h.subs, id)
					close(ch)
				}
			}
			after = e.ID
		}
		h.last = after
		h.mu.Unlock()
	}
}

func toAPIEvent(e state.Event) statusapi.Event {
	return statusapi.Event{ID: e.ID, Time: e.Time, Type: e.Type, App: e.App, Data: e.Data}
}
