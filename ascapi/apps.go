package ascapi

import (
	"context"
	"fmt"
	"net/url"
)

// App is an App Store Connect app (type "apps").
type App struct {
	ID            string `json:"-"`
	Name          string `json:"name"`
	BundleID      string `json:"bundleId"`
	SKU           string `json:"sku"`
	PrimaryLocale string `json:"primaryLocale"`
}

// AppsService reads apps. It is safe for concurrent use.
type AppsService struct{ service }

func decodeApp(r resource) (*App, error) {
	a := &App{ID: r.ID}
	return a, decodeAttrs(r, a)
}

// FindByBundleID returns the app whose bundle ID is exactly bundleID. App Store Connect's
// filter[bundleId] also matches similar IDs, so the match is made here. No exact match gives
// an error matching ErrNotFound.
func (s *AppsService) FindByBundleID(ctx context.Context, bundleID string) (*App, *Response, error) {
	q := url.Values{}
	q.Set("filter[bundleId]", bundleID)
	q.Set("fields[apps]", "name,bundleId,sku,primaryLocale")
	data, _, resp, err := s.c.getAll(ctx, "v1/apps", q)
	if err != nil {
		return nil, resp, fmt.Errorf("find app %s: %w", bundleID, err)
	}
	for _, r := range data {
		a, err := decodeApp(r)
		if err != nil {
			return nil, resp, fmt.Errorf("find app %s: %w", bundleID, err)
		}
		if a.BundleID == bundleID {
			return a, resp, nil
		}
	}
	return nil, resp, fmt.Errorf("find app %s: no app with this bundle ID: %w", bundleID, ErrNotFound)
}

// Get returns the app with the given ID.
func (s *AppsService) Get(ctx context.Context, id string) (*App, *Response, error) {
	r, _, resp, err := s.c.getOne(ctx, "v1/apps/"+url.PathEscape(id), nil)
	if err != nil {
		return nil, resp, fmt.Errorf("get app %s: %w", id, err)
	}
	a, err := decodeApp(r)
	return a, resp, err
}

// List returns up to limit apps visible to the key (limit ≤ 0 means all pages).
func (s *AppsService) List(ctx context.Context, limit int) ([]*App, *Response, error) {
	q := url.Values{}
	q.Set("fields[apps]", "name,bundleId,sku,primaryLocale")
	var (
		data []resource
		resp *Response
		err  error
	)
	if limit > 0 {
		q.Set("limit", fmt.Sprint(limit))
		var doc document
		resp, err = s.c.do(ctx, request{method: "GET", path: "v1/apps", query: q}, &doc)
		if err == nil {
			err = jsonUnmarshal(nullToEmpty(doc.Data), &data)
		}
	} else {
		data, _, resp, err = s.c.getAll(ctx, "v1/apps", q)
	}
	if err != nil {
		return nil, resp, fmt.Errorf("list apps: %w", err)
	}
	apps := make([]*App, 0, len(data))
	for _, r := range data {
		a, err := decodeApp(r)
		if err != nil {
			return nil, resp, fmt.Errorf("list apps: %w", err)
		}
		apps = append(apps, a)
	}
	return apps, resp, nil
}
