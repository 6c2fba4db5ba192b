package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/config"
)

func TestSimulatorCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sim")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"simulator", "--write-credentials", dir, "--processing-delay", "0s"}, strings.NewReader(""), pw, io.Discard)
		pw.Close()
		done <- err
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("read first line: %v", err)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "simulator listening on ")
	if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("first line = %q", line)
	}

	var cfg struct {
		Workspace string `toml:"workspace"`
		Account   []struct {
			Name           string `toml:"name"`
			IssuerID       string `toml:"issuer_id"`
			KeyID          string `toml:"key_id"`
			PrivateKeyPath string `toml:"private_key_path"`
			APIBaseURL     string `toml:"api_base_url"`
		} `toml:"account"`
	}
	if _, err := toml.DecodeFile(filepath.Join(dir, "config.toml"), &cfg); err != nil {
		t.Fatal(err)
	}
	if len(cfg.Account) != 1 || cfg.Account[0].APIBaseURL != url || cfg.Account[0].Name != "default" {
		t.Fatalf("config accounts = %+v", cfg.Account)
	}
	// The project's own config loader accepts the written file.
	loaded, err := config.Load(filepath.Join(dir, "config.toml"))
	if err != nil {
		t.Fatalf("config.Load: %v", err)
	}
	acct, err := loaded.Account("default")
	if err != nil || acct.APIBaseURL != url || loaded.Daemon.StateDir != filepath.Join(dir, "state") {
		t.Fatalf("loaded account = %+v, %v", acct, err)
	}
	if mode, err := acct.KeyFileMode(); err != nil || mode != 0o600 {
		t.Errorf("key file mode = %v, %v", mode, err)
	}
	pem, err := acct.LoadKey()
	if err != nil {
		t.Fatal(err)
	}
	tok, err := ascapitest.Credentials{IssuerID: cfg.Account[0].IssuerID, KeyID: cfg.Account[0].KeyID, PrivateKeyPEM: pem}.Token(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", url+"/v1/apps?filter[bundleId]=com.example.demo", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte(`"Planner Demo"`)) {
		t.Fatalf("GET /v1/apps = %d %s", resp.StatusCode, body)
	}

	cancel()
	if err := <-done; err != nil {
		t.Errorf("run after cancel = %v", err)
	}
}

func TestSimulatorCommandBadFlags(t *testing.T) {
	dir := t.TempDir()
	badSeed := filepath.Join(dir, "seed.json")
	_ = os.WriteFile(badSeed, []byte(`{"apps":[{"bundle":"x"}]}`), 0o644)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad faults", []string{"simulator", "--faults", "explode=1"}, "unknown fault"},
		{"bad seed", []string{"simulator", "--seed", badSeed}, "seed.json"},
		{"missing seed", []string{"simulator", "--seed", filepath.Join(dir, "none.json")}, "none.json"},
		{"rate limit without window", []string{"simulator", "--rate-limit", "300"}, "N/DURATION"},
		{"rate limit zero", []string{"simulator", "--rate-limit", "0/1m"}, "positive number"},
		{"rate limit bad window", []string{"simulator", "--rate-limit", "300/soon"}, "positive duration"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			err := run(context.Background(), tc.args, strings.NewReader(""), io.Discard, &stderr)
			if exitCode(err) != exitUsage || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 mentioning %q", exitCode(err), stderr.String(), tc.want)
			}
		})
	}
}

// startSimulatorCmd runs `storesyncer simulator args…` until the returned stop is called and
// returns the URL it printed.
func startSimulatorCmd(t *testing.T, args ...string) (url string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, append([]string{"simulator"}, args...), strings.NewReader(""), pw, io.Discard)
		pw.Close()
		done <- err
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("read first line: %v (%v)", err, <-done)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "simulator listening on ")
	if !ok {
		cancel()
		t.Fatalf("first line = %q", line)
	}
	return url, func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("simulator after cancel = %v", err)
		}
	}
}

