package config

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func readExample(t testing.TB) string {
	t.Helper()
	data, err := os.ReadFile("../../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestExampleAsIs: the example with everything commented out is the defaults.
func TestExampleAsIs(t *testing.T) {
	e := linuxEnv(nil)
	got, err := parseEnv([]byte(readExample(t)), "config.toml", e)
	if err != nil {
		t.Fatal(err)
	}
	want := defaultsFor(e)
	want.Path = "config.toml"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("example as is differs from the defaults (-want +got):\n%s", diff)
	}
}

var commentedKey = regexp.MustCompile(`(?m)^# ([a-z_]+ = .*|\[\[?[a-z]+\]\]?)$`)

// TestExampleUncommented: every documented key, uncommented, parses, and its value is the
// default (the account block is the only non-default part).
func TestExampleUncommented(t *testing.T) {
	text := commentedKey.ReplaceAllString(readExample(t), "$1")
	e := linuxEnv(nil)
	got, err := parseEnv([]byte(text), "/etc/config.toml", e)
	if err != nil {
		t.Fatalf("uncommented example: %v\n%s", err, text)
	}
	if len(got.Accounts) != 1 {
		t.Fatalf("uncommented example has %d accounts, want 1", len(got.Accounts))
	}
	got.Accounts = nil
	want := defaultsFor(e)
	want.Path = "/etc/config.toml"
	// The example spells OS-specific defaults for Linux with ~; e's home is /home/u.
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b []string) bool { return len(a) == len(b) })); diff != "" {
		t.Errorf("uncommented example values differ from the defaults (-want +got):\n%s", diff)
	}
}

// TestExampleDocumentsEveryKey walks the file shape and requires a line for each key, so
// the example cannot drift from Config.
func TestExampleDocumentsEveryKey(t *testing.T) {
	text := readExample(t)
	var keys []string
	var walk func(prefix string, typ reflect.Type)
	walk = func(prefix string, typ reflect.Type) {
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			tag := f.Tag.Get("toml")
			ft := f.Type
			if ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct {
				keys = append(keys, "[["+tag+"]]")
				walk(tag, ft.Elem())
				continue
			}
			if ft.Kind() == reflect.Struct {
				keys = append(keys, "["+tag+"]")
				walk(tag, ft)
				continue
			}
			keys = append(keys, prefix+"."+tag)
		}
	}
	walk("", reflect.TypeOf(fileConfig{}))
	if len(keys) < 25 {
		t.Fatalf("found only %d keys in fileConfig: %v", len(keys), keys)
	}
	lines := scanKeyLines([]byte(commentedKey.ReplaceAllString(text, "$1")))
	for _, k := range keys {
		if strings.HasPrefix(k, "[") {
			if !strings.Contains(text, k) {
				t.Errorf("config.example.toml does not mention table %s", k)
			}
			continue
		}
		k = strings.TrimPrefix(k, ".")
		if lines.line(k, -1) == 0 && lines.line(k, anyIndex) == 0 {
			t.Errorf("config.example.toml does not document %s", k)
		}
	}
	// And Config itself has no field the file shape lacks.
	if n, m := reflect.TypeOf(Config{}).NumField(), reflect.TypeOf(fileConfig{}).NumField(); n != m+1 { // + Path
		t.Errorf("Config has %d fields, fileConfig %d: add the new key to fileConfig and the example", n, m)
	}
}
