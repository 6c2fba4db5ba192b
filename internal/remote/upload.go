package remote

import (
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
	step    int // index in SetPlan.Steps; -1 for an awaited asset of an earlier run
	order   int // index among the upload steps, to find it in SetPlan.Order
	local   plan.Asset
	attempt int
	// replaces is the remote asset this upload replaces: deleted once this one is COMPLETE.
	replaces plan.Asset
	// reuse is a journaled placeholder to finish instead of reserving.
	reuse *asset
	// after, when set, is closed once the previous upload's reservation was answered:
	// reservations then reach the set in plan order (see run). reserved is this one's.
	after, reserved chan struct{}

	id        string // the asset on App Store Connect, "" before the reservation
	journalID int64
	deadline  time.Time
	ok        bool  // COMPLETE with its checksum
	err       error // why the upload (reserve, parts, commit) failed
}

// run executes the uploads of a set: up to Remote.setPar at once (reserve, parts, commit),
// while the set has room. Once none is running, the set is read for everything committed,
// at once and then with a growing wait (pollPolicy). A COMPLETE upload lets the asset it
// replaces go; a failed one is deleted and uploaded once more, and its second failure keeps
// the asset it would have replaced. When the set is full and nothing else can move, the
// asset the next upload replaces is deleted first: one slot at a time. It returns every
// upload (for the reorder); awaited are assets of an earlier run still processing.
//
// Apple appends a reservation to the set in the order it arrives. Reservations of a few
// uploads are sent one after another (each once the previous one was answered; the parts
// and commits still overlap), so the set's order is the plan's and no reorder is needed.
// When the set takes at least wideUploads new assets with room for two at once, or is to be
// reordered anyway, they are sent at once and one reorder always follows (s.wide), so the
// number of requests does not depend on which reservation arrived first.
func (s *setRun) run(ctx context.Context, queue, awaited []*pendingAsset) ([]*pendingAsset, error) {
	all := slices.Clone(queue)
	s.wide = s.r.setPar > 1 && s.room() >= 2 && (len(queue) >= wideUploads || (s.op.Set.Reorder && len(queue) >= 2))
	var last chan struct{}
	active := awaited
	for _, p := range awaited {
		p.deadline = s.r.now().Add(s.r.poll.deadline)
		if res, ok := s.journal[p.id]; ok {
			p.journalID = res.ID
			if !res.UpdatedAt.IsZero() {
				p.deadline = res.UpdatedAt.Add(s.r.poll.deadline)
			}
		}
	}
	results := make(chan *pendingAsset)
	running := 0
	wait := s.r.poll.backoff()
	for {
		halted := s.halted(ctx)
		for !halted && len(queue) > 0 && running < s.r.setPar && (queue[0].reuse != nil || s.room() > 0) {
			p := queue[0]
			queue = queue[1:]
			if p.reuse == nil {
				s.mu.Lock()
				s.reserving++
				s.mu.Unlock()
				p.reserved = make(chan struct{})
				if !s.wide {
					p.after, last = last, p.reserved
				}
			}
			running++
			go func() {
				p.err = s.upload(ctx, p)
				results <- p
			}()
		}
		if running > 0 {
			p := <-results
			running--
			if p.err != nil {
				s.failed(p.err)
			} else {
				active = append(active, p)
				wait.reset()
			}
			continue
		}
		if halted {
			return all, nil
		}
		if len(active) > 0 {
			if err := s.r.sleep(ctx, wait.wait()); err != nil {
				return all, err
			}
			var retry []*pendingAsset
			var err error
			if active, retry, err = s.poll(ctx, active); err != nil {
				return all, err
			}
			queue = append(retry, queue...)
			continue
		}
		if len(queue) == 0 {
			return all, nil
		}
		// The set is full: free the slot of the asset the next upload replaces.
		i := slices.IndexFunc(queue, func(p *pendingAsset) bool { return p.replaces.RemoteID != "" })
		if i < 0 {
			for _, p := range queue {
				s.failed(fmt.Errorf("upload %s: the set has no room left", p.local.Name))
			}
			return all, nil
		}
		d := queue[i].replaces
		queue[i].replaces = plan.Asset{}
		if err := s.deleteAsset(ctx, d.RemoteID, d.Checksum); err != nil {
			return all, err
		}
	}
}

