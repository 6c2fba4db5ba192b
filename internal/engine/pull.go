package engine

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"
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
}

// Pull writes App Store Connect's state of the target version into collection into of the
// app ("" is the active one), making the collection when absent: every set text into its
// file, every set's COMPLETE images and previews into its folder (see the package doc for
// names), and the pulled images' checksums into .storesyncer/checksums.json. Local text files
// of fields that are empty remotely are kept. Pulling into the active collection also sets
// every base to what was pulled.
func (e *Engine) Pull(ctx context.Context, bundleID, into string) (*PullResult, error) {
	a, r, ra, err := e.app(bundleID)
	if err != nil {
		return nil, err
	}
	if into == "" {
		into = a.Active
	}
	if err := workspace.ValidateCollectionName(into); err != nil {
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
	if err := e.pullInto(ctx, r, a, snap, res); err != nil {
		return res, err
	}
	if into == a.Active {
		if err := e.rebase(ctx, a.BundleID, snap); err != nil {
			return res, err
		}
		res.Bases = true
		if err := e.store.SetSetting(ctx, state.KeyLastSync(a.BundleID), e.now().UTC().Format(time.RFC3339)); err != nil {
			return res, err
		}
	}
	e.event(ctx, "pull", a.BundleID, map[string]any{"collection": into, "texts": len(res.Texts), "sets": len(res.Sets), "version": snap.Version.String})
	return res, nil
}

// pullInto writes snap into the collection folder res.Dir.
func (e *Engine) pullInto(ctx context.Context, r *remote.Remote, a workspace.App, snap *remote.Snapshot, res *PullResult) error {
	c, _, err := collection.Load(res.Dir, e.collectionOptions(a))
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
			changed, err := writeText(textPath(res.Dir, k), v.Text)
			if err != nil {
				return err
			}
			res.count(k, changed)
			continue
		}
		changed := !matches(localSets[k], sums, v)
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
// Connect no longer has and records the target version (re-baselining when it changed).
func (e *Engine) rebase(ctx context.Context, app string, snap *remote.Snapshot) error {
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
	old, err := e.loadBases(ctx, app, snap.Version.ID)
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
	if err := e.storeBases(ctx, app, snap.Version.ID, bases); err != nil {
		return err
	}
	return e.recordTarget(ctx, app, snap.Version)
}
