package remote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/internal/plan"
)

// pendingAsset is one upload of a set run, from reservation to COMPLETE.
type pendingAsset struct {
	step    int // index in SetPlan.Steps
	order   int // index among the upload steps, to find it in SetPlan.Order
	local   plan.Asset
	data    []byte
	attempt int

	id        string // the asset on App Store Connect, "" before the reservation
	journalID int64
	deadline  time.Time
	ok        bool // COMPLETE with its checksum
}

// upload reserves (or reuses) a placeholder, records it in the journal, sends the parts and
// commits. On failure the placeholder is deleted, unless the version left the editable state
// (then nothing can be deleted; the journal keeps it for later).
func (s *setRun) upload(ctx context.Context, p *pendingAsset, reuse *asset) error {
	var res asset
	if reuse != nil {
		res = *reuse
	} else {
		var err error
		if res, err = s.reserve(ctx, p); err != nil {
			return err
		}
	}
	p.id = res.ID
	s.known[res.ID] = true
	if !slices.Contains(s.linkage, res.ID) {
		s.linkage = append(s.linkage, res.ID)
	}
	if j, ok := s.journal[res.ID]; ok {
		p.journalID = j.ID
	} else {
		j := Reservation{App: s.app.BundleID, Set: s.key, AssetID: res.ID, FileName: p.local.Name,
			FileSize: int64(len(p.data)), Checksum: p.local.Checksum, State: Reserved}
		j.ID = s.r.record(ctx, j)
		p.journalID = j.ID
		s.journal[res.ID] = j
	}
	if len(res.UploadOperations) == 0 {
		return s.abandon(ctx, p, errors.New("the reservation has no upload operations"))
	}
	if err := s.r.c.Upload(ctx, res.UploadOperations, bytes.NewReader(p.data)); err != nil {
		err = s.abandon(ctx, p, err)
		if reuse != nil && s.stateErr == nil && ctx.Err() == nil {
			// A resumed placeholder's upload URLs may have expired: start over, once.
			s.r.log.InfoContext(ctx, "resumed upload failed, reserving anew", "file", p.local.Name, "error", err)
			return s.upload(ctx, p, nil)
		}
		return err
	}
	s.res.Uploaded += int64(len(p.data))
	s.emit(ProgressEvent{Key: s.key, Phase: PhaseUploaded, FileName: p.local.Name, Bytes: int64(len(p.data))})
	s.r.journalUpdate(ctx, p.journalID, Uploaded)
	if err := s.commit(ctx, p); err != nil {
		if s.stateErr != nil {
			return err
		}
		return s.abandon(ctx, p, err)
	}
	s.r.journalUpdate(ctx, p.journalID, Committed)
	p.deadline = s.r.now().Add(s.r.deadline)
	return nil
}

// abandon deletes the placeholder of a failed upload so it takes no slot.
func (s *setRun) abandon(ctx context.Context, p *pendingAsset, err error) error {
	err = fmt.Errorf("upload %s: %w", p.local.Name, err)
	if derr := s.deleteAsset(ctx, p.id); derr != nil {
		err = errors.Join(err, derr)
	}
	p.id = ""
	return err
}

// reserve creates the placeholder. After an unknown outcome (Apple may have created it and
// still answered 503) the set is listed: an AWAITING_UPLOAD asset of the same name and size
// that was not there before is the one reserved; only when there is none is the reservation
// sent again, once.
func (s *setRun) reserve(ctx context.Context, p *pendingAsset) (asset, error) {
	size := int64(len(p.data))
	res, err := s.m.reserve(ctx, s.setID, p.local.Name, size)
	s.call(nil)
	if err == nil {
		return res, nil
	}
	if !unknown(err) {
		return asset{}, s.refused(ctx, fmt.Errorf("reserve %s: %w", p.local.Name, err))
	}
	assets, lerr := s.m.listAssets(ctx, s.setID)
	if s.call(lerr) != nil {
		return asset{}, fmt.Errorf("reserve %s: %w", p.local.Name, errors.Join(err, lerr))
	}
	for _, a := range assets {
		if !s.known[a.ID] && a.State == ascapi.StateAwaitingUpload && a.FileName == p.local.Name && a.FileSize == size {
			s.r.log.DebugContext(ctx, "reservation applied despite the error", "asset", a.ID, "file", a.FileName)
			return a, nil
		}
	}
	res, err = s.m.reserve(ctx, s.setID, p.local.Name, size)
	if s.call(err) != nil {
		return asset{}, s.refused(ctx, fmt.Errorf("reserve %s: %w", p.local.Name, err))
	}
	return res, nil
}

