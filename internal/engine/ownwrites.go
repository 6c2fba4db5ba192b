package engine

import (
	"context"
	"encoding/json"

	"github.com/storesyncer/storesyncer/internal/plan"
)

// A text write is recorded in the state before it is sent and forgotten once its base is
// stored. A record that outlives its write (the process was killed mid-PATCH, or the
// answer was lost and the re-read failed) lets the next plan recognise App Store Connect
// holding exactly what StoreSyncer meant to write: its own write, not a web-side edit.

// writing is the record of a text write in flight: the target version and the text sent.
type writing struct {
	Version string `json:"version"`
	Text    string `json:"text"`
}

func writingKey(app string, k plan.Key) string { return "writing/" + app + "/" + string(k) }

// markWriting records the text writes of ops before they are sent.
func (e *Engine) markWriting(ctx context.Context, app, versionID string, ops []plan.Op) error {
	for _, op := range ops {
		if op.Key.IsMedia() || (op.Kind != plan.Update && op.Kind != plan.Create) || op.Local.Text == "" {
			continue
		}
		b, _ := json.Marshal(writing{Version: versionID, Text: op.Local.Text})
		if err := e.store.SetSetting(ctx, writingKey(app, op.Key), string(b)); err != nil {
			return err
		}
	}
	return nil
}

// forgetWriting drops the records of keys whose base now holds what was written.
func (e *Engine) forgetWriting(ctx context.Context, app string, keys []plan.Key) {
	for _, k := range keys {
		if k.IsMedia() {
			continue
		}
		if err := e.store.DeleteSetting(ctx, writingKey(app, k)); err != nil {
			e.log.Warn("forget write record", "app", app, "key", k, "error", err)
		}
	}
}

// adoptOwnWrites returns the text keys whose remote value is one StoreSyncer wrote (a
// recorded write whose outcome it never learned) while their base still holds the value
// before it: their base becomes the remote value, so the write is not taken for a web-side
// change. bases is updated in place.
func (e *Engine) adoptOwnWrites(ctx context.Context, app, versionID string, local, remoteSide, bases map[plan.Key]plan.Value) (map[plan.Key]plan.Value, error) {
	var out map[plan.Key]plan.Value
	for k, r := range remoteSide {
		l, managed := local[k]
		if k.IsMedia() || r.Text == "" || !managed || l.Text == r.Text || bases[k].Text == r.Text {
			continue
		}
		s, ok, err := e.store.Setting(ctx, writingKey(app, k))
		if err != nil {
			return nil, err
		}
		var w writing
		if !ok || json.Unmarshal([]byte(s), &w) != nil || w.Version != versionID || w.Text != r.Text {
			continue
		}
		if out == nil {
			out = map[plan.Key]plan.Value{}
		}
		out[k] = plan.TextValue(r.Text)
		bases[k] = out[k]
	}
	return out, nil
}
