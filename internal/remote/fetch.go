package remote

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/plan"
)

// Scope says what Fetch reads. Every fetch lists the versions and the target version's
// localizations (2 requests; the localizations include their sets when media is read). Texts
// adds the appInfos and their localizations (1 request); media costs 1 request per locale and
// kind that has sets (screenshot sets or preview sets, each with their assets included).
// The zero Scope reads only versions and localizations.
type Scope struct {
	// Texts reads every text field of every locale. Without it Snapshot.Remote holds no text
	// key, so plan only media with such a snapshot (plan.OnlyMedia).
	Texts bool
	// MediaLocales are the locales whose sets are read.
	MediaLocales []string
	// AllMedia reads the sets of every locale the target version has.
	AllMedia bool
	// Locales, when set, limit the version's localizations read (texts and sets) to these
	// locales: a plan of some keys needs no other (one request either way, only a smaller
	// answer). The appInfo's localizations are read whole, as Apple offers no filter on an
	// include.
	Locales []string
}

// FullScope reads everything: texts and every locale's sets.
func FullScope() Scope { return Scope{Texts: true, AllMedia: true} }

// RemoteAsset is one screenshot or preview as App Store Connect holds it.
type RemoteAsset struct {
	ID   string
	Set  plan.Key
	Kind plan.MediaKind
	// FileName, FileSize and Checksum (sourceFileChecksum, "" until processed) of the upload.
	FileName string
	FileSize int64
	Checksum string
	// State is the delivery state; ErrorCodes say why a FAILED asset failed.
	State      string
	ErrorCodes []string
	// ImageTemplateURL, ImageWidth and ImageHeight describe the processed image (screenshots).
	ImageTemplateURL string
	ImageWidth       int
	ImageHeight      int
	// VideoURL is the processed video (previews).
	VideoURL string
}

// Snapshot is App Store Connect's state of an app's target version, as far as the Scope read.
// It is plain data; Apply only reads it, so one Snapshot may serve concurrent Applies.
type Snapshot struct {
	App App
	// Version is the target version; Versions are all versions of the platform, newest first.
	Version  plan.VersionInfo
	Versions []Version
	// AppInfoID is the appInfo whose localizations hold name, subtitle and privacy URL: the
	// editable one when there is one (AppInfoEditable), else the live one.
	AppInfoID       string
	AppInfoEditable bool
	// Remote holds the set texts (trimmed) and every set read, for plan.Input.Remote.
	Remote map[plan.Key]plan.Value
	// Resources lists the localizations and sets that exist, for plan.Input.Resources.
	Resources plan.RemoteResources
	// Assets are every asset read, by ID.
	Assets map[string]RemoteAsset
	// Calls is how many API requests the fetch made.
	Calls int
	// Scope is what was read.
	Scope Scope
	// Own is StoreSyncer's unsettled work on the sets read, from the uploads journal, for
	// plan.Input.Own.
	Own map[plan.Key]plan.OwnWork

	// uploadOps are the upload operations of AWAITING_UPLOAD assets, for resuming uploads.
	uploadOps map[string][]ascapi.UploadOperation
}

// editableInfoStates are the appInfo states whose localizations can change (asc-api.md §5.2).
var editableInfoStates = []string{"PREPARE_FOR_SUBMISSION", "DEVELOPER_REJECTED", "REJECTED", "WAITING_FOR_REVIEW"}

// fetchConcurrency bounds the reads one Fetch has in flight. The client paces every request
// by the account's budget, so more readers never spend more than the budget allows.
const fetchConcurrency = 8

