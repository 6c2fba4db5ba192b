package collection

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNaturalLess(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{name: "numbers by value", in: []string{"10.png", "2.png", "1.png"}, want: []string{"1.png", "2.png", "10.png"}},
		{name: "leading zeros", in: []string{"010.png", "9.png", "01.png", "1.png"}, want: []string{"01.png", "1.png", "9.png", "010.png"}},
		{name: "prefixes", in: []string{"shot 10.png", "shot 9.png", "Shot 1.png"}, want: []string{"Shot 1.png", "shot 9.png", "shot 10.png"}},
		{name: "digits before letters", in: []string{"b.png", "1.png", "a.png"}, want: []string{"1.png", "a.png", "b.png"}},
		{name: "fastlane names", in: []string{"0_APP_IPHONE_65_10.png", "0_APP_IPHONE_65_2.png"}, want: []string{"0_APP_IPHONE_65_2.png", "0_APP_IPHONE_65_10.png"}},
		{name: "huge numbers", in: []string{"123456789012345678901.png", "99.png"}, want: []string{"99.png", "123456789012345678901.png"}},
		{name: "prefix shorter first", in: []string{"1a.png", "1.png"}, want: []string{"1.png", "1a.png"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := slices.Clone(tt.in)
			slices.SortFunc(got, func(a, b string) int {
				if NaturalLess(a, b) {
					return -1
				}
				if NaturalLess(b, a) {
					return 1
				}
				return 0
			})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("order (-want +got):\n%s", diff)
			}
		})
	}
}
