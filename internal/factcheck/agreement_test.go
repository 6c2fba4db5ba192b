package factcheck

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/plan"
)

// knownDifferences are the disagreements that have been looked at, each with the reason it
// stays. A difference not listed fails the test, and so does a listed one that went away
// (remove it then), so the list stays the truth.
var knownDifferences = map[string]string{
	"text privacyChoicesUrl: simulator has it (max 255, URL), StoreSyncer does not": "StoreSyncer does not manage privacyChoicesUrl; the simulator still checks what other clients send",
}

func TestStoreSyncerAgreesWithTheSimulatorOnApplesFacts(t *testing.T) {
	got := differences(ascapitest.AppleFacts())
	for _, d := range got {
		if _, ok := knownDifferences[d]; !ok {
			t.Errorf("StoreSyncer and the simulator disagree: %s", d)
		}
	}
	for d, why := range knownDifferences {
		if !slices.Contains(got, d) {
			t.Errorf("known difference %q (%s) is gone: remove it from knownDifferences", d, why)
		}
	}
}

// differences lists, one sentence each, where collection's and plan's tables say something
// else than the simulator's facts.
func differences(f ascapitest.Facts) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }

	for _, l := range onlyIn(collection.Locales, f.Locales) {
		add("locale %s: StoreSyncer accepts it, the simulator does not", l)
	}
	for _, l := range onlyIn(f.Locales, collection.Locales) {
		add("locale %s: the simulator accepts it, StoreSyncer does not", l)
	}

	for _, field := range collection.Fields {
		i := slices.IndexFunc(f.Texts, func(t ascapitest.TextLimit) bool { return t.Attr == field.Attr })
		if i < 0 {
			add("text %s: StoreSyncer limits it (max %d), the simulator has no rule", field.Attr, field.Max)
			continue
		}
		sim := f.Texts[i]
		if string(field.Resource) != sim.Resource {
			add("text %s: on %s for StoreSyncer, on %s for the simulator", field.Attr, field.Resource, sim.Resource)
		}
		if field.Max != sim.Max || field.Min != sim.Min || field.URL != sim.URL {
			add("text %s: StoreSyncer has %s, the simulator %s", field.Attr, textRule(field.Max, field.Min, field.URL), textRule(sim.Max, sim.Min, sim.URL))
		}
	}
	for _, sim := range f.Texts {
		if _, ok := collection.FieldByAttr(sim.Attr); !ok {
			add("text %s: simulator has it (%s), StoreSyncer does not", sim.Attr, textRule(sim.Max, sim.Min, sim.URL))
		}
	}

	var ours []mediaType
	for _, d := range collection.DisplayTypes {
		ours = append(ours, mediaType{d.Name, platforms(d.Platforms), accepted(d.Sizes, d.Landscape)})
	}
	out = append(out, compareTypes("display type", ours, f.DisplayTypes)...)
	ours = nil
	for _, p := range collection.PreviewTypes {
		ours = append(ours, mediaType{p.Name, platforms(p.Platforms), accepted(p.Sizes, p.Landscape)})
	}
	out = append(out, compareTypes("preview type", ours, f.PreviewTypes)...)
	if a, b := fmt.Sprint(collection.DisplayTypeAliases), fmt.Sprint(f.DisplayTypeAliases); a != b {
		add("display type aliases: StoreSyncer has %s, the simulator %s", a, b)
	}

	if collection.MaxScreenshots != f.MaxScreenshots {
		add("screenshots per set: StoreSyncer %d, the simulator %d", collection.MaxScreenshots, f.MaxScreenshots)
	}
	if collection.MaxPreviews != f.MaxPreviews {
		add("previews per set: StoreSyncer %d, the simulator %d", collection.MaxPreviews, f.MaxPreviews)
	}
	if int64(collection.MaxPreviewBytes) != f.MaxPreviewBytes {
		add("preview file size: StoreSyncer %d bytes, the simulator %d", collection.MaxPreviewBytes, f.MaxPreviewBytes)
	}

	if a, b := sorted(plan.EditableStates), sorted(f.EditableStates); !slices.Equal(a, b) {
		add("editable version states: StoreSyncer %v, the simulator %v", a, b)
	}
	if !slices.Contains(f.ReviewTextStates, plan.StateWaitingForReview) {
		add("texts in %s: StoreSyncer may write them (edit_in_review), the simulator refuses", plan.StateWaitingForReview)
	}
	return out
}

type mediaType struct {
	name      string
	platforms []string
	sizes     []string
}

