package ascapitest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/storesyncer/storesyncer/ascapi/internal/spec"
)

// paramSpec is what the simulator checks of one declared query parameter.
type paramSpec struct {
	integer  bool
	min, max *float64
	enum     []string // allowed values (each item of a comma-separated list)
}

var (
	paramsOnce sync.Once
	paramsErr  error
	// declared maps "METHOD /pattern" to its query parameters, from the trimmed spec.
	declared map[string]map[string]paramSpec
)

func loadParams() {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(spec.Trimmed, &doc); err != nil {
		paramsErr = fmt.Errorf("parse trimmed spec: %w", err)
		return
	}
	type schema struct {
		Type    string                   `json:"type"`
		Minimum *float64                 `json:"minimum"`
		Maximum *float64                 `json:"maximum"`
		Enum    []string                 `json:"enum"`
		Items   *struct{ Enum []string } `json:"items"`
	}
	type param struct {
		Name   string `json:"name"`
		In     string `json:"in"`
		Schema schema `json:"schema"`
	}
	declared = map[string]map[string]paramSpec{}
	for p, item := range doc.Paths {
		for method, raw := range item {
			if method == "parameters" {
				continue
			}
			var op struct {
				Parameters []param `json:"parameters"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				paramsErr = fmt.Errorf("parse %s %s: %w", method, p, err)
				return
			}
			m := map[string]paramSpec{}
			for _, prm := range op.Parameters {
				if prm.In != "query" {
					continue
				}
				ps := paramSpec{integer: prm.Schema.Type == "integer", min: prm.Schema.Minimum, max: prm.Schema.Maximum, enum: prm.Schema.Enum}
				if prm.Schema.Items != nil {
					ps.enum = prm.Schema.Items.Enum
				}
				m[prm.Name] = ps
			}
			declared[strings.ToUpper(method)+" "+p] = m
		}
	}
}

// checkQuery answers 400 PARAMETER_ERROR.INVALID for a parameter the operation does not
// declare or a value outside its declared range or enum, as Apple does.
func checkQuery(rt *route, q url.Values) *apiError {
	paramsOnce.Do(loadParams)
	if paramsErr != nil {
		return errParam("", paramsErr.Error())
	}
	decl := declared[rt.method+" "+rt.pattern]
	for _, name := range sortedKeys(q) {
		if name == "cursor" {
			continue
		}
		ps, ok := decl[name]
		if !ok {
			return errParam(name, fmt.Sprintf("The parameter '%s' can not be used with this request", name))
		}
		v := strings.Join(q[name], ",")
		if ps.integer {
			n, err := strconv.Atoi(v)
			if err != nil || (ps.min != nil && float64(n) < *ps.min) || (ps.max != nil && float64(n) > *ps.max) {
				return errParam(name, fmt.Sprintf("The parameter '%s' has an invalid value '%s'", name, v))
			}
			continue
		}
		if len(ps.enum) > 0 {
			for _, x := range strings.Split(v, ",") {
				if !slices.Contains(ps.enum, x) {
					return errParam(name, fmt.Sprintf("'%s' is not a valid value for the parameter '%s'", x, name))
				}
			}
		}
	}
	return nil
}
