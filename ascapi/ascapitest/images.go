package ascapitest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"sync"
)

var pngCache sync.Map // "w×h#n" → []byte

// SamplePNG returns an opaque w×h PNG whose content depends on n, so different n give
// different bytes and checksums. Sizes below 1 are taken as 1. Results are cached; callers
// must not modify them. It is safe for concurrent use.
func SamplePNG(w, h, n int) []byte {
	w, h = max(w, 1), max(h, 1)
	k := fmt.Sprintf("%dx%d#%d", w, h, n)
	if b, ok := pngCache.Load(k); ok {
		return b.([]byte)
	}
	pal := color.Palette{
		color.RGBA{0xf5, 0xf5, 0xf7, 0xff},
		color.RGBA{byte(40 * n), byte(90 + 20*n), 0xd0, 0xff},
		color.RGBA{0x1d, 0x1d, 0x1f, 0xff},
	}
	img := image.NewPaletted(image.Rect(0, 0, w, h), pal)
	band := h / (n%5 + 3)
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride : y*img.Stride+w]
		idx := uint8(0)
		if band > 0 && (y/band)%2 == 1 {
			idx = 1
		}
		for x := range row {
			row[x] = idx
		}
		if y < h/20 {
			for x := 0; x < w*(n%7+1)/8; x++ {
				row[x] = 2
			}
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		panic(err) // encoding an in-memory paletted image cannot fail
	}
	b, _ := pngCache.LoadOrStore(k, buf.Bytes())
	return b.([]byte)
}

// render re-encodes an uploaded image the way Apple's image service does: decoded, scaled
// to w×h (when both are positive) and written as format ("png" or "jpg"). The result never
// equals the uploaded bytes.
func render(src []byte, w, h int, format string) ([]byte, error) {
	img, _, err := image.Decode(bytes.NewReader(src))
	if err != nil {
		return nil, fmt.Errorf("decode image: %w", err)
	}
	b := img.Bounds()
	if w <= 0 || h <= 0 {
		w, h = b.Dx(), b.Dy()
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	if w == b.Dx() && h == b.Dy() {
		draw.Draw(dst, dst.Bounds(), img, b.Min, draw.Src)
	} else {
		scale(dst, img)
	}
	var buf bytes.Buffer
	switch format {
	case "jpg", "jpeg":
		err = jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 90})
	default:
		err = png.Encode(&buf, dst)
	}
	if err != nil {
		return nil, fmt.Errorf("encode image: %w", err)
	}
	if bytes.Equal(buf.Bytes(), src) {
		// Never hand back the uploaded bytes: re-encode at another compression level.
		buf.Reset()
		if err := (&png.Encoder{CompressionLevel: png.NoCompression}).Encode(&buf, dst); err != nil {
			return nil, fmt.Errorf("encode image: %w", err)
		}
	}
	return buf.Bytes(), nil
}

// scale resizes src into dst by nearest neighbour: good enough for a simulator.
func scale(dst *image.RGBA, src image.Image) {
	b, w, h := src.Bounds(), dst.Bounds().Dx(), dst.Bounds().Dy()
	for y := 0; y < h; y++ {
		sy := b.Min.Y + y*b.Dy()/h
		for x := 0; x < w; x++ {
			dst.Set(x, y, src.At(b.Min.X+x*b.Dx()/w, sy))
		}
	}
}
