package transfer

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// rawEntry is one entry of a hand-made ZIP.
type rawEntry struct {
	name string
	data []byte
	mode os.FileMode // 0 means a regular 0644 file
	// declared overrides the uncompressed size in the headers when non-zero (a lying header).
	declared uint64
	deflate  bool
}

func rawZip(tb testing.TB, entries ...rawEntry) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Store}
		mode := e.mode
		if mode == 0 {
			mode = 0o644
		}
		h.SetMode(mode)
		body := e.data
		if e.deflate {
			h.Method = zip.Deflate
			var c bytes.Buffer
			fw, _ := flate.NewWriter(&c, flate.BestCompression)
			fw.Write(e.data)
			fw.Close()
			body = c.Bytes()
		}
		h.CRC32 = crc32.ChecksumIEEE(e.data)
		h.CompressedSize64 = uint64(len(body))
		h.UncompressedSize64 = uint64(len(e.data))
		if e.declared != 0 {
			h.UncompressedSize64 = e.declared
		}
		w, err := zw.CreateRaw(h)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(body)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func TestImportRefusesHostileZips(t *testing.T) {
	good := rawEntry{name: "keyword/en-US.txt", data: []byte("fine")}
	zeros := make([]byte, 4<<20)
	many := []rawEntry{}
	for i := range 10_001 {
		many = append(many, rawEntry{name: fmt.Sprintf("x/%d", i)})
	}
	tests := []struct {
		name    string
		zip     []byte
		limits  Limits
		unsafe  string // the entry an *UnsafeEntryError must name
		limit   string // the What of a *LimitError
		message string // substring of the message
	}{
		{name: "parent path", zip: rawZip(t, good, rawEntry{name: "../evil.txt", data: []byte("x")}), unsafe: "../evil.txt", message: `climbs out of the collection`},
		{name: "nested parent path", zip: rawZip(t, good, rawEntry{name: "keyword/../../evil.txt", data: []byte("x")}), unsafe: "keyword/../../evil.txt"},
		{name: "absolute path", zip: rawZip(t, good, rawEntry{name: "/tmp/evil.txt", data: []byte("x")}), unsafe: "/tmp/evil.txt", message: "absolute path"},
		{name: "drive letter", zip: rawZip(t, good, rawEntry{name: "C:/evil.txt", data: []byte("x")}), unsafe: "C:/evil.txt", message: "drive letter"},
		{name: "backslash", zip: rawZip(t, good, rawEntry{name: `..\evil.txt`, data: []byte("x")}), unsafe: `..\evil.txt`, message: "backslash"},
		{name: "symlink", zip: rawZip(t, good, rawEntry{name: "keyword/de-DE.txt", data: []byte("/etc/passwd"), mode: os.ModeSymlink | 0o777}), unsafe: "keyword/de-DE.txt", message: "symbolic link"},
		{name: "duplicate entry", zip: rawZip(t, good, good), unsafe: "keyword/en-US.txt", message: "twice"},
		{name: "bomb by count", zip: rawZip(t, many...), limit: "entries"},
		{name: "bomb by count, low limit", zip: rawZip(t, good, good, good), limits: Limits{MaxEntries: 2}, limit: "entries"},
		{name: "bomb by declared size", zip: rawZip(t, good, rawEntry{name: "screenshot/en-US/APP_IPHONE_67/a.png", data: []byte("x"), declared: 3 << 30}), limit: "expanded size"},
		{name: "bomb by total size", zip: rawZip(t, rawEntry{name: "a.png", data: zeros}, rawEntry{name: "b.png", data: zeros}), limits: Limits{MaxTotalBytes: 6 << 20}, limit: "expanded size"},
		{name: "bomb by ratio", zip: rawZip(t, good, rawEntry{name: "screenshot/en-US/APP_IPHONE_67/a.png", data: zeros, deflate: true}), limit: "compression ratio"},
		{name: "header smaller than the data", zip: rawZip(t, good, rawEntry{name: "screenshot/en-US/APP_IPHONE_67/a.png", data: zeros[:1<<20], deflate: true, declared: 10}), unsafe: "screenshot/en-US/APP_IPHONE_67/a.png", message: "expands past its declared size"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			dst := filepath.Join(parent, "main")
			before := map[string][]byte{"keyword/en-US.txt": []byte("before")}
			writeTree(t, dst, before)
			src := writeFile(t, "hostile.zip", tc.zip)
			_, err := Import(src, dst, ImportOptions{Limits: tc.limits})
			if err == nil {
				t.Fatal("Import succeeded, want it refused")
			}
			var ue *UnsafeEntryError
			var le *LimitError
			switch {
			case tc.unsafe != "":
				if !errors.As(err, &ue) || ue.Entry != tc.unsafe {
					t.Errorf("error %v, want *UnsafeEntryError for %q", err, tc.unsafe)
				}
			case tc.limit != "":
				if !errors.As(err, &le) || le.What != tc.limit {
					t.Errorf("error %v, want *LimitError on %q", err, tc.limit)
				}
			}
			if !strings.Contains(err.Error(), tc.message) {
				t.Errorf("error %q does not contain %q", err, tc.message)
			}
			if diff := cmp.Diff(asString(before), filesOnly(readTree(t, dst))); diff != "" {
				t.Errorf("collection changed (-before +after):\n%s", diff)
			}
			assertNoLeftovers(t, parent, "main")
		})
	}
}

