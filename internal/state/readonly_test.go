package state

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sync/errgroup"
)

func openReadOnly(tb testing.TB, dir string) *Store {
	tb.Helper()
	s, err := OpenReadOnly(dir, Options{Now: newClock().Now})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

// TestReadOnlyBesideTheOwner is the daemon case: one Store owns the dir and writes while a
// read-only Store reads bases and jobs, each read seeing whole transactions.
func TestReadOnlyBesideTheOwner(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	owner := openStore(t, dir, newClock())
	if err := owner.SetBases(ctx, "com.a", "v1", map[string]string{"en-US/name": "0", "en-US/subtitle": "0"}); err != nil {
		t.Fatal(err)
	}
	if _, err := owner.Upsert(ctx, JobIntent{App: "com.a", Resource: "r0", Keys: []string{"en-US/name"}, IntentHash: "h"}); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open = %v; want ErrLocked (the owner holds the lock)", err)
	}
	ro := openReadOnly(t, dir)
	if !ro.ReadOnly() || owner.ReadOnly() {
		t.Errorf("ReadOnly() = %v for the read-only store, %v for the owner", ro.ReadOnly(), owner.ReadOnly())
	}

	const rounds = 40
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for i := 1; i <= rounds; i++ {
			v := fmt.Sprint(i)
			if err := owner.SetBases(gctx, "com.a", "v1", map[string]string{"en-US/name": v, "en-US/subtitle": v}); err != nil {
				return err
			}
			if _, err := owner.Upsert(gctx, JobIntent{App: "com.a", Resource: "r" + v, Keys: []string{"en-US/name"}, IntentHash: "h"}); err != nil {
				return err
			}
		}
		return nil
	})
	g.Go(func() error {
		for i := 0; i < rounds; i++ {
			b, err := ro.Bases(gctx, "com.a", "v1")
			if err != nil {
				return err
			}
			if b["en-US/name"] != b["en-US/subtitle"] {
				return fmt.Errorf("read half a transaction: %v", b)
			}
			if _, err := ro.Jobs(gctx, JobFilter{App: "com.a"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}

	// Once the owner has committed, a new read sees it.
	want := map[string]string{"en-US/name": fmt.Sprint(rounds), "en-US/subtitle": fmt.Sprint(rounds)}
	got, err := ro.Bases(ctx, "com.a", "v1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("read-only Bases after the writes (-want +got):\n%s", diff)
	}
	jobs, err := ro.Jobs(ctx, JobFilter{App: "com.a"})
	if err != nil || len(jobs) != rounds+1 {
		t.Errorf("read-only Jobs = %d jobs, %v; want %d", len(jobs), err, rounds+1)
	}

	// Closing the reader leaves the owner's lock alone.
	if err := ro.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrLocked) {
		t.Errorf("Open after the reader closed = %v; want ErrLocked", err)
	}
}

// TestReadOnlyWithoutOwner reads a dir nobody has open (the owner's last Close removed the
// WAL files), under names that a file: URI would misread if they were not escaped.
func TestReadOnlyWithoutOwner(t *testing.T) {
	for _, name := range []string{"state", "with space", "100%", "%41", "x&mode=rwc"} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			dir := filepath.Join(t.TempDir(), name)
			owner, err := Open(dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := owner.SetSetting(ctx, KeyPaused, "true"); err != nil {
				t.Fatal(err)
			}
			if err := owner.Close(); err != nil {
				t.Fatal(err)
			}
			ro := openReadOnly(t, dir)
			v, ok, err := ro.Setting(ctx, KeyPaused)
			if err != nil || !ok || v != "true" {
				t.Errorf("Setting = %q, %v, %v; want true", v, ok, err)
			}
			if err := ro.SetSetting(ctx, KeyPaused, "false"); !errors.Is(err, ErrReadOnly) {
				t.Errorf("SetSetting = %v; want ErrReadOnly", err)
			}
			// The reader took no lock: the dir can be owned while it is open.
			s, err := Open(dir, Options{})
			if err != nil {
				t.Fatalf("Open beside a reader = %v", err)
			}
			s.Close()
		})
	}
}

