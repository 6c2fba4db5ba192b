package engine

import (
	"context"
	"testing"

	"github.com/storesyncer/storesyncer/internal/plan"
)

// TestPlanReuse plans from the engine's last read: a file whose key is not named as changed
// keeps the value read before, a named one is read again, and a plan without Reuse (or after
// the engine wrote into the collection) reads everything.
func TestPlanReuse(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, nil)
	if _, err := e.eng.AddApp(ctx, demo, "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.eng.Plan(ctx, demo, PlanOptions{LocalOnly: true}); err != nil {
		t.Fatal(err)
	}
	e.write("keyword/ja.txt", []byte("新しい\n"))
	e.write("description/ja.txt", []byte("Changed but not named\n"))
	local := func(opts PlanOptions) (keyword, description string) {
		t.Helper()
		pr, err := e.eng.Plan(ctx, demo, opts)
		if err != nil {
			t.Fatal(err)
		}
		return pr.Input.Local["ja/keyword"].Text, pr.Input.Local["ja/description"].Text
	}
	kw, desc := local(PlanOptions{LocalOnly: true, Reuse: true, Changed: []plan.Key{"ja/keyword"}})
	if kw != "新しい" || desc == "Changed but not named" {
		t.Errorf("reused plan: keyword %q, description %q; want the new keyword and the earlier description", kw, desc)
	}
	if _, desc = local(PlanOptions{LocalOnly: true, Reuse: true}); desc == "Changed but not named" {
		t.Errorf("reused plan without changes read the description again: %q", desc)
	}
	if _, desc = local(PlanOptions{LocalOnly: true}); desc != "Changed but not named" {
		t.Errorf("plan without Reuse: description %q, want the file's", desc)
	}
	// A pull writes into the collection: the next reused plan reads what it wrote.
	e.write("description/ja.txt", []byte("Before the pull\n"))
	if _, err := e.eng.Pull(ctx, demo, PullOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	if _, desc = local(PlanOptions{LocalOnly: true, Reuse: true}); desc == "Before the pull" || desc == "Changed but not named" {
		t.Errorf("reused plan after a pull: description %q, want the pulled one", desc)
	}
}
