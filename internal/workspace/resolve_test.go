package workspace

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestResolveApp(t *testing.T) {
	one := newWorkspace(t)
	addApp(t, one, "com.only")
	two := newWorkspace(t)
	addApp(t, two, "com.a")
	addApp(t, two, "com.b")
	empty := newWorkspace(t)
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(two.Root, link); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		w       *Workspace
		flag    string
		cwd     string
		want    string
		wantErr *AppChoiceError
	}{
		{"flag", two, "com.b", "", "com.b", nil},
		{"only app", one, "", "/elsewhere", "com.only", nil},
		{"cwd inside app", two, "", filepath.Join(two.Root, "com.b", "main"), "com.b", nil},
		{"cwd is app folder", two, "", filepath.Join(two.Root, "com.a"), "com.a", nil},
		{"cwd through symlink", two, "", filepath.Join(link, "com.b", "main"), "com.b", nil},
		{"cwd at root", two, "", two.Root, "", &AppChoiceError{Apps: []string{"com.a", "com.b"}}},
		{"unknown flag", two, "com.c", "", "", &AppChoiceError{Flag: "com.c", Apps: []string{"com.a", "com.b"}}},
		{"no apps", empty, "", "", "", &AppChoiceError{Apps: []string{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app, err := tt.w.ResolveApp(tt.flag, tt.cwd)
			if tt.wantErr != nil {
				var ce *AppChoiceError
				if !errors.As(err, &ce) {
					t.Fatalf("ResolveApp = %v, want *AppChoiceError", err)
				}
				if diff := cmp.Diff(tt.wantErr, ce); diff != "" {
					t.Errorf("error (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil || app.BundleID != tt.want {
				t.Fatalf("ResolveApp = %q, %v; want %q", app.BundleID, err, tt.want)
			}
		})
	}
}

func TestAppChoiceErrorMessage(t *testing.T) {
	err := &AppChoiceError{Apps: []string{"com.a", "com.b"}}
	if got, want := err.Error(), "more than one app: choose one with --app (apps: com.a, com.b)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
