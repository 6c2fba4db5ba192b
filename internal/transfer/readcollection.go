package transfer

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/safefile"
)

// colText is one managed text file of a collection.
type colText struct {
	field  collection.Field
	locale string
	abs    string
}

// colSet is one non-empty media set of a collection, its files in upload order.
type colSet struct {
	kind   string
	locale string
	typ    string
	names  []string
	abs    []string
}

// colContent is what an export reads from a collection.
type colContent struct {
	texts    []colText
	sets     []colSet
	warnings []string
}

// readCollection lists the managed content of the collection folder dir: non-empty text files
// and non-empty media sets, sorted, litter and StoreSyncer's own notes left out.
func readCollection(dir string, only Only) (*colContent, error) {
	c := &colContent{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read collection: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		if ignoredPath(name) {
			continue
		}
		if f, ok := collection.FieldByDir(name); ok && e.IsDir() {
			if only != OnlyMedia {
				if err := c.readTexts(dir, f); err != nil {
					return nil, err
				}
			}
			continue
		}
		switch {
		case !e.IsDir() && name == collection.TemplateReadme:
			// An unzipped template's help file; a template export writes its own.
		case e.IsDir() && name == collection.ScreenshotDir:
			if only != OnlyText {
				err = c.readSets(dir, name, imageExts)
			}
		case e.IsDir() && name == collection.PreviewDir:
			if only != OnlyText {
				err = c.readSets(dir, name, videoExts)
			}
		default:
			c.warnings = append(c.warnings, fmt.Sprintf("%s: not part of the template layout; not exported", name))
		}
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (c *colContent) readTexts(dir string, f collection.Field) error {
	files, err := listFiles(filepath.Join(dir, f.Dir))
	if err != nil {
		return err
	}
	for _, name := range files {
		if extOf(name) != ".txt" {
			continue
		}
		abs := filepath.Join(dir, f.Dir, name)
		b, err := safefile.ReadRegular(abs)
		if err != nil {
			return fmt.Errorf("read %s: %w", abs, err)
		}
		if txt, err := collection.NormalizeText(b); err == nil && txt == "" {
			continue // not managed: a template file never holds empty text files
		}
		c.texts = append(c.texts, colText{field: f, locale: name[:len(name)-len(".txt")], abs: abs})
	}
	return nil
}

func (c *colContent) readSets(dir, kind string, exts map[string]bool) error {
	locales, err := listDirs(filepath.Join(dir, kind))
	if err != nil {
		return err
	}
	for _, loc := range locales {
		types, err := listDirs(filepath.Join(dir, kind, loc))
		if err != nil {
			return err
		}
		for _, typ := range types {
			setDir := filepath.Join(dir, kind, loc, typ)
			files, err := listFiles(setDir)
			if err != nil {
				return err
			}
			set := colSet{kind: kind, locale: loc, typ: typ}
			sort.Slice(files, func(i, j int) bool { return collection.NaturalLess(files[i], files[j]) })
			for _, name := range files {
				if exts[extOf(name)] {
					set.names = append(set.names, name)
					set.abs = append(set.abs, filepath.Join(setDir, name))
				}
			}
			if len(set.names) > 0 {
				c.sets = append(c.sets, set)
			}
		}
	}
	return nil
}

// listFiles returns the regular, non-ignored file names in dir, sorted.
func listFiles(dir string) ([]string, error) {
	return listEntries(dir, false)
}

// listDirs returns the non-ignored folder names in dir, sorted.
func listDirs(dir string) ([]string, error) {
	return listEntries(dir, true)
}

func listEntries(dir string, dirs bool) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read collection: %w", err)
	}
	var out []string
	for _, e := range entries {
		if ignoredPath(e.Name()) {
			continue
		}
		if (dirs && e.IsDir()) || (!dirs && e.Type().IsRegular()) {
			out = append(out, e.Name())
		}
	}
	return out, nil
}