// halted reports whether the run must start nothing new: the version left the editable
// state or ctx is done.
func (s *setRun) halted(ctx context.Context) bool {
	return s.versionErr() != nil || ctx.Err() != nil
}

func (s *setRun) failed(err error) {
	s.mu.Lock()
	s.failures = append(s.failures, err)
	s.mu.Unlock()
}

// upload reserves (or reuses) a placeholder, records it in the journal, sends the parts from
// the file and commits. On failure the placeholder is deleted, unless the version left the
// editable state (then nothing can be deleted; the journal keeps it for later). A reserving
// slot was counted for it by the caller unless it reuses a placeholder.
func (s *setRun) upload(ctx context.Context, p *pendingAsset) error {
	var res asset
	reused := p.reuse != nil
	if reused {
		res, p.reuse = *p.reuse, nil
	} else {
		var err error
		if p.after != nil {
			<-p.after
		}
		res, err = s.reserve(ctx, p)
		close(p.reserved)
		p.after, p.reserved = nil, nil
		s.mu.Lock()
		s.reserving--
		if err == nil && !slices.Contains(s.linkage, res.ID) {
			s.linkage = append(s.linkage, res.ID)
		}
		s.mu.Unlock()
		if err != nil {
			return err
		}
	}
	p.id = res.ID
	s.mu.Lock()
	s.known[res.ID] = true
	j, journaled := s.journal[res.ID]
	s.mu.Unlock()
	if journaled {
		p.journalID = j.ID
	} else {
		j := Reservation{App: s.app.BundleID, Set: s.key, AssetID: res.ID, FileName: p.local.Name,
			FileSize: p.local.Size, Checksum: p.local.Checksum, State: Reserved}
		j.ID = s.record(ctx, j)
		p.journalID = j.ID
		s.mu.Lock()
		s.journal[res.ID] = j
		s.mu.Unlock()
	}
	if len(res.UploadOperations) == 0 {
		return s.abandon(ctx, p, errors.New("the reservation has no upload operations"))
	}
	f := s.files[p.local.Checksum]
	err := s.r.c.Upload(ctx, res.UploadOperations, f)
	if err == nil {
		err = f.Verify()
	}
	if err != nil {
		if reused && s.versionErr() == nil && ctx.Err() == nil && !errors.Is(err, ErrFileChanged) {
			// A resumed placeholder's upload URLs may have expired: start over, once. The
			// slot stays counted while the placeholder goes and the new one is reserved.
			s.mu.Lock()
			s.reserving++
			s.mu.Unlock()
			err = s.abandon(ctx, p, err)
			s.r.log.InfoContext(ctx, "resumed upload failed, reserving anew", "file", p.local.Name, "error", err)
			p.reserved = make(chan struct{})
			return s.upload(ctx, p)
		}
		return s.abandon(ctx, p, err)
	}
	s.uploaded(p.local.Size)
	s.emit(ProgressEvent{Key: s.key, Phase: PhaseUploaded, FileName: p.local.Name, Bytes: p.local.Size})
	s.r.journalUpdate(ctx, p.journalID, Uploaded)
	if err := s.commit(ctx, p); err != nil {
		if s.versionErr() != nil {
			return err
		}
		return s.abandon(ctx, p, err)
	}
	s.r.journalUpdate(ctx, p.journalID, Committed)
	p.deadline = s.r.now().Add(s.r.poll.deadline)
	return nil
}

