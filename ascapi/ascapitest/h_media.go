package ascapitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
)

// mediaKind holds what differs between screenshots and previews; their endpoints share code.
type mediaKind struct {
	setType, assetType string // appScreenshotSets, appScreenshots
	typeAttr           string // screenshotDisplayType or previewType
	setRel, parentRel  string // appScreenshots (set → assets), appScreenshotSet (asset → set)
	max                int
	maxBytes           int64
	noun               string
	assetCreateAttrs   map[string]string
	assetUpdateAttrs   map[string]string
}

// maxScreenshotBytes bounds a screenshot reservation; Apple publishes no limit, real
// screenshots are a few MB.
const maxScreenshotBytes = 50 << 20

var (
	screenshotKind = mediaKind{setType: typeScreenshotSet, assetType: typeScreenshots, typeAttr: "screenshotDisplayType",
		setRel: "appScreenshots", parentRel: "appScreenshotSet", max: appleFacts.MaxScreenshots, maxBytes: maxScreenshotBytes, noun: "Screenshot",
		assetCreateAttrs: map[string]string{"fileName": "string", "fileSize": "int"},
		assetUpdateAttrs: map[string]string{"uploaded": "bool", "sourceFileChecksum": "string"}}
	previewKind = mediaKind{setType: typePreviewSet, assetType: typePreviews, typeAttr: "previewType",
		setRel: "appPreviews", parentRel: "appPreviewSet", max: appleFacts.MaxPreviews, maxBytes: appleFacts.MaxPreviewBytes, noun: "Preview",
		assetCreateAttrs: map[string]string{"fileName": "string", "fileSize": "int", "mimeType": "string", "previewFrameTimeCode": "string"},
		assetUpdateAttrs: map[string]string{"uploaded": "bool", "sourceFileChecksum": "string", "previewFrameTimeCode": "string"}}
)

// mediaWritableLocked refuses media writes outside the five editable version states; after
// submission the message is Apple's "Can't Delete Screenshot After Submit for review".
func (k mediaKind) mediaWritableLocked(s *Server, locID, verb string) *apiError {
	v := s.versions[s.versionLocs[locID].versionID]
	if editableStates[v.state] {
		return nil
	}
	if v.state == "WAITING_FOR_REVIEW" {
		return errState(fmt.Sprintf("Can't %s %s After Submit for review", verb, k.noun))
	}
	return errState(fmt.Sprintf("Can't %s %s in the version's current state %s", verb, k.noun, v.state))
}

func (k mediaKind) listSets(s *Server, c *call) (response, *apiError) {
	l := s.versionLocs[c.id]
	if l == nil {
		return response{}, errNotFound(typeVersionLocs, c.id)
	}
	ids := l.screenshotSets
	if k.setType == typePreviewSet {
		ids = l.previewSets
	}
	types := listFilter(c, k.typeAttr)
	out := []string{}
	if listFilter(c, "appCustomProductPageLocalization") != nil || listFilter(c, "appStoreVersionExperimentTreatmentLocalization") != nil {
		// The sets of a version localization belong to no custom product page or experiment.
		return listed(s, c, k.setType, out)
	}
	for _, id := range ids {
		if types == nil || types[s.sets[id].displayType] {
			out = append(out, id)
		}
	}
	return listed(s, c, k.setType, out)
}

func (k mediaKind) canonicalType(name string) (string, bool) {
	if k.setType == typeScreenshotSet {
		dt, ok := displayType(name)
		return dt.Name, ok
	}
	pt, ok := previewType(name)
	return pt.Name, ok
}

// showsOn reports whether the display or preview type name belongs to platform's versions.
func (k mediaKind) showsOn(name, platform string) bool {
	t, ok := displayType(name)
	if k.setType == typePreviewSet {
		t, ok = previewType(name)
	}
	return ok && slices.Contains(t.Platforms, platform)
}

func (k mediaKind) createSet(s *Server, c *call) (response, *apiError) {
	d, attrs, err := parseResource(c, k.setType, map[string]string{k.typeAttr: "string"})
	if err != nil {
		return response{}, err
	}
	lid, err := relID(d, "appStoreVersionLocalization", typeVersionLocs)
	if err != nil {
		return response{}, err
	}
	l := s.versionLocs[lid]
	if l == nil {
		return response{}, errRelationship(fmt.Sprintf("There is no appStoreVersionLocalization with id '%s'", lid), "appStoreVersionLocalization")
	}
	raw, _ := attrs[k.typeAttr].(string)
	if raw == "" {
		return response{}, errRequired(k.typeAttr)
	}
	name, ok := k.canonicalType(raw)
	if !ok {
		return response{}, errInvalidAttr(k.typeAttr, fmt.Sprintf("'%s' is not a valid %s", raw, k.typeAttr))
	}
	if platform := s.versions[l.versionID].platform; !k.showsOn(name, platform) {
		return response{}, errInvalidAttr(k.typeAttr, fmt.Sprintf("'%s' is not a valid %s for a %s version", raw, k.typeAttr, platform))
	}
	if err := k.mediaWritableLocked(s, lid, "Create"); err != nil {
		return response{}, err
	}
	existing := l.screenshotSets
	if k.setType == typePreviewSet {
		existing = l.previewSets
	}
	for _, id := range existing {
		if s.sets[id].displayType == name {
			e := errInvalidAttr(k.typeAttr, fmt.Sprintf("A set of type '%s' already exists for this localization.", name))
			e.Code = "ENTITY_ERROR.ATTRIBUTE.INVALID.DUPLICATE"
			return response{}, e
		}
	}
	m := s.addSetLocked(l, k.setType, name)
	return created(s, c, k.setType, m.id), nil
}

