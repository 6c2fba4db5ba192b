package daemon

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/storesyncer/storesyncer/internal/command"
	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/roles"
	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// TestAPIWithTLS runs the daemon with TLS on the loopback address, as it would run on a
// team's shared machine: a generated certificate whose fingerprint status and invitations
// show, the Host check accepting [api] public_names, and Secure session cookies.
func TestAPIWithTLS(t *testing.T) {
	e := newEnv(t, envOptions{before: func(e *env) {
		path := e.cfg.Path
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Replace(string(b), "[api]\n", "[api]\ntls_generate = true\npublic_names = [\"mac.example\"]\n", 1)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		if e.cfg, err = config.Load(path); err != nil {
			t.Fatal(err)
		}
	}})
	ctx := context.Background()
	certFile, keyFile := e.cfg.API.TLSFiles(e.cfg.Daemon.StateDir)
	fp, err := statusapi.CertFingerprint(certFile)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(keyFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("generated key %s: %v %v, want mode 0600", keyFile, fi.Mode(), err)
	}
	c, err := statusapi.NewClient(statusapi.ClientConfig{Listen: e.d.APIAddr(), TokenFile: e.d.TokenFile(), Fingerprint: fp})
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.Status(ctx)
	if err != nil || st.TLSFingerprint != fp {
		t.Fatalf("status over TLS: fingerprint %q, %v; want %s", st.TLSFingerprint, err, fp)
	}
	wrong, _ := statusapi.NewClient(statusapi.ClientConfig{Listen: e.d.APIAddr(), TokenFile: e.d.TokenFile(), Fingerprint: strings.Repeat("AB:", 31) + "AB"})
	if _, err := wrong.Status(ctx); err == nil {
		t.Fatal("a client pinning another certificate got an answer")
	}
	if resp, err := http.Get("http://" + e.d.APIAddr() + "/healthz"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Fatal("plain HTTP answered on the TLS port")
		}
	}

	// The Host check: loopback and the public name pass, another name is refused.
	tok, err := readTokenFile(e.d.TokenFile())
	if err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}} // the pin is tested above
	hc := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	_, port, _ := net.SplitHostPort(e.d.APIAddr())
	get := func(host string) int {
		r, _ := http.NewRequest(http.MethodGet, "https://"+e.d.APIAddr()+"/api/v1/status", nil)
		r.Host = host
		r.Header.Set("Authorization", "Bearer "+tok)
		resp, err := hc.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for host, want := range map[string]int{"127.0.0.1:" + port: 200, "mac.example:" + port: 200, "MAC.example.:" + port: 200, "evil.example:" + port: 403} {
		if got := get(host); got != want {
			t.Errorf("Host %s: %d, want %d", host, got, want)
		}
	}

	// The invitation names the public name, https and the fingerprint; joining through it
	// gives a Secure session cookie.
	res := e.d.Command(ctx, &command.MembersInvite{Role: string(roles.Designer)})
	var inv command.InviteReport
	if err := json.Unmarshal(res.Output, &inv); err != nil || res.ExitCode != 0 {
		t.Fatalf("invite: %+v %v", res, err)
	}
	if !strings.HasPrefix(inv.URL, "https://mac.example:"+port+"/invite/") || inv.Fingerprint != fp || !strings.Contains(strings.Join(res.Lines, "\n"), fp) {
		t.Fatalf("invitation %+v lines %q", inv, res.Lines)
	}
	path := strings.TrimPrefix(inv.URL, "https://mac.example:"+port)
	r, _ := http.NewRequest(http.MethodPost, "https://"+e.d.APIAddr()+path, strings.NewReader(url.Values{"name": {"Dana"}}.Encode()))
	r.Host = "mac.example:" + port
	r.Header.Set("Origin", "https://mac.example:"+port)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := hc.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Set-Cookie"), "Secure") {
		t.Fatalf("join over TLS: %d, Set-Cookie %q; want 200 and a Secure cookie", resp.StatusCode, resp.Header.Get("Set-Cookie"))
	}
}
