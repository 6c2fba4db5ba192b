package ascapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// AssetKind says whether an asset is a screenshot or an app preview.
type AssetKind int

// The asset kinds.
const (
	KindScreenshot AssetKind = iota
	KindPreview
)

// String returns "screenshot" or "preview".
func (k AssetKind) String() string { return k.desc().what }

// mediaKind names the resource types of one asset kind.
type mediaKind struct {
	what      string // "screenshot"
	typ       string // "appScreenshots"
	setTyp    string // "appScreenshotSets"
	setRel    string // "appScreenshotSet": the asset's relationship to its set
	typeAttr  string // "screenshotDisplayType"
	maxInline int    // limit[...] for included assets
	// fields are the asset attributes a read asks for (fields[appScreenshots]): what Asset
	// holds, so the answer carries no asset token, type or set relationship it would drop.
	fields string
}

var (
	screenshotKind = mediaKind{"screenshot", "appScreenshots", "appScreenshotSets", "appScreenshotSet", "screenshotDisplayType", 50,
		"fileSize,fileName,sourceFileChecksum,imageAsset,uploadOperations,assetDeliveryState"}
	previewKind = mediaKind{"preview", "appPreviews", "appPreviewSets", "appPreviewSet", "previewType", 50,
		"fileSize,fileName,sourceFileChecksum,previewFrameTimeCode,mimeType,videoUrl,previewFrameImage,uploadOperations,assetDeliveryState,videoDeliveryState"}
)

func (k AssetKind) desc() mediaKind {
	if k == KindPreview {
		return previewKind
	}
	return screenshotKind
}

// rawSet is a set with its assets in display order.
type rawSet struct {
	id, setType string
	assets      []assetResource
}

// listSets lists a version localization's sets of kind k with their assets in the order of
// each set's relationship linkage. A set whose linkage is truncated (more than the included
// limit) or not fully included is completed with a request for its assets.
func (c *Client) listSets(ctx context.Context, k mediaKind, locID string) ([]rawSet, *Response, error) {
	q := url.Values{}
	q.Set("include", k.typ)
	q.Set("limit["+k.typ+"]", fmt.Sprint(k.maxInline))
	q.Set("fields["+k.setTyp+"]", k.typeAttr+","+k.typ)
	q.Set("fields["+k.typ+"]", k.fields)
	data, inc, resp, err := getAllOf[assetResource](ctx, c, "v1/appStoreVersionLocalizations/"+url.PathEscape(locID)+"/"+k.setTyp, q)
	if err != nil {
		return nil, resp, fmt.Errorf("list %s sets of localization %s: %w", k.what, locID, err)
	}
	idx := make(map[string]*assetResource, len(inc))
	for i := range inc {
		idx[inc[i].Type+"/"+inc[i].ID] = &inc[i]
	}
	sets := make([]rawSet, 0, len(data))
	for _, r := range data {
		var attrs map[string]any
		if err := decodeAttrs(r, &attrs); err != nil {
			return nil, resp, fmt.Errorf("list %s sets of localization %s: %w", k.what, locID, err)
		}
		s := rawSet{id: r.ID}
		s.setType, _ = attrs[k.typeAttr].(string)
		complete := false
		if rl, ok := r.Relationships[k.typ]; ok && len(rl.Data) > 0 {
			links, err := rl.linkages()
			if err != nil {
				return nil, resp, fmt.Errorf("%s set %s: %w", k.what, r.ID, err)
			}
			complete = len(links) < k.maxInline && (rl.Meta == nil || rl.Meta.Paging.Total <= len(links))
			for _, l := range links {
				a, ok := idx[k.typ+"/"+l.ID]
				if !ok {
					complete = false
					break
				}
				s.assets = append(s.assets, *a)
			}
		}
		if !complete {
			s.assets, resp, err = c.listSetAssets(ctx, k, r.ID)
			if err != nil {
				return nil, resp, err
			}
		}
		sets = append(sets, s)
	}
	return sets, resp, nil
}

