package plan

import (
	"fmt"
	"strings"

	"github.com/storesyncer/storesyncer/internal/collection"
)

// Key names the unit of comparison: one text field of one locale ("de-DE/keyword", the field
// being its template folder name) or one media set ("ja/screenshot/APP_IPHONE_67",
// "ja/preview/IPHONE_67"). Keys sort by locale first. The zero Key is invalid.
type Key string

// MediaKind tells screenshot sets from preview sets.
type MediaKind string

// The media kinds, spelled as their template folders.
const (
	Screenshot MediaKind = collection.ScreenshotDir
	Preview    MediaKind = collection.PreviewDir
)

// KeyError reports a key that does not parse. Callers that read keys from users (resolve KEY)
// show it as a usage error.
type KeyError struct {
	Key    string
	Reason string
}

// Error returns the key and why it is invalid.
func (e *KeyError) Error() string { return fmt.Sprintf("invalid key %q: %s", e.Key, e.Reason) }

// TextKey returns the key of text field dir ("keyword") of locale.
func TextKey(locale, dir string) Key { return Key(locale + "/" + dir) }

// MediaKey returns the key of the set of kind and display or preview type typ of locale.
// Screenshot display type aliases are resolved (APP_IPHONE_69 becomes APP_IPHONE_67), because
// App Store Connect reads them back under the canonical name.
func MediaKey(locale string, kind MediaKind, typ string) Key {
	if kind == Screenshot {
		typ = collection.CanonicalDisplayType(typ)
	}
	return Key(locale + "/" + string(kind) + "/" + typ)
}

// ParseKey checks s and returns it as a Key, with screenshot aliases resolved. It returns a
// *KeyError naming what is wrong.
func ParseKey(s string) (Key, error) {
	const want = "want LOCALE/FIELD or LOCALE/screenshot|preview/TYPE"
	locale, rest, _ := strings.Cut(s, "/")
	second, typ, isMedia := strings.Cut(rest, "/")
	for _, p := range []string{locale, second, typ} {
		if strings.TrimSpace(p) != p {
			return "", &KeyError{Key: s, Reason: "padded part; " + want}
		}
	}
	switch {
	case locale == "" || second == "" || (isMedia && typ == ""):
		return "", &KeyError{Key: s, Reason: "empty part; " + want}
	case strings.Contains(typ, "/"):
		return "", &KeyError{Key: s, Reason: want}
	case !isMedia:
		if _, ok := collection.FieldByDir(second); !ok {
			return "", &KeyError{Key: s, Reason: fmt.Sprintf("unknown text field %q", second)}
		}
		return Key(s), nil
	}
	kind := MediaKind(second)
	if kind != Screenshot && kind != Preview {
		return "", &KeyError{Key: s, Reason: fmt.Sprintf("unknown media kind %q; want screenshot or preview", second)}
	}
	if kind == Screenshot && collection.CanonicalDisplayType(typ) != typ {
		return MediaKey(locale, kind, typ), nil
	}
	return Key(s), nil
}

// Locale returns the locale part of k.
func (k Key) Locale() string {
	locale, _, _ := strings.Cut(string(k), "/")
	return locale
}

// Field returns the text field k names; ok is false for a media key or an unknown field.
func (k Key) Field() (f collection.Field, ok bool) {
	_, dir, _ := strings.Cut(string(k), "/")
	if strings.Contains(dir, "/") {
		return collection.Field{}, false
	}
	return collection.FieldByDir(dir)
}

// Media returns the media kind and set type of k; ok is false for a text key.
func (k Key) Media() (kind MediaKind, typ string, ok bool) {
	_, rest, _ := strings.Cut(string(k), "/")
	kindStr, typ, ok := strings.Cut(rest, "/")
	if !ok || strings.Contains(typ, "/") {
		return "", "", false
	}
	return MediaKind(kindStr), typ, true
}

// IsMedia reports whether k names a screenshot or preview set.
func (k Key) IsMedia() bool { return strings.Count(string(k), "/") == 2 }

// ResourceKey names a unit of work on App Store Connect: a localization resource of a locale
// ("de-DE/appStoreVersionLocalizations") or a set, named by its set key. One executor job
// carries all changes of one resource.
type ResourceKey string

// LocalizationResource returns the resource key of localization resource r of locale.
func LocalizationResource(locale string, r collection.Resource) ResourceKey {
	return ResourceKey(locale + "/" + string(r))
}

// Resource returns the resource k lives on: its localization for a text key, the set itself
// for a media key.
func (k Key) Resource() ResourceKey {
	if k.IsMedia() {
		return ResourceKey(k)
	}
	f, _ := k.Field()
	return LocalizationResource(k.Locale(), f.Resource)
}
