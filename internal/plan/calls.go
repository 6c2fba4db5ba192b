package plan

// Calls counts App Store Connect API calls by kind. Upload traffic (PUTs to upload operations)
// is not an API call and is not counted. The zero value is no calls.
type Calls struct {
	// Create counts POSTs of localizations and sets.
	Create int `json:"create,omitempty"`
	// Patch counts PATCHes of localizations (all changed fields of one in one PATCH).
	Patch int `json:"patch,omitempty"`
	// Delete counts DELETEs of localizations, sets and assets.
	Delete int `json:"delete,omitempty"`
	// Reserve counts asset reservations (POST appScreenshots/appPreviews).
	Reserve int `json:"reserve,omitempty"`
	// Commit counts asset commits (PATCH uploaded=true).
	Commit int `json:"commit,omitempty"`
	// Poll counts reads of the set while its uploads process; the plan counts the minimum,
	// one per set with uploads.
	Poll int `json:"poll,omitempty"`
	// Reorder counts linkage PATCHes.
	Reorder int `json:"reorder,omitempty"`
}

// Total returns the number of API calls.
func (c Calls) Total() int {
	return c.Create + c.Patch + c.Delete + c.Reserve + c.Commit + c.Poll + c.Reorder
}

// Add returns the sum of c and d.
func (c Calls) Add(d Calls) Calls {
	return Calls{
		Create:  c.Create + d.Create,
		Patch:   c.Patch + d.Patch,
		Delete:  c.Delete + d.Delete,
		Reserve: c.Reserve + d.Reserve,
		Commit:  c.Commit + d.Commit,
		Poll:    c.Poll + d.Poll,
		Reorder: c.Reorder + d.Reorder,
	}
}

// Calls returns what the whole plan costs; each op's share is in Op.Calls.
func (p Plan) Calls() Calls {
	var total Calls
	for _, op := range p.Ops {
		total = total.Add(op.Calls)
	}
	return total
}

// setCalls returns what a set plan costs.
func setCalls(s *SetPlan) Calls {
	var c Calls
	if s.CreateLocalization {
		c.Create++
	}
	if s.CreateSet {
		c.Create++
	}
	c.Delete += len(s.Leftovers)
	for _, st := range s.Steps {
		switch st.Action {
		case Upload:
			c.Reserve++
			c.Commit++
		case DeleteAsset:
			c.Delete++
		}
	}
	if c.Reserve > 0 {
		c.Poll = 1
	}
	if s.Reorder {
		c.Reorder = 1
	}
	return c
}