func compareTypes(what string, ours []mediaType, theirs []ascapitest.MediaType) []string {
	var out []string
	sim := map[string]ascapitest.MediaType{}
	for _, t := range theirs {
		sim[t.Name] = t
	}
	seen := map[string]bool{}
	for _, o := range ours {
		seen[o.name] = true
		s, ok := sim[o.name]
		if !ok {
			out = append(out, fmt.Sprintf("%s %s: StoreSyncer knows it, the simulator does not", what, o.name))
			continue
		}
		if p := sorted(s.Platforms); !slices.Equal(o.platforms, p) {
			out = append(out, fmt.Sprintf("%s %s: platforms %v for StoreSyncer, %v for the simulator", what, o.name, o.platforms, p))
		}
		var theirSizes []string
		if s.Sizes != nil {
			for _, z := range s.Sizes {
				theirSizes = append(theirSizes, fmt.Sprintf("%d×%d", z.W, z.H))
			}
			theirSizes = sorted(theirSizes)
		}
		if x := onlyIn(o.sizes, theirSizes); len(x) > 0 && theirSizes != nil {
			out = append(out, fmt.Sprintf("%s %s: StoreSyncer accepts %s, the simulator does not", what, o.name, strings.Join(x, ", ")))
		}
		if x := onlyIn(theirSizes, o.sizes); len(x) > 0 && o.sizes != nil {
			out = append(out, fmt.Sprintf("%s %s: the simulator accepts %s, StoreSyncer does not", what, o.name, strings.Join(x, ", ")))
		}
		if (o.sizes == nil) != (theirSizes == nil) {
			out = append(out, fmt.Sprintf("%s %s: any size for %s only", what, o.name, map[bool]string{true: "StoreSyncer", false: "the simulator"}[o.sizes == nil]))
		}
	}
	for _, t := range theirs {
		if !seen[t.Name] {
			out = append(out, fmt.Sprintf("%s %s: the simulator knows it, StoreSyncer does not", what, t.Name))
		}
	}
	return out
}

func textRule(maxLen, minLen int, isURL bool) string {
	s := fmt.Sprintf("max %d", maxLen)
	if minLen > 0 {
		s += fmt.Sprintf(", min %d", minLen)
	}
	if isURL {
		s += ", URL"
	}
	return s
}

// accepted spells every size a collection table accepts, both orientations when landscape;
// nil when any size is accepted.
func accepted(sizes []collection.Size, landscape bool) []string {
	if sizes == nil {
		return nil
	}
	var out []string
	for _, s := range sizes {
		out = append(out, fmt.Sprintf("%d×%d", s.W, s.H))
		if landscape {
			out = append(out, fmt.Sprintf("%d×%d", s.H, s.W))
		}
	}
	return sorted(out)
}

func platforms(ps []collection.Platform) []string {
	var out []string
	for _, p := range ps {
		out = append(out, string(p))
	}
	return sorted(out)
}

func sorted(list []string) []string {
	out := slices.Clone(list)
	sort.Strings(out)
	return slices.Compact(out)
}

// onlyIn returns the values of a that b lacks.
func onlyIn(a, b []string) []string {
	var out []string
	for _, v := range a {
		if !slices.Contains(b, v) {
			out = append(out, v)
		}
	}
	return out
}

// TestDifferencesNamesEachDisagreement tampers with a copy of the simulator's facts and
// expects each change to be named.
func TestDifferencesNamesEachDisagreement(t *testing.T) {
	f := ascapitest.AppleFacts()
	f.Locales = append(slices.Clone(f.Locales[1:]), "xx-XX") // drop ar-SA, add xx-XX
	f.Texts = slices.Clone(f.Texts)
	for i := range f.Texts {
		if f.Texts[i].Attr == "subtitle" {
			f.Texts[i].Max = 31
		}
	}
	f.DisplayTypes = slices.Clone(f.DisplayTypes)
	f.DisplayTypes[0].Sizes = f.DisplayTypes[0].Sizes[1:]
	f.MaxPreviews = 4
	f.EditableStates = f.EditableStates[:4]
	got := strings.Join(differences(f), "\n")
	for _, want := range []string{
		"locale ar-SA: StoreSyncer accepts it, the simulator does not",
		"locale xx-XX: the simulator accepts it, StoreSyncer does not",
		"text subtitle: StoreSyncer has max 30, the simulator max 31",
		"display type " + f.DisplayTypes[0].Name + ": StoreSyncer accepts",
		"previews per set: StoreSyncer 3, the simulator 4",
		"editable version states:",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("differences lack %q; got:\n%s", want, got)
		}
	}
}