// Fetch reads the target version of app within scope (see Scope for what it costs). After the
// versions, the localizations (with how many sets each has) and the appInfo are read at once,
// then the sets of every media locale, up to fetchConcurrency at a time; a locale without
// sets of a kind costs no read for that kind.
func (r *Remote) Fetch(ctx context.Context, app App, scope Scope) (*Snapshot, error) {
	s := &Snapshot{App: app, Scope: scope, Remote: map[plan.Key]plan.Value{}, Assets: map[string]RemoteAsset{},
		Resources: plan.RemoteResources{VersionLocalizations: map[string]string{}, InfoLocalizations: map[string]string{}, Sets: map[plan.Key]string{}}}
	vs, err := r.Versions(ctx, app)
	s.Calls++
	if err != nil {
		return nil, err
	}
	s.Versions = vs
	target, info, ok := Target(vs)
	if !ok {
		return nil, fmt.Errorf("fetch %s: the app has no %s version", app.BundleID, app.Platform)
	}
	s.Version = info
	media := scope.AllMedia || len(scope.MediaLocales) > 0
	var locs []*ascapi.VersionLocalization
	var infoSnap Snapshot // fetchAppInfo's part, merged below
	infoSnap.Remote, infoSnap.Resources.InfoLocalizations = map[plan.Key]plan.Value{}, map[string]string{}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		var err error
		if media {
			locs, _, err = r.c.VersionLocalizations.ListWithSets(gctx, target.ID, scope.Locales...)
		} else {
			locs, _, err = r.c.VersionLocalizations.List(gctx, target.ID, scope.Locales...)
		}
		if err != nil {
			return appErr("fetch localizations", app, err)
		}
		return nil
	})
	if scope.Texts {
		infoSnap.App = app
		g.Go(func() error { return r.fetchAppInfo(gctx, &infoSnap) })
	}
	err = g.Wait()
	s.Calls += 1 + infoSnap.Calls
	if err != nil {
		return nil, err
	}
	s.AppInfoID, s.AppInfoEditable = infoSnap.AppInfoID, infoSnap.AppInfoEditable
	maps.Copy(s.Remote, infoSnap.Remote)
	maps.Copy(s.Resources.InfoLocalizations, infoSnap.Resources.InfoLocalizations)
	for _, l := range locs {
		s.Resources.VersionLocalizations[l.Locale] = l.ID
		if scope.Texts {
			a := l.VersionLocalizationAttributes
			for attr, v := range map[string]*string{"description": a.Description, "keywords": a.Keywords,
				"whatsNew": a.WhatsNew, "promotionalText": a.PromotionalText, "marketingUrl": a.MarketingURL, "supportUrl": a.SupportURL} {
				s.addText(l.Locale, attr, v)
			}
		}
	}
	if err := r.fetchSets(ctx, s, locs, scope); err != nil {
		return nil, err
	}
	return s, nil
}

// setRead is one listing of a locale's sets of one kind.
type setRead struct {
	locale, locID string
	m             media
	sets          []mediaSet
}

// fetchSets reads the sets of scope's media locales into s, concurrently, skipping a kind a
// localization is known to have no set of. The sets are added in locale and kind order.
func (r *Remote) fetchSets(ctx context.Context, s *Snapshot, locs []*ascapi.VersionLocalization, scope Scope) error {
	wanted := map[string]bool{}
	for _, l := range scope.MediaLocales {
		wanted[l] = true
	}
	var reads []*setRead
	for _, l := range locs {
		if !scope.AllMedia && !wanted[l.Locale] {
			continue
		}
		for _, m := range []media{r.media(plan.Screenshot), r.media(plan.Preview)} {
			if l.Sets != nil && ((m.kind() == plan.Screenshot && l.Sets.Screenshots == 0) || (m.kind() == plan.Preview && l.Sets.Previews == 0)) {
				continue // none to read
			}
			reads = append(reads, &setRead{locale: l.Locale, locID: l.ID, m: m})
		}
	}
	slices.SortStableFunc(reads, func(a, b *setRead) int { return strings.Compare(a.locale, b.locale) })
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(fetchConcurrency)
	for _, rd := range reads {
		g.Go(func() error {
			var err error
			if rd.sets, err = rd.m.listSets(gctx, rd.locID); err != nil {
				return appErr("fetch "+string(rd.m.kind())+" sets of "+rd.locale, s.App, err)
			}
			return nil
		})
	}
	err := g.Wait()
	s.Calls += len(reads)
	if err != nil {
		return err
	}
	// One journal read for the app, not one per set: the journal is small, the sets many.
	bySet := map[plan.Key][]Reservation{}
	if len(reads) > 0 {
		for _, res := range r.journalFind(ctx, s.App.BundleID, "") {
			bySet[res.Set] = append(bySet[res.Set], res)
		}
	}
	for _, rd := range reads {
		for _, set := range rd.sets {
			s.addSet(r, rd.locale, rd.m.kind(), set, bySet[plan.MediaKey(rd.locale, rd.m.kind(), set.typ)])
		}
	}
	return nil
}

