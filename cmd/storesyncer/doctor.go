package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/internal/compose"
	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/fsinfo"
)

// Doctor check statuses.
const (
	checkOK   = "ok"
	checkWarn = "warn"
	checkFail = "fail"
)

// Clock skew thresholds: Apple refuses tokens whose iat is in its future, and StoreSyncer
// back-dates iat by only 60 s.
const (
	skewWarn = 30 * time.Second
	skewFail = 5 * time.Minute
)

// doctorCheck is one line of doctor's report.
type doctorCheck struct {
	Name    string `json:"name"`
	Status  string `json:"status"`
	Message string `json:"message"`
}

// doctor runs the checks; its fields are the parts tests replace.
type doctor struct {
	g           *globals
	goos        string
	watchesFile string // Linux: the inotify watch limit
	home        string
	fileSystem  func(path string) (fsinfo.FSInfo, error)
	checks      []doctorCheck
	// configBroken is set when the config is missing, unreadable or has no account: a config
	// error, which exits 2 like every other command's.
	configBroken bool
}

func newDoctorCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "doctor",
		Short: "Check the set-up: config, key, API access, clock, workspace, watcher limits, local disks",
		Long: `doctor checks everything StoreSyncer needs and prints one line per check:
ok, warn or fail, the check's name and what to do about it. It exits 0 when nothing
failed (warnings are fine), 2 when the config is missing, does not parse or has no
[[account]], or when an app.toml is wrong (an app_id of another app, a platform without
versions, a missing active collection, an unknown account), and 1 otherwise.`,
		Example: `  storesyncer doctor
  storesyncer doctor --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			home, _ := os.UserHomeDir()
			d := &doctor{g: g, goos: runtime.GOOS, watchesFile: "/proc/sys/fs/inotify/max_user_watches", home: home,
				fileSystem: fsinfo.FileSystem}
			return d.run(cmd.Context())
		},
	}
}

func (d *doctor) add(name, status, format string, args ...any) {
	d.checks = append(d.checks, doctorCheck{Name: name, Status: status, Message: fmt.Sprintf(format, args...)})
}

// run performs every check it can, prints the report and returns a silent failure when a
// check failed.
func (d *doctor) run(ctx context.Context) error {
	if cfg := d.checkConfig(); cfg != nil {
		for _, a := range cfg.Accounts {
			d.checkAccount(ctx, cfg, a, len(cfg.Accounts) > 1)
		}
		d.checkWorkspace(cfg.Workspace)
		d.checkLocalDisk("local disk (workspace)", cfg.Workspace, "the daemon will not see changes made on other machines; keep the workspace on a local disk")
		d.checkLocalDisk("local disk (state dir)", cfg.Daemon.StateDir, "SQLite locking is unreliable on {type}: set [daemon] state_dir to a local folder")
		d.checkStateModes(cfg.Daemon.StateDir)
		d.checkApps(ctx, cfg)
	}
	if err := d.print(); err != nil {
		return err
	}
	failed := 0
	for _, c := range d.checks {
		if c.Status == checkFail {
			failed++
		}
	}
	if d.configBroken {
		return &cliError{Exit: exitUsage, Code: "config.invalid", Silent: true,
			Err: fmt.Errorf("doctor: the config needs fixing first")}
	}
	if d.appChecksFailed() { // a wrong app.toml is a config error, as for plan and push
		return &cliError{Exit: exitUsage, Code: "doctor.app", Silent: true,
			Err: fmt.Errorf("doctor: %d check(s) failed", failed)}
	}
	if failed > 0 {
		return &cliError{Exit: exitFailure, Code: "doctor.failed", Silent: true,
			Err: fmt.Errorf("doctor: %d check(s) failed", failed)}
	}
	return nil
}

func (d *doctor) print() error {
	if d.g.json {
		return writeJSON(d.g.stdout, struct {
			Checks []doctorCheck `json:"checks"`
		}{d.checks})
	}
	for _, c := range d.checks {
		if _, err := fmt.Fprintf(d.g.stdout, "%-4s  %s: %s\n", c.Status, c.Name, c.Message); err != nil {
			return err
		}
	}
	return nil
}

func (d *doctor) checkConfig() *config.Config {
	path, err := configFilePath(d.g)
	if err != nil {
		d.configBroken = true
		d.add("config", checkFail, "%v", err)
		return nil
	}
	cfg, err := config.Load(path)
	if err != nil {
		d.configBroken = true
		d.add("config", checkFail, "%v", err)
		return nil
	}
	if len(cfg.Accounts) == 0 {
		d.configBroken = true
		d.add("config", checkFail, "%s has no [[account]]: add issuer_id (or individual = true), key_id and private_key_path", path)
		return cfg
	}
	d.add("config", checkOK, "%s (%d account(s), workspace %s)", path, len(cfg.Accounts), cfg.Workspace)
	return cfg
}

// checkAccount checks the key file, then a real call with it, then the clock against the
// answer's Date header.
func (d *doctor) checkAccount(ctx context.Context, cfg *config.Config, a config.Account, named bool) {
	suffix := ""
	if named {
		suffix = " (" + a.Name + ")"
	}
	keyName := "key" + suffix
	pemBytes, err := a.LoadKey()
	if err != nil {
		d.add(keyName, checkFail, "%v", err)
		return
	}
	if _, err := ascapi.ParseKey(pemBytes); err != nil {
		d.add(keyName, checkFail, "%s: %v", a.PrivateKeyPath, err)
		return
	}
	d.add(keyName, checkOK, "%s parses (key ID %s, %s key)", a.PrivateKeyPath, a.KeyID, keyKind(a))
	if d.goos != "windows" {
		if mode, err := a.KeyFileMode(); err == nil && mode&0o077 != 0 {
			d.add("key permissions"+suffix, checkWarn, "%s has mode %04o, readable by others: run chmod 600 %s", a.PrivateKeyPath, mode, a.PrivateKeyPath)
		} else if err == nil {
			d.add("key permissions"+suffix, checkOK, "%s is private (%04o)", a.PrivateKeyPath, mode)
		}
	}
	rem := compose.NewRemotes(compose.RemotesConfig{Config: cfg, Now: d.g.now, Logger: d.g.logger})
	client, _, err := rem.Client(a.Name, ascapi.WithMaxRetries(1), ascapi.WithHTTPClient(&http.Client{Timeout: 30 * time.Second}))
	if err != nil {
		d.add("api access"+suffix, checkFail, "%v", err)
		return
	}
	apps, resp, err := client.Apps.List(ctx, 1)
	skew, haveSkew := clockSkew(resp, d.g.now())
	d.addAPICheck("api access"+suffix, a, client.BaseURL(), apps, resp, err, skew, haveSkew)
	if haveSkew {
		d.add("clock"+suffix, clockStatus(skew), "%s", clockMessage(skew))
	} else if resp != nil || err == nil {
		d.add("clock"+suffix, checkWarn, "App Store Connect's answer had no Date header; cannot check the clock")
	}
}

func keyKind(a config.Account) string {
	if a.Individual {
		return "individual"
	}
	return "team"
}

func (d *doctor) addAPICheck(name string, a config.Account, base string, apps []*ascapi.App, resp *ascapi.Response, err error, skew time.Duration, haveSkew bool) {
	if err == nil {
		msg := fmt.Sprintf("GET %sv1/apps answered (%d app(s) on the first page)", base, len(apps))
		if resp != nil && resp.RateLimit.Known {
			msg += fmt.Sprintf("; rate limit %d of %d left this hour", resp.RateLimit.Remaining, resp.RateLimit.Limit)
		}
		d.add(name, checkOK, "%s", msg)
		return
	}
	var apiErr *ascapi.Error
	if errors.As(err, &apiErr) {
		switch apiErr.StatusCode {
		case http.StatusUnauthorized:
			msg := fmt.Sprintf("App Store Connect refused the token (401): the key, key ID or issuer ID is wrong (key file %s, key ID %s", a.PrivateKeyPath, a.KeyID)
			if a.Individual {
				msg += ", individual key"
			} else {
				msg += ", issuer ID " + a.IssuerID
			}
			msg += ")"
			if haveSkew && absDuration(skew) > time.Minute {
				msg += fmt.Sprintf("; or this computer's clock, which is %s off", roundSkew(absDuration(skew)))
			}
			d.add(name, checkFail, "%s", msg)
			return
		case http.StatusForbidden:
			d.add(name, checkFail, "the key's role is too low: App Manager or Admin is needed (key ID %s; App Store Connect said: %v)", a.KeyID, err)
			return
		}
	}
	d.add(name, checkFail, "cannot reach App Store Connect at %s: %v", base, err)
}

// clockSkew is local time minus the server's Date header.
func clockSkew(resp *ascapi.Response, now time.Time) (time.Duration, bool) {
	if resp == nil || resp.Response == nil {
		return 0, false
	}
	t, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return 0, false
	}
	return now.Sub(t), true
}

func clockStatus(skew time.Duration) string {
	switch s := absDuration(skew); {
	case s > skewFail:
		return checkFail
	case s > skewWarn:
		return checkWarn
	}
	return checkOK
}

func clockMessage(skew time.Duration) string {
	s := absDuration(skew)
	if s <= skewWarn {
		return fmt.Sprintf("within %s of App Store Connect's clock", roundSkew(max(s, time.Second)))
	}
	dir := "ahead of"
	if skew < 0 {
		dir = "behind"
	}
	msg := fmt.Sprintf("this computer's clock is %s %s App Store Connect's", roundSkew(s), dir)
	if s > skewFail {
		return msg + ": tokens will be refused; turn on automatic time (NTP)"
	}
	return msg + ": turn on automatic time (NTP) before tokens start failing"
}

func roundSkew(d time.Duration) time.Duration { return d.Round(time.Second) }

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// checkWorkspace checks the folder exists and is writable, then the watcher limits.
func (d *doctor) checkWorkspace(ws string) {
	fi, err := os.Stat(ws)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		d.add("workspace", checkFail, "%s does not exist: create it (storesyncer init) or set workspace in the config", ws)
		return
	case err != nil:
		d.add("workspace", checkFail, "%s: %v", ws, err)
		return
	case !fi.IsDir():
		d.add("workspace", checkFail, "%s is not a folder", ws)
		return
	}
	f, err := os.CreateTemp(ws, ".storesyncer-doctor-*")
	if err != nil {
		d.add("workspace", checkFail, "%s is not writable: %v", ws, unwrapPathErr(err))
		return
	}
	name := f.Name()
	f.Close()
	if err := os.Remove(name); err != nil {
		d.add("workspace", checkWarn, "%s: could not remove the probe file %s: %v", ws, name, err)
	} else if prot := d.protectedMacFolder(ws); prot != "" {
		d.add("workspace", checkWarn, "%s is inside ~/%s: a background service cannot read it without Full Disk Access (System Settings → Privacy & Security); move the workspace or grant access", ws, prot)
	} else {
		d.add("workspace", checkOK, "%s exists and is writable", ws)
	}
	d.checkWatchLimit(ws)
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// protectedMacFolder names the macOS privacy-protected folder (Documents, Desktop,
// Downloads) that holds ws, or "".
func (d *doctor) protectedMacFolder(ws string) string {
	if d.goos != "darwin" || d.home == "" {
		return ""
	}
	for _, name := range []string{"Documents", "Desktop", "Downloads"} {
		p := filepath.Join(d.home, name)
		if ws == p || strings.HasPrefix(ws, p+string(filepath.Separator)) {
			return name
		}
	}
	return ""
}

// checkWatchLimit compares Linux's inotify watch limit with the workspace's folders: the
// watcher needs one watch per folder, and other programs share the limit.
func (d *doctor) checkWatchLimit(ws string) {
	if d.goos != "linux" {
		return
	}
	data, err := os.ReadFile(d.watchesFile)
	if err != nil {
		d.add("watcher limits", checkWarn, "cannot read %s: %v", d.watchesFile, unwrapPathErr(err))
		return
	}
	limit, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		d.add("watcher limits", checkWarn, "%s holds %q, not a number", d.watchesFile, strings.TrimSpace(string(data)))
		return
	}
	dirs := 0
	_ = filepath.WalkDir(ws, func(_ string, e fs.DirEntry, err error) error {
		if err == nil && e.IsDir() {
			dirs++
		}
		return nil
	})
	c := watchLimitCheck(limit, dirs)
	d.checks = append(d.checks, c)
}

// watchLimitCheck warns when the workspace's folders would use more than half of the
// inotify watch limit (the rest is for other programs and growth).
func watchLimitCheck(limit, dirs int) doctorCheck {
	c := doctorCheck{Name: "watcher limits", Status: checkOK,
		Message: fmt.Sprintf("fs.inotify.max_user_watches is %d; the workspace has %d folder(s)", limit, dirs)}
	if dirs*2 > limit {
		c.Status = checkWarn
		c.Message += fmt.Sprintf(": raise it, e.g. echo fs.inotify.max_user_watches=%d | sudo tee /etc/sysctl.d/90-storesyncer.conf && sudo sysctl --system", max(524288, dirs*4))
	}
	return c
}

// checkLocalDisk warns when path is on a network file system, where fsnotify misses other
// machines' changes and SQLite's locks do not hold; advice says what to do ({type} is the
// file-system type). A path not made yet is judged by the folder it will be made in.
func (d *doctor) checkLocalDisk(name, path, advice string) {
	if path == "" {
		return
	}
	fileSystem := d.fileSystem
	if fileSystem == nil {
		fileSystem = fsinfo.FileSystem
	}
	probe := existingAncestor(path)
	info, err := fileSystem(probe)
	switch {
	case err != nil:
		d.add(name, checkWarn, "cannot tell which file system holds %s: %v", path, unwrapPathErr(err))
		return
	case !info.Known():
		d.add(name, checkOK, "%s: cannot tell the file-system type on %s; keep it on a local disk", path, d.goos)
		return
	}
	where := path
	if probe != filepath.Clean(path) {
		where = fmt.Sprintf("%s (not made yet; its parent %s)", path, probe)
	}
	if !info.Network {
		d.add(name, checkOK, "%s is on a local disk (%s)", where, info.Type)
		return
	}
	msg := fmt.Sprintf("%s is on %s: %s", where, info.Type, strings.ReplaceAll(advice, "{type}", info.Type))
	if info.Type == "FUSE" {
		msg += " (sshfs and other remote mounts use FUSE; ignore this for a local one such as ntfs-3g)"
	}
	d.add(name, checkWarn, "%s", msg)
}

// existingAncestor is path, or its nearest parent that exists.
func existingAncestor(path string) string {
	p := filepath.Clean(path)
	for {
		_, err := os.Stat(p)
		parent := filepath.Dir(p)
		if !errors.Is(err, fs.ErrNotExist) || parent == p {
			return p
		}
		p = parent
	}
}
