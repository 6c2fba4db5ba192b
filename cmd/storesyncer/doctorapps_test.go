package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// TestDoctorAppsAndState checks each app.toml as plan and push do (exit 2 when one is wrong)
// and warns about a state dir and database that others can read.
func TestDoctorAppsAndState(t *testing.T) {
	sim, err := ascapitest.NewServer(t, ascapitest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	demoID, _ := sim.AppID("com.example.demo")
	proID, _ := sim.AppID("com.example.demo.pro")
	tests := []struct {
		name     string
		app      workspace.App
		wantExit int
		status   string
		msg      string
	}{
		{"matching app", workspace.App{AppID: demoID, Platform: "IOS", Active: "main"}, 0, "ok", "app_id " + demoID + " is com.example.demo"},
		{"app_id of another app", workspace.App{AppID: proID, Platform: "IOS", Active: "main"}, 2, "fail", "is com.example.demo.pro on App Store Connect"},
		{"platform without versions", workspace.App{AppID: demoID, Platform: "TV_OS", Active: "main"}, 2, "fail", "has no TV_OS version"},
		{"missing active collection", workspace.App{AppID: demoID, Platform: "IOS", Active: "christmas"}, 2, "fail", `active collection "christmas"`},
		{"unknown account", workspace.App{AppID: demoID, Platform: "IOS", Active: "main", Account: "nobody"}, 2, "fail", "nobody"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			creds := sim.Credentials()
			cfg, _ := doctorSetup(t, sim.URL(), creds, creds.PrivateKeyPEM, 0o600, true)
			root := filepath.Dir(cfg)
			ws, err := workspace.Open(filepath.Join(root, "ws"))
			if err != nil {
				t.Fatal(err)
			}
			tt.app.BundleID = "com.example.demo"
			if err := ws.WriteApp(tt.app); err != nil {
				t.Fatal(err)
			}
			stateDir := filepath.Join(root, "state")
			if err := os.Mkdir(stateDir, 0o755); err != nil {
				t.Fatal(err)
			}
			os.Chmod(stateDir, 0o755)
			if err := os.WriteFile(filepath.Join(stateDir, "state.db"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
			os.Chmod(filepath.Join(stateDir, "state.db"), 0o644)
			out, exit := runDoctor(t, "--config", cfg, "--json")
			if exit != tt.wantExit {
				t.Errorf("exit = %d, want %d\n%s", exit, tt.wantExit, out)
			}
			st, msg := statuses(t, out)
			if st["app com.example.demo"] != tt.status || !strings.Contains(msg["app com.example.demo"], tt.msg) {
				t.Errorf("app check = %s %q; want %s with %q", st["app com.example.demo"], msg["app com.example.demo"], tt.status, tt.msg)
			}
			if st["state permissions"] != "warn" || !strings.Contains(out, "chmod 700") || !strings.Contains(out, "chmod 600") {
				t.Errorf("no warning about the state's modes:\n%s", out)
			}
		})
	}
}
