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
	// Localizations are the appInfo's localizations; only ListWithLocalizations fills them.
	Localizations []*AppInfoLocalization `json:"-"`
}

// maxInlineInfoLocs is Apple's limit on included appInfoLocalizations per appInfo.
const maxInlineInfoLocs = 50

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

// ListWithLocalizations returns the app's appInfos with their localizations, in one request
// (include=appInfoLocalizations) when they fit Apple's include limit of 50; an appInfo with
// more is completed with a request for its localizations.
func (s *AppInfosService) ListWithLocalizations(ctx context.Context, appID string) ([]*AppInfo, *Response, error) {
	q := url.Values{}
	q.Set("fields[appInfos]", "state,appStoreState,appInfoLocalizations")
	q.Set("include", "appInfoLocalizations")
	q.Set("limit[appInfoLocalizations]", fmt.Sprint(maxInlineInfoLocs))
	data, inc, resp, err := s.c.getAll(ctx, "v1/apps/"+url.PathEscape(appID)+"/appInfos", q)
	if err != nil {
		return nil, resp, fmt.Errorf("list app infos of app %s: %w", appID, err)
	}
	idx := indexIncluded(inc)
	out := make([]*AppInfo, 0, len(data))
	for _, r := range data {
		ai := &AppInfo{ID: r.ID}
		if err := decodeAttrs(r, ai); err != nil {
			return nil, resp, fmt.Errorf("list app infos of app %s: %w", appID, err)
		}
		complete := false
		if rl, ok := r.Relationships["appInfoLocalizations"]; ok && len(rl.Data) > 0 {
			links, err := rl.linkages()
			if err != nil {
				return nil, resp, fmt.Errorf("app info %s: %w", r.ID, err)
			}
			// The paging total tells a full page of exactly the limit from a truncated one.
			if rl.Meta != nil {
				complete = rl.Meta.Paging.Total <= len(links)
			} else {
				complete = len(links) < maxInlineInfoLocs
			}
			ai.Localizations = make([]*AppInfoLocalization, 0, len(links))
			for _, l := range links {
				inc, ok := idx["appInfoLocalizations/"+l.ID]
				if !ok {
					complete = false
					break
				}
				loc, attrs := newAppInfoLoc(inc.ID)
				if err := decodeAttrs(inc, attrs); err != nil {
					return nil, resp, fmt.Errorf("app info %s: %w", r.ID, err)
				}
				ai.Localizations = append(ai.Localizations, loc)
			}
		}
		if !complete {
			ai.Localizations, resp, err = s.c.AppInfoLocalizations.List(ctx, r.ID)
			if err != nil {
				return nil, resp, err
			}
		}
		out = append(out, ai)
	}
	return out, resp, nil
}
