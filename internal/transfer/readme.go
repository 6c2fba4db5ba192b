package transfer

import (
	"fmt"
	"sort"
	"strings"

	"github.com/storesyncer/storesyncer/internal/collection"
)

// readmeName is the help file a template ZIP carries; Import skips it.
const readmeName = collection.TemplateReadme

// fieldLabels name the fields for people.
var fieldLabels = map[string]string{
	"name":             "App name",
	"subtitle":         "Subtitle",
	"privacyPolicyUrl": "Privacy policy URL (absolute http or https)",
	"description":      "Description",
	"keyword":          "Keywords, comma separated, no spaces after commas",
	"whatsNew":         "What's New in this version (not on an app's first version)",
	"promotionalText":  "Promotional text (can change without a new version)",
	"marketingUrl":     "Marketing URL (absolute http or https)",
	"supportUrl":       "Support URL (absolute http or https)",
}

// readmeText explains how to fill a template holding locales, screenshot and preview types.
func readmeText(platform string, locales, shots, previews []string) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	title := "StoreSyncer template: App Store product page texts, screenshots and previews"
	if platform != "" {
		title += " (" + platform + ")"
	}
	p("%s", title)
	p("")
	p("HOW TO FILL IT IN")
	p("")
	p("Texts: one UTF-8 file per field and language, in the field's folder, named <locale>.txt,")
	p("for example description/%s.txt. Leading and trailing spaces and blank lines are ignored.", firstOr(locales, "en-US"))
	p("A missing or empty file means \"not managed\": StoreSyncer never changes that field on")
	p("App Store Connect, so you only need to fill in what you want to change.")
	p("")
	p("Fields and their limits (in characters):")
	for _, f := range collection.Fields {
		limit := fmt.Sprintf("up to %d", f.Max)
		if f.Min > 0 {
			limit = fmt.Sprintf("%d to %d", f.Min, f.Max)
		}
		p("  %-18s %s; %s", f.Dir+"/", fieldLabels[f.Dir], limit)
	}
	p("")
	if len(locales) > 0 {
		p("Languages in this template: %s", strings.Join(locales, ", "))
		p("")
	}
	if len(shots) > 0 {
		p("Screenshots: 1 to %d PNG or JPEG files (RGB, no transparency) per folder", collection.MaxScreenshots)
		p("screenshot/<locale>/<display type>/. They are shown in the natural order of their file names")
		p("(2.png before 10.png), so name them 01.png, 02.png, ... An empty folder is not managed;")
		p("a folder with images replaces the whole set on App Store Connect. Accepted sizes in pixels")
		p("(width x height):")
		for _, name := range shots {
			if t, ok := collection.LookupDisplayType(name); ok {
				p("  %-24s %s", name, sizesText(t.Sizes, t.Landscape))
			}
		}
		p("")
	}
	if len(previews) > 0 {
		p("App previews: up to %d videos (.mp4, .mov or .m4v, %d to %d seconds, at most 500 MB) per", collection.MaxPreviews, collection.MinPreviewSeconds, collection.MaxPreviewSeconds)
		p("folder preview/<locale>/<preview type>/, in the natural order of their file names:")
		for _, name := range previews {
			if t, ok := collection.LookupPreviewType(name); ok {
				p("  %-24s %s", name, sizesText(t.Sizes, t.Landscape))
			}
		}
		p("")
	}
	p("Then import it: storesyncer import THIS.zip --into <collection folder>")
	p("and check it:   storesyncer validate <collection folder>")
	return strings.ReplaceAll(b.String(), "\n", "\r\n") // readable in Notepad too
}

func sizesText(sizes []collection.Size, landscape bool) string {
	if len(sizes) == 0 {
		return "any size"
	}
	var parts []string
	for _, s := range sizes {
		parts = append(parts, fmt.Sprintf("%dx%d", s.W, s.H))
	}
	out := strings.Join(parts, ", ")
	if landscape {
		out += " (portrait; landscape: the same sizes turned)"
	}
	return out
}

func firstOr(list []string, def string) string {
	if len(list) > 0 {
		return list[0]
	}
	return def
}

// exportReadme describes the locales and types a template-format export holds.
func exportReadme(files []outEntry) string {
	locales, shots, previews := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, f := range files {
		parts := strings.Split(f.name, "/")
		switch {
		case len(parts) == 2:
			locales[strings.TrimSuffix(parts[1], ".txt")] = true
		case len(parts) == 4 && parts[0] == collection.ScreenshotDir:
			locales[parts[1]], shots[parts[2]] = true, true
		case len(parts) == 4 && parts[0] == collection.PreviewDir:
			locales[parts[1]], previews[parts[2]] = true, true
		}
	}
	keys := func(m map[string]bool) []string {
		out := make([]string, 0, len(m))
		for k := range m {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	return readmeText("", keys(locales), keys(shots), keys(previews))
}
