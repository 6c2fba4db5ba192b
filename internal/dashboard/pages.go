package dashboard

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/roles"
	"github.com/storesyncer/storesyncer/internal/safefile"
	"github.com/storesyncer/storesyncer/internal/statusapi"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// VersionInfo is one App Store version as the app page lists it.
type VersionInfo struct {
	String string
	State  string
	// Target marks the version StoreSyncer writes to; Live the one on the App Store.
	Target, Live bool
}

// Frame is what every page's frame needs.
type Frame struct {
	Title string
	CSRF  string
	// Nav is the current section ("apps", "sync") for aria-current.
	Nav    string
	Paused bool
	Queue  statusapi.Queue
	Flash  string
	// Can says which operations of the role table (roles.Op) the session's member may run
	// on their app, so pages hide what the role cannot do; Local may do all.
	Can map[string]bool
}

func (d *Dashboard) frame(r *http.Request, title, nav string, st statusapi.Status) Frame {
	l := Frame{Title: title, Nav: nav, Paused: st.Paused, Queue: st.Queue, Flash: r.URL.Query().Get("done"), Can: map[string]bool{}}
	c := callerOf(r.Context())
	for _, op := range roles.Ops {
		l.Can[string(op)] = grant(r.Context(), c.App, op).Allowed
	}
	if s := sessionOf(r.Context()); s != nil {
		l.CSRF = s.csrf
	}
	return l
}

var funcs = template.FuncMap{
	"ago": func(t *time.Time) string {
		if t == nil || t.IsZero() {
			return "never"
		}
		return t.Local().Format("2006-01-02 15:04:05")
	},
	"clock": func(t time.Time) string { return t.Local().Format("15:04:05") },
	"join":  strings.Join,
	"add":   func(a, b int) int { return a + b },
}

// render writes template name with data; a template error is the server's fault.
func (d *Dashboard) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := d.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		d.log.Error("render page", "page", name, "err", err)
		http.Error(w, "the page could not be drawn: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

type errorView struct {
	Frame
	Status  int
	Message string
}

// fail answers an error as a small page (or a fragment for htmx), never with a path or token.
func (d *Dashboard) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if r.Header.Get("HX-Request") != "" {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		_, _ = fmt.Fprintf(w, `<p class="error" role="alert">%s</p>`, template.HTMLEscapeString(msg))
		return
	}
	d.render(w, r, status, "error", errorView{Frame: Frame{Title: http.StatusText(status)}, Status: status, Message: msg})
}

// appRow is one app on the apps page.
type appRow struct {
	App       workspace.App
	Status    statusapi.AppStatus
	Jobs      int
	Problems  int
	Conflicts int
}

type appsView struct {
	Frame
	Apps  []appRow
	Error string
}

func (d *Dashboard) appRows(ctx context.Context, st statusapi.Status) ([]appRow, error) {
	apps, err := d.cfg.Workspace.Apps()
	var rows []appRow
	for _, a := range apps {
		row := appRow{App: a}
		for _, s := range st.Apps {
			if s.BundleID == a.BundleID {
				row.Status = s
			}
		}
		for _, p := range st.Problems {
			if p.App == a.BundleID && p.Severity == "error" {
				row.Problems++
			}
		}
		for _, c := range st.Conflicts {
			if c.App == a.BundleID {
				row.Conflicts++
			}
		}
		rows = append(rows, row)
	}
	if jobs, jerr := d.cfg.Reader.Jobs(ctx); jerr == nil {
		for i := range rows {
			for _, j := range jobs {
				if j.App == rows[i].App.BundleID {
					rows[i].Jobs++
				}
			}
		}
	}
	return rows, err
}

func (d *Dashboard) appsPage(w http.ResponseWriter, r *http.Request) {
	st := d.cfg.Reader.Status(r.Context())
	rows, err := d.appRows(r.Context(), st)
	if c := callerOf(r.Context()); !c.IsLocal() {
		// A member sees the app they belong to only.
		rows = slices.DeleteFunc(rows, func(a appRow) bool { return a.App.BundleID != c.App })
	}
	v := appsView{Frame: d.frame(r, "Apps", "apps", st), Apps: rows}
	if err != nil {
		v.Error = err.Error()
	}
	d.render(w, r, http.StatusOK, "apps", v)
}

