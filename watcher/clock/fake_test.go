package clock

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFakeAdvance(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewFake(start)
	var got []string
	c.AfterFunc(3*time.Second, func() { got = append(got, "3s") })
	c.AfterFunc(time.Second, func() {
		got = append(got, "1s")
		c.AfterFunc(time.Second, func() { got = append(got, "1s+1s at "+c.Now().Sub(start).String()) })
	})
	stopped := c.AfterFunc(2*time.Second, func() { got = append(got, "stopped") })
	if !stopped.Stop() {
		t.Fatal("Stop of a pending timer reported false")
	}
	c.AfterFunc(10*time.Second, func() { got = append(got, "10s") })

	c.Advance(5 * time.Second)
	want := []string{"1s", "1s+1s at 2s", "3s"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	if now := c.Now().Sub(start); now != 5*time.Second {
		t.Errorf("Now after Advance(5s) = start+%v, want start+5s", now)
	}
	if n := c.Pending(); n != 1 {
		t.Errorf("Pending = %d, want 1 (the 10s timer)", n)
	}
}
