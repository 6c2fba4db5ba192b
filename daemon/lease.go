package daemon

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/safefile"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// Lease timings: a daemon rewrites its lease every LeaseHeartbeat; a lease of another host
// whose heartbeat is younger than LeaseTTL keeps this daemon away from the app.
const (
	LeaseHeartbeat = 30 * time.Second
	LeaseTTL       = 2 * time.Minute
)

// LeaseFile is the lease's name inside <workspace>/<bundle id>/.storesyncer/.
const LeaseFile = "lease"

// Lease is the content of an app's lease file: which daemon syncs the app. It is plain data.
type Lease struct {
	Host      string    `json:"host"`
	PID       int       `json:"pid"`
	Heartbeat time.Time `json:"heartbeat"`
}

// LeasePath is the lease file of the app whose folder is appDir.
func LeasePath(appDir string) string {
	return filepath.Join(appDir, collection.MetaDir, LeaseFile)
}

// ReadLease reads the lease of the app whose folder is appDir; ok is false when there is none.
// A lease file that does not parse is reported as an error naming it.
func ReadLease(appDir string) (l Lease, ok bool, err error) {
	path := LeasePath(appDir)
	b, err := safefile.ReadRegular(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Lease{}, false, nil
	}
	if err != nil {
		return Lease{}, false, fmt.Errorf("read lease: %w", err)
	}
	if err := json.Unmarshal(b, &l); err != nil {
		return Lease{}, false, fmt.Errorf("lease file %s: %w", path, err)
	}
	return l, true, nil
}

// writeLease writes l atomically, creating the .storesyncer folder.
func writeLease(appDir string, l Lease) error {
	path := LeasePath(appDir)
	if err := safefile.CheckWrite(appDir, filepath.Dir(path)); err != nil { // .storesyncer/ may be a link from git
		return fmt.Errorf("write lease: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("write lease: %w", err)
	}
	b, _ := json.Marshal(l) // plain fields always encode
	if err := workspace.WriteFileAtomic(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write lease %s: %w", path, err)
	}
	return nil
}

// leaseHolder decides who may sync an app. The zero value is not usable.
type leaseHolder struct {
	host string
	pid  int
}

// ours reports whether l was written by this daemon.
func (h leaseHolder) ours(l Lease) bool { return l.Host == h.host && l.PID == h.pid }

// free reports whether this daemon may take the app over from l at now: a lease is free when
// it is ours, stale (no heartbeat for LeaseTTL), or from a process of this host that is gone.
func (h leaseHolder) free(l Lease, now time.Time, alive func(pid int) bool) bool {
	switch {
	case h.ours(l):
		return true
	case now.Sub(l.Heartbeat) >= LeaseTTL:
		return true
	case l.Host == h.host:
		return !alive(l.PID)
	}
	return false
}

// acquire takes or renews the lease of appDir at now. It returns the lease found there and
// whether this daemon holds it now.
func (h leaseHolder) acquire(appDir string, now time.Time, alive func(int) bool) (Lease, bool, error) {
	cur, ok, err := ReadLease(appDir)
	if err != nil && !isLeaseParseError(err) {
		return Lease{}, false, err
	}
	if ok && !h.free(cur, now, alive) {
		return cur, false, nil
	}
	mine := Lease{Host: h.host, PID: h.pid, Heartbeat: now.UTC().Truncate(time.Second)}
	if err := writeLease(appDir, mine); err != nil {
		return Lease{}, false, err
	}
	return mine, true, nil
}

// release removes the lease of appDir when it is ours.
func (h leaseHolder) release(appDir string) error {
	cur, ok, err := ReadLease(appDir)
	if err != nil || !ok || !h.ours(cur) {
		return err
	}
	if err := os.Remove(LeasePath(appDir)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("release lease: %w", err)
	}
	return nil
}

// isLeaseParseError reports a lease file that exists but does not parse: it is overwritten,
// since a torn write can only come from a daemon that died writing it.
func isLeaseParseError(err error) bool {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	return errors.As(err, &se) || errors.As(err, &te)
}
