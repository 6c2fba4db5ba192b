package engine

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/remote"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// PullResult is what a pull wrote.
type PullResult struct {
	// Collection is the collection pulled into, Dir its folder; Created is true when the
	// pull made it.
	Collection string
	Dir        string
	Created    bool
	// Version is the target version that was pulled.
	Version plan.VersionInfo
	// Texts and Sets are the keys whose files changed; Unchanged counts the keys that
	// already held App Store Connect's value.
	Texts     []plan.Key
	Sets      []plan.Key
	Unchanged int
	// Downloaded counts the bytes of downloaded images and previews; Calls the API requests.
	Downloaded int64
	Calls      int
	// Bases is true when the bases were set to what was pulled (a pull into the active
	// collection).
	Bases bool
	// Conflicts are the keys left alone because the folder holds a value that is not the
	// base (an edit not pushed yet, or a first sync where both sides differ): the file was
	// not touched and its base was not moved. PullOptions.Force takes the remote value.
	Conflicts []PullConflict
}

// PullConflict is a key a pull did not write over, with why.
type PullConflict struct {
	Key    plan.Key `json:"key"`
	Reason string   `json:"reason"`
}

// PullOptions are the choices of one pull. The zero value pulls into the active collection
// and never writes over a local edit.
type PullOptions struct {
	// Into is the collection to pull into; "" is the active one.
	Into string
	// Force writes App Store Connect's value over local edits too (pull --force).
	Force bool
}

// Reasons a pull leaves a key alone.
const (
	pullReasonLocalEdit = "changed locally, not pushed: push it, or pull --force to take App Store Connect's value"
	pullReasonBoth      = "changed on both sides: storesyncer resolve KEY --keep local|remote, or pull --force"
	pullReasonFirst     = "first sync, both sides differ: storesyncer resolve KEY --keep local|remote, or pull --force"
	pullReasonUnsynced  = "the file differs from App Store Connect and this collection is not synced: pull --force to replace it"
)

// Pull writes App Store Connect's state of the target version into collection into of the
// app ("" is the active one), making the collection when absent: every set text into its
// file, every set's COMPLETE images and previews into its folder (see the package doc for
// names), and the pulled images' checksums into .storesyncer/checksums.json. Local text files
// of fields that are empty remotely are kept. Pulling into the active collection also sets
// every base to what was pulled.
//
// A pull never writes over a local edit: a file or set folder that holds neither App Store
// Connect's value nor its base (in a collection that is not active, anything but App Store
// Connect's value) is left alone and reported in PullResult.Conflicts, its base unchanged,
// unless opts.Force.
func (e *Engine) Pull(ctx context.Context, bundleID string, opts PullOptions) (*PullResult, error) {
	a, r, ra, err := e.app(bundleID)
	if err != nil {
		return nil, err
	}
	into := opts.Into
	if into == "" {
		into = a.Active
	}
	if err := workspace.ValidateCollectionName(into); err != nil {
		return nil, err
	}
	if err := e.checkCollectionDir(a.BundleID, into); err != nil {
		return nil, err
	}
	res := &PullResult{Collection: into, Dir: e.ws.CollectionDir(a.BundleID, into)}
	if _, err := os.Stat(res.Dir); errors.Is(err, fs.ErrNotExist) {
		if _, err := e.ws.CreateCollection(a.BundleID, into); err != nil {
			return nil, err
		}
		res.Created = true
	}
	snap, err := r.Fetch(ctx, ra, remote.FullScope())
	if err != nil {
		return nil, fmt.Errorf("pull %s: %w", a.BundleID, err)
	}
	res.Calls, res.Version = snap.Calls, snap.Version
	guard := pullGuard{force: opts.Force, active: into == a.Active}
	if guard.active {
		if guard.bases, err = e.currentBases(ctx, a.BundleID); err != nil {
			return res, err
		}
	}
	if err := e.pullInto(ctx, r, a, snap, guard, res); err != nil {
		return res, err
	}
	if into == a.Active {
		if err := e.rebase(ctx, a.BundleID, snap, res.conflictKeys()); err != nil {
			return res, err
		}
		res.Bases = true
		if err := e.store.SetSetting(ctx, state.KeyLastSync(a.BundleID), e.now().UTC().Format(time.RFC3339)); err != nil {
			return res, err
		}
	}
	e.event(ctx, "pull", a.BundleID, map[string]any{"collection": into, "texts": len(res.Texts), "sets": len(res.Sets),
		"conflicts": len(res.Conflicts), "version": snap.Version.String})
	return res, nil
}

// currentBases returns the bases of app's recorded target version; none when nothing was
// recorded yet (a fresh state dir).
func (e *Engine) currentBases(ctx context.Context, app string) (map[plan.Key]plan.Value, error) {
	t, ok, err := e.RecordedTarget(ctx, app)
	if err != nil || !ok {
		return nil, err
	}
	return e.loadBases(ctx, app, t.ID, nil)
}

// pullGuard decides whether a pull may write App Store Connect's value over what a key's
// file holds.
type pullGuard struct {
	force bool
	// active is true for the active collection: its bases tell a local edit from a value that
	// was pulled or pushed. Another collection has no bases.
	active bool
	bases  map[plan.Key]plan.Value
}

// refuse returns why the local value l of k (present, different from App Store Connect's r)
// must not be replaced, or "" when it may.
func (g pullGuard) refuse(k plan.Key, l, r plan.Value) string {
	return strings.ReplaceAll(g.reason(k, l, r), "KEY", string(k))
}

