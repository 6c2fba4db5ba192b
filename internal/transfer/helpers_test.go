package transfer

import (
	"archive/zip"
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
)

var pngCache sync.Map

// pngOf returns an opaque w×h PNG whose colour depends on seed, so different seeds give
// different bytes.
func pngOf(tb testing.TB, w, h int, seed byte) []byte {
	tb.Helper()
	key := fmt.Sprint(w, h, seed)
	if b, ok := pngCache.Load(key); ok {
		return b.([]byte)
	}
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	c := color.NRGBA{R: seed, G: 255 - seed, B: seed / 2, A: 255}
	row := img.Pix[:w*4]
	for x := 0; x < w; x++ {
		copy(row[x*4:], []byte{c.R, c.G, c.B, c.A})
	}
	for y := 1; y < h; y++ {
		copy(img.Pix[y*img.Stride:], row)
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	pngCache.Store(key, buf.Bytes())
	return buf.Bytes()
}

// writeTree writes files (slash paths → content) under root.
func writeTree(tb testing.TB, root string, files map[string][]byte) {
	tb.Helper()
	for name, b := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// readTree returns every file under root (slash path → content) and every folder as "dir/".
// A missing root gives nil.
func readTree(tb testing.TB, root string) map[string]string {
	tb.Helper()
	if _, err := os.Stat(root); os.IsNotExist(err) {
		return nil
	}
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			out[rel+"/"] = ""
			return nil
		}
		b, err := os.ReadFile(p)
		out[rel] = string(b)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// filesOnly drops the folder entries of a readTree result.
func filesOnly(tree map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range tree {
		if k[len(k)-1] != '/' {
			out[k] = v
		}
	}
	return out
}

// zipBytes builds a ZIP of files (slash path → content) in sorted order.
func zipBytes(tb testing.TB, files map[string][]byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range sortedKeys(files) {
		w, err := zw.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write(files[name]); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// writeFile writes b to a new file in a temp dir and returns its path.
func writeFile(tb testing.TB, name string, b []byte) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

// asString converts a tree given as bytes to strings, for comparing with readTree.
func asString(files map[string][]byte) map[string]string {
	out := map[string]string{}
	for k, v := range files {
		out[k] = string(v)
	}
	return out
}

// assertNoLeftovers fails when parent holds anything but the names in keep.
func assertNoLeftovers(tb testing.TB, parent string, keep ...string) {
	tb.Helper()
	entries, err := os.ReadDir(parent)
	if err != nil {
		tb.Fatal(err)
	}
	allowed := map[string]bool{}
	for _, k := range keep {
		allowed[k] = true
	}
	for _, e := range entries {
		if !allowed[e.Name()] {
			tb.Errorf("leftover %s in %s", e.Name(), parent)
		}
	}
}

func sortStrings(s []string) { sort.Strings(s) }
