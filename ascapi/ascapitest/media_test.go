package ascapitest

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"image"
	"image/jpeg"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func md5hex(b []byte) string { s := md5.Sum(b); return hex.EncodeToString(s[:]) }

// newSet creates an empty screenshot or preview set in the fr-FR localization of 1.1.
func (e *env) newSet(setType, typeAttr, typ string) string {
	e.tb.Helper()
	_, vID, _ := e.seeded("1.1", "en-US")
	loc := e.must(201, "POST", "/v1/appStoreVersionLocalizations", resource("appStoreVersionLocalizations", "",
		map[string]any{"locale": "fr-FR"}, map[string][2]string{"appStoreVersion": {"appStoreVersions", vID}}))
	set := e.must(201, "POST", "/v1/"+setType, resource(setType, "", map[string]any{typeAttr: typ},
		map[string][2]string{"appStoreVersionLocalization": {"appStoreVersionLocalizations", id(loc.data())}}))
	return id(set.data())
}

func (e *env) reserve(setID, name string, size int) reply {
	e.tb.Helper()
	return e.do("POST", "/v1/appScreenshots", resource("appScreenshots", "", map[string]any{"fileName": name, "fileSize": size},
		map[string][2]string{"appScreenshotSet": {"appScreenshotSets", setID}}))
}

func (e *env) commit(aid string, sum string) reply {
	e.tb.Helper()
	return e.do("PATCH", "/v1/appScreenshots/"+aid, resource("appScreenshots", aid, map[string]any{"uploaded": true, "sourceFileChecksum": sum}, nil))
}

func deliveryState(res map[string]any) string {
	st, _ := attr(res, "assetDeliveryState").(map[string]any)
	s, _ := st["state"].(string)
	return s
}

func TestScreenshotUploadProcessing(t *testing.T) {
	e := start(t, true, func(s *Server) { s.PartSize = 100_000; s.ProcessAfterReads = 3 })
	setID := e.newSet("appScreenshotSets", "screenshotDisplayType", "APP_IPHONE_67")
	png := SamplePNG(1290, 2796, 4)
	r := e.reserve(setID, "01.png", len(png))
	if r.status != 201 {
		t.Fatalf("reserve = %d %s", r.status, r.raw)
	}
	res := r.data()
	ops := attr(res, "uploadOperations").([]any)
	if want := (len(png) + 99_999) / 100_000; len(ops) != want {
		t.Errorf("upload operations = %d, want %d", len(ops), want)
	}
	op0 := ops[0].(map[string]any)
	if !strings.Contains(op0["url"].(string), "/upload/") || !strings.Contains(op0["url"].(string), "Expires=") {
		t.Errorf("upload URL = %v", op0["url"])
	}
	if deliveryState(res) != "AWAITING_UPLOAD" || attr(res, "sourceFileChecksum") != nil || attr(res, "imageAsset") != nil {
		t.Errorf("reservation = %s", mustJSON(res["attributes"]))
	}
	aid := id(res)
	e.putParts(res, png)
	c := e.commit(aid, md5hex(png))
	if c.status != 200 || deliveryState(c.data()) != "UPLOAD_COMPLETE" || attr(c.data(), "uploadOperations") != nil {
		t.Fatalf("commit = %d %s", c.status, mustJSON(c.data()["attributes"]))
	}
	var states []string
	var last map[string]any
	for i := 0; i < 3; i++ {
		last = e.must(200, "GET", "/v1/appScreenshots/"+aid, nil).data()
		states = append(states, deliveryState(last))
		if deliveryState(last) != "COMPLETE" && attr(last, "sourceFileChecksum") != nil {
			t.Errorf("checksum visible before COMPLETE")
		}
	}
	if diff := cmp.Diff([]string{"UPLOAD_COMPLETE", "UPLOAD_COMPLETE", "COMPLETE"}, states); diff != "" {
		t.Errorf("states per poll (-want +got):\n%s", diff)
	}
	if attr(last, "sourceFileChecksum") != md5hex(png) {
		t.Errorf("checksum = %v", attr(last, "sourceFileChecksum"))
	}
	if c := e.commit(aid, md5hex(png)); c.status != 409 || !strings.Contains(c.errDetail(), "Asset in Completed! can't be re-committed!") {
		t.Errorf("re-commit = %d %s", c.status, c.errDetail())
	}

	// Download through the template URL: re-encoded, never the uploaded bytes.
	tmpl := attr(last, "imageAsset").(map[string]any)["templateUrl"].(string)
	for _, f := range []struct {
		w, h int
		f    string
	}{{1290, 2796, "png"}, {300, 650, "jpg"}} {
		u := strings.NewReplacer("{w}", fmt.Sprint(f.w), "{h}", fmt.Sprint(f.h), "{f}", f.f).Replace(tmpl)
		d := e.raw("GET", u, nil, "")
		if d.status != 200 || bytes.Equal(d.raw, png) {
			t.Fatalf("download %s = %d, same bytes as upload: %v", f.f, d.status, bytes.Equal(d.raw, png))
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(d.raw))
		if err != nil || cfg.Width != f.w || cfg.Height != f.h {
			t.Errorf("download %s: %v %dx%d", f.f, err, cfg.Width, cfg.Height)
		}
	}
	if n := e.srv.CountAPI("", "/download"); n != 0 {
		t.Errorf("downloads counted as API calls: %d", n)
	}
	for _, j := range e.srv.Journal() {
		if j.Kind != KindAPI && j.Authorization {
			t.Errorf("%s %s carried an Authorization header", j.Method, j.Path)
		}
	}
}

