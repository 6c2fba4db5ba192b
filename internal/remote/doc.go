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
//   - A group's asset files are snapshotted and checked against the plan's checksums before
//     the first write; one changed file fails the whole set key ("file changed since plan,
//     will retry") without touching App Store Connect.
//   - An asset that fails processing twice (or is stuck twice) is deleted, so no FAILED
//     placeholder keeps a slot; the set key is reported Failed with Apple's error codes.
//   - A processing asset recorded in the upload journal for longer than ProcessingDeadline is
//     reported FAILED by Fetch, so the planner cleans it up as a leftover instead of waiting
//     for it forever.
//   - Target version: editable, else WAITING_FOR_REVIEW, else live (READY_FOR_DISTRIBUTION,
//     PROCESSING_FOR_DISTRIBUTION), else the newest version (nothing but pulls will happen).
package remote
