package engine

import (
	"context"
	"testing"
)

// TestDeleteCollectionDropsItsFileHashes plans another collection, which fills the file-hash
// cache with its screenshots, then deletes it: its rows leave the state, the active
// collection's stay.
func TestDeleteCollectionDropsItsFileHashes(t *testing.T) {
	e := newTestEnv(t, nil)
	ctx := context.Background()
	addAppAndCollection(t, e, "christmas")
	for _, name := range []string{"main", "christmas"} {
		if _, err := e.eng.Plan(ctx, demo, PlanOptions{Collection: name, LocalOnly: true}); err != nil {
			t.Fatal(err)
		}
	}
	rows := func(name string) int {
		t.Helper()
		got, err := e.store.FileHashes(ctx, e.ws.CollectionDir(demo, name))
		if err != nil {
			t.Fatal(err)
		}
		return len(got)
	}
	main, xmas := rows("main"), rows("christmas")
	if main == 0 || xmas != main {
		t.Fatalf("cached files: main %d, christmas %d; want the same number, not 0", main, xmas)
	}
	if err := e.eng.DeleteCollection(ctx, demo, "christmas"); err != nil {
		t.Fatal(err)
	}
	if got := rows("christmas"); got != 0 {
		t.Errorf("%d rows of the deleted collection are left", got)
	}
	if got := rows("main"); got != main {
		t.Errorf("main has %d rows after deleting another collection, want %d", got, main)
	}
}
