package engine

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/plan"
)

// Write endpoints the faults of the matrix hit.
var faultWrites = []string{
	"PATCH /v1/appStoreVersionLocalizations/{id}",
	"POST /v1/appScreenshotSets",
	"POST /v1/appScreenshots",
	"PATCH /v1/appScreenshots/{id}",
	"DELETE /v1/appScreenshots/{id}",
	"PATCH /v1/appScreenshotSets/{id}/relationships/appScreenshots",
}

func everyWrite(p float64) map[string]float64 {
	m := map[string]float64{}
	for _, w := range faultWrites {
		m[w] = p
	}
	return m
}

// faultKinds are the simulator's fault kinds (ascapitest.Faults, plus 429 answers), each
// switched on before the first push and off before the second.
var faultKinds = []struct {
	name string
	on   func(s *ascapitest.Server)
	// uploads is true for a fault that only uploads meet: a text edit passes untouched.
	uploads bool
}{
	{"applied_500", func(s *ascapitest.Server) { s.SetFaults(ascapitest.Faults{Applied5xx: everyWrite(1)}) }, false},
	{"applied_503", func(s *ascapitest.Server) { s.SetFaults(ascapitest.Faults{Applied503: everyWrite(1)}) }, false},
	{"drop_conn", func(s *ascapitest.Server) { s.SetFaults(ascapitest.Faults{DropConn: everyWrite(1)}) }, false},
	{"fail_parts", func(s *ascapitest.Server) { s.SetFaults(ascapitest.Faults{FailParts: 100}) }, true},
	{"processing_fail", func(s *ascapitest.Server) { s.SetFaults(ascapitest.Faults{ProcessingFail: 100}) }, true},
	{"stuck", func(s *ascapitest.Server) { s.SetFaults(ascapitest.Faults{Stuck: 100}) }, true},
	{"error_rate", func(s *ascapitest.Server) { s.SetFaults(ascapitest.Faults{ErrorRate: everyWrite(0.5), Seed: 7}) }, false},
	{name: "429_storm", on: func(s *ascapitest.Server) {
		for range 4 { // fewer than the client's retries: each write gets through in the end
			for _, w := range faultWrites {
				m, p, _ := strings.Cut(w, " ")
				s.FailNext(m, p, 429, false)
			}
		}
	}},
}

const (
	matrixSet    = "screenshot/de-DE/APP_WATCH_SERIES_7"
	matrixNewSet = "screenshot/de-DE/APP_WATCH_SERIES_4"
	matrixText   = "keyword/de-DE.txt"
)

// faultChanges are the local changes of the matrix.
var faultChanges = []struct {
	name string
	do   func(e *testEnv)
	// noUpload is true for a change that uploads nothing (upload faults pass it by).
	noUpload bool
}{
	{"text edit", func(e *testEnv) { e.write(matrixText, []byte("planer,fehler,matrix\n")) }, true},
	{name: "new set", do: func(e *testEnv) {
		for i := 1; i <= 3; i++ {
			e.write(fmt.Sprintf("%s/%d.png", matrixNewSet, i), ascapitest.SamplePNG(368, 448, 40+i))
		}
	}},
	{name: "replaced image", do: func(e *testEnv) {
		names := e.setFiles(matrixSet)
		e.write(matrixSet+"/"+names[1], ascapitest.SamplePNG(396, 484, 77))
	}},
	{name: "reorder", do: func(e *testEnv) {
		names := e.setFiles(matrixSet)
		if err := os.Rename(e.path(matrixSet+"/"+names[0]), e.path(matrixSet+"/99_"+names[0])); err != nil {
			e.tb.Fatal(err)
		}
	}, noUpload: true},
}

// maxFaultAttempts bounds the pushes a row may take: one under the fault, then two after it
// cleared.
const maxFaultAttempts = 3

// TestFaultMatrix makes each local change under each fault the simulator offers: one push
// while the fault holds, then pushes after it cleared. Every row must end with App Store
// Connect equal to the folder (no conflict, nothing left to write), no duplicate and no
// unfinished placeholder, within maxFaultAttempts pushes; a push that did not get there says
// which key failed and why (what `push` and the daemon's status show).
func TestFaultMatrix(t *testing.T) {
	for _, f := range faultKinds {
		for _, c := range faultChanges {
			name := f.name + "/" + c.name
			if _, ok := faultRowsLeftOut[name]; ok {
				continue
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				runFaultRow(t, f.on, c.do, !(f.uploads && c.noUpload))
			})
		}
	}
}

// faultRowsLeftOut are the rows that do not converge yet, with why (see RELIABILITY.md).
var faultRowsLeftOut = map[string]string{}

