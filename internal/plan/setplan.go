package plan

import (
	"fmt"

	"github.com/storesyncer/storesyncer/internal/collection"
)

// capacity returns how many assets a set of kind holds, placeholders included.
func capacity(kind MediaKind) int {
	if kind == Preview {
		return collection.MaxPreviews
	}
	return collection.MaxScreenshots
}

// overCapacity returns why local cannot fit a set of kind, or "".
func overCapacity(kind MediaKind, local Value) string {
	if n, max := len(local.Assets), capacity(kind); n > max {
		return fmt.Sprintf("held: the folder holds %d %ss; a set takes at most %d", n, kind, max)
	}
	return ""
}

// planSet works out how the remote set reaches local. Assets are matched by checksum as a
// multiset, so unchanged assets (renamed or duplicated ones too) are never re-sent. An asset
// of own that still processes counts with the checksum of the file it was uploaded from: the
// executor waits for it.
func planSet(kind MediaKind, local, remote Value, own OwnWork) *SetPlan {
	sp := &SetPlan{Order: make([]Asset, 0, len(local.Assets))}
	var kept []Asset // COMPLETE remote assets (and own processing ones) in remote order
	for _, a := range remote.Assets {
		if sum, ok := own.awaited(a); ok {
			a.Checksum, a.State = sum, StateComplete // as it will be; op.Remote keeps the real state
			kept = append(kept, a)
		} else if a.complete() {
			kept = append(kept, a)
		} else if !a.processing() {
			sp.Leftovers = append(sp.Leftovers, a)
		}
	}

	used := make([]bool, len(kept))
	var uploads []Asset
	for _, l := range local.Assets {
		i := -1
		for j, r := range kept {
			if !used[j] && r.Checksum == l.Checksum {
				i = j
				break
			}
		}
		if i < 0 {
			uploads = append(uploads, l)
			sp.Order = append(sp.Order, l)
			continue
		}
		used[i] = true
		l.RemoteID = kept[i].RemoteID
		sp.Order = append(sp.Order, l)
	}
	var deletes, survivors []Asset
	for i, r := range kept {
		if used[i] {
			survivors = append(survivors, r)
		} else {
			deletes = append(deletes, r)
		}
	}

	// Upload while there is room; when the set is full, free one slot for each upload, so an
	// interruption loses at most one asset. Whatever is left to delete goes last.
	occupied, max := len(kept), capacity(kind)
	for _, u := range uploads {
		if occupied >= max && len(deletes) > 0 {
			sp.Steps = append(sp.Steps, Step{Action: DeleteAsset, Asset: deletes[0]})
			deletes = deletes[1:]
			occupied--
		}
		sp.Steps = append(sp.Steps, Step{Action: Upload, Asset: u})
		occupied++
	}
	for _, d := range deletes {
		sp.Steps = append(sp.Steps, Step{Action: DeleteAsset, Asset: d})
	}

	predicted := ChecksumValue(append(Value{Assets: survivors}.Checksums(), Value{Assets: uploads}.Checksums()...)...)
	sp.Reorder = !same(predicted, local)
	return sp
}

// onlyOrder reports whether sp changes nothing but the order.
func (sp *SetPlan) onlyOrder() bool {
	return !sp.CreateSet && len(sp.Leftovers) == 0 && len(sp.Steps) == 0
}