// abandon deletes the placeholder of a failed upload so it takes no slot.
func (s *setRun) abandon(ctx context.Context, p *pendingAsset, err error) error {
	err = fmt.Errorf("upload %s: %w", p.local.Name, err)
	if derr := s.deleteAsset(ctx, p.id, ""); derr != nil {
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
	size := p.local.Size
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
	s.mu.Lock()
	for _, a := range assets {
		if !s.known[a.ID] && a.State == ascapi.StateAwaitingUpload && a.FileName == p.local.Name && a.FileSize == size {
			s.known[a.ID] = true // claimed: a concurrent upload of the same name must not take it too
			s.mu.Unlock()
			s.r.log.DebugContext(ctx, "reservation applied despite the error", "asset", a.ID, "file", a.FileName)
			return a, nil
		}
	}
	s.mu.Unlock()
	res, err = s.m.reserve(ctx, s.setID, p.local.Name, size)
	if s.call(err) != nil {
		return asset{}, s.refused(ctx, fmt.Errorf("reserve %s: %w", p.local.Name, err))
	}
	return res, nil
}

// commit marks the upload complete with the checksum the collection computed. After an
// unknown outcome, or a refusal that may mean it was already committed, the asset is read
// again: anything past AWAITING_UPLOAD means the commit was applied.
func (s *setRun) commit(ctx context.Context, p *pendingAsset) error {
	sum := p.local.Checksum
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

// poll lists the set once for every committed asset. It returns those still processing, and
// those to upload again (failed or stuck on their first attempt; their asset is deleted). A
// COMPLETE asset is journaled as such and the asset it replaces is deleted.
func (s *setRun) poll(ctx context.Context, active []*pendingAsset) (next, retry []*pendingAsset, err error) {
	assets, err := s.m.listAssets(ctx, s.setID)
	if s.call(err) != nil {
		return nil, nil, fmt.Errorf("poll set %s: %w", s.key, err)
	}
	byID := map[string]asset{}
	s.mu.Lock()
	s.linkage = s.linkage[:0]
	for _, a := range assets {
		s.linkage = append(s.linkage, a.ID)
		byID[a.ID] = a
	}
	s.mu.Unlock()
	s.emit(ProgressEvent{Key: s.key, Phase: PhaseProcessing})
	for _, p := range active {
		a, ok := byID[p.id]
		switch {
		case !ok:
			s.failed(fmt.Errorf("%s: the asset vanished from the set while processing", p.local.Name))
		case a.Ready():
			p.ok = true
			s.r.journalUpdate(ctx, p.journalID, Complete)
			if d := p.replaces; d.RemoteID != "" {
				p.replaces = plan.Asset{}
				if err := s.deleteAsset(ctx, d.RemoteID, d.Checksum); err != nil {
					return nil, nil, err
				}
			}
		case a.Status() == ascapi.AssetFailed || !s.r.now().Before(p.deadline):
			perr := &ProcessingError{FileName: p.local.Name, Codes: a.errorCodes(), Stuck: a.Status() != ascapi.AssetFailed}
			s.r.log.InfoContext(ctx, "asset failed processing", "set", s.key, "file", p.local.Name, "attempt", p.attempt, "codes", perr.Codes, "stuck", perr.Stuck)
			if err := s.deleteAsset(ctx, p.id, ""); err != nil {
				return nil, nil, err
			}
			p.id = ""
			if p.attempt >= 2 {
				s.failed(perr) // the asset it would replace stays
				continue
			}
			p.attempt++
			s.emit(ProgressEvent{Key: s.key, Phase: PhaseRetry, FileName: p.local.Name})
			retry = append(retry, p)
		default:
			next = append(next, p)
		}
	}
	return next, retry, nil
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
			switch p := byOrder[k]; {
			case p == nil:
			case p.ok:
				id = p.id
			case p.replaces.RemoteID != "":
				id = p.replaces.RemoteID // its replacement failed: the old one keeps its place
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
	if slices.Equal(desired, s.linkage) && !(s.wide && len(uploads) > 1) {
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
