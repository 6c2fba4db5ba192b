package collection

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestNormalizeText(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        *InvalidUTF8Error
	}{
		{name: "plain", in: "hello", want: "hello"},
		{name: "BOM dropped", in: "\xef\xbb\xbfhello", want: "hello"},
		{name: "CRLF to LF", in: "a\r\nb\r\n", want: "a\nb"},
		{name: "lone CR to LF", in: "a\rb", want: "a\nb"},
		{name: "CR CRLF", in: "a\r\r\nb", want: "a\n\nb"},
		{name: "trimmed", in: " \t\n a b \n\n", want: "a b"},
		{name: "unicode spaces trimmed", in: "\u00a0x\u2003", want: "x"},
		{name: "only white space", in: " \r\n\t ", want: ""},
		{name: "empty", in: "", want: ""},
		{name: "BOM only", in: "\xef\xbb\xbf", want: ""},
		{name: "emoji kept", in: "🎉 party", want: "🎉 party"},
		{name: "invalid byte", in: "ab\ncd\xffef", wantErr: &InvalidUTF8Error{Offset: 5, Line: 2, Column: 3}},
		{name: "offset after BOM", in: "\xef\xbb\xbf\xc3", wantErr: &InvalidUTF8Error{Offset: 0, Line: 1, Column: 1}},
		{name: "Latin-1", in: "caf\xe9", wantErr: &InvalidUTF8Error{Offset: 3, Line: 1, Column: 4}},
		{name: "UTF-16 LE", in: "\xff\xfeh\x00", wantErr: &InvalidUTF8Error{UTF16: true}},
		{name: "UTF-16 BE", in: "\xfe\xff\x00h", wantErr: &InvalidUTF8Error{UTF16: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeText([]byte(tt.in))
			if tt.wantErr != nil {
				var ue *InvalidUTF8Error
				if !errors.As(err, &ue) || !errors.Is(err, ErrInvalidUTF8) {
					t.Fatalf("NormalizeText(%q) error = %v, want *InvalidUTF8Error", tt.in, err)
				}
				if diff := cmp.Diff(tt.wantErr, ue); diff != "" {
					t.Errorf("error (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("NormalizeText(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestReadText(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "en-US.txt")
	bad := filepath.Join(dir, "de-DE.txt")
	os.WriteFile(good, []byte("\xef\xbb\xbf Hi\r\n"), 0o644)
	os.WriteFile(bad, []byte("x\xfe"), 0o644)
	if got, err := ReadText(good); err != nil || got != "Hi" {
		t.Errorf("ReadText(good) = %q, %v", got, err)
	}
	_, err := ReadText(bad)
	if !errors.Is(err, ErrInvalidUTF8) || !strings.Contains(err.Error(), bad) {
		t.Errorf("ReadText(bad) error = %v; want ErrInvalidUTF8 naming the file", err)
	}
	if _, err := ReadText(filepath.Join(dir, "missing.txt")); err == nil || errors.Is(err, ErrInvalidUTF8) {
		t.Errorf("ReadText(missing) error = %v", err)
	}
}

// FuzzNormalizeText checks that NormalizeText never panics, returns valid, trimmed UTF-8
// without CR, and is idempotent.
func FuzzNormalizeText(f *testing.F) {
	for _, s := range []string{"", "hello", "\xef\xbb\xbfa\r\nb", " x ", "\xff", "a\r\r\nb", "\xfe\xff\x00a", "日本語\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := NormalizeText(b)
		if err != nil {
			var ue *InvalidUTF8Error
			if !errors.As(err, &ue) {
				t.Fatalf("error %v is not an *InvalidUTF8Error", err)
			}
			if !ue.UTF16 && (ue.Offset < 0 || ue.Offset > len(b) || ue.Line < 1 || ue.Column < 1) {
				t.Fatalf("bad position %+v for %d bytes", ue, len(b))
			}
			return
		}
		if !utf8.ValidString(s) || strings.TrimSpace(s) != s || strings.Contains(s, "\r") {
			t.Fatalf("NormalizeText(%q) = %q: not valid, trimmed and free of CR", b, s)
		}
		again, err := NormalizeText([]byte(s))
		if err != nil || again != s {
			t.Fatalf("not idempotent: %q → %q → %q, %v", b, s, again, err)
		}
	})
}
