package remote

import (
	"context"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/internal/plan"
)

// asset is a screenshot or preview as this package handles both.
type asset struct {
	ascapi.Asset
	videoURL string
}

func (a asset) errorCodes() []string {
	var out []string
	for _, e := range a.Errors {
		out = append(out, e.Code)
	}
	return out
}

// mediaSet is a listed set with its assets in display order.
type mediaSet struct {
	id, typ string
	assets  []asset
}

// media is what Fetch and Apply need of one media kind; screenshots and previews differ only
// in the ascapi services behind it.
type media interface {
	kind() plan.MediaKind
	listSets(ctx context.Context, locID string) ([]mediaSet, error)
	createSet(ctx context.Context, locID, typ string) (string, error)
	deleteSet(ctx context.Context, id string) error
	listAssets(ctx context.Context, setID string) ([]asset, error)
	get(ctx context.Context, id string) (asset, error)
	reserve(ctx context.Context, setID, fileName string, size int64) (asset, error)
	commit(ctx context.Context, id, md5hex string) (asset, error)
	deleteAsset(ctx context.Context, id string) error
	reorder(ctx context.Context, setID string, ids []string) error
}

func (r *Remote) media(k plan.MediaKind) media {
	if k == plan.Preview {
		return previews{r.c}
	}
	return screenshots{r.c}
}

type screenshots struct{ c *ascapi.Client }

var _ media = screenshots{}

func (screenshots) kind() plan.MediaKind { return plan.Screenshot }

func shot(s *ascapi.Screenshot) asset { return asset{Asset: s.Asset} }

func shots(ss []*ascapi.Screenshot) []asset {
	out := make([]asset, 0, len(ss))
	for _, s := range ss {
		out = append(out, shot(s))
	}
	return out
}

func (m screenshots) listSets(ctx context.Context, locID string) ([]mediaSet, error) {
	sets, _, err := m.c.ScreenshotSets.List(ctx, locID)
	if err != nil {
		return nil, err
	}
	out := make([]mediaSet, 0, len(sets))
	for _, s := range sets {
		out = append(out, mediaSet{id: s.ID, typ: s.DisplayType, assets: shots(s.Screenshots)})
	}
	return out, nil
}

func (m screenshots) createSet(ctx context.Context, locID, typ string) (string, error) {
	s, _, err := m.c.ScreenshotSets.Create(ctx, locID, typ)
	if err != nil {
		return "", err
	}
	return s.ID, nil
}

func (m screenshots) deleteSet(ctx context.Context, id string) error {
	_, err := m.c.ScreenshotSets.Delete(ctx, id)
	return err
}

func (m screenshots) listAssets(ctx context.Context, setID string) ([]asset, error) {
	ss, _, err := m.c.Screenshots.ListBySet(ctx, setID)
	if err != nil {
		return nil, err
	}
	return shots(ss), nil
}

func (m screenshots) get(ctx context.Context, id string) (asset, error) {
	s, _, err := m.c.Screenshots.Get(ctx, id)
	if err != nil {
		return asset{}, err
	}
	return shot(s), nil
}

func (m screenshots) reserve(ctx context.Context, setID, fileName string, size int64) (asset, error) {
	s, _, err := m.c.Screenshots.Reserve(ctx, setID, fileName, size)
	if err != nil {
		return asset{}, err
	}
	return shot(s), nil
}

func (m screenshots) commit(ctx context.Context, id, md5hex string) (asset, error) {
	s, _, err := m.c.Screenshots.Commit(ctx, id, md5hex)
	if err != nil {
		return asset{}, err
	}
	return shot(s), nil
}

func (m screenshots) deleteAsset(ctx context.Context, id string) error {
	_, err := m.c.Screenshots.Delete(ctx, id)
	return err
}

func (m screenshots) reorder(ctx context.Context, setID string, ids []string) error {
	_, err := m.c.ScreenshotSets.Reorder(ctx, setID, ids)
	return err
}

type previews struct{ c *ascapi.Client }

var _ media = previews{}

func (previews) kind() plan.MediaKind { return plan.Preview }

func prev(p *ascapi.Preview) asset {
	a := asset{Asset: p.Asset}
	if p.VideoURL != nil {
		a.videoURL = *p.VideoURL
	}
	return a
}

func prevs(ps []*ascapi.Preview) []asset {
	out := make([]asset, 0, len(ps))
	for _, p := range ps {
		out = append(out, prev(p))
	}
	return out
}

func (m previews) listSets(ctx context.Context, locID string) ([]mediaSet, error) {
	sets, _, err := m.c.PreviewSets.List(ctx, locID)
	if err != nil {
		return nil, err
	}
	out := make([]mediaSet, 0, len(sets))
	for _, s := range sets {
		out = append(out, mediaSet{id: s.ID, typ: s.PreviewType, assets: prevs(s.Previews)})
	}
	return out, nil
}

func (m previews) createSet(ctx context.Context, locID, typ string) (string, error) {
	s, _, err := m.c.PreviewSets.Create(ctx, locID, typ)
	if err != nil {
		return "", err
	}
	return s.ID, nil
}

func (m previews) deleteSet(ctx context.Context, id string) error {
	_, err := m.c.PreviewSets.Delete(ctx, id)
	return err
}

func (m previews) listAssets(ctx context.Context, setID string) ([]asset, error) {
	ps, _, err := m.c.Previews.ListBySet(ctx, setID)
	if err != nil {
		return nil, err
	}
	return prevs(ps), nil
}

func (m previews) get(ctx context.Context, id string) (asset, error) {
	p, _, err := m.c.Previews.Get(ctx, id)
	if err != nil {
		return asset{}, err
	}
	return prev(p), nil
}

func (m previews) reserve(ctx context.Context, setID, fileName string, size int64) (asset, error) {
	p, _, err := m.c.Previews.Reserve(ctx, setID, fileName, size)
	if err != nil {
		return asset{}, err
	}
	return prev(p), nil
}

func (m previews) commit(ctx context.Context, id, md5hex string) (asset, error) {
	p, _, err := m.c.Previews.Commit(ctx, id, md5hex)
	if err != nil {
		return asset{}, err
	}
	return prev(p), nil
}

func (m previews) deleteAsset(ctx context.Context, id string) error {
	_, err := m.c.Previews.Delete(ctx, id)
	return err
}

func (m previews) reorder(ctx context.Context, setID string, ids []string) error {
	_, err := m.c.PreviewSets.Reorder(ctx, setID, ids)
	return err
}