// listSetAssets lists a set's assets through its related endpoint, in display order.
func (c *Client) listSetAssets(ctx context.Context, k mediaKind, setID string) ([]assetResource, *Response, error) {
	q := url.Values{}
	q.Set("fields["+k.typ+"]", k.fields)
	data, _, resp, err := c.getAll(ctx, "v1/"+k.setTyp+"/"+url.PathEscape(setID)+"/"+k.typ, q)
	if err != nil {
		return nil, resp, fmt.Errorf("list %ss of set %s: %w", k.what, setID, err)
	}
	out := make([]assetResource, 0, len(data))
	for _, r := range data {
		ar, err := toAssetResource(r)
		if err != nil {
			return nil, resp, fmt.Errorf("list %ss of set %s: %w", k.what, setID, err)
		}
		out = append(out, ar)
	}
	return out, resp, nil
}

func (c *Client) createSet(ctx context.Context, k mediaKind, locID, setType string) (string, *Response, error) {
	body := writeBody{
		Type:          k.setTyp,
		Attributes:    map[string]string{k.typeAttr: setType},
		Relationships: rel("appStoreVersionLocalization", "appStoreVersionLocalizations", locID),
	}
	r, resp, err := c.write(ctx, http.MethodPost, "v1/"+k.setTyp, body)
	if err != nil {
		return "", resp, fmt.Errorf("create %s set %s in localization %s: %w", k.what, setType, locID, err)
	}
	return r.ID, resp, nil
}

func (c *Client) deleteRes(ctx context.Context, typ, what, id string) (*Response, error) {
	resp, err := c.del(ctx, "v1/"+typ+"/"+url.PathEscape(id))
	if err != nil {
		return resp, fmt.Errorf("delete %s %s: %w", what, id, err)
	}
	return resp, nil
}

// reorder replaces the set's asset linkage with ids, in that order. App Store Connect treats
// it as a full replace, so ids must hold every asset of the set.
func (c *Client) reorder(ctx context.Context, k mediaKind, setID string, ids []string) (*Response, error) {
	links := make([]linkage, len(ids))
	for i, id := range ids {
		links[i] = linkage{Type: k.typ, ID: id}
	}
	path := "v1/" + k.setTyp + "/" + url.PathEscape(setID) + "/relationships/" + k.typ
	resp, err := c.do(ctx, request{method: http.MethodPatch, path: path, body: map[string]any{"data": links}}, nil)
	if err != nil {
		return resp, fmt.Errorf("reorder %s set %s: %w", k.what, setID, err)
	}
	return resp, nil
}

func (c *Client) getAsset(ctx context.Context, k mediaKind, id string) (resource, *Response, error) {
	r, _, resp, err := c.getOne(ctx, "v1/"+k.typ+"/"+url.PathEscape(id), nil)
	if err != nil {
		return r, resp, fmt.Errorf("get %s %s: %w", k.what, id, err)
	}
	return r, resp, nil
}

// reserve creates an asset placeholder in the set and returns it with its upload operations.
func (c *Client) reserve(ctx context.Context, k mediaKind, setID, fileName string, size int64, extra map[string]any) (resource, *Response, error) {
	attrs := map[string]any{"fileName": fileName, "fileSize": size}
	for key, v := range extra {
		attrs[key] = v
	}
	body := writeBody{Type: k.typ, Attributes: attrs, Relationships: rel(k.setRel, k.setTyp, setID)}
	r, resp, err := c.write(ctx, http.MethodPost, "v1/"+k.typ, body)
	if err != nil {
		return r, resp, fmt.Errorf("reserve %s %s in set %s: %w", k.what, fileName, setID, err)
	}
	return r, resp, nil
}

// commit marks the asset uploaded with the MD5 (lowercase hex) of the whole file.
func (c *Client) commit(ctx context.Context, k mediaKind, id, md5hex string) (resource, *Response, error) {
	body := writeBody{Type: k.typ, ID: id, Attributes: map[string]any{"uploaded": true, "sourceFileChecksum": md5hex}}
	r, resp, err := c.write(ctx, http.MethodPatch, "v1/"+k.typ+"/"+url.PathEscape(id), body)
	if err != nil {
		return r, resp, fmt.Errorf("commit %s %s: %w", k.what, id, err)
	}
	return r, resp, nil
}
