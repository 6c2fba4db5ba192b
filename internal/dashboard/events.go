package dashboard

import (
	"fmt"
	"net/http"
	"time"
)

// eventHeartbeat keeps an idle stream open through proxies and tells the browser it lives.
const eventHeartbeat = 15 * time.Second

// events streams the daemon's events to the page as one SSE event type, "update": the page
// then fetches the parts that show live state. The data is the event's type only; what
// changed is read again through the pages, with the session's rights.
func (d *Dashboard) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		d.fail(w, r, http.StatusInternalServerError, "streaming is not supported here")
		return
	}
	ch, stop := d.cfg.Reader.Subscribe(r.Context())
	defer stop()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ": storesyncer dashboard events\n\n")
	fl.Flush()
	tick := time.NewTicker(eventHeartbeat)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case ev, ok := <-ch:
			if !ok {
				return
			}
			fmt.Fprintf(w, "id: %d\nevent: update\ndata: %s\n\n", ev.ID, ev.Type)
			fl.Flush()
		case <-tick.C:
			fmt.Fprint(w, ": heartbeat\n\n")
			fl.Flush()
		}
	}
}