// writeCalls calls every write method of Store once, by name.
var writeCalls = map[string]func(context.Context, *Store) error{
	"SetBase": func(ctx context.Context, s *Store) error { return s.SetBase(ctx, "com.a", "v1", "en-US/name", "x") },
	"SetBases": func(ctx context.Context, s *Store) error {
		return s.SetBases(ctx, "com.a", "v1", map[string]string{"en-US/name": "x"})
	},
	"DeleteBase": func(ctx context.Context, s *Store) error {
		return s.DeleteBase(ctx, "com.a", "v1", "en-US/name")
	},
	"DeleteBasesExcept": func(ctx context.Context, s *Store) error {
		_, err := s.DeleteBasesExcept(ctx, "com.a", "v2")
		return err
	},
	"AddEvent": func(ctx context.Context, s *Store) error {
		_, err := s.AddEvent(ctx, Event{Type: "test"})
		return err
	},
	"PruneEvents": func(ctx context.Context, s *Store) error {
		_, err := s.PruneEvents(ctx, time.Now().Add(time.Hour))
		return err
	},
	"AddHistory": func(ctx context.Context, s *Store) error {
		_, err := s.AddHistory(ctx, HistoryEntry{App: "com.a", Key: "en-US/name", Action: "push", Result: "ok"})
		return err
	},
	"Upsert": func(ctx context.Context, s *Store) error {
		_, err := s.Upsert(ctx, JobIntent{App: "com.a", Resource: "r9", IntentHash: "h"})
		return err
	},
	"DeleteJob": func(ctx context.Context, s *Store) error {
		_, err := s.DeleteJob(ctx, "com.a", "r0")
		return err
	},
	"Claim": func(ctx context.Context, s *Store) error {
		_, err := s.Claim(ctx, time.Now().Add(time.Hour), 10)
		return err
	},
	"ClaimIDs": func(ctx context.Context, s *Store) error {
		_, err := s.ClaimIDs(ctx, time.Now().Add(time.Hour), []int64{1})
		return err
	},
	"Complete": func(ctx context.Context, s *Store) error { return s.Complete(ctx, 1) },
	"Fail": func(ctx context.Context, s *Store) error {
		return s.Fail(ctx, 1, errors.New("boom"), time.Now())
	},
	"Hold": func(ctx context.Context, s *Store) error { return s.Hold(ctx, 1, "why") },
	"Approve": func(ctx context.Context, s *Store) error {
		_, err := s.Approve(ctx, "")
		return err
	},
	"ApproveKeys": func(ctx context.Context, s *Store) error {
		_, err := s.ApproveKeys(ctx, "", []string{"de-DE/keyword"})
		return err
	},
	"Retry": func(ctx context.Context, s *Store) error { return s.Retry(ctx, 1) },
	"ResetInFlight": func(ctx context.Context, s *Store) error {
		_, err := s.ResetInFlight(ctx)
		return err
	},
	"PruneDone": func(ctx context.Context, s *Store) error {
		_, err := s.PruneDone(ctx, time.Now().Add(time.Hour))
		return err
	},
	"SaveFileHashes": func(ctx context.Context, s *Store) error {
		return s.SaveFileHashes(ctx, []FileHash{{Path: "/x/1.png", MD5: "m", Facts: "{}"}}, nil)
	},
	"NoteEdits": func(ctx context.Context, s *Store) error {
		return s.NoteEdits(ctx, "com.a", []string{"ja/keyword"}, "ana")
	},
	"ForgetEdits": func(ctx context.Context, s *Store) error {
		return s.ForgetEdits(ctx, "com.a", []string{"ja/keyword"}, 0)
	},
	"DropFileHashesUnder": func(ctx context.Context, s *Store) error {
		_, err := s.DropFileHashesUnder(ctx, "/x")
		return err
	},
	"SetSetting":    func(ctx context.Context, s *Store) error { return s.SetSetting(ctx, KeyPaused, "false") },
	"DeleteSetting": func(ctx context.Context, s *Store) error { return s.DeleteSetting(ctx, KeyPaused) },
	"AddUpload": func(ctx context.Context, s *Store) error {
		_, err := s.AddUpload(ctx, Upload{App: "com.a", SetResource: "r0", AssetID: "as9", FileMD5: "m", FileName: "9.png"})
		return err
	},
	"SetUploadState": func(ctx context.Context, s *Store) error { return s.SetUploadState(ctx, 1, UploadUploaded) },
	"DeleteUpload":   func(ctx context.Context, s *Store) error { return s.DeleteUpload(ctx, 1) },
	"AddInvitation": func(ctx context.Context, s *Store) error {
		return s.AddInvitation(ctx, "c", Invitation{App: "com.a", Role: "designer", ExpiresAt: time.Now().Add(time.Hour)})
	},
	"AcceptInvitation": func(ctx context.Context, s *Store) error {
		_, err := s.AcceptInvitation(ctx, "c", "n", TokenAPI, "t")
		return err
	},
	"AddMemberToken": func(ctx context.Context, s *Store) error { return s.AddMemberToken(ctx, 1, TokenAPI, "t", time.Time{}) },
	"SetMemberRole":  func(ctx context.Context, s *Store) error { return s.SetMemberRole(ctx, "com.a", "n", "designer") },
	"RemoveMember":   func(ctx context.Context, s *Store) error { return s.RemoveMember(ctx, "com.a", "n") },
}