func (k mediaKind) set(s *Server, id string) *mediaSet {
	if m := s.sets[id]; m != nil && m.kind == k.setType {
		return m
	}
	return nil
}

func (k mediaKind) asset(s *Server, id string) *asset {
	if a := s.assets[id]; a != nil && a.kind == k.assetType {
		return a
	}
	return nil
}

func (k mediaKind) getSet(s *Server, c *call) (response, *apiError) {
	if k.set(s, c.id) == nil {
		return response{}, errNotFound(k.setType, c.id)
	}
	return ok(s, c, k.setType, c.id), nil
}

func (k mediaKind) deleteSet(s *Server, c *call) (response, *apiError) {
	m := k.set(s, c.id)
	if m == nil {
		return response{}, errNotFound(k.setType, c.id)
	}
	if err := k.mediaWritableLocked(s, m.locID, "Delete"); err != nil {
		return response{}, err
	}
	s.deleteSetLocked(m)
	return response{status: http.StatusNoContent}, nil
}

func (k mediaKind) listAssets(s *Server, c *call) (response, *apiError) {
	m := k.set(s, c.id)
	if m == nil {
		return response{}, errNotFound(k.setType, c.id)
	}
	return listed(s, c, k.assetType, m.assets)
}

func (k mediaKind) getLinkage(s *Server, c *call) (response, *apiError) {
	m := k.set(s, c.id)
	if m == nil {
		return response{}, errNotFound(k.setType, c.id)
	}
	body, err := linkage(c, k.assetType, m.assets)
	if err != nil {
		return response{}, err
	}
	return response{status: http.StatusOK, body: body}, nil
}

// reorder replaces the set's order; the request must name exactly the set's assets.
func (k mediaKind) reorder(s *Server, c *call) (response, *apiError) {
	m := k.set(s, c.id)
	if m == nil {
		return response{}, errNotFound(k.setType, c.id)
	}
	var doc struct {
		Data []struct {
			Type string `json:"type"`
			ID   string `json:"id"`
		} `json:"data"`
	}
	if err := json.Unmarshal(c.body, &doc); err != nil || doc.Data == nil {
		return response{}, errUnprocessable("The request entity is not a valid JSON:API linkage document.", "")
	}
	if err := k.mediaWritableLocked(s, m.locID, "Reorder"); err != nil {
		return response{}, err
	}
	have := map[string]bool{}
	for _, id := range m.assets {
		have[id] = true
	}
	var order []string
	seen := map[string]bool{}
	for i, r := range doc.Data {
		if r.Type != k.assetType {
			return response{}, errUnprocessable(fmt.Sprintf("Unexpected or invalid value at 'data[%d].type'", i), fmt.Sprintf("/data/%d/type", i))
		}
		if !have[r.ID] || seen[r.ID] {
			return response{}, &apiError{Status: http.StatusConflict, Code: "ENTITY_ERROR.RELATIONSHIP.INVALID",
				Title:  "The provided entity includes a relationship with an invalid value",
				Detail: fmt.Sprintf("'%s' is not a %s of this set or is listed twice.", r.ID, k.noun), Pointer: fmt.Sprintf("/data/%d/id", i)}
		}
		seen[r.ID] = true
		order = append(order, r.ID)
	}
	if len(order) != len(m.assets) {
		return response{}, &apiError{Status: http.StatusConflict, Code: "ENTITY_ERROR.RELATIONSHIP.INVALID",
			Title:  "The provided entity includes a relationship with an invalid value",
			Detail: fmt.Sprintf("The new order must list all %d items of the set; it lists %d.", len(m.assets), len(order)), Pointer: "/data"}
	}
	m.assets = order
	return response{status: http.StatusNoContent}, nil
}

var timeCode = regexp.MustCompile(`^\d\d:\d\d:\d\d:\d\d$`)

