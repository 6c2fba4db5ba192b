package collection

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

// VideoInfo is what ProbeVideo reads from an MP4 or QuickTime file's boxes.
type VideoInfo struct {
	// Brand is the major brand of the ftyp box ("isom", "qt  "); "" for an old QuickTime file
	// without one.
	Brand string
	// Duration is the movie's duration from mvhd.
	Duration time.Duration
	// Width and Height are the first video track's size as displayed: a track whose matrix
	// turns it by 90° (a portrait phone recording) has them swapped back.
	Width, Height int
}

// ErrNotVideo is returned (wrapped) by ProbeVideo for content that is not an MP4/QuickTime file.
var ErrNotVideo = errors.New("not an MP4 or QuickTime file")

// maxBoxes bounds the boxes ProbeVideo visits, so hostile input cannot make it walk millions
// of tiny boxes.
const maxBoxes = 10000

// ProbeVideo reads the duration and video size of the MP4 or QuickTime file r of size bytes.
// It reads box headers and seeks past box bodies (mdat), so a 500 MB file costs a few small
// reads. A file that ends inside a box is reported as incomplete.
func ProbeVideo(r io.ReaderAt, size int64) (VideoInfo, error) {
	p := &prober{r: r}
	var info VideoInfo
	var moov *box
	off := int64(0)
	for first := true; off < size; first = false {
		b, err := p.box(off, size)
		if err != nil {
			if first {
				return VideoInfo{}, ErrNotVideo
			}
			return VideoInfo{}, err
		}
		if first && !topLevelBoxes[b.typ] {
			return VideoInfo{}, ErrNotVideo
		}
		switch b.typ {
		case "ftyp":
			brand := make([]byte, 4)
			if b.bodyLen() >= 4 {
				if _, err := r.ReadAt(brand, b.body()); err == nil {
					info.Brand = string(brand)
				}
			}
		case "moov":
			moov = &b
		}
		off = b.end
	}
	if moov == nil {
		return VideoInfo{}, errors.New("no movie header (moov box)")
	}
	var haveDuration, haveVideo bool
	err := p.children(*moov, func(c box) error {
		switch c.typ {
		case "mvhd":
			d, err := p.mvhd(c)
			if err != nil {
				return err
			}
			info.Duration, haveDuration = d, true
		case "trak":
			if haveVideo {
				return nil
			}
			w, h, video, err := p.trak(c)
			if err != nil {
				return err
			}
			if video {
				info.Width, info.Height, haveVideo = w, h, true
			}
		}
		return nil
	})
	if err != nil {
		return VideoInfo{}, err
	}
	if !haveDuration {
		return VideoInfo{}, errors.New("no movie header (mvhd box)")
	}
	if !haveVideo {
		return VideoInfo{}, errors.New("no video track")
	}
	return info, nil
}

var topLevelBoxes = map[string]bool{
	"ftyp": true, "moov": true, "mdat": true, "wide": true, "free": true, "skip": true,
	"pnot": true, "uuid": true, "junk": true, "styp": true, "pdin": true,
}

// box is one ISO BMFF box: its type, the offset of its header, header length and end.
type box struct {
	typ        string
	start, end int64
	hdr        int64
}

func (b box) body() int64    { return b.start + b.hdr }
func (b box) bodyLen() int64 { return b.end - b.body() }

type prober struct {
	r     io.ReaderAt
	boxes int
}

// box reads the header of the box at off, which must end by limit.
func (p *prober) box(off, limit int64) (box, error) {
	p.boxes++
	if p.boxes > maxBoxes {
		return box{}, fmt.Errorf("more than %d boxes", maxBoxes)
	}
	var h [16]byte
	if limit-off < 8 {
		return box{}, fmt.Errorf("file ends inside a box header at byte %d: incomplete (still being copied?)", off)
	}
	if _, err := p.r.ReadAt(h[:8], off); err != nil {
		return box{}, fmt.Errorf("read box at byte %d: %w", off, err)
	}
	b := box{typ: string(h[4:8]), start: off, hdr: 8}
	size := int64(binary.BigEndian.Uint32(h[:4]))
	switch size {
	case 0: // to the end of the parent
		size = limit - off
	case 1:
		if limit-off < 16 {
			return box{}, fmt.Errorf("file ends inside the %q box header at byte %d", b.typ, off)
		}
		if _, err := p.r.ReadAt(h[8:16], off+8); err != nil {
			return box{}, fmt.Errorf("read box at byte %d: %w", off, err)
		}
		u := binary.BigEndian.Uint64(h[8:16])
		if u > math.MaxInt64/2 {
			return box{}, fmt.Errorf("box %q at byte %d claims %d bytes", b.typ, off, u)
		}
		size, b.hdr = int64(u), 16
	}
	if size < b.hdr {
		return box{}, fmt.Errorf("box %q at byte %d has an invalid size %d", printable(b.typ), off, size)
	}
	b.end = off + size
	if b.end > limit {
		return box{}, fmt.Errorf("file ends inside the %q box (at byte %d of %d): incomplete (still being copied?)", printable(b.typ), limit, b.end)
	}
	return b, nil
}

