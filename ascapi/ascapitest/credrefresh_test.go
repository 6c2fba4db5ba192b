package ascapitest

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestUpdateAccountLines(t *testing.T) {
	const other = "[[account]]\nname = \"apple\"\nissuer_id = \"i\"\nkey_id = \"REAL\"\nprivate_key_path = \"r.p8\"\n"
	tests := []struct {
		name, in string
		window   time.Duration
		want     string
		err      string
	}{
		{"url replaced, the rest kept",
			"# mine\n[[account]]\nkey_id = \"SIMKEY0001\"\napi_base_url = \"http://127.0.0.1:1\"\n\n[sync]\nauto = false\n", 0,
			"# mine\n[[account]]\nkey_id = \"SIMKEY0001\"\napi_base_url = \"http://127.0.0.1:2\"\n\n[sync]\nauto = false\n", ""},
		{"window added after the account's last key",
			"[[account]]\nkey_id = \"SIMKEY0001\"\napi_base_url = \"http://127.0.0.1:1\"\n# trailing note\n\n" + other, time.Minute,
			"[[account]]\nkey_id = \"SIMKEY0001\"\napi_base_url = \"http://127.0.0.1:2\"\nrate_window = \"1m\"\n# trailing note\n\n" + other, ""},
		{"window removed for Apple's hour, missing url added",
			other + "[[account]]\nname = \"sim\"\nkey_id = \"SIMKEY0001\"\nrate_window = \"10s\"", time.Hour,
			other + "[[account]]\nname = \"sim\"\nkey_id = \"SIMKEY0001\"\napi_base_url = \"http://127.0.0.1:2\"\n", ""},
		{"no simulator account", other, 0, "", "no [[account]] with key_id = \"SIMKEY0001\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := updateAccountLines(tt.in, MainKeyID, "http://127.0.0.1:2", tt.window)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
}
