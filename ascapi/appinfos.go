package ascapi

import (
	"context"
	"fmt"
	"net/url"
)

// AppInfo is an app-level record (type "appInfos"); an app usually has a live one and, while
// a version is open, an editable one.
type AppInfo struct {
	ID    string `json:"-"`
	State string `json:"state"`
	// AppStoreState is deprecated by Apple; prefer State.
	AppStoreState string `json:"appStoreState"`
}

// AppInfosService reads appInfos. It is safe for concurrent use.
type AppInfosService struct{ service }

// List returns the app's appInfos.
func (s *AppInfosService) List(ctx context.Context, appID string) ([]*AppInfo, *Response, error) {
	q := url.Values{}
	q.Set("fields[appInfos]", "state,appStoreState")
	data, _, resp, err := s.c.getAll(ctx, "v1/apps/"+url.PathEscape(appID)+"/appInfos", q)
	if err != nil {
		return nil, resp, fmt.Errorf("list app infos of app %s: %w", appID, err)
	}
	out := make([]*AppInfo, 0, len(data))
	for _, r := range data {
		ai := &AppInfo{ID: r.ID}
		if err := decodeAttrs(r, ai); err != nil {
			return nil, resp, fmt.Errorf("list app infos of app %s: %w", appID, err)
		}
		out = append(out, ai)
	}
	return out, resp, nil
}
