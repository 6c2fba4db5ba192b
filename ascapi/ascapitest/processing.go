package ascapitest

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // register the decoders processing needs
	_ "image/png"
	"path"
	"strings"
)

// advanceLocked moves a committed asset towards COMPLETE or FAILED; read says whether the
// call renders the asset to a client (a read for ProcessAfterReads).
func (s *Server) advanceLocked(a *asset, read bool) {
	if a.state != stateUploaded || a.stuck {
		return
	}
	if s.ProcessAfterReads > 0 {
		if !read {
			return
		}
		a.reads++
		if a.reads < s.ProcessAfterReads {
			return
		}
	} else if s.now().Sub(a.committed) < s.ProcessingDelay {
		return
	}
	s.finishProcessingLocked(a)
}

// finishProcessingLocked decides the terminal state of an uploaded asset.
func (s *Server) finishProcessingLocked(a *asset) {
	fail := func(code, desc string) {
		a.state = stateFailed
		a.errors = []stateError{{Code: code, Description: desc}}
	}
	if a.failProcessing {
		fail("IMAGE_TOOL_FAILURE", "The asset could not be processed.")
		return
	}
	if a.kind == typePreviews {
		a.state = stateComplete
		return
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(a.data))
	if err != nil {
		fail("IMAGE_TOOL_FAILURE", "The file is not a valid PNG or JPEG image.")
		return
	}
	set := s.sets[a.setID]
	if dt, ok := displayType(set.displayType); ok && !dt.Accepts(cfg.Width, cfg.Height) {
		fail("IMAGE_INCORRECT_DIMENSIONS", fmt.Sprintf("The dimensions of one or more screenshots are wrong for the display type %s: %dx%d.",
			set.displayType, cfg.Width, cfg.Height))
		return
	}
	a.width, a.height, a.format = cfg.Width, cfg.Height, format
	a.state = stateComplete
}

// contentTypeFor is the Content-Type upload operations ask for, from the file name.
func contentTypeFor(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".png":
		return "image/png"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".mp4":
		return "video/mp4"
	case ".mov":
		return "video/quicktime"
	case ".m4v":
		return "video/x-m4v"
	}
	return "application/octet-stream"
}
