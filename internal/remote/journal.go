package remote

import (
	"context"
	"slices"
	"time"

	"github.com/storesyncer/storesyncer/internal/plan"
)

// ReservationState is how far an asset upload got.
type ReservationState string

// The reservation states, in order.
const (
	// Reserved: the asset exists on App Store Connect, AWAITING_UPLOAD.
	Reserved ReservationState = "reserved"
	// Uploaded: every part was sent; the commit is next.
	Uploaded ReservationState = "uploaded"
	// Committed: uploaded = true was sent; the asset processes.
	Committed ReservationState = "committed"
	// Complete: the asset is processed; the set has not reached its plan yet.
	Complete ReservationState = "complete"
	// Deleting: an asset StoreSyncer did not reserve is being (or was) deleted by it, to make
	// room or because the folder no longer holds it; Checksum is that asset's.
	Deleting ReservationState = "deleted"
)

// Reservation is one asset upload in progress, recorded before its parts are sent, or (State
// Deleting) one deletion of an asset StoreSyncer did not create, recorded before it is sent.
// The records of a set stay until the set reaches its plan, so that a restarted push knows
// which of the set's changes are its own.
type Reservation struct {
	// ID is the journal's own ID, set by Record.
	ID int64
	// JobID is the engine's job that made it (ApplyOptions.JobID); 0 when unknown.
	JobID int64
	// App is the bundle ID.
	App string
	// Set is the set's key ("ja/screenshot/APP_IPHONE_67").
	Set plan.Key
	// AssetID is App Store Connect's appScreenshots or appPreviews ID.
	AssetID  string
	FileName string
	FileSize int64
	// Checksum is the MD5 of the file snapshot being uploaded.
	Checksum string
	State    ReservationState
	// UpdatedAt is when State last changed; Fetch uses it to find stuck assets.
	UpdatedAt time.Time
}

// UploadJournal keeps asset reservations across restarts, so that a restarted daemon resumes
// an interrupted upload or deletes its placeholder, never reserving a duplicate.
// internal/engine keeps it in the state (engine.StateJournal). Implementations must be safe for
// concurrent use.
type UploadJournal interface {
	// Record stores a new reservation and returns its ID.
	Record(ctx context.Context, r Reservation) (int64, error)
	// Update moves reservation id to st. A missing id is not an error.
	Update(ctx context.Context, id int64, st ReservationState) error
	// Find returns the reservations of one set of an app (set "" for all of its sets),
	// oldest first.
	Find(ctx context.Context, app string, set plan.Key) ([]Reservation, error)
	// Delete forgets reservation id: its set reached its plan, or the asset is gone.
	Delete(ctx context.Context, id int64) error
}

// journal wraps the optional UploadJournal; journal errors are logged, never fatal to a
// push (the reservation itself is on App Store Connect, where Fetch sees it).
func (r *Remote) record(ctx context.Context, res Reservation) int64 {
	if r.uploads == nil {
		return 0
	}
	id, err := r.uploads.Record(ctx, res)
	if err != nil {
		r.log.WarnContext(ctx, "record upload reservation", "asset", res.AssetID, "error", err)
	}
	return id
}

func (r *Remote) journalUpdate(ctx context.Context, id int64, st ReservationState) {
	if r.uploads == nil || id == 0 {
		return
	}
	if err := r.uploads.Update(ctx, id, st); err != nil {
		r.log.WarnContext(ctx, "update upload reservation", "id", id, "error", err)
	}
}

func (r *Remote) journalDelete(ctx context.Context, id int64) {
	if r.uploads == nil || id == 0 {
		return
	}
	if err := r.uploads.Delete(ctx, id); err != nil {
		r.log.WarnContext(ctx, "delete upload reservation", "id", id, "error", err)
	}
}

func (r *Remote) journalFind(ctx context.Context, app string, set plan.Key) []Reservation {
	if r.uploads == nil {
		return nil
	}
	res, err := r.uploads.Find(ctx, app, set)
	if err != nil {
		r.log.WarnContext(ctx, "find upload reservations", "set", set, "error", err)
	}
	return res
}

// ownWork turns a set's records into what the plan needs to know of them.
func ownWork(recs []Reservation) plan.OwnWork {
	var w plan.OwnWork
	for _, res := range recs {
		if res.State == Deleting {
			if w.Deleted == nil {
				w.Deleted = map[string]string{}
			}
			w.Deleted[res.AssetID] = res.Checksum
			continue
		}
		if w.Created == nil {
			w.Created = map[string]string{}
		}
		w.Created[res.AssetID] = res.Checksum
	}
	return w
}

// UnsettledSets returns the sets of app that hold StoreSyncer's unfinished work (records in
// the upload journal), sorted: a plan reads them even where the folder matches the base, so
// that the work is finished or cleaned up.
func (r *Remote) UnsettledSets(ctx context.Context, app string) []plan.Key {
	var out []plan.Key
	for _, res := range r.journalFind(ctx, app, "") {
		if !slices.Contains(out, res.Set) {
			out = append(out, res.Set)
		}
	}
	slices.Sort(out)
	return out
}
