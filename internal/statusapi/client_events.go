package statusapi

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// LiveOnly asks Client.Events for live events only, without a replay.
const LiveOnly int64 = -1

// Events streams the daemon's events to handle until handle returns an error (which Events
// returns), ctx is done (ctx.Err()), or the daemon ends the stream (nil). With after ≥ 0 the daemon first replays
// the stored events with an ID above after; with LiveOnly it sends only new ones. A replay
// that starts past a trimmed gap begins with an event of type EventReset.
func (c *Client) Events(ctx context.Context, after int64, handle func(Event) error) error {
	req, err := c.newRequest(ctx, http.MethodGet, "/api/v1/events", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "text/event-stream")
	if after >= 0 {
		req.Header.Set("Last-Event-ID", strconv.FormatInt(after, 10))
	}
	resp, err := c.send(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), maxBody)
	var data strings.Builder
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if data.Len() == 0 {
				continue
			}
			var ev Event
			if err := json.Unmarshal([]byte(data.String()), &ev); err != nil {
				return fmt.Errorf("decode event: %w", err)
			}
			data.Reset()
			if err := handle(ev); err != nil {
				return err
			}
		case strings.HasPrefix(line, ":"):
			// a heartbeat comment
		case strings.HasPrefix(line, "data:"):
			if data.Len() > 0 {
				data.WriteByte('\n')
			}
			data.WriteString(strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " "))
		}
		// id: and event: repeat what the JSON data holds.
	}
	if err := sc.Err(); err != nil && ctx.Err() == nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("read events: %w", err)
	}
	return ctx.Err()
}
