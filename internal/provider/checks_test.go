package provider

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// expectChanges asserts that the plan changes exactly the listed top-level
// attributes of one resource, from the given prior value to the given
// planned value: it proves both that drift was seen and that nothing else
// moves. Values are compared after JSON decoding (strings, bools, float64,
// maps).
type expectChanges struct {
	addr    string
	changes map[string][2]any // attribute -> {before, after}
}

func changes(addr string, c map[string][2]any) plancheck.PlanCheck {
	return expectChanges{addr: addr, changes: c}
}

func (e expectChanges) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	rc := findChange(req.Plan, e.addr)
	if rc == nil {
		resp.Error = fmt.Errorf("%s: not in the plan", e.addr)
		return
	}
	before, _ := rc.Change.Before.(map[string]any)
	after, _ := rc.Change.After.(map[string]any)
	unknown, _ := rc.Change.AfterUnknown.(map[string]any)
	var problems, moved []string
	for attr := range after {
		if unknown[attr] == true || !reflect.DeepEqual(before[attr], after[attr]) {
			moved = append(moved, attr)
		}
	}
	sort.Strings(moved)
	for attr, want := range e.changes {
		if !reflect.DeepEqual(before[attr], want[0]) || !reflect.DeepEqual(after[attr], want[1]) {
			problems = append(problems, fmt.Sprintf("%s: planned %#v -> %#v, want %#v -> %#v",
				attr, before[attr], after[attr], want[0], want[1]))
		}
	}
	for _, attr := range moved {
		if _, ok := e.changes[attr]; !ok {
			problems = append(problems, fmt.Sprintf("%s changes too (%#v -> %#v)", attr, before[attr], after[attr]))
		}
	}
	if len(problems) > 0 {
		resp.Error = fmt.Errorf("%s: %s", e.addr, strings.Join(problems, "; "))
	}
}

func findChange(plan *tfjson.Plan, addr string) *tfjson.ResourceChange {
	for _, rc := range plan.ResourceChanges {
		if rc.Address == addr {
			return rc
		}
	}
	return nil
}

// stateID reads a resource's id attribute from state, for checks that then
// look at the simulator.
func stateAttr(s *terraform.State, addr, attr string) (string, error) {
	rs, ok := s.RootModule().Resources[addr]
	if !ok {
		return "", fmt.Errorf("%s not in state", addr)
	}
	v, ok := rs.Primary.Attributes[attr]
	if !ok {
		return "", fmt.Errorf("%s has no %s in state", addr, attr)
	}
	return v, nil
}

// expectPermissionChanges asserts that an in-place update changes exactly
// the listed permissions of one resource and no other known attribute.
type expectPermissionChanges struct {
	addr    string
	changes map[string][2]string // permission -> {before, after}
}

func permissionChanges(addr string, c map[string][2]string) plancheck.PlanCheck {
	return expectPermissionChanges{addr: addr, changes: c}
}

func (e expectPermissionChanges) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	rc := findChange(req.Plan, e.addr)
	if rc == nil {
		resp.Error = fmt.Errorf("%s: not in the plan", e.addr)
		return
	}
	if !rc.Change.Actions.Update() {
		resp.Error = fmt.Errorf("%s: planned %v, want an in-place update", e.addr, rc.Change.Actions)
		return
	}
	before, _ := rc.Change.Before.(map[string]any)
	after, _ := rc.Change.After.(map[string]any)
	unknown, _ := rc.Change.AfterUnknown.(map[string]any)
	var problems []string
	for attr, v := range after {
		if attr != "permissions" && unknown[attr] != true && !reflect.DeepEqual(before[attr], v) {
			problems = append(problems, fmt.Sprintf("%s changes too", attr))
		}
	}
	pb, _ := before["permissions"].(map[string]any)
	pa, _ := after["permissions"].(map[string]any)
	for name := range pa {
		want, listed := e.changes[name]
		switch {
		case listed && (pb[name] != want[0] || pa[name] != want[1]):
			problems = append(problems, fmt.Sprintf("permissions.%s: planned %v -> %v, want %s -> %s", name, pb[name], pa[name], want[0], want[1]))
		case !listed && !reflect.DeepEqual(pb[name], pa[name]):
			problems = append(problems, fmt.Sprintf("permissions.%s changes too (%v -> %v)", name, pb[name], pa[name]))
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		resp.Error = fmt.Errorf("%s: %s", e.addr, strings.Join(problems, "; "))
	}
}

var compareEqual = compare.ValuesSame()
