package plan

// Kind says what an op does.
type Kind string

// The kinds of op.
const (
	// InSync: local and remote agree; only the base is refreshed.
	InSync Kind = "in_sync"
	// Update pushes the local value over a remote one (a PATCH, or uploads and deletes in a set).
	Update Kind = "update"
	// Create pushes a value where App Store Connect has none (a new field, locale or set).
	Create Kind = "create"
	// Delete removes the op's Resource as a whole (push --prune only): a localization, or a
	// set. Every remote key of a pruned localization gets a Delete op on that resource; the
	// sets of a pruned locale name its version localization as their resource, because
	// deleting the localization takes its sets with it.
	Delete Kind = "delete"
	// Reorder only changes the order of a set.
	Reorder Kind = "reorder"
	// Pull writes the remote value into the collection; it costs no API write.
	Pull Kind = "pull"
	// Conflict needs a decision: resolve KEY --keep local|remote.
	Conflict Kind = "conflict"
	// Held would push but cannot now; Reason says why and what to do.
	Held Kind = "held"
)

// Writes reports whether ops of kind k change App Store Connect.
func (k Kind) Writes() bool {
	switch k {
	case Update, Create, Delete, Reorder:
		return true
	}
	return false
}

// Op is the plan for one key. It is plain data.
type Op struct {
	Key  Key  `json:"key"`
	Kind Kind `json:"kind"`
	// Resource is the unit of work the op belongs to (see ResourceKey).
	Resource ResourceKey `json:"resource"`
	// Reason is a short human explanation ("changed remotely").
	Reason string `json:"reason,omitempty"`
	// Local, Remote and Base are the three sides as the plan saw them; zero means absent.
	Local  Value `json:"local"`
	Remote Value `json:"remote"`
	Base   Value `json:"base"`
	// Set is the step-by-step plan of a media op that writes (Update, Create, Reorder).
	Set *SetPlan `json:"set,omitempty"`
	// NewBase is what the base becomes once the op succeeded: nil leaves it as it is, a zero
	// Value deletes it. A push stores what it wrote, a pull or an in-sync key stores R.
	NewBase *Value `json:"newBase,omitempty"`
	// Calls is what the op costs in API calls. A localization PATCH or create shared by several
	// keys is counted on the first of them only.
	Calls Calls `json:"calls"`
}

// StepAction is one action inside a set.
type StepAction string

// The actions inside a set.
const (
	// Upload reserves, uploads and commits a local asset.
	Upload StepAction = "upload"
	// DeleteAsset deletes a remote asset by ID.
	DeleteAsset StepAction = "delete"
)

// Step is one action inside a set: Upload carries the local asset, DeleteAsset the remote one.
type Step struct {
	Action StepAction `json:"action"`
	Asset  Asset      `json:"asset"`
}

// SetPlan is how one set reaches the local state with the fewest calls and never more assets
// than the set holds (placeholders count).
type SetPlan struct {
	// CreateSet is true when the set does not exist yet.
	CreateSet bool `json:"createSet,omitempty"`
	// CreateLocalization is true when the version localization the set belongs to does not
	// exist and no text op of this plan creates it; the executor creates it (no attributes)
	// first.
	CreateLocalization bool `json:"createLocalization,omitempty"`
	// Leftovers are remote assets that never reached COMPLETE (AWAITING_UPLOAD, FAILED); they
	// are deleted before anything else.
	Leftovers []Asset `json:"leftovers,omitempty"`
	// Steps are the uploads and deletes, in order. While the set has room new assets are
	// uploaded first; a full set swaps one asset at a time (delete one, upload one). The
	// executor pairs the deletes with the uploads in this order and sends a delete only once
	// its upload is COMPLETE (a full set frees one slot at a time first).
	Steps []Step `json:"steps,omitempty"`
	// Reorder is true when the order after Steps (kept assets in their remote order, then
	// uploads in step order) differs from Order. Completion order decides where uploads land,
	// so the executor compares Order with the set's linkage after polling and reorders when
	// they differ, sending every ID.
	Reorder bool `json:"reorder,omitempty"`
	// Order is the desired final order: the local assets, with RemoteID set for kept ones.
	Order []Asset `json:"order"`
}

// Plan is the result of Compute: plain data, owned by the caller. The zero value is an empty
// plan. Its methods only read it.
type Plan struct {
	// Ops holds one op per managed key (and per pruned remote key), sorted by key.
	Ops []Op `json:"ops"`
	// Unmanaged lists remote keys the collection does not manage and the plan leaves alone,
	// sorted (push --prune would delete the whole localizations and sets among them).
	Unmanaged []Key `json:"unmanaged,omitempty"`
}

// Conflicts returns the ops of kind Conflict.
func (p Plan) Conflicts() []Op { return p.ofKind(Conflict) }

func (p Plan) ofKind(k Kind) []Op {
	var out []Op
	for _, op := range p.Ops {
		if op.Kind == k {
			out = append(out, op)
		}
	}
	return out
}

// Op returns the op of key k.
func (p Plan) Op(k Key) (Op, bool) {
	for _, op := range p.Ops {
		if op.Key == k {
			return op, true
		}
	}
	return Op{}, false
}