// fetchAppInfo picks the appInfo and reads its localizations, in one request.
func (r *Remote) fetchAppInfo(ctx context.Context, s *Snapshot) error {
	infos, _, err := r.c.AppInfos.ListWithLocalizations(ctx, s.App.ID)
	s.Calls++
	if err != nil {
		return appErr("fetch app infos", s.App, err)
	}
	var pick *ascapi.AppInfo
	for _, in := range infos {
		if slices.Contains(editableInfoStates, in.State) {
			pick, s.AppInfoEditable = in, true
			break
		}
	}
	if pick == nil {
		for _, in := range infos {
			if in.State != "REPLACED_WITH_NEW_INFO" {
				pick = in
				break
			}
		}
	}
	if pick == nil {
		return nil
	}
	s.AppInfoID = pick.ID
	for _, l := range pick.Localizations {
		s.Resources.InfoLocalizations[l.Locale] = l.ID
		a := l.AppInfoLocalizationAttributes
		s.addText(l.Locale, "name", a.Name)
		s.addText(l.Locale, "subtitle", a.Subtitle)
		s.addText(l.Locale, "privacyPolicyUrl", a.PrivacyPolicyURL)
	}
	return nil
}

func (s *Snapshot) addText(locale, attr string, v *string) {
	f, ok := collection.FieldByAttr(attr)
	if !ok || v == nil {
		return
	}
	if t := normalize(*v); t != "" {
		s.Remote[plan.TextKey(locale, f.Dir)] = plan.TextValue(t)
	}
}

// normalize treats a remote text as a local file is treated: CRLF to LF, trimmed.
func normalize(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

// addSet adds a read set to s; recs are the upload journal's records of its key.
func (s *Snapshot) addSet(r *Remote, locale string, kind plan.MediaKind, set mediaSet, recs []Reservation) {
	key := plan.MediaKey(locale, kind, set.typ)
	s.Resources.Sets[key] = set.id
	journal := map[string]Reservation{}
	for _, res := range recs {
		journal[res.AssetID] = res
	}
	if w := ownWork(recs); len(recs) > 0 {
		if s.Own == nil {
			s.Own = map[plan.Key]plan.OwnWork{}
		}
		s.Own[key] = w
	}
	v := plan.Value{Assets: []plan.Asset{}}
	for _, a := range set.assets {
		st := a.State
		res, journaled := journal[a.ID]
		if journaled && processing(st) && res.State == Committed && r.now().Sub(res.UpdatedAt) > r.poll.deadline {
			st = plan.StateFailed // stuck past the deadline: a leftover to clean up
		}
		v.Assets = append(v.Assets, plan.Asset{Name: a.FileName, Checksum: a.Checksum(), Size: a.FileSize, RemoteID: a.ID, State: st})
		ra := RemoteAsset{ID: a.ID, Set: key, Kind: kind, FileName: a.FileName, FileSize: a.FileSize,
			Checksum: a.Checksum(), State: st, ErrorCodes: a.errorCodes(), VideoURL: a.videoURL}
		if a.ImageAsset != nil {
			ra.ImageTemplateURL, ra.ImageWidth, ra.ImageHeight = a.ImageAsset.TemplateURL, a.ImageAsset.Width, a.ImageAsset.Height
		}
		s.Assets[a.ID] = ra
		if len(a.UploadOperations) > 0 {
			if s.uploadOps == nil {
				s.uploadOps = map[string][]ascapi.UploadOperation{}
			}
			s.uploadOps[a.ID] = a.UploadOperations
		}
	}
	s.Remote[key] = v
}

// processing reports whether an asset in delivery state st is still on its way.
func processing(st string) bool {
	return st == ascapi.StateUploadComplete || st == ascapi.StateProcessing
}
