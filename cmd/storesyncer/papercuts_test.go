package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCreateFromMissingZipLeavesNothing: a failed create leaves no folder, so the retry works.
func TestCreateFromMissingZipLeavesNothing(t *testing.T) {
	e := newSyncEnv(t).added()
	nope := filepath.Join(t.TempDir(), "nope.zip")
	exit, _, errOut := e.run("collections", "create", "z2", "--from", "zip", nope)
	if exit == 0 {
		t.Fatalf("create from a missing zip: exit 0")
	}
	if _, err := os.Stat(e.path("z2", "")); !os.IsNotExist(err) {
		t.Errorf("a failed create left %s behind (%v); stderr %s", e.path("z2", ""), err, errOut)
	}
	exit, _, errOut = e.run("collections", "create", "z2", "--from", "zip", nope)
	if strings.Contains(errOut, "already exists") {
		t.Errorf("retry: exit %d, %s", exit, errOut)
	}
}
