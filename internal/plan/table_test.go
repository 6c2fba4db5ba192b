package plan

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// outcome is what a sync-table row decides for one key.
type outcome struct {
	Kind    Kind
	Reason  string
	NewBase *Value
}

func outcomeOf(op Op) outcome { return outcome{Kind: op.Kind, Reason: op.Reason, NewBase: op.NewBase} }

// TestTextSyncTable checks every row of DESIGN.md §5 "Sync rules" for a text key.
func TestTextSyncTable(t *testing.T) {
	l, r, b, o := TextValue("local"), TextValue("remote"), TextValue("base"), TextValue("other")
	tests := []struct {
		name     string
		l, r, b  Value
		want     outcome
		wantNoOp bool
	}{
		{name: "L absent: nothing", r: r, b: b, wantNoOp: true},
		{name: "L absent, no base: nothing", r: r, wantNoOp: true},
		{name: "L = R, base equal", l: l, r: l, b: l, want: outcome{InSync, "", base(l)}},
		{name: "L = R, base stale: B := R", l: l, r: l, b: o, want: outcome{InSync, "", base(l)}},
		{name: "L = R, no base: B := R", l: l, r: l, want: outcome{InSync, "", base(l)}},
		{name: "B = R, L != R: push", l: l, r: r, b: r, want: outcome{Update, "changed locally", base(l)}},
		{name: "B = L, R != L: pull", l: l, r: r, b: l, want: outcome{Pull, "changed remotely", base(r)}},
		{name: "all differ: conflict", l: l, r: r, b: b, want: outcome{Conflict, "changed on both sides", nil}},
		{name: "no base, R absent: create", l: l, want: outcome{Create, "new", base(l)}},
		{name: "no base, R present, L != R: conflict", l: l, r: r, want: outcome{Conflict, "first sync, both sides differ", nil}},
		{name: "base, R absent: deleted remotely", l: l, b: b, want: outcome{Conflict, "deleted remotely", nil}},
		{name: "base = L, R absent: still deleted remotely", l: l, b: l, want: outcome{Conflict, "deleted remotely", nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Input{
				Local: map[Key]Value{}, Remote: map[Key]Value{}, Base: map[Key]Value{},
				Version: editable, Resources: existing("de-DE"),
			}
			put(in.Local, desc, tt.l)
			put(in.Remote, desc, tt.r)
			put(in.Base, desc, tt.b)
			p := Compute(in)
			op, ok := p.Op(desc)
			if tt.wantNoOp {
				if ok {
					t.Fatalf("got op %+v for an unmanaged key, want none", op)
				}
				if diff := cmp.Diff([]Key{desc}, p.Unmanaged); diff != "" {
					t.Errorf("Unmanaged (-want +got):\n%s", diff)
				}
				return
			}
			if !ok {
				t.Fatal("no op")
			}
			if diff := cmp.Diff(tt.want, outcomeOf(op)); diff != "" {
				t.Errorf("op (-want +got):\n%s", diff)
			}
			wantCalls := Calls{}
			if tt.want.Kind == Update || tt.want.Kind == Create {
				wantCalls.Patch = 1 // the localization exists: a new field is a PATCH too
			}
			if diff := cmp.Diff(wantCalls, op.Calls); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMediaSyncTable checks every row of the sync table for a screenshot set; media that
// changed remotely is a conflict, never a pull.
func TestMediaSyncTable(t *testing.T) {
	l, r, b := local("a", "b"), remote("a", "c"), remote("x")
	tests := []struct {
		name     string
		l, r, b  Value
		want     outcome
		wantNoOp bool
	}{
		{name: "L absent: nothing", r: r, b: b, wantNoOp: true},
		{name: "L = R: in sync, B := R checksums", l: l, r: remote("a", "b"), want: outcome{InSync, "", base(ChecksumValue("a", "b"))}},
		{name: "L = R with different file names", l: local("a", "b"), r: remote("a", "b"), b: ChecksumValue("z"), want: outcome{InSync, "", base(ChecksumValue("a", "b"))}},
		{name: "B = R, L != R: push", l: l, r: r, b: ChecksumValue("a", "c"), want: outcome{Update, "changed locally", base(ChecksumValue("a", "b"))}},
		{name: "B = L, R != L: changed remotely is a conflict", l: l, r: r, b: ChecksumValue("a", "b"), want: outcome{Conflict, "changed remotely", nil}},
		{name: "all differ: conflict", l: l, r: r, b: b, want: outcome{Conflict, "changed on both sides", nil}},
		{name: "no base, R absent: create", l: l, want: outcome{Create, "new", base(ChecksumValue("a", "b"))}},
		{name: "no base, R present, L != R: conflict", l: l, r: r, want: outcome{Conflict, "first sync, both sides differ", nil}},
		{name: "base, R absent: deleted remotely", l: l, b: ChecksumValue("a", "b"), want: outcome{Conflict, "deleted remotely", nil}},
		{name: "order only differs is not equal", l: local("b", "a"), r: remote("a", "b"), b: ChecksumValue("a", "b"), want: outcome{Reorder, "order changed locally", base(ChecksumValue("b", "a"))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Input{
				Local: map[Key]Value{}, Remote: map[Key]Value{}, Base: map[Key]Value{},
				Version: editable, Resources: existing("de-DE"),
			}
			put(in.Local, shot67, tt.l)
			put(in.Remote, shot67, tt.r)
			put(in.Base, shot67, tt.b)
			p := Compute(in)
			op, ok := p.Op(shot67)
			if tt.wantNoOp {
				if ok {
					t.Fatalf("got op %+v for an unmanaged set, want none", op)
				}
				if diff := cmp.Diff([]Key{shot67}, p.Unmanaged); diff != "" {
					t.Errorf("Unmanaged (-want +got):\n%s", diff)
				}
				return
			}
			if !ok {
				t.Fatal("no op")
			}
			if diff := cmp.Diff(tt.want, outcomeOf(op)); diff != "" {
				t.Errorf("op (-want +got):\n%s", diff)
			}
			if op.Kind.Writes() != (op.Set != nil) {
				t.Errorf("kind %s with set plan %v: a media write needs a set plan, nothing else has one", op.Kind, op.Set)
			}
		})
	}
}
