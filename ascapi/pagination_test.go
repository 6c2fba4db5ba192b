package ascapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func versionsPage(next string, ids ...string) string {
	var items []string
	for _, id := range ids {
		items = append(items, fmt.Sprintf(`{"type":"appStoreVersions","id":%q,"attributes":{"versionString":%q,"platform":"IOS","appVersionState":"READY_FOR_DISTRIBUTION","appStoreState":null}}`, id, id+".0"))
	}
	links := `"links":{"self":"x"}`
	if next != "" {
		links = fmt.Sprintf(`"links":{"self":"x","next":%q}`, next)
	}
	return fmt.Sprintf(`{"data":[%s],%s,"meta":{"paging":{"total":5,"limit":2}}}`, strings.Join(items, ","), links)
}

func TestPagination(t *testing.T) {
	env := setup(t)
	base := env.server.URL + prefix
	var queries []string
	env.mux.HandleFunc("GET /v1/apps/1/appStoreVersions", func(w http.ResponseWriter, r *http.Request) {
		queries = append(queries, r.URL.RawQuery)
		switch r.URL.Query().Get("cursor") {
		case "":
			writeRaw(w, 200, versionsPage(base+"v1/apps/1/appStoreVersions?cursor=Mg&limit=200&filter%5Bplatform%5D=IOS", "1", "2"))
		case "Mg":
			writeRaw(w, 200, versionsPage(base+"v1/apps/1/appStoreVersions?cursor=NA&limit=200&filter%5Bplatform%5D=IOS", "3", "4"))
		default:
			writeRaw(w, 200, versionsPage("", "5"))
		}
	})
	vs, _, err := env.client.Versions.List(context.Background(), "1", &VersionListOptions{Platform: "IOS", States: []string{"PREPARE_FOR_SUBMISSION", "REJECTED"}})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, v := range vs {
		ids = append(ids, v.ID)
	}
	if diff := cmp.Diff([]string{"1", "2", "3", "4", "5"}, ids); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	first := queries[0]
	for _, want := range []string{"limit=200", "filter%5Bplatform%5D=IOS", "filter%5BappVersionState%5D=PREPARE_FOR_SUBMISSION%2CREJECTED", "fields%5BappStoreVersions%5D="} {
		if !strings.Contains(first, want) {
			t.Errorf("first query %q lacks %q", first, want)
		}
	}
	if vs[0].AppStoreState != "" || vs[0].AppVersionState != "READY_FOR_DISTRIBUTION" {
		t.Errorf("version decoded as %+v", vs[0])
	}
}

func TestPaginationGuards(t *testing.T) {
	tests := []struct {
		name    string
		next    func(base string) string
		wantErr string
	}{
		{"repeated cursor", func(base string) string { return base + "v1/apps/1/appStoreVersions?cursor=same" }, "repeats"},
		{"other host", func(string) string { return "https://evil.example.com/v1/apps/1/appStoreVersions?cursor=x" }, "leaves"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := setup(t)
			calls := 0
			env.mux.HandleFunc("GET /v1/apps/1/appStoreVersions", func(w http.ResponseWriter, r *http.Request) {
				calls++
				if calls > 5 {
					t.Error("client keeps following a bad next link")
					writeRaw(w, 200, versionsPage("", "x"))
					return
				}
				writeRaw(w, 200, versionsPage(tt.next(env.server.URL+prefix), "1"))
			})
			_, _, err := env.client.Versions.List(context.Background(), "1", nil)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want it to mention %q", err, tt.wantErr)
			}
		})
	}
}
