package ascapitest

import (
	"fmt"
	"maps"
	"time"
)

// AddApp adds an app (with its versions, localizations and media) to the running simulator
// and returns its ID. Versions are dated one day apart starting now.
func (s *Server) AddApp(a SeedApp) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.initLocked()
	created, err := s.addSeedAppLocked(a, s.now().Add(-time.Duration(len(a.Versions))*24*time.Hour))
	if err != nil {
		return "", fmt.Errorf("add app %s: %w", a.BundleID, err)
	}
	return created.id, nil
}

// AppID returns the ID of the app with bundleID.
func (s *Server) AppID(bundleID string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.initLocked()
	a := s.appByBundleLocked(bundleID)
	if a == nil {
		return "", false
	}
	return a.id, true
}

// VersionInfo describes one version for assertions.
type VersionInfo struct {
	ID, VersionString, Platform, State string
}

// Versions lists an app's versions, oldest first.
func (s *Server) Versions(bundleID string) []VersionInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.initLocked()
	a := s.appByBundleLocked(bundleID)
	if a == nil {
		return nil
	}
	var out []VersionInfo
	for _, vid := range a.versions {
		v := s.versions[vid]
		out = append(out, VersionInfo{ID: v.id, VersionString: v.versionString, Platform: v.platform, State: v.state})
	}
	return out
}

// SetVersionState moves a version to an appVersionState (for example to WAITING_FOR_REVIEW
// mid-test); its appInfo follows.
func (s *Server) SetVersionState(bundleID, versionString, state string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.initLocked()
	v, err := s.versionByStringLocked(bundleID, versionString)
	if err != nil {
		return err
	}
	v.state = state
	return nil
}

// VersionLocalization returns the set text attributes of a version localization (absent
// attributes are null on the API).
func (s *Server) VersionLocalization(bundleID, versionString, locale string) (map[string]string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.initLocked()
	v, err := s.versionByStringLocked(bundleID, versionString)
	if err != nil {
		return nil, false
	}
	l := s.versionLocByLocaleLocked(v, locale)
	if l == nil {
		return nil, false
	}
	return maps.Clone(l.attrs), true
}

// InfoLocalization returns the set attributes of the appInfo localization that goes with a
// version.
func (s *Server) InfoLocalization(bundleID, versionString, locale string) (map[string]string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.initLocked()
	v, err := s.versionByStringLocked(bundleID, versionString)
	if err != nil {
		return nil, false
	}
	l := s.infoLocByLocaleLocked(s.infos[v.infoID], locale)
	if l == nil {
		return nil, false
	}
	return maps.Clone(l.attrs), true
}

// AssetInfo describes one screenshot or preview for assertions.
type AssetInfo struct {
	ID, FileName, State string
	FileSize            int64
	// Checksum is the committed MD5 (the sourceFileChecksum once COMPLETE).
	Checksum string
	// ErrorCodes are the assetDeliveryState error codes of a FAILED asset.
	ErrorCodes []string
}

// SetInfo is one screenshot or preview set, its assets in display order.
type SetInfo struct {
	ID, Type string
	Assets   []AssetInfo
}

// Checksums returns the set's checksums in order.
func (si SetInfo) Checksums() []string {
	var out []string
	for _, a := range si.Assets {
		out = append(out, a.Checksum)
	}
	return out
}

// FileNames returns the set's file names in order.
func (si SetInfo) FileNames() []string {
	var out []string
	for _, a := range si.Assets {
		out = append(out, a.FileName)
	}
	return out
}

// ScreenshotSet returns a version localization's screenshot set of displayType.
func (s *Server) ScreenshotSet(bundleID, versionString, locale, displayType string) (SetInfo, bool) {
	return s.mediaSet(bundleID, versionString, locale, typeScreenshotSet, displayType)
}

// PreviewSet returns a version localization's preview set of previewType.
func (s *Server) PreviewSet(bundleID, versionString, locale, previewType string) (SetInfo, bool) {
	return s.mediaSet(bundleID, versionString, locale, typePreviewSet, previewType)
}

func (s *Server) mediaSet(bundleID, versionString, locale, kind, typ string) (SetInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.initLocked()
	v, err := s.versionByStringLocked(bundleID, versionString)
	if err != nil {
		return SetInfo{}, false
	}
	l := s.versionLocByLocaleLocked(v, locale)
	if l == nil {
		return SetInfo{}, false
	}
	for _, id := range append(append([]string(nil), l.screenshotSets...), l.previewSets...) {
		m := s.sets[id]
		if m.kind != kind || m.displayType != typ {
			continue
		}
		si := SetInfo{ID: m.id, Type: m.displayType}
		for _, aid := range m.assets {
			a := s.assets[aid]
			ai := AssetInfo{ID: a.id, FileName: a.fileName, State: a.state, FileSize: a.fileSize, Checksum: a.checksum}
			for _, e := range a.errors {
				ai.ErrorCodes = append(ai.ErrorCodes, e.Code)
			}
			si.Assets = append(si.Assets, ai)
		}
		return si, true
	}
	return SetInfo{}, false
}
