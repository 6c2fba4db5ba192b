package collection

import (
	"fmt"
	"slices"
	"strings"
)

// MediaKind says whether a media set holds screenshots or app previews.
type MediaKind string

// The media kinds, named as in keys and in the template layout's folders.
const (
	Screenshots MediaKind = "screenshot"
	Previews    MediaKind = "preview"
)

// names checks locale codes and display/preview type names against the built-in lists, the
// extras from Options and the app's platform.
type names struct {
	locales    []string
	localeSet  map[string]bool
	extraTypes map[string]bool
	platform   Platform
}

func newNames(opts Options) (*names, error) {
	switch opts.Platform {
	case "", IOS, MacOS, TVOS, VisionOS:
	default:
		return nil, fmt.Errorf("unknown platform %q (want IOS, MAC_OS, TV_OS or VISION_OS)", opts.Platform)
	}
	n := &names{
		locales:    slices.Concat(Locales, opts.ExtraLocales),
		localeSet:  make(map[string]bool),
		extraTypes: make(map[string]bool),
		platform:   opts.Platform,
	}
	for _, l := range n.locales {
		n.localeSet[l] = true
	}
	for _, t := range opts.ExtraDisplayTypes {
		n.extraTypes[t] = true
	}
	return n, nil
}

// checkLocale returns "" for a known locale code, else a message with a hint.
func (n *names) checkLocale(code string) string {
	if n.localeSet[code] {
		return ""
	}
	return fmt.Sprintf("unknown locale %q%s", code, didYouMean(quoteIf(n.suggestLocale(code))))
}

// SuggestLocale returns the App Store Connect locale (or one of extra) a user most likely meant
// by code, or "" when none is close: en-UK → en-GB, ja-JP → ja, de-AT → de-DE.
func SuggestLocale(code string, extra []string) string {
	n, _ := newNames(Options{ExtraLocales: extra})
	return n.suggestLocale(code)
}

func (n *names) suggestLocale(code string) string {
	if a, ok := localeAliases[code]; ok && n.localeSet[a] {
		return a
	}
	for alias, a := range localeAliases {
		if strings.EqualFold(alias, code) && n.localeSet[a] {
			return a
		}
	}
	if s := Suggest(code, n.locales); s != "" {
		return s
	}
	// de-AT → de-DE, sl → sl-SI: the only known locale of the same language.
	lang, _, _ := strings.Cut(code, "-")
	var same []string
	for _, l := range n.locales {
		if l2, _, _ := strings.Cut(l, "-"); strings.EqualFold(l2, lang) {
			same = append(same, l)
		}
	}
	if len(same) == 1 {
		return same[0]
	}
	return ""
}

// typeCheck is the verdict on a display-type or preview-type folder name.
type typeCheck struct {
	// Canonical is the name of the set on App Store Connect (APP_IPHONE_69 → APP_IPHONE_67).
	Canonical string
	// Sizes, Landscape: the accepted dimensions; Sizes nil accepts any.
	Sizes     []Size
	Landscape bool
	// Code and Message are set when the name is not acceptable.
	Code, Message string
}

// checkType resolves a display type (Screenshots) or preview type (Previews) folder name.
func (n *names) checkType(kind MediaKind, name string) typeCheck {
	if n.extraTypes[name] {
		return typeCheck{Canonical: name}
	}
	var platforms []Platform
	var tc typeCheck
	var ok bool
	if kind == Screenshots {
		var t DisplayType
		t, ok = LookupDisplayType(name)
		tc = typeCheck{Canonical: t.Name, Sizes: t.Sizes, Landscape: t.Landscape}
		platforms = t.Platforms
	} else {
		var t PreviewType
		t, ok = LookupPreviewType(name)
		tc = typeCheck{Canonical: t.Name, Sizes: t.Sizes, Landscape: t.Landscape}
		platforms = t.Platforms
	}
	if !ok {
		what := "display type"
		if kind == Previews {
			what = "preview type"
		}
		return typeCheck{Code: CodeDisplayTypeUnknown, Message: fmt.Sprintf("unknown %s %q%s", what, name, didYouMean(n.suggestType(kind, name)))}
	}
	if n.platform != "" && !slices.Contains(platforms, n.platform) {
		tc.Code = CodeDisplayTypePlatform
		tc.Message = fmt.Sprintf("%s is for %s, but the app's platform is %s", name, joinPlatforms(platforms), n.platform)
	}
	return tc
}

func (n *names) suggestType(kind MediaKind, name string) string {
	var all []string
	if kind == Screenshots {
		for _, t := range DisplayTypes {
			all = append(all, t.Name)
		}
		for a := range DisplayTypeAliases {
			all = append(all, a)
		}
		if _, ok := LookupDisplayType("APP_" + strings.ToUpper(name)); ok {
			return "APP_" + strings.ToUpper(name) // a preview type name in screenshot/
		}
	} else {
		for _, t := range PreviewTypes {
			all = append(all, t.Name)
		}
		if trimmed, ok := strings.CutPrefix(strings.ToUpper(name), "APP_"); ok {
			if _, ok := LookupPreviewType(trimmed); ok {
				return trimmed // a display type name in preview/
			}
		}
	}
	for t := range n.extraTypes {
		all = append(all, t)
	}
	slices.Sort(all)
	return Suggest(name, all)
}

func joinPlatforms(ps []Platform) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = string(p)
	}
	return strings.Join(s, ", ")
}

func quoteIf(s string) string {
	if s == "" {
		return ""
	}
	return fmt.Sprintf("%q", s)
}
