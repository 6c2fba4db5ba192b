package remote

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/plan"
)

// setRun is the execution of one set op. Its uploads run concurrently (see run); mu guards
// what they share.
type setRun struct {
	*applier
	op    plan.Op
	key   plan.Key
	m     media
	setID string
	files map[string]AssetFile // by checksum: the snapshots the uploads read from
	// wide is set when the uploads reserve at once (see run): one reorder always follows.
	wide bool

	mu sync.Mutex
	// linkage is the set's asset IDs in display order as far as this run knows.
	linkage []string
	// reserving counts reservations sent and not yet in linkage: they may take a slot.
	reserving int
	// known are IDs seen in the set (so a placeholder found after a 5xx is surely ours).
	known map[string]bool
	// journal maps asset IDs to their record in the upload journal.
	journal map[string]Reservation
	// failures collect per-asset problems; the key fails when there is any.
	failures []error
}

// applySet brings one set to its SetPlan (or deletes it for a prune). Uploads run several at
// once; an asset is deleted only once the upload that replaces it is COMPLETE, except that a
// full set frees one slot at a time for the next upload; one reorder comes last.
func (a *applier) applySet(ctx context.Context, op plan.Op) error {
	if a.stateErr != nil {
		return a.stateErr
	}
	kind, typ, ok := op.Key.Media()
	if !ok {
		return fmt.Errorf("%s: not a set key", op.Key)
	}
	s := &setRun{applier: a, op: op, key: op.Key, m: a.r.media(kind), known: map[string]bool{}, journal: map[string]Reservation{}}
	if op.Kind == plan.Delete {
		return s.deleteSet(ctx)
	}
	sp := op.Set
	if sp == nil {
		return fmt.Errorf("%s: %s op without a set plan", op.Key, op.Kind)
	}
	awaited := s.awaited(sp)
	if err := s.openFiles(sp, awaited); err != nil {
		s.closeFiles()
		return err
	}
	defer s.closeFiles()
	locID, err := a.ensureVersionLocalization(ctx, op.Key.Locale())
	if err != nil {
		return err
	}
	if err := s.ensureSet(ctx, locID, typ); err != nil {
		return err
	}
	for _, as := range op.Remote.Assets {
		if as.RemoteID != "" {
			s.linkage = append(s.linkage, as.RemoteID)
			s.known[as.RemoteID] = true
		}
	}
	for _, res := range a.r.journalFind(ctx, a.app.BundleID, s.key) {
		if s.known[res.AssetID] || res.State == Deleting {
			s.journal[res.AssetID] = res
		} else {
			a.r.journalDelete(ctx, res.ID) // an asset of ours that is gone
		}
	}
	resume := s.resumable(sp)
	for _, l := range sp.Leftovers {
		if _, ok := resume[l.RemoteID]; ok {
			continue
		}
		if err := s.deleteAsset(ctx, l.RemoteID, ""); err != nil {
			return err
		}
	}
	queue, removals := s.work(sp, resume)
	for _, d := range removals {
		if err := s.deleteAsset(ctx, d.RemoteID, d.Checksum); err != nil {
			return err
		}
	}
	uploaded, err := s.run(ctx, queue, awaited)
	if a.stateErr != nil {
		return a.stateErr
	}
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.reorderTo(ctx, sp, uploaded); err != nil {
		return err
	}
	if len(s.failures) > 0 {
		return errors.Join(s.failures...)
	}
	s.settle(ctx)
	return nil
}

// work pairs the plan's uploads with the deletes they replace (in plan order) and returns
// the uploads to run and the deletes no upload replaces, which go first.
func (s *setRun) work(sp *plan.SetPlan, resume map[string]resumeAsset) (queue []*pendingAsset, removals []plan.Asset) {
	var deletes []plan.Asset
	for _, st := range sp.Steps {
		if st.Action == plan.DeleteAsset {
			deletes = append(deletes, st.Asset)
		}
	}
	order := 0
	for i, st := range sp.Steps {
		if st.Action != plan.Upload {
			continue
		}
		p := &pendingAsset{step: i, order: order, local: st.Asset, attempt: 1}
		if order < len(deletes) {
			p.replaces = deletes[order]
		}
		order++
		for id, r := range resume {
			if r.step == i {
				p.reuse = r.asset
				delete(resume, id)
				break
			}
		}
		queue = append(queue, p)
	}
	if len(deletes) > order {
		removals = deletes[order:]
	}
	return queue, removals
}

