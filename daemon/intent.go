package daemon

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"

	"github.com/storesyncer/storesyncer/internal/plan"
)

// intent is what a job asks for: the writes of one resource, each with the hash of the local
// content it would send. Two intents with the same hash are the same work.
type intent struct {
	Resource plan.ResourceKey `json:"resource"`
	Ops      []intentOp       `json:"ops"`
	// Calls is what the plan said the work costs.
	Calls int `json:"calls"`
}

// intentOp is one key's write.
type intentOp struct {
	Key  plan.Key  `json:"key"`
	Kind plan.Kind `json:"kind"`
	// Local is a hash of the local content: the text, or the ordered asset checksums.
	Local string `json:"local"`
}

// newIntent returns the intent of the ops of resource r that are work for a job: writes,
// pulls (their hash is of the remote content they bring), and set changes that wait for App
// Store Connect to finish processing the set (the job retries until the set is free).
func newIntent(r plan.ResourceKey, ops []plan.Op) (intent, bool) {
	in := intent{Resource: r}
	for _, op := range ops {
		kind, side := op.Kind, op.Local
		switch {
		case kind == plan.Pull:
			side = op.Remote
		case kind.Writes():
		case kind == plan.Held && busySet(op):
			kind = plan.Update
		default:
			continue
		}
		in.Ops = append(in.Ops, intentOp{Key: op.Key, Kind: kind, Local: valueHash(side)})
		in.Calls += op.Calls.Total()
	}
	slices.SortFunc(in.Ops, func(a, b intentOp) int { return strings.Compare(string(a.Key), string(b.Key)) })
	return in, len(in.Ops) > 0
}

// pullsOnly reports an intent that only brings App Store Connect's changes into the folder:
// it never waits for approval.
func (in intent) pullsOnly() bool {
	for _, op := range in.Ops {
		if op.Kind != plan.Pull {
			return false
		}
	}
	return true
}

// keys returns the intent's keys as strings, for the job row.
func (in intent) keys() []string {
	out := make([]string, len(in.Ops))
	for i, op := range in.Ops {
		out[i] = string(op.Key)
	}
	return out
}

// encode returns the stored form and its hash. The hash covers the keys, kinds and local
// content only, so the same edit planned twice is the same intent.
func (in intent) encode() (data []byte, hash string) {
	data, _ = json.Marshal(in) // plain data always encodes
	h := sha256.New()
	for _, op := range in.Ops {
		h.Write([]byte(string(op.Key) + "\x00" + string(op.Kind) + "\x00" + op.Local + "\n"))
	}
	return data, hex.EncodeToString(h.Sum(nil))
}

// valueHash hashes one side of a key.
func valueHash(v plan.Value) string {
	h := sha256.New()
	if v.Text != "" {
		h.Write([]byte("t\x00" + v.Text))
	} else {
		h.Write([]byte("m\x00" + strings.Join(v.Checksums(), ",")))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
