package collection

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"strings"
)

// imageFormat is what a file's first bytes say it is.
type imageFormat string

const (
	formatPNG  imageFormat = "PNG"
	formatJPEG imageFormat = "JPEG"
)

var pngMagic = []byte("\x89PNG\r\n\x1a\n")

// sniffImage names the format of an image from its first bytes, or returns "".
func sniffImage(head []byte) imageFormat {
	switch {
	case bytes.HasPrefix(head, pngMagic):
		return formatPNG
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return formatJPEG
	case bytes.HasPrefix(head, []byte("GIF8")):
		return "GIF"
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return "WebP"
	case len(head) >= 12 && string(head[4:8]) == "ftyp" && strings.Contains("heic heix mif1 heim heis avif", string(head[8:12])):
		return "HEIF"
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		return "TIFF"
	case bytes.HasPrefix(head, []byte("BM")):
		return "BMP"
	}
	return ""
}

// probeImage reads what the screenshot rules need from one image file into facts: its format,
// its trailer, its header and, for a PNG that declares alpha, whether a pixel is transparent.
// It reads the first bytes, the last 4 KiB and the chunk headers; only an image with alpha is
// decoded whole. Its error is a read failure worth retrying (facts is then not Probed); a
// broken file is a fact, not an error.
func probeImage(r io.ReaderAt, size int64, facts *FileFacts) error {
	*facts = FileFacts{MD5: facts.MD5}
	if size > 0 {
		head := make([]byte, min(size, 64))
		if _, err := r.ReadAt(head, 0); err != nil {
			return err
		}
		facts.Format = string(sniffImage(head))
	}
	facts.Probed = true
	got := imageFormat(facts.Format)
	if got != formatPNG && got != formatJPEG {
		return nil
	}
	if facts.Trailer = hasTrailer(r, size, got); !facts.Trailer {
		return nil
	}
	var hdr imageHeader
	var err error
	if got == formatPNG {
		hdr, err = readPNGHeader(r, size)
	} else {
		hdr, err = readJPEGHeader(r, size)
	}
	if err != nil {
		facts.HeaderError = err.Error()
		return nil
	}
	facts.Width, facts.Height, facts.NotRGB, facts.Alpha = hdr.w, hdr.h, hdr.notRGB, hdr.alpha
	if hdr.alpha && hdr.w*hdr.h <= maxDecodePixels {
		img, err := png.Decode(io.NewSectionReader(r, 0, size))
		if err != nil {
			facts.HeaderError = "decode: " + err.Error()
			return nil
		}
		facts.FirstClear, facts.Transparent = firstTransparent(img)
		facts.AlphaChecked = true
	}
	return nil
}

