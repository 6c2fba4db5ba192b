package roles

import (
	"errors"
	"testing"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/plan"
)

// cell is one cell of the table, as written there.
type cell string

const (
	yes     cell = "✓"       // allowed, every key, every role
	no      cell = "–"       // refused
	staff   cell = "staff"   // Designers and Content Managers only
	media   cell = "media"   // media keys only
	content cell = "content" // description and whatsNew keys only
)

// TestTableEveryCell checks every cell of the role table against the table, written
// here a second time by hand: Owner, App Manager, Designer, Content Manager.
func TestTableEveryCell(t *testing.T) {
	want := map[Op][4]cell{
		AppsAdd:           {yes, yes, no, no}, // "add only"
		AppsRemove:        {yes, no, no, no},
		VersionsCreate:    {yes, yes, no, no},
		VersionsSet:       {yes, yes, no, no},
		MembersInvite:     {yes, staff, no, no},
		MembersRemove:     {yes, staff, no, no},
		MembersSetRole:    {yes, staff, no, no},
		CollectionsCreate: {yes, yes, no, no},
		CollectionsDelete: {yes, yes, no, no},
		CollectionsActive: {yes, yes, no, no},
		TextsSee:          {yes, yes, no, content},
		TextsEdit:         {yes, yes, no, content},
		MediaSee:          {yes, yes, media, no},
		MediaEdit:         {yes, yes, media, no},
		Push:              {yes, yes, media, content},
		Approve:           {yes, yes, media, content},
		Resolve:           {yes, yes, media, content},
		Pause:             {yes, yes, no, no},
		Resume:            {yes, yes, no, no},
		Settings:          {yes, yes, no, no},
	}
	if len(want) != len(Ops) || len(table) != len(Ops) {
		t.Fatalf("the test knows %d operations, Ops %d, the table %d", len(want), len(Ops), len(table))
	}
	var keys []plan.Key
	for _, f := range collection.Fields {
		keys = append(keys, plan.TextKey("de-DE", f.Dir))
	}
	keys = append(keys, plan.MediaKey("de-DE", plan.Screenshot, "APP_IPHONE_67"), plan.MediaKey("ja", plan.Preview, "IPHONE_67"))
	covers := func(c cell, k plan.Key) bool {
		switch c {
		case yes, staff:
			return true
		case media:
			return k.IsMedia()
		case content:
			f, ok := k.Field()
			return ok && (f.Dir == "description" || f.Dir == "whatsNew")
		}
		return false
	}
	for _, op := range Ops {
		for i, r := range All {
			c := want[op][i]
			t.Run(string(op)+"/"+string(r), func(t *testing.T) {
				g, err := Check(r, op)
				if got := err == nil; got != (c != no) {
					t.Fatalf("Check(%s, %s) allowed = %v, want cell %q", r, op, got, c)
				}
				if c == no {
					var de *DeniedError
					if !errors.As(err, &de) || de.Role != r || de.Op != op {
						t.Fatalf("refusal = %v, want a DeniedError naming %s and %s", err, r, op)
					}
					return
				}
				for _, k := range keys {
					if got := g.Keys.Covers(k); got != covers(c, k) {
						t.Errorf("covers %s = %v, want %v", k, got, !got)
					}
				}
				for _, target := range All {
					wantManage := c != staff || target == Designer || target == ContentManager
					if got := g.CanManage(target); got != wantManage {
						t.Errorf("may manage %s = %v, want %v", target, got, wantManage)
					}
				}
			})
		}
	}
}

func TestCheckManageNamesTheTarget(t *testing.T) {
	if err := CheckManage(AppManager, MembersInvite, Designer); err != nil {
		t.Fatalf("App Manager inviting a Designer: %v", err)
	}
	err := CheckManage(AppManager, MembersSetRole, Owner)
	var de *DeniedError
	if !errors.As(err, &de) || de.Op != MembersSetRole {
		t.Fatalf("App Manager making an Owner: %v, want a DeniedError", err)
	}
	if want := "a member with role App Manager may not run members.set-role: it may not manage members with role Owner"; err.Error() != want {
		t.Errorf("message = %q, want %q", err, want)
	}
	if Lookup("", Push).Allowed || Lookup(Owner, "nonsense").Allowed {
		t.Error("an unknown role or operation is allowed")
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Role
		err  bool
	}{
		{in: "owner", want: Owner},
		{in: "App Manager", want: AppManager},
		{in: "app_manager", want: AppManager},
		{in: "Content-Manager", want: ContentManager},
		{in: " designer ", want: Designer},
		{in: "admin", err: true},
		{in: "", err: true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("Parse(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestKeysString(t *testing.T) {
	for _, tt := range []struct {
		ks   Keys
		want string
	}{
		{Every, "every key"},
		{Keys{Media: true}, "media keys"},
		{Keys{Fields: []string{"description", "whatsNew"}}, "description and whatsNew keys"},
		{Keys{}, "no key"},
	} {
		if got := tt.ks.String(); got != tt.want {
			t.Errorf("%+v = %q, want %q", tt.ks, got, tt.want)
		}
	}
}
