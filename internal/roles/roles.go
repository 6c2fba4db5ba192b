// Package roles is the team role table: which of the four roles (Owner, App Manager,
// Designer, Content Manager) may run which operation, and on which keys. It is data only; the
// command path enforces it and the dashboard reads it to hide what a role cannot do.
package roles

import (
	"fmt"
	"strings"
)

// Role is a team member's role on an app. The zero value is no role and may do nothing.
type Role string

// The four roles of StoreSyncer's documentation.
const (
	// Owner added the app and has no restriction. The user running the daemon ("local") is
	// the Owner of every app.
	Owner Role = "owner"
	// AppManager may do what the Owner does except remove apps and manage Owners and App
	// Managers.
	AppManager Role = "app-manager"
	// Designer may see and edit only screenshots and previews.
	Designer Role = "designer"
	// ContentManager may see and edit only the description and what's new.
	ContentManager Role = "content-manager"
)

// All lists the roles, most powerful first.
var All = []Role{Owner, AppManager, Designer, ContentManager}

// Title is the role as the documentation spells it ("App Manager").
func (r Role) Title() string {
	switch r {
	case Owner:
		return "Owner"
	case AppManager:
		return "App Manager"
	case Designer:
		return "Designer"
	case ContentManager:
		return "Content Manager"
	}
	return string(r)
}

// Valid reports whether r is one of All.
func (r Role) Valid() bool {
	for _, a := range All {
		if r == a {
			return true
		}
	}
	return false
}

// Parse reads a role as a user types it: "designer", "app-manager", "app_manager",
// "App Manager" and "AppManager" are all accepted, in any case.
func Parse(s string) (Role, error) {
	norm := strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(strings.TrimSpace(s)))
	for _, r := range All {
		if strings.ReplaceAll(string(r), "-", "") == norm {
			return r, nil
		}
	}
	return "", fmt.Errorf("unknown role %q: want owner, app-manager, designer or content-manager", s)
}
