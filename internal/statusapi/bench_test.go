package statusapi

import (
	"context"
	"errors"
	"testing"
	"time"
)

// BenchmarkStatusRoundTrip measures one authorized GET /api/v1/status over loopback, as
// `storesyncer status` makes it.
func BenchmarkStatusRoundTrip(b *testing.B) {
	st := Status{Apps: []AppStatus{{BundleID: "com.example.app", Platform: "IOS", ActiveCollection: "main"}}, Queue: Queue{Pending: 3}}
	ts := startServer(b, &fakeBackend{status: func() Status { return st }}, nil)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ts.client.Status(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEventStream measures live events delivered through SSE to a Client, per event.
func BenchmarkEventStream(b *testing.B) {
	live := make(chan Event, 1024)
	fb := &fakeBackend{subscribe: func(context.Context) (<-chan Event, func()) { return live, func() {} }}
	ts := startServer(b, fb, nil)
	at := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	go func() {
		for i := range b.N {
			live <- Event{ID: int64(i + 1), Time: at, Type: "job.completed", App: "com.example.app", Data: []byte(`{"job":7}`)}
		}
	}()
	n := 0
	b.ResetTimer()
	err := ts.client.Events(context.Background(), LiveOnly, func(Event) error {
		n++
		if n == b.N {
			return errStop
		}
		return nil
	})
	if !errors.Is(err, errStop) {
		b.Fatal(err)
	}
}
