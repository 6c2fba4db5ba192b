package ascapitest

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"time"
)

func (s *Server) appByBundleLocked(bundleID string) *app {
	for _, id := range s.appOrder {
		if s.apps[id].bundleID == bundleID {
			return s.apps[id]
		}
	}
	return nil
}

// versionByStringLocked finds an app's version by version string (any platform).
func (s *Server) versionByStringLocked(bundleID, versionString string) (*version, error) {
	a := s.appByBundleLocked(bundleID)
	if a == nil {
		return nil, fmt.Errorf("no app %s", bundleID)
	}
	for _, vid := range a.versions {
		if v := s.versions[vid]; v.versionString == versionString {
			return v, nil
		}
	}
	return nil, fmt.Errorf("app %s has no version %s", bundleID, versionString)
}

func (s *Server) versionLocByLocaleLocked(v *version, locale string) *versionLoc {
	for _, id := range v.locs {
		if l := s.versionLocs[id]; l.locale == locale {
			return l
		}
	}
	return nil
}

func (s *Server) infoLocByLocaleLocked(info *appInfo, locale string) *infoLoc {
	for _, id := range info.locs {
		if l := s.infoLocs[id]; l.locale == locale {
			return l
		}
	}
	return nil
}

// infoStateLocked is the state of an appInfo: it follows the state of its version.
func (s *Server) infoStateLocked(id string) string {
	return appInfoState(s.versions[s.infos[id].versionID].state)
}

// visibleInfosLocked lists the appInfos App Store Connect shows: not the replaced ones.
func (s *Server) visibleInfosLocked(appID string) []string {
	var out []string
	for _, vid := range s.apps[appID].versions {
		v := s.versions[vid]
		if v.infoID != "" && v.state != "REPLACED_WITH_NEW_VERSION" {
			out = append(out, v.infoID)
		}
	}
	return out
}

// isFirstVersionLocked reports whether v is its app's first version on its platform.
func (s *Server) isFirstVersionLocked(v *version) bool {
	for _, vid := range s.apps[v.appID].versions {
		o := s.versions[vid]
		if o.id != v.id && o.platform == v.platform && o.created.Before(v.created) {
			return false
		}
	}
	return true
}

func (s *Server) addAppLocked(bundleID, name, sku, primaryLocale, id string) *app {
	if id == "" {
		id = fmt.Sprintf("%d", 6400000000+len(s.apps)*1111+1)
	}
	a := &app{id: id, bundleID: bundleID, name: name, sku: sku, primaryLocale: primaryLocale}
	s.apps[id] = a
	s.appOrder = append(s.appOrder, id)
	return a
}

func (s *Server) addVersionLocked(a *app, platform, versionString, state string, created time.Time) *version {
	v := &version{id: s.newIDLocked(), appID: a.id, platform: platform, versionString: versionString,
		state: state, releaseType: "MANUAL", created: created}
	s.versions[v.id] = v
	a.versions = append(a.versions, v.id)
	info := &appInfo{id: s.newIDLocked(), appID: a.id, versionID: v.id}
	s.infos[info.id] = info
	v.infoID = info.id
	return v
}

func (s *Server) addVersionLocLocked(v *version, locale string, attrs map[string]string) *versionLoc {
	l := &versionLoc{id: s.newIDLocked(), versionID: v.id, locale: locale, attrs: copyAttrs(attrs)}
	s.versionLocs[l.id] = l
	v.locs = append(v.locs, l.id)
	return l
}

func (s *Server) addInfoLocLocked(info *appInfo, locale string, attrs map[string]string) *infoLoc {
	l := &infoLoc{id: s.newIDLocked(), infoID: info.id, locale: locale, attrs: copyAttrs(attrs)}
	s.infoLocs[l.id] = l
	info.locs = append(info.locs, l.id)
	return l
}

func (s *Server) addSetLocked(l *versionLoc, kind, displayType string) *mediaSet {
	m := &mediaSet{id: s.newIDLocked(), locID: l.id, kind: kind, displayType: displayType}
	s.sets[m.id] = m
	if kind == typeScreenshotSet {
		l.screenshotSets = append(l.screenshotSets, m.id)
	} else {
		l.previewSets = append(l.previewSets, m.id)
	}
	return m
}

// addCompleteAssetLocked adds a processed asset holding data to set m.
func (s *Server) addCompleteAssetLocked(m *mediaSet, fileName string, data []byte) *asset {
	a := s.newAssetLocked(m, fileName, int64(len(data)))
	a.data = data
	a.checksum = md5Hex(data)
	for i := range a.parts {
		a.parts[i].received = true
	}
	s.finishProcessingLocked(a)
	return a
}

func md5Hex(b []byte) string {
	sum := md5.Sum(b)
	return hex.EncodeToString(sum[:])
}

func (s *Server) newAssetLocked(m *mediaSet, fileName string, size int64) *asset {
	kind := typeScreenshots
	if m.kind == typePreviewSet {
		kind = typePreviews
	}
	a := &asset{id: s.newIDLocked(), setID: m.id, kind: kind, fileName: fileName, fileSize: size,
		state: stateAwaiting, uploadContentType: contentTypeFor(fileName)}
	a.token = "asset-" + a.id
	a.reservationExpires = s.now().Add(s.uploadExpiry())
	partSize := s.PartSize
	if partSize <= 0 {
		partSize = DefaultPartSize
	}
	for off := int64(0); off < size || (size == 0 && off == 0); off += partSize {
		a.parts = append(a.parts, part{offset: off, length: min(partSize, size-off)})
		if size == 0 {
			break
		}
	}
	s.assets[a.id] = a
	s.byToken[a.token] = a
	m.assets = append(m.assets, a.id)
	return a
}

func (s *Server) uploadExpiry() time.Duration {
	if s.UploadExpiry > 0 {
		return s.UploadExpiry
	}
	return 7 * 24 * time.Hour
}

func (s *Server) deleteAssetLocked(a *asset) {
	m := s.sets[a.setID]
	m.assets = remove(m.assets, a.id)
	delete(s.assets, a.id)
	delete(s.byToken, a.token)
}

func (s *Server) deleteSetLocked(m *mediaSet) {
	for _, id := range append([]string(nil), m.assets...) {
		s.deleteAssetLocked(s.assets[id])
	}
	l := s.versionLocs[m.locID]
	l.screenshotSets = remove(l.screenshotSets, m.id)
	l.previewSets = remove(l.previewSets, m.id)
	delete(s.sets, m.id)
}

func (s *Server) deleteVersionLocLocked(l *versionLoc) {
	for _, id := range append(append([]string(nil), l.screenshotSets...), l.previewSets...) {
		s.deleteSetLocked(s.sets[id])
	}
	v := s.versions[l.versionID]
	v.locs = remove(v.locs, l.id)
	delete(s.versionLocs, l.id)
}

func remove(ids []string, id string) []string {
	out := ids[:0:0]
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}

func copyAttrs(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		if v != "" {
			out[k] = v
		}
	}
	return out
}
