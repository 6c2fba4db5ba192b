package statusapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// replayPage is how many stored events one Backend.Events call returns during a replay.
const replayPage = 500

// events serves GET /api/v1/events as server-sent events. With a Last-Event-ID header or an
// ?after= parameter it first replays the stored events after that ID, then streams live ones;
// without either it streams live events only. Every event is "id: <ID>", "event: <Type>" and
// "data: <the Event as JSON>". It ends when the client goes away or the server stops.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	after, replay, err := resumePoint(r)
	if err != nil {
		writeError(w, &Error{Status: http.StatusBadRequest, Code: "invalid", Message: err.Error()})
		return
	}
	rc := http.NewResponseController(w)
	// Subscribe before replaying so nothing that happens during the replay is lost; events
	// seen in both are dropped by ID.
	ctx := r.Context()
	// A member sees the events of their own app and those of no app.
	app, isMember := memberApp(r)
	hidden := func(ev Event) bool { return isMember && ev.App != "" && ev.App != app }
	live, unsubscribe := s.cfg.Backend.Subscribe(ctx)
	defer unsubscribe()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if err := rc.Flush(); err != nil {
		return
	}

	last := after
	if replay {
		first := true
		for {
			evs, err := s.cfg.Backend.Events(ctx, last, replayPage)
			if err != nil {
				s.log.Error("replay events", "err", err)
				return
			}
			if first && len(evs) > 0 && evs[0].ID > after+1 && after > 0 {
				// Older events were trimmed: tell the client its view has a gap.
				data, _ := json.Marshal(map[string]int64{"after": after, "oldest": evs[0].ID})
				if writeEvent(w, Event{Type: EventReset, Time: s.cfg.Now(), Data: data}) != nil {
					return
				}
			}
			first = false
			for _, ev := range evs {
				if !hidden(ev) && writeEvent(w, ev) != nil {
					return
				}
				last = ev.ID
			}
			if len(evs) < replayPage {
				break
			}
		}
		if rc.Flush() != nil {
			return
		}
	}

	tick := s.cfg.NewTicker(HeartbeatInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C():
			if _, err := fmt.Fprint(w, ": heartbeat\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		case ev, ok := <-live:
			if !ok {
				return
			}
			if ev.ID != 0 && ev.ID <= last || hidden(ev) {
				continue
			}
			if writeEvent(w, ev) != nil || rc.Flush() != nil {
				return
			}
			last = max(last, ev.ID)
		}
	}
}

// resumePoint reads where a stream resumes: the Last-Event-ID header wins over ?after=.
func resumePoint(r *http.Request) (after int64, replay bool, err error) {
	v, name := r.Header.Get("Last-Event-ID"), "Last-Event-ID"
	if v == "" {
		v, name = r.URL.Query().Get("after"), "after"
	}
	if v == "" {
		return 0, false, nil
	}
	after, err = strconv.ParseInt(v, 10, 64)
	if err != nil || after < 0 {
		return 0, false, fmt.Errorf("%s %q is not an event id", name, v)
	}
	return after, true, nil
}

// writeEvent writes one SSE frame. JSON holds no raw newlines, so data is one line.
func writeEvent(w http.ResponseWriter, ev Event) error {
	data, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("encode event %d: %w", ev.ID, err)
	}
	if ev.ID != 0 {
		if _, err := fmt.Fprintf(w, "id: %d\n", ev.ID); err != nil {
			return err
		}
	}
	// A line break in the type would end the field early and corrupt the frame.
	typ := strings.NewReplacer("\r", "_", "\n", "_").Replace(ev.Type)
	_, err = fmt.Fprintf(w, "event: %s\ndata: %s\n\n", typ, data)
	return err
}
