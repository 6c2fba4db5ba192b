// Package ascapi is a client for the App Store Connect API: ES256 JWT auth, JSON:API
// documents, typed errors, X-Rate-Limit pacing, pagination, the metadata resources StoreSyncer
// syncs, and asset uploads (reserve → PUT parts → commit → poll).
//
// Its shape follows go-github: NewClient takes credentials and functional options; resources
// are services hung off the Client (c.Apps, c.Versions, c.ScreenshotSets, …); every method
// returns the decoded value, a *Response carrying the rate limit, and an error, which is an
// *Error when App Store Connect answered with an error document.
//
// Writes (POST, PATCH, DELETE) are never retried after a 5xx or a transport error: the error
// then matches ErrWriteOutcomeUnknown and the caller re-reads to decide. GETs, and any request
// answered 429 (refused before anything was applied), are retried with backoff and jitter.
//
// Every request takes a slot of the key's budget from the client's Pacer before it is sent
// (share one Pacer between the clients of a key with WithPacer), so parallel workers never
// spend more than X-Rate-Limit allows and get no 429 once an answer told them the budget.
package ascapi
