package ascapi

import (
	"testing"
	"time"
)

func TestPacerResumeAt(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name  string
		setup func(p *Pacer)
		want  time.Time
	}{
		{"unknown budget", func(*Pacer) {}, now},
		{"room left", func(p *Pacer) { p.limit = 2; p.ours = []*slot{{answered: now}} }, now},
		{"held by a 429", func(p *Pacer) { p.Block(now.Add(30 * time.Second)) }, now.Add(30 * time.Second)},
		{"own slots fill it", func(p *Pacer) {
			p.limit = 2
			p.ours = []*slot{{answered: now.Add(-50 * time.Second)}, {answered: now.Add(-10 * time.Second)}}
		}, now.Add(10 * time.Second)},
		{"others fill it: the next probe", func(p *Pacer) {
			p.limit = 2
			p.others = []time.Time{now.Add(-5 * time.Second), now.Add(-5 * time.Second)}
			p.nextProbe = now.Add(3 * time.Second)
		}, now.Add(3 * time.Second)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := &Pacer{Window: time.Minute}
			tc.setup(p)
			if got := p.ResumeAt(now); !got.Equal(tc.want) {
				t.Errorf("ResumeAt = %v; want %v", got, tc.want)
			}
		})
	}
}
