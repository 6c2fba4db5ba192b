package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// member runs the storesyncer binary as a team member on another machine: no config, only
// the login file of `storesyncer login`.
type member struct {
	t     *testing.T
	login string
}

func (m member) run(args ...string) (exit int, stdout, stderr string) {
	m.t.Helper()
	cmd := exec.Command(storesyncerBinary(m.t), args...)
	home := filepath.Dir(m.login)
	cmd.Env = append(os.Environ(), "STORESYNCER_CONFIG="+filepath.Join(home, "no-config.toml"), "STORESYNCER_LOGIN="+m.login, "HOME="+home, "XDG_CONFIG_HOME="+home)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String(), errb.String()
	}
	if err != nil {
		m.t.Fatal(err)
	}
	return 0, out.String(), errb.String()
}

// TestTeamFromTheCLI is the "done when": the Owner invites a Designer and a Content
// Manager from the CLI; each logs in with the invitation, does what the table allows and is
// refused what it does not; history shows who did what.
func TestTeamFromTheCLI(t *testing.T) {
	e := newSyncEnv(t).added()
	startParityDaemon(t, e)
	join := func(role, name string) member {
		out := e.mustRun("members", "invite", "--role", role, "--email", strings.ToLower(name)+"@example.com")
		var url string
		for _, l := range strings.Split(out, "\n") {
			if l = strings.TrimSpace(l); strings.HasPrefix(l, "http://") {
				url = l
			}
		}
		if url == "" {
			t.Fatalf("invite printed no URL:\n%s", out)
		}
		m := member{t: t, login: filepath.Join(t.TempDir(), "login.json")}
		if exit, out, errOut := m.run("login", url, "--name", name); exit != 0 || !strings.Contains(out, role) {
			t.Fatalf("login as %s: exit %d\n%s%s", name, exit, out, errOut)
		}
		if fi, err := os.Stat(m.login); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("login file: %v %v, want mode 0600", fi, err)
		}
		if exit, _, errOut := m.run("login", url, "--name", name+"2"); exit == 0 || strings.Contains(errOut, url[strings.LastIndex(url, "/")+1:]) {
			t.Errorf("the invitation worked twice, or the error shows its code: exit %d %s", exit, errOut)
		}
		return m
	}
	dana := join("designer", "Dana")
	cara := join("content-manager", "Cara")

	if exit, out, _ := e.run("members", "list"); exit != 0 || !strings.Contains(out, "Dana") || !strings.Contains(out, "Content Manager") {
		t.Errorf("members list: exit %d\n%s", exit, out)
	}
	if exit, _, errOut := dana.run("pause"); exit != 1 || !strings.Contains(errOut, "Designer") || !strings.Contains(errOut, "pause") {
		t.Errorf("pause as a Designer: exit %d %s; want exit 1 naming the role and the operation", exit, errOut)
	}
	if exit, _, errOut := cara.run("members", "invite", "--role", "designer"); exit != 1 || !strings.Contains(errOut, "Content Manager") {
		t.Errorf("invite as a Content Manager: exit %d %s", exit, errOut)
	}

	e.write("description/en-US.txt", []byte("Cara's description.\n"))
	e.write("keyword/en-US.txt", []byte("cara,keywords\n"))
	exit, out, errOut := cara.run("push")
	if exit != 0 || !strings.Contains(out, "left out 1 key(s)") || !strings.Contains(out, "en-US/keyword") {
		t.Fatalf("push as a Content Manager: exit %d\n%s%s", exit, out, errOut)
	}
	exit, out, errOut = dana.run("push")
	if exit != 0 || !strings.Contains(out, "nothing to push that the role Designer covers") {
		t.Errorf("push as a Designer: exit %d\n%s%s", exit, out, errOut)
	}
	if exit, out, _ := e.run("history", "--member", "Cara"); exit != 0 || !strings.Contains(out, "Cara") || !strings.Contains(out, "en-US/description") || strings.Contains(out, "en-US/keyword") {
		t.Errorf("history --member Cara: exit %d\n%s", exit, out)
	}
	if exit, out, _ := e.run("members", "remove", "Cara"); exit != 0 {
		t.Fatalf("remove: %s", out)
	}
	if exit, _, errOut := cara.run("status"); exit == 0 {
		t.Errorf("status with a removed member's login: exit 0 %s", errOut)
	}
}
