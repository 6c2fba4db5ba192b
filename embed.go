// Package storesyncer holds files embedded from the repository root for the command.
package storesyncer

import _ "embed"

// ExampleConfig is config.example.toml: every config key with its default, commented.
// `storesyncer init` writes it.
//
//go:embed config.example.toml
var ExampleConfig []byte
