package collection

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// writeFiles writes files (relative slash paths → content) under root.
func writeFiles(tb testing.TB, root string, files map[string][]byte) {
	tb.Helper()
	for rel, data := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// mkdirs makes empty folders under root.
func mkdirs(tb testing.TB, root string, rels ...string) {
	tb.Helper()
	for _, rel := range rels {
		if err := os.MkdirAll(filepath.Join(root, filepath.FromSlash(rel)), 0o755); err != nil {
			tb.Fatal(err)
		}
	}
}

// PNG colour types, as in the IHDR chunk.
const (
	ctGray      = 0
	ctRGB       = 2
	ctGrayAlpha = 4
	ctRGBA      = 6
)

// pngSpec describes a PNG for rawPNG: size, colour type, and optionally one transparent pixel
// (alpha 0) at Hole when HasHole is set (RGBA only).
type pngSpec struct {
	W, H    int
	Type    byte
	HasHole bool
	Hole    image.Point
}

var (
	pngCacheMu sync.Mutex
	pngCache   = map[pngSpec][]byte{}
	// encoded caches palettePNG and jpegImage results by their arguments.
	encoded sync.Map
)

// rawPNG encodes a mostly uniform 8-bit PNG of any colour type. image/png writes opaque RGBA
// images as RGB, so opaque RGBA PNGs (what design tools export) need this encoder. Results are
// cached: a 1290×2796 image is made once per test binary.
func rawPNG(tb testing.TB, s pngSpec) []byte {
	tb.Helper()
	pngCacheMu.Lock()
	defer pngCacheMu.Unlock()
	if b, ok := pngCache[s]; ok {
		return b
	}
	channels := map[byte]int{ctGray: 1, ctRGB: 3, ctGrayAlpha: 2, ctRGBA: 4}[s.Type]
	rowLen := 1 + s.W*channels
	raw := make([]byte, rowLen*s.H)
	for y := 0; y < s.H; y++ {
		row := raw[y*rowLen+1 : (y+1)*rowLen]
		for i := range row {
			row[i] = 0xff // white, opaque
		}
		for i := 0; i < len(row) && y%97 == 0; i += channels {
			row[i] = byte(y) // a little texture
		}
		if s.HasHole && y == s.Hole.Y {
			row[s.Hole.X*channels+channels-1] = 0
		}
	}
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	zw.Write(raw)
	zw.Close()
	var out bytes.Buffer
	out.Write(pngMagic)
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, uint32(s.W))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(s.H))
	ihdr[8], ihdr[9] = 8, s.Type
	writeChunk(&out, "IHDR", ihdr)
	writeChunk(&out, "IDAT", z.Bytes())
	writeChunk(&out, "IEND", nil)
	pngCache[s] = out.Bytes()
	return out.Bytes()
}

func writeChunk(w *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	w.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	w.WriteString(typ)
	w.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	w.Write(n[:])
}

// rgbPNG is an opaque RGB PNG of w×h.
func rgbPNG(tb testing.TB, w, h int) []byte {
	return rawPNG(tb, pngSpec{W: w, H: h, Type: ctRGB})
}

// palettePNG encodes a paletted PNG with image/png; transparent adds a clear palette entry
// used by one pixel (which makes image/png write a tRNS chunk).
func palettePNG(tb testing.TB, w, h int, transparent bool) []byte {
	tb.Helper()
	key := struct {
		kind        string
		w, h        int
		transparent bool
	}{"palette", w, h, transparent}
	if b, ok := encoded.Load(key); ok {
		return b.([]byte)
	}
	pal := color.Palette{color.NRGBA{255, 255, 255, 255}, color.NRGBA{0, 0, 0, 255}}
	if transparent {
		pal = append(pal, color.NRGBA{0, 0, 0, 0})
	}
	m := image.NewPaletted(image.Rect(0, 0, w, h), pal)
	if transparent {
		m.SetColorIndex(w-1, h-1, 2)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		tb.Fatal(err)
	}
	encoded.Store(key, b.Bytes())
	return b.Bytes()
}

