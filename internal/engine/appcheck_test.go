package engine

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// TestAppCheckStopsBeforeAnyWrite edits app.toml the ways a hostile or careless commit would
// and asserts that plan and push stop with the app check's code and that App Store Connect
// received no write.
func TestAppCheckStopsBeforeAnyWrite(t *testing.T) {
	tests := []struct {
		name string
		edit func(tb testing.TB, e *testEnv)
		code string
	}{
		{"app_id of another app", func(tb testing.TB, e *testEnv) {
			pro, ok := e.sim.AppID("com.example.demo.pro")
			if !ok {
				tb.Fatal("no pro app in the seed")
			}
			e.editApp(func(a *workspace.App) { a.AppID = pro })
		}, CodeAppMismatch},
		{"platform without versions", func(tb testing.TB, e *testEnv) {
			e.editApp(func(a *workspace.App) { a.Platform = collection.TVOS })
		}, CodeAppMismatch},
		{"active collection missing", func(tb testing.TB, e *testEnv) {
			e.editApp(func(a *workspace.App) { a.Active = "christmas" })
		}, CodeAppActiveMissing},
		{"unknown account", func(tb testing.TB, e *testEnv) {
			e.editApp(func(a *workspace.App) { a.Account = "nobody" })
		}, CodeAppAccountUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			e := newTestEnv(t, nil)
			if _, err := e.eng.AddApp(ctx, demo, "", ""); err != nil {
				t.Fatal(err)
			}
			e.write("promotionalText/en-US.txt", []byte("Changed by a hostile commit"))
			tt.edit(t, e)
			e.sim.ResetJournal()
			_, err := e.eng.Plan(ctx, demo, PlanOptions{})
			var ae *AppCheckError
			if !errors.As(err, &ae) || ae.Code != tt.code {
				t.Fatalf("plan: err = %v; want an app check %s", err, tt.code)
			}
			if _, err := e.eng.Push(ctx, demo, PushOptions{}); !errors.As(err, &ae) || ae.Code != tt.code {
				t.Fatalf("push: err = %v; want an app check %s", err, tt.code)
			}
			for _, c := range e.sim.Journal() {
				if c.Method != "GET" {
					t.Errorf("App Store Connect received a write: %s %s", c.Method, c.Path)
				}
			}
		})
	}
}

// editApp rewrites the demo app's app.toml with edit applied.
func (e *testEnv) editApp(edit func(*workspace.App)) {
	e.tb.Helper()
	a, err := e.ws.App(demo)
	if err != nil {
		e.tb.Fatal(err)
	}
	edit(&a)
	if err := e.ws.WriteApp(a); err != nil {
		e.tb.Fatal(err)
	}
}

// TestCollectionLinkedOutIsRefused makes the active collection a link to a folder outside the
// app's: plan and pull stop with app.collection_link before reading or writing there.
func TestCollectionLinkedOutIsRefused(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, nil)
	if _, err := e.eng.AddApp(ctx, demo, "", ""); err != nil {
		t.Fatal(err)
	}
	outside := t.TempDir()
	main := e.ws.CollectionDir(demo, "main")
	if err := os.RemoveAll(main); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, main); err != nil {
		t.Fatal(err)
	}
	var ae *AppCheckError
	if _, err := e.eng.Plan(ctx, demo, PlanOptions{}); !errors.As(err, &ae) || ae.Code != CodeAppCollectionLink {
		t.Errorf("plan: err = %v; want %s", err, CodeAppCollectionLink)
	}
	if _, err := e.eng.Pull(ctx, demo, PullOptions{Force: true}); !errors.As(err, &ae) || ae.Code != CodeAppCollectionLink {
		t.Errorf("pull: err = %v; want %s", err, CodeAppCollectionLink)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("pull wrote %d entries outside the app's folder", len(entries))
	}
}
