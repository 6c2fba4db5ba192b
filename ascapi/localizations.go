package ascapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// AppInfoLocalizationAttributes are an appInfoLocalization's texts. In a PATCH only non-nil
// fields are sent; Locale is sent on create only (it is immutable).
type AppInfoLocalizationAttributes struct {
	Locale            string  `json:"locale,omitempty"`
	Name              *string `json:"name,omitempty"`
	Subtitle          *string `json:"subtitle,omitempty"`
	PrivacyPolicyURL  *string `json:"privacyPolicyUrl,omitempty"`
	PrivacyChoicesURL *string `json:"privacyChoicesUrl,omitempty"`
	PrivacyPolicyText *string `json:"privacyPolicyText,omitempty"`
}

// AppInfoLocalization is one locale of an appInfo. Nil fields were null on App Store Connect.
type AppInfoLocalization struct {
	ID string
	AppInfoLocalizationAttributes
}

// VersionLocalizationAttributes are an appStoreVersionLocalization's texts. In a PATCH only
// non-nil fields are sent; Locale is sent on create only.
type VersionLocalizationAttributes struct {
	Locale          string  `json:"locale,omitempty"`
	Description     *string `json:"description,omitempty"`
	Keywords        *string `json:"keywords,omitempty"`
	WhatsNew        *string `json:"whatsNew,omitempty"`
	PromotionalText *string `json:"promotionalText,omitempty"`
	MarketingURL    *string `json:"marketingUrl,omitempty"`
	SupportURL      *string `json:"supportUrl,omitempty"`
}

// VersionLocalization is one locale of an appStoreVersion.
type VersionLocalization struct {
	ID string
	VersionLocalizationAttributes
	// Sets counts the localization's screenshot and preview sets when the listing asked for
	// them (ListWithSets) and App Store Connect gave both relationships' linkage; nil when
	// not known.
	Sets *SetCounts
}

// SetCounts is how many screenshot and preview sets a version localization has.
type SetCounts struct {
	Screenshots, Previews int
}

// AppInfoLocalizationsService reads and writes appInfoLocalizations. It is safe for
// concurrent use.
type AppInfoLocalizationsService struct{ service }

// VersionLocalizationsService reads and writes appStoreVersionLocalizations. It is safe for
// concurrent use.
type VersionLocalizationsService struct{ service }

// locKind describes one localization resource type for the shared helpers below.
type locKind struct {
	typ, parentType, parentRel, parentPath, listRel, what string
}

var (
	appInfoLocKind = locKind{"appInfoLocalizations", "appInfos", "appInfo", "v1/appInfos/", "appInfoLocalizations", "app info localization"}
	versionLocKind = locKind{"appStoreVersionLocalizations", "appStoreVersions", "appStoreVersion", "v1/appStoreVersions/", "appStoreVersionLocalizations", "version localization"}
)

func listLocs[T any](ctx context.Context, c *Client, k locKind, parentID string, mk func(id string) (*T, any)) ([]*T, *Response, error) {
	return listLocsQuery(ctx, c, k, parentID, nil, mk, nil)
}

// listLocsQuery is listLocs with query parameters q; each, when set, sees every resource with
// the localization made of it.
func listLocsQuery[T any](ctx context.Context, c *Client, k locKind, parentID string, q url.Values, mk func(id string) (*T, any), each func(resource, *T)) ([]*T, *Response, error) {
	data, _, resp, err := c.getAll(ctx, k.parentPath+url.PathEscape(parentID)+"/"+k.listRel, q)
	if err != nil {
		return nil, resp, fmt.Errorf("list %ss of %s: %w", k.what, parentID, err)
	}
	out := make([]*T, 0, len(data))
	for _, r := range data {
		t, attrs := mk(r.ID)
		if err := decodeAttrs(r, attrs); err != nil {
			return nil, resp, fmt.Errorf("list %ss of %s: %w", k.what, parentID, err)
		}
		if each != nil {
			each(r, t)
		}
		out = append(out, t)
	}
	return out, resp, nil
}

func writeLoc[T any](ctx context.Context, c *Client, k locKind, method, id, parentID string, attrs any, mk func(id string) (*T, any)) (*T, *Response, error) {
	body := writeBody{Type: k.typ, ID: id, Attributes: attrs}
	path := "v1/" + k.typ
	what := "update " + k.what + " " + id
	if method == http.MethodPost {
		body.Relationships = rel(k.parentRel, k.parentType, parentID)
		what = "create " + k.what + " in " + parentID
	} else {
		path += "/" + url.PathEscape(id)
	}
	r, resp, err := c.write(ctx, method, path, body)
	if err != nil {
		return nil, resp, fmt.Errorf("%s: %w", what, err)
	}
	t, dst := mk(r.ID)
	if err := decodeAttrs(r, dst); err != nil {
		return nil, resp, fmt.Errorf("%s: %w", what, err)
	}
	return t, resp, nil
}

func newAppInfoLoc(id string) (*AppInfoLocalization, any) {
	l := &AppInfoLocalization{ID: id}
	return l, &l.AppInfoLocalizationAttributes
}

func newVersionLoc(id string) (*VersionLocalization, any) {
	l := &VersionLocalization{ID: id}
	return l, &l.VersionLocalizationAttributes
}