// checkImage applies the screenshot rules to the facts probeImage read from one image file:
// the format matches the extension, the trailer is present, the colour model is RGB, the
// dimensions fit the display type, and a header that declares alpha has no transparent pixel.
func checkImage(facts FileFacts, size int64, rel, ext string, tc typeCheck) []Problem {
	var problems []Problem
	add := func(code, format string, args ...any) []Problem {
		return append(problems, Problem{Path: rel, Code: code, Severity: SeverityError, Message: fmt.Sprintf(format, args...)})
	}
	if size == 0 {
		return add(CodeImageTruncated, "empty file (still being copied or saved?)")
	}
	want := formatPNG
	if ext != ".png" {
		want = formatJPEG
	}
	got := imageFormat(facts.Format)
	switch {
	case got == "":
		return add(CodeImageFormatMismatch, "not a %s image (unknown content); App Store Connect takes PNG and JPEG", want)
	case got == formatPNG && want == formatJPEG:
		return add(CodeImageFormatMismatch, "a PNG image named %s; rename it to .png", ext)
	case got == formatJPEG && want == formatPNG:
		return add(CodeImageFormatMismatch, "a JPEG image named .png; rename it to .jpg")
	case got != want:
		return add(CodeImageFormatMismatch, "a %s image named %s; App Store Connect takes PNG and JPEG: convert it", got, ext)
	}
	if !facts.Trailer {
		trailer := "IEND"
		if got == formatJPEG {
			trailer = "EOI"
		}
		return add(CodeImageTruncated, "incomplete %s: the %s trailer is missing (still being copied or saved?)", got, trailer)
	}
	msg, undecodable := strings.CutPrefix(facts.HeaderError, "decode: ")
	if facts.HeaderError != "" && !undecodable {
		return add(CodeImageUnreadable, "cannot read the %s header: %s", got, facts.HeaderError)
	}
	if facts.NotRGB != "" {
		problems = add(CodeImageNotRGB, "%s image; App Store Connect wants RGB: export it as RGB", facts.NotRGB)
	}
	if !Accepts(tc.Sizes, tc.Landscape, facts.Width, facts.Height) {
		problems = add(CodeImageBadDimensions, "%d×%d is not accepted for %s; accepted: %s", facts.Width, facts.Height, tc.Canonical, formatSizes(tc.Sizes, tc.Landscape))
	}
	if undecodable {
		return add(CodeImageUnreadable, "cannot decode the PNG: %s", msg)
	}
	if facts.Transparent {
		pt := facts.FirstClear
		problems = add(CodeImageTransparent, "transparent pixels (the first at x=%d, y=%d); App Store Connect refuses transparency: flatten the image onto a background", pt.X, pt.Y)
	}
	return problems
}

// maxDecodePixels bounds the images checkImage decodes to look for transparency: eight times
// the largest accepted screenshot (3840×2160). A bigger image already fails its dimension check,
// and decoding a header that claims a gigapixel would exhaust memory.
const maxDecodePixels = 8 * 3840 * 2160

// imageHeader is what checkImage needs from an image header.
type imageHeader struct {
	w, h int
	// notRGB names the colour model when it is not RGB ("grayscale", "CMYK").
	notRGB string
	// alpha is true when the header declares transparency (an alpha channel or a tRNS chunk).
	alpha bool
}

// hasTrailer reports whether the file ends with the PNG IEND chunk or the JPEG EOI marker,
// allowing trailing zero padding. It reads only the last 4 KiB.
func hasTrailer(r io.ReaderAt, size int64, f imageFormat) bool {
	n := min(size, 4096)
	tail := make([]byte, n)
	if _, err := r.ReadAt(tail, size-n); err != nil && err != io.EOF {
		return false
	}
	tail = bytes.TrimRight(tail, "\x00")
	if f == formatPNG {
		return bytes.HasSuffix(tail, []byte("IEND\xAE\x42\x60\x82"))
	}
	return bytes.HasSuffix(tail, []byte{0xFF, 0xD9})
}

// readPNGHeader reads IHDR and walks the chunk headers up to the first IDAT, looking for tRNS,
// without reading chunk bodies.
func readPNGHeader(r io.ReaderAt, size int64) (imageHeader, error) {
	var ihdr [8 + 8 + 13]byte
	if _, err := r.ReadAt(ihdr[:], 0); err != nil {
		return imageHeader{}, fmt.Errorf("short file")
	}
	if string(ihdr[12:16]) != "IHDR" {
		return imageHeader{}, fmt.Errorf("first chunk is %q, not IHDR", ihdr[12:16])
	}
	w := binary.BigEndian.Uint32(ihdr[16:])
	h := binary.BigEndian.Uint32(ihdr[20:])
	if w == 0 || h == 0 || w > 1<<20 || h > 1<<20 {
		return imageHeader{}, fmt.Errorf("implausible size %d×%d", w, h)
	}
	hdr := imageHeader{w: int(w), h: int(h)}
	switch ct := ihdr[25]; ct {
	case 0, 4:
		hdr.notRGB = "grayscale"
	case 2, 3:
	case 6:
		hdr.alpha = true
	default:
		return imageHeader{}, fmt.Errorf("unknown colour type %d", ct)
	}
	// Palette PNGs are accepted: their colours are RGB. A tRNS chunk gives a palette or an RGB
	// image transparency, so it counts as declared alpha.
	off := int64(8 + 8 + 13 + 4)
	var ch [8]byte
	for i := 0; i < 1000 && off+8 <= size; i++ {
		if _, err := r.ReadAt(ch[:], off); err != nil {
			break
		}
		typ := string(ch[4:8])
		if typ == "IDAT" || typ == "IEND" {
			break
		}
		if typ == "tRNS" && hdr.notRGB == "" {
			hdr.alpha = true
		}
		off += 12 + int64(binary.BigEndian.Uint32(ch[:4]))
	}
	return hdr, nil
}

