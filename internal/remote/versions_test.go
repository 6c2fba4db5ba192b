package remote

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/storesyncer/storesyncer/internal/plan"
)

func TestTarget(t *testing.T) {
	day := func(n int) time.Time { return time.Date(2025, 1, n, 0, 0, 0, 0, time.UTC) }
	v := func(s, state string, d int) Version {
		return toVersionState(Version{ID: "v" + s, String: s, State: state, CreatedDate: day(d)})
	}
	tests := []struct {
		name     string
		versions []Version
		wantID   string
		wantInfo plan.VersionInfo
	}{
		{"editable wins over live", []Version{v("1.1", "PREPARE_FOR_SUBMISSION", 2), v("1.0", "READY_FOR_DISTRIBUTION", 1)},
			"v1.1", plan.VersionInfo{ID: "v1.1", String: "1.1", State: "PREPARE_FOR_SUBMISSION"}},
		{"highest editable versionString", []Version{v("1.9", "REJECTED", 3), v("1.10", "METADATA_REJECTED", 2), v("1.0", "READY_FOR_DISTRIBUTION", 1)},
			"v1.10", plan.VersionInfo{ID: "v1.10", String: "1.10", State: "METADATA_REJECTED"}},
		{"waiting for review before live", []Version{v("1.1", "WAITING_FOR_REVIEW", 2), v("1.0", "READY_FOR_DISTRIBUTION", 1)},
			"v1.1", plan.VersionInfo{ID: "v1.1", String: "1.1", State: "WAITING_FOR_REVIEW"}},
		{"live when nothing is open", []Version{v("1.1", "IN_REVIEW", 2), v("1.0", "READY_FOR_DISTRIBUTION", 1)},
			"v1.0", plan.VersionInfo{ID: "v1.0", String: "1.0", State: "READY_FOR_DISTRIBUTION", Live: true}},
		{"first version", []Version{v("1.0", "PREPARE_FOR_SUBMISSION", 1)},
			"v1.0", plan.VersionInfo{ID: "v1.0", String: "1.0", State: "PREPARE_FOR_SUBMISSION", FirstVersion: true}},
		{"newest otherwise", []Version{v("1.0", "IN_REVIEW", 1), v("0.9", "REPLACED_WITH_NEW_VERSION", 0)},
			"v1.0", plan.VersionInfo{ID: "v1.0", String: "1.0", State: "IN_REVIEW"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, info, ok := Target(tt.versions)
			if !ok || got.ID != tt.wantID {
				t.Fatalf("Target = %+v, %v, want %s", got, ok, tt.wantID)
			}
			if diff := cmp.Diff(tt.wantInfo, info); diff != "" {
				t.Errorf("info (-want +got):\n%s", diff)
			}
		})
	}
	if _, _, ok := Target(nil); ok {
		t.Error("Target(nil) found a version")
	}
}

func toVersionState(v Version) Version {
	for _, s := range plan.EditableStates {
		if v.State == s {
			v.Editable = true
		}
	}
	v.Live = v.State == "READY_FOR_DISTRIBUTION"
	return v
}

func TestCompareVersionStrings(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{{"1.10", "1.9", 1}, {"1.0", "1.0", 0}, {"1.0", "1.0.1", -1}, {"2", "10", -1}, {"1.b", "1.a", 1}}
	for _, tt := range tests {
		if got := compareVersionStrings(tt.a, tt.b); got != tt.want {
			t.Errorf("compare(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestVersionsCreateRename(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	vs, err := e.r.Versions(ctx, e.app)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range vs {
		got = append(got, v.String+" "+v.State)
	}
	if diff := cmp.Diff([]string{"1.1 PREPARE_FOR_SUBMISSION", "1.0 READY_FOR_DISTRIBUTION"}, got); diff != "" {
		t.Errorf("versions, newest first (-want +got):\n%s", diff)
	}
	if !vs[0].Editable || vs[0].Live || !vs[1].Live || vs[1].Editable || vs[0].CreatedDate.IsZero() {
		t.Errorf("flags: %+v", vs)
	}

	_, err = e.r.CreateVersion(ctx, e.app, "1.2")
	var open *VersionOpenError
	if !errors.As(err, &open) || open.Open.String != "1.1" || !strings.Contains(err.Error(), "versions set 1.2") {
		t.Fatalf("create while 1.1 is open: err = %v", err)
	}

	renamed, err := e.r.RenameVersion(ctx, e.app, vs[0].ID, "1.2")
	if err != nil || renamed.String != "1.2" || renamed.ID != vs[0].ID {
		t.Fatalf("rename = %+v, %v", renamed, err)
	}

	if err := e.sim.SetVersionState(demo, "1.2", "READY_FOR_DISTRIBUTION"); err != nil {
		t.Fatal(err)
	}
	if err := e.sim.SetVersionState(demo, "1.0", "REPLACED_WITH_NEW_VERSION"); err != nil {
		t.Fatal(err)
	}
	created, err := e.r.CreateVersion(ctx, e.app, "1.3")
	if err != nil || created.String != "1.3" || !created.Editable {
		t.Fatalf("create 1.3 = %+v, %v", created, err)
	}
}
