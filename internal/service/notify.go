package service

import (
	"log/slog"
	"os"
	"strings"
	"time"

	sddaemon "github.com/coreos/go-systemd/v22/daemon"
)

// SystemdNotifier tells systemd about the daemon through sd_notify: READY=1 with the first
// STATUS= line, later STATUS= lines, WATCHDOG=1 pings and STOPPING=1. It is safe for
// concurrent use; its zero value needs a Logger set before use.
type SystemdNotifier struct {
	// Logger receives send errors, at debug level: a service manager that stopped listening
	// is no reason to stop syncing.
	Logger *slog.Logger
}

// NewSystemdNotifier returns a notifier and how often to send the status and the watchdog
// ping for the service manager of this process: nil and 0 when NOTIFY_SOCKET is unset (not
// under systemd, or Type=simple); otherwise half of WatchdogSec= (WATCHDOG_USEC), at most
// 30 seconds.
// The watchdog variables are removed from the environment, so child processes do not
// inherit them.
func NewSystemdNotifier(logger *slog.Logger) (*SystemdNotifier, time.Duration) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	wd, err := sddaemon.SdWatchdogEnabled(true)
	if err != nil {
		logger.Warn("ignoring the service manager's watchdog settings", "error", err)
		wd = 0
	}
	if !notifySocketSet() {
		return nil, 0
	}
	every := wd / 2
	if every <= 0 || every > maxNotifyInterval {
		every = maxNotifyInterval // STATUS= lines stay fresh whatever the watchdog
	}
	return &SystemdNotifier{Logger: logger.With("component", "sd_notify")}, every
}

// maxNotifyInterval caps how often the status and the watchdog ping are sent.
const maxNotifyInterval = 30 * time.Second

// Ready sends READY=1 and the status.
func (n *SystemdNotifier) Ready(status string) {
	n.send(sddaemon.SdNotifyReady + "\nSTATUS=" + oneLine(status))
}

// Status sends STATUS=.
func (n *SystemdNotifier) Status(status string) { n.send("STATUS=" + oneLine(status)) }

// Alive sends WATCHDOG=1.
func (n *SystemdNotifier) Alive() { n.send(sddaemon.SdNotifyWatchdog) }

// Stopping sends STOPPING=1.
func (n *SystemdNotifier) Stopping() { n.send(sddaemon.SdNotifyStopping) }

func (n *SystemdNotifier) send(state string) {
	if _, err := sddaemon.SdNotify(false, state); err != nil {
		n.Logger.Debug("sd_notify", "state", strings.SplitN(state, "=", 2)[0], "error", err)
	}
}

// oneLine keeps a status on one line: sd_notify's fields are separated by newlines.
func oneLine(s string) string { return strings.NewReplacer("\n", " ", "\r", " ").Replace(s) }

func notifySocketSet() bool { return os.Getenv("NOTIFY_SOCKET") != "" }
