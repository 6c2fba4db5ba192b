package state

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// JobState is where a job is in the queue.
type JobState string

// The job states. A job moves pending → in_flight → done, or → retry_wait (back to
// in_flight when due), → failed (until Retry), or → held (until Approve).
const (
	JobPending   JobState = "pending"
	JobInFlight  JobState = "in_flight"
	JobRetryWait JobState = "retry_wait"
	JobHeld      JobState = "held"
	JobFailed    JobState = "failed"
	JobDone      JobState = "done"
)

// ErrWrongState is wrapped when a job is not in a state the operation applies to (for
// example Complete of a job that is not in flight).
var ErrWrongState = errors.New("job is in the wrong state")

// JobIntent is what the planner wants done for one resource of one app. App and Resource
// are required; the rest may be zero.
type JobIntent struct {
	App string
	// Resource names the unit of work, e.g. "de-DE/appStoreVersionLocalizations" or
	// "ja/screenshot/APP_IPHONE_67".
	Resource string
	// Keys are the keys the job changes.
	Keys []string
	// Intent is the planner's description of the work; opaque to state.
	Intent []byte
	// IntentHash identifies Intent (the local content hashes); equal hashes mean the same work.
	IntentHash string
	// HoldReason, when set, makes the job wait for approval (held) instead of pending.
	HoldReason string
}

