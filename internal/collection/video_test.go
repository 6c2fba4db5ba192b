package collection

import (
	"bytes"
	"encoding/binary"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestProbeVideo(t *testing.T) {
	tests := []struct {
		name    string
		file    []byte
		want    VideoInfo
		wantErr string
	}{
		{name: "mdat first", file: mp4File(mp4Spec{Seconds: 20, W: 886, H: 1920, MdatBytes: 1000}), want: VideoInfo{Brand: "isom", Duration: 20 * time.Second, Width: 886, Height: 1920}},
		{name: "moov first", file: mp4File(mp4Spec{Seconds: 15.5, W: 1920, H: 1080, MoovFirst: true}), want: VideoInfo{Brand: "isom", Duration: 15500 * time.Millisecond, Width: 1920, Height: 1080}},
		{name: "64-bit boxes", file: mp4File(mp4Spec{Seconds: 29, W: 1200, H: 1600, Version1: true}), want: VideoInfo{Brand: "isom", Duration: 29 * time.Second, Width: 1200, Height: 1600}},
		{name: "rotated portrait recording", file: mp4File(mp4Spec{Seconds: 20, W: 1920, H: 886, Rotate90: true}), want: VideoInfo{Brand: "isom", Duration: 20 * time.Second, Width: 886, Height: 1920}},
		{name: "QuickTime without ftyp", file: mp4File(mp4Spec{Seconds: 20, W: 886, H: 1920, MoovFirst: true})[len(mp4Box("ftyp", []byte("isom\x00\x00\x02\x00isomiso2avc1mp41"))):], want: VideoInfo{Duration: 20 * time.Second, Width: 886, Height: 1920}},
		{name: "largesize mdat", file: append(mp4File(mp4Spec{Seconds: 20, W: 886, H: 1920, MoovFirst: true}), largeBox("mdat", 32)...), want: VideoInfo{Brand: "isom", Duration: 20 * time.Second, Width: 886, Height: 1920}},
		{name: "no video track", file: mp4File(mp4Spec{Seconds: 20, W: 886, H: 1920, Handler: "soun"}), wantErr: "no video track"},
		{name: "no moov", file: mp4Box("ftyp", []byte("isom")), wantErr: "no movie header"},
		{name: "truncated", file: mp4File(mp4Spec{Seconds: 20, W: 886, H: 1920, MdatBytes: 50})[:60], wantErr: "incomplete"},
		{name: "PNG", file: pngMagic, wantErr: ErrNotVideo.Error()},
		{name: "empty", file: nil, wantErr: "no movie header"},
		{name: "text", file: []byte("hello, this is not a movie"), wantErr: ErrNotVideo.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ProbeVideo(bytes.NewReader(tt.file), int64(len(tt.file)))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ProbeVideo error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ProbeVideo (-want +got):\n%s", diff)
			}
		})
	}
}

// largeBox is a box with a 64-bit size field and n bytes of body.
func largeBox(typ string, n int) []byte {
	b := make([]byte, 16+n)
	binary.BigEndian.PutUint32(b, 1)
	copy(b[4:], typ)
	binary.BigEndian.PutUint64(b[8:], uint64(16+n))
	return b
}

// hugeFile is an io.ReaderAt of a video with a giant mdat before moov: its bytes are made up
// on demand, and it counts how many it handed out.
type hugeFile struct {
	head, tail []byte // ftyp+mdat header, and moov
	size       int64
	read       int64
}

func (h *hugeFile) ReadAt(p []byte, off int64) (int, error) {
	h.read += int64(len(p))
	for i := range p {
		o := off + int64(i)
		switch {
		case o >= h.size:
			return i, io.EOF
		case o < int64(len(h.head)):
			p[i] = h.head[o]
		case o >= h.size-int64(len(h.tail)):
			p[i] = h.tail[o-(h.size-int64(len(h.tail)))]
		default:
			p[i] = 0
		}
	}
	return len(p), nil
}

func TestProbeVideoSeeksPastMdat(t *testing.T) {
	ftyp := mp4Box("ftyp", []byte("qt  \x00\x00\x02\x00qt  "))
	full := mp4File(mp4Spec{Seconds: 25, W: 886, H: 1920, MoovFirst: true})
	moov := full[len(mp4Box("ftyp", []byte("isom\x00\x00\x02\x00isomiso2avc1mp41"))):]
	const mdatSize = 2 << 30 // 2 GiB, needs a 64-bit box size
	hdr := make([]byte, 16)
	binary.BigEndian.PutUint32(hdr, 1)
	copy(hdr[4:], "mdat")
	binary.BigEndian.PutUint64(hdr[8:], mdatSize)
	h := &hugeFile{head: append(ftyp, hdr...), tail: moov, size: int64(len(ftyp)) + mdatSize + int64(len(moov))}
	got, err := ProbeVideo(h, h.size)
	if err != nil {
		t.Fatal(err)
	}
	if got.Duration != 25*time.Second || got.Brand != "qt  " {
		t.Errorf("ProbeVideo = %+v", got)
	}
	if h.read > 4096 {
		t.Errorf("read %d bytes of a %d-byte file; want only box headers", h.read, h.size)
	}
}

// FuzzProbeVideo checks that ProbeVideo never panics or loops on hostile input, and that what
// it accepts has a video size.
func FuzzProbeVideo(f *testing.F) {
	f.Add(mp4File(mp4Spec{Seconds: 20, W: 886, H: 1920}))
	f.Add(mp4File(mp4Spec{Seconds: 20, W: 1920, H: 886, Rotate90: true, Version1: true, MoovFirst: true}))
	f.Add(mp4File(mp4Spec{Seconds: 20, W: 886, H: 1920, Handler: "soun"}))
	f.Add(largeBox("mdat", 8))
	f.Add([]byte("\x00\x00\x00\x00moov"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		info, err := ProbeVideo(bytes.NewReader(b), int64(len(b)))
		if err == nil && (info.Duration < 0 || info.Width < 0 || info.Height < 0) {
			t.Fatalf("ProbeVideo accepted %+v", info)
		}
	})
}
