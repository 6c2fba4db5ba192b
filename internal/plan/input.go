package plan

// Only restricts a plan to texts or media. The zero value means all.
type Only string

// The --only choices.
const (
	OnlyAll   Only = "all"
	OnlyText  Only = "text"
	OnlyMedia Only = "media"
)

// includes reports whether keys of this kind take part in the plan.
func (o Only) includes(k Key) bool {
	switch o {
	case OnlyText:
		return !k.IsMedia()
	case OnlyMedia:
		return k.IsMedia()
	}
	return true
}

// Side names one side of a conflict for resolve --keep.
type Side string

// The sides a conflict can be settled to.
const (
	// KeepLocal pushes the local value over the remote one.
	KeepLocal Side = "local"
	// KeepRemote writes the remote value into the collection: a text is pulled into its file
	// (an absent remote value removes the file), a set is downloaded into its folder (an absent
	// one removes the folder's images).
	KeepRemote Side = "remote"
)

// VersionInfo describes the target version.
type VersionInfo struct {
	// ID is the appStoreVersions ID; bases are kept per version ID.
	ID string
	// String is the versionString ("1.1"), used in messages.
	String string
	// State is the appVersionState. The zero value is not editable: only pulls happen.
	State string
	// FirstVersion is true when the app has never had another version (no whatsNew).
	FirstVersion bool
	// Live is true when the target is the live version because no version is editable: only
	// promotionalText can change, whatever State says.
	Live bool
}

// Options are the user's choices for one plan.
type Options struct {
	// Only limits the plan to texts or media; "" means all.
	Only Only
	// Prune deletes remote localizations and sets the collection lacks (push --prune).
	Prune bool
	// EditInReview allows text edits while the version is WAITING_FOR_REVIEW.
	EditInReview bool
	// PrimaryLocale is the app's primary locale; nothing of it is ever pruned.
	PrimaryLocale string
}

// RemoteResources lists which resources exist on App Store Connect, with their IDs, so the plan
// knows whether a change is a PATCH or a create. A set that exists is also known from Remote;
// Sets adds sets that hold no asset. Nil maps mean none exist.
type RemoteResources struct {
	// VersionLocalizations maps a locale to its appStoreVersionLocalizations ID.
	VersionLocalizations map[string]string
	// InfoLocalizations maps a locale to its appInfoLocalizations ID.
	InfoLocalizations map[string]string
	// Sets maps a set key to its appScreenshotSets or appPreviewSets ID.
	Sets map[Key]string
}

// Input is everything Compute looks at. The zero value plans nothing. Compute only reads it,
// so one Input may be planned from several goroutines at once.
type Input struct {
	// Local holds only managed keys: non-empty text files, non-empty media folders.
	Local map[Key]Value
	// Remote is what App Store Connect holds now for the target version: texts that are set,
	// and every set with all its assets (any state).
	Remote map[Key]Value
	// Base is the last seen remote value per key, for this app and target version.
	Base map[Key]Value
	// Version is the target version.
	Version VersionInfo
	// Resources says which localizations and sets exist remotely.
	Resources RemoteResources
	// Options are the user's choices.
	Options Options
	// Resolved settles conflicts: a key in conflict whose side is given here is pushed
	// (KeepLocal) or pulled (KeepRemote) instead. Keys not in conflict ignore it. The caller
	// drops the entry once the op has been executed and the base written.
	Resolved map[Key]Side
	// Own is StoreSyncer's own unsettled work per set, from the uploads journal: the plan
	// compares a set with its base after taking that work out, and keeps its own processing
	// assets. Nil means no unsettled work.
	Own map[Key]OwnWork
}
