package engine

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/storesyncer/storesyncer/internal/plan"
)

func TestPullTextOnlyOverWhatThePlanSaw(t *testing.T) {
	tests := []struct {
		name    string
		file    *string // nil: absent
		want    string  // what the plan saw
		text    string  // the remote value
		wantErr error
		after   *string
	}{
		{name: "unchanged file is replaced", file: ptr("old\n"), want: "old", text: "new", after: ptr("new\n")},
		{name: "CRLF and BOM count as the same text", file: ptr("\ufeffold\r\n"), want: "old", text: "new", after: ptr("new\n")},
		{name: "edited since the plan", file: ptr("edited\n"), want: "old", text: "new", wantErr: ErrFileChanged, after: ptr("edited\n")},
		{name: "absent remote value removes the file", file: ptr("old\n"), want: "old", text: "", after: nil},
		{name: "missing file is made", file: nil, want: "", text: "new", after: ptr("new\n")},
		{name: "file appeared since the plan", file: ptr("mine\n"), want: "", text: "new", wantErr: ErrFileChanged, after: ptr("mine\n")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "keyword", "en-US.txt")
			if tc.file != nil {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(*tc.file), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			err := pullText(path, tc.want, tc.text)
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Fatalf("pullText: %v; want %v", err, tc.wantErr)
			}
			b, rerr := os.ReadFile(path)
			switch {
			case tc.after == nil && !os.IsNotExist(rerr):
				t.Errorf("file still there: %q", b)
			case tc.after != nil && string(b) != *tc.after:
				t.Errorf("file = %q; want %q", b, *tc.after)
			}
			entries, _ := os.ReadDir(filepath.Dir(path))
			for _, en := range entries {
				if en.Name() != "en-US.txt" {
					t.Errorf("left behind %s", en.Name())
				}
			}
		})
	}
}

func ptr(s string) *string { return &s }

func TestTranslateUsesPulledChecksumsOnlyWhenKnown(t *testing.T) {
	sums := checksumMap{"local1": "remote1"}
	tests := []struct {
		name  string
		md5   string
		known []plan.Value
		want  string
	}{
		{"in the remote set", "local1", []plan.Value{plan.ChecksumValue("remote1")}, "remote1"},
		{"in the base", "local1", []plan.Value{{}, plan.ChecksumValue("x", "remote1")}, "remote1"},
		{"gone from both: upload the real bytes", "local1", []plan.Value{plan.ChecksumValue("x")}, "local1"},
		{"never pulled", "local2", []plan.Value{plan.ChecksumValue("remote1")}, "local2"},
	}
	for _, tc := range tests {
		if got := translate(sums, tc.md5, tc.known...); got != tc.want {
			t.Errorf("%s: translate = %q; want %q", tc.name, got, tc.want)
		}
	}
}