func TestImportCorruptEntryWritesNothing(t *testing.T) {
	shot := pngOf(t, 1290, 2796, 1)
	z := rawZip(t,
		rawEntry{name: "keyword/en-US.txt", data: []byte("new")},
		rawEntry{name: "screenshot/en-US/APP_IPHONE_67/01.png", data: shot},
	)
	i := bytes.Index(z, shot)
	z[i+len(shot)/2] ^= 0xff // a bad CRC in the second entry, found only while copying
	parent := t.TempDir()
	dst := filepath.Join(parent, "main")
	before := map[string][]byte{"keyword/en-US.txt": []byte("old")}
	writeTree(t, dst, before)
	if _, err := Import(writeFile(t, "c.zip", z), dst, ImportOptions{}); err == nil {
		t.Fatal("Import of a corrupt ZIP succeeded")
	}
	if diff := cmp.Diff(asString(before), filesOnly(readTree(t, dst))); diff != "" {
		t.Errorf("collection changed (-before +after):\n%s", diff)
	}
	assertNoLeftovers(t, parent, "main")
}

// TestImportFailureHalfwayRollsBack fails the commit at every rename in turn and checks that
// the collection, folders included, is exactly as it was.
func TestImportFailureHalfwayRollsBack(t *testing.T) {
	a, b := pngOf(t, 1290, 2796, 1), pngOf(t, 1290, 2796, 2)
	before := map[string][]byte{
		"keyword/en-US.txt":                     []byte("old keywords"),
		"name/en-US.txt":                        []byte("Old Name"),
		"screenshot/en-US/APP_IPHONE_67/01.png": a,
		"screenshot/en-US/APP_IPHONE_67/02.png": b,
	}
	src := writeFile(t, "src.zip", zipBytes(t, map[string][]byte{
		"keyword/en-US.txt":                            []byte("new keywords"),
		"keyword/de-DE.txt":                            []byte("neue"),
		"screenshot/en-US/APP_IPHONE_67/01.png":        b,
		"screenshot/fr-FR/APP_IPAD_PRO_3GEN_129/1.png": a,
	}))
	const renames = 6 // 2 replaced (set aside + move in) and 2 new (move in)
	for failAt := 1; failAt <= renames+1; failAt++ {
		t.Run(fmt.Sprint("fail at rename ", failAt), func(t *testing.T) {
			parent := t.TempDir()
			dst := filepath.Join(parent, "main")
			writeTree(t, dst, before)
			orig := readTree(t, dst)
			calls := 0
			rename := func(o, n string) error {
				calls++
				if calls == failAt {
					return errors.New("injected failure")
				}
				return os.Rename(o, n)
			}
			_, err := importWith(src, dst, ImportOptions{}, rename)
			if failAt > renames {
				if err != nil {
					t.Fatalf("Import with no failure: %v", err)
				}
				if got := readTree(t, dst)["keyword/de-DE.txt"]; got != "neue" {
					t.Errorf("keyword/de-DE.txt = %q after a clean import", got)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "injected failure") {
				t.Fatalf("error %v, want the injected failure", err)
			}
			if diff := cmp.Diff(orig, readTree(t, dst)); diff != "" {
				t.Errorf("collection not restored (-before +after):\n%s", diff)
			}
			assertNoLeftovers(t, parent, "main")
		})
	}
}
