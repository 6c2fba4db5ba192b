package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/fsinfo"
)

// doctorSetup writes a config for one simulator key into a temp dir and returns its path.
func doctorSetup(tb testing.TB, baseURL string, creds ascapitest.Credentials, keyPEM []byte, keyMode os.FileMode, makeWorkspace bool) (cfgPath, keyPath string) {
	tb.Helper()
	dir := tb.TempDir()
	keyPath = filepath.Join(dir, "AuthKey_"+creds.KeyID+".p8")
	if err := os.WriteFile(keyPath, keyPEM, keyMode); err != nil {
		tb.Fatal(err)
	}
	if err := os.Chmod(keyPath, keyMode); err != nil { // umask may have narrowed it
		tb.Fatal(err)
	}
	ws := filepath.Join(dir, "ws")
	if makeWorkspace {
		if err := os.MkdirAll(filepath.Join(ws, "com.example.demo", "main"), 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	account := fmt.Sprintf("issuer_id = %q", creds.IssuerID)
	if creds.Individual() {
		account = "individual = true"
	}
	cfg := fmt.Sprintf("workspace = %q\n[daemon]\nstate_dir = %q\n[[account]]\n%s\nkey_id = %q\nprivate_key_path = %q\napi_base_url = %q\n",
		ws, filepath.Join(dir, "state"), account, creds.KeyID, keyPath, baseURL)
	cfgPath = filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		tb.Fatal(err)
	}
	return cfgPath, keyPath
}

func otherKeyPEM(tb testing.TB) []byte {
	tb.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		tb.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

func runDoctor(tb testing.TB, args ...string) (stdout string, exit int) {
	tb.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"doctor"}, args...), strings.NewReader(""), &out, &errOut)
	return out.String(), exitCode(err)
}

