package engine

import (
	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/remote"
)

// Phase names what a Progress event reports.
type Phase string

// The phases of a push, in the order they come.
const (
	// PhaseStart comes first, with the totals: Items (keys with work) and Bytes (uploads).
	PhaseStart Phase = "start"
	// PhaseUploaded reports an uploaded asset of Bytes bytes.
	PhaseUploaded Phase = "uploaded"
	// PhaseDone and PhaseFailed report a finished key (one item).
	PhaseDone   Phase = "done"
	PhaseFailed Phase = "failed"
)

// Progress is one progress report of a push. Callbacks may run on several goroutines at
// once, but never concurrently for the same resource; the CLI serializes them itself.
type Progress struct {
	Phase Phase
	Key   plan.Key
	// Kind is the op's kind for PhaseDone and PhaseFailed.
	Kind plan.Kind
	// FileName is the uploaded file for PhaseUploaded.
	FileName string
	// Items and Bytes are the totals (PhaseStart) or this event's share (Bytes of an upload).
	Items int
	Bytes int64
	// Err says why a key failed.
	Err error
}

// totals counts the keys with work and the bytes to upload.
func totals(ops []plan.Op) (items int, bytes int64) {
	for _, op := range ops {
		if !op.Kind.Writes() && op.Kind != plan.Pull {
			continue
		}
		items++
		if op.Set == nil {
			continue
		}
		for _, st := range op.Set.Steps {
			if st.Action == plan.Upload {
				bytes += st.Asset.Size
			}
		}
	}
	return items, bytes
}

// remoteProgress forwards the upload reports of remote.Apply.
func remoteProgress(fn func(Progress)) func(remote.ProgressEvent) {
	if fn == nil {
		return nil
	}
	return func(ev remote.ProgressEvent) {
		if ev.Phase == remote.PhaseUploaded {
			fn(Progress{Phase: PhaseUploaded, Key: ev.Key, FileName: ev.FileName, Bytes: ev.Bytes})
		}
	}
}
