package main

import (
	"path/filepath"
)

// resolveCollectionDir turns a --into or --collection argument into a collection folder.
// Today the argument is always a folder path; collection names (resolved through the app's
// folder in the workspace) come later and belong here.
func resolveCollectionDir(_ *globals, arg string) (string, error) {
	if arg == "" {
		return "", usageError("usage", "", "a collection folder is required")
	}
	return filepath.Clean(arg), nil
}
