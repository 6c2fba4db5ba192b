package dashboard_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/storesyncer/storesyncer/internal/command"
	"github.com/storesyncer/storesyncer/internal/roles"
)

// TestDashboardRolesInABrowser: a Content Manager and a Designer open their invitations in
// Chromium; each page shows only what the role covers, the allowed edit reaches the folder,
// and what the role may not do is refused (403 naming the role) even when sent by hand.
func TestDashboardRolesInABrowser(t *testing.T) {
	e := startDaemon(t)
	ctx := newBrowser(t)
	invite := func(role roles.Role) string {
		res, err := e.d.Backend().Command(context.Background(), "members.invite", []byte(`{"role":"`+string(role)+`"}`))
		var inv command.InviteReport
		if err != nil || res.ExitCode != 0 || json.Unmarshal(res.Output, &inv) != nil {
			t.Fatalf("invite %s: %v %+v", role, err, res)
		}
		return inv.URL
	}
	join := func(role roles.Role, name string) {
		run(t, ctx, chromedp.Navigate(invite(role)), chromedp.WaitVisible(chromedp.CSS(`#name`)),
			chromedp.SetValue(chromedp.CSS(`#name`), name), chromedp.Submit(chromedp.CSS(`#name`)),
			chromedp.WaitVisible(chromedp.CSS(`pre`)))
		if tok := get(t, ctx, chromedp.Text(chromedp.CSS(`pre`))); len(strings.TrimSpace(tok)) != 64 {
			t.Fatalf("the join page shows no API token: %q", tok)
		}
	}
	present := func(sel string) bool {
		return get(t, ctx, chromedp.Evaluate[bool](`document.querySelector(`+jsString(sel)+`) !== null`))
	}
	// post sends a form from the page itself, with its CSRF token, and returns the status.
	post := func(path, body string) int {
		js := `fetch(` + jsString(path) + `, {method: "POST", headers: {"X-CSRF-Token": document.body.dataset.csrf, "Content-Type": "application/x-www-form-urlencoded"}, body: ` + jsString(body) + `}).then(r => r.status)`
		return get(t, ctx, chromedp.Evaluate[int](js, chromedp.EvalAwaitPromise))
	}
	collURL := e.base + "/apps/" + demoApp + "/c/main"

	join(roles.ContentManager, "Cara")
	run(t, ctx, chromedp.Navigate(collURL), chromedp.WaitVisible(chromedp.CSS(`#t-description-en-US`)))
	if present(`#t-keyword-en-US`) || present(`#t-name-en-US`) || present(`#up-en-US-APP_IPHONE_67`) || present(`img`) {
		t.Error("a Content Manager sees a text other than description and whatsNew, or media")
	}
	run(t, ctx, chromedp.SetValue(chromedp.CSS(`#t-description-en-US`), "Written by Cara."),
		chromedp.Click(chromedp.CSS(`button[aria-label="Save description (en-US)"]`)))
	eventually(t, "the description file to change", func() bool {
		b, _ := os.ReadFile(e.coll("description", "en-US.txt"))
		return string(b) == "Written by Cara.\n"
	})
	if got := post("/apps/"+demoApp+"/c/main/text", "locale=en-US&field=keyword&value=nope"); got != 403 {
		t.Errorf("a Content Manager's keyword edit: %d, want 403", got)
	}
	if got := post("/apps/"+demoApp+"/c/main/media/delete", "locale=en-US&type=APP_IPHONE_67&kind=screenshot&name=01.png"); got != 403 {
		t.Errorf("a Content Manager's screenshot delete: %d, want 403", got)
	}

	join(roles.Designer, "Dana")
	run(t, ctx, chromedp.Navigate(collURL), chromedp.WaitVisible(chromedp.CSS(`#up-en-US-APP_IPHONE_67`)))
	if present(`#t-description-en-US`) || present(`#t-keyword-en-US`) {
		t.Error("a Designer sees texts")
	}
	if !present(`img`) {
		t.Error("a Designer sees no screenshot")
	}
	if got := post("/apps/"+demoApp+"/c/main/text", "locale=en-US&field=description&value=nope"); got != 403 {
		t.Errorf("a Designer's description edit: %d, want 403", got)
	}
	if got := post("/sync/pause", ""); got != 403 {
		t.Errorf("a Designer's pause: %d, want 403", got)
	}
	// What the role cannot do is not offered.
	run(t, ctx, chromedp.Navigate(e.base+"/apps/"+demoApp), chromedp.WaitVisible(chromedp.CSS(`dl.facts`)))
	if present(`form[action$="/versions"]`) || present(`form[action$="/collections"]`) {
		t.Error("a Designer's app page offers to create a version or a collection")
	}
	run(t, ctx, chromedp.Navigate(e.base+"/sync"), chromedp.WaitVisible(chromedp.CSS(`#live`)))
	if present(`form[action="/sync/pause"]`) || present(`form[action="/sync/resume"]`) {
		t.Error("a Designer's sync page offers to pause or resume")
	}
	if b, _ := os.ReadFile(e.coll("description", "en-US.txt")); string(b) != "Written by Cara.\n" {
		t.Errorf("description after the refused edits = %q", b)
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
