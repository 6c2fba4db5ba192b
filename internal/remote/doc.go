// Package remote is the App Store Connect side of the sync engine: it fetches the state of an
// app's target version with the fewest calls and executes plan groups through the ascapi
// client. It is the only package that imports ascapi apart from wiring.
//
// # Decisions where DESIGN.md is silent
//
//   - Call counts (Snapshot.Calls, Result.Calls) count API requests as this package issues
//     them: one per service call. Extra pages of a paginated list and retries ascapi makes
//     after a 429 or a failed GET are not included (the journal of the simulator shows them).
//   - Apply reports every key of its group either in Result.Done or in Result.Failed; its
//     error is non-nil only when the group could not run at all (a malformed group, a
//     cancelled context).
//   - A group's asset files are opened before the first write and checked against what the
//     collection hashed (size, modification time); one changed file fails the whole set key
//     ("file changed since plan, will retry") without touching App Store Connect. Parts are
//     read from the open files as they are sent and the commit carries the collection's MD5:
//     a file is hashed once per change and memory does not grow with it. A file written in
//     place during its upload fails that upload the same way.
//   - A set's uploads run at once (Config.SetParallelism, default 10): reserve, parts,
//     commit, then one read of the set per poll round for all of them, at once and then
//     after 2 s, 4 s … at most 60 s. A few uploads (fewer than 4, or where the set has no room
//     for two) reserve one after another so they land in the plan's order; more reserve at
//     once and one reorder always follows, so call counts never depend on timing.
//   - Never delete before the replacement is live: each delete of the plan is paired with an
//     upload and sent once that upload is COMPLETE; a full set first frees the slot of the
//     next upload, one at a time (an interruption or a failure costs at most one slot).
//   - An asset that fails processing twice (or is stuck twice) is deleted, so no FAILED
//     placeholder keeps a slot, and the asset it replaces stays where it was; the set key is
//     reported Failed with Apple's error codes.
//   - The upload journal records each reservation (with the file's MD5) and each delete of an
//     asset StoreSyncer did not create (with its checksum) before the request goes, and keeps
//     them until the set reached its plan; Snapshot.Own hands them to the plan, which tells
//     StoreSyncer's own half-finished work from a change on the web.
//   - Version localizations are created one at a time per Remote: the groups of a new locale
//     wait for the first one's creation and find it, so none is answered 409.
//   - A processing asset recorded in the upload journal for longer than ProcessingDeadline is
//     reported FAILED by Fetch, so the planner cleans it up as a leftover instead of waiting
//     for it forever.
//   - Target version: editable, else WAITING_FOR_REVIEW, else live (READY_FOR_DISTRIBUTION,
//     PROCESSING_FOR_DISTRIBUTION), else the newest version (nothing but pulls will happen).
package remote
