package ascapitest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/google/go-cmp/cmp"
)

func TestDefaultSeed(t *testing.T) {
	e := start(t, true)
	for _, v := range []string{"1.0", "1.1"} {
		for _, loc := range []string{"en-US", "de-DE", "ja"} {
			texts, ok := e.srv.VersionLocalization("com.example.demo", v, loc)
			if !ok || texts["description"] == "" || texts["keywords"] == "" || texts["supportUrl"] == "" {
				t.Errorf("%s %s texts = %v", v, loc, texts)
			}
			info, ok := e.srv.InfoLocalization("com.example.demo", v, loc)
			if !ok || info["name"] != "Planner Demo" || info["privacyPolicyUrl"] == "" {
				t.Errorf("%s %s info = %v", v, loc, info)
			}
			set, ok := e.srv.ScreenshotSet("com.example.demo", v, loc, "APP_IPHONE_67")
			if !ok || len(set.Assets) != 3 || set.Assets[0].State != "COMPLETE" || set.Assets[0].Checksum == "" {
				t.Errorf("%s %s set = %+v", v, loc, set)
			}
		}
	}
	// Seeded screenshots are real 1290×2796 PNGs that pass processing.
	set, _ := e.srv.ScreenshotSet("com.example.demo", "1.1", "en-US", "APP_IPHONE_67")
	res := e.must(200, "GET", "/v1/appScreenshots/"+set.Assets[0].ID, nil).data()
	if ia := attr(res, "imageAsset").(map[string]any); ia["width"] != float64(1290) || ia["height"] != float64(2796) {
		t.Errorf("imageAsset = %v", ia)
	}
}

func TestSeedFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "seed.json")
	png := filepath.Join(dir, "shot.png")
	if err := os.WriteFile(png, SamplePNG(1242, 2688, 1), 0o644); err != nil {
		t.Fatal(err)
	}
	seed := `{"apps":[{"bundleId":"com.acme.x","name":"X","primaryLocale":"de-DE","versions":[
	  {"versionString":"3.0","state":"DEVELOPER_REJECTED","localizations":[{"locale":"de-DE","texts":{"keywords":"a,b"},
	    "screenshots":{"APP_IPHONE_65":[{"fileName":"1.png","file":"` + png + `"}]}}],
	   "infoLocalizations":[{"locale":"de-DE","texts":{"name":"X"}}]}]}]}`
	if err := os.WriteFile(good, []byte(seed), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := LoadSeed(good)
	if err != nil {
		t.Fatal(err)
	}
	e := start(t, true, func(srv *Server) { srv.Seed = s })
	if _, ok := e.srv.AppID("com.example.demo"); ok {
		t.Errorf("default seed loaded besides the file")
	}
	set, ok := e.srv.ScreenshotSet("com.acme.x", "3.0", "de-DE", "APP_IPHONE_65")
	if !ok || len(set.Assets) != 1 || set.Assets[0].Checksum != md5hex(SamplePNG(1242, 2688, 1)) {
		t.Errorf("set = %+v", set)
	}

	bad := filepath.Join(dir, "bad.json")
	_ = os.WriteFile(bad, []byte(`{"apps":[{"bundle":"x"}]}`), 0o644)
	if _, err := LoadSeed(bad); err == nil || !strings.Contains(err.Error(), "bad.json") || !strings.Contains(err.Error(), "bundle") {
		t.Errorf("unknown field: err = %v", err)
	}
	srv := &Server{Seed: &Seed{Apps: []SeedApp{{BundleID: "a", PrimaryLocale: "en-US", Versions: []SeedVersion{{VersionString: "1"}}}}}}
	if err := srv.Init(); err == nil || !strings.Contains(err.Error(), "apps[0]") {
		t.Errorf("missing state: err = %v", err)
	}
}

func TestWriteCredentials(t *testing.T) {
	e := start(t, false)
	dir := filepath.Join(t.TempDir(), "sim")
	if err := WriteCredentials(dir, e.creds, e.srv.URL(), "127.0.0.1:7999"); err != nil {
		t.Fatal(err)
	}
	keyPath := filepath.Join(dir, "AuthKey_"+e.creds.KeyID+".p8")
	fi, err := os.Stat(keyPath)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", err, fi)
	}
	var cfg struct {
		Workspace string `toml:"workspace"`
		Daemon    struct {
			StateDir string `toml:"state_dir"`
		} `toml:"daemon"`
		API struct {
			Listen string `toml:"listen"`
		} `toml:"api"`
		Account []struct {
			Name, IssuerID, KeyID, PrivateKeyPath, APIBaseURL string
		} `toml:"account"`
	}
	if _, err := toml.DecodeFile(filepath.Join(dir, "config.toml"), &cfg); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "config.toml"))
	var generic map[string]any
	_, _ = toml.Decode(string(raw), &generic)
	acct := generic["account"].([]map[string]any)[0]
	want := map[string]any{"name": "default", "issuer_id": e.creds.IssuerID, "key_id": e.creds.KeyID,
		"private_key_path": keyPath, "api_base_url": e.srv.URL()}
	if diff := cmp.Diff(want, acct); diff != "" {
		t.Errorf("account (-want +got):\n%s", diff)
	}
	if cfg.Workspace != filepath.Join(dir, "workspace") || cfg.Daemon.StateDir != filepath.Join(dir, "state") || cfg.API.Listen != "127.0.0.1:7999" {
		t.Errorf("config = %+v", cfg)
	}
	for _, d := range []string{"workspace", "state"} {
		if fi, err := os.Stat(filepath.Join(dir, d)); err != nil || !fi.IsDir() {
			t.Errorf("%s dir: %v", d, err)
		}
	}
	// The written key signs tokens the simulator accepts.
	pem, _ := os.ReadFile(keyPath)
	tok, err := Credentials{IssuerID: e.creds.IssuerID, KeyID: e.creds.KeyID, PrivateKeyPEM: pem}.Token(e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if r := e.raw("GET", "/v1/apps", nil, "Bearer "+tok); r.status != 200 {
		t.Errorf("token from written key = %d", r.status)
	}
}
