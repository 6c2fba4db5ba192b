package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/collection"
)

const testBundle = "com.example.demo"

// syncEnv is the simulator plus a config pointing at it, for running commands end to end.
type syncEnv struct {
	tb  testing.TB
	sim *ascapitest.Server
	cfg string
	ws  string
}

// newSyncEnv starts the simulator (assets finish processing at their first read) and writes
// credentials and a config into a temp dir.
func newSyncEnv(tb testing.TB) *syncEnv {
	tb.Helper()
	return newSyncEnvWith(tb, nil)
}

// newSyncEnvWith is newSyncEnv with configure applied to the simulator as well.
func newSyncEnvWith(tb testing.TB, configure func(*ascapitest.Server)) *syncEnv {
	tb.Helper()
	if t, ok := tb.(*testing.T); ok {
		t.Parallel()
	}
	sim, err := ascapitest.NewServer(tb, ascapitest.Options{Configure: func(s *ascapitest.Server) {
		s.Seed = testSeed()
		s.ProcessAfterReads = 1
		s.PartSize = 256 << 10
		if configure != nil {
			configure(s)
		}
	}})
	if err != nil {
		tb.Fatal(err)
	}
	sim.EnableConformance(tb) // every exchange is checked against Apple's OpenAPI document
	dir := tb.TempDir()
	listen, err := ascapitest.FreeLoopbackAddr()
	if err != nil {
		tb.Fatal(err)
	}
	if err := ascapitest.WriteCredentials(dir, sim.Credentials(), sim.URL(), listen); err != nil {
		tb.Fatal(err)
	}
	return &syncEnv{tb: tb, sim: sim, cfg: filepath.Join(dir, "config.toml"), ws: filepath.Join(dir, "workspace")}
}

// testSeed is the simulator's default seed with small APP_WATCH_SERIES_7 screenshots instead
// of APP_IPHONE_67 ones: downloads are re-encoded, and small images keep the tests fast.
func testSeed() *ascapitest.Seed {
	seed := ascapitest.DefaultSeed()
	for ai := range seed.Apps {
		for vi := range seed.Apps[ai].Versions {
			locs := seed.Apps[ai].Versions[vi].Localizations
			for li := range locs {
				if shots, ok := locs[li].Screenshots["APP_IPHONE_67"]; ok {
					for i := range shots {
						shots[i].Width, shots[i].Height = shotW, shotH
					}
					locs[li].Screenshots = map[string][]ascapitest.SeedAsset{"APP_WATCH_SERIES_7": shots}
				}
			}
		}
	}
	return seed
}

// run runs storesyncer with the env's config and returns the exit code and output.
func (e *syncEnv) run(args ...string) (exit int, stdout, stderr string) {
	e.tb.Helper()
	return e.runIn("", args...)
}

func (e *syncEnv) runIn(stdin string, args ...string) (exit int, stdout, stderr string) {
	e.tb.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), append([]string{"--config", e.cfg}, args...), strings.NewReader(stdin), &out, &errb)
	return exitCode(err), out.String(), errb.String()
}

