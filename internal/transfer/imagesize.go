package transfer

import (
	"fmt"
	"image"
	_ "image/jpeg" // register JPEG for DecodeConfig
	_ "image/png"  // register PNG for DecodeConfig
)

// imageSize reads an image's pixel size from its header, without decoding the pixels.
func imageSize(f srcFile) (w, h int, err error) {
	rc, err := f.open()
	if err != nil {
		return 0, 0, err
	}
	defer rc.Close()
	cfg, _, err := image.DecodeConfig(rc)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: not a readable PNG or JPEG: %w", f.path, err)
	}
	return cfg.Width, cfg.Height, nil
}
