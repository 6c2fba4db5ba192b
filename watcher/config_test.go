package watcher

import (
	"strings"
	"testing"
	"time"
)

func TestNewConfig(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"zero value takes defaults", Config{}, ""},
		{"max wait shorter than quiet", Config{QuietPeriod: 5 * time.Second, MaxWait: time.Second}, "max_wait 1s is shorter than quiet_period 5s"},
		{"negative quiet", Config{QuietPeriod: -time.Second}, "must be positive"},
		{"negative max pending", Config{MaxPending: -1}, "max_pending -1 is negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := New(tt.cfg)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				if w.cfg.QuietPeriod != DefaultQuietPeriod || w.cfg.MaxWait != DefaultMaxWait || w.cfg.DeleteDelay != DefaultDeleteDelay || w.cfg.MaxPending != DefaultMaxPending {
					t.Errorf("defaults not applied: %+v", w.cfg)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestRunTwice(t *testing.T) {
	h := startWatcher(t, Config{})
	if err := h.w.Run(t.Context()); err != ErrAlreadyRunning {
		t.Fatalf("second Run = %v, want ErrAlreadyRunning", err)
	}
}
