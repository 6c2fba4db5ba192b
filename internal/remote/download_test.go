package remote

import (
	"bytes"
	"context"
	"image"
	_ "image/jpeg" // decode the renders
	_ "image/png"
	"testing"

	"github.com/storesyncer/storesyncer/internal/plan"
)

func TestDownloadAsset(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	video := bytes.Repeat([]byte("mp4!"), 20<<10)
	l := newLocal(t).set("en-US/preview/IPHONE_67", localFile{"intro.mp4", video}).
		set("de-DE/screenshot/APP_IPHONE_67", localFile{"1.jpg", png("", 20).data}) // a .jpg name downloads as JPEG
	_, _, results := e.push(t, l, Scope{MediaLocales: []string{"en-US", "de-DE"}})
	wantDone(t, results)
	snap, err := e.r.Fetch(ctx, e.app, Scope{AllMedia: true})
	if err != nil {
		t.Fatal(err)
	}
	formats := map[string]int{}
	for _, a := range snap.Assets {
		if a.State != plan.StateComplete {
			t.Fatalf("%s is %s", a.FileName, a.State)
		}
		b, err := e.r.DownloadAsset(ctx, a)
		if err != nil {
			t.Fatalf("download %s: %v", a.FileName, err)
		}
		if a.Kind == plan.Preview {
			if !bytes.Equal(b, video) {
				t.Errorf("preview download differs from the video")
			}
			formats["video"]++
			continue
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
		if err != nil || cfg.Width != a.ImageWidth || cfg.Height != a.ImageHeight {
			t.Errorf("%s: %dx%d %s, %v; want %dx%d", a.FileName, cfg.Width, cfg.Height, format, err, a.ImageWidth, a.ImageHeight)
		}
		if want := map[string]string{"png": "png", "jpg": "jpeg"}[imageFormat(a.FileName)]; format != want {
			t.Errorf("%s downloaded as %s, want %s", a.FileName, format, want)
		}
		if sum(b) == a.Checksum {
			t.Errorf("%s: the render has the upload's bytes", a.FileName)
		}
		formats[format]++
	}
	if formats["video"] != 1 || formats["jpeg"] != 1 || formats["png"] != 6 {
		t.Errorf("downloads by format = %v", formats)
	}
	if _, err := e.r.DownloadAsset(ctx, RemoteAsset{FileName: "x.png", State: "AWAITING_UPLOAD"}); err == nil {
		t.Error("download of an unprocessed asset succeeded")
	}
}
