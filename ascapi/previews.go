package ascapi

import (
	"context"
	"path/filepath"
	"strings"
)

// PreviewSet is an appPreviewSet with its previews in display order.
type PreviewSet struct {
	ID string
	// PreviewType is IPHONE_67, IPAD_PRO_3GEN_129, … (no APP_ prefix).
	PreviewType string
	Previews    []*Preview
}

// Preview is an appPreview. Its State comes from videoDeliveryState.
type Preview struct {
	Asset
	MimeType             *string
	VideoURL             *string
	PreviewFrameTimeCode *string
	PreviewFrameImage    *ImageAsset
}

// PreviewSetsService reads and writes appPreviewSets. It is safe for concurrent use.
type PreviewSetsService struct{ service }

// PreviewsService reads and writes appPreviews. It is safe for concurrent use.
type PreviewsService struct{ service }

// MimeTypeFor returns the preview MIME type for a file name's extension (.mp4, .mov, .m4v),
// or "" for others.
func MimeTypeFor(fileName string) string {
	switch strings.ToLower(filepath.Ext(fileName)) {
	case ".mp4":
		return "video/mp4"
	case ".mov":
		return "video/quicktime"
	case ".m4v":
		return "video/x-m4v"
	}
	return ""
}

func toPreview(r resource) (*Preview, error) {
	ar, err := toAssetResource(r)
	if err != nil {
		return nil, err
	}
	return previewOf(&ar), nil
}

func previewOf(ar *assetResource) *Preview {
	at := &ar.Attributes
	p := &Preview{Asset: *ar.asset(), MimeType: at.MimeType, VideoURL: at.VideoURL, PreviewFrameTimeCode: at.PreviewFrameTimeCode}
	if at.PreviewFrameImage != nil {
		p.PreviewFrameImage = at.PreviewFrameImage.Image
	}
	return p
}

func toPreviews(rs []assetResource) []*Preview {
	out := make([]*Preview, 0, len(rs))
	for i := range rs {
		out = append(out, previewOf(&rs[i]))
	}
	return out
}

// List returns the version localization's preview sets with their previews in display order.
func (s *PreviewSetsService) List(ctx context.Context, versionLocalizationID string) ([]*PreviewSet, *Response, error) {
	raw, resp, err := s.c.listSets(ctx, previewKind, versionLocalizationID)
	if err != nil {
		return nil, resp, err
	}
	out := make([]*PreviewSet, 0, len(raw))
	for _, r := range raw {
		out = append(out, &PreviewSet{ID: r.id, PreviewType: r.setType, Previews: toPreviews(r.assets)})
	}
	return out, resp, nil
}

// Create creates an empty set of previewType in the version localization.
func (s *PreviewSetsService) Create(ctx context.Context, versionLocalizationID, previewType string) (*PreviewSet, *Response, error) {
	id, resp, err := s.c.createSet(ctx, previewKind, versionLocalizationID, previewType)
	if err != nil {
		return nil, resp, err
	}
	return &PreviewSet{ID: id, PreviewType: previewType}, resp, nil
}

// Delete removes the set and its previews.
func (s *PreviewSetsService) Delete(ctx context.Context, id string) (*Response, error) {
	return s.c.deleteRes(ctx, previewKind.setTyp, "preview set", id)
}

// Reorder sets the display order; previewIDs must hold every preview of the set.
func (s *PreviewSetsService) Reorder(ctx context.Context, setID string, previewIDs []string) (*Response, error) {
	return s.c.reorder(ctx, previewKind, setID, previewIDs)
}

// ListBySet returns the set's previews in display order.
func (s *PreviewsService) ListBySet(ctx context.Context, setID string) ([]*Preview, *Response, error) {
	rs, resp, err := s.c.listSetAssets(ctx, previewKind, setID)
	if err != nil {
		return nil, resp, err
	}
	return toPreviews(rs), resp, nil
}

// Get returns one preview.
func (s *PreviewsService) Get(ctx context.Context, id string) (*Preview, *Response, error) {
	r, resp, err := s.c.getAsset(ctx, previewKind, id)
	if err != nil {
		return nil, resp, err
	}
	p, err := toPreview(r)
	return p, resp, err
}

// Reserve creates a preview placeholder in the set, with the MIME type derived from
// fileName's extension.
func (s *PreviewsService) Reserve(ctx context.Context, setID, fileName string, fileSize int64) (*Preview, *Response, error) {
	r, resp, err := s.c.reserve(ctx, previewKind, setID, fileName, fileSize, previewExtra(fileName))
	if err != nil {
		return nil, resp, err
	}
	p, err := toPreview(r)
	return p, resp, err
}

func previewExtra(fileName string) map[string]any {
	if mt := MimeTypeFor(fileName); mt != "" {
		return map[string]any{"mimeType": mt}
	}
	return nil
}

// Commit marks the preview uploaded; md5hex is the lowercase hex MD5 of the whole file.
func (s *PreviewsService) Commit(ctx context.Context, id, md5hex string) (*Preview, *Response, error) {
	r, resp, err := s.c.commit(ctx, previewKind, id, md5hex)
	if err != nil {
		return nil, resp, err
	}
	p, err := toPreview(r)
	return p, resp, err
}

// Delete removes the preview.
func (s *PreviewsService) Delete(ctx context.Context, id string) (*Response, error) {
	return s.c.deleteRes(ctx, previewKind.typ, "preview", id)
}
