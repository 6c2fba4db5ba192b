package ascapi

import (
	"net/url"
	"strings"
)

// endpoint returns u's path relative to the base URL with the resource ID replaced by {id}:
// "/v1/appScreenshotSets/{id}/relationships/appScreenshots". App Store Connect paths are
// /v<n>/<type>[/<id>[/<relationship>|/relationships/<relationship>]].
func (c *Client) endpoint(u *url.URL) string {
	p := strings.TrimPrefix(u.Path, strings.TrimSuffix(c.baseURL.Path, "/"))
	segs := strings.Split(strings.Trim(p, "/"), "/")
	if len(segs) >= 3 {
		segs[2] = "{id}"
	}
	return "/" + strings.Join(segs, "/")
}
