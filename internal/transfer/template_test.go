package transfer

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTemplate(t *testing.T) {
	textDirs := []string{"description/", "keyword/", "marketingUrl/", "name/", "privacyPolicyUrl/", "promotionalText/", "subtitle/", "supportUrl/", "whatsNew/"}
	tests := []struct {
		name       string
		opts       TemplateOptions
		wantDirs   []string // besides the text folders
		wantReadme []string
		wantErr    string
	}{
		{
			name:       "iOS default",
			wantDirs:   []string{"screenshot/", "screenshot/en-US/", "screenshot/en-US/APP_IPAD_PRO_3GEN_129/", "screenshot/en-US/APP_IPHONE_67/"},
			wantReadme: []string{"1290x2796", "2064x2752", "description/en-US.txt", "not managed", "2.png before 10.png", "up to 100", "2 to 30"},
		},
		{
			name: "locales, screenshots and previews",
			opts: TemplateOptions{Locales: []string{"de-DE", "ja"}, Screenshots: []string{"APP_IPHONE_65"}, Previews: []string{"IPHONE_67"}},
			wantDirs: []string{
				"preview/", "preview/de-DE/", "preview/de-DE/IPHONE_67/", "preview/ja/", "preview/ja/IPHONE_67/",
				"screenshot/", "screenshot/de-DE/", "screenshot/de-DE/APP_IPHONE_65/", "screenshot/ja/", "screenshot/ja/APP_IPHONE_65/",
			},
			wantReadme: []string{"1242x2688", "886x1920", "de-DE, ja"},
		},
		{
			name:     "mac",
			opts:     TemplateOptions{Platform: "MAC_OS"},
			wantDirs: []string{"screenshot/", "screenshot/en-US/", "screenshot/en-US/APP_DESKTOP/"},
		},
		{name: "unknown locale", opts: TemplateOptions{Locales: []string{"en-UK"}}, wantErr: `unknown locale "en-UK" (did you mean en-GB?)`},
		{name: "unknown display type", opts: TemplateOptions{Screenshots: []string{"APP_IPHONE_76"}}, wantErr: `(did you mean APP_IPHONE_67?)`},
		{name: "display type of another platform", opts: TemplateOptions{Screenshots: []string{"APP_DESKTOP"}}, wantErr: `display type "APP_DESKTOP" is not available on IOS`},
		{name: "unknown preview type", opts: TemplateOptions{Previews: []string{"IPHONE_99"}}, wantErr: `unknown preview type "IPHONE_99"`},
		{name: "unknown platform", opts: TemplateOptions{Platform: "IOS_X"}, wantErr: `unknown platform "IOS_X"`},
		{name: "extra locale accepted", opts: TemplateOptions{Locales: []string{"xx-NEW"}, ExtraLocales: []string{"xx-NEW"}, Screenshots: []string{}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := Template(&buf, tc.opts)
			if tc.wantErr != "" {
				var ue *UnknownNameError
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.As(err, &ue) {
					t.Fatalf("error %v, want *UnknownNameError containing %q", err, tc.wantErr)
				}
				if buf.Len() != 0 {
					t.Error("wrote a template despite the error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
			if err != nil {
				t.Fatal(err)
			}
			var dirs []string
			readme := ""
			for _, f := range zr.File {
				switch {
				case strings.HasSuffix(f.Name, "/"):
					dirs = append(dirs, f.Name)
				case f.Name == "README.txt":
					rc, _ := f.Open()
					b, _ := io.ReadAll(rc)
					readme = string(b)
				default:
					t.Errorf("unexpected file %s: a template holds folders and a README.txt only", f.Name)
				}
			}
			want := append(append([]string{}, textDirs...), tc.wantDirs...)
			if diff := cmp.Diff(want, dirs, cmpSorted); diff != "" {
				t.Errorf("folders (-want +got):\n%s", diff)
			}
			for _, s := range tc.wantReadme {
				if !strings.Contains(readme, s) {
					t.Errorf("README lacks %q:\n%s", s, readme)
				}
			}
		})
	}
}

func TestDidYouMeanDir(t *testing.T) {
	tests := []struct{ got, want string }{
		{"descriptions", "description"},
		{"keywords", "keyword"},
		{"screenshots", "screenshot"},
		{"zzzzzzzz", ""},
	}
	for _, tc := range tests {
		if s := didYouMeanDir(tc.got); (tc.want == "" && s != "") || !strings.Contains(s, tc.want) {
			t.Errorf("didYouMeanDir(%q) = %q, want %q", tc.got, s, tc.want)
		}
	}
}