// reserve creates an asset placeholder with upload operations. Placeholders count towards the
// set's limit (10 screenshots, 3 previews).
func (k mediaKind) reserve(s *Server, c *call) (response, *apiError) {
	d, attrs, err := parseResource(c, k.assetType, k.assetCreateAttrs)
	if err != nil {
		return response{}, err
	}
	sid, err := relID(d, k.parentRel, k.setType)
	if err != nil {
		return response{}, err
	}
	m := k.set(s, sid)
	if m == nil {
		return response{}, errRelationship(fmt.Sprintf("There is no %s with id '%s'", k.setType, sid), k.parentRel)
	}
	name, _ := attrs["fileName"].(string)
	size, hasSize := attrs["fileSize"].(int64)
	switch {
	case name == "":
		return response{}, errRequired("fileName")
	case !hasSize:
		return response{}, errRequired("fileSize")
	case size <= 0 || size > k.maxBytes:
		return response{}, errInvalidAttr("fileSize", fmt.Sprintf("The file size %d is not allowed.", size))
	}
	if tc, ok := attrs["previewFrameTimeCode"].(string); ok && tc != "" && !timeCode.MatchString(tc) {
		return response{}, errInvalidAttr("previewFrameTimeCode", fmt.Sprintf("'%s' is not a time code HH:MM:SS:FF.", tc))
	}
	if err := k.mediaWritableLocked(s, m.locID, "Create"); err != nil {
		return response{}, err
	}
	if len(m.assets) >= k.max {
		return response{}, errRelationship(fmt.Sprintf("The %s set already holds the maximum of %d items.", k.noun, k.max), k.parentRel)
	}
	a := s.newAssetLocked(m, name, size)
	a.mimeType, _ = attrs["mimeType"].(string)
	a.frameTimeCode, _ = attrs["previewFrameTimeCode"].(string)
	if a.mimeType != "" {
		a.uploadContentType = a.mimeType
	}
	c.fresh = a.id
	return created(s, c, k.assetType, a.id), nil
}

func (k mediaKind) getAsset(s *Server, c *call) (response, *apiError) {
	if k.asset(s, c.id) == nil {
		return response{}, errNotFound(k.assetType, c.id)
	}
	return ok(s, c, k.assetType, c.id), nil
}

// patchAsset commits an upload (uploaded: true, sourceFileChecksum) or, for previews, sets
// the poster frame.
func (k mediaKind) patchAsset(s *Server, c *call) (response, *apiError) {
	a := k.asset(s, c.id)
	if a == nil {
		return response{}, errNotFound(k.assetType, c.id)
	}
	_, attrs, err := parseResource(c, k.assetType, k.assetUpdateAttrs)
	if err != nil {
		return response{}, err
	}
	if tc, ok := attrs["previewFrameTimeCode"].(string); ok {
		if tc != "" && !timeCode.MatchString(tc) {
			return response{}, errInvalidAttr("previewFrameTimeCode", fmt.Sprintf("'%s' is not a time code HH:MM:SS:FF.", tc))
		}
		a.frameTimeCode = tc
	}
	if up, _ := attrs["uploaded"].(bool); up {
		if err := k.commitLocked(s, a, attrs); err != nil {
			return response{}, err
		}
		c.fresh = a.id
	}
	return ok(s, c, k.assetType, a.id), nil
}

var committedNames = map[string]string{stateUploaded: "Uploaded", stateComplete: "Completed", stateFailed: "Failed"}

func (k mediaKind) commitLocked(s *Server, a *asset, attrs map[string]any) *apiError {
	if a.state != stateAwaiting {
		return errState(fmt.Sprintf("Asset in %s! can't be re-committed!", committedNames[a.state]))
	}
	if err := k.mediaWritableLocked(s, s.sets[a.setID].locID, "Commit"); err != nil {
		return err
	}
	for i, p := range a.parts {
		if !p.received {
			return errState(fmt.Sprintf("The upload is not complete: part %d of %d has not been received.", i+1, len(a.parts)))
		}
	}
	sum := md5Hex(a.data)
	a.committed = s.now()
	a.state = stateUploaded
	a.checksum = sum
	if want, _ := attrs["sourceFileChecksum"].(string); want != "" && want != sum {
		a.state = stateFailed
		a.errors = []stateError{{Code: "CHECKSUM_MISMATCH", Description: "The uploaded file's checksum does not match sourceFileChecksum."}}
		return nil
	}
	a.failProcessing, a.stuck = s.takeProcessingFaultLocked()
	return nil
}

func (k mediaKind) deleteAsset(s *Server, c *call) (response, *apiError) {
	a := k.asset(s, c.id)
	if a == nil {
		return response{}, errNotFound(k.assetType, c.id)
	}
	if err := k.mediaWritableLocked(s, s.sets[a.setID].locID, "Delete"); err != nil {
		return response{}, err
	}
	s.deleteAssetLocked(a)
	return response{status: http.StatusNoContent}, nil
}