func (g pullGuard) reason(k plan.Key, l, r plan.Value) string {
	if g.force {
		return ""
	}
	if !g.active {
		return pullReasonUnsynced
	}
	b, ok := g.bases[k]
	switch {
	case !ok || b.Absent():
		return pullReasonFirst
	case same(b, l):
		return "" // a web-side change: pull it
	case same(b, r):
		return pullReasonLocalEdit
	}
	return pullReasonBoth
}

func (res *PullResult) conflictKeys() map[plan.Key]bool {
	out := map[plan.Key]bool{}
	for _, c := range res.Conflicts {
		out[c.Key] = true
	}
	return out
}

// pullInto writes snap into the collection folder res.Dir, leaving alone what g refuses.
func (e *Engine) pullInto(ctx context.Context, r Remote, a workspace.App, snap *remote.Snapshot, g pullGuard, res *PullResult) error {
	e.forgetLocal(res.Dir)
	c, _, err := e.loadCollection(ctx, res.Dir, a, false, nil)
	defer e.forgetLocal(res.Dir)
	if err != nil {
		return fmt.Errorf("pull %s: %w", a.BundleID, err)
	}
	sums, err := readChecksums(res.Dir)
	if err != nil {
		return err
	}
	localSets := map[plan.Key]*collection.MediaSet{}
	for _, s := range c.Sets {
		localSets[plan.MediaKey(s.Locale, plan.MediaKind(s.Kind), s.Type)] = &s
	}
	w := &setWriter{r: r, snap: snap, dir: res.Dir, sums: sums}
	for _, k := range slices.Sorted(maps.Keys(snap.Remote)) {
		v := snap.Remote[k]
		if v.Absent() {
			continue
		}
		if !k.IsMedia() {
			path := textPath(res.Dir, k)
			if l := currentText(path); l != "" && l != v.Text {
				if why := g.refuse(k, plan.TextValue(l), v); why != "" {
					res.Conflicts = append(res.Conflicts, PullConflict{Key: k, Reason: why})
					continue
				}
			}
			changed, err := writeText(path, v.Text)
			if err != nil {
				return err
			}
			res.count(k, changed)
			continue
		}
		changed := !matches(localSets[k], sums, v)
		if ls := localSets[k]; changed && ls != nil && len(ls.Assets) > 0 {
			if why := g.refuse(k, localSetValue(ls, sums, v, g.bases[k]), v); why != "" {
				res.Conflicts = append(res.Conflicts, PullConflict{Key: k, Reason: why})
				continue
			}
		}
		n, err := w.write(ctx, k, v, localSets[k])
		res.Downloaded += n
		if err != nil {
			_ = writeChecksums(res.Dir, sums) // keep what was downloaded so far
			return err
		}
		res.count(k, changed)
	}
	return writeChecksums(res.Dir, sums)
}

func (res *PullResult) count(k plan.Key, changed bool) {
	switch {
	case !changed:
		res.Unchanged++
	case k.IsMedia():
		res.Sets = append(res.Sets, k)
	default:
		res.Texts = append(res.Texts, k)
	}
}

// localSetValue is the plan value of a local set: its checksums translated through sums
// against the remote value and the base.
func localSetValue(s *collection.MediaSet, sums checksumMap, known ...plan.Value) plan.Value {
	v := plan.Value{Assets: make([]plan.Asset, 0, len(s.Assets))}
	for _, a := range s.Assets {
		v.Assets = append(v.Assets, plan.Asset{Name: a.Name, Checksum: translate(sums, a.MD5, known...)})
	}
	return v
}

// matches reports whether a local set already held the remote value v.
func matches(local *collection.MediaSet, sums checksumMap, v plan.Value) bool {
	if local == nil {
		return false
	}
	want := v.Checksums()
	if len(want) != len(local.Assets) {
		return false
	}
	for i, a := range local.Assets {
		if translate(sums, a.MD5, v) != want[i] {
			return false
		}
	}
	return true
}

// writeText writes text into path unless it already holds it; it reports whether it wrote.
func writeText(path, text string) (bool, error) {
	if got, err := collection.ReadText(path); err == nil && got == text {
		return false, nil
	}
	return true, pullText(path, currentText(path), text)
}

// currentText is the normalized content of path, "" when it is absent or unreadable.
func currentText(path string) string {
	got, _ := collection.ReadText(path)
	return got
}

// rebase sets every base of the app to what snap holds, drops bases of keys App Store
// Connect no longer has and records the target version (re-baselining when it changed). The
// bases of keep (keys the pull left alone) stay as they were.
func (e *Engine) rebase(ctx context.Context, app string, snap *remote.Snapshot, keep map[plan.Key]bool) error {
	prev, recorded, err := e.RecordedTarget(ctx, app)
	if err != nil {
		return err
	}
	if recorded && prev.ID != snap.Version.ID {
		if _, err := e.store.DeleteBasesExcept(ctx, app, snap.Version.ID); err != nil {
			return err
		}
		e.event(ctx, "rebaselined", app, map[string]any{
			"message": "rebaselined: target version is now " + snap.Version.String,
			"version": snap.Version.String, "from": prev.String,
		})
	}
	old, err := e.loadBases(ctx, app, snap.Version.ID, nil)
	if err != nil {
		return err
	}
	bases := map[plan.Key]plan.Value{}
	for k := range old {
		bases[k] = plan.Value{}
	}
	for k, v := range snap.Remote {
		bases[k] = baseOf(v)
	}
	for k := range keep {
		if b, ok := old[k]; ok {
			bases[k] = b
		} else {
			delete(bases, k)
		}
	}
	if err := e.storeBases(ctx, app, snap.Version.ID, bases); err != nil {
		return err
	}
	return e.recordTarget(ctx, app, snap.Version)
}
