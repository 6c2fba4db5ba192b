package ascapitest

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"time"
)

// Seed is the initial App Store Connect state, loadable from JSON (storesyncer simulator
// --seed FILE). Text maps are keyed by attribute name (description, keywords, name, …).
type Seed struct {
	Apps []SeedApp `json:"apps"`
}

// SeedApp is one app with its versions, oldest first.
type SeedApp struct {
	ID            string        `json:"id,omitempty"` // numeric string; generated when empty
	BundleID      string        `json:"bundleId"`
	Name          string        `json:"name"`
	SKU           string        `json:"sku,omitempty"`
	PrimaryLocale string        `json:"primaryLocale"`
	Versions      []SeedVersion `json:"versions"`
}

// SeedVersion is one App Store version and the appInfo that goes with it.
type SeedVersion struct {
	VersionString string `json:"versionString"`
	Platform      string `json:"platform,omitempty"` // default IOS
	State         string `json:"state"`              // appVersionState
	// Localizations are the version localizations (description, keywords, …).
	Localizations []SeedLocalization `json:"localizations"`
	// InfoLocalizations are the appInfo localizations (name, subtitle, privacyPolicyUrl).
	InfoLocalizations []SeedLocalization `json:"infoLocalizations"`
}

// SeedLocalization is one locale's texts and media.
type SeedLocalization struct {
	Locale string            `json:"locale"`
	Texts  map[string]string `json:"texts"`
	// Screenshots maps a display type to its screenshots, in order.
	Screenshots map[string][]SeedAsset `json:"screenshots,omitempty"`
	// Previews maps a preview type to its previews, in order.
	Previews map[string][]SeedAsset `json:"previews,omitempty"`
}

// SeedAsset is one COMPLETE asset. A screenshot is File's bytes when File is set, else a
// generated PNG of Width×Height; a preview is File's bytes or Size filler bytes.
type SeedAsset struct {
	FileName string `json:"fileName"`
	File     string `json:"file,omitempty"`
	Width    int    `json:"width,omitempty"`
	Height   int    `json:"height,omitempty"`
	Size     int    `json:"size,omitempty"`
}

// LoadSeed reads a Seed from a JSON file; unknown fields are errors.
func LoadSeed(path string) (*Seed, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read seed: %w", err)
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	var s Seed
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("parse seed %s: %w", path, err)
	}
	return &s, nil
}

// DefaultSeed is the demo state: com.example.demo ("Planner Demo", app ID 6450000001) with a
// live 1.0 (no whatsNew: it is the first version) and an editable 1.1, both in en-US, de-DE
// and ja with every text and three APP_IPHONE_67 screenshots (1.png–3.png, 1290×2796) per
// locale, plus com.example.demo.pro so filter[bundleId]'s prefix match matters.
func DefaultSeed() *Seed {
	texts := map[string]map[string]string{
		"en-US": {"description": "Planner Demo keeps your day in order: tasks, lists and reminders in one calm place.",
			"keywords": "planner,tasks,todo,reminders,lists", "whatsNew": "Bug fixes and a calmer calendar.",
			"promotionalText": "Plan your week in a minute.", "supportUrl": "https://example.com/support",
			"marketingUrl": "https://example.com"},
		"de-DE": {"description": "Planner Demo bringt Ordnung in deinen Tag: Aufgaben, Listen und Erinnerungen.",
			"keywords": "planer,aufgaben,todo,erinnerungen", "whatsNew": "Fehlerbehebungen und ein ruhigerer Kalender.",
			"promotionalText": "Plane deine Woche in einer Minute.", "supportUrl": "https://example.com/de/support",
			"marketingUrl": "https://example.com/de"},
		"ja": {"description": "Planner Demo はタスク、リスト、リマインダーをひとつにまとめます。",
			"keywords": "プランナー,タスク,リマインダー", "whatsNew": "不具合の修正。",
			"promotionalText": "一週間を一分で計画。", "supportUrl": "https://example.com/ja/support",
			"marketingUrl": "https://example.com/ja"},
	}
	infos := map[string]map[string]string{
		"en-US": {"name": "Planner Demo", "subtitle": "Tasks and lists, calmly", "privacyPolicyUrl": "https://example.com/privacy"},
		"de-DE": {"name": "Planner Demo", "subtitle": "Aufgaben, ganz entspannt", "privacyPolicyUrl": "https://example.com/de/privacy"},
		"ja":    {"name": "Planner Demo", "subtitle": "落ち着いたタスク管理", "privacyPolicyUrl": "https://example.com/ja/privacy"},
	}
	version := func(vs, state string) SeedVersion {
		v := SeedVersion{VersionString: vs, Platform: "IOS", State: state}
		for _, loc := range []string{"en-US", "de-DE", "ja"} {
			var shots []SeedAsset
			for i := 1; i <= 3; i++ {
				shots = append(shots, SeedAsset{FileName: fmt.Sprintf("%d.png", i), Width: 1290, Height: 2796})
			}
			lt := maps.Clone(texts[loc])
			if vs == "1.0" {
				delete(lt, "whatsNew") // a first version has no release notes
			}
			v.Localizations = append(v.Localizations, SeedLocalization{Locale: loc, Texts: lt,
				Screenshots: map[string][]SeedAsset{"APP_IPHONE_67": shots}})
			v.InfoLocalizations = append(v.InfoLocalizations, SeedLocalization{Locale: loc, Texts: infos[loc]})
		}
		return v
	}
	pro := SeedVersion{VersionString: "2.0", Platform: "IOS", State: "READY_FOR_DISTRIBUTION",
		Localizations:     []SeedLocalization{{Locale: "en-US", Texts: map[string]string{"description": "Planner Demo Pro.", "keywords": "planner,pro"}}},
		InfoLocalizations: []SeedLocalization{{Locale: "en-US", Texts: map[string]string{"name": "Planner Demo Pro"}}}}
	return &Seed{Apps: []SeedApp{
		{ID: "6450000001", BundleID: "com.example.demo", Name: "Planner Demo", SKU: "PLANNERDEMO", PrimaryLocale: "en-US",
			Versions: []SeedVersion{version("1.0", "READY_FOR_DISTRIBUTION"), version("1.1", "PREPARE_FOR_SUBMISSION")}},
		{ID: "6450000002", BundleID: "com.example.demo.pro", Name: "Planner Demo Pro", SKU: "PLANNERDEMOPRO", PrimaryLocale: "en-US",
			Versions: []SeedVersion{pro}},
	}}
}