// readJPEGHeader reads the frame header with image/jpeg.
func readJPEGHeader(r io.ReaderAt, size int64) (imageHeader, error) {
	cfg, err := jpeg.DecodeConfig(io.NewSectionReader(r, 0, size))
	if err != nil {
		return imageHeader{}, err
	}
	hdr := imageHeader{w: cfg.Width, h: cfg.Height}
	switch cfg.ColorModel {
	case color.GrayModel:
		hdr.notRGB = "grayscale"
	case color.CMYKModel:
		hdr.notRGB = "CMYK"
	}
	return hdr, nil
}

// firstTransparent returns the first pixel of img, in reading order, that is not fully opaque.
func firstTransparent(img image.Image) (image.Point, bool) {
	b := img.Bounds()
	switch m := img.(type) {
	case *image.NRGBA:
		return scanAlpha(m.Pix, m.Stride, b, 4, 3, 1)
	case *image.RGBA:
		return scanAlpha(m.Pix, m.Stride, b, 4, 3, 1)
	case *image.NRGBA64:
		return scanAlpha(m.Pix, m.Stride, b, 8, 6, 2)
	case *image.RGBA64:
		return scanAlpha(m.Pix, m.Stride, b, 8, 6, 2)
	case *image.Paletted:
		seeThrough := make([]bool, len(m.Palette))
		for i, c := range m.Palette {
			_, _, _, a := c.RGBA()
			seeThrough[i] = a != 0xffff
		}
		for y := b.Min.Y; y < b.Max.Y; y++ {
			row := m.Pix[(y-b.Min.Y)*m.Stride:]
			for x := 0; x < b.Dx(); x++ {
				if int(row[x]) < len(seeThrough) && seeThrough[row[x]] {
					return image.Pt(b.Min.X+x, y), true
				}
			}
		}
		return image.Point{}, false
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a != 0xffff {
				return image.Pt(x, y), true
			}
		}
	}
	return image.Point{}, false
}

// scanAlpha looks for an alpha sample other than all-ones in pixel data with bpp bytes per
// pixel whose alpha sits at byte offset at and is n bytes wide.
func scanAlpha(pix []byte, stride int, b image.Rectangle, bpp, at, n int) (image.Point, bool) {
	for y := 0; y < b.Dy(); y++ {
		row := pix[y*stride : y*stride+b.Dx()*bpp]
		for i := at; i < len(row); i += bpp {
			if row[i] != 0xff || (n == 2 && row[i+1] != 0xff) {
				return image.Pt(b.Min.X+i/bpp, b.Min.Y+y), true
			}
		}
	}
	return image.Point{}, false
}

// formatSizes lists accepted sizes for a message: "1290×2796, 1320×2868 (or landscape)".
func formatSizes(sizes []Size, landscape bool) string {
	s := make([]string, len(sizes))
	for i, z := range sizes {
		s[i] = fmt.Sprintf("%d×%d", z.W, z.H)
	}
	out := strings.Join(s, ", ")
	if landscape {
		out += " (or the same turned to landscape)"
	}
	return out
}
