// Package daemon wires StoreSyncer's background pipeline and owns its lifecycle: the watcher's
// debounced batches become re-planned keys, valid changes become persistent jobs (one per
// App Store Connect resource), workers execute them through the engine, a remote poll brings
// web-side edits back, and the status API and metrics read what the daemon knows.
//
// # Decisions where DESIGN.md is silent
//
//   - The engine is not safe for two operations on one app at once, so every engine call for
//     an app (plan, sync, command) holds that app's lock. Workers still run apps in parallel,
//     and one worker run hands the engine every due job of its app at once, so the engine's
//     own [sync] concurrency applies inside the app.
//   - A flushed path is re-planned together with every key of its resource (all text fields
//     of the localization, the whole set), so a job's intent always covers its resource.
//   - Operations counted against approve_over are the keys with a write in one re-plan. A
//     re-plan over the limit holds all of its jobs; `auto = false` holds every job.
//   - Held ops that are not validation problems (the version cannot take a write now) are
//     shown in status as problems with code "sync.held" and severity warning.
//   - A job of an app whose lease another machine holds waits (retry_wait, two minutes)
//     rather than failing; a job fails for good after MaxAttempts attempts.
//   - Events the engine records in the state are streamed to subscribers by a hub that reads
//     the events table after every daemon action and at least once a second, so SSE clients
//     see them in ID order without gaps.
//   - The remote poll is skipped while less than 5 % of the hour's request budget is left,
//     and its interval doubles (up to eight times) while less than 20 % is left.
//   - A watcher flush whose paths name keys is planned local-only (engine.PlanOptions
//     LocalOnly): no API call, the bases stand for App Store Connect, so an edit becomes a
//     job, a revert drops it. Only the worker reads App Store Connect, just before it writes:
//     a keyword save costs what `storesyncer push` of it costs, 3 reads and 1 PATCH, and so do
//     several fields of one localization saved together. Web-side changes are found by that
//     re-plan (a conflict holds the job and shows in status) and by the remote poll. Start-up,
//     rescans, activations, folder changes and the poll still plan against App Store Connect.
//   - Pulls a remote plan finds (text changed on the web, file untouched) are jobs like the
//     writes, run by the workers under the app's lock: there is one write path. A job that
//     only pulls waits neither for approval nor for resume (pause holds uploads). The engine
//     writes the file only if it still holds what the plan saw, and its base becomes the
//     written value, so the watcher's flush of that write re-plans to a no-op.
//   - A set whose assets still process on App Store Connect gets a job anyway; the worker
//     retries it every five seconds until the set is free, so the edit is not lost.
//   - When app.toml names another active collection than the daemon has seen (an activation
//     is on its way), a keyed re-plan is dropped in favour of the full plan of the reload, so
//     approve_over sees the whole activation at once.
//   - `collections activate` through the API is done by the daemon itself (app.toml, then the
//     reload); push, pull, resolve and apps add run through the engine and answer the same
//     JSON and lines the CLI prints when it works in-process. A push through the daemon also
//     approves the app's held jobs: that is how `storesyncer push` approves.
//   - The lease heartbeat re-reads every app.toml (the reload the watcher also triggers), so
//     a lease that goes stale elsewhere is taken over within 30 s.
//   - A workspace the process may not read (macOS privacy protection) is a status problem
//     "workspace.unreadable" carrying the fix from internal/service.
package daemon
