package metrics

import (
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkAPIRequest is the cost the ascapi client pays per request (label checks included).
func BenchmarkAPIRequest(b *testing.B) {
	m := New(Config{})
	b.ReportAllocs()
	for b.Loop() {
		m.APIRequest("appScreenshotSets/relationships/appScreenshots", "PATCH", 204, 150*time.Millisecond)
	}
}

// BenchmarkWatcherEvent is the cost per file event.
func BenchmarkWatcherEvent(b *testing.B) {
	m := New(Config{})
	b.ReportAllocs()
	for b.Loop() {
		m.WatcherEvent("write")
	}
}

// BenchmarkValidationFailure is the cost per problem (the capped rule label takes a lock).
func BenchmarkValidationFailure(b *testing.B) {
	m := New(Config{})
	b.ReportAllocs()
	for b.Loop() {
		m.ValidationFailure("text.too_long")
	}
}

// BenchmarkScrape is one full /metrics exposition with every family populated.
func BenchmarkScrape(b *testing.B) {
	h := newTest(b).Handler()
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}