type appView struct {
	Frame
	Row          appRow
	Versions     []VersionInfo
	VersionError string
	Collections  []string
	Problems     []statusapi.Problem
	Conflicts    []statusapi.Conflict
	History      []statusapi.HistoryEntry
}

// app returns the app named in the path, answering 404 itself when there is none.
func (d *Dashboard) app(w http.ResponseWriter, r *http.Request) (workspace.App, bool) {
	a, err := d.cfg.Workspace.App(r.PathValue("app"))
	if c := callerOf(r.Context()); err != nil || (!c.IsLocal() && c.App != a.BundleID) {
		d.fail(w, r, http.StatusNotFound, "no app "+r.PathValue("app")+" in the workspace")
		return workspace.App{}, false
	}
	return a, true
}

func (d *Dashboard) appPage(w http.ResponseWriter, r *http.Request) {
	a, ok := d.app(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	st := d.cfg.Reader.Status(ctx)
	rows, _ := d.appRows(ctx, st)
	v := appView{Frame: d.frame(r, a.BundleID, "apps", st)}
	for _, row := range rows {
		if row.App.BundleID == a.BundleID {
			v.Row = row
		}
	}
	v.Collections, _ = d.cfg.Workspace.Collections(a.BundleID)
	for _, p := range st.Problems {
		if p.App == a.BundleID {
			v.Problems = append(v.Problems, p)
		}
	}
	for _, c := range st.Conflicts {
		if c.App == a.BundleID {
			v.Conflicts = append(v.Conflicts, c)
		}
	}
	v.History, _ = d.cfg.Reader.History(ctx, a.BundleID, 10, 0)
	if d.cfg.Versions != nil {
		vs, err := d.cfg.Versions(ctx, a.BundleID)
		if err != nil {
			v.VersionError = err.Error()
		}
		v.Versions = vs
	}
	d.render(w, r, http.StatusOK, "app", v)
}

type syncView struct {
	Frame
	Jobs      []statusapi.Job
	Held      []statusapi.Job
	Failed    []statusapi.Job
	History   []statusapi.HistoryEntry
	Conflicts []conflictView
	Error     string
}

// conflictView is a conflict with the two sides a person decides between.
type conflictView struct {
	statusapi.Conflict
	// Text is true for a text key; Local is the file's content then.
	Text  bool
	Local string
	// Remote is App Store Connect's value when HaveRemote.
	Remote     string
	HaveRemote bool
	// Thumbs are the local images of a media key, as thumbnail URLs; RemoteThumbs App Store
	// Connect's, as data URLs of thumbnails.
	Thumbs       []string
	RemoteThumbs []template.URL
}

func (d *Dashboard) syncPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st := d.cfg.Reader.Status(ctx)
	v := syncView{Frame: d.frame(r, "Sync", "sync", st)}
	jobs, err := d.cfg.Reader.Jobs(ctx)
	if err != nil {
		v.Error = err.Error()
	}
	for _, j := range jobs {
		switch {
		case j.State == "failed":
			v.Failed = append(v.Failed, j)
		case j.WaitingFor == "approval":
			v.Held = append(v.Held, j)
		default:
			v.Jobs = append(v.Jobs, j)
		}
	}
	v.History, _ = d.cfg.Reader.History(ctx, callerOf(ctx).App, 30, 0) // a member's own app; Local's "" is every app
	for _, c := range st.Conflicts {
		v.Conflicts = append(v.Conflicts, d.conflictSides(c))
	}
	d.remoteSides(ctx, v.Conflicts)
	d.remoteImages(ctx, v.Conflicts)
	d.render(w, r, http.StatusOK, "sync", v)
}

