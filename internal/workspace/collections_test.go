package workspace

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCollectionLifecycle(t *testing.T) {
	w := newWorkspace(t)
	addApp(t, w, "com.a")
	writeFile(t, filepath.Join(w.AppDir("com.a"), ".storesyncer", "lease"), "x")

	dir, err := w.CreateCollection("com.a", "christmas")
	if err != nil {
		t.Fatal(err)
	}
	if dir != filepath.Join(w.Root, "com.a", "christmas") {
		t.Errorf("CreateCollection dir = %s", dir)
	}
	if _, err := w.CreateCollection("com.a", "christmas"); !errors.Is(err, ErrExists) {
		t.Errorf("second CreateCollection = %v, want ErrExists", err)
	}
	got, err := w.Collections("com.a")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"christmas", "main"}, got); diff != "" {
		t.Errorf("Collections (-want +got):\n%s", diff)
	}

	if err := w.DeleteCollection("com.a", "main"); !errors.Is(err, ErrActive) {
		t.Errorf("DeleteCollection(active) = %v, want ErrActive", err)
	}
	if err := w.SetActive("com.a", "easter"); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetActive(missing) = %v, want ErrNotFound", err)
	}
	if err := w.SetActive("com.a", "christmas"); err != nil {
		t.Fatal(err)
	}
	app, err := w.App("com.a")
	if err != nil || app.Active != "christmas" || app.AppID != "123456" {
		t.Fatalf("after SetActive: %+v, %v", app, err)
	}
	if err := w.DeleteCollection("com.a", "main"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(w.CollectionDir("com.a", "main")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("main still on disk: %v", err)
	}
	if err := w.DeleteCollection("com.a", "main"); !errors.Is(err, ErrNotFound) {
		t.Errorf("DeleteCollection(missing) = %v, want ErrNotFound", err)
	}
	if _, err := w.CreateCollection("com.none", "x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("CreateCollection for a missing app = %v, want ErrNotFound", err)
	}
}

func TestValidateCollectionName(t *testing.T) {
	tests := []struct {
		name string
		want string // "" for valid
	}{
		{"main", ""},
		{"christmas-2025.v2_b", ""},
		{"2025", ""},
		{"", "empty"},
		{".hidden", "must start with"},
		{"-x", "must start with"},
		{"Main", "must start with"},
		{"xMas", `(try "xmas")`},
		{"a b", `holds ' '`},
		{"a/b", `holds '/'`},
		{"café", `holds 'é'`},
		{"app.toml", "reserved"},
		{strings.Repeat("a", 65), "longer than 64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateCollectionName(tt.name)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("ValidateCollectionName(%q) = %v", tt.name, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ValidateCollectionName(%q) = %v, want error containing %q", tt.name, err, tt.want)
			}
		})
	}
}
