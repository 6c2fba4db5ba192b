package ascapi

import ()

// Asset delivery states (assetDeliveryState / videoDeliveryState). Others may appear; States
// are plain strings.
const (
	StateAwaitingUpload = "AWAITING_UPLOAD"
	StateUploadComplete = "UPLOAD_COMPLETE"
	StateProcessing     = "PROCESSING"
	StateComplete       = "COMPLETE"
	StateFailed         = "FAILED"
)

// AssetError is an error or warning App Store Connect reports for an asset's processing,
// e.g. IMAGE_INCORRECT_DIMENSIONS.
type AssetError struct {
	Code        string `json:"code"`
	Description string `json:"description"`
}

// ImageAsset is the rendered image of a processed asset. TemplateURL holds {w}, {h} and {f}
// placeholders; see Client.Download.
type ImageAsset struct {
	TemplateURL string `json:"templateUrl"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
}

// HTTPHeader is one header an upload operation requires.
type HTTPHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// UploadOperation is one part of an asset upload: send bytes [Offset, Offset+Length) of the
// file with Method to URL, with exactly RequestHeaders.
type UploadOperation struct {
	Method         string       `json:"method"`
	URL            string       `json:"url"`
	Length         int64        `json:"length"`
	Offset         int64        `json:"offset"`
	RequestHeaders []HTTPHeader `json:"requestHeaders"`
}

// Asset is what screenshots and previews share. SourceFileChecksum is nil until App Store
// Connect has processed the file; UploadOperations is empty after commit; ImageAsset is nil
// until processed.
type Asset struct {
	ID                 string
	FileName           string
	FileSize           int64
	SourceFileChecksum *string
	// State comes from videoDeliveryState for previews and assetDeliveryState otherwise.
	State            string
	Errors           []AssetError
	Warnings         []AssetError
	UploadOperations []UploadOperation
	ImageAsset       *ImageAsset
}

// AssetStatus classifies an asset for a sync decision.
type AssetStatus int

// The asset statuses.
const (
	// AssetPending means still uploading or processing (or COMPLETE without a checksum yet).
	AssetPending AssetStatus = iota
	// AssetReady means COMPLETE with a checksum: it counts as the remote content.
	AssetReady
	// AssetFailed means processing failed; Errors says why.
	AssetFailed
)

// String returns "pending", "ready" or "failed".
func (s AssetStatus) String() string {
	switch s {
	case AssetReady:
		return "ready"
	case AssetFailed:
		return "failed"
	}
	return "pending"
}

// Status classifies the asset. It is pure: the sync engine calls it on the assets of a
// freshly listed set. A nil asset is pending.
func (a *Asset) Status() AssetStatus {
	switch {
	case a == nil:
		return AssetPending
	case a.State == StateFailed:
		return AssetFailed
	case a.State == StateComplete && a.SourceFileChecksum != nil && *a.SourceFileChecksum != "":
		return AssetReady
	}
	return AssetPending
}

// Classify is Status as a function, for callers that classify the assets of a listed set.
func Classify(a *Asset) AssetStatus { return a.Status() }

// Ready reports whether the asset is COMPLETE and its checksum is set.
func (a *Asset) Ready() bool { return a.Status() == AssetReady }

// Checksum returns the source checksum, or "" while it is null.
func (a *Asset) Checksum() string {
	if a == nil || a.SourceFileChecksum == nil {
		return ""
	}
	return *a.SourceFileChecksum
}

// deliveryState is AppMediaAssetState / AppMediaVideoState.
type deliveryState struct {
	State    string       `json:"state"`
	Errors   []AssetError `json:"errors"`
	Warnings []AssetError `json:"warnings"`
}

// assetAttrs are the attributes of appScreenshots and appPreviews.
type assetAttrs struct {
	FileName             string            `json:"fileName"`
	FileSize             int64             `json:"fileSize"`
	SourceFileChecksum   *string           `json:"sourceFileChecksum"`
	ImageAsset           *ImageAsset       `json:"imageAsset"`
	UploadOperations     []UploadOperation `json:"uploadOperations"`
	AssetDeliveryState   *deliveryState    `json:"assetDeliveryState"`
	VideoDeliveryState   *deliveryState    `json:"videoDeliveryState"`
	MimeType             *string           `json:"mimeType"`
	VideoURL             *string           `json:"videoUrl"`
	PreviewFrameTimeCode *string           `json:"previewFrameTimeCode"`
	PreviewFrameImage    *struct {
		Image *ImageAsset `json:"image"`
	} `json:"previewFrameImage"`
}

// assetResource is an appScreenshots or appPreviews resource with its attributes decoded, in
// the same pass as the document that holds it.
type assetResource struct {
	Type       string     `json:"type"`
	ID         string     `json:"id"`
	Attributes assetAttrs `json:"attributes"`
}

// toAssetResource decodes r's attributes as an asset's.
func toAssetResource(r resource) (assetResource, error) {
	ar := assetResource{Type: r.Type, ID: r.ID}
	err := decodeAttrs(r, &ar.Attributes)
	return ar, err
}

// asset returns the Asset ar describes.
func (ar *assetResource) asset() *Asset {
	at := &ar.Attributes
	a := &Asset{
		ID:                 ar.ID,
		FileName:           at.FileName,
		FileSize:           at.FileSize,
		SourceFileChecksum: at.SourceFileChecksum,
		UploadOperations:   at.UploadOperations,
		ImageAsset:         at.ImageAsset,
	}
	st := at.AssetDeliveryState
	if at.VideoDeliveryState != nil {
		st = at.VideoDeliveryState
	}
	if st != nil {
		a.State, a.Errors, a.Warnings = st.State, st.Errors, st.Warnings
	}
	return a
}
