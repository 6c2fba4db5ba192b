package plan

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// setCase is one set to plan: the op for key with local l, remote r and base b (B = R unless
// given, so the local side is pushed).
type setCase struct {
	name        string
	key         Key
	l, r, b     Value
	noSet       bool // the set does not exist remotely
	wantKind    Kind
	wantSteps   []string
	wantLeft    []string // leftover IDs
	wantReorder bool
	wantOrder   []string // RemoteID or "new:<checksum>"
	wantCalls   Calls
}

func TestSetPlan(t *testing.T) {
	ten := []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}
	tenNew := []string{"n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9"}
	tests := []setCase{
		{
			name: "new set of 3", key: shot67, l: local("a", "b", "c"), noSet: true, wantKind: Create,
			wantSteps: []string{"upload:a", "upload:b", "upload:c"},
			wantOrder: []string{"new:a", "new:b", "new:c"},
			wantCalls: Calls{Create: 1, Reserve: 3, Commit: 3, Poll: 1},
		},
		{
			name: "existing empty set: no set create", key: shot67, l: local("a"), wantKind: Create,
			r:         Value{}, // filled by Resources.Sets below
			wantSteps: []string{"upload:a"}, wantOrder: []string{"new:a"},
			wantCalls: Calls{Reserve: 1, Commit: 1, Poll: 1},
		},
		{
			name: "one replaced in the middle", key: shot67, l: local("a", "x", "c"), r: remote("a", "b", "c"), wantKind: Update,
			wantSteps: []string{"upload:x", "delete:id-2"}, wantReorder: true,
			wantOrder: []string{"id-1", "new:x", "id-3"},
			wantCalls: Calls{Delete: 1, Reserve: 1, Commit: 1, Poll: 1, Reorder: 1},
		},
		{
			name: "last one replaced: upload lands last, no reorder", key: shot67, l: local("a", "b", "x"), r: remote("a", "b", "c"), wantKind: Update,
			wantSteps: []string{"upload:x", "delete:id-3"},
			wantOrder: []string{"id-1", "id-2", "new:x"},
			wantCalls: Calls{Delete: 1, Reserve: 1, Commit: 1, Poll: 1},
		},
		{
			name: "full set of 10 replaced entirely swaps one at a time", key: shot67, l: local(tenNew...), r: remote(ten...), wantKind: Update,
			wantSteps: []string{
				"delete:id-1", "upload:n0", "delete:id-2", "upload:n1", "delete:id-3", "upload:n2", "delete:id-4", "upload:n3",
				"delete:id-5", "upload:n4", "delete:id-6", "upload:n5", "delete:id-7", "upload:n6", "delete:id-8", "upload:n7",
				"delete:id-9", "upload:n8", "delete:id-10", "upload:n9",
			},
			wantOrder: []string{"new:n0", "new:n1", "new:n2", "new:n3", "new:n4", "new:n5", "new:n6", "new:n7", "new:n8", "new:n9"},
			wantCalls: Calls{Delete: 10, Reserve: 10, Commit: 10, Poll: 1},
		},
		{
			name: "8 of 10 slots used, 4 replaced: upload while room, then swap", key: shot67,
			l: local("a", "b", "c", "d", "n1", "n2", "n3", "n4"), r: remote("a", "b", "c", "d", "e", "f", "g", "h"), wantKind: Update,
			wantSteps: []string{"upload:n1", "upload:n2", "delete:id-5", "upload:n3", "delete:id-6", "upload:n4", "delete:id-7", "delete:id-8"},
			wantOrder: []string{"id-1", "id-2", "id-3", "id-4", "new:n1", "new:n2", "new:n3", "new:n4"},
			wantCalls: Calls{Delete: 4, Reserve: 4, Commit: 4, Poll: 1},
		},
		{
			name: "order only: one reorder", key: shot67, l: local("c", "a", "b"), r: remote("a", "b", "c"), wantKind: Reorder,
			wantReorder: true, wantOrder: []string{"id-3", "id-1", "id-2"},
			wantCalls: Calls{Reorder: 1},
		},
		{
			name: "renamed files, same content and order: in sync", key: shot67,
			l: Value{Assets: []Asset{{Name: "home.png", Checksum: "a"}, {Name: "list.png", Checksum: "b"}}}, r: remote("a", "b"), wantKind: InSync,
		},
		{
			name: "duplicates: one more copy of an image is one upload", key: shot67, l: local("a", "a", "b"), r: remote("a", "b"), wantKind: Update,
			wantSteps: []string{"upload:a"}, wantReorder: true, wantOrder: []string{"id-1", "new:a", "id-2"},
			wantCalls: Calls{Reserve: 1, Commit: 1, Poll: 1, Reorder: 1},
		},
		{
			name: "duplicates: one copy fewer is one delete", key: shot67, l: local("a", "b"), r: remote("a", "a", "b"), wantKind: Update,
			wantSteps: []string{"delete:id-2"}, wantOrder: []string{"id-1", "id-3"},
			wantCalls: Calls{Delete: 1},
		},
		{
			name: "leftovers AWAITING_UPLOAD and FAILED are deleted first", key: shot67, l: local("a", "b"),
			r:         withAsset(withAsset(remote("a"), "stuck", StateAwaitingUpload, ""), "bad", StateFailed, "b"),
			b:         ChecksumValue("a"),
			wantKind:  Update,
			wantLeft:  []string{"stuck", "bad"},
			wantSteps: []string{"upload:b"}, wantOrder: []string{"id-1", "new:b"},
			wantCalls: Calls{Delete: 2, Reserve: 1, Commit: 1, Poll: 1},
		},
		{
			name: "leftovers in a set that is otherwise in sync are cleaned up", key: shot67, l: local("a"),
			r:        withAsset(remote("a"), "stuck", StateAwaitingUpload, ""),
			wantKind: Update, wantLeft: []string{"stuck"}, wantOrder: []string{"id-1"},
			wantCalls: Calls{Delete: 1},
		},
		{
			name: "leftovers free slots of a full set before uploads", key: shot67, l: local(append(ten[:9:9], "n")...),
			r:        withAsset(remote(ten[:9]...), "stuck", StateAwaitingUpload, ""),
			b:        ChecksumValue(ten[:9]...),
			wantKind: Update, wantLeft: []string{"stuck"},
			wantSteps: []string{"upload:n"},
			wantOrder: []string{"id-1", "id-2", "id-3", "id-4", "id-5", "id-6", "id-7", "id-8", "id-9", "new:n"},
			wantCalls: Calls{Delete: 1, Reserve: 1, Commit: 1, Poll: 1},
		},
		{
			name: "previews: full set of 3, one replaced, swapped", key: prev67, l: local("a", "b", "x"), r: remote("a", "b", "c"), wantKind: Update,
			wantSteps: []string{"delete:id-3", "upload:x"}, wantOrder: []string{"id-1", "id-2", "new:x"},
			wantCalls: Calls{Delete: 1, Reserve: 1, Commit: 1, Poll: 1},
		},
		{
			name: "previews: two of three slots, one added", key: prev67, l: local("a", "b", "c"), r: remote("a", "b"), wantKind: Update,
			wantSteps: []string{"upload:c"}, wantOrder: []string{"id-1", "id-2", "new:c"},
			wantCalls: Calls{Reserve: 1, Commit: 1, Poll: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Input{Local: map[Key]Value{tt.key: tt.l}, Remote: map[Key]Value{}, Base: map[Key]Value{},
				Version: editable, Resources: existing("de-DE")}
			if !tt.noSet {
				in.Resources.Sets = map[Key]string{tt.key: "set-1"}
			}
			if len(tt.r.Assets) > 0 {
				in.Remote[tt.key] = tt.r
			}
			b := tt.b
			if b.Assets == nil {
				b = ChecksumValue(tt.r.Checksums()...)
			}
			put(in.Base, tt.key, b)
			op := mustOp(t, in, tt.key)
			if op.Kind != tt.wantKind {
				t.Fatalf("kind = %s %q, want %s", op.Kind, op.Reason, tt.wantKind)
			}
			if diff := cmp.Diff(tt.wantCalls, op.Calls); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if op.Kind == InSync {
				return
			}
			if diff := cmp.Diff(tt.wantSteps, stepNames(t, op.Set)); diff != "" {
				t.Errorf("steps (-want +got):\n%s", diff)
			}
			var left, order []string
			for _, a := range op.Set.Leftovers {
				left = append(left, a.RemoteID)
			}
			for _, a := range op.Set.Order {
				if a.RemoteID == "" {
					order = append(order, "new:"+a.Checksum)
				} else {
					order = append(order, a.RemoteID)
				}
			}
			if diff := cmp.Diff(tt.wantLeft, left); diff != "" {
				t.Errorf("leftovers (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantOrder, order); diff != "" {
				t.Errorf("order (-want +got):\n%s", diff)
			}
			if op.Set.Reorder != tt.wantReorder {
				t.Errorf("reorder = %v, want %v", op.Set.Reorder, tt.wantReorder)
			}
			if op.Set.CreateSet != tt.noSet {
				t.Errorf("create set = %v, want %v", op.Set.CreateSet, tt.noSet)
			}
			checkSlots(t, tt.key, tt.r, op.Set)
		})
	}
}