// seedEpoch is when seeded versions were created; later versions are one day apart.
var seedEpoch = time.Date(2025, 6, 2, 9, 0, 0, 0, time.UTC)

func (s *Server) loadSeedLocked(seed *Seed) error {
	for ai, sa := range seed.Apps {
		if _, err := s.addSeedAppLocked(sa, seedEpoch.Add(time.Duration(ai)*time.Hour)); err != nil {
			return fmt.Errorf("apps[%d] (%s): %w", ai, sa.BundleID, err)
		}
	}
	return nil
}

func (s *Server) addSeedAppLocked(sa SeedApp, epoch time.Time) (*app, error) {
	if sa.BundleID == "" || sa.PrimaryLocale == "" {
		return nil, fmt.Errorf("bundleId and primaryLocale are required")
	}
	if s.appByBundleLocked(sa.BundleID) != nil {
		return nil, fmt.Errorf("bundle ID %s already exists", sa.BundleID)
	}
	a := s.addAppLocked(sa.BundleID, sa.Name, sa.SKU, sa.PrimaryLocale, sa.ID)
	for vi, sv := range sa.Versions {
		if sv.VersionString == "" || sv.State == "" {
			return nil, fmt.Errorf("versions[%d]: versionString and state are required", vi)
		}
		platform := sv.Platform
		if platform == "" {
			platform = "IOS"
		}
		v := s.addVersionLocked(a, platform, sv.VersionString, sv.State, epoch.Add(time.Duration(vi)*24*time.Hour))
		for li, sl := range sv.Localizations {
			if err := s.addSeedLocLocked(v, sl); err != nil {
				return nil, fmt.Errorf("versions[%d].localizations[%d]: %w", vi, li, err)
			}
		}
		for _, sl := range sv.InfoLocalizations {
			s.addInfoLocLocked(s.infos[v.infoID], sl.Locale, sl.Texts)
		}
	}
	return a, nil
}

func (s *Server) addSeedLocLocked(v *version, sl SeedLocalization) error {
	l := s.addVersionLocLocked(v, sl.Locale, sl.Texts)
	for _, dt := range sortedKeys(sl.Screenshots) {
		canonical, ok := displayType(dt)
		if !ok {
			return fmt.Errorf("unknown display type %s", dt)
		}
		m := s.addSetLocked(l, typeScreenshotSet, canonical.Name)
		for i, sa := range sl.Screenshots[dt] {
			data, err := seedBytes(sa, func() []byte { return SamplePNG(sa.Width, sa.Height, i+1) })
			if err != nil {
				return err
			}
			s.addCompleteAssetLocked(m, sa.FileName, data)
		}
	}
	for _, pt := range sortedKeys(sl.Previews) {
		if _, ok := previewType(pt); !ok {
			return fmt.Errorf("unknown preview type %s", pt)
		}
		m := s.addSetLocked(l, typePreviewSet, pt)
		for _, sa := range sl.Previews[pt] {
			data, err := seedBytes(sa, func() []byte { return make([]byte, max(sa.Size, 1024)) })
			if err != nil {
				return err
			}
			a := s.addCompleteAssetLocked(m, sa.FileName, data)
			a.mimeType = contentTypeFor(sa.FileName)
		}
	}
	return nil
}

func seedBytes(sa SeedAsset, gen func() []byte) ([]byte, error) {
	if sa.File != "" {
		b, err := os.ReadFile(sa.File)
		if err != nil {
			return nil, fmt.Errorf("asset %s: %w", sa.FileName, err)
		}
		return b, nil
	}
	if sa.Width == 0 && sa.Height == 0 && sa.Size == 0 {
		return nil, fmt.Errorf("asset %s: give file, width×height or size", sa.FileName)
	}
	return gen(), nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
