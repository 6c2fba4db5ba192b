package statusapi

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// eventLog is a fake event store: stored events plus a live channel the test feeds.
type eventLog struct {
	stored     []Event
	live       chan Event
	subscribed chan struct{}
}

func newEventLog(stored ...Event) *eventLog {
	return &eventLog{stored: stored, live: make(chan Event, 8), subscribed: make(chan struct{}, 8)}
}

func (l *eventLog) backend() *fakeBackend {
	return &fakeBackend{
		events: func(after int64, limit int) ([]Event, error) {
			var out []Event
			for _, ev := range l.stored {
				if ev.ID > after && len(out) < limit {
					out = append(out, ev)
				}
			}
			return out, nil
		},
		subscribe: func(ctx context.Context) (<-chan Event, func()) {
			l.subscribed <- struct{}{}
			return l.live, func() {}
		},
	}
}

func ev(id int64, typ string) Event {
	return Event{ID: id, Time: time.Date(2026, 11, 25, 12, 0, int(id), 0, time.UTC), Type: typ, App: "com.example.app", Data: json.RawMessage(`{"n":` + string(rune('0'+id)) + `}`)}
}

// collect streams events from c until n arrived.
func collect(tb testing.TB, c *Client, after int64, n int) []Event {
	tb.Helper()
	var got []Event
	err := c.Events(context.Background(), after, func(e Event) error {
		got = append(got, e)
		if len(got) == n {
			return errStop
		}
		return nil
	})
	if !errors.Is(err, errStop) {
		tb.Fatalf("Events = %v after %d events, want %d events", err, len(got), n)
	}
	return got
}

func TestEventsReplayThenLive(t *testing.T) {
	tests := []struct {
		name  string
		after int64
		live  []Event
		want  []Event
	}{
		{"replay after 1, then live", 1, []Event{ev(4, "job.completed")}, []Event{ev(2, "job.started"), ev(3, "job.completed"), ev(4, "job.completed")}},
		{"live duplicates of replayed events are dropped", 1, []Event{ev(3, "job.completed"), ev(4, "job.completed")}, []Event{ev(2, "job.started"), ev(3, "job.completed"), ev(4, "job.completed")}},
		{"replay all from 0", 0, nil, []Event{ev(1, "job.enqueued"), ev(2, "job.started"), ev(3, "job.completed")}},
		{"live only", LiveOnly, []Event{ev(9, "conflict.detected")}, []Event{ev(9, "conflict.detected")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := newEventLog(ev(1, "job.enqueued"), ev(2, "job.started"), ev(3, "job.completed"))
			for _, e := range tt.live {
				log.live <- e // delivered only after the replay, as a live subscription would
			}
			ts := startServer(t, log.backend(), nil)
			got := collect(t, ts.client, tt.after, len(tt.want))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEventsResetOnTrimmedGap(t *testing.T) {
	log := newEventLog(ev(5, "job.started"), ev(6, "job.completed"))
	ts := startServer(t, log.backend(), nil)
	got := collect(t, ts.client, 2, 3)
	if got[0].Type != EventReset || got[0].ID != 0 {
		t.Fatalf("first event = %+v, want a reset", got[0])
	}
	mustContain(t, string(got[0].Data), `"oldest":5`)
	if diff := cmp.Diff([]Event{ev(5, "job.started"), ev(6, "job.completed")}, got[1:]); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// TestEventsWireFormat reads the raw stream: SSE fields, the Last-Event-ID header winning over
// ?after=, and a heartbeat when the injected ticker fires.
func TestEventsWireFormat(t *testing.T) {
	log := newEventLog(ev(1, "job.enqueued"), ev(2, "job.started"))
	ts := startServer(t, log.backend(), nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", ts.base+"/api/v1/events?after=0", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+ts.token)
	req.Header.Set("Last-Event-ID", "1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("Content-Type = %q", ct)
	}
	r := bufio.NewReader(resp.Body)
	readFrame := func() string {
		t.Helper()
		var b strings.Builder
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("read stream: %v (so far %q)", err, b.String())
			}
			if line == "\n" {
				return b.String()
			}
			b.WriteString(line)
		}
	}
	data, _ := json.Marshal(ev(2, "job.started"))
	if got, want := readFrame(), "id: 2\nevent: job.started\ndata: "+string(data)+"\n"; got != want {
		t.Errorf("frame = %q, want %q", got, want)
	}
	<-log.subscribed
	ts.tick <- time.Now()
	if got := readFrame(); got != ": heartbeat\n" {
		t.Errorf("after a tick got %q, want a heartbeat comment", got)
	}
	log.live <- ev(3, "job.completed")
	mustContain(t, readFrame(), "id: 3\nevent: job.completed\n")
}

func TestWriteEventKeepsFramesIntact(t *testing.T) {
	rec := httptest.NewRecorder()
	if err := writeEvent(rec, Event{ID: 4, Type: "bad\ntype\r", Data: json.RawMessage(`{"text":"two\nlines"}`)}); err != nil {
		t.Fatal(err)
	}
	frames := strings.Split(strings.TrimSuffix(rec.Body.String(), "\n\n"), "\n\n")
	if len(frames) != 1 {
		t.Fatalf("one event became %d frames: %q", len(frames), rec.Body.String())
	}
	mustContain(t, frames[0], "event: bad_type_\n")
}
