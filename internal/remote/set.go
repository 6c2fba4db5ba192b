package remote

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/plan"
)

// setRun is the execution of one set op.
type setRun struct {
	*applier
	op    plan.Op
	key   plan.Key
	m     media
	setID string
	// linkage is the set's asset IDs in display order as far as this run knows.
	linkage []string
	// known are IDs seen in the set (so a placeholder found after a 5xx is surely ours).
	known map[string]bool
	// journal maps asset IDs to their reservation in the upload journal.
	journal map[string]Reservation
	// failures collect per-asset problems; the key fails when there is any.
	failures []error
}

// applySet brings one set to its SetPlan (or deletes it for a prune).
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
	data, err := s.snapshotFiles(sp)
	if err != nil {
		return err
	}
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
	complete := map[string]bool{}
	for _, as := range op.Remote.Assets {
		complete[as.RemoteID] = as.State == ascapi.StateComplete && as.Checksum != ""
	}
	for _, res := range a.r.journalFind(ctx, a.app.BundleID, s.key) {
		if s.known[res.AssetID] && !complete[res.AssetID] {
			s.journal[res.AssetID] = res
		} else {
			a.r.journalDelete(ctx, res.ID) // finished or gone
		}
	}
	resume := s.resumable(sp, data)
	for _, l := range sp.Leftovers {
		if _, ok := resume[l.RemoteID]; ok {
			continue
		}
		if err := s.deleteAsset(ctx, l.RemoteID); err != nil {
			return err
		}
	}
	var pending []*pendingAsset
	uploadIdx := 0
	deleted := map[int]bool{}
	for i, st := range sp.Steps {
		if a.stateErr != nil || ctx.Err() != nil {
			break
		}
		switch st.Action {
		case plan.DeleteAsset:
			if deleted[i] {
				continue
			}
			if err := s.deleteAsset(ctx, st.Asset.RemoteID); err != nil {
				return err
			}
		case plan.Upload:
			// A resumed placeholder takes its slot early: free one first rather than go over.
			if err := s.makeRoom(ctx, sp, i, deleted); err != nil {
				return err
			}
			p := &pendingAsset{step: i, order: uploadIdx, local: st.Asset, data: data[i], attempt: 1}
			uploadIdx++
			var reuse *asset
			for id, r := range resume {
				if r.step == i {
					reuse = r.asset
					delete(resume, id)
					break
				}
			}
			if err := s.upload(ctx, p, reuse); err != nil {
				if a.stateErr != nil {
					return a.stateErr
				}
				s.failures = append(s.failures, err)
				continue
			}
			pending = append(pending, p)
		}
	}
	if a.stateErr != nil {
		return a.stateErr
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	uploaded := pending
	if len(pending) > 0 {
		if err := s.waitProcessed(ctx, pending); err != nil {
			return err
		}
	}
	if err := s.reorderTo(ctx, sp, uploaded); err != nil {
		return err
	}
	if len(s.failures) > 0 {
		return errors.Join(s.failures...)
	}
	return nil
}

// makeRoom deletes the next planned delete after step i early when the set is full, so an
// upload never needs an 11th slot (placeholders count).
func (s *setRun) makeRoom(ctx context.Context, sp *plan.SetPlan, i int, deleted map[int]bool) error {
	if len(s.linkage) < capacity(s.m.kind()) {
		return nil
	}
	for j := i + 1; j < len(sp.Steps); j++ {
		if st := sp.Steps[j]; st.Action == plan.DeleteAsset && !deleted[j] {
			deleted[j] = true
			return s.deleteAsset(ctx, st.Asset.RemoteID)
		}
	}
	return nil
}

// capacity is how many assets a set of kind holds.
func capacity(kind plan.MediaKind) int {
	if kind == plan.Preview {
		return collection.MaxPreviews
	}
	return collection.MaxScreenshots
}

// snapshotFiles reads every file the set uploads, before any write, and checks each against
// the checksum the plan saw.
func (s *setRun) snapshotFiles(sp *plan.SetPlan) (map[int][]byte, error) {
	data := map[int][]byte{}
	for i, st := range sp.Steps {
		if st.Action != plan.Upload {
			continue
		}
		if s.src == nil {
			return nil, fmt.Errorf("%s: no asset source to read %s from", s.key, st.Asset.Name)
		}
		b, err := s.src.Snapshot(st.Asset)
		if err != nil {
			return nil, fmt.Errorf("%s: read %s: %w", s.key, st.Asset.Name, err)
		}
		if md5hex(b) != st.Asset.Checksum || (st.Asset.Size > 0 && int64(len(b)) != st.Asset.Size) {
			return nil, fmt.Errorf("%s: %s: %w", s.key, st.Asset.Name, ErrFileChanged)
		}
		data[i] = b
	}
	return data, nil
}

func md5hex(b []byte) string {
	sum := md5.Sum(b)
	return hex.EncodeToString(sum[:])
}

// resumeAsset is a placeholder of an interrupted upload that a step can finish.
type resumeAsset struct {
	step  int
	asset *asset
}

// resumable matches journaled AWAITING_UPLOAD placeholders (leftovers to the plan) with upload
// steps of the same content: their parts are sent again and committed instead of deleting
// the placeholder and reserving a new one.
func (s *setRun) resumable(sp *plan.SetPlan, data map[int][]byte) map[string]resumeAsset {
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
			if st.Action == plan.Upload && !taken[i] && res.Checksum == st.Asset.Checksum && res.FileSize == int64(len(data[i])) {
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
// settled by listing the set.
func (s *setRun) deleteAsset(ctx context.Context, id string) error {
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
		return s.refused(ctx, fmt.Errorf("delete %s %s: %w", s.m.kind(), id, err))
	}
	s.linkage = slices.DeleteFunc(s.linkage, func(x string) bool { return x == id })
	if res, ok := s.journal[id]; ok {
		s.r.journalDelete(ctx, res.ID)
		delete(s.journal, id)
	}
	return nil
}
