package command

import (
	"context"
	"errors"
	"testing"

	"github.com/storesyncer/storesyncer/internal/roles"
)

// TestEveryCommandHasAnOperation keeps the role check complete: a new command must say which
// operation of the table it is (or be open to every member).
func TestEveryCommandHasAnOperation(t *testing.T) {
	for _, name := range Names() {
		if _, ok := opOf[name]; !ok && !openToMembers[name] {
			t.Errorf("command %s is not in opOf: members are refused it", name)
		}
	}
	for name, op := range opOf {
		if _, ok := registry[name]; !ok {
			t.Errorf("opOf names %s, which is no command", name)
		}
		if !roles.Lookup(roles.Owner, op).Allowed {
			t.Errorf("%s maps to %s, which is not in the table", name, op)
		}
	}
}

func TestAuthorizePointsAtTheMembersApp(t *testing.T) {
	ctx := roles.WithCaller(context.Background(), roles.Caller{Name: "Dana", App: "com.a", Role: roles.Designer})
	push := &Push{}
	g, err := authorize(ctx, push)
	if err != nil || push.App != "com.a" || !g.restricted() {
		t.Fatalf("push of a Designer: app %q, grant %+v, %v", push.App, g, err)
	}
	var de *roles.DeniedError
	if _, err := authorize(ctx, &Push{App: "com.b"}); !errors.As(err, &de) {
		t.Errorf("push of another app: %v, want a refusal", err)
	}
	if _, err := authorize(ctx, &Pause{}); !errors.As(err, &de) || de.Op != roles.Pause {
		t.Errorf("pause of a Designer: %v, want a refusal of pause", err)
	}
	if g, err := authorize(context.Background(), &AppsRemove{App: "com.b"}); err != nil || g.restricted() {
		t.Errorf("local: %+v, %v; want everything", g, err)
	}
	if ce := AsError(Forbidden(&roles.DeniedError{Role: roles.Designer, Op: roles.Pause})); ce.Code != "forbidden" {
		t.Errorf("code = %q", ce.Code)
	}
}
