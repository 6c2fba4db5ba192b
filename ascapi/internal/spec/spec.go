package spec

import _ "embed"

//go:generate go run ./gen -in ../../../../shared/reference/asc-openapi-3.7.0.json -out asc-openapi-trimmed.json

// Trimmed is the committed output of Trim applied to Apple's asc-openapi-3.7.0.json. Run
// `go generate ./ascapi/internal/spec` after changing Served or the corrections.
//
//go:embed asc-openapi-trimmed.json
var Trimmed []byte

// SourcePath is where Apple's full document lives, relative to the repository root.
const SourcePath = "../shared/reference/asc-openapi-3.7.0.json"
