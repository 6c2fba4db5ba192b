package daemon

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/storesyncer/storesyncer/internal/plan"
)

func TestPathKey(t *testing.T) {
	dir := filepath.FromSlash("/ws/com.example.demo/main")
	tests := []struct {
		path      string
		wantKey   plan.Key
		wantWhole bool
	}{
		{path: "keyword/de-DE.txt", wantKey: "de-DE/keyword"},
		{path: "name/ja.txt", wantKey: "ja/name"},
		{path: "screenshot/en-US/APP_IPHONE_67/01.png", wantKey: "en-US/screenshot/APP_IPHONE_67"},
		{path: "screenshot/en-US/APP_IPHONE_69/01.png", wantKey: "en-US/screenshot/APP_IPHONE_67"},
		{path: "screenshot/en-US/APP_IPHONE_67", wantKey: "en-US/screenshot/APP_IPHONE_67"},
		{path: "preview/en-US/IPHONE_67/a.mp4", wantKey: "en-US/preview/IPHONE_67"},
		{path: "screenshot/en-US", wantWhole: true},
		{path: "screenshot", wantWhole: true},
		{path: "keyword", wantWhole: true},
		{path: "", wantWhole: true},
		{path: "README.txt"},
		{path: "descriptions/en-US.txt"},
		{path: "keyword/notes.md"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			k, whole := pathKey(dir, filepath.Join(dir, filepath.FromSlash(tt.path)))
			if k != tt.wantKey || whole != tt.wantWhole {
				t.Errorf("pathKey = %q, %v; want %q, %v", k, whole, tt.wantKey, tt.wantWhole)
			}
		})
	}
	if k, whole := pathKey(dir, filepath.FromSlash("/ws/com.example.demo/other/keyword/en-US.txt")); k != "" || whole {
		t.Errorf("a path outside the collection mapped to %q, %v", k, whole)
	}
}

func TestExpandKeys(t *testing.T) {
	got := expandKeys([]plan.Key{"de-DE/keyword", "de-DE/name", "ja/screenshot/APP_IPHONE_67", "de-DE/description"})
	want := []plan.Key{
		"de-DE/description", "de-DE/keyword", "de-DE/marketingUrl", "de-DE/name", "de-DE/privacyPolicyUrl",
		"de-DE/promotionalText", "de-DE/subtitle", "de-DE/supportUrl", "de-DE/whatsNew", "ja/screenshot/APP_IPHONE_67",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("expandKeys (-want +got):\n%s", diff)
	}
}

func TestBackoff(t *testing.T) {
	tests := []struct {
		attempt  int
		r        float64
		min, max time.Duration
	}{
		{attempt: 1, r: 0, min: 3750 * time.Millisecond, max: 3750 * time.Millisecond},
		{attempt: 1, r: 0.999, min: 6 * time.Second, max: 6250 * time.Millisecond},
		{attempt: 3, r: 0.5, min: 20 * time.Second, max: 20 * time.Second},
		{attempt: 30, r: 0.5, min: backoffMax, max: backoffMax},
		{attempt: 30, r: 0.999, min: backoffMax, max: backoffMax * 5 / 4},
	}
	for _, tt := range tests {
		got := backoff(tt.attempt, tt.r)
		if got < tt.min || got > tt.max {
			t.Errorf("backoff(%d, %v) = %v, want in [%v, %v]", tt.attempt, tt.r, got, tt.min, tt.max)
		}
	}
}

func TestIntentHash(t *testing.T) {
	op := func(k plan.Key, text string) plan.Op {
		return plan.Op{Key: k, Kind: plan.Update, Resource: k.Resource(), Local: plan.TextValue(text), Remote: plan.TextValue("r")}
	}
	a, _ := newIntent("de-DE/appStoreVersionLocalizations", []plan.Op{op("de-DE/keyword", "x"), op("de-DE/description", "y")})
	b, _ := newIntent("de-DE/appStoreVersionLocalizations", []plan.Op{op("de-DE/description", "y"), op("de-DE/keyword", "x")})
	c, _ := newIntent("de-DE/appStoreVersionLocalizations", []plan.Op{op("de-DE/keyword", "x2"), op("de-DE/description", "y")})
	_, ha := a.encode()
	_, hb := b.encode()
	_, hc := c.encode()
	if ha != hb {
		t.Error("the same work in another order hashed differently")
	}
	if ha == hc {
		t.Error("different local content hashed the same")
	}
	if _, ok := newIntent("de-DE/appStoreVersionLocalizations", []plan.Op{{Key: "de-DE/keyword", Kind: plan.InSync}}); ok {
		t.Error("an in-sync op made an intent")
	}
}
