package engine

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/remote"
	"github.com/storesyncer/storesyncer/internal/safefile"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// ErrFileChanged is wrapped when a file no longer holds what the plan saw, so a pulled value
// was not written over a local edit.
var ErrFileChanged = errors.New("the file changed since the plan; not overwritten")

// textPath is the file of text key k in collection dir.
func textPath(dir string, k plan.Key) string {
	f, _ := k.Field()
	return filepath.Join(dir, f.Dir, k.Locale()+".txt")
}

// pullText writes text into path atomically, but only if the file still holds want (the
// normalized text the plan saw; "" means absent or empty). An empty text removes the file.
func pullText(path, want, text string) error {
	got, err := collection.ReadText(path)
	if errors.Is(err, fs.ErrNotExist) {
		got, err = "", nil
	}
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("%s: %w", path, ErrFileChanged)
	}
	if text == "" {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove %s: %w", path, err)
		}
		return nil
	}
	if err := insideCollection(filepath.Dir(filepath.Dir(path)), filepath.Dir(path)); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return workspace.WriteFileAtomic(path, []byte(text+"\n"), 0o644)
}

// insideCollection makes sure folder, inside the collection collDir and perhaps not made yet,
// really is inside it (safefile.CheckWrite): a pull never writes or deletes files through a
// link out of the collection.
func insideCollection(collDir, folder string) error {
	return safefile.CheckWrite(collDir, folder)
}

// setFolder is the folder of set k in collection dir: the existing folder when the
// collection has the set (it may use an alias name), else the canonical one.
func setFolder(dir string, k plan.Key, local *collection.MediaSet) string {
	if local != nil && local.Dir != "" {
		return filepath.Join(dir, filepath.FromSlash(local.Dir))
	}
	kind, typ, _ := k.Media()
	return filepath.Join(dir, string(kind), k.Locale(), typ)
}

var pulledPrefix = regexp.MustCompile(`^[0-9]{2,}_`)

// pulledName is the file name of the i-th (0-based) asset of a pulled set: NN_<fileName>,
// with the extension of what the download returns.
func pulledName(i int, kind plan.MediaKind, fileName string) string {
	name := filepath.Base(strings.ReplaceAll(fileName, "\\", "/"))
	if name == "." || name == "/" || strings.HasPrefix(name, ".") {
		name = "asset" + name
	}
	name = pulledPrefix.ReplaceAllString(name, "")
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case kind == plan.Preview && !slices.Contains([]string{".mp4", ".mov", ".m4v"}, ext):
		name += ".mp4"
	case kind == plan.Screenshot && !slices.Contains([]string{".png", ".jpg", ".jpeg"}, ext):
		name += ".jpg"
	}
	return fmt.Sprintf("%02d_%s", i+1, name)
}

// setWriter downloads remote sets into a collection.
type setWriter struct {
	r    Remote
	snap *remote.Snapshot
	dir  string
	sums checksumMap
}

// write makes the folder of set k hold the remote value v: its COMPLETE assets in order. When
// the folder already matches (through the checksum map) nothing is downloaded. Local files
// that match a remote asset are copied instead of downloaded. It returns the bytes
// downloaded.
func (w *setWriter) write(ctx context.Context, k plan.Key, v plan.Value, local *collection.MediaSet) (int64, error) {
	folder := setFolder(w.dir, k, local)
	have := map[string]string{} // remote checksum → local path
	var localSums []string
	if local != nil {
		for _, a := range local.Assets {
			sum := translate(w.sums, a.MD5, v)
			localSums = append(localSums, sum)
			have[sum] = filepath.Join(w.dir, filepath.FromSlash(a.Path))
		}
	}
	want := v.Checksums()
	if local != nil && slices.Equal(localSums, want) {
		return 0, nil
	}
	if err := insideCollection(w.dir, folder); err != nil {
		return 0, fmt.Errorf("pull %s: %w", k, err)
	}
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return 0, fmt.Errorf("pull %s: %w", k, err)
	}
	kind, _, _ := k.Media()
	type staged struct{ tmp, name string }
	var files []staged
	cleanup := func() {
		for _, f := range files {
			_ = os.Remove(f.tmp)
		}
	}
	var downloaded int64
	for i, a := range completeAssets(v) {
		data, err := w.assetBytes(ctx, a, have)
		if err != nil {
			cleanup()
			return downloaded, fmt.Errorf("pull %s: %w", k, err)
		}
		if _, ok := have[a.Checksum]; !ok {
			downloaded += int64(len(data))
		}
		tmp, err := writeTemp(folder, data)
		if err != nil {
			cleanup()
			return downloaded, fmt.Errorf("pull %s: %w", k, err)
		}
		files = append(files, staged{tmp: tmp, name: pulledName(i, kind, a.Name)})
		sum := md5.Sum(data)
		w.sums[hex.EncodeToString(sum[:])] = a.Checksum
	}
	if err := clearMedia(folder); err != nil {
		cleanup()
		return downloaded, fmt.Errorf("pull %s: %w", k, err)
	}
	for _, f := range files {
		if err := os.Rename(f.tmp, filepath.Join(folder, f.name)); err != nil {
			cleanup()
			return downloaded, fmt.Errorf("pull %s: %w", k, err)
		}
	}
	return downloaded, nil
}

// assetBytes returns the content of remote asset a: a matching local file's bytes when there
// is one, else the download.
func (w *setWriter) assetBytes(ctx context.Context, a plan.Asset, have map[string]string) ([]byte, error) {
	if p, ok := have[a.Checksum]; ok {
		if b, err := safefile.ReadRegular(p); err == nil {
			return b, nil
		}
	}
	ra, ok := w.snap.Assets[a.RemoteID]
	if !ok {
		return nil, fmt.Errorf("asset %s (%s) is not in the snapshot", a.RemoteID, a.Name)
	}
	return w.r.DownloadAsset(ctx, ra)
}

func completeAssets(v plan.Value) []plan.Asset {
	var out []plan.Asset
	for _, a := range v.Assets {
		if (a.State == "" || a.State == plan.StateComplete) && a.Checksum != "" {
			out = append(out, a)
		}
	}
	return out
}

// writeTemp writes data to a new dot file in folder (ignored by the watcher and by Load).
func writeTemp(folder string, data []byte) (string, error) {
	f, err := os.CreateTemp(folder, ".pull-*")
	if err != nil {
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		_ = os.Remove(f.Name())
		return "", err
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(f.Name())
		return "", err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		_ = os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// clearMedia removes the files of a set folder that Load would read (not ignored ones).
func clearMedia(folder string) error {
	entries, err := os.ReadDir(folder)
	if err != nil {
		return err
	}
	for _, en := range entries {
		if en.IsDir() || collection.IsIgnored(en.Name()) {
			continue
		}
		if err := os.Remove(filepath.Join(folder, en.Name())); err != nil {
			return err
		}
	}
	return nil
}