// mustRun runs a command that must exit 0.
func (e *syncEnv) mustRun(args ...string) string {
	e.tb.Helper()
	exit, out, errOut := e.run(args...)
	if exit != 0 {
		e.tb.Fatalf("storesyncer %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), exit, out, errOut)
	}
	return out
}

// added runs apps add for the demo app and forgets the journal.
func (e *syncEnv) added() *syncEnv {
	e.tb.Helper()
	e.mustRun("apps", "add", "--bundle-id", testBundle)
	e.sim.ResetJournal()
	return e
}

// path is a file of collection name of the demo app.
func (e *syncEnv) path(collectionName, rel string) string {
	return filepath.Join(e.ws, testBundle, collectionName, filepath.FromSlash(rel))
}

func (e *syncEnv) write(rel string, data []byte) {
	e.tb.Helper()
	p := e.path("main", rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		e.tb.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		e.tb.Fatal(err)
	}
}

func (e *syncEnv) read(collectionName, rel string) string {
	e.tb.Helper()
	b, err := os.ReadFile(e.path(collectionName, rel))
	if err != nil {
		e.tb.Fatal(err)
	}
	return string(b)
}

// writes counts the API calls that change App Store Connect.
func (e *syncEnv) writes() []string {
	var out []string
	for _, c := range e.sim.APICalls() {
		if c.Method != http.MethodGet {
			out = append(out, c.Method+" "+c.Route)
		}
	}
	return out
}

// count counts API calls of method whose route is route.
func (e *syncEnv) count(method, route string) int {
	n := 0
	for _, c := range e.sim.APICalls() {
		if c.Method == method && c.Route == route {
			n++
		}
	}
	return n
}

// client is an App Store Connect client of the simulator, for edits "on the web".
func (e *syncEnv) client() *ascapi.Client {
	e.tb.Helper()
	creds := e.sim.Credentials()
	key, err := ascapi.ParseKey(creds.PrivateKeyPEM)
	if err != nil {
		e.tb.Fatal(err)
	}
	c, err := ascapi.NewClient(ascapi.Credentials{IssuerID: creds.IssuerID, KeyID: creds.KeyID, PrivateKey: key}, ascapi.WithBaseURL(e.sim.URL()+"/"))
	if err != nil {
		e.tb.Fatal(err)
	}
	return c
}

// webEdit changes a version localization text the way the App Store Connect web UI would.
func (e *syncEnv) webEdit(version, locale string, attrs ascapi.VersionLocalizationAttributes) {
	e.tb.Helper()
	c := e.client()
	var versionID string
	for _, v := range e.sim.Versions(testBundle) {
		if v.VersionString == version {
			versionID = v.ID
		}
	}
	ctx := context.Background()
	locs, _, err := c.VersionLocalizations.List(ctx, versionID)
	if err != nil {
		e.tb.Fatal(err)
	}
	for _, l := range locs {
		if l.Locale == locale {
			if _, _, err := c.VersionLocalizations.Update(ctx, l.ID, attrs); err != nil {
				e.tb.Fatal(err)
			}
			e.sim.ResetJournal()
			return
		}
	}
	e.tb.Fatalf("no %s localization of %s", locale, version)
}

func ptr(s string) *string { return &s }

// ascapiAttrs sets one version localization attribute.
func ascapiAttrs(attr, value string) ascapi.VersionLocalizationAttributes {
	var a ascapi.VersionLocalizationAttributes
	switch attr {
	case "whatsNew":
		a.WhatsNew = &value
	case "keywords":
		a.Keywords = &value
	case "description":
		a.Description = &value
	}
	return a
}

func TestAppsAddMakesMainFromTheTargetVersion(t *testing.T) {
	e := newSyncEnv(t)
	out := e.mustRun("apps", "add", "--bundle-id", testBundle)
	if !strings.Contains(out, "pulled version 1.1") {
		t.Errorf("apps add said %q; want it to name version 1.1", out)
	}
	// app.toml
	toml := e.read("", "app.toml")
	for _, want := range []string{`bundle_id = "com.example.demo"`, `active = "main"`, `app_id = "6450000001"`, `primary_locale = "en-US"`, `platform = "IOS"`} {
		if !strings.Contains(toml, want) {
			t.Errorf("app.toml lacks %s:\n%s", want, toml)
		}
	}
	// Texts, as the seed has them on the editable version.
	for _, locale := range []string{"en-US", "de-DE", "ja"} {
		attrs, _ := e.sim.VersionLocalization(testBundle, "1.1", locale)
		if got := strings.TrimSpace(e.read("main", "keyword/"+locale+".txt")); got != attrs["keywords"] {
			t.Errorf("keyword/%s.txt = %q; want %q", locale, got, attrs["keywords"])
		}
		info, _ := e.sim.InfoLocalization(testBundle, "1.1", locale)
		if got := strings.TrimSpace(e.read("main", "name/"+locale+".txt")); got != info["name"] {
			t.Errorf("name/%s.txt = %q; want %q", locale, got, info["name"])
		}
	}
	// Screenshots: three per locale, in order, named NN_<fileName>, valid for the layout.
	entries, err := os.ReadDir(e.path("main", "screenshot/de-DE/APP_WATCH_SERIES_7"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, en := range entries {
		names = append(names, en.Name())
	}
	if diff := cmp.Diff([]string{"01_1.png", "02_2.png", "03_3.png"}, names); diff != "" {
		t.Errorf("screenshot folder (-want +got):\n%s", diff)
	}
	problems, err := collection.Validate(e.path("main", ""), collection.Options{Platform: collection.IOS})
	if err != nil || collection.HasErrors(problems) {
		t.Errorf("main does not validate: %v %v", err, problems)
	}
	if _, err := os.Stat(e.path("main", ".storesyncer/checksums.json")); err != nil {
		t.Errorf("no checksum map: %v", err)
	}
	// apps list shows it, offline.
	e.sim.ResetJournal()
	exit, out, _ := e.run("--json", "apps", "list")
	var list struct {
		Apps []appRow `json:"apps"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || exit != 0 {
		t.Fatalf("apps list: exit %d, %v\n%s", exit, err, out)
	}
	if len(list.Apps) != 1 || list.Apps[0].Version != "1.1" || list.Apps[0].State != "PREPARE_FOR_SUBMISSION" || list.Apps[0].Active != "main" || list.Apps[0].LastSync == "" {
		t.Errorf("apps list = %+v", list.Apps)
	}
	if n := len(e.sim.APICalls()); n != 0 {
		t.Errorf("apps list made %d API calls; want none", n)
	}
	// A second add is refused; an unknown bundle ID says so.
	if exit, _, _ := e.run("apps", "add", "--bundle-id", testBundle); exit != exitFailure {
		t.Errorf("second apps add: exit %d; want %d", exit, exitFailure)
	}
	exit, _, errOut := e.run("apps", "add", "--bundle-id", "com.example.dem")
	if exit != exitFailure || !strings.Contains(errOut, "did you mean") {
		t.Errorf("unknown app: exit %d, %q; want 1 and a suggestion", exit, errOut)
	}
}

func TestAppsRemoveKeepsTheCollections(t *testing.T) {
	e := newSyncEnv(t).added()
	if exit, _, _ := e.run("apps", "remove"); exit != exitUsage {
		t.Errorf("apps remove without --app: exit %d; want %d", exit, exitUsage)
	}
	e.mustRun("--app", testBundle, "apps", "remove")
	if _, err := os.Stat(e.path("", "app.toml")); !os.IsNotExist(err) {
		t.Errorf("app.toml still there: %v", err)
	}
	if _, err := os.Stat(e.path("main", "keyword/en-US.txt")); err != nil {
		t.Errorf("collection gone: %v", err)
	}
	out := e.mustRun("apps", "list")
	if !strings.Contains(out, "no apps") {
		t.Errorf("apps list after remove = %q", out)
	}
}
