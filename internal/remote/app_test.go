package remote

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFindApp(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tests := []struct {
		name     string
		bundleID string
		wantID   string
		wantNear []string
	}{
		{"exact match, not the .pro app", demo, "6450000001", nil},
		{"the .pro app", "com.example.demo.pro", "6450000002", nil},
		{"typo lists the near match", "com.example.dmeo", "", []string{"com.example.demo"}},
		{"prefix lists both", "com.example", "", []string{"com.example.demo", "com.example.demo.pro"}},
		{"nothing near", "org.other.thing", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app, err := e.r.FindApp(ctx, tt.bundleID, "")
			if tt.wantID != "" {
				if err != nil || app.ID != tt.wantID || app.BundleID != tt.bundleID || app.Platform != "IOS" || app.PrimaryLocale != "en-US" {
					t.Fatalf("FindApp = %+v, %v", app, err)
				}
				return
			}
			var nf *AppNotFoundError
			if !errors.As(err, &nf) || !errors.Is(err, ErrAppNotFound) {
				t.Fatalf("err = %v, want *AppNotFoundError", err)
			}
			if diff := cmp.Diff(tt.wantNear, nf.Near); diff != "" {
				t.Errorf("near (-want +got):\n%s", diff)
			}
		})
	}
}
