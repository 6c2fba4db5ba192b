package ascapitest

import "math/rand/v2"

// dice draws the fault probabilities from a seeded source, so a run is reproducible.
type dice struct{ r *rand.Rand }

func newDice(seed int64) *dice {
	return &dice{r: rand.New(rand.NewPCG(uint64(seed), 0x5eed))}
}

// roll reports true with probability p.
func (d *dice) roll(p float64) bool {
	switch {
	case p <= 0:
		return false
	case p >= 1:
		return true
	}
	return d.r.Float64() < p
}
