package engine

import (
	"context"

	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/remote"
)

// Remote is the part of App Store Connect's side (internal/remote) the engine calls, one per
// account; *remote.Remote implements it. Its methods are safe for concurrent use.
type Remote interface {
	FindApp(ctx context.Context, bundleID, platform string) (remote.App, error)
	Fetch(ctx context.Context, app remote.App, scope remote.Scope) (*remote.Snapshot, error)
	Apply(ctx context.Context, app remote.App, snap *remote.Snapshot, g plan.Group, opts remote.ApplyOptions) (remote.Result, error)
	DownloadAsset(ctx context.Context, a remote.RemoteAsset) ([]byte, error)
	Versions(ctx context.Context, app remote.App) ([]remote.Version, error)
	CreateVersion(ctx context.Context, app remote.App, versionString string) (remote.Version, error)
	RenameVersion(ctx context.Context, app remote.App, versionID, versionString string) (remote.Version, error)
	UnsettledSets(ctx context.Context, app string) []plan.Key
}

var _ Remote = (*remote.Remote)(nil)
