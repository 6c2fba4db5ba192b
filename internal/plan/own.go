package plan

// OwnWork is what StoreSyncer's uploads journal says about its own unsettled work on one set:
// the assets it created and the base assets it deleted since the set's base was recorded. The
// plan subtracts that work before comparing the remote set with its base, so that a restarted
// push finishes an interrupted upload instead of calling it a change on the web.
type OwnWork struct {
	// Created maps the remote ID of each asset StoreSyncer reserved to the MD5 of the local
	// file it uploaded into it.
	Created map[string]string `json:"created,omitempty"`
	// Deleted maps the remote ID of each asset StoreSyncer deleted (or set out to delete) to
	// its checksum.
	Deleted map[string]string `json:"deleted,omitempty"`
}

// empty reports whether w records nothing.
func (w OwnWork) empty() bool { return len(w.Created) == 0 && len(w.Deleted) == 0 }

// settled reports whether the base already holds the work: the remote set equals it and no
// asset of the work is still on its way. Records left after a push whose base was written
// are then ignored.
func (w OwnWork) settled(base, remote Value) bool {
	if w.empty() || !same(base, remote) {
		return w.empty()
	}
	for _, a := range remote.Assets {
		if _, ok := w.Created[a.RemoteID]; ok && !a.complete() {
			return false
		}
	}
	return true
}

// foreign returns remote without the assets StoreSyncer created: the set as the web left it.
func (w OwnWork) foreign(remote Value) Value {
	if len(w.Created) == 0 {
		return remote
	}
	out := Value{Busy: remote.Busy, Assets: make([]Asset, 0, len(remote.Assets))}
	for _, a := range remote.Assets {
		if _, ok := w.Created[a.RemoteID]; !ok {
			out.Assets = append(out.Assets, a)
		}
	}
	return out
}

// base returns base without the assets StoreSyncer deleted from remote: what the web would
// show had StoreSyncer not touched the set. A deletion whose asset is still in remote did not
// happen and removes nothing.
func (w OwnWork) base(base, remote Value) Value {
	if len(w.Deleted) == 0 {
		return base
	}
	drop := map[string]int{}
	for id, sum := range w.Deleted {
		if !remote.has(id) {
			drop[sum]++
		}
	}
	out := Value{Assets: make([]Asset, 0, len(base.Assets))}
	for _, a := range base.Assets {
		if a.complete() && drop[a.Checksum] > 0 {
			drop[a.Checksum]--
			continue
		}
		out.Assets = append(out.Assets, a)
	}
	return out
}

// awaited returns the checksum of an asset StoreSyncer created that is still processing, so
// that the set plan keeps it and waits for it rather than uploading its file again.
func (w OwnWork) awaited(a Asset) (string, bool) {
	sum, ok := w.Created[a.RemoteID]
	return sum, ok && sum != "" && a.processing()
}

func (v Value) has(id string) bool {
	for _, a := range v.Assets {
		if a.RemoteID == id {
			return true
		}
	}
	return false
}