// syncAction runs the sync page's buttons through the command path.
func (d *Dashboard) syncAction(w http.ResponseWriter, r *http.Request) {
	var (
		name string
		req  any
	)
	switch r.PathValue("action") {
	case "pause", "resume":
		name, req = r.PathValue("action"), struct{}{}
	case "approve":
		name, req = cmdApprove, approveRequest{App: r.FormValue("app"), Keys: formKeys(r)}
	case "retry":
		id, err := parseID(r.FormValue("job"))
		if err != nil {
			d.fail(w, r, http.StatusBadRequest, err.Error())
			return
		}
		name, req = cmdRetry, retryRequest{ID: id}
	case "resolve":
		keep := r.FormValue("keep")
		if keep != "local" && keep != "remote" {
			d.fail(w, r, http.StatusBadRequest, "keep must be local or remote")
			return
		}
		name, req = cmdResolve, resolveRequest{App: r.FormValue("app"), Keys: formKeys(r), Keep: keep}
	case "push":
		name, req = cmdPush, pushRequest{App: r.FormValue("app"), Yes: true}
	default:
		d.fail(w, r, http.StatusNotFound, "no such action")
		return
	}
	d.run(w, r, name, req, "/sync")
}

func formKeys(r *http.Request) []string {
	_ = r.ParseForm()
	return slices.DeleteFunc(slices.Clone(r.Form["key"]), func(k string) bool { return k == "" })
}

// conflictSides fills in what the folder holds for a conflict's key: the text, or the
// set's images as thumbnails.
func (d *Dashboard) conflictSides(c statusapi.Conflict) conflictView {
	v := conflictView{Conflict: c}
	a, err := d.cfg.Workspace.App(c.App)
	if err != nil {
		return v
	}
	parts, err := collection.ParseKey(collection.Key(c.Key))
	if err != nil {
		return v
	}
	dir := d.cfg.Workspace.CollectionDir(a.BundleID, a.Active)
	base := "/apps/" + a.BundleID + "/c/" + a.Active
	if parts.IsText() {
		v.Text = true
		if t, err := safefile.ReadFile(dir, parts.Field.Dir+"/"+parts.Locale+".txt"); err == nil {
			v.Local = strings.TrimSpace(string(t))
		}
		return v
	}
	col, _, err := collection.Load(dir, d.options(a))
	if err != nil {
		return v
	}
	if s, ok := col.Sets[collection.Key(c.Key)]; ok && s.Kind == collection.Screenshots {
		for _, as := range s.Assets {
			v.Thumbs = append(v.Thumbs, base+"/thumb?path="+as.Path)
		}
	}
	return v
}

// remoteSides fills in App Store Connect's text of each text conflict, one read per app.
func (d *Dashboard) remoteSides(ctx context.Context, cs []conflictView) {
	if d.cfg.RemoteTexts == nil {
		return
	}
	keys := map[string][]string{}
	for _, c := range cs {
		if c.Text {
			keys[c.App] = append(keys[c.App], c.Key)
		}
	}
	for app, ks := range keys {
		vals, err := d.cfg.RemoteTexts(ctx, app, ks)
		if err != nil {
			d.log.Warn("read App Store Connect's side of conflicts", "app", app, "err", err)
			continue
		}
		for i := range cs {
			if v, ok := vals[cs[i].Key]; ok && cs[i].App == app {
				cs[i].Remote, cs[i].HaveRemote = v, true
			}
		}
	}
}

// remoteImages fills in App Store Connect's screenshots of each media conflict, as thumbnails,
// remembered for a minute so the live page does not read the set on every event.
func (d *Dashboard) remoteImages(ctx context.Context, cs []conflictView) {
	if d.cfg.RemoteImages == nil {
		return
	}
	for i := range cs {
		if cs[i].Text {
			continue
		}
		thumbs, err := d.remote.get(cs[i].App+"\x00"+cs[i].Key, d.cfg.Now(), func() ([]template.URL, error) {
			imgs, err := d.cfg.RemoteImages(ctx, cs[i].App, cs[i].Key)
			if err != nil {
				return nil, err
			}
			var out []template.URL
			for _, b := range imgs {
				t, err := thumbOf(b)
				if err != nil {
					return nil, err
				}
				// The data URL is made here of a JPEG this process encoded, never of input.
				out = append(out, template.URL("data:image/jpeg;base64,"+base64.StdEncoding.EncodeToString(t)))
			}
			return out, nil
		})
		if err != nil {
			d.log.Warn("read App Store Connect's images of a conflict", "app", cs[i].App, "key", cs[i].Key, "err", err)
			continue
		}
		cs[i].RemoteThumbs = thumbs
	}
}