// readMethods are the methods of Store that never write.
var readMethods = []string{"Base", "Bases", "LocaleBases", "FileHashes", "Events", "LastEventID", "History", "Job", "Jobs", "Counts",
	"Setting", "Uploads", "UploadByAsset", "ReadOnly", "Dir", "Close",
	"HistoryOf", "Member", "Members", "HasMembers", "MemberByToken", "Editor"}

// TestEveryMethodIsClassified fails when a method is added to Store without saying whether
// it writes, so TestReadOnlyRefusesWrites keeps covering every write.
func TestEveryMethodIsClassified(t *testing.T) {
	known := map[string]bool{}
	for _, m := range readMethods {
		known[m] = true
	}
	for m := range writeCalls {
		known[m] = true
	}
	var missing []string
	st := reflect.TypeOf((*Store)(nil))
	for i := 0; i < st.NumMethod(); i++ {
		if name := st.Method(i).Name; !known[name] {
			missing = append(missing, name)
		}
		delete(known, st.Method(i).Name)
	}
	if len(missing) > 0 {
		t.Errorf("methods of Store in neither writeCalls nor readMethods: %v", missing)
	}
	if len(known) > 0 {
		stale := make([]string, 0, len(known))
		for m := range known {
			stale = append(stale, m)
		}
		sort.Strings(stale)
		t.Errorf("writeCalls or readMethods name methods Store lacks: %v", stale)
	}
}

