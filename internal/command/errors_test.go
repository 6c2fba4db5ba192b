package command

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/storesyncer/storesyncer/internal/compose"
	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/statusapi"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// TestAsError: the one error → exit mapping, for the CLI and the daemon alike.
func TestAsError(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		exit     int
		code     string
		wantPath string
	}{
		{"account", fmt.Errorf("remote: %w", &compose.AccountError{Code: "config.key", Path: "/k.p8", Err: errors.New("unreadable")}), statusapi.ExitUsage, "config.key", "/k.p8"},
		{"unknown collection", fmt.Errorf("activate: %w", workspace.ErrNotFound), statusapi.ExitUsage, "not_found", ""},
		{"bad name", workspace.ErrBadName, statusapi.ExitUsage, "usage", ""},
		{"exists", engine.ErrAppExists, statusapi.ExitFailure, "exists", ""},
		{"active", workspace.ErrActive, statusapi.ExitFailure, "collection.active", ""},
		{"read-only", state.ErrReadOnly, statusapi.ExitFailure, "state.read_only", ""},
		{"no such job", fmt.Errorf("job 9: %w", state.ErrNotFound), statusapi.ExitUsage, "not_found", ""},
		{"interrupted", context.Canceled, statusapi.ExitFailure, "interrupted", ""},
		{"lease", &statusapi.Error{Status: 409, Code: "lease", Message: "held elsewhere"}, statusapi.ExitFailure, "lease", ""},
		{"several apps", &statusapi.Error{Status: 400, Code: "usage", Message: "pass --app"}, statusapi.ExitUsage, "usage", ""},
		{"typed", &Error{Exit: statusapi.ExitConflict, Code: "conflict", Err: errors.New("1 key")}, statusapi.ExitConflict, "conflict", ""},
		{"anything else", errors.New("boom"), statusapi.ExitFailure, "error", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AsError(tt.err)
			if got == nil || got.Exit != tt.exit || got.Code != tt.code || got.Path != tt.wantPath {
				t.Errorf("AsError(%v) = %+v; want exit %d, code %q, path %q", tt.err, got, tt.exit, tt.code, tt.wantPath)
			}
		})
	}
	if AsError(nil) != nil {
		t.Error("AsError(nil) is not nil")
	}
}

// TestDecode: every registered command decodes from its JSON; an unknown name or a body of
// another shape is a usage error.
func TestDecode(t *testing.T) {
	for _, name := range Names() {
		req, err := Decode(name, nil)
		if err != nil || req.Name() != name {
			t.Errorf("Decode(%s) = %v, %v", name, req, err)
		}
	}
	if _, err := Decode("nosuch", nil); !errors.Is(err, ErrUnknown) || AsError(err).Exit != statusapi.ExitUsage {
		t.Errorf("Decode(nosuch) = %v; want ErrUnknown, exit 2", err)
	}
	if _, err := Decode("push", []byte(`{"only": 3}`)); AsError(err).Exit != statusapi.ExitUsage {
		t.Errorf("Decode(push, bad body) = %v; want a usage error", err)
	}
	req, err := Decode("collections.create", []byte(`{"app":"a","collection":"x","from":"collection","source":"main"}`))
	if c, ok := req.(*CollectionsCreate); err != nil || !ok || c.Source != "main" || c.From != engine.FromCollection {
		t.Errorf("Decode(collections.create) = %+v, %v", req, err)
	}
}
