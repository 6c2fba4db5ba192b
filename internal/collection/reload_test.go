package collection

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// reloadStep is one change to a collection on disk and the Reload that follows it.
type reloadStep struct {
	write   map[string][]byte
	remove  []string
	changed []Key
	quiet   []string
}

// TestReloadSharesSafely runs Reloads one after another, each from the last, and after each
// checks that it equals a whole Load with the same options and that no Collection returned
// before changed: a Reload shares the unchanged sets' results (files, Assets, Problems) with
// the load it starts from, so nothing may write into them. Each step also reloads twice at
// once from the same Collection, which -race checks.
func TestReloadSharesSafely(t *testing.T) {
	a, b := rgbPNG(t, 1290, 2796), rgbPNG(t, 1320, 2868)
	start := map[string][]byte{
		"keyword/en-US.txt":                                []byte("one"),
		"keyword/de-DE.txt":                                []byte("eins, zwei"),
		"keyword/notes.md":                                 []byte("a stray file: a quietable warning"),
		"description/en-US.txt":                            []byte("description"),
		"screenshot/en-US/APP_IPHONE_67/1.png":             a,
		"screenshot/en-US/APP_IPHONE_67/2.png":             b,
		"screenshot/en-US/APP_IPHONE_67/x.txt":             []byte("a stray file in a set"),
		"screenshot/de-DE/APP_IPHONE_67/1.png":             a,
		"screenshot/de-DE/APP_IPAD_PRO_3GEN_129/notes.txt": []byte("no media: set.empty"),
	}
	tests := []struct {
		name  string
		steps []reloadStep
	}{
		{"quiet codes change, no file does", []reloadStep{
			{quiet: []string{CodeLayoutUnknownFile, CodeSetEmpty, CodeKeywordSpaces}, changed: []Key{"en-US/keyword"}},
			{changed: []Key{"en-US/keyword"}},
			{quiet: []string{CodeSetEmpty}, changed: []Key{"en-US/description"}},
		}},
		{"an alias folder comes and goes beside a kept set", []reloadStep{
			{write: map[string][]byte{"screenshot/en-US/APP_IPHONE_69/1.png": a}, changed: []Key{"en-US/screenshot/APP_IPHONE_69"}},
			{write: map[string][]byte{"screenshot/en-US/APP_IPHONE_69/2.png": b}, changed: []Key{"en-US/screenshot/APP_IPHONE_69"}},
			{remove: []string{"screenshot/en-US/APP_IPHONE_69/1.png", "screenshot/en-US/APP_IPHONE_69/2.png"}, changed: []Key{"en-US/screenshot/APP_IPHONE_69"}},
		}},
		{"a set changes again and again", []reloadStep{
			{write: map[string][]byte{"screenshot/en-US/APP_IPHONE_67/3.png": a}, changed: []Key{"en-US/screenshot/APP_IPHONE_67"}},
			{remove: []string{"screenshot/en-US/APP_IPHONE_67/1.png"}, changed: []Key{"en-US/screenshot/APP_IPHONE_67"}, quiet: []string{CodeLayoutUnknownFile}},
			{write: map[string][]byte{"screenshot/en-US/APP_IPHONE_67/1.png": b}, changed: []Key{"en-US/screenshot/APP_IPHONE_67"}},
		}},
		{"a new folder makes a whole listing that keeps the checked files", []reloadStep{
			{write: map[string][]byte{"screenshot/fr-FR/APP_IPHONE_67/1.png": a}, changed: []Key{"fr-FR/screenshot/APP_IPHONE_67"}},
			{write: map[string][]byte{"keyword/fr-FR.txt": []byte("un")}, changed: []Key{"fr-FR/keyword"}, quiet: []string{CodeSetEmpty}},
			{write: map[string][]byte{"promotionalText/en-US.txt": []byte("new")}, changed: []Key{"en-US/promotionalText"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, start)
			last, _, err := Load(dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			type kept struct {
				c    *Collection
				want *Collection
			}
			earlier := []kept{{last, deepCopy(last)}}
			for i, step := range tt.steps {
				writeFiles(t, dir, step.write)
				for _, rel := range step.remove {
					if err := os.Remove(filepath.Join(dir, filepath.FromSlash(rel))); err != nil {
						t.Fatal(err)
					}
				}
				opts := Options{Quiet: step.quiet}
				var got [2]*Collection
				var gotProblems [2][]Problem
				var wg sync.WaitGroup
				for j := range got {
					wg.Go(func() {
						got[j], gotProblems[j], _ = Reload(dir, opts, last, step.changed)
					})
				}
				wg.Wait()
				want, wantProblems, err := Load(dir, opts)
				if err != nil || got[0] == nil || got[1] == nil {
					t.Fatalf("step %d: Load: %v, Reloads %v", i, err, got)
				}
				for j := range got {
					if diff := cmp.Diff(want.Texts, got[j].Texts); diff != "" {
						t.Errorf("step %d: texts (-Load +Reload):\n%s", i, diff)
					}
					if diff := cmp.Diff(want.Sets, got[j].Sets); diff != "" {
						t.Errorf("step %d: sets (-Load +Reload):\n%s", i, diff)
					}
					if diff := cmp.Diff(wantProblems, gotProblems[j]); diff != "" {
						t.Errorf("step %d: problems (-Load +Reload):\n%s", i, diff)
					}
				}
				earlier = append(earlier, kept{got[1], deepCopy(got[1])})
				last = got[0]
				for e, k := range earlier {
					if diff := cmp.Diff(k.want.Sets, k.c.Sets); diff != "" {
						t.Errorf("step %d: the sets of Collection %d changed:\n%s", i, e, diff)
					}
					if diff := cmp.Diff(k.want.Texts, k.c.Texts); diff != "" {
						t.Errorf("step %d: the texts of Collection %d changed:\n%s", i, e, diff)
					}
				}
			}
		})
	}
}

// deepCopy copies what c holds into slices and maps of its own.
func deepCopy(c *Collection) *Collection {
	out := &Collection{Dir: c.Dir, Texts: maps.Clone(c.Texts), Sets: maps.Clone(c.Sets)}
	for k, t := range out.Texts {
		t.Problems = slices.Clone(t.Problems)
		out.Texts[k] = t
	}
	for k, s := range out.Sets {
		s.Assets, s.Problems = slices.Clone(s.Assets), slices.Clone(s.Problems)
		out.Sets[k] = s
	}
	return out
}
