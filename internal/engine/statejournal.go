package engine

import (
	"context"
	"errors"

	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/remote"
	"github.com/storesyncer/storesyncer/internal/state"
)

// StateJournal is the remote.UploadJournal kept in StoreSyncer's SQLite state (the uploads table).
// It is safe for concurrent use, as the Store is.
type StateJournal struct {
	Store *state.Store
}

var _ remote.UploadJournal = StateJournal{}

// Record adds an uploads row.
func (j StateJournal) Record(ctx context.Context, r remote.Reservation) (int64, error) {
	return j.Store.AddUpload(ctx, state.Upload{JobID: r.JobID, App: r.App, SetResource: string(r.Set),
		AssetID: r.AssetID, FileMD5: r.Checksum, FileName: r.FileName, FileSize: r.FileSize,
		State: state.UploadState(r.State)})
}

// Update sets the row's state; a row already gone is fine.
func (j StateJournal) Update(ctx context.Context, id int64, st remote.ReservationState) error {
	err := j.Store.SetUploadState(ctx, id, state.UploadState(st))
	if errors.Is(err, state.ErrNotFound) {
		return nil
	}
	return err
}

// Find lists the rows of the app's set.
func (j StateJournal) Find(ctx context.Context, app string, set plan.Key) ([]remote.Reservation, error) {
	ups, err := j.Store.Uploads(ctx, app, string(set))
	if err != nil {
		return nil, err
	}
	out := make([]remote.Reservation, 0, len(ups))
	for _, u := range ups {
		out = append(out, remote.Reservation{ID: u.ID, JobID: u.JobID, App: u.App, Set: plan.Key(u.SetResource),
			AssetID: u.AssetID, FileName: u.FileName, FileSize: u.FileSize, Checksum: u.FileMD5,
			State: remote.ReservationState(u.State), UpdatedAt: u.UpdatedAt})
	}
	return out, nil
}

// Delete removes the row.
func (j StateJournal) Delete(ctx context.Context, id int64) error {
	return j.Store.DeleteUpload(ctx, id)
}
