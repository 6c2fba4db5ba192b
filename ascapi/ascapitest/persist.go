package ascapitest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// stateFormat is the version of the state file layout.
const stateFormat = 1

// stateFile is what SaveState writes: the simulator's data (apps, versions, app infos,
// localizations, sets, assets with their bytes). Keys, rate budgets, faults and the journal
// are not data and are not kept.
type stateFile struct {
	Format      int               `json:"format"`
	NextID      int               `json:"nextId"`
	Apps        []stateApp        `json:"apps"`
	Versions    []stateVersion    `json:"versions"`
	Infos       []stateInfo       `json:"appInfos"`
	InfoLocs    []stateInfoLoc    `json:"appInfoLocalizations"`
	VersionLocs []stateVersionLoc `json:"appStoreVersionLocalizations"`
	Sets        []stateSet        `json:"sets"`
	Assets      []stateAsset      `json:"assets"`
}

type stateApp struct {
	ID, BundleID, Name, SKU, PrimaryLocale string
	Versions                               []string
	Extra                                  map[string]any `json:",omitempty"`
}

type stateVersion struct {
	ID, AppID, Platform, VersionString, State, Copyright, ReleaseType, InfoID string
	Created                                                                   time.Time
	Locs                                                                      []string
}

type stateInfo struct {
	ID, AppID, VersionID string
	Locs                 []string
}

type stateInfoLoc struct {
	ID, InfoID, Locale string
	Attrs              map[string]string
}

type stateVersionLoc struct {
	ID, VersionID, Locale       string
	Attrs                       map[string]string
	ScreenshotSets, PreviewSets []string
}

type stateSet struct {
	ID, LocID, Kind, DisplayType string
	Assets                       []string
}

type statePart struct {
	Offset, Length int64
	Received       bool
}

type stateAsset struct {
	ID, SetID, Kind, FileName, MimeType, FrameTimeCode, Token, State, Checksum string
	FileSize                                                                   int64
	Errors                                                                     []stateError `json:",omitempty"`
	Data                                                                       []byte
	Parts                                                                      []statePart `json:",omitempty"`
	Committed, ReservationExpires                                              time.Time
	Reads, Width, Height                                                       int
	FailProcessing, Stuck                                                      bool
	Format, UploadContentType                                                  string
}

// Changes counts the requests the server has answered that may have changed its data; it
// lets a caller save the state only when something happened.
func (s *Server) Changes() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changes
}

// SaveState writes the simulator's data to path atomically (a temporary file in the same
// folder, then a rename), mode 0600.
func (s *Server) SaveState(path string) error {
	s.mu.Lock()
	s.initLocked()
	data, err := json.Marshal(s.snapshotLocked()) // under the lock: the snapshot shares the model's slices
	s.mu.Unlock()
	if err != nil {
		return fmt.Errorf("save simulator state: %w", err)
	}
	return writeFileAtomic(path, data, 0o600)
}

// LoadState replaces the simulator's data with what SaveState wrote to path. It reports false
// (and changes nothing) when path does not exist.
func (s *Server) LoadState(path string) (bool, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("load simulator state: %w", err)
	}
	var f stateFile
	if err := json.Unmarshal(data, &f); err != nil {
		return false, fmt.Errorf("load simulator state %s: %w", path, err)
	}
	if f.Format != stateFormat {
		return false, fmt.Errorf("load simulator state %s: format %d, want %d", path, f.Format, stateFormat)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.initLocked()
	if err := s.restoreLocked(&f); err != nil {
		return false, fmt.Errorf("load simulator state %s: %w", path, err)
	}
	return true, nil
}

func (s *Server) snapshotLocked() *stateFile {
	f := &stateFile{Format: stateFormat, NextID: s.nextID}
	for _, id := range s.appOrder {
		a := s.apps[id]
		f.Apps = append(f.Apps, stateApp{ID: a.id, BundleID: a.bundleID, Name: a.name, SKU: a.sku, PrimaryLocale: a.primaryLocale,
			Versions: a.versions, Extra: a.extra})
	}
	for _, id := range sortedKeys(s.versions) {
		v := s.versions[id]
		f.Versions = append(f.Versions, stateVersion{ID: v.id, AppID: v.appID, Platform: v.platform, VersionString: v.versionString,
			State: v.state, Copyright: v.copyright, ReleaseType: v.releaseType, InfoID: v.infoID, Created: v.created, Locs: v.locs})
	}
	for _, id := range sortedKeys(s.infos) {
		i := s.infos[id]
		f.Infos = append(f.Infos, stateInfo{ID: i.id, AppID: i.appID, VersionID: i.versionID, Locs: i.locs})
	}
	for _, id := range sortedKeys(s.infoLocs) {
		l := s.infoLocs[id]
		f.InfoLocs = append(f.InfoLocs, stateInfoLoc{ID: l.id, InfoID: l.infoID, Locale: l.locale, Attrs: l.attrs})
	}
	for _, id := range sortedKeys(s.versionLocs) {
		l := s.versionLocs[id]
		f.VersionLocs = append(f.VersionLocs, stateVersionLoc{ID: l.id, VersionID: l.versionID, Locale: l.locale, Attrs: l.attrs,
			ScreenshotSets: l.screenshotSets, PreviewSets: l.previewSets})
	}
	for _, id := range sortedKeys(s.sets) {
		m := s.sets[id]
		f.Sets = append(f.Sets, stateSet{ID: m.id, LocID: m.locID, Kind: m.kind, DisplayType: m.displayType, Assets: m.assets})
	}
	for _, id := range sortedKeys(s.assets) {
		a := s.assets[id]
		sa := stateAsset{ID: a.id, SetID: a.setID, Kind: a.kind, FileName: a.fileName, MimeType: a.mimeType, FrameTimeCode: a.frameTimeCode,
			Token: a.token, State: a.state, Checksum: a.checksum, FileSize: a.fileSize, Errors: a.errors, Data: a.data,
			Committed: a.committed, ReservationExpires: a.reservationExpires, Reads: a.reads, Width: a.width, Height: a.height,
			FailProcessing: a.failProcessing, Stuck: a.stuck, Format: a.format, UploadContentType: a.uploadContentType}
		for _, p := range a.parts {
			sa.Parts = append(sa.Parts, statePart{Offset: p.offset, Length: p.length, Received: p.received})
		}
		f.Assets = append(f.Assets, sa)
	}
	return f
}

