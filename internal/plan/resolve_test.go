package plan

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestResolve(t *testing.T) {
	conflicted := func(k Key, l, r, b Value) Input {
		in := Input{Local: map[Key]Value{}, Remote: map[Key]Value{}, Base: map[Key]Value{}, Version: editable, Resources: existing("de-DE")}
		put(in.Local, k, l)
		put(in.Remote, k, r)
		put(in.Base, k, b)
		return in
	}
	tests := []struct {
		name     string
		in       Input
		key      Key
		keep     Side
		want     outcome
		wantSet  bool
		wantCall Calls
	}{
		{name: "text both changed, keep local: push", in: conflicted(desc, TextValue("l"), TextValue("r"), TextValue("b")), key: desc, keep: KeepLocal,
			want: outcome{Update, "resolved: keep local (changed on both sides)", base(TextValue("l"))}, wantCall: Calls{Patch: 1}},
		{name: "text both changed, keep remote: pull", in: conflicted(desc, TextValue("l"), TextValue("r"), TextValue("b")), key: desc, keep: KeepRemote,
			want: outcome{Pull, "resolved: keep remote (changed on both sides)", base(TextValue("r"))}},
		{name: "first sync, keep local", in: conflicted(desc, TextValue("l"), TextValue("r"), Value{}), key: desc, keep: KeepLocal,
			want: outcome{Update, "resolved: keep local (first sync, both sides differ)", base(TextValue("l"))}, wantCall: Calls{Patch: 1}},
		{name: "deleted remotely, keep local: create again", in: conflicted(desc, TextValue("l"), Value{}, TextValue("l")), key: desc, keep: KeepLocal,
			want: outcome{Create, "resolved: keep local (deleted remotely)", base(TextValue("l"))}, wantCall: Calls{Patch: 1}},
		{name: "deleted remotely, keep remote: pull an absent value removes the file, base goes", in: conflicted(desc, TextValue("l"), Value{}, TextValue("l")), key: desc, keep: KeepRemote,
			want: outcome{Pull, "resolved: keep remote (deleted remotely)", &Value{}}},
		{name: "media changed remotely, keep local: upload", in: conflicted(shot67, local("a"), remote("b"), ChecksumValue("a")), key: shot67, keep: KeepLocal,
			want: outcome{Update, "resolved: keep local (changed remotely)", base(ChecksumValue("a"))}, wantSet: true,
			wantCall: Calls{Delete: 1, Reserve: 1, Commit: 1, Poll: 1}},
		{name: "media changed remotely, keep remote: download", in: conflicted(shot67, local("a"), remote("b"), ChecksumValue("a")), key: shot67, keep: KeepRemote,
			want: outcome{Pull, "resolved: keep remote (changed remotely)", base(ChecksumValue("b"))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op, err := Resolve(tt.in, tt.key, tt.keep)
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if diff := cmp.Diff(tt.want, outcomeOf(op)); diff != "" {
				t.Errorf("op (-want +got):\n%s", diff)
			}
			if (op.Set != nil) != tt.wantSet {
				t.Errorf("set plan = %v, want one: %v", op.Set, tt.wantSet)
			}
			if diff := cmp.Diff(tt.wantCall, op.Calls); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}

			// The same decision through Input.Resolved, and the next Compute after the op
			// ran and its base was stored finds the key in sync.
			in := tt.in
			in.Resolved = map[Key]Side{tt.key: tt.keep}
			if diff := cmp.Diff(op, mustOp(t, in, tt.key)); diff != "" {
				t.Errorf("Input.Resolved op differs from Resolve (-resolve +compute):\n%s", diff)
			}
			after := Input{Local: map[Key]Value{}, Remote: map[Key]Value{}, Base: map[Key]Value{}, Version: editable, Resources: tt.in.Resources}
			if op.Kind == Pull {
				put(after.Local, tt.key, op.Remote)
				put(after.Remote, tt.key, op.Remote)
			} else {
				put(after.Local, tt.key, op.Local)
				put(after.Remote, tt.key, op.Local)
			}
			put(after.Base, tt.key, *op.NewBase)
			if next, ok := Compute(after).Op(tt.key); ok && next.Kind != InSync {
				t.Errorf("after executing, next op = %s %q, want in sync", next.Kind, next.Reason)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	in := Input{Local: map[Key]Value{desc: TextValue("x")}, Remote: map[Key]Value{desc: TextValue("x")}, Version: editable}
	if _, err := Resolve(in, desc, KeepLocal); !errors.Is(err, ErrNotInConflict) {
		t.Errorf("in-sync key: err = %v, want ErrNotInConflict", err)
	}
	if _, err := Resolve(in, "de-DE/keyword", KeepLocal); !errors.Is(err, ErrNotInConflict) {
		t.Errorf("unmanaged key: err = %v, want ErrNotInConflict", err)
	}
	var kerr *KeyError
	if _, err := Resolve(in, "de-DE/descriptions", KeepLocal); !errors.As(err, &kerr) {
		t.Errorf("bad key: err = %v, want *KeyError", err)
	}
	if _, err := Resolve(in, desc, "mine"); err == nil || errors.Is(err, ErrNotInConflict) {
		t.Errorf("bad side: err = %v, want an unknown-side error", err)
	}
}

// TestResolvedIgnoredWithoutConflict checks that a stale resolution never forces a push.
func TestResolvedIgnoredWithoutConflict(t *testing.T) {
	in := Input{
		Local: map[Key]Value{desc: TextValue("l")}, Remote: map[Key]Value{desc: TextValue("r")}, Base: map[Key]Value{desc: TextValue("l")},
		Version: editable, Resources: existing("de-DE"), Resolved: map[Key]Side{desc: KeepLocal},
	}
	if op := mustOp(t, in, desc); op.Kind != Pull {
		t.Errorf("kind = %s, want pull: a resolution only applies to a conflict", op.Kind)
	}
}
