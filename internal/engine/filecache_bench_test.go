package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/state"
)

// BenchmarkFileCacheBegin5000 is what a command pays to read the file-hash cache of a
// collection of 5,000 images from the state before its first load: "rows" is the state's
// query alone, "begin" the engine's whole read (rows and their facts decoded).
func BenchmarkFileCacheBegin5000(b *testing.B) {
	st, err := state.Open(filepath.Join(b.TempDir(), "state"), state.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	dir := "/ws/apps/demo/collections/main"
	facts, _ := json.Marshal(collection.FileFacts{Probed: true, Format: "PNG", Trailer: true, Width: 1290, Height: 2796})
	var put []state.FileHash
	for i := range 5000 {
		put = append(put, state.FileHash{Path: fmt.Sprintf("%s/screenshot/l%02d/T%d/%02d.png", dir, i/100, i/10%10, i%10),
			Size: 40000 + int64(i), ModTimeNS: 1e18 + int64(i), ChangeTimeNS: 1e18 + int64(i), Inode: uint64(i),
			MD5: fmt.Sprintf("%032x", i), Facts: string(facts)})
	}
	ctx := context.Background()
	if err := st.SaveFileHashes(ctx, put, nil); err != nil {
		b.Fatal(err)
	}
	b.Run("rows", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.FileHashes(ctx, dir); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("begin", func(b *testing.B) {
		for b.Loop() {
			if l := newFileCache(st, slog.Default()).begin(ctx, dir); len(l.entries) != 5000 {
				b.Fatalf("%d entries", len(l.entries))
			}
		}
	})
}