// statuses maps check names to statuses from --json output.
func statuses(tb testing.TB, out string) (map[string]string, map[string]string) {
	tb.Helper()
	var doc struct {
		Checks []doctorCheck `json:"checks"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		tb.Fatalf("doctor --json printed %q: %v", out, err)
	}
	st, msg := map[string]string{}, map[string]string{}
	for _, c := range doc.Checks {
		st[c.Name], msg[c.Name] = c.Status, c.Message
	}
	return st, msg
}

func TestDoctorAgainstSimulator(t *testing.T) {
	sim, err := ascapitest.NewServer(t, ascapitest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	good := sim.Credentials()
	finance, err := sim.AddKey(ascapitest.KeyOptions{Role: ascapitest.RoleFinance})
	if err != nil {
		t.Fatal(err)
	}
	individual, err := sim.AddKey(ascapitest.KeyOptions{Individual: true})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		creds     ascapitest.Credentials
		key       []byte
		mode      os.FileMode
		workspace bool
		wantExit  int
		want      map[string]string
		wantMsg   map[string][]string // check → substrings ("$KEY" is the key file path)
	}{
		{
			name: "good team key", creds: good, key: good.PrivateKeyPEM, mode: 0o600, workspace: true,
			want:    map[string]string{"config": "ok", "key": "ok", "key permissions": "ok", "api access": "ok", "clock": "ok", "workspace": "ok", "watcher limits": "ok", "local disk (workspace)": "ok", "local disk (state dir)": "ok"},
			wantMsg: map[string][]string{"local disk (workspace)": {"is on a local disk ("}, "local disk (state dir)": {"not made yet", "is on a local disk ("}},
		},
		{
			name: "good individual key", creds: individual, key: individual.PrivateKeyPEM, mode: 0o600, workspace: true,
			want: map[string]string{"config": "ok", "key": "ok", "key permissions": "ok", "api access": "ok", "clock": "ok", "workspace": "ok", "watcher limits": "ok", "local disk (workspace)": "ok", "local disk (state dir)": "ok"},
		},
		{
			name: "wrong key", creds: good, key: otherKeyPEM(t), mode: 0o600, workspace: true, wantExit: 1,
			want:    map[string]string{"config": "ok", "key": "ok", "key permissions": "ok", "api access": "fail", "clock": "ok", "workspace": "ok", "watcher limits": "ok", "local disk (workspace)": "ok", "local disk (state dir)": "ok"},
			wantMsg: map[string][]string{"api access": {"the key, key ID or issuer ID is wrong", "$KEY", good.KeyID}},
		},
		{
			name: "role too low", creds: finance, key: finance.PrivateKeyPEM, mode: 0o600, workspace: true, wantExit: 1,
			want:    map[string]string{"config": "ok", "key": "ok", "key permissions": "ok", "api access": "fail", "clock": "ok", "workspace": "ok", "watcher limits": "ok", "local disk (workspace)": "ok", "local disk (state dir)": "ok"},
			wantMsg: map[string][]string{"api access": {"role is too low: App Manager or Admin is needed"}},
		},
		{
			name: "loose key file and no workspace", creds: good, key: good.PrivateKeyPEM, mode: 0o644, workspace: false, wantExit: 1,
			want:    map[string]string{"config": "ok", "key": "ok", "key permissions": "warn", "api access": "ok", "clock": "ok", "workspace": "fail", "local disk (workspace)": "ok", "local disk (state dir)": "ok"},
			wantMsg: map[string][]string{"key permissions": {"chmod 600", "$KEY"}, "workspace": {"does not exist"}, "local disk (workspace)": {"not made yet"}},
		},
		{
			name: "key file is not a key", creds: good, key: []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), mode: 0o600, workspace: true, wantExit: 1,
			want:    map[string]string{"config": "ok", "key": "fail", "workspace": "ok", "watcher limits": "ok", "local disk (workspace)": "ok", "local disk (state dir)": "ok"},
			wantMsg: map[string][]string{"key": {"$KEY"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, keyPath := doctorSetup(t, sim.URL(), tt.creds, tt.key, tt.mode, tt.workspace)
			out, exit := runDoctor(t, "--config", cfg, "--json")
			if exit != tt.wantExit {
				t.Errorf("exit = %d, want %d; output:\n%s", exit, tt.wantExit, out)
			}
			st, msg := statuses(t, out)
			if _, onLinux := st["watcher limits"]; !onLinux {
				delete(tt.want, "watcher limits")
			}
			if diff := cmp.Diff(tt.want, st); diff != "" {
				t.Errorf("checks (-want +got):\n%s\n%s", diff, out)
			}
			for name, subs := range tt.wantMsg {
				for _, s := range subs {
					s = strings.ReplaceAll(s, "$KEY", keyPath)
					if !strings.Contains(msg[name], s) {
						t.Errorf("%s message %q lacks %q", name, msg[name], s)
					}
				}
			}
			if strings.Contains(out, "eyJ") || strings.Contains(out, "PRIVATE KEY") {
				t.Errorf("output carries a token or key:\n%s", out)
			}
		})
	}
}

func TestDoctorHumanOutput(t *testing.T) {
	sim, err := ascapitest.NewServer(t, ascapitest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	good := sim.Credentials()
	cfg, keyPath := doctorSetup(t, sim.URL(), good, otherKeyPEM(t), 0o600, true)
	out, exit := runDoctor(t, "--config", cfg)
	if exit != 1 {
		t.Errorf("exit = %d, want 1", exit)
	}
	var apiLine string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "fail  api access: ") {
			apiLine = l
		}
	}
	if !strings.Contains(apiLine, keyPath) || !strings.Contains(apiLine, good.KeyID) {
		t.Errorf("no fail line naming the key file and key ID:\n%s", out)
	}
	if !strings.HasPrefix(out, "ok    config: ") {
		t.Errorf("output does not start with the config check:\n%s", out)
	}
}

func TestDoctorMissingConfig(t *testing.T) {
	out, exit := runDoctor(t, "--config", filepath.Join(t.TempDir(), "nope.toml"), "--json")
	st, msg := statuses(t, out)
	if exit != exitUsage || st["config"] != "fail" || !strings.Contains(msg["config"], "nope.toml") {
		t.Errorf("exit %d, output %s; want 2 (a config error)", exit, out)
	}
}

func TestDoctorNoAccountIsAConfigError(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(cfg, []byte("workspace = \"ws\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, exit := runDoctor(t, "--config", cfg)
	if exit != exitUsage || !strings.Contains(out, "has no [[account]]") {
		t.Errorf("exit %d, output %s; want 2 naming the missing [[account]]", exit, out)
	}
}

func TestClockChecks(t *testing.T) {
	tests := []struct {
		skew time.Duration
		want string
		msg  string
	}{
		{0, "ok", "within"},
		{-29 * time.Second, "ok", "within"},
		{31 * time.Second, "warn", "31s ahead of"},
		{-4 * time.Minute, "warn", "4m0s behind"},
		{6 * time.Minute, "fail", "tokens will be refused"},
	}
	for _, tt := range tests {
		if got := clockStatus(tt.skew); got != tt.want {
			t.Errorf("clockStatus(%s) = %s, want %s", tt.skew, got, tt.want)
		}
		if got := clockMessage(tt.skew); !strings.Contains(got, tt.msg) {
			t.Errorf("clockMessage(%s) = %q, want it to contain %q", tt.skew, got, tt.msg)
		}
	}
}

func TestWatchLimitCheck(t *testing.T) {
	tests := []struct {
		limit, dirs int
		want        string
	}{
		{8192, 100, "ok"},
		{8192, 4096, "ok"},
		{8192, 4097, "warn"},
		{100, 900, "warn"},
	}
	for _, tt := range tests {
		c := watchLimitCheck(tt.limit, tt.dirs)
		if c.Status != tt.want {
			t.Errorf("watchLimitCheck(%d, %d) = %s, want %s", tt.limit, tt.dirs, c.Status, tt.want)
		}
		if c.Status == "warn" && !strings.Contains(c.Message, "max_user_watches=") {
			t.Errorf("warning gives no fix: %s", c.Message)
		}
	}
}

// TestDoctorLocalDisk runs doctor with a fake file-system probe: network file systems warn
// (naming the type and the fix) and never fail the command.
func TestDoctorLocalDisk(t *testing.T) {
	sim, err := ascapitest.NewServer(t, ascapitest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	good := sim.Credentials()
	local := fsinfo.FSInfo{Type: "ext2/3/4"}
	nfs := fsinfo.FSInfo{Type: "NFS", Network: true}
	smb := fsinfo.FSInfo{Type: "SMB", Network: true}
	fuse := fsinfo.FSInfo{Type: "FUSE", Network: true}
	// The fake knows only the workspace and the config's folder, which holds the state dir
	// that is not made yet: probing any other path is an error the test sees.
	tests := []struct {
		name          string
		ws, parent    fsinfo.FSInfo
		err           error
		wantWorkspace string
		wantState     string
		wantMsg       map[string][]string
	}{
		{
			name: "workspace on NFS", ws: nfs, parent: local, wantWorkspace: "warn", wantState: "ok",
			wantMsg: map[string][]string{"local disk (workspace)": {"$WS is on NFS: the daemon will not see changes made on other machines; keep the workspace on a local disk"}},
		},
		{
			name: "state dir on SMB", ws: local, parent: smb, wantWorkspace: "ok", wantState: "warn",
			wantMsg: map[string][]string{"local disk (state dir)": {"$STATE (not made yet; its parent $DIR) is on SMB: SQLite locking is unreliable on SMB: set [daemon] state_dir to a local folder"}},
		},
		{
			name: "sshfs", ws: fuse, parent: fuse, wantWorkspace: "warn", wantState: "warn",
			wantMsg: map[string][]string{"local disk (workspace)": {"is on FUSE", "sshfs"}, "local disk (state dir)": {"is on FUSE", "state_dir"}},
		},
		{
			name: "statfs refused", err: fs.ErrPermission, wantWorkspace: "warn", wantState: "warn",
			wantMsg: map[string][]string{"local disk (workspace)": {"cannot tell which file system holds $WS", "permission denied"}},
		},
		{
			name: "type unknown on this OS", wantWorkspace: "ok", wantState: "ok",
			wantMsg: map[string][]string{"local disk (workspace)": {"cannot tell the file-system type", "keep it on a local disk"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _ := doctorSetup(t, sim.URL(), good, good.PrivateKeyPEM, 0o600, true)
			dir := filepath.Dir(cfg)
			ws, state := filepath.Join(dir, "ws"), filepath.Join(dir, "state")
			var out bytes.Buffer
			g := &globals{configPath: cfg, json: true, stdout: &out, stderr: &out, now: time.Now, logger: slog.New(slog.DiscardHandler)}
			d := &doctor{g: g, goos: "linux", watchesFile: filepath.Join(dir, "no-such-file"),
				fileSystem: func(p string) (fsinfo.FSInfo, error) {
					if tt.err != nil {
						return fsinfo.FSInfo{}, &fs.PathError{Op: "statfs", Path: p, Err: tt.err}
					}
					switch p {
					case ws:
						return tt.ws, nil
					case dir:
						return tt.parent, nil
					}
					return fsinfo.FSInfo{}, fmt.Errorf("fake: unexpected probe of %s", p)
				}}
			if err := d.run(context.Background()); err != nil {
				t.Errorf("doctor failed: %v; output:\n%s", err, out.String())
			}
			st, msg := statuses(t, out.String())
			got := map[string]string{"local disk (workspace)": st["local disk (workspace)"], "local disk (state dir)": st["local disk (state dir)"]}
			want := map[string]string{"local disk (workspace)": tt.wantWorkspace, "local disk (state dir)": tt.wantState}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("checks (-want +got):\n%s\n%s", diff, out.String())
			}
			r := strings.NewReplacer("$WS", ws, "$STATE", state, "$DIR", dir)
			for name, subs := range tt.wantMsg {
				for _, s := range subs {
					if s = r.Replace(s); !strings.Contains(msg[name], s) {
						t.Errorf("%s message %q lacks %q", name, msg[name], s)
					}
				}
			}
		})
	}
}

func TestExistingAncestor(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, path, want string
	}{
		{"exists", dir, dir},
		{"trailing slash", dir + string(filepath.Separator), dir},
		{"missing child", filepath.Join(dir, "state"), dir},
		{"missing grandchild", filepath.Join(dir, "a", "b", "c"), dir},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := existingAncestor(tt.path); got != tt.want {
				t.Errorf("existingAncestor(%q) = %q, want %q", tt.path, got, tt.want)
			}
		})
	}
}