// checkSlots replays a set plan and fails if the set ever holds more assets than it may.
func checkSlots(tb testing.TB, k Key, r Value, sp *SetPlan) {
	tb.Helper()
	kind, _, _ := k.Media()
	n := len(r.Assets) - len(sp.Leftovers)
	for i, st := range sp.Steps {
		if st.Action == Upload {
			n++
		} else {
			n--
		}
		if n > capacity(kind) {
			tb.Fatalf("after step %d (%s) the set holds %d assets, more than %d", i, st.Action, n, capacity(kind))
		}
	}
}

// TestSetPlanNeverOverfills replays every combination of remote fill and replaced count for
// both set kinds.
func TestSetPlanNeverOverfills(t *testing.T) {
	for _, kind := range []MediaKind{Screenshot, Preview} {
		max := capacity(kind)
		for have := 0; have <= max; have++ {
			for want := 1; want <= max; want++ {
				for keep := 0; keep <= min(have, want); keep++ {
					var rc, lc []string
					for i := range have {
						rc = append(rc, fmt.Sprint("r", i))
					}
					lc = append(lc, rc[:keep]...)
					for i := keep; i < want; i++ {
						lc = append(lc, fmt.Sprint("l", i))
					}
					sp := planSet(kind, local(lc...), remote(rc...), OwnWork{})
					checkSlots(t, MediaKey("de-DE", kind, "T"), remote(rc...), sp)
					if got, wantUp := countSteps(sp, Upload), want-keep; got != wantUp {
						t.Errorf("%s have %d want %d keep %d: %d uploads, want %d", kind, have, want, keep, got, wantUp)
					}
					if got, wantDel := countSteps(sp, DeleteAsset), have-keep; got != wantDel {
						t.Errorf("%s have %d want %d keep %d: %d deletes, want %d", kind, have, want, keep, got, wantDel)
					}
				}
			}
		}
	}
}

func countSteps(sp *SetPlan, a StepAction) int {
	n := 0
	for _, st := range sp.Steps {
		if st.Action == a {
			n++
		}
	}
	return n
}
