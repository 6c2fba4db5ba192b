package roles

import "context"

// The names history rows and events carry when no team member did the thing.
const (
	// Local is the user running the daemon (and the CLI beside it): edits saved in the
	// folder, commands run with the daemon's own token or in-process. Local is the Owner of
	// every app.
	Local = "local"
	// Web names changes found on App Store Connect.
	Web = "web"
)

// Caller is who asks for an operation: a team member of one app, or Local. The zero value is
// not meaningful; a context without a Caller is Local's.
type Caller struct {
	// Name is the member's display name, or Local.
	Name string
	// App is the app the member belongs to; "" for Local, who belongs to every app.
	App string
	// Role is the member's role on App; Owner for Local.
	Role Role
}

// LocalCaller is the user running the daemon.
var LocalCaller = Caller{Name: Local, Role: Owner}

// IsLocal reports whether c is the user running the daemon.
func (c Caller) IsLocal() bool { return c.Name == Local && c.App == "" }

type callerKey struct{}

// WithCaller returns ctx carrying c.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the Caller ctx carries, LocalCaller when none.
func CallerFrom(ctx context.Context) Caller {
	if c, ok := ctx.Value(callerKey{}).(Caller); ok {
		return c
	}
	return LocalCaller
}