func TestProcessingOutcomes(t *testing.T) {
	jpg := func(w, h int) []byte {
		var b bytes.Buffer
		_ = jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h)), nil)
		return b.Bytes()
	}
	tests := []struct {
		name     string
		file     string
		data     []byte
		checksum string // "" means the right one
		state    string
		code     string
	}{
		{"png fits", "a.png", SamplePNG(1290, 2796, 1), "", "COMPLETE", ""},
		{"landscape fits", "a.png", SamplePNG(2796, 1290, 1), "", "COMPLETE", ""},
		{"jpeg fits", "a.jpg", jpg(1320, 2868), "", "COMPLETE", ""},
		{"wrong size", "a.png", SamplePNG(1242, 2688, 1), "", "FAILED", "IMAGE_INCORRECT_DIMENSIONS"},
		{"not an image", "a.png", []byte("hello, not a png"), "", "FAILED", "IMAGE_TOOL_FAILURE"},
		{"checksum mismatch", "a.png", SamplePNG(1290, 2796, 1), "00000000000000000000000000000000", "FAILED", "CHECKSUM_MISMATCH"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := start(t, true, func(s *Server) { s.ProcessingDelay = 30 * time.Second })
			setID := e.newSet("appScreenshotSets", "screenshotDisplayType", "APP_IPHONE_67")
			r := e.reserve(setID, tc.file, len(tc.data))
			e.putParts(r.data(), tc.data)
			sum := tc.checksum
			if sum == "" {
				sum = md5hex(tc.data)
			}
			aid := id(r.data())
			e.commit(aid, sum)
			if tc.checksum == "" {
				if st := deliveryState(e.must(200, "GET", "/v1/appScreenshots/"+aid, nil).data()); st != "UPLOAD_COMPLETE" {
					t.Errorf("before the delay: %s", st)
				}
				e.clock.Advance(30 * time.Second)
			}
			res := e.must(200, "GET", "/v1/appScreenshots/"+aid, nil).data()
			st := attr(res, "assetDeliveryState").(map[string]any)
			code := ""
			if errs := st["errors"].([]any); len(errs) > 0 {
				code = errs[0].(map[string]any)["code"].(string)
			}
			if st["state"] != tc.state || code != tc.code {
				t.Errorf("= %v %q, want %s %q", st["state"], code, tc.state, tc.code)
			}
		})
	}
}