func (s *Server) restoreLocked(f *stateFile) error {
	apps, versions, infos := map[string]*app{}, map[string]*version{}, map[string]*appInfo{}
	infoLocs, versionLocs := map[string]*infoLoc{}, map[string]*versionLoc{}
	sets, assets, byToken := map[string]*mediaSet{}, map[string]*asset{}, map[string]*asset{}
	var order []string
	for _, a := range f.Apps {
		apps[a.ID] = &app{id: a.ID, bundleID: a.BundleID, name: a.Name, sku: a.SKU, primaryLocale: a.PrimaryLocale,
			versions: a.Versions, extra: a.Extra}
		order = append(order, a.ID)
	}
	for _, v := range f.Versions {
		versions[v.ID] = &version{id: v.ID, appID: v.AppID, platform: v.Platform, versionString: v.VersionString, state: v.State,
			copyright: v.Copyright, releaseType: v.ReleaseType, infoID: v.InfoID, created: v.Created, locs: v.Locs}
	}
	for _, i := range f.Infos {
		infos[i.ID] = &appInfo{id: i.ID, appID: i.AppID, versionID: i.VersionID, locs: i.Locs}
	}
	for _, l := range f.InfoLocs {
		infoLocs[l.ID] = &infoLoc{id: l.ID, infoID: l.InfoID, locale: l.Locale, attrs: nonNil(l.Attrs)}
	}
	for _, l := range f.VersionLocs {
		versionLocs[l.ID] = &versionLoc{id: l.ID, versionID: l.VersionID, locale: l.Locale, attrs: nonNil(l.Attrs),
			screenshotSets: l.ScreenshotSets, previewSets: l.PreviewSets}
	}
	for _, m := range f.Sets {
		sets[m.ID] = &mediaSet{id: m.ID, locID: m.LocID, kind: m.Kind, displayType: m.DisplayType, assets: m.Assets}
	}
	for _, sa := range f.Assets {
		a := &asset{id: sa.ID, setID: sa.SetID, kind: sa.Kind, fileName: sa.FileName, mimeType: sa.MimeType, frameTimeCode: sa.FrameTimeCode,
			token: sa.Token, state: sa.State, checksum: sa.Checksum, fileSize: sa.FileSize, errors: sa.Errors, data: sa.Data,
			committed: sa.Committed, reservationExpires: sa.ReservationExpires, reads: sa.Reads, width: sa.Width, height: sa.Height,
			failProcessing: sa.FailProcessing, stuck: sa.Stuck, format: sa.Format, uploadContentType: sa.UploadContentType}
		for _, p := range sa.Parts {
			a.parts = append(a.parts, part{offset: p.Offset, length: p.Length, received: p.Received})
		}
		assets[a.id] = a
		if a.token != "" {
			byToken[a.token] = a
		}
	}
	// Every reference must land, or the handlers would meet a nil.
	for _, a := range apps {
		for _, vid := range a.versions {
			if versions[vid] == nil {
				return fmt.Errorf("app %s: no version %s", a.id, vid)
			}
		}
	}
	for _, v := range versions {
		if apps[v.appID] == nil || infos[v.infoID] == nil {
			return fmt.Errorf("version %s: its app or app info is missing", v.id)
		}
		for _, lid := range v.locs {
			if versionLocs[lid] == nil {
				return fmt.Errorf("version %s: no localization %s", v.id, lid)
			}
		}
	}
	for _, i := range infos {
		if versions[i.versionID] == nil {
			return fmt.Errorf("app info %s: no version %s", i.id, i.versionID)
		}
		for _, lid := range i.locs {
			if infoLocs[lid] == nil {
				return fmt.Errorf("app info %s: no localization %s", i.id, lid)
			}
		}
	}
	for _, l := range versionLocs {
		for _, sid := range append(append([]string(nil), l.screenshotSets...), l.previewSets...) {
			if sets[sid] == nil {
				return fmt.Errorf("localization %s: no set %s", l.id, sid)
			}
		}
	}
	for _, m := range sets {
		for _, aid := range m.assets {
			if assets[aid] == nil {
				return fmt.Errorf("set %s: no asset %s", m.id, aid)
			}
		}
	}
	s.apps, s.appOrder, s.versions, s.infos = apps, order, versions, infos
	s.infoLocs, s.versionLocs, s.sets, s.assets, s.byToken = infoLocs, versionLocs, sets, assets, byToken
	s.nextID = f.NextID
	return nil
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