// awaited returns the assets the plan keeps that are still processing: StoreSyncer's own
// uploads from an interrupted run, waited for like new ones.
func (s *setRun) awaited(sp *plan.SetPlan) []*pendingAsset {
	state := map[string]string{}
	for _, as := range s.op.Remote.Assets {
		state[as.RemoteID] = as.State
	}
	var out []*pendingAsset
	for _, o := range sp.Order {
		st, ok := state[o.RemoteID]
		if o.RemoteID == "" || !ok || st == "" || st == plan.StateComplete {
			continue
		}
		out = append(out, &pendingAsset{step: -1, order: -1, local: o, attempt: 1, id: o.RemoteID})
	}
	return out
}

// wideUploads is how many new assets of one set make their reservations go at once.
const wideUploads = 4

// capacity is how many assets a set of kind holds.
func capacity(kind plan.MediaKind) int {
	if kind == plan.Preview {
		return collection.MaxPreviews
	}
	return collection.MaxScreenshots
}

// room is how many more assets the set takes now, reservations in flight counted.
func (s *setRun) room() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return capacity(s.m.kind()) - len(s.linkage) - s.reserving
}

// openFiles opens, before any write, every file the set uploads (or may upload again) and
// checks each against the size the plan saw. The checksum comes from the plan (the
// collection hashed the file once); the file is read part by part as it is sent, and checked
// unchanged after (see AssetFile).
func (s *setRun) openFiles(sp *plan.SetPlan, awaited []*pendingAsset) error {
	s.files = map[string]AssetFile{}
	want := []plan.Asset{}
	for _, st := range sp.Steps {
		if st.Action == plan.Upload {
			want = append(want, st.Asset)
		}
	}
	for _, p := range awaited {
		want = append(want, p.local)
	}
	for _, as := range want {
		if _, ok := s.files[as.Checksum]; ok {
			continue
		}
		if s.src == nil {
			return fmt.Errorf("%s: no asset source to read %s from", s.key, as.Name)
		}
		f, err := s.src.Open(as)
		if err != nil {
			return fmt.Errorf("%s: read %s: %w", s.key, as.Name, err)
		}
		s.files[as.Checksum] = f
		if as.Size > 0 && f.Size() != as.Size {
			return fmt.Errorf("%s: %s: %w", s.key, as.Name, ErrFileChanged)
		}
	}
	return nil
}

func (s *setRun) closeFiles() {
	for _, f := range s.files {
		f.Close()
	}
}

// resumeAsset is a placeholder of an interrupted upload that a step can finish.
type resumeAsset struct {
	step  int
	asset *asset
}

// resumable matches journaled AWAITING_UPLOAD placeholders (leftovers to the plan) with upload
// steps of the same content: their parts are sent again and committed instead of deleting
// the placeholder and reserving a new one.
func (s *setRun) resumable(sp *plan.SetPlan) map[string]resumeAsset {
	out := map[string]resumeAsset{}
	taken := map[int]bool{}
	for _, l := range sp.Leftovers {
		res, ok := s.journal[l.RemoteID]
		if !ok || l.State != ascapi.StateAwaitingUpload {
			continue
		}
		ops := s.snap.uploadOps[l.RemoteID]
		if len(ops) == 0 {
			continue
		}
		for i, st := range sp.Steps {
			if st.Action == plan.Upload && !taken[i] && res.Checksum == st.Asset.Checksum && res.FileSize == st.Asset.Size {
				taken[i] = true
				out[l.RemoteID] = resumeAsset{step: i, asset: &asset{Asset: ascapi.Asset{ID: l.RemoteID, FileName: l.Name,
					FileSize: l.Size, State: l.State, UploadOperations: ops}}}
				break
			}
		}
	}
	return out
}

