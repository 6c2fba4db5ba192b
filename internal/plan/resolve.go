package plan

import (
	"errors"
	"fmt"
)

// ErrNotInConflict is returned by Resolve for a key whose op is not a conflict.
var ErrNotInConflict = errors.New("not in conflict")

// Resolve returns the op that settles the conflict of key k by keeping side keep: with
// KeepLocal a push of the local value (Update, Create, Reorder, or Held when the version does
// not allow it now), with KeepRemote a Pull of the remote value into the collection. Once the
// op has been executed, its NewBase is stored and the next Compute finds the key in sync.
//
// To settle keys for later (resolve --all while a daemon owns the pushes), put them in
// Input.Resolved instead; Resolve is Compute with just that entry.
//
// Resolve returns a *KeyError for a malformed key, an error wrapping ErrNotInConflict when
// the key is not in conflict (or not managed), and an error for an unknown side.
func Resolve(in Input, k Key, keep Side) (Op, error) {
	if _, err := ParseKey(string(k)); err != nil {
		return Op{}, err
	}
	if keep != KeepLocal && keep != KeepRemote {
		return Op{}, fmt.Errorf("resolve %s: unknown side %q; want local or remote", k, keep)
	}
	in.Resolved = nil
	op, ok := Compute(in).Op(k)
	if !ok || op.Kind != Conflict {
		return Op{}, fmt.Errorf("resolve %s: %w", k, ErrNotInConflict)
	}
	in.Resolved = map[Key]Side{k: keep}
	op, _ = Compute(in).Op(k)
	return op, nil
}
