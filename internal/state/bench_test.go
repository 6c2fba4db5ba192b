package state

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkUpsert measures queueing an intent (one write transaction on a real file).
func BenchmarkUpsert(b *testing.B) {
	s := openStore(b, b.TempDir(), newClock())
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Upsert(ctx, intent(fmt.Sprintf("r%d", i%500), fmt.Sprint(i))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClaimComplete measures one job's round trip through a worker: claim, complete.
func BenchmarkClaimComplete(b *testing.B) {
	c := newClock()
	s := openStore(b, b.TempDir(), c)
	ctx := context.Background()
	for i := 0; i < 100; i++ {
		mustUpsert(b, s, intent(fmt.Sprintf("r%d", i), "h"))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		jobs, err := s.Claim(ctx, c.Now(), 1)
		if err != nil || len(jobs) != 1 {
			b.Fatalf("claim: %v %v", jobs, err)
		}
		if err := s.Complete(ctx, jobs[0].ID); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Upsert(ctx, intent(jobs[0].Resource, fmt.Sprint(i))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSetBases200 measures re-baselining a version with 200 keys (a pull of 20
// locales × 10 keys) in one transaction.
func BenchmarkSetBases200(b *testing.B) {
	s := openStore(b, b.TempDir(), newClock())
	ctx := context.Background()
	values := map[string]string{}
	for i := 0; i < 200; i++ {
		values[fmt.Sprintf("l%d/description", i)] = "text"
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.SetBases(ctx, "com.a", "v1", values); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBases200 measures reading a version's 200 bases.
func BenchmarkBases200(b *testing.B) {
	s := openStore(b, b.TempDir(), newClock())
	ctx := context.Background()
	values := map[string]string{}
	for i := 0; i < 200; i++ {
		values[fmt.Sprintf("l%d/description", i)] = "text"
	}
	if err := s.SetBases(ctx, "com.a", "v1", values); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		got, err := s.Bases(ctx, "com.a", "v1")
		if err != nil || len(got) != 200 {
			b.Fatal(err)
		}
	}
}
