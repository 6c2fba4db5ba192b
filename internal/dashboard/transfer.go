package dashboard

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/storesyncer/storesyncer/internal/transfer"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// exportZip downloads the collection as a template ZIP, the same bytes `storesyncer export`
// writes.
func (d *Dashboard) exportZip(w http.ResponseWriter, r *http.Request) {
	a, dir, ok := d.collectionDir(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if _, err := transfer.ExportZip(dir, &buf, transfer.ExportOptions{}); err != nil {
		d.fail(w, r, http.StatusInternalServerError, err.Error())
		return
	}
	sendZip(w, a.BundleID+"-"+r.PathValue("coll")+".zip", buf.Bytes())
}

// templateZip downloads an empty template file for the app's platform and the locales of its
// active collection.
func (d *Dashboard) templateZip(w http.ResponseWriter, r *http.Request) {
	a, ok := d.app(w, r)
	if !ok {
		return
	}
	opts := transfer.TemplateOptions{
		Platform:          a.Platform,
		ExtraLocales:      d.cfg.Collection.ExtraLocales,
		ExtraDisplayTypes: d.cfg.Collection.ExtraDisplayTypes,
	}
	if locs := localesOf(d.cfg.Workspace.CollectionDir(a.BundleID, a.Active), d.options(a)); len(locs) > 0 {
		opts.Locales = locs
	}
	var buf bytes.Buffer
	if err := transfer.Template(&buf, opts); err != nil {
		d.fail(w, r, http.StatusInternalServerError, err.Error())
		return
	}
	sendZip(w, a.BundleID+"-template.zip", buf.Bytes())
}

func sendZip(w http.ResponseWriter, name string, data []byte) {
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	_, _ = w.Write(data)
}

// createCollection makes a collection from live, another collection, a template, or an
// uploaded ZIP, through the command path.
func (d *Dashboard) createCollection(w http.ResponseWriter, r *http.Request) {
	a, ok := d.app(w, r)
	if !ok {
		return
	}
	name := strings.TrimSpace(r.FormValue("name"))
	if err := workspace.ValidateCollectionName(name); err != nil {
		d.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	req := createRequest{App: a.BundleID, Collection: name, From: r.FormValue("from")}
	switch req.From {
	case "live", "template":
	case "collection":
		req.Source = r.FormValue("source")
	case "zip":
		path, cleanup, err := d.savedZip(r)
		if err != nil {
			d.fail(w, r, http.StatusBadRequest, err.Error())
			return
		}
		defer cleanup()
		req.Path = path
	default:
		d.fail(w, r, http.StatusBadRequest, "choose where the collection comes from: live, collection, template or zip")
		return
	}
	d.run(w, r, cmdCreate, req, "/apps/"+a.BundleID)
}

// savedZip writes the uploaded ZIP to a private temporary file for the import to read; the
// import itself treats it as hostile (paths, links, bombs).
func (d *Dashboard) savedZip(r *http.Request) (string, func(), error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File["zip"]) != 1 {
		return "", nil, fmt.Errorf("choose one ZIP file")
	}
	src, err := r.MultipartForm.File["zip"][0].Open()
	if err != nil {
		return "", nil, err
	}
	defer src.Close()
	f, err := os.CreateTemp("", "storesyncer-upload-*.zip")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.Remove(f.Name()) }
	n, err := io.Copy(f, io.LimitReader(src, maxZipBytes+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > maxZipBytes {
		err = fmt.Errorf("the ZIP is larger than 256 MB")
	}
	if err != nil {
		cleanup()
		return "", nil, err
	}
	return f.Name(), cleanup, nil
}
