package remote

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/plan"
)

const demo = "com.example.demo"

// testClock is a manual clock: Sleep advances it instead of waiting, so deadlines pass
// without real time.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

// env is the simulator, a client and a Remote on one fake clock.
type env struct {
	sim   *ascapitest.Server
	clock *testClock
	r     *Remote
	app   App
	// journal is the Remote's upload journal (withJournal).
	journal *memJournal
}

type envOption func(*envConfig)

type envConfig struct {
	sim       func(*ascapitest.Server)
	transport func(http.RoundTripper) http.RoundTripper
	journal   bool
	realTime  bool
}

func withSim(f func(*ascapitest.Server)) envOption { return func(c *envConfig) { c.sim = f } }

func withTransport(f func(http.RoundTripper) http.RoundTripper) envOption {
	return func(c *envConfig) { c.transport = f }
}

// withRealTime runs the client, the Remote and the simulator on the real clock.
func withRealTime() envOption { return func(c *envConfig) { c.realTime = true } }

func withJournal() envOption { return func(c *envConfig) { c.journal = true } }

// newEnv starts the simulator on loopback (assets finish processing at their first read, parts
// are 64 KiB) and returns a Remote for the demo app.
func newEnv(tb testing.TB, opts ...envOption) *env {
	tb.Helper()
	var cfg envConfig
	for _, o := range opts {
		o(&cfg)
	}
	clock := &testClock{t: time.Now()}
	sim, err := ascapitest.NewServer(tb, ascapitest.Options{Configure: func(s *ascapitest.Server) {
		if !cfg.realTime {
			s.Now = clock.Now
			s.ProcessAfterReads = 1
			s.PartSize = 64 << 10
		}
		if cfg.sim != nil {
			cfg.sim(s)
		}
	}})
	if err != nil {
		tb.Fatal(err)
	}
	sim.EnableConformance(tb) // every exchange is checked against Apple's OpenAPI document
	e := &env{sim: sim, clock: clock}
	if cfg.realTime {
		clock = nil
	}
	e.r = newRemote(tb, sim, clock, cfg)
	if cfg.journal {
		e.journal = &memJournal{now: e.clock.Now}
		e.r.uploads = e.journal
	}
	e.app, err = e.r.FindApp(context.Background(), demo, "IOS")
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

func newRemote(tb testing.TB, sim *ascapitest.Server, clock *testClock, cfg envConfig) *Remote {
	tb.Helper()
	creds := sim.Credentials()
	key, err := ascapi.ParseKey(creds.PrivateKeyPEM)
	if err != nil {
		tb.Fatal(err)
	}
	var rt http.RoundTripper = http.DefaultTransport.(*http.Transport).Clone()
	if cfg.transport != nil {
		rt = cfg.transport(rt)
	}
	opts := []ascapi.ClientOption{ascapi.WithBaseURL(sim.URL() + "/"), ascapi.WithHTTPClient(&http.Client{Transport: rt, Timeout: time.Minute})}
	rcfg := Config{PollInterval: time.Minute, ProcessingDeadline: 10 * time.Minute}
	if clock != nil {
		opts = append(opts, ascapi.WithClock(clock.Now), ascapi.WithSleep(clock.Sleep))
		rcfg.Now, rcfg.Sleep = clock.Now, clock.Sleep
	} else {
		rcfg.PollInterval = 200 * time.Millisecond
	}
	c, err := ascapi.NewClient(ascapi.Credentials{IssuerID: creds.IssuerID, KeyID: creds.KeyID, PrivateKey: key}, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	rcfg.Client = c
	r, err := New(rcfg)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// local is a collection on disk: texts and sets, with their files under a temp dir.
type local struct {
	tb    testing.TB
	dir   string
	texts map[plan.Key]string
	sets  map[plan.Key][]localFile
}

type localFile struct {
	name string
	data []byte
}

func newLocal(tb testing.TB) *local {
	return &local{tb: tb, dir: tb.TempDir(), texts: map[plan.Key]string{}, sets: map[plan.Key][]localFile{}}
}

func (l *local) text(k plan.Key, v string) *local {
	l.texts[k] = v
	return l
}

// set puts the files of a set folder on disk, replacing the set.
func (l *local) set(k plan.Key, files ...localFile) *local {
	l.tb.Helper()
	l.sets[k] = files
	dir := filepath.Join(l.dir, string(k))
	if err := os.RemoveAll(dir); err != nil {
		l.tb.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		l.tb.Fatal(err)
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.name), f.data, 0o644); err != nil {
			l.tb.Fatal(err)
		}
	}
	return l
}

// values is the local side of plan.Input.
func (l *local) values() map[plan.Key]plan.Value {
	out := map[plan.Key]plan.Value{}
	for k, v := range l.texts {
		out[k] = plan.TextValue(v)
	}
	for k, files := range l.sets {
		var v plan.Value
		for _, f := range files {
			v.Assets = append(v.Assets, plan.Asset{Name: f.name, Checksum: sum(f.data), Size: int64(len(f.data))})
		}
		out[k] = v
	}
	return out
}

// checksums returns the set's local checksums in order.
func (l *local) checksums(k plan.Key) []string {
	var out []string
	for _, f := range l.sets[k] {
		out = append(out, sum(f.data))
	}
	return out
}

// source reads files from disk by name, searching every set folder: the engine's job.
type source struct{ dir string }

func (s source) Open(a plan.Asset) (AssetFile, error) {
	matches, _ := filepath.Glob(filepath.Join(s.dir, "*", "*", "*", a.Name))
	for _, m := range matches {
		b, err := os.ReadFile(m)
		if err == nil && sum(b) == a.Checksum {
			return OpenFile(m, time.Time{})
		}
	}
	if len(matches) == 0 {
		return nil, fmt.Errorf("no file %s", a.Name)
	}
	return nil, fmt.Errorf("%s: %w", a.Name, ErrFileChanged) // as the engine sees it: modified since hashed
}

func (l *local) source() AssetSource { return source{l.dir} }

func sum(b []byte) string {
	s := md5.Sum(b)
	return hex.EncodeToString(s[:])
}

func png(name string, n int) localFile {
	return localFile{name: name, data: ascapitest.SamplePNG(1290, 2796, n)}
}

// baseOf returns bases equal to what snap holds: the state after a previous sync.
func baseOf(snap *Snapshot) map[plan.Key]plan.Value {
	out := map[plan.Key]plan.Value{}
	for k, v := range snap.Remote {
		if k.IsMedia() {
			out[k] = plan.ChecksumValue(v.Checksums()...)
		} else {
			out[k] = v
		}
	}
	return out
}

// planFor computes the plan of pushing l over snap, with bases from synced (nil: first sync).
func planFor(snap *Snapshot, l *local, base map[plan.Key]plan.Value) plan.Plan {
	return plan.Compute(plan.Input{Local: l.values(), Remote: snap.Remote, Base: base, Version: snap.Version,
		Resources: snap.Resources, Options: plan.Options{PrimaryLocale: "en-US"}})
}

// push fetches scope, plans l against bases equal to the fetched state (so every local change
// is a push) and applies every group, one after another.
func (e *env) push(tb testing.TB, l *local, scope Scope) (*Snapshot, plan.Plan, []Result) {
	tb.Helper()
	ctx := context.Background()
	snap, err := e.r.Fetch(ctx, e.app, scope)
	if err != nil {
		tb.Fatal(err)
	}
	p := planFor(snap, l, baseOf(snap))
	return snap, p, e.applyAll(tb, snap, p, l)
}

func (e *env) applyAll(tb testing.TB, snap *Snapshot, p plan.Plan, l *local) []Result {
	tb.Helper()
	var out []Result
	for _, g := range p.Resources() {
		res, err := e.r.Apply(context.Background(), e.app, snap, g, ApplyOptions{Source: l.source()})
		if err != nil {
			tb.Fatalf("apply %s: %v", g.Resource, err)
		}
		out = append(out, res)
	}
	return out
}

// apiCalls counts the journal's API calls by "METHOD route".
func apiCalls(sim *ascapitest.Server) map[string]int {
	out := map[string]int{}
	for _, e := range sim.APICalls() {
		out[e.Method+" "+e.Route]++
	}
	return out
}

func totalCalls(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// wantCalls compares the journal's API calls with want.
func wantCalls(tb testing.TB, sim *ascapitest.Server, want map[string]int) {
	tb.Helper()
	if diff := cmp.Diff(want, apiCalls(sim)); diff != "" {
		tb.Errorf("API calls (-want +got):\n%s", diff)
	}
}

// wantSet checks that the remote set holds exactly the local files, in order, all COMPLETE.
func wantSet(tb testing.TB, sim *ascapitest.Server, l *local, k plan.Key) {
	tb.Helper()
	kind, typ, _ := k.Media()
	get := sim.ScreenshotSet
	if kind == plan.Preview {
		get = sim.PreviewSet
	}
	si, ok := get(demo, "1.1", k.Locale(), typ)
	if !ok {
		tb.Fatalf("set %s does not exist", k)
	}
	if diff := cmp.Diff(l.checksums(k), si.Checksums()); diff != "" {
		tb.Errorf("set %s checksums (-local +remote):\n%s", k, diff)
	}
	for _, a := range si.Assets {
		if a.State != ascapi.StateComplete {
			tb.Errorf("set %s: %s is %s, want COMPLETE", k, a.FileName, a.State)
		}
	}
}

// wantDone checks that every key of every result is done.
func wantDone(tb testing.TB, results []Result) {
	tb.Helper()
	for _, r := range results {
		for k, err := range r.Failed {
			tb.Errorf("%s failed: %v", k, err)
		}
	}
}

func doneKeys(results []Result) []plan.Key {
	var out []plan.Key
	for _, r := range results {
		out = append(out, r.Done...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// memJournal is an UploadJournal in memory, as the engine's StateJournal behaves: IDs from
// 1, rows oldest first, UpdatedAt set on every change. It is safe for concurrent use.
type memJournal struct {
	now func() time.Time

	mu     sync.Mutex
	nextID int64
	rows   []Reservation
}

var _ UploadJournal = (*memJournal)(nil)

func (j *memJournal) Record(_ context.Context, r Reservation) (int64, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.nextID++
	r.ID, r.UpdatedAt = j.nextID, j.now()
	j.rows = append(j.rows, r)
	return r.ID, nil
}

func (j *memJournal) Update(_ context.Context, id int64, st ReservationState) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	for i := range j.rows {
		if j.rows[i].ID == id {
			j.rows[i].State, j.rows[i].UpdatedAt = st, j.now()
		}
	}
	return nil
}

func (j *memJournal) Find(_ context.Context, app string, set plan.Key) ([]Reservation, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []Reservation
	for _, r := range j.rows {
		if r.App == app && (set == "" || r.Set == set) {
			out = append(out, r)
		}
	}
	return out, nil
}

func (j *memJournal) Delete(_ context.Context, id int64) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.rows = slices.DeleteFunc(j.rows, func(r Reservation) bool { return r.ID == id })
	return nil
}
