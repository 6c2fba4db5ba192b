package remote

import (
	"context"
	"sync"
	"testing"
)

// jobJournal passes reservations on to next and keeps the job ID of each recorded one.
type jobJournal struct {
	UploadJournal
	mu   sync.Mutex
	jobs []int64
}

func (j *jobJournal) Record(ctx context.Context, r Reservation) (int64, error) {
	j.mu.Lock()
	j.jobs = append(j.jobs, r.JobID)
	j.mu.Unlock()
	return j.UploadJournal.Record(ctx, r)
}

// TestApplyRecordsTheCallersJob: the job named in ApplyOptions is stored with every
// reservation the group journals.
func TestApplyRecordsTheCallersJob(t *testing.T) {
	e := newEnv(t, withJournal())
	j := &jobJournal{UploadJournal: e.r.uploads}
	e.r.uploads = j
	ctx := context.Background()
	l := ipadLocal(t, 2)
	snap, err := e.r.Fetch(ctx, e.app, Scope{MediaLocales: []string{"en-US"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range planFor(snap, l, baseOf(snap)).Resources() {
		res, err := e.r.Apply(ctx, e.app, snap, g, ApplyOptions{Source: l.source(), JobID: 42})
		if err != nil || len(res.Failed) > 0 {
			t.Fatalf("apply %s: %+v, %v", g.Resource, res.Failed, err)
		}
	}
	if len(j.jobs) != 2 || j.jobs[0] != 42 || j.jobs[1] != 42 {
		t.Errorf("recorded jobs = %v, want [42 42]", j.jobs)
	}
}
