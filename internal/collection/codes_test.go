package collection

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// codeConsts returns every string constant declared in codes.go, by name.
func codeConsts(tb testing.TB) map[string]string {
	tb.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "codes.go", nil, 0)
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]string{}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					tb.Fatalf("%s is not a string literal", name.Name)
				}
				v, _ := strconv.Unquote(lit.Value)
				out[name.Name] = v
			}
		}
	}
	return out
}

// TestProblemCodesDocumented keeps docs/problem-codes.md and codes.go in step: every code is
// in the doc's tables with a severity, and the doc lists no code that does not exist.
func TestProblemCodesDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/problem-codes.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([a-z0-9_.]+)` \\| (error|warning) \\|")
	documented := map[string]bool{}
	for _, m := range row.FindAllStringSubmatch(string(doc), -1) {
		documented[m[1]] = true
	}
	consts := codeConsts(t)
	if len(consts) < 20 {
		t.Fatalf("found only %d codes in codes.go", len(consts))
	}
	values := map[string]bool{}
	for name, v := range consts {
		if !regexp.MustCompile(`^[a-z_]+\.[a-z0-9_]+$`).MatchString(v) {
			t.Errorf("%s = %q is not a dotted lower-case code", name, v)
		}
		if values[v] {
			t.Errorf("code %q declared twice", v)
		}
		values[v] = true
		if !documented[v] {
			t.Errorf("code %q (%s) is not in a table row of docs/problem-codes.md", v, name)
		}
	}
	for v := range documented {
		if !values[v] {
			t.Errorf("docs/problem-codes.md lists %q, which codes.go does not declare", v)
		}
	}
	// Every code's doc comment names it, so the comments do not drift either.
	src, _ := os.ReadFile("codes.go")
	for name := range consts {
		if !strings.Contains(string(src), "// "+name+":") {
			t.Errorf("%s has no doc comment starting with its name", name)
		}
	}
}

// TestQuietableCodesAreWarnings keeps [collection] quiet from ever hiding an error: every
// quietable code is a warning in docs/problem-codes.md.
func TestQuietableCodesAreWarnings(t *testing.T) {
	doc, err := os.ReadFile("../../docs/problem-codes.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range QuietableCodes {
		if !strings.Contains(string(doc), "| `"+code+"` | warning |") {
			t.Errorf("quietable code %q is not a warning in docs/problem-codes.md", code)
		}
	}
}
