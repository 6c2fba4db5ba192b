package service

import (
	"testing"
	"time"
)

// TestNewSystemdNotifierInterval: no notifier outside systemd; under it, half the watchdog
// timeout, at most 30 s so the STATUS= line stays fresh.
func TestNewSystemdNotifierInterval(t *testing.T) {
	tests := []struct {
		name, socket, watchdog string
		want                   time.Duration
	}{
		{"not under systemd", "", "1000000", 0},
		{"no watchdog", "/run/notify.sock", "", maxNotifyInterval},
		{"short watchdog", "/run/notify.sock", "400000", 200 * time.Millisecond},
		{"WatchdogSec=5min", "/run/notify.sock", "300000000", maxNotifyInterval},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("NOTIFY_SOCKET", tt.socket)
			t.Setenv("WATCHDOG_USEC", tt.watchdog)
			t.Setenv("WATCHDOG_PID", "")
			n, every := NewSystemdNotifier(nil)
			if (n != nil) != (tt.socket != "") || every != tt.want {
				t.Errorf("notifier %v, interval %v; want one: %v, interval %v", n != nil, every, tt.socket != "", tt.want)
			}
		})
	}
}
