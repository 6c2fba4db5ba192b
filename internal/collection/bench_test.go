package collection

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// benchCollection writes 40 locales × 3 display types × 10 screenshots (1,200 real PNGs at
// accepted sizes) and all nine texts for the 40 locales, and returns its folder and the
// screenshots' total size.
func benchCollection(b *testing.B) (string, int64) {
	b.Helper()
	dir := b.TempDir()
	types := []struct {
		name string
		w, h int
	}{{"APP_IPHONE_67", 1290, 2796}, {"APP_IPHONE_65", 1242, 2688}, {"APP_IPAD_PRO_3GEN_129", 2048, 2732}}
	texts := map[string]string{
		"name": "Fine App", "subtitle": "Does fine things", "description": strings.Repeat("A fine description. ", 150),
		"keyword": "fine,app,tools,things,words", "whatsNew": "Bug fixes.", "promotionalText": "Now finer.",
		"marketingUrl": "https://example.com", "supportUrl": "https://example.com/support", "privacyPolicyUrl": "https://example.com/privacy",
	}
	var total int64
	for _, loc := range Locales[:40] {
		for field, v := range texts {
			writeFile(b, dir, path.Join(field, loc+".txt"), []byte(v))
		}
		for _, t := range types {
			img := rgbPNG(b, t.w, t.h)
			for i := 1; i <= 10; i++ {
				writeFile(b, dir, fmt.Sprintf("screenshot/%s/%s/%d.png", loc, t.name, i), img)
				total += int64(len(img))
			}
		}
	}
	return dir, total
}

func writeFile(tb testing.TB, root, rel string, data []byte) {
	tb.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		tb.Fatal(err)
	}
}

func BenchmarkValidate(b *testing.B) {
	dir, _ := benchCollection(b)
	b.ResetTimer()
	for b.Loop() {
		problems, err := Validate(dir, Options{Platform: IOS})
		if err != nil || len(problems) != 0 {
			b.Fatalf("Validate: %v %v", err, problems[:min(3, len(problems))])
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	dir, total := benchCollection(b)
	b.SetBytes(total)
	b.ResetTimer()
	for b.Loop() {
		c, _, err := Load(dir, Options{Platform: IOS})
		if err != nil || len(c.Sets) != 120 || len(c.Texts) != 360 {
			b.Fatalf("Load: %v, %d sets, %d texts", err, len(c.Sets), len(c.Texts))
		}
	}
}

func BenchmarkLoadCached(b *testing.B) {
	dir, _ := benchCollection(b)
	cache := &MemoryCache{}
	if _, _, err := Load(dir, Options{Cache: cache}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := Load(dir, Options{Platform: IOS, Cache: cache}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidateOpaqueRGBA measures the one check that decodes pixels: ten 1290×2796 PNGs
// whose header declares alpha, without and with a warm cache.
func BenchmarkValidateOpaqueRGBA(b *testing.B) {
	dir := b.TempDir()
	img := rawPNG(b, pngSpec{W: 1290, H: 2796, Type: ctRGBA})
	for i := 1; i <= 10; i++ {
		writeFile(b, dir, fmt.Sprintf("screenshot/en-US/APP_IPHONE_67/%d.png", i), img)
	}
	for _, cached := range []bool{false, true} {
		b.Run(fmt.Sprintf("cached=%v", cached), func(b *testing.B) {
			opts := Options{}
			if cached {
				opts.Cache = &MemoryCache{}
				Validate(dir, opts)
			}
			for b.Loop() {
				if p, err := Validate(dir, opts); err != nil || len(p) != 0 {
					b.Fatal(err, p)
				}
			}
		})
	}
}

// BenchmarkReload measures a Reload of one changed key, a text and a set, in the collection
// of BenchmarkLoad (1,200 screenshots, 360 texts), as the daemon does on each save.
func BenchmarkReload(b *testing.B) {
	dir, _ := benchCollection(b)
	opts := Options{Platform: IOS, Cache: &MemoryCache{}}
	prev, _, err := Load(dir, opts)
	if err != nil {
		b.Fatal(err)
	}
	for _, k := range []Key{"de-DE/keyword", "de-DE/screenshot/APP_IPHONE_67"} {
		b.Run(strings.ReplaceAll(string(k), "/", "_"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c, _, err := Reload(dir, opts, prev, []Key{k})
				if err != nil || len(c.Sets) != 120 || len(c.Texts) != 360 {
					b.Fatalf("Reload: %v, %d sets, %d texts", err, len(c.Sets), len(c.Texts))
				}
			}
		})
	}
}
