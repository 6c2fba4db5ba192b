package workspace

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func newWorkspace(t testing.TB) *Workspace {
	t.Helper()
	w, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// addApp writes an app with collection main active.
func addApp(t testing.TB, w *Workspace, id string) App {
	t.Helper()
	app := App{BundleID: id, Platform: "IOS", Active: "main", AppID: "123456", PrimaryLocale: "en-US", Name: "Example"}
	if err := w.WriteApp(app); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(w.CollectionDir(id, "main"), 0o755); err != nil {
		t.Fatal(err)
	}
	return app
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestOpenMissing(t *testing.T) {
	_, err := Open(filepath.Join(t.TempDir(), "nope"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Open(missing) = %v, want fs.ErrNotExist", err)
	}
}

func TestWriteAndReadApp(t *testing.T) {
	w := newWorkspace(t)
	want := addApp(t, w, "com.example.app")
	want.Account = "work"
	if err := w.WriteApp(want); err != nil {
		t.Fatal(err)
	}
	got, err := w.App("com.example.app")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("App round trip (-want +got):\n%s", diff)
	}
	// No temporary files are left beside app.toml.
	entries, _ := os.ReadDir(w.AppDir("com.example.app"))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if diff := cmp.Diff([]string{"app.toml", "main"}, names); diff != "" {
		t.Errorf("app folder (-want +got):\n%s", diff)
	}
	if _, err := w.App("com.example.none"); !errors.Is(err, ErrNotFound) {
		t.Errorf("App(missing) = %v, want ErrNotFound", err)
	}
}

func TestWriteAppRejectsBadApp(t *testing.T) {
	w := newWorkspace(t)
	tests := []struct {
		name string
		app  App
		want string
	}{
		{"no bundle", App{Platform: "IOS", Active: "main"}, "bundle ID is empty"},
		{"slash in bundle", App{BundleID: "a/b", Platform: "IOS", Active: "main"}, "holds '/'"},
		{"platform", App{BundleID: "a.b", Platform: "ANDROID", Active: "main"}, "not one of IOS"},
		{"active", App{BundleID: "a.b", Platform: "IOS", Active: "Main"}, "active"},
		{"app id", App{BundleID: "a.b", Platform: "IOS", Active: "main", AppID: "x1"}, "numeric"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := w.WriteApp(tt.app)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("WriteApp = %v, want error containing %q", err, tt.want)
			}
		})
	}
}

func TestAppsBadFiles(t *testing.T) {
	tests := []struct {
		name string
		file string
		line int
		msg  string
	}{
		{"syntax", "bundle_id = \"com.bad\"\nplatform = IOS\n", 2, ""},
		{"wrong type", "bundle_id = \"com.bad\"\nplatform = \"IOS\"\nactive = 3\n", 3, ""},
		{"unknown key", "bundle_id = \"com.bad\"\nplatform = \"IOS\"\nactive = \"main\"\nactiv = \"x\"\n", 4, "unknown key activ"},
		{"folder mismatch", "platform = \"IOS\"\nbundle_id = \"com.other\"\nactive = \"main\"\n", 2, "does not match its folder"},
		{"bad platform", "bundle_id = \"com.bad\"\nplatform = \"IOS \"\nactive = \"main\"\n", 2, "platform"},
		{"bad active", "bundle_id = \"com.bad\"\nplatform = \"IOS\"\n\nactive = \".x\"\n", 4, "must start with"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorkspace(t)
			addApp(t, w, "com.good")
			path := filepath.Join(w.Root, "com.bad", "app.toml")
			writeFile(t, path, tt.file)
			writeFile(t, filepath.Join(w.Root, "notes", "README"), "not an app") // no app.toml: skipped
			apps, err := w.Apps()
			if len(apps) != 1 || apps[0].BundleID != "com.good" {
				t.Errorf("Apps() kept %v, want the good app", apps)
			}
			var ae *AppFileError
			if !errors.As(err, &ae) {
				t.Fatalf("Apps() error = %v, want *AppFileError", err)
			}
			if ae.Path != path || ae.Line != tt.line || !strings.Contains(ae.Msg, tt.msg) {
				t.Errorf("got %s:%d %q; want %s:%d containing %q", ae.Path, ae.Line, ae.Msg, path, tt.line, tt.msg)
			}
		})
	}
}

func TestAppsSorted(t *testing.T) {
	w := newWorkspace(t)
	for _, id := range []string{"com.b", "com.a", "com.c"} {
		addApp(t, w, id)
	}
	writeFile(t, filepath.Join(w.Root, ".git", "app.toml"), "junk") // dot folders are skipped
	apps, err := w.Apps()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range apps {
		ids = append(ids, a.BundleID)
	}
	if diff := cmp.Diff([]string{"com.a", "com.b", "com.c"}, ids); diff != "" {
		t.Errorf("Apps() (-want +got):\n%s", diff)
	}
}

func TestRemoveAppKeepsCollections(t *testing.T) {
	w := newWorkspace(t)
	addApp(t, w, "com.a")
	if err := w.RemoveApp("com.a"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(w.CollectionDir("com.a", "main")); err != nil {
		t.Errorf("collection gone after RemoveApp: %v", err)
	}
	if apps, _ := w.Apps(); len(apps) != 0 {
		t.Errorf("Apps() after RemoveApp = %v", apps)
	}
	if err := w.RemoveApp("com.a"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second RemoveApp = %v, want ErrNotFound", err)
	}
}
