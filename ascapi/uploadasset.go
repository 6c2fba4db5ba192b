package ascapi

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// UploadError reports an upload that failed after its asset was reserved: AssetID names the
// placeholder left on App Store Connect (AWAITING_UPLOAD, or unknown if the commit's outcome
// is unknown), which the caller deletes or re-uses.
type UploadError struct {
	AssetID  string
	FileName string
	Err      error
}

// Error says which file and placeholder.
func (e *UploadError) Error() string {
	return fmt.Sprintf("upload %s (reserved as %s): %v", e.FileName, e.AssetID, e.Err)
}

// Unwrap returns the cause.
func (e *UploadError) Unwrap() error { return e.Err }

// UploadAsset reserves an asset of kind in the set, uploads size bytes of src in parts and
// commits it with the MD5 of the whole file. It returns the committed asset (usually
// UPLOAD_COMPLETE); waiting for processing is WaitProcessed's job. Errors after the
// reservation are *UploadError.
func (c *Client) UploadAsset(ctx context.Context, kind AssetKind, setID, fileName string, src io.ReaderAt, size int64) (*Asset, error) {
	k := kind.desc()
	h := md5.New()
	if _, err := io.Copy(h, io.NewSectionReader(src, 0, size)); err != nil {
		return nil, fmt.Errorf("hash %s: %w", fileName, err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	var extra map[string]any
	if kind == KindPreview {
		extra = previewExtra(fileName)
	}
	r, _, err := c.reserve(ctx, k, setID, fileName, size, extra)
	if err != nil {
		return nil, err
	}
	reserved, _, err := decodeAsset(r)
	if err != nil {
		return nil, fmt.Errorf("reserve %s %s: %w", k.what, fileName, err)
	}
	if len(reserved.UploadOperations) == 0 {
		return nil, &UploadError{AssetID: reserved.ID, FileName: fileName, Err: errors.New("reservation has no upload operations")}
	}
	if err := c.Upload(ctx, reserved.UploadOperations, src); err != nil {
		return nil, &UploadError{AssetID: reserved.ID, FileName: fileName, Err: err}
	}
	r, _, err = c.commit(ctx, k, reserved.ID, sum)
	if err != nil {
		return nil, &UploadError{AssetID: reserved.ID, FileName: fileName, Err: err}
	}
	a, _, err := decodeAsset(r)
	if err != nil {
		return nil, &UploadError{AssetID: reserved.ID, FileName: fileName, Err: err}
	}
	if a.ID == "" { // an answer without a body
		a = reserved
		a.UploadOperations = nil
	}
	return a, nil
}

// UploadAssetFile uploads the file at path (named by its base name) as UploadAsset does.
func (c *Client) UploadAssetFile(ctx context.Context, kind AssetKind, setID, path string) (*Asset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("upload %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("upload %s: %w", path, err)
	}
	return c.UploadAsset(ctx, kind, setID, filepath.Base(path), f, st.Size())
}

// WaitProcessed calls get every poll interval until the asset is ready (returned with a nil
// error), FAILED (an *AssetFailedError with Apple's codes) or the processing timeout has
// passed since the call (an error matching ErrStuck, with the last asset seen). Errors from
// get end the wait.
func (c *Client) WaitProcessed(ctx context.Context, get func(ctx context.Context) (*Asset, error)) (*Asset, error) {
	deadline := c.now().Add(c.stuck)
	for {
		a, err := get(ctx)
		if err != nil {
			return nil, err
		}
		switch a.Status() {
		case AssetReady:
			return a, nil
		case AssetFailed:
			return a, &AssetFailedError{ID: a.ID, FileName: a.FileName, Errors: a.Errors}
		}
		if !c.now().Before(deadline) {
			return a, fmt.Errorf("asset %s (%s) still %s after %s: %w", a.ID, a.FileName, a.State, c.stuck, ErrStuck)
		}
		if err := c.sleep(ctx, c.poll); err != nil {
			return a, err
		}
	}
}
