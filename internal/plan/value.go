package plan

import "slices"

// Asset states as App Store Connect reports them (AppMediaAssetState, AppMediaVideoState).
const (
	StateAwaitingUpload = "AWAITING_UPLOAD"
	StateUploadComplete = "UPLOAD_COMPLETE"
	StateProcessing     = "PROCESSING"
	StateComplete       = "COMPLETE"
	StateFailed         = "FAILED"
)

// Asset is one screenshot or preview. Local assets carry Name, Checksum and Size; remote ones
// also RemoteID and State; base assets only Checksum.
type Asset struct {
	// Name is the file name (local) or fileName (remote). Names are never compared: a renamed
	// file with the same content is the same asset.
	Name string `json:"name,omitempty"`
	// Checksum is the MD5 of the original file, lower-case hex, as Apple's sourceFileChecksum.
	// For a pulled image the caller passes the remote checksum recorded in .storesyncer/.
	Checksum string `json:"checksum"`
	// Size is the file size in bytes.
	Size int64 `json:"size,omitempty"`
	// RemoteID is the appScreenshots/appPreviews ID (remote only).
	RemoteID string `json:"remoteId,omitempty"`
	// State is the delivery state (remote only). Empty means COMPLETE, so local and base
	// values need not set it.
	State string `json:"state,omitempty"`
}

// complete reports whether the asset counts as part of the set's content. An asset that says
// COMPLETE before its checksum is published is still processing (asc-api.md pitfall 3).
func (a Asset) complete() bool {
	return (a.State == "" || a.State == StateComplete) && a.Checksum != ""
}

// processing reports whether the asset is still on its way to COMPLETE or FAILED.
func (a Asset) processing() bool {
	switch a.State {
	case StateUploadComplete, StateProcessing:
		return true
	case "", StateComplete:
		return a.Checksum == ""
	}
	return false
}

// Value is one side of a key: Text for a text key, the ordered Assets for a media key. The zero
// Value means absent (not managed locally, not set remotely, no base).
//
// Text must already be normalized (BOM dropped, LF line ends, trimmed); "" is absent. A media
// value is absent when it holds no COMPLETE asset: a remote set that exists but is empty (or
// holds only unfinished uploads) has nothing to lose.
type Value struct {
	// Text is the value of a text key.
	Text string `json:"text,omitempty"`
	// Assets are the assets of a media key, in display order.
	Assets []Asset `json:"assets,omitempty"`
	// Busy marks a remote set whose assets are still processing; the planner also treats a set
	// as busy when an asset is UPLOAD_COMPLETE or PROCESSING. The remote side relabels an
	// asset stuck past its deadline as FAILED so that it is cleaned up as a leftover.
	Busy bool `json:"busy,omitempty"`
}

// TextValue returns the value of a text key.
func TextValue(s string) Value { return Value{Text: s} }

// ChecksumValue returns a media value made of checksums only, in order: the shape of a media
// base.
func ChecksumValue(checksums ...string) Value {
	v := Value{Assets: make([]Asset, len(checksums))}
	for i, c := range checksums {
		v.Assets[i] = Asset{Checksum: c}
	}
	return v
}

// Checksums returns the checksums of the COMPLETE assets of v, in order.
func (v Value) Checksums() []string {
	out := make([]string, 0, len(v.Assets))
	for _, a := range v.Assets {
		if a.complete() {
			out = append(out, a.Checksum)
		}
	}
	return out
}

// Absent reports whether v means "no value" (see Value).
func (v Value) Absent() bool {
	if v.Text != "" {
		return false
	}
	for _, a := range v.Assets {
		if a.complete() {
			return false
		}
	}
	return true
}

// busy reports whether the set is still processing an asset.
func (v Value) busy() bool {
	return v.Busy || slices.ContainsFunc(v.Assets, Asset.processing)
}

// same reports whether a and b hold the same content: equal text, or the same checksums of
// COMPLETE assets in the same order.
func same(a, b Value) bool {
	if a.Text != b.Text {
		return false
	}
	i, j := 0, 0
	for {
		for i < len(a.Assets) && !a.Assets[i].complete() {
			i++
		}
		for j < len(b.Assets) && !b.Assets[j].complete() {
			j++
		}
		if i == len(a.Assets) || j == len(b.Assets) {
			return i == len(a.Assets) && j == len(b.Assets)
		}
		if a.Assets[i].Checksum != b.Assets[j].Checksum {
			return false
		}
		i, j = i+1, j+1
	}
}

// baseOf returns what the base becomes when v is what App Store Connect holds: the text, or
// the ordered checksum list; nil for an absent v (the base row is deleted).
func baseOf(v Value) *Value {
	if v.Absent() {
		return &Value{}
	}
	if v.Text != "" {
		return &Value{Text: v.Text}
	}
	b := ChecksumValue(v.Checksums()...)
	return &b
}
