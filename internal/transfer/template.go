package transfer

import (
	"fmt"
	"io"
	"slices"

	"github.com/storesyncer/storesyncer/internal/collection"
)

// TemplateOptions chooses what a template file holds. The zero value is the iOS default:
// en-US, APP_IPHONE_67 and APP_IPAD_PRO_3GEN_129, no previews.
type TemplateOptions struct {
	// Platform is IOS (default), MAC_OS, TV_OS or VISION_OS.
	Platform collection.Platform
	// Locales default to en-US.
	Locales []string
	// Screenshots are display types; nil means the platform's default, empty-but-non-nil none.
	Screenshots []string
	// Previews are preview types; none by default.
	Previews []string
	// ExtraLocales and ExtraDisplayTypes are accepted besides the built-in lists
	// ([collection] extra_locales / extra_display_types in the config).
	ExtraLocales      []string
	ExtraDisplayTypes []string
}

// defaultScreenshots are the display types App Store Connect requires per platform.
var defaultScreenshots = map[collection.Platform][]string{
	collection.IOS:      {"APP_IPHONE_67", "APP_IPAD_PRO_3GEN_129"},
	collection.MacOS:    {"APP_DESKTOP"},
	collection.TVOS:     {"APP_APPLE_TV"},
	collection.VisionOS: {"APP_APPLE_VISION_PRO"},
}

// Template writes a template file to w: a ZIP of the template layout's folders for the chosen
// locales and types, and a README.txt saying how to fill it in. It holds no text files, so an
// untouched template imports as nothing. An unknown locale, display type or preview type (or
// one of another platform) returns *UnknownNameError before anything is written.
func Template(w io.Writer, opts TemplateOptions) error {
	opts, err := opts.Resolve()
	if err != nil {
		return err
	}
	var dirs []string
	for _, f := range collection.Fields {
		dirs = append(dirs, f.Dir)
	}
	for _, loc := range opts.Locales {
		for _, t := range opts.Screenshots {
			dirs = append(dirs, collection.ScreenshotDir+"/"+loc+"/"+t)
		}
		for _, t := range opts.Previews {
			dirs = append(dirs, collection.PreviewDir+"/"+loc+"/"+t)
		}
	}
	readme := readmeText(string(opts.Platform), opts.Locales, opts.Screenshots, opts.Previews)
	if err := writeZip(w, []outEntry{{name: readmeName, data: []byte(readme)}}, dirs); err != nil {
		return fmt.Errorf("write template: %w", err)
	}
	return nil
}

// Resolve returns o with the defaults filled in, after checking every name; an unknown or
// wrong-platform name returns *UnknownNameError.
func (o TemplateOptions) Resolve() (TemplateOptions, error) {
	if o.Platform == "" {
		o.Platform = collection.IOS
	}
	if _, ok := defaultScreenshots[o.Platform]; !ok {
		return o, &UnknownNameError{Kind: "platform", Name: string(o.Platform), Suggestion: collection.Suggest(string(o.Platform), []string{"IOS", "MAC_OS", "TV_OS", "VISION_OS"})}
	}
	if len(o.Locales) == 0 {
		o.Locales = []string{"en-US"}
	}
	if o.Screenshots == nil {
		o.Screenshots = defaultScreenshots[o.Platform]
	}
	known := append(slices.Clone(collection.Locales), o.ExtraLocales...)
	for _, loc := range o.Locales {
		if !slices.Contains(known, loc) {
			return o, &UnknownNameError{Kind: "locale", Name: loc, Suggestion: collection.SuggestLocale(loc, o.ExtraLocales)}
		}
	}
	var shotNames []string
	for _, t := range collection.DisplayTypes {
		if slices.Contains(t.Platforms, o.Platform) {
			shotNames = append(shotNames, t.Name)
		}
	}
	for _, name := range o.Screenshots {
		if slices.Contains(o.ExtraDisplayTypes, name) {
			continue
		}
		t, ok := collection.LookupDisplayType(name)
		switch {
		case !ok:
			return o, &UnknownNameError{Kind: "display type", Name: name, Suggestion: collection.Suggest(name, shotNames)}
		case !slices.Contains(t.Platforms, o.Platform):
			return o, &UnknownNameError{Kind: "display type", Name: name, Platform: string(o.Platform), Suggestion: collection.Suggest(name, shotNames)}
		}
	}
	var previewNames []string
	for _, t := range collection.PreviewTypes {
		if slices.Contains(t.Platforms, o.Platform) {
			previewNames = append(previewNames, t.Name)
		}
	}
	for _, name := range o.Previews {
		t, ok := collection.LookupPreviewType(name)
		switch {
		case !ok:
			return o, &UnknownNameError{Kind: "preview type", Name: name, Suggestion: collection.Suggest(name, previewNames)}
		case !slices.Contains(t.Platforms, o.Platform):
			return o, &UnknownNameError{Kind: "preview type", Name: name, Platform: string(o.Platform), Suggestion: collection.Suggest(name, previewNames)}
		}
	}
	o.Locales = dedupe(o.Locales)
	o.Screenshots = dedupe(o.Screenshots)
	o.Previews = dedupe(o.Previews)
	return o, nil
}

func dedupe(list []string) []string {
	var out []string
	for _, s := range list {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
