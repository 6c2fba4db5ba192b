package ascapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Version is an appStoreVersion. States are plain strings: Apple adds values between spec
// versions.
type Version struct {
	ID              string `json:"-"`
	Platform        string `json:"platform"`
	VersionString   string `json:"versionString"`
	AppVersionState string `json:"appVersionState"`
	// AppStoreState is deprecated by Apple; prefer AppVersionState.
	AppStoreState string `json:"appStoreState"`
	CreatedDate   string `json:"createdDate"`
}

// VersionListOptions filters Versions.List; empty fields do not filter.
type VersionListOptions struct {
	Platform      string
	States        []string // appVersionState values
	VersionString string
}

// VersionUpdate holds the attributes a PATCH changes; nil fields are left alone.
type VersionUpdate struct {
	VersionString *string `json:"versionString,omitempty"`
	Copyright     *string `json:"copyright,omitempty"`
	ReleaseType   *string `json:"releaseType,omitempty"`
}

// VersionsService reads and writes appStoreVersions. It is safe for concurrent use.
type VersionsService struct{ service }

func decodeVersion(r resource) (*Version, error) {
	v := &Version{ID: r.ID}
	return v, decodeAttrs(r, v)
}

// versionFields are the appStoreVersions attributes StoreSyncer reads.
const versionFields = "platform,versionString,appVersionState,appStoreState,createdDate"

// versionQuery is the query of a version listing filtered by opt (nil: all).
func versionQuery(opt *VersionListOptions) url.Values {
	q := url.Values{}
	q.Set("fields[appStoreVersions]", versionFields)
	if opt != nil {
		if opt.Platform != "" {
			q.Set("filter[platform]", opt.Platform)
		}
		if len(opt.States) > 0 {
			q.Set("filter[appVersionState]", strings.Join(opt.States, ","))
		}
		if opt.VersionString != "" {
			q.Set("filter[versionString]", opt.VersionString)
		}
	}
	return q
}

// List returns the app's versions matching opt (nil: all), following pagination.
func (s *VersionsService) List(ctx context.Context, appID string, opt *VersionListOptions) ([]*Version, *Response, error) {
	q := versionQuery(opt)
	data, _, resp, err := s.c.getAll(ctx, "v1/apps/"+url.PathEscape(appID)+"/appStoreVersions", q)
	if err != nil {
		return nil, resp, fmt.Errorf("list versions of app %s: %w", appID, err)
	}
	out := make([]*Version, 0, len(data))
	for _, r := range data {
		v, err := decodeVersion(r)
		if err != nil {
			return nil, resp, fmt.Errorf("list versions of app %s: %w", appID, err)
		}
		out = append(out, v)
	}
	return out, resp, nil
}

// ListWithApp is List that also returns the app the versions belong to, as App Store Connect
// knows it (include=app, in the same request), so a caller can check that an app ID really
// is the app it expects before writing. The app is nil when no version matched opt.
func (s *VersionsService) ListWithApp(ctx context.Context, appID string, opt *VersionListOptions) ([]*Version, *App, *Response, error) {
	q := versionQuery(opt)
	q.Set("fields[appStoreVersions]", versionFields+",app")
	q.Set("include", "app")
	q.Set("fields[apps]", "bundleId")
	data, inc, resp, err := s.c.getAll(ctx, "v1/apps/"+url.PathEscape(appID)+"/appStoreVersions", q)
	if err != nil {
		return nil, nil, resp, fmt.Errorf("list versions of app %s: %w", appID, err)
	}
	out := make([]*Version, 0, len(data))
	for _, r := range data {
		v, err := decodeVersion(r)
		if err != nil {
			return nil, nil, resp, fmt.Errorf("list versions of app %s: %w", appID, err)
		}
		out = append(out, v)
	}
	var app *App
	for _, r := range inc {
		if r.Type == "apps" {
			if app, err = decodeApp(r); err != nil {
				return nil, nil, resp, fmt.Errorf("list versions of app %s: %w", appID, err)
			}
		}
	}
	return out, app, resp, nil
}

// Get returns one version.
func (s *VersionsService) Get(ctx context.Context, id string) (*Version, *Response, error) {
	r, _, resp, err := s.c.getOne(ctx, "v1/appStoreVersions/"+url.PathEscape(id), nil)
	if err != nil {
		return nil, resp, fmt.Errorf("get version %s: %w", id, err)
	}
	v, err := decodeVersion(r)
	return v, resp, err
}

// Create creates a version of the app. App Store Connect answers 409
// (ENTITY_ERROR.RELATIONSHIP.INVALID) while another version is open.
func (s *VersionsService) Create(ctx context.Context, appID, platform, versionString string) (*Version, *Response, error) {
	body := writeBody{
		Type:          "appStoreVersions",
		Attributes:    map[string]string{"platform": platform, "versionString": versionString},
		Relationships: rel("app", "apps", appID),
	}
	r, resp, err := s.c.write(ctx, http.MethodPost, "v1/appStoreVersions", body)
	if err != nil {
		return nil, resp, fmt.Errorf("create version %s of app %s: %w", versionString, appID, err)
	}
	v, err := decodeVersion(r)
	return v, resp, err
}

// Update changes the version's attributes set in u.
func (s *VersionsService) Update(ctx context.Context, id string, u VersionUpdate) (*Version, *Response, error) {
	body := writeBody{Type: "appStoreVersions", ID: id, Attributes: u}
	r, resp, err := s.c.write(ctx, http.MethodPatch, "v1/appStoreVersions/"+url.PathEscape(id), body)
	if err != nil {
		return nil, resp, fmt.Errorf("update version %s: %w", id, err)
	}
	v, err := decodeVersion(r)
	return v, resp, err
}