func TestMediaRules(t *testing.T) {
	png := SamplePNG(1290, 2796, 2)
	t.Run("11th screenshot refused, placeholders count", func(t *testing.T) {
		e := start(t, true)
		set, _ := e.srv.ScreenshotSet("com.example.demo", "1.1", "en-US", "APP_IPHONE_67")
		for i := len(set.Assets); i < 10; i++ {
			if r := e.reserve(set.ID, fmt.Sprintf("%d.png", i), 100); r.status != 201 {
				t.Fatalf("reserve %d = %d", i+1, r.status)
			}
		}
		r := e.reserve(set.ID, "11.png", 100)
		if r.status != 409 || !strings.Contains(r.errDetail(), "maximum of 10") {
			t.Fatalf("11th = %d %s", r.status, r.errDetail())
		}
	})
	t.Run("4th preview refused", func(t *testing.T) {
		e := start(t, true)
		setID := e.newSet("appPreviewSets", "previewType", "IPHONE_67")
		status := func(i int) int {
			return e.do("POST", "/v1/appPreviews", resource("appPreviews", "", map[string]any{"fileName": fmt.Sprintf("%d.mp4", i), "fileSize": 1000, "mimeType": "video/mp4"},
				map[string][2]string{"appPreviewSet": {"appPreviewSets", setID}})).status
		}
		for i := 1; i <= 3; i++ {
			if s := status(i); s != 201 {
				t.Fatalf("preview %d = %d", i, s)
			}
		}
		if s := status(4); s != 409 {
			t.Errorf("4th preview = %d, want 409", s)
		}
	})
	t.Run("absurd file sizes refused", func(t *testing.T) {
		e := start(t, true)
		setID := e.newSet("appScreenshotSets", "screenshotDisplayType", "APP_IPHONE_67")
		for _, size := range []int{0, 1 << 40} {
			if r := e.reserve(setID, "a.png", size); r.status != 409 || r.errCode() != "ENTITY_ERROR.ATTRIBUTE.INVALID" {
				t.Errorf("fileSize %d = %d %s", size, r.status, r.errCode())
			}
		}
	})
	t.Run("commit before every part arrived", func(t *testing.T) {
		e := start(t, true, func(s *Server) { s.PartSize = 1000 })
		setID := e.newSet("appScreenshotSets", "screenshotDisplayType", "APP_IPHONE_67")
		r := e.reserve(setID, "a.png", len(png))
		ops := attr(r.data(), "uploadOperations").([]any)
		e.putPart(ops[0].(map[string]any), png, "")
		c := e.commit(id(r.data()), md5hex(png))
		if c.status != 409 || c.errCode() != "STATE_ERROR" {
			t.Fatalf("commit = %d %s", c.status, c.errCode())
		}
		if st := deliveryState(e.must(200, "GET", "/v1/appScreenshots/"+id(r.data()), nil).data()); st != "AWAITING_UPLOAD" {
			t.Errorf("state after refused commit = %s", st)
		}
	})
	t.Run("upload part checks", func(t *testing.T) {
		e := start(t, false, func(s *Server) { s.UploadExpiry = time.Hour })
		setID := e.newSet("appScreenshotSets", "screenshotDisplayType", "APP_IPHONE_67")
		r := e.reserve(setID, "a.png", len(png))
		op := attr(r.data(), "uploadOperations").([]any)[0].(map[string]any)
		bad := map[string]any{"method": "PUT", "url": op["url"], "offset": op["offset"], "length": op["length"],
			"requestHeaders": []any{map[string]any{"name": "Content-Type", "value": "image/jpeg"}}}
		if st := e.putPart(bad, png, ""); st != 400 {
			t.Errorf("wrong Content-Type = %d", st)
		}
		if st := e.putPart(op, png, "Bearer leaked"); st != 200 {
			t.Errorf("part with Authorization = %d (Apple ignores it)", st)
		}
		var flagged int
		for _, j := range e.srv.Journal() {
			if j.Kind == KindUpload && j.Authorization {
				flagged++
			}
		}
		if flagged != 1 {
			t.Errorf("journal flags %d upload requests with Authorization, want 1", flagged)
		}
		e.clock.Advance(2 * time.Hour)
		if st := e.putPart(op, png, ""); st != 403 {
			t.Errorf("expired upload URL = %d", st)
		}
	})
	t.Run("reorder", func(t *testing.T) {
		e := start(t, true)
		set, _ := e.srv.ScreenshotSet("com.example.demo", "1.1", "en-US", "APP_IPHONE_67")
		ids := []string{set.Assets[2].ID, set.Assets[0].ID, set.Assets[1].ID}
		link := func(ids ...string) any {
			var data []any
			for _, x := range ids {
				data = append(data, map[string]any{"type": "appScreenshots", "id": x})
			}
			return map[string]any{"data": data}
		}
		path := "/v1/appScreenshotSets/" + set.ID + "/relationships/appScreenshots"
		for _, bad := range [][]string{ids[:2], {ids[0], ids[0], ids[1]}, {ids[0], ids[1], "someone-else"}} {
			if r := e.do("PATCH", path, link(bad...)); r.status != 409 {
				t.Errorf("reorder %v = %d, want 409", bad, r.status)
			}
		}
		e.must(204, "PATCH", path, link(ids...))
		got, _ := e.srv.ScreenshotSet("com.example.demo", "1.1", "en-US", "APP_IPHONE_67")
		if diff := cmp.Diff([]string{"3.png", "1.png", "2.png"}, got.FileNames()); diff != "" {
			t.Errorf("order (-want +got):\n%s", diff)
		}
		var linked []string
		for _, l := range e.must(200, "GET", path, nil).list() {
			linked = append(linked, id(l))
		}
		if diff := cmp.Diff(ids, linked); diff != "" {
			t.Errorf("linkage (-want +got):\n%s", diff)
		}
	})
	t.Run("no media writes after submission", func(t *testing.T) {
		e := start(t, true)
		set, _ := e.srv.ScreenshotSet("com.example.demo", "1.1", "en-US", "APP_IPHONE_67")
		_ = e.srv.SetVersionState("com.example.demo", "1.1", "WAITING_FOR_REVIEW")
		r := e.do("DELETE", "/v1/appScreenshots/"+set.Assets[0].ID, nil)
		if r.status != 409 || r.errDetail() != "Can't Delete Screenshot After Submit for review" {
			t.Errorf("delete = %d %q", r.status, r.errDetail())
		}
		if r := e.reserve(set.ID, "x.png", 10); r.status != 409 {
			t.Errorf("reserve = %d", r.status)
		}
		if r := e.do("DELETE", "/v1/appScreenshotSets/"+set.ID, nil); r.status != 409 {
			t.Errorf("delete set = %d", r.status)
		}
		_ = e.srv.SetVersionState("com.example.demo", "1.1", "READY_FOR_DISTRIBUTION")
		if r := e.do("DELETE", "/v1/appScreenshots/"+set.Assets[0].ID, nil); r.status != 409 {
			t.Errorf("delete on live = %d", r.status)
		}
	})
	t.Run("duplicate set and alias", func(t *testing.T) {
		e := start(t, false)
		_, _, locID := e.seeded("1.1", "en-US")
		body := func(typ string) any {
			return resource("appScreenshotSets", "", map[string]any{"screenshotDisplayType": typ},
				map[string][2]string{"appStoreVersionLocalization": {"appStoreVersionLocalizations", locID}})
		}
		if r := e.do("POST", "/v1/appScreenshotSets", body("APP_IPHONE_69")); r.status != 409 {
			t.Errorf("APP_IPHONE_69 beside APP_IPHONE_67 = %d, want 409 (stored as _67)", r.status)
		}
		r := e.must(201, "POST", "/v1/appScreenshotSets", body("APP_IPAD_PRO_3GEN_129"))
		if got := attr(r.data(), "screenshotDisplayType"); got != "APP_IPAD_PRO_3GEN_129" {
			t.Errorf("type = %v", got)
		}
	})
}

