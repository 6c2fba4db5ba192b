package plan

import (
	"testing"
)

// TestOwnWork: a set StoreSyncer itself left half-way (an interrupted push) is finished, not
// reported as a change on the web; anything it did not do still is.
func TestOwnWork(t *testing.T) {
	mine := func(ids ...string) map[string]string {
		m := map[string]string{}
		for i := 0; i+1 < len(ids); i += 2 {
			m[ids[i]] = ids[i+1]
		}
		return m
	}
	abc := remote("a", "b", "c") // id-1, id-2, id-3
	tests := []struct {
		name       string
		l, r       Value
		b          *Value
		own        OwnWork
		wantKind   Kind
		wantReason string
		wantOrder  []string
	}{
		{"committed, not yet swapped: keeps its upload, deletes the old ones",
			local("x", "y", "z"), withAsset(abc, "new-1", StateComplete, "x"), base(ChecksumValue("a", "b", "c")),
			OwnWork{Created: mine("new-1", "x")}, Update, "changed locally", []string{"new-1", "new:y", "new:z"}},
		{"one swapped: the gap is its own delete",
			local("x", "y", "z"), withAsset(Value{Assets: abc.Assets[1:]}, "new-1", StateComplete, "x"), base(ChecksumValue("a", "b", "c")),
			OwnWork{Created: mine("new-1", "x"), Deleted: mine("id-1", "a")}, Update, "changed locally", []string{"new-1", "new:y", "new:z"}},
		{"own upload still processing: waited for, not held",
			local("x", "b", "c"), withAsset(abc, "new-1", StateProcessing, ""), base(ChecksumValue("a", "b", "c")),
			OwnWork{Created: mine("new-1", "x")}, Update, "changed locally", []string{"new-1", "id-2", "id-3"}},
		{"new set, half uploaded: still new, not a first-sync conflict",
			local("x", "y"), withAsset(Value{}, "new-1", StateComplete, "x"), nil,
			OwnWork{Created: mine("new-1", "x")}, Create, "new", []string{"new-1", "new:y"}},
		{"an asset it did not create is a conflict",
			local("x", "y", "z"), withAsset(withAsset(abc, "new-1", StateComplete, "x"), "web-1", StateComplete, "w"), base(ChecksumValue("a", "b", "c")),
			OwnWork{Created: mine("new-1", "x")}, Conflict, "changed on both sides", nil},
		{"a delete it journaled but never sent deletes nothing: the web's delete is a conflict",
			local("x", "y", "z"), remote("a", "b"), base(ChecksumValue("a", "b", "c")),
			OwnWork{Deleted: mine("id-1", "a")}, Conflict, "changed on both sides", nil},
		{"done but not recorded (killed after the reorder): an op with no request settles it",
			local("x", "y"), withAsset(withAsset(Value{}, "new-1", StateComplete, "x"), "new-2", StateComplete, "y"), base(ChecksumValue("a", "b")),
			OwnWork{Created: mine("new-1", "x", "new-2", "y"), Deleted: mine("id-1", "a", "id-2", "b")}, Update, "finish an interrupted upload", []string{"new-1", "new-2"}},
		{"folder put back after a crash: its own uploads are cleaned up",
			local("a", "b", "c"), withAsset(withAsset(abc, "new-1", StateComplete, "x"), "new-2", StateAwaitingUpload, ""), base(ChecksumValue("a", "b", "c")),
			OwnWork{Created: mine("new-1", "x", "new-2", "y")}, Update, "finish an interrupted upload", []string{"id-1", "id-2", "id-3"}},
		{"settled work (the base holds it) is ignored",
			local("z"), remote("x"), base(ChecksumValue("x")),
			OwnWork{Created: mine("id-1", "x")}, Update, "changed locally", []string{"new:z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Input{Local: map[Key]Value{shot67: tt.l}, Remote: map[Key]Value{shot67: tt.r},
				Version: VersionInfo{ID: "v", State: "PREPARE_FOR_SUBMISSION"}, Resources: existing("de-DE"),
				Own: map[Key]OwnWork{shot67: tt.own}}
			in.Resources.Sets = map[Key]string{shot67: "set-1"}
			if tt.b != nil {
				in.Base = map[Key]Value{shot67: *tt.b}
			}
			op, _ := Compute(in).Op(shot67)
			if op.Kind != tt.wantKind || op.Reason != tt.wantReason {
				t.Fatalf("op = %s (%s), want %s (%s)", op.Kind, op.Reason, tt.wantKind, tt.wantReason)
			}
			if tt.wantOrder == nil {
				return
			}
			if tt.name == "done but not recorded (killed after the reorder): an op with no request settles it" && op.Calls.Total() != 0 {
				t.Errorf("calls = %+v, want none", op.Calls)
			}
			if tt.name == "folder put back after a crash: its own uploads are cleaned up" && op.Calls != (Calls{Delete: 2}) {
				t.Errorf("calls = %+v, want 2 deletes (its upload and its placeholder)", op.Calls)
			}
			var order []string
			for _, a := range op.Set.Order {
				if a.RemoteID != "" {
					order = append(order, a.RemoteID)
				} else {
					order = append(order, "new:"+a.Checksum)
				}
			}
			if len(order) != len(tt.wantOrder) {
				t.Fatalf("order = %v, want %v", order, tt.wantOrder)
			}
			for i := range order {
				if order[i] != tt.wantOrder[i] {
					t.Fatalf("order = %v, want %v", order, tt.wantOrder)
				}
			}
		})
	}
}