func TestSimulatorWriteCredentialsTwiceKeepsKeyAndConfig(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sim")
	cfgPath := filepath.Join(dir, "config.toml")
	url1, stop := startSimulatorCmd(t, "--write-credentials", dir, "--rate-limit", "300/1m")
	stop()
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	acct, _ := cfg.Account("")
	if acct.APIBaseURL != url1 || acct.RateWindow != time.Minute {
		t.Fatalf("first run: account = %+v, want %s with a 1m window", acct, url1)
	}
	key1, err := os.ReadFile(acct.PrivateKeyPath)
	if err != nil {
		t.Fatal(err)
	}
	// The user adds lines of their own: a setting and a comment.
	f, err := os.OpenFile(cfgPath, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString("\n# my own settings\n[sync]\nconcurrency = 2\n")
	f.Close()

	url2, stop := startSimulatorCmd(t, "--write-credentials", dir)
	defer stop()
	key2, err := os.ReadFile(acct.PrivateKeyPath)
	if err != nil || !bytes.Equal(key1, key2) {
		t.Fatalf("the second run changed the key file (err %v)", err)
	}
	text, _ := os.ReadFile(cfgPath)
	if !strings.Contains(string(text), "# my own settings\n[sync]\nconcurrency = 2\n") {
		t.Errorf("the user's lines are gone:\n%s", text)
	}
	cfg, err = config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	acct, _ = cfg.Account("")
	if acct.APIBaseURL != url2 || acct.RateWindow != 0 || cfg.Sync.Concurrency != 2 {
		t.Errorf("second run: account = %+v, concurrency %d; want %s, Apple's window, 2", acct, cfg.Sync.Concurrency, url2)
	}
	// The kept key still signs tokens the new simulator accepts.
	tok, err := ascapitest.Credentials{IssuerID: acct.IssuerID, KeyID: acct.KeyID, PrivateKeyPEM: key2}.Token(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", url2+"/v1/apps", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET /v1/apps with the kept key = %d", resp.StatusCode)
	}
}

func TestSimulatorStateKeepsDataAcrossRestarts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sim")
	statePath := filepath.Join(dir, "simulator.json")
	url, stop := startSimulatorCmd(t, "--write-credentials", dir, "--state", statePath)
	cfg, err := config.Load(filepath.Join(dir, "config.toml"))
	if err != nil {
		t.Fatal(err)
	}
	acct, _ := cfg.Account("")
	pem, _ := os.ReadFile(acct.PrivateKeyPath)
	creds := ascapitest.Credentials{IssuerID: acct.IssuerID, KeyID: acct.KeyID, PrivateKeyPEM: pem}
	send := func(base, method, path, body string) (int, string) {
		t.Helper()
		tok, err := creds.Token(time.Now())
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// Find the demo app's editable en-US localization and change its keywords.
	_, apps := send(url, "GET", "/v1/apps?filter[bundleId]=com.example.demo&include=appStoreVersions", "")
	var doc struct {
		Included []struct {
			ID         string
			Attributes map[string]any
		}
	}
	_ = json.Unmarshal([]byte(apps), &doc)
	versionID := ""
	for _, v := range doc.Included {
		if v.Attributes["appVersionState"] == "PREPARE_FOR_SUBMISSION" {
			versionID = v.ID
		}
	}
	_, locs := send(url, "GET", "/v1/appStoreVersions/"+versionID+"/appStoreVersionLocalizations?filter[locale]=en-US", "")
	var list struct{ Data []struct{ ID string } }
	_ = json.Unmarshal([]byte(locs), &list)
	if len(list.Data) != 1 {
		t.Fatalf("en-US localization: %s", locs)
	}
	locID := list.Data[0].ID
	if code, body := send(url, "PATCH", "/v1/appStoreVersionLocalizations/"+locID,
		`{"data":{"type":"appStoreVersionLocalizations","id":"`+locID+`","attributes":{"keywords":"kept,over,a,restart"}}}`); code != 200 {
		t.Fatalf("PATCH = %d %s", code, body)
	}
	stop() // saves at shutdown

	url2, stop := startSimulatorCmd(t, "--write-credentials", dir, "--state", statePath)
	defer stop()
	code, body := send(url2, "GET", "/v1/appStoreVersionLocalizations/"+locID, "")
	if code != 200 || !strings.Contains(body, `"keywords":"kept,over,a,restart"`) {
		t.Errorf("after the restart: %d %s", code, body)
	}
}
