package collection

import (
	"fmt"
	"strings"
)

// Key names the unit of comparison (DESIGN.md §1): one text field of one locale
// ("de-DE/keyword") or one media set ("ja/screenshot/APP_IPHONE_67", always with the display
// type's canonical name).
type Key string

// TextKey returns the key of the text field whose template folder is fieldDir in locale.
func TextKey(locale, fieldDir string) Key {
	return Key(locale + "/" + fieldDir)
}

// SetKey returns the key of the media set of kind and type typ in locale.
func SetKey(kind MediaKind, locale, typ string) Key {
	return Key(locale + "/" + string(kind) + "/" + typ)
}

// KeyParts is a Key taken apart.
type KeyParts struct {
	Locale string
	// Field is set for a text key.
	Field Field
	// Kind and Type are set for a media set key.
	Kind MediaKind
	Type string
}

// IsText reports whether the key names a text field.
func (p KeyParts) IsText() bool { return p.Kind == "" }

// ParseKey takes k apart. It checks the shape and the field or kind, not the locale or type.
func ParseKey(k Key) (KeyParts, error) {
	parts := strings.Split(string(k), "/")
	switch {
	case len(parts) == 2 && parts[0] != "":
		f, ok := FieldByDir(parts[1])
		if !ok {
			return KeyParts{}, fmt.Errorf("parse key %q: unknown field %q", k, parts[1])
		}
		return KeyParts{Locale: parts[0], Field: f}, nil
	case len(parts) == 3 && parts[0] != "" && parts[2] != "":
		kind := MediaKind(parts[1])
		if kind != Screenshots && kind != Previews {
			return KeyParts{}, fmt.Errorf("parse key %q: unknown media kind %q", k, parts[1])
		}
		return KeyParts{Locale: parts[0], Kind: kind, Type: parts[2]}, nil
	}
	return KeyParts{}, fmt.Errorf("parse key %q: want locale/field or locale/kind/type", k)
}
