package release

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/goreleaser/nfpm/v2"
	_ "github.com/goreleaser/nfpm/v2/deb" // registers the deb packager
	"github.com/goreleaser/nfpm/v2/files"
	_ "github.com/goreleaser/nfpm/v2/rpm" // registers the rpm packager
)

// writePackage makes the .deb or .rpm of a linux target in dist with nfpm, and returns its
// file name.
func writePackage(dist, format string, c *Config, s sources, o Options, t Target) (string, error) {
	info, err := packageInfo(format, c, s, o, t)
	if err != nil {
		return "", err
	}
	pkg, err := nfpm.Get(format)
	if err != nil {
		return "", err
	}
	if err := nfpm.PrepareForPackager(info, format); err != nil {
		return "", fmt.Errorf("%s: %w", format, err)
	}
	name := pkg.ConventionalFileName(info)
	f, err := os.Create(filepath.Join(dist, name))
	if err != nil {
		return "", err
	}
	defer f.Close()
	if err := pkg.Package(info, f); err != nil {
		return "", fmt.Errorf("%s %s: %w", format, t, err)
	}
	return name, f.Close()
}

// packageInfo is nfpm's description of the package: the config's metadata and files, with
// folders (the man pages) expanded file by file.
func packageInfo(format string, c *Config, s sources, o Options, t Target) (*nfpm.Info, error) {
	var contents files.Contents
	for _, f := range c.Files {
		if f.Packager != "" && f.Packager != format {
			continue
		}
		src := s.path(f.Src)
		fi, err := os.Stat(src)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", format, err)
		}
		add := func(src, dst string) {
			mode := os.FileMode(f.Mode)
			if mode == 0 {
				mode = 0o644
			}
			contents = append(contents, &files.Content{
				Source: src, Destination: dst, Type: f.Type,
				FileInfo: &files.ContentFileInfo{Owner: "root", Group: "root", Mode: mode, MTime: o.Date},
			})
		}
		if !fi.IsDir() {
			add(src, f.Dst)
			continue
		}
		entries, err := os.ReadDir(src)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			from, to := filepath.Join(src, e.Name()), filepath.Join(f.Dst, e.Name())
			if strings.HasPrefix(f.Dst, "/usr/share/man/") {
				// Debian policy and rpm's brp-compress: installed man pages are gzipped.
				if from, err = gzipCopy(from); err != nil {
					return nil, err
				}
				to += ".gz"
			}
			add(from, to)
		}
	}
	info := &nfpm.Info{
		Name: c.Name, Arch: t.Arch, Platform: t.OS, Version: o.Version, Release: "1",
		Section: "utils", Priority: "optional", Maintainer: c.Maintainer, Description: c.Summary + "\n" + c.Description,
		Vendor: c.Vendor, Homepage: c.Homepage, License: c.License, MTime: o.Date, DisableGlobbing: true,
		Overridables: nfpm.Overridables{
			Contents: contents,
			Scripts:  nfpm.Scripts{PostInstall: s.path(c.Scripts.PostInstall), PreRemove: s.path(c.Scripts.PreRemove)},
			Deb:      nfpm.Deb{Fields: map[string]string{"Bugs": c.Homepage + "/issues"}},
			RPM:      nfpm.RPM{Summary: c.Summary, Group: "Applications/Internet"},
		},
	}
	if c.Scripts.PostInstall == "" {
		info.Scripts.PostInstall = ""
	}
	if c.Scripts.PreRemove == "" {
		info.Scripts.PreRemove = ""
	}
	return nfpm.WithDefaults(info), nil
}

// gzipCopy writes a gzipped copy of path into the folder beside path's own folder named
// "<folder>.gz" (so the folder an archive copies stays as it is), without a name or time in
// the gzip header so it is the same bytes every time, and returns the copy's path.
func gzipCopy(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return "", err
	}
	if _, err := zw.Write(data); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	dir := filepath.Dir(path) + ".gz"
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	dst := filepath.Join(dir, filepath.Base(path)+".gz")
	return dst, os.WriteFile(dst, buf.Bytes(), 0o644)
}
