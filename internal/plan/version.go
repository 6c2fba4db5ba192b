package plan

import (
	"fmt"

	"github.com/storesyncer/storesyncer/internal/collection"
)

// StateWaitingForReview is the one non-editable state in which texts may still change, when
// edit_in_review is set in the config's sync table.
const StateWaitingForReview = "WAITING_FOR_REVIEW"

// EditableStates are the appVersionStates in which texts and media can change (asc-api.md §5.1).
var EditableStates = []string{
	"PREPARE_FOR_SUBMISSION", "DEVELOPER_REJECTED", "REJECTED", "METADATA_REJECTED", "INVALID_BINARY",
}

// Editable reports whether texts and media of the version can change.
func (v VersionInfo) Editable() bool {
	if v.Live {
		return false
	}
	for _, s := range EditableStates {
		if v.State == s {
			return true
		}
	}
	return false
}

func (v VersionInfo) name() string {
	if v.String == "" {
		return "the target version"
	}
	return "version " + v.String
}

func (v VersionInfo) state() string {
	if v.State == "" {
		return "in an unknown state"
	}
	return v.State
}

// hold returns why a write to key k cannot happen on this version now, or "" when it can.
func (in *planner) hold(k Key) string {
	v := in.Version
	if k.IsMedia() {
		switch {
		case v.Editable():
			return ""
		case v.State == StateWaitingForReview && !v.Live:
			return fmt.Sprintf("held: %s is %s; screenshots and previews cannot change until the submission is rejected, withdrawn or a new version is open", v.name(), v.State)
		}
		return fmt.Sprintf("held: %s is %s; screenshots and previews change only on an editable version: create one with `storesyncer versions create`", v.name(), v.state())
	}
	f, _ := k.Field()
	if f.Dir == "promotionalText" && (v.Editable() || in.hasVersionLocalization(k.Locale())) {
		return "" // Apple lets promotional text change on any version
	}
	if f.Dir == "promotionalText" && v.State != StateWaitingForReview {
		return fmt.Sprintf("held: %s is %s; locale %s has no localization on it, and one can be added only to an editable version", v.name(), v.state(), k.Locale())
	}
	switch {
	case v.Editable():
	case v.State == StateWaitingForReview && !v.Live:
		if !in.Options.EditInReview {
			return fmt.Sprintf("held: %s is %s; set [sync] edit_in_review = true to edit texts", v.name(), v.State)
		}
	default:
		return fmt.Sprintf("held: %s is %s and no version is editable; only promotionalText can change: create a version with `storesyncer versions create`", v.name(), v.state())
	}
	if f.Dir == "whatsNew" && v.FirstVersion {
		return "held: whatsNew cannot be set on an app's first version; it goes out with the next version"
	}
	if f.Resource == collection.InfoLocalization && !in.hasInfoLocalization(k.Locale()) {
		if n := in.Local[TextKey(k.Locale(), "name")]; n.Absent() {
			return fmt.Sprintf("held: Apple requires name/%s.txt for a new locale", k.Locale())
		}
	}
	return ""
}
