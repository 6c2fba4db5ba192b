package collection

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var updateSeeds = flag.Bool("update-seeds", false, "rewrite the committed fuzz seed corpora in testdata/fuzz")

// fuzzSeeds are the committed seed corpora: testdata/fuzz/<FuzzName>/<seed>. ok says whether
// ProbeVideo must accept the seed.
func fuzzSeeds() map[string]map[string][]byte {
	return map[string]map[string][]byte{
		"FuzzProbeVideo": {
			"ok-mdat-first":    mp4File(mp4Spec{Seconds: 20, W: 886, H: 1920, MdatBytes: 16}),
			"ok-rotated-v1":    mp4File(mp4Spec{Seconds: 29.5, W: 1920, H: 886, Rotate90: true, Version1: true, MoovFirst: true}),
			"ok-largesize":     append(mp4File(mp4Spec{Seconds: 20, W: 1200, H: 1600, MoovFirst: true}), largeBox("mdat", 8)...),
			"bad-no-video":     mp4File(mp4Spec{Seconds: 20, W: 886, H: 1920, Handler: "soun"}),
			"bad-truncated":    mp4File(mp4Spec{Seconds: 20, W: 886, H: 1920, MdatBytes: 40})[:70],
			"bad-zero-size":    []byte("\x00\x00\x00\x00moov\x00\x00\x00\x08mvhd"),
			"bad-png":          pngMagic,
			"bad-nested-short": mp4Box("moov", mp4Box("trak", []byte("\x00\x00\x00\x09tkhd\x01"))),
		},
		"FuzzNormalizeText": {
			"bom-crlf":   []byte("\xef\xbb\xbf  Zeile 1\r\nZeile 2\r\n"),
			"utf16":      []byte("\xff\xfeH\x00i\x00"),
			"latin1":     []byte("caf\xe9"),
			"cr-crlf":    []byte("a\r\r\nb"),
			"keywords":   []byte("eins, zwei ,drei"),
			"cjk":        []byte("日本語のキーワード,アプリ"),
			"space-bom":  []byte(" \ufeff"),
			"only-space": []byte(" \t\r\n\u00a0"),
		},
	}
}

func TestFuzzSeedCorpora(t *testing.T) {
	for fuzzName, seeds := range fuzzSeeds() {
		dir := filepath.Join("testdata", "fuzz", fuzzName)
		for name, b := range seeds {
			p := filepath.Join(dir, name)
			want := fmt.Sprintf("go test fuzz v1\n[]byte(%s)\n", strconv.Quote(string(b)))
			if *updateSeeds {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(want), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := os.ReadFile(p)
			if err != nil {
				t.Errorf("seed %s missing (run go test -run TestFuzzSeedCorpora -update-seeds): %v", p, err)
				continue
			}
			if !bytes.Equal(got, []byte(want)) {
				t.Errorf("seed %s is stale (run go test -run TestFuzzSeedCorpora -update-seeds)", p)
			}
			if fuzzName == "FuzzProbeVideo" {
				_, err := ProbeVideo(bytes.NewReader(b), int64(len(b)))
				if ok := strings.HasPrefix(name, "ok-"); ok != (err == nil) {
					t.Errorf("ProbeVideo(seed %s) error = %v", name, err)
				}
			}
		}
	}
}
