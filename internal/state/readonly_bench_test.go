package state

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkOpenReadOnly measures what a read command pays to read beside a running daemon:
// open the database read-only, check its schema, close it.
func BenchmarkOpenReadOnly(b *testing.B) {
	dir := b.TempDir()
	openStore(b, dir, newClock())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := OpenReadOnly(dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadOnlyBases200 measures reading a version's 200 bases through a read-only
// store while the owner keeps the database open, to compare with BenchmarkBases200.
func BenchmarkReadOnlyBases200(b *testing.B) {
	dir := b.TempDir()
	owner := openStore(b, dir, newClock())
	ctx := context.Background()
	values := map[string]string{}
	for i := 0; i < 200; i++ {
		values[fmt.Sprintf("l%d/description", i)] = "text"
	}
	if err := owner.SetBases(ctx, "com.a", "v1", values); err != nil {
		b.Fatal(err)
	}
	ro := openReadOnly(b, dir)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		got, err := ro.Bases(ctx, "com.a", "v1")
		if err != nil || len(got) != 200 {
			b.Fatal(err)
		}
	}
}
