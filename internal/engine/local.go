package engine

import (
	"fmt"
	"path/filepath"
	"slices"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/plan"
)

// localSide is the collection as the planner sees it, with what the executor needs to find
// the files again.
type localSide struct {
	values map[plan.Key]plan.Value
	// files maps a set key to its assets' files by the checksum the plan carries.
	files map[plan.Key]map[string]localFile
	// texts maps a text key to its absolute path.
	texts map[plan.Key]string
	// held are the keys with an error, with the op that reports them.
	held []plan.Op
}

// translate returns the checksum the plan compares for a local file with MD5 md5: the remote
// checksum pull recorded for it when that checksum is in the remote set or the base, else its
// own MD5 (so an upload carries what its bytes really are).
func translate(sums checksumMap, md5 string, known ...plan.Value) string {
	remote, ok := sums[md5]
	if !ok {
		return md5
	}
	for _, v := range known {
		if slices.Contains(v.Checksums(), remote) {
			return remote
		}
	}
	return md5
}

// buildLocal turns the loaded collection's keys of the locales of loc into plan values.
// Media keys of locales outside mediaLocales (nil means every locale) are left out: their
// remote side was not fetched.
func buildLocal(c *collection.Collection, sums checksumMap, remote, base map[plan.Key]plan.Value, mediaLocales map[string]bool, loc localeScope) localSide {
	ls := localSide{values: map[plan.Key]plan.Value{}, files: map[plan.Key]map[string]localFile{}, texts: map[plan.Key]string{}}
	for ck, t := range c.Texts {
		if !loc.has(t.Locale) {
			continue
		}
		k := plan.Key(ck)
		ls.texts[k] = filepath.Join(c.Dir, filepath.FromSlash(t.Path))
		if !t.Valid() {
			ls.held = append(ls.held, heldOp(k, t.Problems))
			continue
		}
		ls.values[k] = plan.TextValue(t.Value)
	}
	for _, s := range c.Sets {
		if !loc.has(s.Locale) {
			continue
		}
		k := plan.MediaKey(s.Locale, plan.MediaKind(s.Kind), s.Type)
		if !s.Valid() {
			ls.held = append(ls.held, heldOp(k, s.Problems))
			continue
		}
		if mediaLocales != nil && !mediaLocales[s.Locale] {
			continue
		}
		v := plan.Value{Assets: make([]plan.Asset, 0, len(s.Assets))}
		files := map[string]localFile{}
		for _, a := range s.Assets {
			sum := translate(sums, a.MD5, remote[k], base[k])
			v.Assets = append(v.Assets, plan.Asset{Name: a.Name, Checksum: sum, Size: a.Size})
			files[sum] = localFile{path: filepath.Join(c.Dir, filepath.FromSlash(a.Path)), size: a.Size, modTime: a.ModTime}
		}
		ls.values[k] = v
		ls.files[k] = files
	}
	slices.SortFunc(ls.held, func(a, b plan.Op) int { return compareKeys(a.Key, b.Key) })
	return ls
}

func compareKeys(a, b plan.Key) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// heldOp reports an invalid key: held, with its first error.
func heldOp(k plan.Key, problems []collection.Problem) plan.Op {
	reason := "held: invalid"
	for _, p := range problems {
		if p.Severity == collection.SeverityError {
			reason = fmt.Sprintf("held: %s: %s", p.Path, p.Message)
			break
		}
	}
	return plan.Op{Key: k, Kind: plan.Held, Resource: k.Resource(), Reason: reason}
}

// mediaDiffers reports whether a set's local checksums (translated through sums against the
// base only) differ from its base: the set must be fetched to be planned.
func mediaDiffers(s collection.MediaSet, sums checksumMap, base plan.Value, hasBase bool) bool {
	if !hasBase {
		return true
	}
	want := base.Checksums()
	if len(want) != len(s.Assets) {
		return true
	}
	for i, a := range s.Assets {
		if translate(sums, a.MD5, base) != want[i] {
			return true
		}
	}
	return false
}