// commit marks the upload complete. After an unknown outcome, or a refusal that may mean it
// was already committed, the asset is read again: anything past AWAITING_UPLOAD means the
// commit was applied.
func (s *setRun) commit(ctx context.Context, p *pendingAsset) error {
	sum := md5hex(p.data)
	_, err := s.m.commit(ctx, p.id, sum)
	if s.call(err) == nil {
		return nil
	}
	if unknown(err) || ascapi.HasCode(err, "STATE_ERROR") {
		got, gerr := s.m.get(ctx, p.id)
		s.call(nil)
		if gerr == nil && got.State != ascapi.StateAwaitingUpload {
			return nil
		}
		if gerr == nil && unknown(err) {
			_, err = s.m.commit(ctx, p.id, sum)
			if s.call(err) == nil {
				return nil
			}
		}
	}
	return s.refused(ctx, fmt.Errorf("commit %s: %w", p.local.Name, err))
}

// waitProcessed polls by listing the set, one request per round for all its new assets,
// until each is COMPLETE with its checksum, FAILED, or past its deadline. A failed or stuck
// asset is deleted and uploaded once more; a second failure is reported with Apple's codes.
func (s *setRun) waitProcessed(ctx context.Context, pending []*pendingAsset) error {
	for {
		assets, err := s.m.listAssets(ctx, s.setID)
		if s.call(err) != nil {
			return fmt.Errorf("poll set %s: %w", s.key, err)
		}
		s.linkage = s.linkage[:0]
		byID := map[string]asset{}
		for _, a := range assets {
			s.linkage = append(s.linkage, a.ID)
			byID[a.ID] = a
		}
		s.emit(ProgressEvent{Key: s.key, Phase: PhaseProcessing})
		var next []*pendingAsset
		for _, p := range pending {
			a, ok := byID[p.id]
			switch {
			case !ok:
				s.failures = append(s.failures, fmt.Errorf("%s: the asset vanished from the set while processing", p.local.Name))
			case a.Ready():
				p.ok = true
				s.r.journalDelete(ctx, p.journalID)
				delete(s.journal, p.id)
			case a.Status() == ascapi.AssetFailed || !s.r.now().Before(p.deadline):
				retry, err := s.retry(ctx, p, a)
				if err != nil {
					return err
				}
				if retry {
					next = append(next, p)
				}
			default:
				next = append(next, p)
			}
		}
		if len(next) == 0 {
			return nil
		}
		pending = next
		if err := s.r.sleep(ctx, s.r.poll); err != nil {
			return err
		}
	}
}

// retry deletes a failed or stuck asset and uploads it again on its first attempt; on its
// second it records the failure. It reports whether the asset is pending again.
func (s *setRun) retry(ctx context.Context, p *pendingAsset, a asset) (bool, error) {
	perr := &ProcessingError{FileName: p.local.Name, Codes: a.errorCodes(), Stuck: a.Status() != ascapi.AssetFailed}
	s.r.log.InfoContext(ctx, "asset failed processing", "set", s.key, "file", p.local.Name, "attempt", p.attempt, "codes", perr.Codes, "stuck", perr.Stuck)
	if err := s.deleteAsset(ctx, p.id); err != nil {
		return false, err
	}
	p.id = ""
	if p.attempt >= 2 {
		s.failures = append(s.failures, perr)
		return false, nil
	}
	p.attempt++
	s.emit(ProgressEvent{Key: s.key, Phase: PhaseRetry, FileName: p.local.Name})
	if err := s.upload(ctx, p, nil); err != nil {
		if s.stateErr != nil {
			return false, s.stateErr
		}
		s.failures = append(s.failures, errors.Join(perr, err))
		return false, nil
	}
	return true, nil
}

// reorderTo sends one reorder PATCH, with every ID of the set, when the set's order differs
// from the plan's.
func (s *setRun) reorderTo(ctx context.Context, sp *plan.SetPlan, uploads []*pendingAsset) error {
	byOrder := map[int]*pendingAsset{}
	for _, p := range uploads {
		byOrder[p.order] = p
	}
	var desired []string
	k := 0
	for _, o := range sp.Order {
		id := o.RemoteID
		if id == "" {
			if p := byOrder[k]; p != nil && p.ok {
				id = p.id
			}
			k++
		}
		if id != "" && slices.Contains(s.linkage, id) && !slices.Contains(desired, id) {
			desired = append(desired, id)
		}
	}
	for _, id := range s.linkage {
		if !slices.Contains(desired, id) {
			desired = append(desired, id)
		}
	}
	if slices.Equal(desired, s.linkage) {
		return nil
	}
	err := s.call(s.m.reorder(ctx, s.setID, desired))
	if unknown(err) {
		assets, lerr := s.m.listAssets(ctx, s.setID)
		if s.call(lerr) == nil && slices.EqualFunc(assets, desired, func(a asset, id string) bool { return a.ID == id }) {
			err = nil
		} else {
			err = s.call(s.m.reorder(ctx, s.setID, desired))
		}
	}
	if err != nil {
		return s.refused(ctx, fmt.Errorf("reorder set %s: %w", s.key, err))
	}
	s.linkage = desired
	return nil
}
