package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// TestPlanAnotherCollection plans what activating a collection would do, without a request
// and without touching the active one.
func TestPlanAnotherCollection(t *testing.T) {
	e := newTestEnv(t, nil)
	ctx := context.Background()
	addAppAndCollection(t, e, "christmas")
	xmas := e.ws.CollectionDir(demo, "christmas")
	if err := os.WriteFile(filepath.Join(xmas, "keyword", "ja.txt"), []byte("クリスマス\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e.sim.ResetJournal()
	pr, err := e.eng.Plan(ctx, demo, PlanOptions{Collection: "christmas", LocalOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if pr.Collection != "christmas" {
		t.Errorf("planned %s, want christmas", pr.Collection)
	}
	var writes []plan.Key
	for _, op := range pr.Plan.Ops {
		if op.Kind.Writes() {
			writes = append(writes, op.Key)
		}
	}
	if diff := cmp.Diff([]plan.Key{"ja/keyword"}, writes); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	if n := len(e.sim.APICalls()); n != 0 {
		t.Errorf("%d API calls for a local-only plan of another collection, want 0", n)
	}
	active, err := e.eng.Plan(ctx, demo, PlanOptions{LocalOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range active.Plan.Ops {
		if op.Kind.Writes() {
			t.Errorf("the active collection plans %s %s after planning another", op.Kind, op.Key)
		}
	}
	if _, err := e.eng.Plan(ctx, demo, PlanOptions{Collection: "nope"}); !errors.Is(err, workspace.ErrNotFound) {
		t.Errorf("a missing collection: %v, want ErrNotFound", err)
	}
}
