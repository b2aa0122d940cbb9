package provider

import (
	"context"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/nimtf/terraform-provider-nim/internal/client"
	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
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

func expectAuths(got client.Permissions, want map[int]int) error {
	for k, v := range want {
		if got[k] != v {
			return fmt.Errorf("auths[%d] = %d, want %d (auths %v)", k, got[k], v, got)
		}
	}
	return nil
}

// countSince counts the requests to an endpoint after a mark.
type requestMark map[string]int

func (e *simEnv) mark(endpoints ...string) requestMark {
	m := requestMark{}
	for _, ep := range endpoints {
		m[ep] = len(e.requests(ep))
	}
	return m
}

func (e *simEnv) sentSince(m requestMark, endpoint string) []url.Values {
	return e.requests(endpoint)[m[endpoint]:]
}

// errorText matches phrases, in order, in Terraform's error output, which
// wraps long lines: any space in a phrase may be a line break there.
func errorText(phrases ...string) *regexp.Regexp {
	parts := make([]string, len(phrases))
	for i, p := range phrases {
		parts[i] = strings.Join(strings.Fields(regexp.QuoteMeta(p)), `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, `.*`))
}

// permissionsFrom is the permissions object a data source must show for
// the auths the simulator holds: every server permission, by its API key.
func permissionsFrom(auths map[int]int) knownvalue.Check {
	names := map[int]string{1: "allow", -1: "deny"}
	want := map[string]knownvalue.Check{}
	for _, p := range serverPermissions.list() {
		if v, ok := auths[p.key]; ok {
			want[p.attr] = knownvalue.StringExact(names[v])
		} else {
			want[p.attr] = knownvalue.Null()
		}
	}
	return knownvalue.ObjectExact(want)
}

// numbers renders "1","2",...,"n", for list attributes in configurations.
func numbers(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%q,", fmt.Sprint(i))
	}
	return b.String()
}

// badInput is a configuration that must fail at plan time with err.
type badInput struct{ name, config, err string }

// badImport is an import id that resource must refuse with err.
type badImport struct{ name, resource, id, err string }

// testBadInput plans every configuration and imports every id against a
// fresh simulator; each must fail with its error, and none may reach the
// API.
func testBadInput(t *testing.T, cases []badInput, imports []badImport) {
	t.Helper()
	env := newSimEnv(t, nimsim.Config{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps: []resource.TestStep{{
					Config:      env.config(tc.config),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.err),
				}},
			})
		})
	}
	for _, tc := range imports {
		t.Run("import "+tc.name, func(t *testing.T) {
			addr := regexp.MustCompile(`resource "(\w+)" "(\w+)"`).FindStringSubmatch(tc.resource)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps: []resource.TestStep{{
					Config:        env.config(tc.resource),
					ResourceName:  addr[1] + "." + addr[2],
					ImportState:   true,
					ImportStateId: tc.id,
					ExpectError:   regexp.MustCompile(tc.err),
				}},
			})
		})
	}
	env.expectNoAPICalls(t)
}

// importMissing imports, next to an existing server, an id that does not
// exist: id, or when empty the server's id and a role id that does not
// exist.
type importMissing struct{ resource, addr, id string }

// testImportMissing checks that each import fails clearly instead of
// adopting nothing.
func testImportMissing(t *testing.T, cases []importMissing) {
	t.Helper()
	env := newSimEnv(t, nimsim.Config{})
	for _, tc := range cases {
		t.Run(tc.addr, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps: []resource.TestStep{
					{Config: env.config(guild)},
					{
						Config:       env.config(tc.resource),
						ResourceName: tc.addr,
						ImportState:  true,
						ImportStateIdFunc: func(s *terraform.State) (string, error) {
							if tc.id != "" {
								return tc.id, nil
							}
							sid, err := stateAttr(s, "nim_qchat_server.guild", "id")
							return sid + "/6999999999", err
						},
						ExpectError: regexp.MustCompile(`Cannot import non-existent remote object`),
					},
				},
			})
		})
	}
}
