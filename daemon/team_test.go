package daemon

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/storesyncer/storesyncer/internal/command"
	"github.com/storesyncer/storesyncer/internal/roles"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// teamEnv is a daemon with helpers to invite members and talk to the API as them.
type teamEnv struct {
	*env
	base  string
	owner string // the daemon's own token
}

func newTeamEnv(t *testing.T) *teamEnv {
	t.Helper()
	e := newEnv(t, envOptions{})
	tok, err := readTokenFile(e.d.TokenFile())
	if err != nil {
		t.Fatal(err)
	}
	return &teamEnv{env: e, base: "http://" + e.d.APIAddr(), owner: tok}
}

func readTokenFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	return strings.TrimSpace(string(b)), err
}

// post sends a command as the holder of tok and returns the HTTP status and the body.
func (e *teamEnv) post(tok, name string, req any) (int, []byte) {
	e.t.Helper()
	b, _ := json.Marshal(req)
	r, _ := http.NewRequest(http.MethodPost, e.base+"/api/v1/commands/"+name, bytes.NewReader(b))
	r.Header.Set("Authorization", "Bearer "+tok)
	r.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	return resp.StatusCode, buf.Bytes()
}

// get sends a GET as the holder of tok and returns the status.
func (e *teamEnv) get(tok, path string) int {
	e.t.Helper()
	r, _ := http.NewRequest(http.MethodGet, e.base+path, nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// join invites name with role as the Owner and accepts the invitation, returning the
// member's personal token.
func (e *teamEnv) join(name string, role roles.Role) string {
	e.t.Helper()
	status, body := e.post(e.owner, "members.invite", command.MembersInvite{Role: string(role), Email: strings.ToLower(name) + "@example.com"})
	var res statusapi.OpResult
	if err := json.Unmarshal(body, &res); status != 200 || err != nil || res.ExitCode != 0 {
		e.t.Fatalf("invite %s: %d %s", name, status, body)
	}
	var inv command.InviteReport
	if err := json.Unmarshal(res.Output, &inv); err != nil {
		e.t.Fatal(err)
	}
	_, code, ok := strings.Cut(inv.URL, "/invite/")
	if !ok || !strings.HasPrefix(inv.URL, e.base) {
		e.t.Fatalf("invitation URL %q", inv.URL)
	}
	c, err := statusapi.NewClient(statusapi.ClientConfig{BaseURL: e.base, Token: "-"})
	if err != nil {
		e.t.Fatal(err)
	}
	acc, err := c.Accept(context.Background(), code, name)
	if err != nil || acc.Role != string(role) || acc.App != testApp || acc.Token == "" {
		e.t.Fatalf("accept %s: %+v %v", name, acc, err)
	}
	return acc.Token
}

// TestRoleTableThroughTheAPI runs every operation of the role table that is a command, for
// every role, through the daemon's HTTP API with the member's own token: a refused one is a
// 403 naming the role and the operation, an allowed one runs (whatever its own outcome).
func TestRoleTableThroughTheAPI(t *testing.T) {
	e := newTeamEnv(t)
	tokens := map[roles.Role]string{}
	for _, r := range roles.All {
		tokens[r] = e.join("m-"+string(r), r)
	}
	// throwaway makes a Designer for the member operations to act on.
	n := 0
	throwaway := func() string {
		n++
		name := fmt.Sprintf("tmp%d", n)
		e.join(name, roles.Designer)
		return name
	}
	textKey, mediaKey := "en-US/description", "en-US/screenshot/APP_IPHONE_67"
	type call struct {
		name string
		req  func(r roles.Role) any
	}
	calls := []struct {
		op    roles.Op
		calls []call
	}{
		{roles.AppsAdd, []call{{"apps.add", func(roles.Role) any { return command.AppsAdd{BundleID: "com.example.absent"} }}}},
		{roles.VersionsCreate, []call{{"versions.create", func(roles.Role) any { return command.VersionsCreate{Version: testVersion} }}}},
		{roles.VersionsSet, []call{{"versions.set", func(roles.Role) any { return command.VersionsSet{Version: testVersion} }}}},
		{roles.MembersInvite, []call{{"members.invite", func(roles.Role) any { return command.MembersInvite{Role: string(roles.Designer)} }}}},
		{roles.MembersSetRole, []call{{"members.set-role", func(roles.Role) any {
			return command.MembersSetRole{Member: throwaway(), Role: string(roles.ContentManager)}
		}}}},
		{roles.MembersRemove, []call{{"members.remove", func(roles.Role) any { return command.MembersRemove{Member: throwaway()} }}}},
		{roles.CollectionsCreate, []call{{"collections.create", func(r roles.Role) any {
			return command.CollectionsCreate{Collection: "c-" + string(r), From: "template"}
		}}}},
		{roles.CollectionsActive, []call{{"collections.activate", func(roles.Role) any { return command.CollectionsActivate{Collection: "main"} }}}},
		{roles.CollectionsDelete, []call{{"collections.delete", func(r roles.Role) any { return command.CollectionsDelete{Collection: "absent"} }}}},
		{roles.Push, []call{{"push", func(roles.Role) any { return command.Push{} }}}},
		{roles.Approve, []call{{"approve", func(roles.Role) any { return command.Approve{} }}}},
		{roles.Resolve, []call{{"resolve", func(r roles.Role) any {
			k := textKey
			if r == roles.Designer {
				k = mediaKey
			}
			return command.Resolve{Keys: []string{k}, Keep: "local"}
		}}}},
		{roles.Pause, []call{{"pause", func(roles.Role) any { return command.Pause{} }}}},
		{roles.Resume, []call{{"resume", func(roles.Role) any { return command.Resume{} }}}},
		{roles.Settings, []call{
			{"rescan", func(roles.Role) any { return command.Rescan{} }},
			{"jobs.retry", func(roles.Role) any { return command.JobsRetry{ID: 999} }},
		}},
		// Last: it removes the app.
		{roles.AppsRemove, []call{{"apps.remove", func(roles.Role) any { return command.AppsRemove{App: testApp} }}}},
	}
	// What the table grants by key (before the table's apps.remove): a Designer resolving a text key, a Content Manager a
	// media key, and an App Manager making an Owner are refused.
	for _, tc := range []struct {
		role roles.Role
		name string
		req  any
	}{
		{roles.Designer, "resolve", command.Resolve{Keys: []string{textKey}, Keep: "local"}},
		{roles.ContentManager, "resolve", command.Resolve{Keys: []string{mediaKey}, Keep: "local"}},
		{roles.ContentManager, "push", command.Push{Prune: true, Yes: true}},
		{roles.ContentManager, "pull", command.Pull{}},
		{roles.AppManager, "members.invite", command.MembersInvite{Role: string(roles.Owner)}},
		{roles.AppManager, "members.set-role", command.MembersSetRole{Member: "m-designer", Role: string(roles.AppManager)}},
		{roles.AppManager, "members.remove", command.MembersRemove{Member: "m-owner"}},
	} {
		if status, body := e.post(tokens[tc.role], tc.name, tc.req); status != http.StatusForbidden {
			t.Errorf("%s as %s: %d %s, want 403", tc.name, tc.role, status, body)
		}
	}
	for _, c := range calls {
		// Owner last, so that apps.remove runs once the others were refused.
		for _, r := range []roles.Role{roles.ContentManager, roles.Designer, roles.AppManager, roles.Owner} {
			for _, cl := range c.calls {
				allowed := roles.Lookup(r, c.op).Allowed
				status, body := e.post(tokens[r], cl.name, cl.req(r))
				if allowed && status == http.StatusForbidden {
					t.Errorf("%s as %s: refused, the table allows it: %s", cl.name, r, body)
				}
				if !allowed {
					var er statusapi.ErrorResponse
					_ = json.Unmarshal(body, &er)
					if status != http.StatusForbidden || er.Error.Code != statusapi.CodeForbidden || er.Error.Role != string(r) ||
						er.Error.Operation != string(c.op) || !strings.Contains(er.Error.Message, r.Title()) {
						t.Errorf("%s as %s: %d %s; want 403 naming role %s and operation %s", cl.name, r, status, body, r, c.op)
					}
				}
			}
		}
	}
}

// TestRemovedMemberIsOutAtOnce proves that removing a member ends their token within one
// request: the very next request with it is refused.
func TestRemovedMemberIsOutAtOnce(t *testing.T) {
	e := newTeamEnv(t)
	tok := e.join("Dana", roles.Designer)
	_, body := e.post(e.owner, "members.invite", command.MembersInvite{Role: string(roles.Designer)})
	var res statusapi.OpResult
	var inv command.InviteReport
	_ = json.Unmarshal(body, &res)
	_ = json.Unmarshal(res.Output, &inv)
	_, code, _ := strings.Cut(inv.URL, "/invite/")
	anon, err := statusapi.NewClient(statusapi.ClientConfig{BaseURL: e.base, Token: "-"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := anon.Accept(context.Background(), code, "Eve"); err != nil {
		t.Fatal(err)
	}
	if _, err := anon.Accept(context.Background(), code, "Eve2"); err == nil || !strings.Contains(err.Error(), "unknown, used or expired") {
		t.Fatalf("a used invitation accepted again: %v", err)
	}
	if got := e.get(tok, "/api/v1/status"); got != http.StatusOK {
		t.Fatalf("status as a member: %d", got)
	}
	if status, body := e.post(e.owner, "members.remove", command.MembersRemove{Member: "Dana"}); status != 200 || !strings.Contains(string(body), `"removed":true`) {
		t.Fatalf("remove: %d %s", status, body)
	}
	if got := e.get(tok, "/api/v1/status"); got != http.StatusUnauthorized {
		t.Fatalf("status with the removed member's token: %d, want 401", got)
	}
	if status, _ := e.post(tok, "push", command.Push{}); status != http.StatusUnauthorized {
		t.Fatalf("push with the removed member's token: %d, want 401", status)
	}

	// Neither the token nor an invitation code reaches the log, even from a refused request
	// that names the code in its path.
	_, body = e.post(e.owner, "members.invite", command.MembersInvite{Role: string(roles.Designer)})
	_ = json.Unmarshal(body, &res)
	_ = json.Unmarshal(res.Output, &inv)
	_, code2, _ := strings.Cut(inv.URL, "/invite/")
	r, _ := http.NewRequest(http.MethodGet, e.base+"/invite/"+code2, nil)
	r.Host = "evil.example"
	if resp, err := http.DefaultClient.Do(r); err == nil {
		resp.Body.Close()
	}
	log := e.log.String()
	for what, secret := range map[string]string{"token": tok, "used code": code, "open code": code2, "daemon token": e.owner} {
		if strings.Contains(log, secret) {
			t.Errorf("the daemon log holds the %s", what)
		}
	}
	if !strings.Contains(log, "/invite/…") {
		t.Error("the refused request was not logged (with its code cut)")
	}
}

// TestRestrictedPushSendsOnlyCoveredKeys: a Content Manager's push sends the description and
// says the keyword was left out; history names who did what.
func TestRestrictedPushSendsOnlyCoveredKeys(t *testing.T) {
	e := newTeamEnv(t)
	cm := e.join("Cara", roles.ContentManager)
	if status, body := e.post(e.owner, "pause", command.Pause{}); status != 200 {
		t.Fatalf("pause: %d %s", status, body)
	}
	writeFile(t, e.coll("description", "en-US.txt"), []byte("A description Cara wrote.\n"))
	writeFile(t, e.coll("keyword", "en-US.txt"), []byte("cara,keywords\n"))
	e.waitFor("two local changes queued", func() bool {
		jobs, err := e.d.store.Jobs(context.Background(), state.JobFilter{})
		return err == nil && len(jobs) > 0
	})
	status, body := e.post(cm, "push", command.Push{})
	var res statusapi.OpResult
	if err := json.Unmarshal(body, &res); status != 200 || err != nil {
		t.Fatalf("push as Content Manager: %d %s", status, body)
	}
	var rep struct {
		LeftOut []string `json:"left_out"`
	}
	_ = json.Unmarshal(res.Output, &rep)
	if len(rep.LeftOut) != 1 || rep.LeftOut[0] != "en-US/keyword" || !strings.Contains(strings.Join(res.Lines, "\n"), "left out 1 key(s)") {
		t.Fatalf("push report: left out %v, lines %q", rep.LeftOut, res.Lines)
	}
	if got := e.remoteText("en-US", "description"); got != "A description Cara wrote." {
		t.Errorf("remote description = %q", got)
	}
	if got := e.remoteText("en-US", "keywords"); got == "cara,keywords" {
		t.Error("the keyword, outside the Content Manager's role, was pushed")
	}
	c, err := statusapi.NewClient(statusapi.ClientConfig{Listen: e.d.APIAddr(), TokenFile: e.d.TokenFile()})
	if err != nil {
		t.Fatal(err)
	}
	hist, err := c.HistoryOf(context.Background(), "", "Cara", 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) == 0 || hist[0].Member != "Cara" || len(hist[0].Keys) != 1 || hist[0].Keys[0] != "en-US/description" {
		t.Errorf("history of Cara = %+v", hist)
	}
	for _, h := range hist {
		if h.Keys[0] == "en-US/keyword" {
			t.Errorf("history says Cara pushed the keyword: %+v", h)
		}
	}
	// The Owner resumes; the daemon pushes the keyword as "local".
	if status, body := e.post(e.owner, "resume", command.Resume{}); status != 200 {
		t.Fatalf("resume: %d %s", status, body)
	}
	e.waitRemote("en-US", "keywords", "cara,keywords")
	e.waitFor("the keyword's history row", func() bool {
		h, err := c.HistoryOf(context.Background(), "", roles.Local, 10, 0)
		return err == nil && len(h) > 0 && h[0].Keys[0] == "en-US/keyword"
	})
}
