package state

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// UploadState is how far an asset reservation got.
type UploadState string

// The upload states: reserved on App Store Connect (AWAITING_UPLOAD), parts uploaded,
// committed (uploaded = true sent; processing may still run), complete (processed, the set
// not yet settled), and deleted (an asset of the set StoreSyncer deletes or deleted; FileMD5
// is the deleted asset's checksum).
const (
	UploadReserved  UploadState = "reserved"
	UploadUploaded  UploadState = "uploaded"
	UploadCommitted UploadState = "committed"
	UploadComplete  UploadState = "complete"
	UploadDeleted   UploadState = "deleted"
)

// Upload records one asset reservation in progress, written before the parts are sent, so
// a restarted daemon finds the asset it reserved and resumes or deletes it instead of
// reserving a duplicate. It is a plain value.
type Upload struct {
	ID int64
	// JobID is the job that made it; 0 once that job is gone.
	JobID int64
	App   string
	// SetResource is the screenshot or preview set, e.g. "ja/screenshot/APP_IPHONE_67".
	SetResource string
	// AssetID is App Store Connect's ID of the appScreenshot or appPreview.
	AssetID   string
	FileMD5   string
	FileName  string
	FileSize  int64
	State     UploadState
	CreatedAt time.Time
	UpdatedAt time.Time
}

// AddUpload records a reservation (State defaults to reserved) and returns its ID.
func (s *Store) AddUpload(ctx context.Context, u Upload) (int64, error) {
	if u.State == "" {
		u.State = UploadReserved
	}
	var jobID any
	if u.JobID != 0 {
		jobID = u.JobID
	}
	now := s.nowMS()
	res, err := s.exec(ctx, `INSERT INTO uploads (job_id, app, set_resource, asset_id, file_md5, file_name, file_size, state, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, jobID, u.App, u.SetResource, u.AssetID, u.FileMD5, u.FileName, u.FileSize, u.State, now, now)
	if err != nil {
		return 0, fmt.Errorf("record upload %s of %s: %w", u.FileName, u.SetResource, err)
	}
	return res.LastInsertId()
}

// SetUploadState moves an upload to st; a missing one wraps ErrNotFound.
func (s *Store) SetUploadState(ctx context.Context, id int64, st UploadState) error {
	res, err := s.exec(ctx, `UPDATE uploads SET state = ?, updated_at = ? WHERE id = ?`, st, s.nowMS(), id)
	if err != nil {
		return fmt.Errorf("update upload %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("update upload %d: %w", id, ErrNotFound)
	}
	return nil
}

// DeleteUpload forgets an upload: its set reached its planned state, or the asset it made was
// deleted.
func (s *Store) DeleteUpload(ctx context.Context, id int64) error {
	if _, err := s.exec(ctx, `DELETE FROM uploads WHERE id = ?`, id); err != nil {
		return fmt.Errorf("delete upload %d: %w", id, err)
	}
	return nil
}

// Uploads returns the recorded uploads of one set of app (setResource "" for all of the
// app's sets; app "" for every app), oldest first.
func (s *Store) Uploads(ctx context.Context, app, setResource string) ([]Upload, error) {
	where := `1 = 1`
	var args []any
	if app != "" {
		where += ` AND app = ?`
		args = append(args, app)
	}
	if setResource != "" {
		where += ` AND set_resource = ?`
		args = append(args, setResource)
	}
	return s.queryUploads(ctx, where, args...)
}

// UploadByAsset returns the upload of an asset ID; a missing one wraps ErrNotFound.
func (s *Store) UploadByAsset(ctx context.Context, assetID string) (Upload, error) {
	ups, err := s.queryUploads(ctx, `asset_id = ?`, assetID)
	if err != nil {
		return Upload{}, err
	}
	if len(ups) == 0 {
		return Upload{}, fmt.Errorf("upload of asset %s: %w", assetID, ErrNotFound)
	}
	return ups[0], nil
}

func (s *Store) queryUploads(ctx context.Context, where string, args ...any) ([]Upload, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, job_id, app, set_resource, asset_id, file_md5, file_name, file_size, state, created_at, updated_at
		FROM uploads WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list uploads: %w", err)
	}
	defer rows.Close()
	var out []Upload
	for rows.Next() {
		var u Upload
		var job sql.NullInt64
		var created, updated int64
		if err := rows.Scan(&u.ID, &job, &u.App, &u.SetResource, &u.AssetID, &u.FileMD5, &u.FileName, &u.FileSize, &u.State, &created, &updated); err != nil {
			return nil, fmt.Errorf("list uploads: %w", err)
		}
		u.JobID, u.CreatedAt, u.UpdatedAt = job.Int64, fromMS(created), fromMS(updated)
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list uploads: %w", err)
	}
	return out, nil
}
