package storesyncer

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryPackageAndExportedNameHasADoc keeps STYLE.md's rule that every package starts with
// a "// Package x …" sentence and every exported name has a doc comment.
func TestEveryPackageAndExportedNameHasADoc(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		name := d.Name()
		if path != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "storesyncer-demo") {
			return filepath.SkipDir
		}
		pkgs, err := parser.ParseDir(fset, path, func(fi fs.FileInfo) bool {
			return !strings.HasSuffix(fi.Name(), "_test.go")
		}, parser.ParseComments)
		if err != nil {
			t.Errorf("parse %s: %v", path, err)
			return nil
		}
		for _, pkg := range pkgs {
			checkPackageDocs(t, path, pkg)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func checkPackageDocs(t *testing.T, dir string, pkg *ast.Package) {
	t.Helper()
	hasDoc := false
	for _, f := range pkg.Files {
		if f.Doc != nil && strings.HasPrefix(f.Doc.Text(), docPrefix(pkg.Name)) {
			hasDoc = true
		}
	}
	if !hasDoc {
		t.Errorf("%s: package %s has no %q doc comment", dir, pkg.Name, docPrefix(pkg.Name))
	}
	if pkg.Name == "main" {
		return
	}
	for fname, f := range pkg.Files {
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Name.IsExported() && d.Doc == nil && exportedReceiver(d) {
					t.Errorf("%s: exported func %s has no doc comment", fname, d.Name.Name)
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					for _, n := range specNames(spec) {
						if n.IsExported() && d.Doc == nil && specDoc(spec) == nil && !grouped(d) {
							t.Errorf("%s: exported %s has no doc comment", fname, n.Name)
						}
					}
				}
			}
		}
	}
}

func docPrefix(name string) string {
	if name == "main" {
		return "Command "
	}
	return "Package " + name + " "
}

// exportedReceiver reports whether a method's receiver type is exported (methods of
// unexported types need no doc).
func exportedReceiver(d *ast.FuncDecl) bool {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return true
	}
	typ := d.Recv.List[0].Type
	for {
		switch x := typ.(type) {
		case *ast.StarExpr:
			typ = x.X
		case *ast.IndexExpr:
			typ = x.X
		case *ast.IndexListExpr:
			typ = x.X
		case *ast.Ident:
			return x.IsExported()
		default:
			return true
		}
	}
}

func specNames(spec ast.Spec) []*ast.Ident {
	switch s := spec.(type) {
	case *ast.TypeSpec:
		return []*ast.Ident{s.Name}
	case *ast.ValueSpec:
		return s.Names
	}
	return nil
}

func specDoc(spec ast.Spec) *ast.CommentGroup {
	switch s := spec.(type) {
	case *ast.TypeSpec:
		if s.Doc != nil {
			return s.Doc
		}
		return s.Comment
	case *ast.ValueSpec:
		if s.Doc != nil {
			return s.Doc
		}
		return s.Comment
	}
	return nil
}

// grouped reports whether a const or var block has a doc comment of its own, which
// documents the names inside it (as go doc shows them).
func grouped(d *ast.GenDecl) bool {
	return d.Lparen.IsValid() && d.Doc != nil
}
