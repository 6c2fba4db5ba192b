// Package engine runs one app's sync end to end: it loads the active collection, fetches App
// Store Connect's state with the cheapest scope, plans with internal/plan against the bases in
// internal/state, and executes the plan through internal/remote, writing pulled texts and
// images into the collection. The CLI and the daemon both drive it; it knows nothing of
// terminals (progress goes to a callback).
//
// # Decisions where DESIGN.md is silent
//
//   - Plan writes nothing, not even a re-baseline: when the target version changed, it plans
//     with B := R in memory and says so (PlanResult.Rebaselined); Push, Pull and Resolve
//     store the new bases and the "rebaselined" event. The one thing a caller may store from
//     a plan is what it saw without deciding anything: RecordSeen records the base of every
//     key found in sync (L = R), in every mode (CLI plan, push, pull, resolve, the daemon's
//     plans), so a fresh state dir never turns a later web edit into a "first sync" conflict. A plan that finds a re-baseline after
//     a partial media fetch fetches again with the full scope, so every key gets a base.
//   - The target version recorded for an app (the one its bases belong to) is kept in the
//     state's settings as "target/<bundle id>", with its version string and state, so
//     `apps list` works offline.
//   - Keys the plan cannot see completely are left out of it: a media key of a locale that
//     was not fetched is not planned (it would look deleted remotely). With Prune every
//     locale is fetched.
//   - An invalid key is a Held op carrying its first error; with Prune nothing of a locale
//     that has an invalid key is deleted (its keys might be what the collection means).
//   - A local image is compared through the collection's .storesyncer/checksums.json (local
//     MD5 → remote sourceFileChecksum, written by pull) only when that remote checksum is in
//     the remote set or the base; otherwise its own MD5 is used, so an image that must be
//     uploaded again carries the checksum its bytes really have.
//   - Pull never writes over a local edit: a file or set folder that holds neither App Store
//     Connect's value nor its base (in a collection that is not active: anything but App
//     Store Connect's value) is left alone with its base unchanged and reported in
//     PullResult.Conflicts (exit 4); PullOptions.Force (pull --force) takes the remote value.
//   - Push reads the sets of every locale with a managed set, so it never reports a set in
//     step that it did not look at.
//   - A text write is recorded in the state ("writing/<app>/<key>") before it is sent and
//     forgotten once its base is stored. When a process dies mid-PATCH (or the answer and the
//     re-read are lost), the next plan finds App Store Connect holding exactly the recorded
//     text while the base still holds the old one: that is StoreSyncer's own write, adopted
//     as the base (PlanResult.Adopted), not a web-side edit.
//   - Pull never deletes a local text file whose field is empty remotely (absent means not
//     managed; the file may be an edit not pushed yet), except for `resolve --keep remote`,
//     where the remote absence is the decision. A pulled set replaces the images of its
//     folder, unless they already match the remote set (then nothing is downloaded).
//   - Pulled images are named NN_<fileName> (01_, 02_, …) in set order; a name that already
//     starts with such a prefix keeps only the new one, so repeated pulls stay stable.
package engine