func TestReadOnlyRefusesWrites(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	owner := openStore(t, dir, newClock())
	if err := owner.SetBases(ctx, "com.a", "v1", map[string]string{"en-US/name": "kept"}); err != nil {
		t.Fatal(err)
	}
	job, err := owner.Upsert(ctx, JobIntent{App: "com.a", Resource: "r0", IntentHash: "h"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := owner.AddUpload(ctx, Upload{JobID: job.ID, App: "com.a", SetResource: "r0", AssetID: "as1", FileMD5: "m", FileName: "1.png"}); err != nil {
		t.Fatal(err)
	}
	if err := owner.SetSetting(ctx, KeyPaused, "true"); err != nil {
		t.Fatal(err)
	}
	ro := openReadOnly(t, dir)
	for name, call := range writeCalls {
		t.Run(name, func(t *testing.T) {
			err := call(ctx, ro)
			if !errors.Is(err, ErrReadOnly) {
				t.Fatalf("%s on a read-only store = %v; want ErrReadOnly", name, err)
			}
			if msg := err.Error(); !strings.Contains(msg, dir) || strings.Contains(msg, "SQLITE") || strings.Contains(msg, "readonly database") {
				t.Errorf("%s: message %q should name the dir and not be SQLite's", name, msg)
			}
		})
	}
	// Nothing changed.
	if b, err := owner.Bases(ctx, "com.a", "v1"); err != nil || b["en-US/name"] != "kept" || len(b) != 1 {
		t.Errorf("bases after refused writes = %v, %v", b, err)
	}
	if j, err := owner.Job(ctx, job.ID); err != nil || j.State != JobPending || j.Attempts != 0 {
		t.Errorf("job after refused writes = %+v, %v", j, err)
	}
	if v, _, err := owner.Setting(ctx, KeyPaused); err != nil || v != "true" {
		t.Errorf("setting after refused writes = %q, %v", v, err)
	}
	if ups, err := owner.Uploads(ctx, "", ""); err != nil || len(ups) != 1 || ups[0].State != UploadReserved {
		t.Errorf("uploads after refused writes = %+v, %v", ups, err)
	}
	if n, err := owner.LastEventID(ctx); err != nil || n != 0 {
		t.Errorf("events after refused writes: last id %d, %v", n, err)
	}
	// The owner still writes.
	if err := owner.SetSetting(ctx, KeyPaused, "false"); err != nil {
		t.Errorf("owner write beside the reader: %v", err)
	}
}

func TestOpenReadOnlyErrors(t *testing.T) {
	schemaDB := func(version int) func(testing.TB, string) {
		return func(tb testing.TB, dir string) {
			s, err := Open(dir, Options{})
			if err != nil {
				tb.Fatal(err)
			}
			if _, err := s.db.Exec(fmt.Sprintf("PRAGMA user_version = %d", version)); err != nil {
				tb.Fatal(err)
			}
			s.Close()
		}
	}
	tests := []struct {
		name   string
		setup  func(testing.TB, string)
		is     error
		want   string
		subdir string
	}{
		{name: "missing dir", subdir: "nope", is: ErrNoState, want: "no state yet in %s: run `storesyncer apps add` first"},
		{name: "dir without database", setup: func(testing.TB, string) {}, is: ErrNoState, want: "no state yet in %s: run `storesyncer apps add` first"},
		{name: "newer schema", setup: schemaDB(len(migrations) + 1), want: "newer than this storesyncer knows"},
		{name: "older schema", setup: schemaDB(1), want: "is older than this storesyncer's"},
		{name: "not a database", setup: func(tb testing.TB, dir string) {
			if err := os.WriteFile(filepath.Join(dir, DBFile), []byte(strings.Repeat("not sqlite ", 100)), 0o600); err != nil {
				tb.Fatal(err)
			}
		}, want: "open state %s read-only"},
		{name: "question mark in path", subdir: "a?b", want: "must not hold '?' or '#'"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.subdir != "" {
				dir = filepath.Join(dir, tc.subdir)
			}
			if tc.setup != nil {
				tc.setup(t, dir)
			}
			s, err := OpenReadOnly(dir, Options{})
			if err == nil {
				s.Close()
				t.Fatal("OpenReadOnly succeeded")
			}
			want := tc.want
			if strings.Contains(want, "%s") {
				want = fmt.Sprintf(want, dir)
			}
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q; want it to contain %q", err, want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v does not wrap %v", err, tc.is)
			}
			if tc.subdir == "nope" {
				if _, statErr := os.Stat(dir); !errors.Is(statErr, os.ErrNotExist) {
					t.Errorf("OpenReadOnly created %s", dir)
				}
			}
		})
	}
}
