package ascapi

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// blobStore is a fake upload host: it records each part and can fail chosen attempts.
type blobStore struct {
	t        testing.TB
	mu       sync.Mutex
	parts    map[string][]byte
	headers  map[string]http.Header
	attempts map[string]int
	failFor  map[string]int // path → number of first attempts answered 500
	inFlight atomic.Int32
	peak     atomic.Int32
	barrier  chan struct{} // closed once want parts are in flight at once
	once     sync.Once
	want     int32
}

func newBlobStore(t testing.TB, parallel int) *blobStore {
	b := &blobStore{t: t, parts: map[string][]byte{}, headers: map[string]http.Header{}, attempts: map[string]int{}, failFor: map[string]int{}, want: int32(parallel), barrier: make(chan struct{})}
	if parallel <= 1 {
		b.once.Do(func() { close(b.barrier) })
	}
	return b
}

func (b *blobStore) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := b.inFlight.Add(1)
	defer b.inFlight.Add(-1)
	for {
		p := b.peak.Load()
		if n <= p || b.peak.CompareAndSwap(p, n) {
			break
		}
	}
	if n >= b.want {
		b.once.Do(func() { close(b.barrier) })
	}
	select { // parts wait for their peers: a sequential client never gets here with peers
	case <-b.barrier:
	case <-time.After(10 * time.Second):
		b.t.Errorf("part %s: the other parts never arrived in parallel", r.URL.Path)
	}
	data, _ := io.ReadAll(r.Body)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.attempts[r.URL.Path]++
	if b.attempts[r.URL.Path] <= b.failFor[r.URL.Path] {
		http.Error(w, "try again", 500)
		return
	}
	b.parts[r.URL.Path] = data
	b.headers[r.URL.Path] = r.Header.Clone()
	w.WriteHeader(200)
}

func opsFor(base string, data []byte, partSize int) []UploadOperation {
	var ops []UploadOperation
	for i, off := 0, 0; off < len(data); i, off = i+1, off+partSize {
		n := min(partSize, len(data)-off)
		ops = append(ops, UploadOperation{
			Method: "PUT", URL: fmt.Sprintf("%s/part%d?X-Amz-Signature=secret%d&Expires=1", base, i, i),
			Offset: int64(off), Length: int64(n),
			RequestHeaders: []HTTPHeader{{Name: "Content-Type", Value: "image/png"}, {Name: "X-Part", Value: fmt.Sprint(i)}},
		})
	}
	return ops
}

func TestUploadPartsInParallelWithExactHeaders(t *testing.T) {
	blobs := newBlobStore(t, 4)
	up := httptest.NewServer(blobs)
	defer up.Close()
	env := setup(t, WithUploadConcurrency(4))
	data := bytes.Repeat([]byte("0123456789"), 40) // 400 bytes, 4 parts of 100
	if err := env.client.Upload(context.Background(), opsFor(up.URL, data, 100), bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	var joined []byte
	for i := 0; i < 4; i++ {
		p := fmt.Sprintf("/part%d", i)
		joined = append(joined, blobs.parts[p]...)
		h := blobs.headers[p]
		if h.Get("Authorization") != "" {
			t.Errorf("part %d carries Authorization", i)
		}
		if h.Get("Content-Type") != "image/png" || h.Get("X-Part") != fmt.Sprint(i) {
			t.Errorf("part %d headers = %v", i, h)
		}
	}
	if !bytes.Equal(joined, data) {
		t.Error("reassembled parts differ from the file")
	}
	if blobs.peak.Load() < 4 {
		t.Errorf("peak parallel parts = %d, want 4", blobs.peak.Load())
	}
}

func TestUploadRetriesFailedPart(t *testing.T) {
	blobs := newBlobStore(t, 1)
	blobs.failFor["/part1"] = 2
	up := httptest.NewServer(blobs)
	defer up.Close()
	env := setup(t)
	data := []byte(strings.Repeat("x", 250))
	if err := env.client.Upload(context.Background(), opsFor(up.URL, data, 100), bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int{"/part0": 1, "/part1": 3, "/part2": 1}, blobs.attempts); diff != "" {
		t.Errorf("attempts (-want +got):\n%s", diff)
	}
	if !bytes.Equal(blobs.parts["/part1"], data[100:200]) {
		t.Error("retried part has the wrong bytes")
	}
}

func TestUploadGivesUpWithoutLeakingSignature(t *testing.T) {
	blobs := newBlobStore(t, 1)
	blobs.failFor["/part0"] = 100
	up := httptest.NewServer(blobs)
	defer up.Close()
	env := setup(t, WithMaxRetries(4))
	data := []byte("abc")
	err := env.client.Upload(context.Background(), opsFor(up.URL, data, 100), bytes.NewReader(data))
	if err == nil || blobs.attempts["/part0"] != 5 {
		t.Fatalf("err = %v after %d attempts, want an error after 5", err, blobs.attempts["/part0"])
	}
	if strings.Contains(err.Error(), "secret0") {
		t.Errorf("error leaks the pre-signed query: %v", err)
	}
}

func TestReserveUploadCommit(t *testing.T) {
	blobs := newBlobStore(t, 1)
	up := httptest.NewServer(blobs)
	defer up.Close()
	env := setup(t)
	data := bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, 75) // 300 bytes
	sum := md5.Sum(data)
	var commit map[string]any
	env.mux.HandleFunc("POST /v1/appScreenshots", func(w http.ResponseWriter, r *http.Request) {
		body := readBody(t, r)
		d := body["data"].(map[string]any)
		want := map[string]any{"fileName": "01.png", "fileSize": float64(300)}
		if diff := cmp.Diff(want, d["attributes"]); diff != "" {
			t.Errorf("reserve attributes (-want +got):\n%s", diff)
		}
		writeDoc(w, 201, map[string]any{"data": map[string]any{"type": "appScreenshots", "id": "sh1", "attributes": map[string]any{
			"fileName": "01.png", "fileSize": 300, "sourceFileChecksum": nil, "imageAsset": nil,
			"assetDeliveryState": map[string]any{"state": "AWAITING_UPLOAD", "errors": []any{}},
			"uploadOperations":   opsFor(up.URL, data, 128),
		}}})
	})
	env.mux.HandleFunc("PATCH /v1/appScreenshots/sh1", func(w http.ResponseWriter, r *http.Request) {
		commit = readBody(t, r)
		writeRaw(w, 200, `{"data":{"type":"appScreenshots","id":"sh1","attributes":{"fileName":"01.png","fileSize":300,"sourceFileChecksum":null,"uploadOperations":null,"assetDeliveryState":{"state":"UPLOAD_COMPLETE","errors":[]}}}}`)
	})
	// The steps internal/remote takes: reserve, send the parts, commit with the file's MD5.
	ctx := context.Background()
	res, _, err := env.client.Screenshots.Reserve(ctx, "set1", "01.png", int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if err := env.client.Upload(ctx, res.UploadOperations, bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	sh, _, err := env.client.Screenshots.Commit(ctx, res.ID, hex.EncodeToString(sum[:]))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"data": map[string]any{"type": "appScreenshots", "id": "sh1", "attributes": map[string]any{"uploaded": true, "sourceFileChecksum": hex.EncodeToString(sum[:])}}}
	if diff := cmp.Diff(want, commit); diff != "" {
		t.Errorf("commit body (-want +got):\n%s", diff)
	}
	if sh.State != StateUploadComplete || len(blobs.parts) != 3 {
		t.Errorf("screenshot %+v, %d parts", sh.Asset, len(blobs.parts))
	}
}