func TestPreviewUpload(t *testing.T) {
	e := start(t, true, func(s *Server) { s.ProcessAfterReads = 1 })
	setID := e.newSet("appPreviewSets", "previewType", "IPHONE_67")
	video := bytes.Repeat([]byte("mp4!"), 5000)
	aid := e.upload("appPreviews", "appPreviewSet", "appPreviewSets", setID, "demo.mov", video)
	res := e.must(200, "GET", "/v1/appPreviews/"+aid, nil).data()
	vs := attr(res, "videoDeliveryState").(map[string]any)
	if vs["state"] != "COMPLETE" || attr(res, "sourceFileChecksum") != md5hex(video) || attr(res, "videoUrl") == nil {
		t.Fatalf("preview = %s", mustJSON(res["attributes"]))
	}
	if got := attr(res, "mimeType"); got != nil {
		t.Errorf("mimeType = %v, want null when not sent", got)
	}
	d := e.raw("GET", attr(res, "videoUrl").(string), nil, "")
	if d.status != 200 || !bytes.Equal(d.raw, video) {
		t.Errorf("video download = %d", d.status)
	}
	set, _ := e.srv.PreviewSet("com.example.demo", "1.1", "fr-FR", "IPHONE_67")
	if len(set.Assets) != 1 || set.Assets[0].FileName != "demo.mov" {
		t.Errorf("preview set = %+v", set)
	}
}
