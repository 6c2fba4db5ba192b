package roles

import (
	"fmt"
	"slices"

	"github.com/storesyncer/storesyncer/internal/plan"
)

// Op is one operation of the role table, grouped as in StoreSyncer's documentation.
type Op string

// The operations of the role table.
const (
	AppsAdd           Op = "apps.add"
	AppsRemove        Op = "apps.remove"
	VersionsCreate    Op = "versions.create"
	VersionsSet       Op = "versions.set"
	MembersInvite     Op = "members.invite"
	MembersRemove     Op = "members.remove"
	MembersSetRole    Op = "members.set-role"
	CollectionsCreate Op = "collections.create"
	CollectionsDelete Op = "collections.delete"
	CollectionsActive Op = "collections.activate"
	TextsSee          Op = "texts.see"
	TextsEdit         Op = "texts.edit"
	MediaSee          Op = "media.see"
	MediaEdit         Op = "media.edit"
	Push              Op = "push"
	Approve           Op = "approve"
	Resolve           Op = "resolve"
	Pause             Op = "pause"
	Resume            Op = "resume"
	Settings          Op = "settings"
)

// Ops lists every operation of the table, in the documentation's order.
var Ops = []Op{
	AppsAdd, AppsRemove,
	VersionsCreate, VersionsSet,
	MembersInvite, MembersRemove, MembersSetRole,
	CollectionsCreate, CollectionsDelete, CollectionsActive,
	TextsSee, TextsEdit, MediaSee, MediaEdit,
	Push, Approve, Resolve,
	Pause, Resume, Settings,
}

// Keys is the part of an app's keys a grant covers. The zero value covers no key.
type Keys struct {
	// Media covers every screenshot and preview set.
	Media bool
	// AllFields covers every text field; otherwise Fields lists the template folders covered.
	AllFields bool
	Fields    []string
}

// Every covers every key.
var Every = Keys{Media: true, AllFields: true}

// Covers reports whether k is one of the keys.
func (ks Keys) Covers(k plan.Key) bool {
	if k.IsMedia() {
		return ks.Media
	}
	if ks.AllFields {
		return true
	}
	f, ok := k.Field()
	return ok && slices.Contains(ks.Fields, f.Dir)
}

// CoversAll reports whether ks is Every.
func (ks Keys) CoversAll() bool { return ks.Media && ks.AllFields }

// CoversField reports whether the text field dir ("description") is covered.
func (ks Keys) CoversField(dir string) bool { return ks.AllFields || slices.Contains(ks.Fields, dir) }

// String says what ks covers, for messages: "every key", "media keys", "description and
// whatsNew keys".
func (ks Keys) String() string {
	switch {
	case ks.CoversAll():
		return "every key"
	case ks.Media && len(ks.Fields) == 0:
		return "media keys"
	case !ks.Media && ks.AllFields:
		return "text keys"
	case !ks.Media && len(ks.Fields) > 0:
		return joinAnd(ks.Fields) + " keys"
	case ks.Media:
		return "media and " + joinAnd(ks.Fields) + " keys"
	}
	return "no key"
}

func joinAnd(s []string) string {
	if len(s) < 2 {
		return fmt.Sprint(s[0])
	}
	out := s[0]
	for _, x := range s[1 : len(s)-1] {
		out += ", " + x
	}
	return out + " and " + s[len(s)-1]
}

// Grant is what a role may do of one operation. The zero value refuses it.
type Grant struct {
	// Allowed says the role may run the operation, within Keys and Manages.
	Allowed bool
	// Keys are the keys the operation may touch (texts, media, push, approve, resolve);
	// Every for the other operations.
	Keys Keys
	// Manages are the roles a member operation may be applied to (invite as, remove, set
	// to or from); nil means every role.
	Manages []Role
}

// CanManage reports whether the grant lets a member operation apply to a member of role r.
func (g Grant) CanManage(r Role) bool {
	return g.Allowed && (g.Manages == nil || slices.Contains(g.Manages, r))
}

var (
	full        = Grant{Allowed: true, Keys: Every}
	none        = Grant{}
	mediaOnly   = Grant{Allowed: true, Keys: Keys{Media: true}}
	contentOnly = Grant{Allowed: true, Keys: Keys{Fields: []string{"description", "whatsNew"}}}
	staffOnly   = Grant{Allowed: true, Keys: Every, Manages: []Role{Designer, ContentManager}}
)

// row is one line of the table: the grants of Owner, App Manager, Designer, Content Manager.
type row [4]Grant

// table is StoreSyncer's role table. It is the only place the rule is written.
var table = map[Op]row{
	AppsAdd:           {full, full, none, none},
	AppsRemove:        {full, none, none, none},
	VersionsCreate:    {full, full, none, none},
	VersionsSet:       {full, full, none, none},
	MembersInvite:     {full, staffOnly, none, none},
	MembersRemove:     {full, staffOnly, none, none},
	MembersSetRole:    {full, staffOnly, none, none},
	CollectionsCreate: {full, full, none, none},
	CollectionsDelete: {full, full, none, none},
	CollectionsActive: {full, full, none, none},
	TextsSee:          {full, full, none, contentOnly},
	TextsEdit:         {full, full, none, contentOnly},
	MediaSee:          {full, full, mediaOnly, none},
	MediaEdit:         {full, full, mediaOnly, none},
	Push:              {full, full, mediaOnly, contentOnly},
	Approve:           {full, full, mediaOnly, contentOnly},
	Resolve:           {full, full, mediaOnly, contentOnly},
	Pause:             {full, full, none, none},
	Resume:            {full, full, none, none},
	Settings:          {full, full, none, none},
}

// Lookup returns role r's grant for op; an unknown role or operation gets the zero Grant.
func Lookup(r Role, op Op) Grant {
	i := slices.Index(All, r)
	row, ok := table[op]
	if i < 0 || !ok {
		return none
	}
	return row[i]
}

// DeniedError says a role may not run an operation.
type DeniedError struct {
	Role Role
	Op   Op
	// Detail narrows the refusal ("may manage Designers and Content Managers only").
	Detail string
}

// Error names the role and the operation.
func (e *DeniedError) Error() string {
	msg := fmt.Sprintf("a member with role %s may not run %s", e.Role.Title(), e.Op)
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Check returns role r's grant for op, or a *DeniedError when the role may not run it at all.
func Check(r Role, op Op) (Grant, error) {
	g := Lookup(r, op)
	if !g.Allowed {
		return g, &DeniedError{Role: r, Op: op}
	}
	return g, nil
}

// CheckManage checks that role r may run the member operation op on a member whose role is
// target.
func CheckManage(r Role, op Op, target Role) error {
	g, err := Check(r, op)
	if err != nil {
		return err
	}
	if !g.CanManage(target) {
		return &DeniedError{Role: r, Op: op, Detail: fmt.Sprintf("it may not manage members with role %s", target.Title())}
	}
	return nil
}
