// Package dashboard is the daemon's web page: the apps with their versions and collections,
// each collection's texts and galleries, and the sync queue with approvals and conflicts. It is
// served under / on the daemon's loopback API address; every edit writes the collection's
// files (the folder stays the one source of truth) and every action runs the one command path
// the CLI uses. It keeps no sync logic of its own.
package dashboard

import (
	"context"
	"crypto/rand"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/statusapi"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// Reader is the daemon's read side the pages show.
type Reader interface {
	// Status returns a snapshot of the daemon.
	Status(ctx context.Context) statusapi.Status
	// Jobs returns the persisted jobs, oldest first.
	Jobs(ctx context.Context) ([]statusapi.Job, error)
	// History returns up to limit entries for app ("" for all), newest first.
	History(ctx context.Context, app string, limit int, before int64) ([]statusapi.HistoryEntry, error)
	// Subscribe returns the daemon's events as they happen and a function that ends it.
	Subscribe(ctx context.Context) (<-chan statusapi.Event, func())
}

// Commands runs a command of the one command path by name, with its JSON request, as POST
// /api/v1/commands/{name} does. A command that ran and failed is an OpResult with a non-zero
// ExitCode; the error is for a command that could not be run at all.
type Commands interface {
	Command(ctx context.Context, name string, body []byte) (statusapi.OpResult, error)
}

// Config configures New. Workspace, Reader, Commands and TokenFile are required.
type Config struct {
	// Workspace is the folder of apps whose collections the pages show and edit.
	Workspace *workspace.Workspace
	// Collection carries the config's extra locales, display types and quiet codes; the
	// platform is taken from each app.
	Collection collection.Options
	Reader     Reader
	Commands   Commands
	// Versions lists an app's App Store versions for the app page; nil leaves them out.
	Versions func(ctx context.Context, bundleID string) ([]VersionInfo, error)
	// RemoteTexts returns App Store Connect's values of an app's text keys, shown beside the
	// folder's in a conflict; nil leaves that side out.
	RemoteTexts func(ctx context.Context, app string, keys []string) (map[string]string, error)
	// RemoteImages returns App Store Connect's screenshots of a set key (Apple's renders), shown
	// beside the folder's in a media conflict; nil leaves that side out.
	RemoteImages func(ctx context.Context, app, key string) ([][]byte, error)
	// PlanActivation says what activating collection would change, for the page that asks
	// before it does; nil activates without showing it.
	PlanActivation func(ctx context.Context, app, collection string) (ActivationPlan, error)
	// TokenFile holds the API token, which the login form also accepts.
	TokenFile string
	// ThumbDir caches thumbnails; empty keeps them in memory only.
	ThumbDir string
	// Logger receives the page's logs; nil discards them. Codes and tokens never reach it.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Rand is the randomness of codes, sessions and CSRF tokens; nil means crypto/rand.
	Rand io.Reader
	// Team turns invitations (/invite/CODE) into members with a session and checks member
	// sessions; nil leaves the team out.
	Team Team
}

// Dashboard serves the page. Make one with New; it is safe for concurrent use.
type Dashboard struct {
	cfg    Config
	log    *slog.Logger
	tmpl   *template.Template
	auth   *auth
	thumbs *thumbs
	remote remoteCache
	mux    *http.ServeMux
}

// New checks cfg and builds the page's handler.
func New(cfg Config) (*Dashboard, error) {
	if cfg.Workspace == nil || cfg.Reader == nil || cfg.Commands == nil || cfg.TokenFile == "" {
		return nil, errors.New("dashboard: Workspace, Reader, Commands and TokenFile are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	tmpl, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("dashboard templates: %w", err)
	}
	d := &Dashboard{
		cfg:    cfg,
		log:    cfg.Logger.With("component", "dashboard"),
		tmpl:   tmpl,
		auth:   newAuth(cfg.Now, cfg.Rand),
		thumbs: newThumbs(cfg.ThumbDir),
	}
	d.mux = d.routes()
	return d, nil
}

// LoginCode returns a new single-use login code, valid for CodeLifetime. `storesyncer
// dashboard` and `demo` turn it into the URL /login?code=….
func (d *Dashboard) LoginCode() (string, error) { return d.auth.newCode() }

// ServeHTTP serves the page's paths (everything but /api/, /healthz and /metrics).
func (d *Dashboard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	d.mux.ServeHTTP(w, r)
}

func (d *Dashboard) routes() *http.ServeMux {
	m := http.NewServeMux()
	assets, _ := fs.Sub(assetFS, "assets")
	m.Handle("GET /assets/", http.StripPrefix("/assets/", http.FileServerFS(assets)))
	m.HandleFunc("GET /login", d.loginPage)
	m.HandleFunc("POST /login", d.loginToken)
	m.HandleFunc("GET /invite/{code}", d.invitePage)
	m.HandleFunc("POST /invite/{code}", d.inviteJoin)
	m.Handle("POST /logout", d.post(d.logout))
	m.Handle("GET /{$}", d.page(d.appsPage))
	m.Handle("GET /events", d.page(d.events))
	m.Handle("GET /apps/{app}", d.page(d.appPage))
	m.Handle("POST /apps/{app}/versions", d.post(d.createVersion))
	m.Handle("GET /apps/{app}/activate", d.page(d.activatePage))
	m.Handle("POST /apps/{app}/activate", d.post(d.activate))
	m.Handle("POST /apps/{app}/collections", d.post(d.createCollection))
	m.Handle("GET /apps/{app}/template.zip", d.page(d.templateZip))
	m.Handle("GET /apps/{app}/c/{coll}", d.page(d.collectionPage))
	m.Handle("GET /apps/{app}/c/{coll}/export.zip", d.page(d.exportZip))
	m.Handle("GET /apps/{app}/c/{coll}/thumb", d.page(d.thumb))
	m.Handle("POST /apps/{app}/c/{coll}/text", d.post(d.editText))
	m.Handle("POST /apps/{app}/c/{coll}/locales", d.post(d.addLocale))
	m.Handle("POST /apps/{app}/c/{coll}/locales/remove", d.post(d.removeLocale))
	m.Handle("POST /apps/{app}/c/{coll}/media", d.post(d.uploadMedia))
	m.Handle("POST /apps/{app}/c/{coll}/media/delete", d.post(d.deleteMedia))
	m.Handle("POST /apps/{app}/c/{coll}/media/reorder", d.post(d.reorderMedia))
	m.Handle("GET /sync", d.page(d.syncPage))
	m.Handle("POST /sync/{action}", d.post(d.syncAction))
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		d.fail(w, r, http.StatusNotFound, "no such page: "+r.URL.Path)
	})
	return m
}