// children calls fn for each box inside parent.
func (p *prober) children(parent box, fn func(box) error) error {
	for off := parent.body(); off < parent.end; {
		c, err := p.box(off, parent.end)
		if err != nil {
			return err
		}
		if err := fn(c); err != nil {
			return err
		}
		off = c.end
	}
	return nil
}

// read returns n bytes of b's body starting at offset at.
func (p *prober) read(b box, at, n int64) ([]byte, error) {
	if at+n > b.bodyLen() {
		return nil, fmt.Errorf("%q box too short", b.typ)
	}
	buf := make([]byte, n)
	if _, err := p.r.ReadAt(buf, b.body()+at); err != nil {
		return nil, fmt.Errorf("read %q box: %w", b.typ, err)
	}
	return buf, nil
}

// mvhd reads the movie duration.
func (p *prober) mvhd(b box) (time.Duration, error) {
	v, err := p.read(b, 0, 1)
	if err != nil {
		return 0, err
	}
	var scale, dur uint64
	if v[0] == 1 {
		buf, err := p.read(b, 20, 12)
		if err != nil {
			return 0, err
		}
		scale, dur = uint64(binary.BigEndian.Uint32(buf)), binary.BigEndian.Uint64(buf[4:])
	} else {
		buf, err := p.read(b, 12, 8)
		if err != nil {
			return 0, err
		}
		scale, dur = uint64(binary.BigEndian.Uint32(buf)), uint64(binary.BigEndian.Uint32(buf[4:]))
	}
	if scale == 0 {
		return 0, errors.New("movie header has a time scale of 0")
	}
	secs := float64(dur) / float64(scale)
	if secs > 1e6 {
		secs = 1e6 // far beyond any limit; avoids overflowing time.Duration
	}
	return time.Duration(secs * float64(time.Second)), nil
}

// trak reads a track's displayed size and whether it is a video track (hdlr "vide").
func (p *prober) trak(b box) (w, h int, video bool, err error) {
	err = p.children(b, func(c box) error {
		switch c.typ {
		case "tkhd":
			w, h, err = p.tkhd(c)
			return err
		case "mdia":
			return p.children(c, func(m box) error {
				if m.typ != "hdlr" {
					return nil
				}
				buf, err := p.read(m, 8, 4)
				if err != nil {
					return err
				}
				video = string(buf) == "vide"
				return nil
			})
		}
		return nil
	})
	return w, h, video, err
}

// tkhd reads a track's width and height (16.16 fixed point) and applies a 90° rotation from
// its matrix.
func (p *prober) tkhd(b box) (int, int, error) {
	v, err := p.read(b, 0, 1)
	if err != nil {
		return 0, 0, err
	}
	at := int64(40) // version 0: flags, times and ids are 32-bit
	if v[0] == 1 {
		at = 52
	}
	buf, err := p.read(b, at, 44) // matrix (36 bytes), width, height
	if err != nil {
		return 0, 0, err
	}
	m := func(i int) int32 { return int32(binary.BigEndian.Uint32(buf[i*4:])) }
	w := int(binary.BigEndian.Uint32(buf[36:]) >> 16)
	h := int(binary.BigEndian.Uint32(buf[40:]) >> 16)
	if m(0) == 0 && m(4) == 0 && m(1) != 0 && m(3) != 0 {
		w, h = h, w
	}
	return w, h, nil
}

// printable returns a box type for a message, with unprintable bytes escaped.
func printable(typ string) string {
	for i := 0; i < len(typ); i++ {
		if typ[i] < 0x20 || typ[i] > 0x7e {
			return fmt.Sprintf("%x", typ)
		}
	}
	return typ
}