// runFaultRow runs one row; meets says the fault must show (an injected answer in the
// journal, or a failed key in the first push).
func runFaultRow(t *testing.T, fault func(*ascapitest.Server), change func(*testEnv), meets bool) {
	clk := newVirtualClock(time.Now())
	e := newTestEnvClock(t, nil, clk)
	ctx := context.Background()
	if _, err := e.eng.AddApp(ctx, demo, "", ""); err != nil {
		t.Fatal(err)
	}
	change(e)
	fault(e.sim)
	attempts, failedFirst := 0, false
	for attempts < maxFaultAttempts {
		if attempts == 1 {
			e.sim.SetFaults(ascapitest.Faults{}) // the fault clears
		}
		attempts++
		res, err := e.eng.Push(ctx, demo, PushOptions{})
		if err != nil {
			t.Logf("push %d: %v", attempts, err)
			continue
		}
		failedFirst = failedFirst || (attempts == 1 && len(res.Failed) > 0)
		for _, f := range res.Failed {
			t.Logf("push %d: %s failed: %v", attempts, f.Op.Key, f.Err)
			if f.Err == nil || f.Err.Error() == "" {
				t.Errorf("push %d: %s failed without a reason", attempts, f.Op.Key)
			}
		}
		if len(res.Failed) > 0 && !slices.ContainsFunc(res.Lines(), func(l string) bool { return strings.HasPrefix(l, "failed    ") }) {
			t.Errorf("push %d: the failure is not in the report:\n%s", attempts, strings.Join(res.Lines(), "\n"))
		}
		if len(res.Conflicts) > 0 {
			t.Fatalf("push %d: conflicts %v", attempts, res.Conflicts)
		}
		if len(res.Failed)+len(res.Held) == 0 && e.inStep(ctx) {
			break
		}
	}
	if !e.inStep(ctx) {
		pr, _ := e.eng.Plan(ctx, demo, PlanOptions{Full: true})
		t.Fatalf("after %d push(es) App Store Connect is not equal to the folder:\n%s", attempts, describeOps(pr))
	}
	for _, folder := range []string{matrixSet, matrixNewSet} {
		e.checkSetEqualsFolder(folder)
	}
	if got, want := e.remoteKeyword("de-DE"), strings.TrimSpace(e.read(matrixText)); got != want {
		t.Errorf("remote de-DE keywords %q; folder %q", got, want)
	}
	injected := 0
	for _, en := range e.sim.Journal() {
		if en.Fault != "" || en.Status == 429 {
			injected++
		}
	}
	if meets && injected == 0 && !failedFirst {
		t.Errorf("the fault never showed: no injected answer, no failed key")
	}
	t.Logf("converged in %d push(es); %d injected answer(s); first push failed: %v", attempts, injected, failedFirst)
}

// inStep reports whether a full plan finds nothing to write, pull or decide.
func (e *testEnv) inStep(ctx context.Context) bool {
	pr, err := e.eng.Plan(ctx, demo, PlanOptions{Full: true})
	if err != nil {
		e.tb.Logf("plan: %v", err)
		return false
	}
	for _, op := range pr.Plan.Ops {
		if op.Kind != plan.InSync {
			return false
		}
	}
	return true
}

func describeOps(pr *PlanResult) string {
	if pr == nil {
		return "(no plan)"
	}
	var b strings.Builder
	for _, op := range pr.Plan.Ops {
		if op.Kind != plan.InSync {
			fmt.Fprintf(&b, "  %s %s (%s)\n", op.Kind, op.Key, op.Reason)
		}
	}
	return b.String()
}

// setFiles lists the files of a set folder in name order.
func (e *testEnv) setFiles(folder string) []string {
	e.tb.Helper()
	entries, err := os.ReadDir(e.path(folder))
	if err != nil {
		e.tb.Fatal(err)
	}
	var names []string
	for _, en := range entries {
		if !en.IsDir() && !strings.HasPrefix(en.Name(), ".") {
			names = append(names, en.Name())
		}
	}
	return names
}

func (e *testEnv) read(rel string) string {
	e.tb.Helper()
	b, err := os.ReadFile(e.path(rel))
	if err != nil {
		e.tb.Fatal(err)
	}
	return string(b)
}

func (e *testEnv) remoteKeyword(locale string) string {
	attrs, _ := e.sim.VersionLocalization(demo, "1.1", locale)
	return attrs["keywords"]
}

// checkSetEqualsFolder checks that the remote set of folder holds the folder's images in its
// (natural) order, through the pulled checksums, every asset COMPLETE and none twice. A
// folder that does not exist must have no remote set with assets.
func (e *testEnv) checkSetEqualsFolder(folder string) {
	e.tb.Helper()
	parts := strings.Split(folder, "/")
	set, ok := e.sim.ScreenshotSet(demo, "1.1", parts[1], parts[2])
	if _, err := os.Stat(e.path(folder)); err != nil {
		if ok && len(set.Assets) > 0 {
			e.tb.Errorf("%s: no folder, but the remote set holds %d assets", folder, len(set.Assets))
		}
		return
	}
	var sums struct {
		Checksums map[string]string `json:"checksums"`
	}
	if b, err := os.ReadFile(e.path(".storesyncer/checksums.json")); err == nil {
		_ = json.Unmarshal(b, &sums)
	}
	names := e.setFiles(folder)
	sort.Slice(names, func(i, j int) bool { return collection.NaturalLess(names[i], names[j]) })
	var want []string
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(e.path(folder), n))
		if err != nil {
			e.tb.Fatal(err)
		}
		s := md5.Sum(b)
		sum := hex.EncodeToString(s[:])
		if r, ok := sums.Checksums[sum]; ok {
			sum = r
		}
		want = append(want, sum)
	}
	if !ok {
		e.tb.Errorf("%s: no remote set", folder)
		return
	}
	var got []string
	seen := map[string]bool{}
	for _, a := range set.Assets {
		if a.State != "COMPLETE" {
			e.tb.Errorf("%s: asset %s (%s) is %s", folder, a.ID, a.FileName, a.State)
		}
		if seen[a.Checksum] {
			e.tb.Errorf("%s: duplicate asset %s", folder, a.Checksum)
		}
		seen[a.Checksum] = true
		got = append(got, a.Checksum)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		e.tb.Errorf("%s: remote set (-folder +remote):\n%s", folder, diff)
	}
}