// Job is one row of the persistent queue. There is at most one job per (app, resource);
// its row is reused when the resource changes again after it is done. Jobs are values
// read from the store; changing one changes nothing stored.
type Job struct {
	ID            int64
	App           string
	Resource      string
	Keys          []string
	Intent        []byte
	IntentHash    string
	State         JobState
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	HeldReason    string
	// HasNext says a newer intent arrived while the job was in flight; it becomes the
	// job's intent when this attempt ends.
	HasNext   bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

const jobColumns = `id, app, resource, keys, intent, intent_hash, state, attempts, next_attempt_at,
	last_error, held_reason, next_intent_hash IS NOT NULL, created_at, updated_at`

type scanner interface{ Scan(...any) error }

func scanJob(r scanner) (Job, error) {
	var j Job
	var keys string
	var next, created, updated int64
	err := r.Scan(&j.ID, &j.App, &j.Resource, &keys, &j.Intent, &j.IntentHash, &j.State, &j.Attempts,
		&next, &j.LastError, &j.HeldReason, &j.HasNext, &created, &updated)
	if err != nil {
		return Job{}, err
	}
	if err := json.Unmarshal([]byte(keys), &j.Keys); err != nil {
		return Job{}, fmt.Errorf("job %d keys: %w", j.ID, err)
	}
	j.NextAttemptAt, j.CreatedAt, j.UpdatedAt = fromMS(next), fromMS(created), fromMS(updated)
	return j, nil
}

func encodeKeys(keys []string) string {
	if keys == nil {
		keys = []string{}
	}
	b, _ := json.Marshal(keys) // a []string always encodes
	return string(b)
}

func heldOrPending(reason string) JobState {
	if reason != "" {
		return JobHeld
	}
	return JobPending
}

// Upsert queues in for its (app, resource):
//   - no job, or a done or failed one: the job starts over as pending (held with a
//     HoldReason), due now;
//   - pending or held: the newer intent replaces the old one, and HoldReason decides
//     between pending and held; the due time stays;
//   - retry_wait: the intent is replaced and the backoff kept (unless HoldReason holds it);
//   - in_flight: the running attempt is not disturbed; the intent is kept as the job's
//     next intent and takes over when the attempt ends (HasNext). An intent equal to the
//     running one drops a queued next intent.
//
// It returns the job as stored.
func (s *Store) Upsert(ctx context.Context, in JobIntent) (Job, error) {
	if in.App == "" || in.Resource == "" {
		return Job{}, fmt.Errorf("queue job: app and resource are required")
	}
	now := s.nowMS()
	keys := encodeKeys(in.Keys)
	intent := in.Intent
	if intent == nil {
		intent = []byte{}
	}
	var out Job
	err := s.tx(ctx, func(tx *sql.Tx) error {
		cur, err := scanJob(tx.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs WHERE app = ? AND resource = ?`, in.App, in.Resource))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.ExecContext(ctx, `INSERT INTO jobs (app, resource, keys, intent, intent_hash, state, next_attempt_at, held_reason, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, in.App, in.Resource, keys, intent, in.IntentHash, heldOrPending(in.HoldReason), now, in.HoldReason, now, now)
		case err != nil:
			return err
		case cur.State == JobInFlight && cur.IntentHash == in.IntentHash:
			_, err = tx.ExecContext(ctx, `UPDATE jobs SET next_keys = NULL, next_intent = NULL, next_intent_hash = NULL, next_held_reason = NULL, updated_at = ? WHERE id = ?`, now, cur.ID)
		case cur.State == JobInFlight:
			_, err = tx.ExecContext(ctx, `UPDATE jobs SET next_keys = ?, next_intent = ?, next_intent_hash = ?, next_held_reason = ?, updated_at = ? WHERE id = ?`,
				keys, intent, in.IntentHash, in.HoldReason, now, cur.ID)
		case cur.State == JobDone || cur.State == JobFailed:
			_, err = tx.ExecContext(ctx, `UPDATE jobs SET keys = ?, intent = ?, intent_hash = ?, state = ?, held_reason = ?, attempts = 0, last_error = '',
				next_attempt_at = ?, updated_at = ? WHERE id = ?`, keys, intent, in.IntentHash, heldOrPending(in.HoldReason), in.HoldReason, now, now, cur.ID)
		default: // pending, held, retry_wait
			st := heldOrPending(in.HoldReason)
			if cur.State == JobRetryWait && in.HoldReason == "" {
				st = JobRetryWait
			}
			_, err = tx.ExecContext(ctx, `UPDATE jobs SET keys = ?, intent = ?, intent_hash = ?, state = ?, held_reason = ?, updated_at = ? WHERE id = ?`,
				keys, intent, in.IntentHash, st, in.HoldReason, now, cur.ID)
		}
		if err != nil {
			return err
		}
		out, err = scanJob(tx.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs WHERE app = ? AND resource = ?`, in.App, in.Resource))
		return err
	})
	if err != nil {
		return Job{}, fmt.Errorf("queue job %s %s: %w", in.App, in.Resource, err)
	}
	return out, nil
}

// DeleteJob drops the queued work for (app, resource) because it became a no-op (a
// revert). A job that is in flight keeps running but loses its next intent. It reports
// whether anything was dropped.
func (s *Store) DeleteJob(ctx context.Context, app, resource string) (bool, error) {
	var n int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM jobs WHERE app = ? AND resource = ? AND state IN ('pending', 'retry_wait', 'held', 'failed')`, app, resource)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		if n > 0 {
			return nil
		}
		res, err = tx.ExecContext(ctx, `UPDATE jobs SET next_keys = NULL, next_intent = NULL, next_intent_hash = NULL, next_held_reason = NULL, updated_at = ?
			WHERE app = ? AND resource = ? AND state = 'in_flight' AND next_intent_hash IS NOT NULL`, s.nowMS(), app, resource)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("delete job %s %s: %w", app, resource, err)
	}
	return n > 0, nil
}

// Claim atomically moves up to limit due jobs (pending, or retry_wait whose time has
// come, next_attempt_at ≤ now) to in_flight, counting the attempt, and returns them,
// earliest due first. Two concurrent Claims never return the same job.
func (s *Store) Claim(ctx context.Context, now time.Time, limit int) ([]Job, error) {
	if limit <= 0 {
		return nil, nil
	}
	return s.claim(ctx, now, `SELECT id FROM jobs WHERE state IN ('pending', 'retry_wait') AND next_attempt_at <= ?
			ORDER BY next_attempt_at, id LIMIT ?`, ms(now), limit)
}

// ClaimIDs is Claim for the jobs of ids only: those of them that are due move to in_flight
// and are returned, earliest due first (the daemon runs the pull-only jobs while paused).
func (s *Store) ClaimIDs(ctx context.Context, now time.Time, ids []int64) ([]Job, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := []any{ms(now)}
	for _, id := range ids {
		args = append(args, id)
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
	return s.claim(ctx, now, `SELECT id FROM jobs WHERE state IN ('pending', 'retry_wait') AND next_attempt_at <= ?
			AND id IN (`+marks+`)`, args...)
}

// claim moves the jobs the query selects to in_flight and returns them, earliest due first.
func (s *Store) claim(ctx context.Context, now time.Time, selectIDs string, args ...any) ([]Job, error) {
	if err := s.writable(); err != nil {
		return nil, fmt.Errorf("claim jobs: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `UPDATE jobs SET state = 'in_flight', attempts = attempts + 1, updated_at = ?
		WHERE id IN (`+selectIDs+`)
		RETURNING `+jobColumns, append([]any{ms(now)}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("claim jobs: %w", err)
	}
	jobs, err := collectJobs(rows)
	if err != nil {
		return nil, fmt.Errorf("claim jobs: %w", err)
	}
	sort.Slice(jobs, func(i, k int) bool {
		if !jobs[i].NextAttemptAt.Equal(jobs[k].NextAttemptAt) {
			return jobs[i].NextAttemptAt.Before(jobs[k].NextAttemptAt)
		}
		return jobs[i].ID < jobs[k].ID
	})
	return jobs, nil
}

func collectJobs(rows *sql.Rows) ([]Job, error) {
	defer rows.Close()
	var jobs []Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, j)
	}
	return jobs, rows.Err()
}

// promoteNext is the SET clause that makes a job's next intent its intent, due now.
const promoteNext = `keys = next_keys, intent = next_intent, intent_hash = next_intent_hash,
	state = CASE WHEN next_held_reason != '' THEN 'held' ELSE 'pending' END, held_reason = next_held_reason,
	attempts = 0, next_keys = NULL, next_intent = NULL, next_intent_hash = NULL, next_held_reason = NULL`

// finish ends an in-flight attempt of job id: when a next intent is queued it takes over
// (setting extra on top, e.g. the last error); otherwise set applies.
func (s *Store) finish(ctx context.Context, op string, id int64, set string, args []any, extraOnNext string, nextArgs []any) error {
	now := s.nowMS()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var st JobState
		var hasNext bool
		err := tx.QueryRowContext(ctx, `SELECT state, next_intent_hash IS NOT NULL FROM jobs WHERE id = ?`, id).Scan(&st, &hasNext)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("job %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if st != JobInFlight {
			return fmt.Errorf("job %d is %s, not in_flight: %w", id, st, ErrWrongState)
		}
		if hasNext {
			q := `UPDATE jobs SET ` + promoteNext + `, next_attempt_at = ?, updated_at = ?` + extraOnNext + ` WHERE id = ?`
			_, err = tx.ExecContext(ctx, q, append(append([]any{now, now}, nextArgs...), id)...)
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE jobs SET `+set+`, updated_at = ? WHERE id = ?`, append(args, now, id)...)
		return err
	})
	if err != nil {
		return fmt.Errorf("%s job %d: %w", op, id, err)
	}
	return nil
}

// Complete marks an in-flight job done, or starts its next intent when one is queued.
// It wraps ErrNotFound or ErrWrongState.
func (s *Store) Complete(ctx context.Context, id int64) error {
	return s.finish(ctx, "complete", id, `state = 'done', last_error = '', held_reason = ''`, nil, `, last_error = ''`, nil)
}

// Fail records a failed attempt of an in-flight job: with a zero nextAttempt the job is
// failed (until Retry), otherwise it waits in retry_wait until nextAttempt. A queued next
// intent takes over instead, keeping the error and not starting before nextAttempt.
// cause must not hold secrets (ascapi errors are scrubbed).
func (s *Store) Fail(ctx context.Context, id int64, cause error, nextAttempt time.Time) error {
	msg := "unknown error"
	if cause != nil {
		msg = cause.Error()
	}
	due := s.nowMS()
	if !nextAttempt.IsZero() && ms(nextAttempt) > due {
		due = ms(nextAttempt)
	}
	if nextAttempt.IsZero() {
		return s.finish(ctx, "fail", id, `state = 'failed', last_error = ?`, []any{msg}, `, last_error = ?`, []any{msg})
	}
	return s.finish(ctx, "fail", id, `state = 'retry_wait', last_error = ?, next_attempt_at = ?`, []any{msg, due},
		`, last_error = ?, next_attempt_at = ?`, []any{msg, due})
}

// Hold parks a job until Approve: a pending or retry_wait job, or an in-flight one whose
// worker found it needs a decision (a conflict, too many operations). An in-flight job
// with a next intent starts that instead, since it will be planned afresh.
func (s *Store) Hold(ctx context.Context, id int64, reason string) error {
	now := s.nowMS()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var st JobState
		var hasNext bool
		err := tx.QueryRowContext(ctx, `SELECT state, next_intent_hash IS NOT NULL FROM jobs WHERE id = ?`, id).Scan(&st, &hasNext)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("job %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		switch {
		case st == JobInFlight && hasNext:
			_, err = tx.ExecContext(ctx, `UPDATE jobs SET `+promoteNext+`, next_attempt_at = ?, updated_at = ? WHERE id = ?`, now, now, id)
		case st == JobPending || st == JobRetryWait || st == JobInFlight || st == JobHeld:
			_, err = tx.ExecContext(ctx, `UPDATE jobs SET state = 'held', held_reason = ?, updated_at = ? WHERE id = ?`, reason, now, id)
		default:
			return fmt.Errorf("job %d is %s: %w", id, st, ErrWrongState)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("hold job %d: %w", id, err)
	}
	return nil
}

// ApproveKeys releases the held jobs of app ("" for every app) that change one of keys (all
// of them when keys is empty) to pending, due now, and returns how many it released.
func (s *Store) ApproveKeys(ctx context.Context, app string, keys []string) (int64, error) {
	if len(keys) == 0 {
		return s.Approve(ctx, app)
	}
	if err := s.writable(); err != nil {
		return 0, err
	}
	jobs, err := s.Jobs(ctx, JobFilter{App: app, States: []JobState{JobHeld}})
	if err != nil {
		return 0, err
	}
	want := map[string]bool{}
	for _, k := range keys {
		want[k] = true
	}
	now := s.nowMS()
	var n int64
	for _, j := range jobs {
		match := false
		for _, k := range j.Keys {
			match = match || want[k]
		}
		if !match {
			continue
		}
		res, err := s.exec(ctx, `UPDATE jobs SET state = 'pending', held_reason = '', next_attempt_at = ?, updated_at = ? WHERE id = ? AND state = 'held'`, now, now, j.ID)
		if err != nil {
			return n, fmt.Errorf("approve jobs: %w", err)
		}
		m, _ := res.RowsAffected()
		n += m
	}
	return n, nil
}

// Approve releases the held jobs of app ("" for every app) to pending, due now, and
// returns how many it released.
func (s *Store) Approve(ctx context.Context, app string) (int64, error) {
	now := s.nowMS()
	q := `UPDATE jobs SET state = 'pending', held_reason = '', next_attempt_at = ?, updated_at = ? WHERE state = 'held'`
	args := []any{now, now}
	if app != "" {
		q += ` AND app = ?`
		args = append(args, app)
	}
	res, err := s.exec(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("approve jobs: %w", err)
	}
	return res.RowsAffected()
}

// Retry makes a failed or retry_wait job pending and due now, with a fresh attempt count.
func (s *Store) Retry(ctx context.Context, id int64) error {
	now := s.nowMS()
	res, err := s.exec(ctx, `UPDATE jobs SET state = 'pending', attempts = 0, next_attempt_at = ?, updated_at = ?
		WHERE id = ? AND state IN ('failed', 'retry_wait')`, now, now, id)
	if err != nil {
		return fmt.Errorf("retry job %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.Job(ctx, id); err != nil {
			return fmt.Errorf("retry job: %w", err)
		}
		return fmt.Errorf("retry job %d: not failed or waiting: %w", id, ErrWrongState)
	}
	return nil
}

// ResetInFlight is crash recovery at start-up: jobs left in_flight by a previous process
// become pending and due now (or their next intent takes over). Attempts are kept. It
// returns how many jobs it reset. Call it only while holding the lock, before workers run.
func (s *Store) ResetInFlight(ctx context.Context) (int64, error) {
	now := s.nowMS()
	var total int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE jobs SET `+promoteNext+`, next_attempt_at = ?, updated_at = ? WHERE state = 'in_flight' AND next_intent_hash IS NOT NULL`, now, now)
		if err != nil {
			return err
		}
		n1, _ := res.RowsAffected()
		res, err = tx.ExecContext(ctx, `UPDATE jobs SET state = 'pending', next_attempt_at = ?, updated_at = ? WHERE state = 'in_flight'`, now, now)
		if err != nil {
			return err
		}
		n2, _ := res.RowsAffected()
		total = n1 + n2
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("reset in-flight jobs: %w", err)
	}
	return total, nil
}

// Job returns one job; a missing one wraps ErrNotFound.
func (s *Store) Job(ctx context.Context, id int64) (Job, error) {
	j, err := scanJob(s.db.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Job{}, fmt.Errorf("job %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Job{}, fmt.Errorf("read job %d: %w", id, err)
	}
	return j, nil
}

// JobFilter selects jobs. The zero value selects every job that is not done.
type JobFilter struct {
	// App limits to one app; "" means all.
	App string
	// States limits to these states; empty means all but done.
	States []JobState
	// Limit caps the number of jobs; 0 means no cap.
	Limit int
}

// Jobs returns the jobs f selects, oldest first.
func (s *Store) Jobs(ctx context.Context, f JobFilter) ([]Job, error) {
	var where []string
	var args []any
	if f.App != "" {
		where = append(where, "app = ?")
		args = append(args, f.App)
	}
	if len(f.States) == 0 {
		where = append(where, "state != 'done'")
	} else {
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(f.States)), ", ")
		where = append(where, "state IN ("+marks+")")
		for _, st := range f.States {
			args = append(args, string(st))
		}
	}
	q := `SELECT ` + jobColumns + ` FROM jobs WHERE ` + strings.Join(where, " AND ") + ` ORDER BY id`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	jobs, err := collectJobs(rows)
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	return jobs, nil
}

// JobCounts is the number of jobs in each open state.
type JobCounts struct {
	Pending   int `json:"pending"`
	InFlight  int `json:"in_flight"`
	RetryWait int `json:"retry_wait"`
	Held      int `json:"held"`
	Failed    int `json:"failed"`
}

// Counts returns how many jobs are in each open state, over all apps.
func (s *Store) Counts(ctx context.Context) (JobCounts, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT state, COUNT(*) FROM jobs WHERE state != 'done' GROUP BY state`)
	if err != nil {
		return JobCounts{}, fmt.Errorf("count jobs: %w", err)
	}
	defer rows.Close()
	var c JobCounts
	for rows.Next() {
		var st JobState
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return JobCounts{}, fmt.Errorf("count jobs: %w", err)
		}
		switch st {
		case JobPending:
			c.Pending = n
		case JobInFlight:
			c.InFlight = n
		case JobRetryWait:
			c.RetryWait = n
		case JobHeld:
			c.Held = n
		case JobFailed:
			c.Failed = n
		}
	}
	if err := rows.Err(); err != nil {
		return JobCounts{}, fmt.Errorf("count jobs: %w", err)
	}
	return c, nil
}

// PruneDone deletes done jobs last updated before t and returns how many.
func (s *Store) PruneDone(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.exec(ctx, `DELETE FROM jobs WHERE state = 'done' AND updated_at < ?`, ms(before))
	if err != nil {
		return 0, fmt.Errorf("prune jobs: %w", err)
	}
	return res.RowsAffected()
}
