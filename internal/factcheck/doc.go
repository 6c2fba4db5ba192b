// Package factcheck holds only a test: it compares StoreSyncer's tables of Apple's facts
// (internal/collection, internal/plan) with the simulator's independent copy
// (ascapitest.AppleFacts) and names every difference, so a wrong table is seen instead of
// being confirmed by a simulator that shares it.
package factcheck
