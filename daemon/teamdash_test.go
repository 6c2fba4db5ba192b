package daemon

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/storesyncer/storesyncer/internal/command"
	"github.com/storesyncer/storesyncer/internal/roles"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// browser is a cookie-keeping HTTP client that sends the Origin a browser sends.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(method, path string, form url.Values) (int, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r, _ := http.NewRequest(method, b.base+path, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Origin", b.base)
	}
	resp, err := b.c.Do(r)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// TestDashboardMembers: a Content Manager and a Designer join through the invitation page;
// each sees only what the role covers, edits what it may, is refused the rest, and a removed
// member's session ends at their next request.
func TestDashboardMembers(t *testing.T) {
	e := newTeamEnv(t)
	invite := func(role roles.Role) string {
		_, body := e.post(e.owner, "members.invite", command.MembersInvite{Role: string(role)})
		var res statusapi.OpResult
		var inv command.InviteReport
		_ = json.Unmarshal(body, &res)
		_ = json.Unmarshal(res.Output, &inv)
		return strings.TrimPrefix(inv.URL, e.base)
	}
	join := func(role roles.Role, name string) *browser {
		b := newBrowser(t, e.base)
		path := invite(role)
		if status, page := b.do("GET", path, nil); status != 200 || !strings.Contains(page, "Join the team") {
			t.Fatalf("invitation page: %d %s", status, page)
		}
		status, page := b.do("POST", path, url.Values{"name": {name}})
		if status != 200 || !strings.Contains(page, "personal API token") {
			t.Fatalf("join as %s: %d %s", role, status, page)
		}
		if status, _ := b.do("POST", path, url.Values{"name": {name + "2"}}); status != http.StatusBadRequest {
			t.Errorf("the invitation was used twice: %d", status)
		}
		return b
	}
	collPage := "/apps/" + testApp + "/c/main"

	cm := join(roles.ContentManager, "Cara")
	status, page := cm.do("GET", collPage, nil)
	if status != 200 {
		t.Fatalf("collection page as Content Manager: %d %s", status, page)
	}
	if !strings.Contains(page, `<th scope="col">description</th>`) || strings.Contains(page, `<th scope="col">keyword</th>`) || strings.Contains(page, "/thumb?path=") {
		t.Errorf("a Content Manager sees more than description and whatsNew, or media:\n%s", page)
	}
	csrf := csrfField.FindStringSubmatch(page)
	if csrf == nil {
		t.Fatal("no CSRF token on the page")
	}
	edit := func(b *browser, csrf, field, value string) int {
		status, _ := b.do("POST", collPage+"/text", url.Values{"csrf": {csrf}, "locale": {"en-US"}, "field": {field}, "value": {value}})
		return status
	}
	if got := edit(cm, csrf[1], "keyword", "nope"); got != http.StatusForbidden {
		t.Errorf("a Content Manager editing the keyword: %d, want 403", got)
	}
	if got := edit(cm, csrf[1], "description", "Cara's words."); got >= 400 {
		t.Errorf("a Content Manager editing the description: %d", got)
	}
	if b, _ := os.ReadFile(e.coll("description", "en-US.txt")); !strings.Contains(string(b), "Cara's words.") {
		t.Errorf("description file = %q", b)
	}
	// The daemon pushes the edit, and its history names Cara, not "local".
	e.waitRemote("en-US", "description", "Cara's words.")
	e.waitFor("the description's history row naming Cara", func() bool {
		h, err := e.d.store.HistoryOf(context.Background(), state.HistoryFilter{Member: "Cara"}, 10, 0)
		return err == nil && len(h) > 0 && h[0].Key == "en-US/description"
	})

	des := join(roles.Designer, "Dana")
	status, page = des.do("GET", collPage, nil)
	if status != 200 || strings.Contains(page, `<th scope="col">description</th>`) || !strings.Contains(page, "/thumb?path=") {
		t.Errorf("a Designer's collection page (%d) shows texts or no media:\n%s", status, page)
	}
	csrf = csrfField.FindStringSubmatch(page)
	if csrf == nil {
		t.Fatal("no CSRF token on the page")
	}
	if got := edit(des, csrf[1], "description", "nope"); got != http.StatusForbidden {
		t.Errorf("a Designer editing the description: %d, want 403", got)
	}
	if status, page := des.do("POST", "/sync/pause", url.Values{"csrf": {csrf[1]}}); status != http.StatusForbidden || !strings.Contains(page, "Designer") {
		t.Errorf("a Designer pausing from the dashboard: %d %s, want 403 naming the role", status, page)
	}

	// Removing Cara ends her session at her next request.
	if status, body := e.post(e.owner, "members.remove", command.MembersRemove{Member: "Cara"}); status != 200 {
		t.Fatalf("remove: %d %s", status, body)
	}
	if status, _ := cm.do("GET", collPage, nil); status != http.StatusSeeOther {
		t.Errorf("the removed member's page: %d, want a redirect to the login", status)
	}
}

// TestDashboardEditorSurvivesRestart: a member's dashboard edit made while syncing is paused is
// pushed after a restart, and the push's history still names the member.
func TestDashboardEditorSurvivesRestart(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := context.Background()
	if res := e.d.Command(ctx, &command.Pause{}); res.ExitCode != 0 {
		t.Fatalf("pause: %+v", res)
	}
	cara := roles.WithCaller(ctx, roles.Caller{Name: "Cara", App: testApp, Role: roles.ContentManager})
	dashboardTeam{team{e.d}}.Edited(cara, testApp, []string{"en-US/description"})
	writeFile(t, e.coll("description", "en-US.txt"), []byte("Written before a restart.\n"))
	e.waitFor("the edit queued", func() bool { return e.d.Backend().Status(ctx).Queue.Pending > 0 })
	e.stop()
	e.start()
	if res := e.d.Command(ctx, &command.Resume{}); res.ExitCode != 0 {
		t.Fatalf("resume: %+v", res)
	}
	e.waitRemote("en-US", "description", "Written before a restart.")
	e.waitFor("the description's history row naming Cara", func() bool {
		h, err := e.d.store.HistoryOf(ctx, state.HistoryFilter{Member: "Cara"}, 10, 0)
		return err == nil && len(h) > 0 && h[0].Key == "en-US/description"
	})
	// The record goes once the sync that wrote the history row returns.
	e.waitFor("the edit's record to go after its push", func() bool {
		name, _, err := e.d.store.Editor(ctx, testApp, []string{"en-US/description"})
		return err == nil && name == ""
	})
}
