package dashboard

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// The command path's names the page runs (internal/command); the requests below are their
// JSON bodies, as POST /api/v1/commands/{name} takes them.
const (
	cmdPush          = "push"
	cmdResolve       = "resolve"
	cmdApprove       = "approve"
	cmdRetry         = "jobs.retry"
	cmdVersionCreate = "versions.create"
	cmdActivate      = "collections.activate"
	cmdCreate        = "collections.create"
)

type approveRequest struct {
	App  string   `json:"app,omitempty"`
	Keys []string `json:"keys,omitempty"`
}

type pushRequest struct {
	App string `json:"app,omitempty"`
	Yes bool   `json:"yes,omitempty"`
}

type resolveRequest struct {
	App  string   `json:"app,omitempty"`
	Keys []string `json:"keys,omitempty"`
	Keep string   `json:"keep"`
}

type retryRequest struct {
	ID int64 `json:"id"`
}

type versionRequest struct {
	App     string `json:"app,omitempty"`
	Version string `json:"version"`
}

type activateRequest struct {
	App        string `json:"app,omitempty"`
	Collection string `json:"collection"`
}

type createRequest struct {
	App        string `json:"app,omitempty"`
	Collection string `json:"collection"`
	From       string `json:"from"`
	Path       string `json:"path,omitempty"`
	Source     string `json:"source,omitempty"`
}

func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("job %q is not a job number", s)
	}
	return id, nil
}

// run runs a command and sends the browser back to back with what it printed, or shows the
// command's error. The answer is the same one the CLI prints.
func (d *Dashboard) run(w http.ResponseWriter, r *http.Request, name string, req any, back string) {
	res, ok := d.runCommand(w, r, name, req)
	if !ok {
		return
	}
	msg := strings.Join(res.Lines, "\n")
	if msg == "" {
		msg = "done"
	}
	d.redirectDone(w, r, back, msg)
}

// runCommand runs a command; it answers the request itself (and returns false) when the
// command failed.
func (d *Dashboard) runCommand(w http.ResponseWriter, r *http.Request, name string, req any) (statusapi.OpResult, bool) {
	body, err := json.Marshal(req)
	if err != nil {
		d.fail(w, r, http.StatusInternalServerError, err.Error())
		return statusapi.OpResult{}, false
	}
	res, err := d.cfg.Commands.Command(r.Context(), name, body)
	if err != nil {
		d.fail(w, r, http.StatusInternalServerError, "command "+name+": "+err.Error())
		return statusapi.OpResult{}, false
	}
	d.log.Info("dashboard ran a command", "command", name, "exit", res.ExitCode)
	if res.ExitCode != statusapi.ExitOK && res.ExitCode != statusapi.ExitConflict && res.ExitCode != statusapi.ExitValidation {
		msg := strings.Join(res.Lines, "\n")
		if res.Error != nil {
			msg = strings.TrimSpace(msg + "\n" + res.Error.Message)
		}
		status := http.StatusInternalServerError
		if res.ExitCode == statusapi.ExitUsage {
			status = http.StatusBadRequest
		}
		if res.Error != nil && res.Error.Code == statusapi.CodeForbidden {
			status = http.StatusForbidden // the role table refused it
		}
		d.fail(w, r, status, msg)
		return res, false
	}
	return res, true
}

// redirectDone sends the browser to back with a message shown once at the top.
func (d *Dashboard) redirectDone(w http.ResponseWriter, r *http.Request, back, msg string) {
	if len(msg) > 600 {
		msg = msg[:600] + "…"
	}
	http.Redirect(w, r, back+"?done="+url.QueryEscape(msg), http.StatusSeeOther)
}

func (d *Dashboard) createVersion(w http.ResponseWriter, r *http.Request) {
	a, ok := d.app(w, r)
	if !ok {
		return
	}
	d.run(w, r, cmdVersionCreate, versionRequest{App: a.BundleID, Version: strings.TrimSpace(r.FormValue("version"))}, "/apps/"+a.BundleID)
}

func (d *Dashboard) activate(w http.ResponseWriter, r *http.Request) {
	a, ok := d.app(w, r)
	if !ok {
		return
	}
	d.run(w, r, cmdActivate, activateRequest{App: a.BundleID, Collection: r.FormValue("collection")}, "/apps/"+a.BundleID)
}

// ActivationPlan is what activating a collection would do: the keys it changes on App Store
// Connect, and whether that many wait for approval.
type ActivationPlan struct {
	// Changes lists "kind key" for every key with a write ("update en-US/keyword").
	Changes []string
	// ApproveOver is the config's approve_over; Held is true when Changes exceed it (or
	// uploads wait for approval anyway), so the change waits on the sync page.
	ApproveOver int
	Held        bool
}

type activateView struct {
	Frame
	App        string
	Collection string
	Plan       ActivationPlan
	Error      string
}

// activatePage shows what activating a collection would change before it is confirmed.
func (d *Dashboard) activatePage(w http.ResponseWriter, r *http.Request) {
	a, ok := d.app(w, r)
	if !ok {
		return
	}
	name := r.URL.Query().Get("collection")
	v := activateView{Frame: d.frame(r, "Activate "+name, "apps", d.cfg.Reader.Status(r.Context())), App: a.BundleID, Collection: name}
	if d.cfg.PlanActivation != nil {
		p, err := d.cfg.PlanActivation(r.Context(), a.BundleID, name)
		if err != nil {
			v.Error = err.Error()
		}
		v.Plan = p
	}
	d.render(w, r, http.StatusOK, "activate", v)
}