// List returns every localization of the appInfo.
func (s *AppInfoLocalizationsService) List(ctx context.Context, appInfoID string) ([]*AppInfoLocalization, *Response, error) {
	return listLocs(ctx, s.c, appInfoLocKind, appInfoID, newAppInfoLoc)
}

// Create adds a locale to the appInfo; a.Locale and a.Name are required by App Store Connect.
// An existing locale gives 409 ENTITY_ERROR.ATTRIBUTE.INVALID.DUPLICATE.
func (s *AppInfoLocalizationsService) Create(ctx context.Context, appInfoID string, a AppInfoLocalizationAttributes) (*AppInfoLocalization, *Response, error) {
	return writeLoc(ctx, s.c, appInfoLocKind, http.MethodPost, "", appInfoID, a, newAppInfoLoc)
}

// Update sends the non-nil fields of a (a.Locale is ignored).
func (s *AppInfoLocalizationsService) Update(ctx context.Context, id string, a AppInfoLocalizationAttributes) (*AppInfoLocalization, *Response, error) {
	a.Locale = ""
	return writeLoc(ctx, s.c, appInfoLocKind, http.MethodPatch, id, "", a, newAppInfoLoc)
}

// Delete removes the localization.
func (s *AppInfoLocalizationsService) Delete(ctx context.Context, id string) (*Response, error) {
	resp, err := s.c.del(ctx, "v1/appInfoLocalizations/"+url.PathEscape(id))
	if err != nil {
		return resp, fmt.Errorf("delete app info localization %s: %w", id, err)
	}
	return resp, nil
}

// List returns the localizations of the version: every one, or with locales only those of
// these locales (filter[locale]; one request all the same).
func (s *VersionLocalizationsService) List(ctx context.Context, versionID string, locales ...string) ([]*VersionLocalization, *Response, error) {
	return listLocsQuery(ctx, s.c, versionLocKind, versionID, localeFilter(nil, locales), newVersionLoc, nil)
}

// localeFilter adds filter[locale] for locales to q (made when nil); without locales it
// returns q as it is.
func localeFilter(q url.Values, locales []string) url.Values {
	if len(locales) == 0 {
		return q
	}
	if q == nil {
		q = url.Values{}
	}
	q.Set("filter[locale]", strings.Join(locales, ","))
	return q
}

// ListWithSets returns every localization of the version, like List, with how many screenshot
// and preview sets each has (VersionLocalization.Sets), in the same requests: the sets are
// included (include=appScreenshotSets,appPreviewSets), so a caller can skip the sets of a
// localization that has none. With locales it lists only those, as List does.
func (s *VersionLocalizationsService) ListWithSets(ctx context.Context, versionID string, locales ...string) ([]*VersionLocalization, *Response, error) {
	q := localeFilter(url.Values{}, locales)
	q.Set("include", screenshotKind.setTyp+","+previewKind.setTyp)
	q.Set("limit["+screenshotKind.setTyp+"]", fmt.Sprint(maxIncludedSets))
	q.Set("limit["+previewKind.setTyp+"]", fmt.Sprint(maxIncludedSets))
	q.Set("fields["+screenshotKind.setTyp+"]", screenshotKind.typeAttr)
	q.Set("fields["+previewKind.setTyp+"]", previewKind.typeAttr)
	return listLocsQuery(ctx, s.c, versionLocKind, versionID, q, newVersionLoc, func(r resource, l *VersionLocalization) {
		shots, ok1 := setCount(r, screenshotKind.setTyp)
		prevs, ok2 := setCount(r, previewKind.setTyp)
		if ok1 && ok2 {
			l.Sets = &SetCounts{Screenshots: shots, Previews: prevs}
		}
	})
}

// maxIncludedSets is Apple's limit on included sets per localization (limit[appScreenshotSets]).
const maxIncludedSets = 50

// setCount returns the number of resources a to-many relationship of r links to, and false
// when r carries no linkage for it (then the count is unknown).
func setCount(r resource, rel string) (int, bool) {
	rl, ok := r.Relationships[rel]
	if !ok || len(rl.Data) == 0 {
		return 0, false
	}
	links, err := rl.linkages()
	if err != nil {
		return 0, false
	}
	if rl.Meta != nil && rl.Meta.Paging.Total > len(links) {
		return rl.Meta.Paging.Total, true
	}
	return len(links), true
}

// Create adds a locale to the version; a.Locale is required.
func (s *VersionLocalizationsService) Create(ctx context.Context, versionID string, a VersionLocalizationAttributes) (*VersionLocalization, *Response, error) {
	return writeLoc(ctx, s.c, versionLocKind, http.MethodPost, "", versionID, a, newVersionLoc)
}

// Update sends the non-nil fields of a (a.Locale is ignored). A field App Store Connect
// refuses (STATE_ERROR, TOO_LONG) fails the whole PATCH.
func (s *VersionLocalizationsService) Update(ctx context.Context, id string, a VersionLocalizationAttributes) (*VersionLocalization, *Response, error) {
	a.Locale = ""
	return writeLoc(ctx, s.c, versionLocKind, http.MethodPatch, id, "", a, newVersionLoc)
}

// Delete removes the localization.
func (s *VersionLocalizationsService) Delete(ctx context.Context, id string) (*Response, error) {
	resp, err := s.c.del(ctx, "v1/appStoreVersionLocalizations/"+url.PathEscape(id))
	if err != nil {
		return resp, fmt.Errorf("delete version localization %s: %w", id, err)
	}
	return resp, nil
}
