// Command gen writes the trimmed App Store Connect OpenAPI document used by the simulator's
// conformance checks: `go run ./gen -in <apple.json> -out asc-openapi-trimmed.json`.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/storesyncer/storesyncer/ascapi/internal/spec"
)

func main() {
	in := flag.String("in", "", "Apple's full OpenAPI document")
	out := flag.String("out", "", "where to write the trimmed document")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	if in == "" || out == "" {
		return fmt.Errorf("usage: gen -in APPLE.json -out TRIMMED.json")
	}
	raw, err := os.ReadFile(in)
	if err != nil {
		return fmt.Errorf("read %s: %w", in, err)
	}
	trimmed, err := spec.Trim(raw)
	if err != nil {
		return fmt.Errorf("trim %s: %w", in, err)
	}
	if err := os.WriteFile(out, trimmed, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	return nil
}
