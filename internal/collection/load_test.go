package collection

import (
	"crypto/md5"
	"encoding/hex"
	"image"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func md5Hex(b []byte) string {
	s := md5.Sum(b)
	return hex.EncodeToString(s[:])
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	png67 := rgbPNG(t, 1290, 2796)
	png69 := rgbPNG(t, 1320, 2868)
	jpg := jpegImage(t, 1290, 2796, false)
	mov := mp4File(mp4Spec{Seconds: 20, W: 886, H: 1920})
	writeFiles(t, dir, map[string][]byte{
		"keyword/de-DE.txt":                        []byte("\xef\xbb\xbfeins,zwei\r\n"),
		"description/de-DE.txt":                    []byte("Zeile 1\r\nZeile 2\n\n"),
		"whatsNew/de-DE.txt":                       []byte("   \n"),    // empty: not managed
		"name/en-UK.txt":                           []byte("Colour"),   // unknown locale: held
		"subtitle/de-DE.txt":                       []byte("bad \xff"), // invalid: held
		"screenshot/de-DE/APP_IPHONE_67/10.png":    png67,
		"screenshot/de-DE/APP_IPHONE_67/2.png":     png67,
		"screenshot/de-DE/APP_IPHONE_67/1.jpg":     jpg,
		"screenshot/de-DE/APP_IPHONE_67/.DS_Store": []byte("x"),
		"screenshot/ja/APP_IPHONE_69/1.png":        png69,
		"screenshot/fr-FR/APP_IPHONE_67/1.png":     png67,
		"screenshot/fr-FR/APP_IPHONE_69/1.png":     png69, // both: held
		"screenshot/ja/APP_IPHONE_65/1.png":        png67, // wrong size: held
		"preview/de-DE/IPHONE_67/1.mp4":            mov,
		"description/xx.md":                        []byte("not a key"),
	})
	mkdirs(t, dir, "screenshot/de-DE/APP_IPAD_105") // empty: not managed
	c, problems, err := Load(dir, Options{Platform: IOS})
	if err != nil {
		t.Fatal(err)
	}
	wantKeys := []Key{"de-DE/description", "de-DE/keyword", "de-DE/preview/IPHONE_67", "de-DE/screenshot/APP_IPHONE_67",
		"de-DE/subtitle", "en-UK/name", "fr-FR/screenshot/APP_IPHONE_67", "ja/screenshot/APP_IPHONE_65", "ja/screenshot/APP_IPHONE_67"}
	if diff := cmp.Diff(wantKeys, c.Keys()); diff != "" {
		t.Errorf("Keys (-want +got):\n%s", diff)
	}
	wantHeld := []Key{"de-DE/subtitle", "en-UK/name", "fr-FR/screenshot/APP_IPHONE_67", "ja/screenshot/APP_IPHONE_65"}
	if diff := cmp.Diff(wantHeld, c.HeldKeys()); diff != "" {
		t.Errorf("HeldKeys (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"de-DE", "en-UK", "fr-FR", "ja"}, c.Locales()); diff != "" {
		t.Errorf("Locales (-want +got):\n%s", diff)
	}
	if got := c.Texts["de-DE/keyword"].Value; got != "eins,zwei" {
		t.Errorf("keyword = %q, want BOM and CRLF dropped", got)
	}
	if got := c.Texts["de-DE/description"].Value; got != "Zeile 1\nZeile 2" {
		t.Errorf("description = %q", got)
	}
	if f := c.Texts["de-DE/keyword"].Field; f.Attr != "keywords" {
		t.Errorf("keyword field attr = %q", f.Attr)
	}

	set := c.Sets["de-DE/screenshot/APP_IPHONE_67"]
	wantAssets := []Asset{
		{Path: "screenshot/de-DE/APP_IPHONE_67/1.jpg", Name: "1.jpg", Size: int64(len(jpg)), MD5: md5Hex(jpg)},
		{Path: "screenshot/de-DE/APP_IPHONE_67/2.png", Name: "2.png", Size: int64(len(png67)), MD5: md5Hex(png67)},
		{Path: "screenshot/de-DE/APP_IPHONE_67/10.png", Name: "10.png", Size: int64(len(png67)), MD5: md5Hex(png67)},
	}
	if diff := cmp.Diff(wantAssets, set.Assets, cmpopts.IgnoreFields(Asset{}, "ModTime")); diff != "" {
		t.Errorf("assets (-want +got):\n%s", diff)
	}
	if !set.Valid() || set.Kind != Screenshots || set.Type != "APP_IPHONE_67" || set.Dir != "screenshot/de-DE/APP_IPHONE_67" {
		t.Errorf("set = %+v", set)
	}
	ja := c.Sets["ja/screenshot/APP_IPHONE_67"]
	if ja.Dir != "screenshot/ja/APP_IPHONE_69" || ja.Type != "APP_IPHONE_67" || !ja.Valid() {
		t.Errorf("alias set = %+v; want APP_IPHONE_69 read as APP_IPHONE_67", ja)
	}
	if p := c.Sets["de-DE/preview/IPHONE_67"]; len(p.Assets) != 1 || p.Assets[0].MD5 != md5Hex(mov) || p.Kind != Previews {
		t.Errorf("preview set = %+v", p)
	}
	// Load reports what Validate reports.
	vp, err := Validate(dir, Options{Platform: IOS})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(vp, problems); diff != "" {
		t.Errorf("Load problems differ from Validate (-validate +load):\n%s", diff)
	}
	// A held key carries its problems, including a locale folder's.
	if got := project(c.Texts["en-UK/name"].Problems); !cmp.Equal(got, []found{{"name/en-UK.txt", CodeLocaleUnknown, SeverityError}}) {
		t.Errorf("en-UK/name problems = %v", got)
	}
}

func TestLoadHeldByLocaleFolder(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string][]byte{"screenshot/en-UK/APP_IPHONE_67/1.png": rgbPNG(t, 1290, 2796)})
	c, problems, err := Load(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	set, ok := c.Sets["en-UK/screenshot/APP_IPHONE_67"]
	if !ok || set.Valid() {
		t.Fatalf("set = %+v, %v; want a held set", set, ok)
	}
	want := []found{{"screenshot/en-UK", CodeLocaleUnknown, SeverityError}}
	if diff := cmp.Diff(want, project(problems)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

// countingCache is a FileCache that counts hits and misses.
type countingCache struct {
	MemoryCache
	hits, misses atomic.Int64
}

func (c *countingCache) Get(p string, st FileStat) (FileFacts, bool) {
	f, ok := c.MemoryCache.Get(p, st)
	if ok {
		c.hits.Add(1)
	} else {
		c.misses.Add(1)
	}
	return f, ok
}

func TestLoadCache(t *testing.T) {
	dir := t.TempDir()
	a := rgbPNG(t, 1290, 2796)
	writeFiles(t, dir, map[string][]byte{
		"screenshot/en-US/APP_IPHONE_67/1.png": a,
		"screenshot/en-US/APP_IPHONE_67/2.png": a,
	})
	cache := &countingCache{}
	if _, _, err := Load(dir, Options{Cache: cache}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Load(dir, Options{Cache: cache}); err != nil {
		t.Fatal(err)
	}
	if cache.hits.Load() != 2 || cache.misses.Load() != 2 {
		t.Errorf("hits %d misses %d; want 2 and 2", cache.hits.Load(), cache.misses.Load())
	}
	// A rewritten file (new size and time) is hashed again, not served from the cache.
	b := rgbPNG(t, 1320, 2868)
	p := filepath.Join(dir, "screenshot", "en-US", "APP_IPHONE_67", "2.png")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, time.Now(), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	c, _, err := Load(dir, Options{Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Sets["en-US/screenshot/APP_IPHONE_67"].Assets[1].MD5; got != md5Hex(b) {
		t.Errorf("MD5 after rewrite = %s, want %s", got, md5Hex(b))
	}
}

// TestLoadCacheNoticesSameSizeAndTime rewrites a file with other bytes of the same size and
// puts its modification time back: the change time (and inode, after a rename) still differ.
func TestLoadCacheNoticesSameSizeAndTime(t *testing.T) {
	dir := t.TempDir()
	rel := "screenshot/en-US/APP_IPHONE_67/1.png"
	a := rawPNG(t, pngSpec{W: 1290, H: 2796, Type: ctRGB})
	b := slices.Clone(a)
	b[len(b)-13] ^= 0xff // the IDAT checksum: same size, other bytes
	writeFile(t, dir, rel, a)
	cache := &MemoryCache{}
	if _, _, err := Load(dir, Options{Cache: cache}); err != nil {
		t.Fatal(err)
	}
	abs := filepath.Join(dir, filepath.FromSlash(rel))
	fi, _ := os.Lstat(abs)
	for _, how := range []string{"in place", "by rename"} {
		time.Sleep(10 * time.Millisecond) // a coarse clock must see a new change time
		if how == "in place" {
			if err := os.WriteFile(abs, b, 0o644); err != nil {
				t.Fatal(err)
			}
		} else {
			writeFile(t, dir, rel+".tmp", a)
			if err := os.Rename(abs+".tmp", abs); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chtimes(abs, fi.ModTime(), fi.ModTime()); err != nil {
			t.Fatal(err)
		}
		want := b
		if how != "in place" {
			want = a
		}
		c, _, err := Load(dir, Options{Cache: cache})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Sets["en-US/screenshot/APP_IPHONE_67"].Assets[0].MD5; got != md5Hex(want) {
			t.Errorf("%s: MD5 = %s, want %s (a stale cache entry)", how, got, md5Hex(want))
		}
	}
}

// factsCache answers every Get with the same facts, whatever the file holds.
type factsCache struct{ facts FileFacts }

func (c factsCache) Get(string, FileStat) (FileFacts, bool) { return c.facts, true }
func (c factsCache) Put(string, FileStat, FileFacts)        {}

// TestLoadCacheHitReadsNothing shows that a hit is not opened: the facts of a valid image
// are believed for a file that holds none.
func TestLoadCacheHitReadsNothing(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "screenshot/en-US/APP_IPHONE_67/1.png", []byte("not an image"))
	cache := factsCache{FileFacts{MD5: "0123", Probed: true, Format: "PNG", Trailer: true, Width: 1290, Height: 2796}}
	c, problems, err := Load(dir, Options{Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	set := c.Sets["en-US/screenshot/APP_IPHONE_67"]
	if len(problems) != 0 || len(set.Assets) != 1 || set.Assets[0].MD5 != "0123" {
		t.Errorf("problems %v, assets %+v; want the cached facts, read from no file", problems, set.Assets)
	}
}

func TestValidateCachesAlphaVerdict(t *testing.T) {
	dir := t.TempDir()
	rel := "screenshot/en-US/APP_IPHONE_67/1.png"
	writeFile(t, dir, rel, rawPNG(t, pngSpec{W: 1290, H: 2796, Type: ctRGBA, HasHole: true, Hole: image.Pt(3, 4)}))
	cache := &MemoryCache{}
	want := []found{{rel, CodeImageTransparent, SeverityError}}
	for i := range 2 {
		got, err := Validate(dir, Options{Cache: cache})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, project(got)); diff != "" {
			t.Fatalf("run %d problems (-want +got):\n%s", i, diff)
		}
	}
	abs := filepath.Join(dir, filepath.FromSlash(rel))
	fi, _ := os.Lstat(abs)
	facts, ok := cache.Get(abs, StatOf(fi))
	if !ok || !facts.AlphaChecked || !facts.Transparent || facts.FirstClear != image.Pt(3, 4) || facts.MD5 != "" {
		t.Errorf("cached facts = %+v, %v; want the alpha verdict and no hash (Validate hashes nothing)", facts, ok)
	}
}

func TestParseKey(t *testing.T) {
	tests := []struct {
		key     Key
		want    KeyParts
		wantErr bool
	}{
		{key: "de-DE/keyword", want: KeyParts{Locale: "de-DE", Field: Fields[4]}},
		{key: "ja/screenshot/APP_IPHONE_67", want: KeyParts{Locale: "ja", Kind: Screenshots, Type: "APP_IPHONE_67"}},
		{key: "ja/preview/IPHONE_67", want: KeyParts{Locale: "ja", Kind: Previews, Type: "IPHONE_67"}},
		{key: "de-DE/keywords", wantErr: true},
		{key: "ja/video/X", wantErr: true},
		{key: "ja", wantErr: true},
		{key: "/keyword", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseKey(tt.key)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseKey(%q) error = %v, wantErr %v", tt.key, err, tt.wantErr)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseKey(%q) (-want +got):\n%s", tt.key, diff)
		}
		if err == nil {
			var back Key
			if got.IsText() {
				back = TextKey(got.Locale, got.Field.Dir)
			} else {
				back = SetKey(got.Kind, got.Locale, got.Type)
			}
			if back != tt.key {
				t.Errorf("round trip of %q gave %q", tt.key, back)
			}
		}
	}
}

// TestLoadQuiet checks that a quieted warning leaves both the problem list and the key's own
// problems, so plan, push and the daemon stop repeating it.
func TestLoadQuiet(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string][]byte{"keyword/ja.txt": []byte(strings.Repeat("日", 40))})
	for _, quiet := range [][]string{nil, {CodeKeywordBytes}} {
		c, problems, err := Load(dir, Options{Quiet: quiet})
		if err != nil {
			t.Fatal(err)
		}
		want := 1
		if quiet != nil {
			want = 0
		}
		if len(problems) != want || len(c.Texts["ja/keyword"].Problems) != want {
			t.Errorf("quiet %v: problems %v, key problems %v; want %d each", quiet, problems, c.Texts["ja/keyword"].Problems, want)
		}
	}
}

// TestReloadReadsOnlyChangedKeys edits three files but names two keys as changed: Reload
// reads those two again and keeps the third file's earlier result; a changed key in a folder
// it did not know makes it list everything again, and it sees the new set.
func TestReloadReadsOnlyChangedKeys(t *testing.T) {
	dir := t.TempDir()
	a, b := rgbPNG(t, 1290, 2796), rgbPNG(t, 1320, 2868)
	writeFiles(t, dir, map[string][]byte{
		"keyword/en-US.txt":                    []byte("one"),
		"description/en-US.txt":                []byte("old description"),
		"screenshot/en-US/APP_IPHONE_69/1.png": a,
	})
	prev, _, err := Load(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string][]byte{
		"keyword/en-US.txt":                    []byte("two"),
		"description/en-US.txt":                []byte("new description"),
		"screenshot/en-US/APP_IPHONE_69/1.png": b,
	})
	// The set is named by its folder, as a watcher sees it (APP_IPHONE_69 is APP_IPHONE_67).
	c, problems, err := Reload(dir, Options{}, prev, []Key{"en-US/keyword", "en-US/screenshot/APP_IPHONE_69"})
	if err != nil || len(problems) != 0 {
		t.Fatalf("Reload: %v %v", err, problems)
	}
	if got := c.Texts["en-US/keyword"].Value; got != "two" {
		t.Errorf("changed keyword = %q, want two", got)
	}
	if got := c.Texts["en-US/description"].Value; got != "old description" {
		t.Errorf("unchanged description = %q, want the earlier read", got)
	}
	if got := c.Sets["en-US/screenshot/APP_IPHONE_67"].Assets[0].MD5; got != md5Hex(b) {
		t.Errorf("changed set MD5 = %s, want %s", got, md5Hex(b))
	}
	// A key in a folder the earlier load did not list makes Reload list everything.
	writeFiles(t, dir, map[string][]byte{"screenshot/de-DE/APP_IPHONE_67/1.png": a})
	c, problems, err = Reload(dir, Options{}, c, []Key{"de-DE/screenshot/APP_IPHONE_67"})
	if err != nil || len(problems) != 0 {
		t.Fatalf("Reload: %v %v", err, problems)
	}
	if got := c.Sets["de-DE/screenshot/APP_IPHONE_67"].Assets; len(got) != 1 || got[0].MD5 != md5Hex(a) {
		t.Errorf("new set = %+v, want one asset read from disk", got)
	}
	if got := c.Texts["en-US/description"].Value; got != "old description" {
		t.Errorf("unchanged description after a whole listing = %q, want the earlier read", got)
	}
	// A whole Load sees everything; Reload without an earlier load is Load.
	full, _, _ := Reload(dir, Options{}, nil, nil)
	if got := full.Texts["en-US/description"].Value; got != "new description" {
		t.Errorf("Reload without prev: description = %q", got)
	}
}

// TestReloadMatchesLoad changes files only inside the keys it names (a screenshot added, one
// removed, a text rewritten, a stray file added) and checks that Reload finds what a whole
// Load finds.
func TestReloadMatchesLoad(t *testing.T) {
	dir := t.TempDir()
	a, b := rgbPNG(t, 1290, 2796), rgbPNG(t, 1320, 2868)
	writeFiles(t, dir, map[string][]byte{
		"keyword/en-US.txt":                    []byte("one"),
		"keyword/notes.md":                     []byte("a stray file: a warning"),
		"description/en-US.txt":                []byte("description"),
		"screenshot/en-US/APP_IPHONE_67/1.png": a,
		"screenshot/en-US/APP_IPHONE_67/2.png": b,
		"screenshot/de-DE/APP_IPHONE_67/1.png": a,
	})
	prev, _, err := Load(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string][]byte{
		"keyword/de-DE.txt":                    []byte("neu"),
		"screenshot/de-DE/APP_IPHONE_67/2.png": b,
		"screenshot/de-DE/APP_IPHONE_67/x.txt": []byte("not media"),
	})
	if err := os.Remove(filepath.Join(dir, "screenshot", "en-US", "APP_IPHONE_67", "1.png")); err != nil {
		t.Fatal(err)
	}
	got, gotProblems, err := Reload(dir, Options{}, prev, []Key{"de-DE/keyword", "de-DE/screenshot/APP_IPHONE_67", "en-US/screenshot/APP_IPHONE_67"})
	if err != nil {
		t.Fatal(err)
	}
	want, wantProblems, err := Load(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want.Texts, got.Texts); diff != "" {
		t.Errorf("texts (-Load +Reload):\n%s", diff)
	}
	if diff := cmp.Diff(want.Sets, got.Sets); diff != "" {
		t.Errorf("sets (-Load +Reload):\n%s", diff)
	}
	if diff := cmp.Diff(wantProblems, gotProblems); diff != "" || len(gotProblems) < 2 {
		t.Errorf("problems (-Load +Reload):\n%s", diff)
	}
}

// TestReloadListsOnlyNamedFolders names a text key whose field folder does not exist: Reload
// lists no folder at all, so a stray file added elsewhere is not seen until its own folder is
// named.
func TestReloadListsOnlyNamedFolders(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string][]byte{"keyword/en-US.txt": []byte("one")})
	prev, _, err := Load(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string][]byte{"keyword/notes.md": []byte("stray")})
	_, problems, err := Reload(dir, Options{}, prev, []Key{"en-US/whatsNew"})
	if err != nil || len(problems) != 0 {
		t.Errorf("Reload naming a key without a folder: %v, problems %v; want none", err, problems)
	}
	_, problems, err = Reload(dir, Options{}, prev, []Key{"en-US/keyword"})
	if err != nil || len(problems) != 1 || problems[0].Path != "keyword/notes.md" {
		t.Errorf("Reload naming the keyword: %v, problems %v; want the stray file's warning", err, problems)
	}
}
