package main

import (
	"errors"
	"io/fs"
	"os"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/config"
)

// collectionExtras returns the config's [collection] extra_locales, extra_display_types and
// quiet, so that locales and display types Apple added after this release are accepted, and
// quieted warnings stay quiet, in the commands that work without App Store Connect. Those commands work without a config: an absent config
// file gives no extras, unless --config named it; a config that does not parse is an error.
func collectionExtras(g *globals) (collection.Options, error) {
	path, err := configFilePath(g)
	if err != nil {
		return collection.Options{}, nil
	}
	if g.configPath == "" {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return collection.Options{}, nil
		}
	}
	cfg, err := config.Load(path)
	if err != nil {
		return collection.Options{}, &cliError{Exit: exitUsage, Code: "config.invalid", Path: path, Err: err}
	}
	return collection.Options{
		ExtraLocales:      cfg.Collection.ExtraLocales,
		ExtraDisplayTypes: cfg.Collection.ExtraDisplayTypes,
		Quiet:             cfg.Collection.Quiet,
	}, nil
}
