package transfer

import (
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/storesyncer/storesyncer/internal/collection"
)

// ExportOptions configures an export. The zero value exports everything as a template.
type ExportOptions struct {
	// Format is the layout written; empty means FormatTemplate.
	Format Format
	// Only limits the export to texts or media.
	Only Only
}

// Export writes the collection folder src to out: a ZIP when out ends in ".zip" (any case),
// else a new folder. The ZIP or folder appears whole or not at all (it is written beside out
// and renamed into place); an existing non-empty folder is refused.
func Export(src, out string, opts ExportOptions) (Report, error) {
	if strings.EqualFold(filepath.Ext(out), ".zip") {
		return exportZipFile(src, out, opts)
	}
	return ExportDir(src, out, opts)
}

func exportZipFile(src, out string, opts ExportOptions) (Report, error) {
	tmp, err := os.CreateTemp(filepath.Dir(out), ".storesyncer-export-*.zip")
	if err != nil {
		return Report{}, fmt.Errorf("export to %s: %w", out, err)
	}
	defer os.Remove(tmp.Name())
	rep, err := ExportZip(src, tmp, opts)
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("export to %s: %w", out, cerr)
	}
	if err != nil {
		return Report{}, err
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return Report{}, fmt.Errorf("export to %s: %w", out, err)
	}
	return rep, nil
}

// ExportZip writes the collection folder src as a ZIP to w. The same collection always gives
// the same bytes: entries sorted, a fixed time (2000-01-01 UTC) and permissions, images and
// videos stored, texts deflated. A template-format ZIP also holds a README.txt.
func ExportZip(src string, w io.Writer, opts ExportOptions) (Report, error) {
	files, rep, err := exportEntries(src, opts)
	if err != nil {
		return Report{}, err
	}
	if rep.Format == FormatTemplate {
		files = append(files, outEntry{name: readmeName, data: []byte(exportReadme(files))})
	}
	if err := writeZip(w, files, nil); err != nil {
		return Report{}, fmt.Errorf("export %s: %w", src, err)
	}
	return rep, nil
}

// ExportDir writes the collection folder src into the folder dir, which must be absent or
// empty. The folder is built beside dir and renamed into place.
func ExportDir(src, dir string, opts ExportOptions) (Report, error) {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return Report{}, fmt.Errorf("export to %s: folder is not empty; choose a new folder", dir)
	}
	files, rep, err := exportEntries(src, opts)
	if err != nil {
		return Report{}, err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(filepath.Clean(dir)), ".storesyncer-export-")
	if err != nil {
		return Report{}, fmt.Errorf("export to %s: %w", dir, err)
	}
	defer os.RemoveAll(tmp)
	for _, e := range files {
		p := filepath.Join(tmp, filepath.FromSlash(e.name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return Report{}, fmt.Errorf("export to %s: %w", dir, err)
		}
		if err := copyOut(p, e); err != nil {
			return Report{}, fmt.Errorf("export to %s: %w", dir, err)
		}
	}
	os.Remove(dir) // an empty folder; absent is fine
	if err := os.Rename(tmp, dir); err != nil {
		return Report{}, fmt.Errorf("export to %s: %w", dir, err)
	}
	return rep, nil
}

func copyOut(p string, e outEntry) error {
	rc, err := e.open()
	if err != nil {
		return err
	}
	defer rc.Close()
	out, err := os.Create(p)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, rc); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// exportEntries maps the collection onto the chosen format's paths.
func exportEntries(src string, opts ExportOptions) ([]outEntry, Report, error) {
	format := opts.Format
	if format == "" {
		format = FormatTemplate
	}
	if format != FormatTemplate && format != FormatFastlane {
		return nil, Report{}, fmt.Errorf("export %s: unknown format %q", src, format)
	}
	c, err := readCollection(src, opts.Only)
	if err != nil {
		return nil, Report{}, fmt.Errorf("export %s: %w", src, err)
	}
	rep := Report{Format: format, Warnings: c.warnings}
	var files []outEntry
	for _, t := range c.texts {
		name := t.field.Dir + "/" + t.locale + ".txt"
		if format == FormatFastlane {
			name = fastlaneMetadata + "/" + t.locale + "/" + t.field.Fastlane + ".txt"
		}
		files = append(files, outEntry{name: name, abs: t.abs})
		rep.Texts++
	}
	setIndex := map[string]int{} // per locale, for fastlane names
	for _, s := range c.sets {
		if format == FormatFastlane && s.kind == collection.PreviewDir {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s/%s/%s/: fastlane has no place for app previews; not exported", s.kind, s.locale, s.typ))
			rep.Skipped++
			continue
		}
		setIndex[s.locale]++
		for i, name := range s.names {
			out := path.Join(s.kind, s.locale, s.typ, name)
			if format == FormatFastlane {
				out = fmt.Sprintf("%s/%s/%02d_%s_%02d%s", fastlaneScreenshots, s.locale, setIndex[s.locale], s.typ, i+1, extOf(name))
			}
			files = append(files, outEntry{name: out, abs: s.abs[i]})
			if s.kind == collection.PreviewDir {
				rep.Videos++
			} else {
				rep.Images++
			}
		}
		rep.Sets++
	}
	if rep.Warnings == nil {
		rep.Warnings = []string{}
	}
	return files, rep, nil
}