// jpegImage encodes a w×h JPEG, grayscale (one component) when gray is set.
func jpegImage(tb testing.TB, w, h int, gray bool) []byte {
	tb.Helper()
	key := struct {
		kind string
		w, h int
		gray bool
	}{"jpeg", w, h, gray}
	if b, ok := encoded.Load(key); ok {
		return b.([]byte)
	}
	var m image.Image = image.NewRGBA(image.Rect(0, 0, w, h))
	if gray {
		m = image.NewGray(image.Rect(0, 0, w, h))
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: 50}); err != nil {
		tb.Fatal(err)
	}
	encoded.Store(key, b.Bytes())
	return b.Bytes()
}

// mp4Spec describes a minimal MP4 for mp4File.
type mp4Spec struct {
	Seconds   float64
	W, H      int
	Rotate90  bool   // a 90° matrix in tkhd, as a portrait phone recording has
	Version1  bool   // 64-bit mvhd and tkhd
	Handler   string // "vide" unless set
	MdatBytes int
	MoovFirst bool // moov before mdat ("fast start")
}

// mp4File builds ftyp, mdat and moov(mvhd, trak(tkhd, mdia(hdlr))) boxes.
func mp4File(s mp4Spec) []byte {
	const timescale = 600
	dur := uint64(s.Seconds * timescale)
	var mvhd []byte
	if s.Version1 {
		mvhd = make([]byte, 4+8+8+4+8)
		mvhd[0] = 1
		binary.BigEndian.PutUint32(mvhd[20:], timescale)
		binary.BigEndian.PutUint64(mvhd[24:], dur)
	} else {
		mvhd = make([]byte, 4+4+4+4+4)
		binary.BigEndian.PutUint32(mvhd[12:], timescale)
		binary.BigEndian.PutUint32(mvhd[16:], uint32(dur))
	}
	mvhd = append(mvhd, make([]byte, 80)...) // rate, volume, matrix, next track id
	at := 40
	if s.Version1 {
		at = 52
	}
	tkhd := make([]byte, at+44)
	if s.Version1 {
		tkhd[0] = 1
	}
	matrix := []int32{1 << 16, 0, 0, 0, 1 << 16, 0, 0, 0, 1 << 30}
	if s.Rotate90 {
		matrix = []int32{0, 1 << 16, 0, -1 << 16, 0, 0, 0, 0, 1 << 30}
	}
	for i, v := range matrix {
		binary.BigEndian.PutUint32(tkhd[at+4*i:], uint32(v))
	}
	binary.BigEndian.PutUint32(tkhd[at+36:], uint32(s.W)<<16)
	binary.BigEndian.PutUint32(tkhd[at+40:], uint32(s.H)<<16)
	handler := s.Handler
	if handler == "" {
		handler = "vide"
	}
	hdlr := append(make([]byte, 8), []byte(handler)...)
	hdlr = append(hdlr, make([]byte, 13)...)
	moov := mp4Box("moov", mp4Box("mvhd", mvhd), mp4Box("trak", mp4Box("tkhd", tkhd), mp4Box("mdia", mp4Box("hdlr", hdlr))))
	ftyp := mp4Box("ftyp", []byte("isom\x00\x00\x02\x00isomiso2avc1mp41"))
	mdat := mp4Box("mdat", make([]byte, s.MdatBytes))
	if s.MoovFirst {
		return bytes.Join([][]byte{ftyp, moov, mdat}, nil)
	}
	return bytes.Join([][]byte{ftyp, mdat, moov}, nil)
}

func mp4Box(typ string, body ...[]byte) []byte {
	b := bytes.Join(body, nil)
	out := make([]byte, 8, 8+len(b))
	binary.BigEndian.PutUint32(out, uint32(8+len(b)))
	copy(out[4:], typ)
	return append(out, b...)
}
