package transfer

import (
	"fmt"
	"io"
	"path/filepath"
	"testing"

	"github.com/storesyncer/storesyncer/internal/collection"
)

// benchCollection is a realistic full collection: 3 locales × 9 fields and 2 sets of 10
// full-size screenshots per locale (60 images).
func benchCollection(b *testing.B) string {
	b.Helper()
	files := map[string][]byte{}
	for _, loc := range []string{"en-US", "de-DE", "fr-FR"} {
		for _, f := range collection.Fields {
			files[f.Dir+"/"+loc+".txt"] = []byte("Some text for " + f.Dir)
		}
		for i := 1; i <= 10; i++ {
			files[fmt.Sprintf("screenshot/%s/APP_IPHONE_67/%02d.png", loc, i)] = pngOf(b, 1290, 2796, byte(i))
			files[fmt.Sprintf("screenshot/%s/APP_IPAD_PRO_3GEN_129/%02d.png", loc, i)] = pngOf(b, 2064, 2752, byte(i))
		}
	}
	dir := filepath.Join(b.TempDir(), "main")
	writeTree(b, dir, files)
	return dir
}

func BenchmarkExportZip(b *testing.B) {
	dir := benchCollection(b)
	b.ResetTimer()
	for b.Loop() {
		if _, err := ExportZip(dir, io.Discard, ExportOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func benchImport(b *testing.B, format Format) {
	dir := benchCollection(b)
	out := filepath.Join(b.TempDir(), "out.zip")
	if _, err := Export(dir, out, ExportOptions{Format: format}); err != nil {
		b.Fatal(err)
	}
	parent := b.TempDir()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		i++
		if _, err := Import(out, filepath.Join(parent, fmt.Sprint(i)), ImportOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkImportTemplateZip(b *testing.B) { benchImport(b, FormatTemplate) }
func BenchmarkImportFastlaneZip(b *testing.B) { benchImport(b, FormatFastlane) }

func BenchmarkTemplate(b *testing.B) {
	opts := TemplateOptions{Locales: collection.Locales}
	for b.Loop() {
		if err := Template(io.Discard, opts); err != nil {
			b.Fatal(err)
		}
	}
}
