package engine

import (
	"fmt"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/plan"
)

// PushReport is what a push did, in the shape `storesyncer push --json` prints it; a daemon
// answers a push with the same document. Lists are never nil, so they encode as [].
type PushReport struct {
	App       string               `json:"app"`
	Version   string               `json:"version"`
	Pushed    []KeyOutcome         `json:"pushed"`
	Pulled    []KeyOutcome         `json:"pulled"`
	Failed    []KeyOutcome         `json:"failed"`
	Conflicts []KeyOutcome         `json:"conflicts"`
	Held      []KeyOutcome         `json:"held"`
	Calls     int                  `json:"calls"`
	Uploaded  int64                `json:"uploaded_bytes"`
	Warnings  []string             `json:"warnings"`
	Problems  []collection.Problem `json:"problems"`
}

// KeyOutcome is what happened to one key.
type KeyOutcome struct {
	Key    plan.Key  `json:"key"`
	Kind   plan.Kind `json:"kind"`
	Reason string    `json:"reason,omitempty"`
	Error  string    `json:"error,omitempty"`
}

// Outcomes lists ops as outcomes, never nil.
func Outcomes(ops []plan.Op) []KeyOutcome {
	out := make([]KeyOutcome, 0, len(ops))
	for _, op := range ops {
		out = append(out, KeyOutcome{Key: op.Key, Kind: op.Kind, Reason: op.Reason})
	}
	return out
}

// FailureOutcomes lists failed keys as outcomes, with their errors, never nil.
func FailureOutcomes(fs []KeyFailure) []KeyOutcome {
	out := make([]KeyOutcome, 0, len(fs))
	for _, f := range fs {
		out = append(out, KeyOutcome{Key: f.Op.Key, Kind: f.Op.Kind, Reason: f.Op.Reason, Error: f.Err.Error()})
	}
	return out
}

// Report returns the push's JSON document.
func (r *PushResult) Report() PushReport {
	rep := PushReport{App: r.Plan.App.BundleID, Pushed: Outcomes(r.Pushed), Pulled: Outcomes(r.Pulled),
		Failed: FailureOutcomes(r.Failed), Conflicts: Outcomes(r.Conflicts), Held: Outcomes(r.Held),
		Calls: r.Calls, Uploaded: r.Uploaded, Warnings: append([]string{}, r.Plan.Warnings...),
		Problems: append([]collection.Problem{}, r.Plan.Problems...)}
	if r.Plan.Snapshot != nil {
		rep.Version = r.Plan.Snapshot.Version.String
	}
	return rep
}

// Lines returns the push's human summary: one line per key that changed, failed or waits,
// then the totals.
func (r *PushResult) Lines() []string {
	var lines []string
	for _, op := range r.Pushed {
		lines = append(lines, fmt.Sprintf("%-9s %s", PastTense(op.Kind), op.Key))
	}
	for _, op := range r.Pulled {
		lines = append(lines, fmt.Sprintf("pulled    %s (%s)", op.Key, op.Reason))
	}
	for _, f := range r.Failed {
		lines = append(lines, fmt.Sprintf("failed    %s: %v", f.Op.Key, f.Err))
	}
	for _, op := range r.Conflicts {
		lines = append(lines, fmt.Sprintf("conflict  %s (%s): storesyncer resolve %s --keep local|remote", op.Key, op.Reason, op.Key))
	}
	for _, op := range r.Held {
		lines = append(lines, fmt.Sprintf("held      %s (%s)", op.Key, op.Reason))
	}
	if len(r.Pushed)+len(r.Pulled)+len(r.Failed) == 0 {
		line := "nothing to push: App Store Connect matches " + r.Plan.Collection
		switch r.Plan.Input.Options.Only {
		case plan.OnlyText:
			line = "nothing to push: App Store Connect's texts match " + r.Plan.Collection + " (media not read: --only text)"
		case plan.OnlyMedia:
			line = "nothing to push: App Store Connect's media match " + r.Plan.Collection + " (texts not compared: --only media)"
		}
		if n := len(r.Conflicts) + len(r.Held); n > 0 {
			line += fmt.Sprintf(" except %d key(s) above", n)
		}
		lines = append(lines, line)
	}
	return append(lines, fmt.Sprintf("total: %d pushed, %d pulled, %d failed, %d conflict(s), %d held; %d API call(s), %d byte(s) uploaded",
		len(r.Pushed), len(r.Pulled), len(r.Failed), len(r.Conflicts), len(r.Held), r.Calls, r.Uploaded))
}

// HasInvalidKeys reports whether the collection had a validation error when it was planned.
func (r *PushResult) HasInvalidKeys() bool { return collection.HasErrors(r.Plan.Problems) }

// PastTense names what a push did to a key of kind k ("updated").
func PastTense(k plan.Kind) string {
	switch k {
	case plan.Create:
		return "created"
	case plan.Update:
		return "updated"
	case plan.Delete:
		return "deleted"
	case plan.Reorder:
		return "reordered"
	case plan.Pull:
		return "pulled"
	}
	return string(k)
}

// PullReport is what a pull did, in the shape `storesyncer pull --json` prints it; a daemon
// answers a pull with the same document. Lists are never nil.
type PullReport struct {
	App        string         `json:"app"`
	Collection string         `json:"collection"`
	Dir        string         `json:"dir"`
	Created    bool           `json:"created"`
	Version    string         `json:"version"`
	Texts      []plan.Key     `json:"texts"`
	Sets       []plan.Key     `json:"sets"`
	Conflicts  []PullConflict `json:"conflicts"`
	Unchanged  int            `json:"unchanged"`
	Downloaded int64          `json:"downloaded_bytes"`
	Calls      int            `json:"calls"`
	Bases      bool           `json:"bases"`
}

// Report returns the pull's JSON document for app.
func (r *PullResult) Report(app string) PullReport {
	return PullReport{App: app, Collection: r.Collection, Dir: r.Dir, Created: r.Created, Version: r.Version.String,
		Texts: nonNilKeys(r.Texts), Sets: nonNilKeys(r.Sets), Conflicts: append([]PullConflict{}, r.Conflicts...),
		Unchanged: r.Unchanged, Downloaded: r.Downloaded, Calls: r.Calls, Bases: r.Bases}
}

// Lines returns the pull's human summary: one line per key written or left alone, then the
// totals.
func (r *PullResult) Lines() []string {
	var lines []string
	for _, k := range append(append([]plan.Key{}, r.Texts...), r.Sets...) {
		lines = append(lines, fmt.Sprintf("pulled    %s", k))
	}
	for _, c := range r.Conflicts {
		lines = append(lines, fmt.Sprintf("conflict  %s (%s)", c.Key, c.Reason))
	}
	made := ""
	if r.Created {
		made = " (new)"
	}
	line := fmt.Sprintf("pulled version %s into %s%s: %d text(s) and %d set(s) written, %d unchanged", r.Version.String, r.Dir, made, len(r.Texts), len(r.Sets), r.Unchanged)
	if len(r.Conflicts) > 0 {
		line += fmt.Sprintf(", %d left alone (local edits)", len(r.Conflicts))
	}
	return append(lines, line+fmt.Sprintf("; %d API call(s), %d byte(s) downloaded", r.Calls, r.Downloaded))
}

func nonNilKeys(ks []plan.Key) []plan.Key {
	if ks == nil {
		return []plan.Key{}
	}
	return ks
}
