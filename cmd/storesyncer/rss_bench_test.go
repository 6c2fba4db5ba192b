package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
)

// rssLocales are the 8 locales of BenchmarkPushPeakRSS: one set of 10 screenshots each, so
// 8 workers each upload a set at once.
var rssLocales = []string{"en-US", "de-DE", "ja", "fr-FR", "es-ES", "it", "nl-NL", "pt-BR"}

// BenchmarkPushPeakRSS runs the real binary's `push` (built with go build, a child process)
// of 80 new screenshots of about 2.5 MB each (8 locales × 10, 1290 × 2796 PNGs with noise,
// so they do not compress) at `concurrency = 8`, and reports its peak RSS as /usr/bin/time
// measures it. Parts are read from the files as they are sent, so the peak does not grow with
// the images. RSS_BENCH_BIN runs another binary instead (a reference build).
func BenchmarkPushPeakRSS(b *testing.B) {
	bin := os.Getenv("RSS_BENCH_BIN")
	if bin == "" {
		bin = storesyncerBinary(b)
	}
	img := noisyPNG(1290, 2796, 700)
	for range b.N {
		b.StopTimer()
		sim, err := ascapitest.NewServer(b, ascapitest.Options{Configure: func(s *ascapitest.Server) {
			s.Seed, s.ProcessAfterReads = testSeed(), 1
		}})
		if err != nil {
			b.Fatal(err)
		}
		dir := b.TempDir()
		if _, err := ascapitest.SaveCredentials(dir, sim.Credentials(), sim.URL(), 0); err != nil {
			b.Fatal(err)
		}
		cfg := filepath.Join(dir, "config.toml")
		f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(f, "\n[sync]\nconcurrency = 8\n")
		f.Close()
		e := &syncEnv{tb: b, sim: sim, cfg: cfg, ws: filepath.Join(dir, "workspace")}
		if out, err := exec.Command(bin, "--config", cfg, "apps", "add", "--bundle-id", testBundle).CombinedOutput(); err != nil {
			b.Fatalf("apps add: %v\n%s", err, out)
		}
		_ = os.RemoveAll(e.path("main", "screenshot"))
		var total int64
		for li, locale := range rssLocales {
			for k := 1; k <= 10; k++ {
				data := tagPNG(img, fmt.Sprintf("%s-%d", locale, k))
				total += int64(len(data))
				e.write(fmt.Sprintf("screenshot/%s/APP_IPHONE_67/%02d.png", locale, k), data)
				_ = li
			}
		}
		b.StartTimer()
		// GNU time forks and execs the binary and reports its own child's peak RSS. The
		// benchmark's own getrusage of a child would not do: Go starts a child sharing the
		// parent's memory until exec, so its peak includes this process (and the simulator's
		// copy of every upload).
		cmd := exec.Command("/usr/bin/time", "-f", "peak-rss-kb %M", bin, "--config", cfg, "push", "--only", "media", "--yes")
		out, err := cmd.CombinedOutput()
		b.StopTimer()
		if err != nil {
			b.Fatalf("push: %v\n%s", err, out)
		}
		m := regexp.MustCompile(`peak-rss-kb (\d+)`).FindSubmatch(out)
		if m == nil {
			b.Fatalf("no peak RSS in the output of /usr/bin/time:\n%s", out)
		}
		kb, _ := strconv.Atoi(string(m[1]))
		b.ReportMetric(float64(kb)/1024, "peak-RSS-MB")
		b.ReportMetric(float64(total)/float64(80)/(1<<20), "MB/image")
		b.ReportMetric(float64(total)/(1<<20), "MB-pushed")
		b.StartTimer()
	}
}

// noisyPNG returns an opaque w × h PNG whose top quarter is noise, about 2.5 MB for
// 1290 × 2796.
func noisyPNG(w, h int, seed uint64) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(seed, 1))
	for y := range h {
		for x := range w {
			c := color.RGBA{R: 200, G: 220, B: 240, A: 255}
			if y < h/4 {
				v := rng.Uint32()
				c = color.RGBA{R: uint8(v), G: uint8(v >> 8), B: uint8(v >> 16), A: 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// tagPNG returns p with a tEXt chunk after IHDR holding tag: a valid PNG with other bytes.
func tagPNG(p []byte, tag string) []byte {
	const ihdrEnd = 8 + 8 + 13 + 4 // signature, IHDR length+type, data, CRC
	data := append([]byte("Comment\x00"), tag...)
	var chunk bytes.Buffer
	_ = binary.Write(&chunk, binary.BigEndian, uint32(len(data)))
	chunk.WriteString("tEXt")
	chunk.Write(data)
	_ = binary.Write(&chunk, binary.BigEndian, crc32.ChecksumIEEE(append([]byte("tEXt"), data...)))
	out := make([]byte, 0, len(p)+chunk.Len())
	out = append(out, p[:ihdrEnd]...)
	out = append(out, chunk.Bytes()...)
	return append(out, p[ihdrEnd:]...)
}
