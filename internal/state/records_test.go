package state

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestHistoryPaging(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := openStore(t, t.TempDir(), c)
	for i, app := range []string{"com.a", "com.b", "com.a", "com.a"} {
		c.Advance(time.Second)
		if _, err := s.AddHistory(ctx, HistoryEntry{App: app, Key: "en-US/name", Action: "push", Result: "ok", APICalls: i}); err != nil {
			t.Fatal(err)
		}
	}
	page1, err := s.History(ctx, "com.a", 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	page2, err := s.History(ctx, "com.a", 2, page1[len(page1)-1].ID)
	if err != nil {
		t.Fatal(err)
	}
	calls := func(es []HistoryEntry) []int {
		var out []int
		for _, e := range es {
			out = append(out, e.APICalls)
		}
		return out
	}
	if diff := cmp.Diff([][]int{{3, 2}, {0}}, [][]int{calls(page1), calls(page2)}); diff != "" {
		t.Errorf("history pages, newest first (-want +got):\n%s", diff)
	}
	if want := newClock().Now().Add(4 * time.Second); !page1[0].Time.Equal(want) {
		t.Errorf("history time = %v, want the injected clock's %v", page1[0].Time, want)
	}
	all, _ := s.History(ctx, "", 10, 0)
	if len(all) != 4 {
		t.Errorf("History(all apps) = %d entries, want 4", len(all))
	}
}

func TestEventsResumeAndPrune(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := openStore(t, t.TempDir(), c)
	var ids []int64
	for i := 0; i < 5; i++ {
		e, err := s.AddEvent(ctx, Event{Type: "job.done", App: "com.a", Data: json.RawMessage(`{"n":1}`)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
		c.Advance(time.Minute)
	}
	got, err := s.Events(ctx, ids[1], 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != ids[2] || got[1].ID != ids[3] || string(got[0].Data) != `{"n":1}` {
		t.Errorf("Events(after %d, 2) = %+v", ids[1], got)
	}
	if _, err := s.AddEvent(ctx, Event{Type: "x", Data: json.RawMessage(`{bad`)}); err == nil {
		t.Error("AddEvent accepted invalid JSON data")
	}
	n, err := s.PruneEvents(ctx, c.Now())
	if err != nil || n != 5 {
		t.Fatalf("PruneEvents = %d, %v; want 5", n, err)
	}
	e, err := s.AddEvent(ctx, Event{Type: "rebaseline"})
	if err != nil {
		t.Fatal(err)
	}
	if e.ID <= ids[4] || string(e.Data) != "{}" {
		t.Errorf("event after pruning has ID %d (last was %d) data %s; IDs must never be reused", e.ID, ids[4], e.Data)
	}
	if last, _ := s.LastEventID(ctx); last != e.ID {
		t.Errorf("LastEventID = %d, want %d", last, e.ID)
	}
}

func TestSettings(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir(), newClock())
	if _, ok, err := s.Setting(ctx, KeyPaused); ok || err != nil {
		t.Fatalf("unset setting = %v, %v", ok, err)
	}
	for _, v := range []string{"true", "false"} {
		if err := s.SetSetting(ctx, KeyPaused, v); err != nil {
			t.Fatal(err)
		}
	}
	if v, ok, _ := s.Setting(ctx, KeyPaused); !ok || v != "false" {
		t.Errorf("Setting = %q, %v; want the last value", v, ok)
	}
	if err := s.DeleteSetting(ctx, KeyPaused); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Setting(ctx, KeyPaused); ok {
		t.Error("setting survived DeleteSetting")
	}
	if KeyLastSync("com.a") != "last_sync/com.a" {
		t.Errorf("KeyLastSync = %q", KeyLastSync("com.a"))
	}
}

func TestUploadsSurviveRestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := newClock()
	s, err := Open(dir, Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	job := mustUpsert(t, s, intent("ja/screenshot/APP_IPHONE_67", "h"))
	id, err := s.AddUpload(ctx, Upload{JobID: job.ID, App: "com.a", SetResource: job.Resource, AssetID: "shot-1", FileMD5: "abc", FileName: "1.png", FileSize: 42})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddUpload(ctx, Upload{App: "com.a", SetResource: job.Resource, AssetID: "shot-1"}); err == nil {
		t.Error("a second upload row for the same asset was accepted")
	}
	if err := s.SetUploadState(ctx, id, UploadUploaded); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = openStore(t, dir, c)
	ups, err := s.Uploads(ctx, "com.a", "ja/screenshot/APP_IPHONE_67")
	if err != nil {
		t.Fatal(err)
	}
	want := []Upload{{ID: id, JobID: job.ID, App: "com.a", SetResource: job.Resource, AssetID: "shot-1", FileMD5: "abc", FileName: "1.png", FileSize: 42,
		State: UploadUploaded, CreatedAt: c.Now(), UpdatedAt: c.Now()}}
	if diff := cmp.Diff(want, ups); diff != "" {
		t.Errorf("uploads after restart (-want +got):\n%s", diff)
	}
	// A reverted job leaves its reservation to be cleaned up, no longer tied to the job.
	if _, err := s.DeleteJob(ctx, "com.a", job.Resource); err != nil {
		t.Fatal(err)
	}
	u, err := s.UploadByAsset(ctx, "shot-1")
	if err != nil || u.JobID != 0 {
		t.Errorf("upload after its job was deleted = %+v, %v; want JobID 0", u, err)
	}
	if err := s.DeleteUpload(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UploadByAsset(ctx, "shot-1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("UploadByAsset after delete = %v, want ErrNotFound", err)
	}
	if err := s.SetUploadState(ctx, id, UploadCommitted); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetUploadState(missing) = %v, want ErrNotFound", err)
	}
}
