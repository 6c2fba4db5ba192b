package ascapi_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/collection"
)

// simEnv serves the simulator under /prefix/ (upload and download URLs stay at the root,
// where the simulator builds them) and returns a client for its main key.
func simEnv(tb testing.TB, sim *ascapitest.Server, opts ...ascapi.ClientOption) *ascapi.Client {
	tb.Helper()
	mux := http.NewServeMux()
	mux.Handle("/prefix/", http.StripPrefix("/prefix", sim))
	mux.Handle("/upload/", sim)
	mux.Handle("/download/", sim)
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	creds := sim.Credentials()
	key, err := ascapi.ParseKey(creds.PrivateKeyPEM)
	if err != nil {
		tb.Fatal(err)
	}
	all := append([]ascapi.ClientOption{
		ascapi.WithBaseURL(srv.URL + "/prefix/"),
		ascapi.WithSleep(func(ctx context.Context, _ time.Duration) error { return ctx.Err() }), // polls need no real wait
	}, opts...)
	c, err := ascapi.NewClient(ascapi.Credentials{IssuerID: creds.IssuerID, KeyID: creds.KeyID, PrivateKey: key}, all...)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// editableLocalization finds the seeded demo app's editable version's en-US localization.
func editableLocalization(tb testing.TB, c *ascapi.Client) (appID, locID string) {
	tb.Helper()
	ctx := context.Background()
	app, _, err := c.Apps.FindByBundleID(ctx, "com.example.demo")
	if err != nil {
		tb.Fatal(err)
	}
	vs, _, err := c.Versions.List(ctx, app.ID, &ascapi.VersionListOptions{Platform: "IOS", States: []string{"PREPARE_FOR_SUBMISSION"}})
	if err != nil || len(vs) != 1 {
		tb.Fatalf("editable versions = %v, %v", vs, err)
	}
	locs, _, err := c.VersionLocalizations.List(ctx, vs[0].ID)
	if err != nil {
		tb.Fatal(err)
	}
	for _, l := range locs {
		if l.Locale == "en-US" {
			return app.ID, l.ID
		}
	}
	tb.Fatal("no en-US localization in the seed")
	return "", ""
}

// uploadScreenshot sends data as internal/remote does: reserve, PUT the parts, commit with
// the file's MD5. It does not wait for processing.
func uploadScreenshot(ctx context.Context, c *ascapi.Client, setID, name string, data []byte) (*ascapi.Screenshot, error) {
	res, _, err := c.Screenshots.Reserve(ctx, setID, name, int64(len(data)))
	if err != nil {
		return nil, err
	}
	if err := c.Upload(ctx, res.UploadOperations, bytes.NewReader(data)); err != nil {
		return nil, err
	}
	sum := md5.Sum(data)
	sh, _, err := c.Screenshots.Commit(ctx, res.ID, hex.EncodeToString(sum[:]))
	return sh, err
}

// awaitProcessed reads an asset with get until it is ready or failed, at most polls times,
// and returns the last one read.
func awaitProcessed(ctx context.Context, polls int, get func(context.Context) (*ascapi.Asset, error)) (*ascapi.Asset, error) {
	var a *ascapi.Asset
	for range polls {
		var err error
		if a, err = get(ctx); err != nil || a.Status() != ascapi.AssetPending {
			return a, err
		}
	}
	return a, nil
}

// screenshotGetter reads the screenshot id for awaitProcessed.
func screenshotGetter(c *ascapi.Client, id string) func(context.Context) (*ascapi.Asset, error) {
	return func(ctx context.Context) (*ascapi.Asset, error) {
		sh, _, err := c.Screenshots.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		return &sh.Asset, nil
	}
}

func TestSimulatorUploadFlow(t *testing.T) {
	sim := &ascapitest.Server{ProcessAfterReads: 3, PartSize: 64 << 10}
	conf := sim.EnableConformance(t)
	c := simEnv(t, sim)
	defer func() {
		if conf.Checked() == 0 {
			t.Error("no exchange was checked against the OpenAPI document")
		}
	}()
	ctx := context.Background()
	app, _, err := c.Apps.FindByBundleID(ctx, "com.example.demo")
	if err != nil || app.BundleID != "com.example.demo" {
		t.Fatalf("FindByBundleID = %+v, %v (the .pro app must not match)", app, err)
	}
	_, locID := editableLocalization(t, c)

	sets, _, err := c.ScreenshotSets.List(ctx, locID)
	if err != nil || len(sets) != 1 || len(sets[0].Screenshots) != 3 {
		t.Fatalf("seeded sets = %+v, %v", sets, err)
	}
	set := sets[0]
	for _, s := range set.Screenshots {
		if !s.Ready() {
			t.Errorf("seeded screenshot %s is %s", s.FileName, s.Status())
		}
	}

	data := ascapitest.SamplePNG(1290, 2796, 4)
	sum := md5.Sum(data)
	sim.ResetJournal()
	shot, err := uploadScreenshot(ctx, c, set.ID, "4.png", data)
	if err != nil {
		t.Fatal(err)
	}
	if shot.State != ascapi.StateUploadComplete {
		t.Errorf("state after commit = %s", shot.State)
	}
	uploads := 0
	for _, e := range sim.Journal() {
		if e.Kind == ascapitest.KindUpload {
			uploads++
			if e.Authorization {
				t.Errorf("upload part %s carried Authorization", e.Path)
			}
		}
	}
	if want := (len(data) + (64<<10 - 1)) / (64 << 10); uploads != want {
		t.Errorf("upload parts sent = %d, want %d", uploads, want)
	}

	done, err := awaitProcessed(ctx, 10, screenshotGetter(c, shot.ID))
	if err != nil {
		t.Fatal(err)
	}
	if !done.Ready() || done.Checksum() != hex.EncodeToString(sum[:]) || done.ImageAsset == nil {
		t.Errorf("processed screenshot = %+v", *done)
	}

	// Reorder: the new screenshot first.
	order := []string{shot.ID, set.Screenshots[0].ID, set.Screenshots[1].ID, set.Screenshots[2].ID}
	if _, err := c.ScreenshotSets.Reorder(ctx, set.ID, order); err != nil {
		t.Fatal(err)
	}
	sets, _, err = c.ScreenshotSets.List(ctx, locID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range sets[0].Screenshots {
		got = append(got, s.ID)
	}
	if diff := cmp.Diff(order, got); diff != "" {
		t.Errorf("order after reorder (-want +got):\n%s", diff)
	}

	// The rendered image downloads, and is not the uploaded bytes.
	rc, err := c.Download(ctx, done.ImageAsset.TemplateURL, 300, 650, "png")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(rc)
	rc.Close()
	if buf.Len() == 0 || bytes.Equal(buf.Bytes(), data) {
		t.Errorf("download gave %d bytes (equal to upload: %v)", buf.Len(), bytes.Equal(buf.Bytes(), data))
	}
}

func TestSimulatorProcessingOutcomes(t *testing.T) {
	tests := []struct {
		name   string
		faults ascapitest.Faults
		image  []byte
		check  func(t *testing.T, a *ascapi.Asset, err error)
	}{
		{"wrong dimensions fail with Apple's code", ascapitest.Faults{}, ascapitest.SamplePNG(100, 100, 1), func(t *testing.T, a *ascapi.Asset, err error) {
			if err != nil || a.Status() != ascapi.AssetFailed || len(a.Errors) == 0 || a.Errors[0].Code != "IMAGE_INCORRECT_DIMENSIONS" {
				t.Errorf("asset %+v, err = %v, want FAILED with IMAGE_INCORRECT_DIMENSIONS", a, err)
			}
		}},
		{"stuck processing stays UPLOAD_COMPLETE", ascapitest.Faults{Stuck: 1}, ascapitest.SamplePNG(1290, 2796, 2), func(t *testing.T, a *ascapi.Asset, err error) {
			if err != nil || a.Status() != ascapi.AssetPending || a.State != ascapi.StateUploadComplete {
				t.Errorf("asset %+v, err = %v, want still UPLOAD_COMPLETE", a, err)
			}
		}},
		{"failed part is retried", ascapitest.Faults{FailParts: 2}, ascapitest.SamplePNG(1290, 2796, 3), func(t *testing.T, a *ascapi.Asset, err error) {
			if err != nil || !a.Ready() {
				t.Errorf("asset %+v, err = %v, want ready after part retries", a, err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := &ascapitest.Server{ProcessAfterReads: 2, Faults: tt.faults}
			c := simEnv(t, sim)
			ctx := context.Background()
			_, locID := editableLocalization(t, c)
			sets, _, err := c.ScreenshotSets.List(ctx, locID)
			if err != nil {
				t.Fatal(err)
			}
			shot, err := uploadScreenshot(ctx, c, sets[0].ID, "x.png", tt.image)
			if err != nil {
				tt.check(t, nil, err)
				return
			}
			// Ten reads: the simulator processes after two, so only a stuck asset is pending.
			a, err := awaitProcessed(ctx, 10, screenshotGetter(c, shot.ID))
			tt.check(t, a, err)
		})
	}
}

func TestSimulatorWriteErrors(t *testing.T) {
	sim := &ascapitest.Server{}
	c := simEnv(t, sim)
	ctx := context.Background()
	appID, locID := editableLocalization(t, c)

	_, _, err := c.Versions.Create(ctx, appID, "IOS", "9.9")
	if !ascapi.IsConflict(err) || !ascapi.HasCode(err, "ENTITY_ERROR.RELATIONSHIP.INVALID") {
		t.Errorf("creating a second open version: err = %v", err)
	}
	sim.FailNext(http.MethodPatch, "/v1/appStoreVersionLocalizations/{id}", 500, true)
	kw := "planner,calm"
	_, _, err = c.VersionLocalizations.Update(ctx, locID, ascapi.VersionLocalizationAttributes{Keywords: &kw})
	if !errors.Is(err, ascapi.ErrWriteOutcomeUnknown) {
		t.Errorf("PATCH answered 500: err = %v, want ErrWriteOutcomeUnknown", err)
	}
	if n := sim.CountAPI(http.MethodPatch, "/v1/appStoreVersionLocalizations/"); n != 1 {
		t.Errorf("PATCH sent %d times, want once", n)
	}
	long := string(bytes.Repeat([]byte("k"), 101))
	_, _, err = c.VersionLocalizations.Update(ctx, locID, ascapi.VersionLocalizationAttributes{Keywords: &long})
	if !ascapi.HasCode(err, "ENTITY_ERROR.ATTRIBUTE.INVALID.TOO_LONG") {
		t.Errorf("too long keywords: err = %v", err)
	}
}

// BenchmarkUpload30Screenshots uploads 30 screenshots (4 parts each) with 100 ms of simulated
// latency on every call, parts sequential (upload concurrency 1) vs parallel (4).
func BenchmarkUpload30Screenshots(b *testing.B) {
	for _, conc := range []int{1, 4} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			data := ascapitest.SamplePNG(1290, 2796, 1)
			sim := &ascapitest.Server{PartSize: int64(len(data)+3) / 4, Faults: ascapitest.Faults{Latency: 100 * time.Millisecond}}
			c := simEnv(b, sim, ascapi.WithUploadConcurrency(conc))
			ctx := context.Background()
			_, locID := editableLocalization(b, c)
			for b.Loop() {
				b.StopTimer()
				var setIDs []string
				for _, dt := range []string{"APP_IPHONE_65", "APP_IPHONE_61", "APP_IPHONE_58"} {
					set, _, err := c.ScreenshotSets.Create(ctx, locID, dt)
					if err != nil {
						b.Fatal(err)
					}
					setIDs = append(setIDs, set.ID)
				}
				b.StartTimer()
				for i := 0; i < 30; i++ {
					if _, err := uploadScreenshot(ctx, c, setIDs[i/10], fmt.Sprintf("%d.png", i), data); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				for _, id := range setIDs {
					if _, err := c.ScreenshotSets.Delete(ctx, id); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
			}
		})
	}
}

func TestSimulatorReads(t *testing.T) {
	sim := &ascapitest.Server{}
	conf := sim.EnableConformance(t)
	c := simEnv(t, sim)
	ctx := context.Background()
	appID, locID := editableLocalization(t, c)
	if app, _, err := c.Apps.Get(ctx, appID); err != nil || app.BundleID != "com.example.demo" {
		t.Errorf("Apps.Get = %+v, %v", app, err)
	}
	infos, _, err := c.AppInfos.List(ctx, appID)
	if err != nil || len(infos) == 0 {
		t.Fatalf("AppInfos.List = %v, %v", infos, err)
	}
	var names []string
	for _, in := range infos {
		locs, _, err := c.AppInfoLocalizations.List(ctx, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range locs {
			if l.Locale == "en-US" && l.Name != nil {
				names = append(names, *l.Name)
			}
		}
	}
	if len(names) == 0 || names[0] != "Planner Demo" {
		t.Errorf("en-US app names = %v", names)
	}
	if _, _, err := c.PreviewSets.List(ctx, locID); err != nil {
		t.Errorf("PreviewSets.List: %v", err)
	}
	sets, _, err := c.ScreenshotSets.List(ctx, locID)
	if err != nil {
		t.Fatal(err)
	}
	shots, _, err := c.Screenshots.ListBySet(ctx, sets[0].ID)
	if err != nil || len(shots) != len(sets[0].Screenshots) {
		t.Errorf("ListBySet = %d screenshots, %v; List had %d", len(shots), err, len(sets[0].Screenshots))
	}
	if rl := c.RateLimit(); !rl.Known || rl.Remaining >= rl.Limit {
		t.Errorf("RateLimit() = %+v after several calls", rl)
	}
	if conf.Checked() == 0 {
		t.Error("no exchange was checked against the OpenAPI document")
	}
}

func TestSimulatorPreviewUpload(t *testing.T) {
	sim := &ascapitest.Server{ProcessAfterReads: 2}
	sim.EnableConformance(t)
	c := simEnv(t, sim)
	ctx := context.Background()
	_, locID := editableLocalization(t, c)
	set, _, err := c.PreviewSets.Create(ctx, locID, "IPHONE_67")
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("not really a movie "), 1000)
	sum := md5.Sum(data)
	p, _, err := c.Previews.Reserve(ctx, set.ID, "intro.mov", int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Upload(ctx, p.UploadOperations, bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Previews.Commit(ctx, p.ID, hex.EncodeToString(sum[:])); err != nil {
		t.Fatal(err)
	}
	var done *ascapi.Preview
	_, err = awaitProcessed(ctx, 10, func(ctx context.Context) (*ascapi.Asset, error) {
		var err error
		if done, _, err = c.Previews.Get(ctx, p.ID); err != nil {
			return nil, err
		}
		return &done.Asset, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !done.Ready() || done.Checksum() != hex.EncodeToString(sum[:]) || done.MimeType == nil || *done.MimeType != "video/quicktime" {
		t.Errorf("processed preview = %+v (mime %v)", done.Asset, done.MimeType)
	}
	sets, _, err := c.PreviewSets.List(ctx, locID)
	if err != nil || len(sets) != 1 || sets[0].PreviewType != "IPHONE_67" || len(sets[0].Previews) != 1 {
		t.Errorf("preview sets = %+v, %v", sets, err)
	}
}

func TestSimulatorAppInfosWithLocalizations(t *testing.T) {
	sim := &ascapitest.Server{}
	sim.EnableConformance(t)
	c := simEnv(t, sim)
	ctx := context.Background()
	app, _, err := c.Apps.FindByBundleID(ctx, "com.example.demo")
	if err != nil {
		t.Fatal(err)
	}
	sim.ResetJournal()
	infos, _, err := c.AppInfos.ListWithLocalizations(ctx, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(sim.APICalls()); got != 1 {
		t.Errorf("ListWithLocalizations made %d API calls, want 1", got)
	}
	for _, in := range infos {
		want, _, err := c.AppInfoLocalizations.List(ctx, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got, wantLocales []string
		for _, l := range in.Localizations {
			got = append(got, l.Locale+"="+deref(l.Name))
		}
		for _, l := range want {
			wantLocales = append(wantLocales, l.Locale+"="+deref(l.Name))
		}
		if len(got) == 0 || !slices.Equal(got, wantLocales) {
			t.Errorf("app info %s (%s): included localizations %v, listed %v", in.ID, in.State, got, wantLocales)
		}
	}
}

// TestSimulatorAppInfosWithFiftyLocalizations lists an appInfo whose 50 localizations fill
// Apple's include limit exactly: the paging total says nothing is missing, so it costs one
// request.
func TestSimulatorAppInfosWithFiftyLocalizations(t *testing.T) {
	v := ascapitest.SeedVersion{VersionString: "1.0", Platform: "IOS", State: "PREPARE_FOR_SUBMISSION"}
	for i := range 50 {
		v.InfoLocalizations = append(v.InfoLocalizations, ascapitest.SeedLocalization{Locale: collection.Locales[i], Texts: map[string]string{"name": "App"}})
	}
	sim := &ascapitest.Server{Seed: &ascapitest.Seed{Apps: []ascapitest.SeedApp{{ID: "1", BundleID: "com.example.fifty", Name: "App", PrimaryLocale: "en-US", Versions: []ascapitest.SeedVersion{v}}}}}
	sim.EnableConformance(t)
	c := simEnv(t, sim)
	infos, _, err := c.AppInfos.ListWithLocalizations(context.Background(), "1")
	if err != nil {
		t.Fatal(err)
	}
	if len(infos) != 1 || len(infos[0].Localizations) != 50 {
		t.Fatalf("got %d app infos, %d localizations; want 1 and 50", len(infos), len(infos[0].Localizations))
	}
	if got := len(sim.APICalls()); got != 1 {
		t.Errorf("ListWithLocalizations made %d API calls, want 1", got)
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// TestSimulatorVersionLocalizationsWithSets lists the editable version's localizations with
// their sets included, in one request, and checks the counts against the sets' own listings.
func TestSimulatorVersionLocalizationsWithSets(t *testing.T) {
	sim := &ascapitest.Server{}
	sim.EnableConformance(t)
	c := simEnv(t, sim)
	ctx := context.Background()
	app, _, err := c.Apps.FindByBundleID(ctx, "com.example.demo")
	if err != nil {
		t.Fatal(err)
	}
	vs, _, err := c.Versions.List(ctx, app.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		sim.ResetJournal()
		locs, _, err := c.VersionLocalizations.ListWithSets(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(sim.APICalls()); got != 1 {
			t.Errorf("ListWithSets made %d API calls, want 1", got)
		}
		plain, _, err := c.VersionLocalizations.List(ctx, v.ID)
		if err != nil || len(plain) != len(locs) || len(locs) == 0 {
			t.Fatalf("List gave %d localizations (%v), ListWithSets %d", len(plain), err, len(locs))
		}
		for i, l := range locs {
			if l.Locale != plain[i].Locale || deref(l.Description) != deref(plain[i].Description) {
				t.Errorf("localization %d: %s %q, List says %s %q", i, l.Locale, deref(l.Description), plain[i].Locale, deref(plain[i].Description))
			}
			shots, _, err1 := c.ScreenshotSets.List(ctx, l.ID)
			prevs, _, err2 := c.PreviewSets.List(ctx, l.ID)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			want := ascapi.SetCounts{Screenshots: len(shots), Previews: len(prevs)}
			if l.Sets == nil || *l.Sets != want {
				t.Errorf("%s %s: Sets = %+v, want %+v", v.VersionString, l.Locale, l.Sets, want)
			}
		}
		// With locales, both read only those localizations, in one request each.
		last := locs[len(locs)-1].Locale
		sim.ResetJournal()
		some, _, err1 := c.VersionLocalizations.List(ctx, v.ID, last)
		someSets, _, err2 := c.VersionLocalizations.ListWithSets(ctx, v.ID, last, "xx-XX")
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if len(some) != 1 || some[0].Locale != last || len(someSets) != 1 || someSets[0].Locale != last || someSets[0].Sets == nil {
			t.Errorf("List and ListWithSets of %s: %+v, %+v", last, some, someSets)
		}
		if got := len(sim.APICalls()); got != 2 {
			t.Errorf("%d API calls for two filtered lists, want 2", got)
		}
	}
}
