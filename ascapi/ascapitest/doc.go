// Package ascapitest is an in-memory App Store Connect: it serves every operation Apple's
// OpenAPI document lists on apps, appInfos, their localizations, appStoreVersions, their
// localizations, screenshot and preview sets and assets (docs/simulator-conformance.md) with
// JSON:API documents shaped like Apple's schemas, enforces Apple's JWT, state, length and
// media rules, simulates asset uploads and processing, and offers fault hooks, a request
// journal, a scalable rate budget, a state file and OpenAPI conformance checks for tests.
//
// It is an independent witness: its copy of Apple's facts (AppleFacts: locales, text limits,
// display and preview types with their sizes, set limits, version states) is written from
// Apple's documentation, and the package imports nothing from StoreSyncer's internal/
// packages; internal/factcheck names every place where the two disagree.
//
// A Server's zero value works: it seeds the demo apps on first use and can be driven with
// ServeHTTP directly (also below a path prefix via http.StripPrefix); NewServer starts it on
// a loopback port:
//
//	sim, err := ascapitest.NewServer(t, ascapitest.Options{Configure: func(s *ascapitest.Server) {
//		s.Now = clock.Now
//		s.ProcessAfterReads = 2 // the 2nd poll after the commit sees COMPLETE
//	}})
//	sim.EnableConformance(t) // every exchange is checked against Apple's document
//	creds := sim.Credentials() // IssuerID, KeyID, PrivateKeyPEM for the client
//	sim.FailNext("POST", "/v1/appScreenshots", 500, true) // applied, then answered 500
//
// Decisions where Apple's behaviour is undocumented:
//   - A new version (POST /v1/appStoreVersions) copies the newest version's localizations
//     (all texts except whatsNew) and its COMPLETE screenshots and previews, as App Store
//     Connect's web UI does, and opens an editable appInfo copied from the previous one.
//   - Each version owns one appInfo whose state follows the version's state; appInfos of
//     replaced versions are not listed.
//   - An asset becomes terminal (COMPLETE or FAILED) at its ProcessAfterReads-th read after
//     the commit when that is set, else once ProcessingDelay has passed on the clock; a read
//     is any answer that renders the asset (instance, list or include), not the commit's own
//     answer.
//   - A commit before every upload part arrived is refused with 409 STATE_ERROR and the asset
//     stays AWAITING_UPLOAD (parts can still be sent); a commit whose MD5 does not match is
//     answered 200 and the asset is FAILED with CHECKSUM_MISMATCH. An image that does not
//     decode fails with IMAGE_TOOL_FAILURE, a wrong size with IMAGE_INCORRECT_DIMENSIONS.
//   - A full set refuses another reservation with 409 ENTITY_ERROR.RELATIONSHIP.INVALID.
//   - Unknown attributes are 409 ENTITY_ERROR.ATTRIBUTE.UNKNOWN; a wrong type is 422
//     ENTITY_UNPROCESSABLE; undeclared query parameters or values outside the declared
//     enum/range are 400 PARAMETER_ERROR.INVALID, like Apple.
//   - X-Rate-Limit is on every authenticated answer; a 401 has none (no key to charge).
//   - Dropped connections and plain injected 5xx apply nothing; "applied" faults apply the
//     request first.
//   - The journal keeps the last 100 000 requests.
//   - Resources at the other end of a relationship that are not modelled (builds, review
//     details, categories, …) do not exist: their related lists are empty, to-one related
//     resources and linkages are data null, include answers them empty, and a linkage write
//     naming one is 409 ENTITY_ERROR.RELATIONSHIP.INVALID.
//   - A version is deleted only in PREPARE_FOR_SUBMISSION (409 STATE_ERROR otherwise), with
//     its localizations, media and appInfo.
//   - A set's display or preview type must be one the version's platform shows.
package ascapitest
