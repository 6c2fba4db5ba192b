package ascapitest

import (
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// nullable returns v, or nil (JSON null) when v is empty.
func nullable(v string) any {
	if v == "" {
		return nil
	}
	return v
}

func textAttrs(names []string, set map[string]string) map[string]any {
	out := map[string]any{}
	for _, n := range names {
		if v, ok := set[n]; ok {
			out[n] = v
		} else {
			out[n] = nil
		}
	}
	return out
}

var (
	versionLocAttrs = []string{"description", "keywords", "marketingUrl", "promotionalText", "supportUrl", "whatsNew"}
	infoLocAttrs    = []string{"name", "subtitle", "privacyPolicyUrl", "privacyChoicesUrl", "privacyPolicyText"}
)

// attributesLocked renders the attributes of one resource. Rendering an asset counts as a
// read for ProcessAfterReads.
func (s *Server) attributesLocked(c *call, typ, id string) map[string]any {
	switch typ {
	case typeApps:
		a := s.apps[id]
		out := map[string]any{"name": a.name, "bundleId": a.bundleID, "sku": a.sku, "primaryLocale": a.primaryLocale,
			"isOrEverWasMadeForKids": false}
		for k, v := range a.extra {
			out[k] = v
		}
		return out
	case typeVersions:
		v := s.versions[id]
		return map[string]any{
			"platform": v.platform, "versionString": v.versionString,
			"appStoreState": appStoreState(v.state), "appVersionState": v.state,
			"copyright": nullable(v.copyright), "reviewType": "APP_STORE", "releaseType": v.releaseType,
			"earliestReleaseDate": nil, "downloadable": true,
			"createdDate": v.created.UTC().Format("2006-01-02T15:04:05.000Z07:00"),
		}
	case typeInfos:
		st := s.infoStateLocked(id)
		return map[string]any{"state": st, "appStoreState": infoStoreState(st), "kidsAgeBand": nil}
	case typeInfoLocs:
		l := s.infoLocs[id]
		out := textAttrs(infoLocAttrs, l.attrs)
		out["locale"] = l.locale
		return out
	case typeVersionLocs:
		l := s.versionLocs[id]
		out := textAttrs(versionLocAttrs, l.attrs)
		out["locale"] = l.locale
		return out
	case typeScreenshotSet:
		return map[string]any{"screenshotDisplayType": s.sets[id].displayType}
	case typePreviewSet:
		return map[string]any{"previewType": s.sets[id].displayType}
	case typeScreenshots, typePreviews:
		a := s.assets[id]
		if c.fresh != a.id {
			s.advanceLocked(a, true)
		}
		return s.assetAttrsLocked(c, a)
	}
	return nil
}

// infoStoreState maps an appInfo state to the deprecated appStoreState enum.
func infoStoreState(st string) string {
	switch st {
	case "READY_FOR_DISTRIBUTION":
		return "READY_FOR_SALE"
	case "PENDING_RELEASE":
		return "PENDING_DEVELOPER_RELEASE"
	case "REPLACED_WITH_NEW_INFO":
		return "REPLACED_WITH_NEW_VERSION"
	}
	return st
}

func (s *Server) assetAttrsLocked(c *call, a *asset) map[string]any {
	out := map[string]any{
		"fileSize": a.fileSize, "fileName": a.fileName,
		"sourceFileChecksum": nil, "uploadOperations": nil,
	}
	if a.state == stateComplete {
		out["sourceFileChecksum"] = a.checksum
	}
	if a.state == stateAwaiting {
		ops := []any{}
		for i, p := range a.parts {
			ops = append(ops, map[string]any{
				"method": "PUT", "url": s.partURL(c, a, i), "length": p.length, "offset": p.offset,
				"requestHeaders": []any{map[string]any{"name": "Content-Type", "value": a.uploadContentType}},
			})
		}
		out["uploadOperations"] = ops
	}
	errs := []any{}
	for _, e := range a.errors {
		errs = append(errs, map[string]any{"code": e.Code, "description": e.Description})
	}
	deliveryState := map[string]any{"state": a.state, "errors": errs, "warnings": []any{}}
	if a.kind == typeScreenshots {
		out["assetToken"] = a.token
		out["assetType"] = "SCREENSHOT"
		out["assetDeliveryState"] = deliveryState
		out["imageAsset"] = nil
		if a.state == stateComplete {
			out["imageAsset"] = map[string]any{"templateUrl": s.templateURL(c, a), "width": a.width, "height": a.height}
		}
		return out
	}
	out["mimeType"] = nullable(a.mimeType)
	out["previewFrameTimeCode"] = nullable(a.frameTimeCode)
	out["videoUrl"] = nil
	out["previewFrameImage"] = nil
	out["previewImage"] = nil
	out["videoDeliveryState"] = deliveryState
	old := map[string]any{"state": a.state, "errors": errs, "warnings": []any{}}
	out["assetDeliveryState"] = old
	if a.state == stateComplete {
		out["videoUrl"] = c.base + "/download/" + url.PathEscape(a.token) + "/video.mp4"
		img := map[string]any{"templateUrl": c.base + "/download/" + url.PathEscape(a.token) + "/frame/{w}x{h}bb.{f}",
			"width": 886, "height": 1920}
		out["previewFrameImage"] = map[string]any{"image": img, "state": map[string]any{"state": "COMPLETE", "errors": []any{}, "warnings": []any{}}}
		out["previewImage"] = img
	}
	return out
}

func (s *Server) partURL(c *call, a *asset, i int) string {
	return fmt.Sprintf("%s/upload/%s/%d?Expires=%d&Signature=%s", c.base, url.PathEscape(a.token), i,
		a.reservationExpires.Unix(), signature(a.token, i))
}

func (s *Server) templateURL(c *call, a *asset) string {
	return c.base + "/download/" + url.PathEscape(a.token) + "/{w}x{h}bb.{f}"
}

// signature is a stable, pre-signed-looking query value; the simulator only checks Expires.
func signature(token string, i int) string {
	h := uint32(2166136261)
	for _, b := range []byte(token + "/" + strconv.Itoa(i)) {
		h = (h ^ uint32(b)) * 16777619
	}
	return fmt.Sprintf("%08x", h)
}

// expired reports whether an upload URL's Expires value has passed.
func expired(now time.Time, v string) bool {
	n, err := strconv.ParseInt(v, 10, 64)
	return err != nil || now.Unix() > n
}
