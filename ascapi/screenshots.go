package ascapi

import (
	"context"
)

// ScreenshotSet is an appScreenshotSet with its screenshots in display order.
type ScreenshotSet struct {
	ID string
	// DisplayType is the screenshotDisplayType (APP_IPHONE_67, …; APP_IPHONE_69 may be read
	// back as APP_IPHONE_67).
	DisplayType string
	Screenshots []*Screenshot
}

// Screenshot is an appScreenshot.
type Screenshot struct {
	Asset
}

// ScreenshotSetsService reads and writes appScreenshotSets. It is safe for concurrent use.
type ScreenshotSetsService struct{ service }

// ScreenshotsService reads and writes appScreenshots. It is safe for concurrent use.
type ScreenshotsService struct{ service }

func toScreenshots(rs []assetResource) []*Screenshot {
	out := make([]*Screenshot, 0, len(rs))
	for i := range rs {
		out = append(out, &Screenshot{Asset: *rs[i].asset()})
	}
	return out
}

func toScreenshot(r resource) (*Screenshot, error) {
	ar, err := toAssetResource(r)
	if err != nil {
		return nil, err
	}
	return &Screenshot{Asset: *ar.asset()}, nil
}

// List returns the version localization's screenshot sets, each with its screenshots in the
// order of the set's relationship linkage (the display order), following pagination.
func (s *ScreenshotSetsService) List(ctx context.Context, versionLocalizationID string) ([]*ScreenshotSet, *Response, error) {
	raw, resp, err := s.c.listSets(ctx, screenshotKind, versionLocalizationID)
	if err != nil {
		return nil, resp, err
	}
	out := make([]*ScreenshotSet, 0, len(raw))
	for _, r := range raw {
		out = append(out, &ScreenshotSet{ID: r.id, DisplayType: r.setType, Screenshots: toScreenshots(r.assets)})
	}
	return out, resp, nil
}

// Create creates an empty set of displayType in the version localization.
func (s *ScreenshotSetsService) Create(ctx context.Context, versionLocalizationID, displayType string) (*ScreenshotSet, *Response, error) {
	id, resp, err := s.c.createSet(ctx, screenshotKind, versionLocalizationID, displayType)
	if err != nil {
		return nil, resp, err
	}
	return &ScreenshotSet{ID: id, DisplayType: displayType}, resp, nil
}

// Delete removes the set and its screenshots.
func (s *ScreenshotSetsService) Delete(ctx context.Context, id string) (*Response, error) {
	return s.c.deleteRes(ctx, screenshotKind.setTyp, "screenshot set", id)
}

// Reorder sets the display order; screenshotIDs must hold every screenshot of the set.
func (s *ScreenshotSetsService) Reorder(ctx context.Context, setID string, screenshotIDs []string) (*Response, error) {
	return s.c.reorder(ctx, screenshotKind, setID, screenshotIDs)
}

// ListBySet returns the set's screenshots in display order.
func (s *ScreenshotsService) ListBySet(ctx context.Context, setID string) ([]*Screenshot, *Response, error) {
	rs, resp, err := s.c.listSetAssets(ctx, screenshotKind, setID)
	if err != nil {
		return nil, resp, err
	}
	return toScreenshots(rs), resp, nil
}

// Get returns one screenshot.
func (s *ScreenshotsService) Get(ctx context.Context, id string) (*Screenshot, *Response, error) {
	r, resp, err := s.c.getAsset(ctx, screenshotKind, id)
	if err != nil {
		return nil, resp, err
	}
	sh, err := toScreenshot(r)
	return sh, resp, err
}

// Reserve creates a screenshot placeholder in the set; the result carries UploadOperations.
func (s *ScreenshotsService) Reserve(ctx context.Context, setID, fileName string, fileSize int64) (*Screenshot, *Response, error) {
	r, resp, err := s.c.reserve(ctx, screenshotKind, setID, fileName, fileSize, nil)
	if err != nil {
		return nil, resp, err
	}
	sh, err := toScreenshot(r)
	return sh, resp, err
}

// Commit marks the screenshot uploaded; md5hex is the lowercase hex MD5 of the whole file.
func (s *ScreenshotsService) Commit(ctx context.Context, id, md5hex string) (*Screenshot, *Response, error) {
	r, resp, err := s.c.commit(ctx, screenshotKind, id, md5hex)
	if err != nil {
		return nil, resp, err
	}
	sh, err := toScreenshot(r)
	return sh, resp, err
}

// Delete removes the screenshot.
func (s *ScreenshotsService) Delete(ctx context.Context, id string) (*Response, error) {
	return s.c.deleteRes(ctx, screenshotKind.typ, "screenshot", id)
}
