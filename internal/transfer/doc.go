// Package transfer moves collections in and out of StoreSyncer: it writes template files,
// imports template ZIPs, folders and fastlane deliver trees into a collection atomically, and
// exports a collection deterministically as a template or fastlane tree, to a ZIP or a folder.
package transfer