// ensureSet finds or creates the set. A create refused as DUPLICATE or with an unknown
// outcome is settled by listing the localization's sets.
func (s *setRun) ensureSet(ctx context.Context, locID, typ string) error {
	if id := s.snap.Resources.Sets[s.key]; id != "" {
		s.setID = id
		return nil
	}
	id, err := s.m.createSet(ctx, locID, typ)
	s.call(nil)
	if err == nil {
		s.setID = id
		return nil
	}
	if !unknown(err) && !ascapi.HasCode(err, "ENTITY_ERROR.ATTRIBUTE.INVALID.DUPLICATE") {
		return s.refused(ctx, fmt.Errorf("create set %s: %w", s.key, err))
	}
	sets, lerr := s.m.listSets(ctx, locID)
	if s.call(lerr) != nil {
		return errors.Join(err, lerr)
	}
	for _, set := range sets {
		if plan.MediaKey(s.key.Locale(), s.m.kind(), set.typ) == s.key {
			s.setID = set.id
			for _, as := range set.assets {
				s.known[as.ID] = true
			}
			return nil
		}
	}
	id, err = s.m.createSet(ctx, locID, typ)
	if s.call(err) != nil {
		return s.refused(ctx, fmt.Errorf("create set %s: %w", s.key, err))
	}
	s.setID = id
	return nil
}

// deleteSet deletes the whole set (push --prune).
func (s *setRun) deleteSet(ctx context.Context) error {
	id := s.snap.Resources.Sets[s.key]
	if id == "" {
		return nil
	}
	err := s.call(s.m.deleteSet(ctx, id))
	if unknown(err) {
		// Re-read through the set's assets: a deleted set answers 404.
		_, lerr := s.m.listAssets(ctx, id)
		if s.call(lerr); ascapi.IsNotFound(lerr) {
			return nil
		}
		err = s.call(s.m.deleteSet(ctx, id))
	}
	if err != nil && !ascapi.IsNotFound(err) {
		return s.refused(ctx, fmt.Errorf("delete set %s: %w", s.key, err))
	}
	return nil
}

// deleteAsset deletes one asset of the set; one already gone is fine. An unknown outcome is
// settled by listing the set. Deleting an asset StoreSyncer did not create is journaled
// first, with its checksum (sum), so that after a crash the gap is known to be StoreSyncer's.
func (s *setRun) deleteAsset(ctx context.Context, id, sum string) error {
	s.mu.Lock()
	res, rec := s.journal[id]
	s.mu.Unlock()
	created := rec && res.State != Deleting
	if !rec && sum != "" {
		res = Reservation{App: s.app.BundleID, Set: s.key, AssetID: id, Checksum: sum, State: Deleting}
		res.ID = s.record(ctx, res)
		s.mu.Lock()
		s.journal[id] = res
		s.mu.Unlock()
	}
	err := s.call(s.m.deleteAsset(ctx, id))
	if unknown(err) {
		assets, lerr := s.m.listAssets(ctx, s.setID)
		if s.call(lerr) != nil {
			return errors.Join(err, lerr)
		}
		if slices.IndexFunc(assets, func(a asset) bool { return a.ID == id }) < 0 {
			err = nil
		} else {
			err = s.call(s.m.deleteAsset(ctx, id))
		}
	}
	if err != nil && !ascapi.IsNotFound(err) {
		if !rec && sum != "" {
			s.forget(ctx, id) // not deleted: nothing to remember
		}
		return s.refused(ctx, fmt.Errorf("delete %s %s: %w", s.m.kind(), id, err))
	}
	s.mu.Lock()
	s.linkage = slices.DeleteFunc(s.linkage, func(x string) bool { return x == id })
	s.mu.Unlock()
	if created {
		s.forget(ctx, id) // an asset of ours, gone: neither in the set nor in its base
	}
	return nil
}

// forget drops the journal record of asset id.
func (s *setRun) forget(ctx context.Context, id string) {
	s.mu.Lock()
	res, ok := s.journal[id]
	delete(s.journal, id)
	s.mu.Unlock()
	if ok {
		s.r.journalDelete(ctx, res.ID)
	}
}

// settle forgets the set's journal records once it reached its plan: the new base covers
// them.
func (s *setRun) settle(ctx context.Context) {
	for _, res := range s.r.journalFind(ctx, s.app.BundleID, s.key) {
		s.r.journalDelete(ctx, res.ID)
	}
}
