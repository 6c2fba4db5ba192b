// Package plan is StoreSyncer's pure three-way sync planner: it compares the local collection,
// App Store Connect's current state and the last seen remote state (the base) key by key and
// says what a push would do, with the API calls it costs.
//
// The package does no I/O and reads no clock: internal/collection builds the local side,
// internal/remote fetches the remote side and executes the ops, internal/state keeps the bases.
// All types are plain data, safe to copy and to encode as JSON.
//
// # Decisions where DESIGN.md is silent
//
//   - Absent and empty are the same on every side: a text Value with Text "" and a media Value
//     with no COMPLETE asset are "absent". A remote set that exists but holds no COMPLETE asset is
//     therefore "absent" for the sync table (nothing to lose), so pushing into it is a Create
//     that costs no set create.
//   - Remote keys the collection does not manage are left alone and listed in Plan.Unmanaged,
//     never as ops. With Options.Prune, whole localizations (every key of a locale absent
//     locally) and whole sets are deleted, never anything of the primary locale.
//   - Version rules apply to writes only: a Pull, an InSync and a Conflict are never Held. A
//     conflict is reported even on a version that cannot take the push yet.
//   - A set in a locale whose version localization does not exist creates it (an empty POST)
//     unless a text op of the same plan creates it with its fields; cost counted once.
//   - Calls.Poll counts the minimum, one read of the set per set with uploads; the real count
//     depends on Apple's processing time.
//   - A pruned locale's sets go with its version localization: no extra DELETE is counted.
//     Pruning needs an editable version. An empty remote localization (no field, no set) is
//     not pruned, because no key names it.
//   - Screenshot display type aliases are resolved in every key (APP_IPHONE_69 is the
//     APP_IPHONE_67 set), so a renamed folder never makes a second set.
package plan
