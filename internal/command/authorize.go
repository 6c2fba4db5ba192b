package command

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/roles"
	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// opOf maps each command to the operation of the role table it is. A command missing here
// is refused to every member but Local (TestEveryCommandHasAnOperation keeps it complete).
var opOf = map[string]roles.Op{
	"apps.add":             roles.AppsAdd,
	"apps.remove":          roles.AppsRemove,
	"versions.create":      roles.VersionsCreate,
	"versions.set":         roles.VersionsSet,
	"members.invite":       roles.MembersInvite,
	"members.remove":       roles.MembersRemove,
	"members.set-role":     roles.MembersSetRole,
	"collections.create":   roles.CollectionsCreate,
	"collections.delete":   roles.CollectionsDelete,
	"collections.activate": roles.CollectionsActive,
	"push":                 roles.Push,
	"approve":              roles.Approve,
	"resolve":              roles.Resolve,
	// pull writes every key of the collection, so it needs a grant of push on every key.
	"pull":   roles.Push,
	"pause":  roles.Pause,
	"resume": roles.Resume,
	// rescan and jobs retry steer the daemon as settings do.
	"rescan":     roles.Settings,
	"jobs.retry": roles.Settings,
}

// openToMembers are the commands every member may run on their own app.
var openToMembers = map[string]bool{"members.list": true}

// grant is what the running command may touch; Every for Local.
type grant struct {
	caller roles.Caller
	roles.Grant
}

// restricted reports whether the command may touch only some keys.
func (g grant) restricted() bool { return !g.Keys.CoversAll() }

// Forbidden is the *Error for a refusal of the role table: exit 1, code "forbidden",
// answered 403 by the API.
func Forbidden(err *roles.DeniedError) *Error {
	return &Error{Exit: statusapi.ExitFailure, Code: statusapi.CodeForbidden, Err: err}
}

// authorize checks req against the role table for the caller ctx carries, points an app-less
// request at the member's app and returns what it may touch.
func authorize(ctx context.Context, req Request) (grant, error) {
	c := roles.CallerFrom(ctx)
	if c.IsLocal() {
		return grant{caller: c, Grant: roles.Grant{Allowed: true, Keys: roles.Every}}, nil
	}
	name := req.Name()
	sc, app := req.scope()
	if sc != global || *app != "" || name == "approve" {
		switch {
		case *app == "" && sc != newApp:
			*app = c.App
		case *app != c.App && sc != newApp:
			return grant{}, Forbidden(&roles.DeniedError{Role: c.Role, Op: roles.Op(name), Detail: fmt.Sprintf("%s is a member of %s, not of %s", c.Name, c.App, *app)})
		}
	}
	if openToMembers[name] {
		return grant{caller: c, Grant: roles.Grant{Allowed: true, Keys: roles.Every}}, nil
	}
	op, ok := opOf[name]
	if !ok {
		return grant{}, Forbidden(&roles.DeniedError{Role: c.Role, Op: roles.Op(name), Detail: "only the user running the daemon may"})
	}
	g, err := roles.Check(c.Role, op)
	if err != nil {
		return grant{}, Forbidden(err.(*roles.DeniedError))
	}
	out := grant{caller: c, Grant: g}
	if name == "pull" && out.restricted() {
		return grant{}, Forbidden(&roles.DeniedError{Role: c.Role, Op: "pull", Detail: "pull writes every key; the role covers " + g.Keys.String()})
	}
	return out, nil
}

// split parts keys into those g covers and those it leaves out.
func (g grant) split(keys []string) (in, out []string) {
	for _, k := range keys {
		if g.Keys.Covers(plan.Key(k)) {
			in = append(in, k)
		} else {
			out = append(out, k)
		}
	}
	return in, out
}

// refuseKeys is the refusal of keys outside the grant.
func (g grant) refuseKeys(op roles.Op, keys []string) error {
	slices.Sort(keys)
	return Forbidden(&roles.DeniedError{Role: g.caller.Role, Op: op,
		Detail: fmt.Sprintf("the role covers %s, not %s", g.Keys.String(), strings.Join(keys, ", "))})
}
