package remote

import (
	"context"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/storesyncer/storesyncer/internal/plan"
)

// maxDownload bounds a download: a preview is at most 500 MB.
const maxDownload = 512 << 20

// DownloadAsset returns the processed asset: for a screenshot, Apple's render from its image
// template at full width and height, PNG for a .png file name and JPEG otherwise (the bytes
// never equal the uploaded file; compare checksums, not bytes); for a preview, its video.
func (r *Remote) DownloadAsset(ctx context.Context, a RemoteAsset) ([]byte, error) {
	var rc io.ReadCloser
	var err error
	switch {
	case a.Kind == plan.Preview:
		if a.VideoURL == "" {
			return nil, fmt.Errorf("download %s: preview %s has no video yet (%s)", a.FileName, a.ID, a.State)
		}
		rc, err = r.c.Download(ctx, a.VideoURL, 0, 0, "")
	case a.ImageTemplateURL == "":
		return nil, fmt.Errorf("download %s: screenshot %s has no image yet (%s)", a.FileName, a.ID, a.State)
	default:
		rc, err = r.c.Download(ctx, a.ImageTemplateURL, a.ImageWidth, a.ImageHeight, imageFormat(a.FileName))
	}
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", a.FileName, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxDownload+1))
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", a.FileName, err)
	}
	if len(b) > maxDownload {
		return nil, fmt.Errorf("download %s: larger than %d bytes", a.FileName, maxDownload)
	}
	return b, nil
}

// imageFormat is the render format for a file name: png for .png, else jpg.
func imageFormat(name string) string {
	if strings.EqualFold(path.Ext(name), ".png") {
		return "png"
	}
	return "jpg"
}
