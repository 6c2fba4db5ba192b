package transfer

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/storesyncer/storesyncer/internal/collection"
)

// Import merges src — a template ZIP or folder, or a fastlane deliver tree as a ZIP or folder —
// into the collection folder dst (created when absent). What src holds replaces: each text
// file, and each display-type or preview-type folder as a whole set; everything else in dst
// stays. Empty text files and empty type folders in src are skipped unless opts.AllowEmpty.
//
// What can be imported is: a file that cannot — a fastlane screenshot of unknown type, a
// symbolic link that leaves src, a folder that is no locale — is left out and listed in
// Report.Rejected with its fix. Whatever is imported is checked and staged in a temporary
// folder beside dst first, then moved into place with renames, and a failure part-way undoes
// the moves already made. A ZIP entry that would land outside dst returns *UnsafeEntryError,
// an archive over the limits *LimitError, a --format that does not match the layout
// *FormatError, a fastlane tree whose platform folder cannot be chosen *PlatformError, and a
// source with nothing to import *NothingImportedError (with the report so far). In every
// error case dst is as it was.
func Import(src, dst string, opts ImportOptions) (Report, error) {
	return importWith(src, dst, opts, os.Rename)
}

// renameFunc moves a file or folder; tests inject failures through it.
type renameFunc func(oldpath, newpath string) error

func importWith(src, dst string, opts ImportOptions, rename renameFunc) (Report, error) {
	log := discardLogger(opts.Logger).With("component", "transfer")
	dst = filepath.Clean(dst)
	if fi, err := os.Stat(dst); err == nil && !fi.IsDir() {
		return Report{}, fmt.Errorf("import into %s: not a folder", dst)
	}
	s, err := openSource(src, opts.Limits)
	if err != nil {
		return Report{}, err
	}
	defer s.close()

	unwrap(s)
	found, hint := detectFormat(s)
	format := opts.Format
	switch {
	case format == "":
		format = found
	case found != "" && found != format:
		return Report{}, fmt.Errorf("import %s: %w", src, &FormatError{Want: format, Found: found, Hint: hint})
	}
	var plan *importPlan
	switch format {
	case FormatFastlane:
		plan, err = planFastlane(s, fastlaneOptions{platform: opts.Platform, extraLocales: opts.ExtraLocales, only: opts.Only})
	case FormatTemplate:
		plan = planTemplate(s)
	case "":
		plan = &importPlan{}
	default:
		return Report{}, fmt.Errorf("import %s: unknown format %q", src, format)
	}
	if err != nil {
		return Report{}, fmt.Errorf("import %s: %w", src, err)
	}
	plan.only(opts.Only)
	rep := Report{Format: format, Warnings: append(s.warnings, plan.warnings...), Rejected: append(s.rejected, plan.rejected...)}

	st, err := newStage(dst, opts.Limits.withDefaults())
	if err != nil {
		return Report{}, err
	}
	defer st.cleanup()
	if err := st.stagePlan(plan, opts.AllowEmpty, &rep); err != nil {
		return Report{}, fmt.Errorf("import %s: %w", src, err)
	}
	if rep.Warnings == nil {
		rep.Warnings = []string{}
	}
	if rep.Rejected == nil {
		rep.Rejected = []Rejected{}
	}
	if rep.Texts == 0 && rep.Sets == 0 {
		return rep, fmt.Errorf("import %s: %w", src, &NothingImportedError{Format: format, LookedFor: lookedFor(format, opts.Only), Skipped: rep.Skipped, Rejected: rep.Rejected})
	}
	if err := st.commit(rename); err != nil {
		return Report{}, fmt.Errorf("import %s into %s: %w", src, dst, err)
	}
	log.Debug("imported", "src", src, "dst", dst, "format", format, "texts", rep.Texts, "sets", rep.Sets, "rejected", len(rep.Rejected))
	return rep, nil
}

// lookedFor says what an import of format looks for, for *NothingImportedError.
func lookedFor(format Format, only Only) string {
	template := map[Only]string{
		OnlyText:  "text files in the template layout (description/<locale>.txt, keyword/<locale>.txt, …)",
		OnlyMedia: "screenshot/<locale>/<display type>/ and preview/<locale>/<preview type>/ folders with media",
	}
	fastlane := map[Only]string{
		OnlyText:  "fastlane texts (metadata/<locale>/name.txt, description.txt, keywords.txt, …)",
		OnlyMedia: "fastlane screenshots (screenshots/<locale>/*.png|*.jpg)",
	}
	for _, m := range []map[Only]string{template, fastlane} {
		m[OnlyAll] = m[OnlyText] + " and " + m[OnlyMedia]
		m[""] = m[OnlyAll]
	}
	switch format {
	case FormatTemplate:
		return template[only]
	case FormatFastlane:
		return fastlane[only]
	}
	return template[only] + ", or " + fastlane[only]
}

// topNames are the folder names that mark the top of a template or fastlane tree.
var topNames = func() map[string]bool {
	m := map[string]bool{collection.ScreenshotDir: true, collection.PreviewDir: true,
		fastlaneMetadata: true, fastlaneScreenshots: true}
	for _, f := range collection.Fields {
		m[f.Dir] = true
	}
	return m
}()

// unwrap descends while the source is a single wrapping folder ("MyApp/…" from zipping a
// folder, or a project's "fastlane/").
func unwrap(s *source) {
	for range 4 {
		files, dirs := s.children("")
		if containsString(dirs, "fastlane") && !slices.ContainsFunc(dirs, func(d string) bool { return topNames[d] }) {
			s.rebase("fastlane") // a project folder: its fastlane/ holds the tree
			continue
		}
		if len(dirs) != 1 || topNames[dirs[0]] {
			return
		}
		if len(files) > 0 && dirs[0] != "fastlane" {
			return
		}
		s.rebase(dirs[0])
	}
}

// detectFormat tells the layout from the top folders: metadata/ or screenshots/ is fastlane,
// a field folder, screenshot/ or preview/ the template; "" when neither. hint names the folders
// that gave it away.
func detectFormat(s *source) (Format, string) {
	_, dirs := s.children("")
	var fl, tpl []string
	for _, d := range dirs {
		switch {
		case d == fastlaneMetadata || d == fastlaneScreenshots:
			fl = append(fl, d+"/")
		case topNames[d]:
			tpl = append(tpl, d+"/")
		}
	}
	switch {
	case len(fl) > 0:
		return FormatFastlane, strings.Join(fl, ", ")
	case len(tpl) > 0:
		return FormatTemplate, strings.Join(tpl[:min(len(tpl), 3)], ", ")
	}
	return "", ""
}

// readLimited reads a whole file, refusing one larger than limit.
func readLimited(f srcFile, limit int64) ([]byte, error) {
	rc, err := f.open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", f.path, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: text file larger than %d bytes", f.path, limit)
	}
	return b, nil
}

var errRollback = errors.New("rollback incomplete")
