package engine

import (
	"context"
	"fmt"

	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/remote"
)

// RemoteSetImages returns App Store Connect's screenshots of set key, in display order, as
// Apple renders them (never the uploaded bytes), at most limit of them: the remote side of a
// media conflict, for people to look at. It reads the set's locale (a few API calls) and
// downloads the images (upload traffic, not API calls). A preview set has no images to show.
func (e *Engine) RemoteSetImages(ctx context.Context, bundleID string, key plan.Key, limit int) ([][]byte, error) {
	kind, _, ok := key.Media()
	if !ok || kind != plan.Screenshot {
		return nil, fmt.Errorf("remote images of %s: not a screenshot set", key)
	}
	a, r, ra, err := e.app(bundleID)
	if err != nil {
		return nil, err
	}
	if err := e.checkApp(a); err != nil {
		return nil, err
	}
	snap, err := r.Fetch(ctx, ra, remote.Scope{MediaLocales: []string{key.Locale()}})
	if err != nil {
		return nil, fmt.Errorf("remote images of %s: %w", key, err)
	}
	var out [][]byte
	for _, as := range snap.Remote[key].Assets {
		if len(out) == limit {
			break
		}
		ra, ok := snap.Assets[as.RemoteID]
		if !ok {
			continue
		}
		b, err := r.DownloadAsset(ctx, ra)
		if err != nil {
			return out, err
		}
		out = append(out, b)
	}
	return out, nil
}
