package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// identityCase is one resource of the identity test: its address, its
// identity spec, and whether the second configuration changes it in place.
type identityCase struct {
	addr    string
	spec    identitySpec
	updated bool
}

var identityCases = []identityCase{
	{"nim_chatroom.lobby", chatroomIdentity, true},
	{"nim_chatroom_member.alice", chatroomMemberIdentity, true},
	{"nim_qchat_server.guild", qchatServerIdentity, true},
	{"nim_qchat_channel.news", qchatChannelIdentity, true},
	{"nim_qchat_role.mods", qchatRoleIdentity, true},
	{"nim_qchat_everyone_role.everyone", qchatEveryoneRoleIdentity, true},
	{"nim_qchat_channel_role.news_mods", qchatChannelRoleIdentity, true},
	{"nim_qchat_server_member.alice", qchatServerMemberIdentity, true},
	{"nim_qchat_role_member.alice_mods", qchatRoleMemberIdentity, false}, // only operator could change, and it names nothing in NIM
	{"nim_qchat_channel_member_permissions.alice_news", qchatMemberPermissionsIdentity, true},
	{"nim_qchat_channel_access_list.staff", qchatAccessListIdentity, true},
}

// identityConfig holds one of every resource. v2 changes an attribute of
// every resource that has one to change in place.
func identityConfig(v2 bool) string {
	pick := func(v1, v2s string) string {
		if v2 {
			return v2s
		}
		return v1
	}
	return fmt.Sprintf(`
resource "nim_chatroom" "lobby" {
  creator = "host"
  name    = %q
}

resource "nim_chatroom_member" "alice" {
  room_id = nim_chatroom.lobby.id
  accid   = "alice"
  role    = %q
}

resource "nim_qchat_server" "guild" {
  owner                    = "boss"
  name                     = %q
  invite_requires_approval = false
}

resource "nim_qchat_channel" "news" {
  server_id = nim_qchat_server.guild.id
  name      = %q
}

resource "nim_qchat_channel" "staff" {
  server_id  = nim_qchat_server.guild.id
  name       = "staff"
  visibility = "private"
}

resource "nim_qchat_role" "mods" {
  server_id = nim_qchat_server.guild.id
  name      = "mods"
  ext       = %q
  permissions {
    manage_channel = "allow"
  }
}

resource "nim_qchat_everyone_role" "everyone" {
  server_id = nim_qchat_server.guild.id
  permissions {
    send_message = %q
  }
}

resource "nim_qchat_channel_role" "news_mods" {
  server_id      = nim_qchat_server.guild.id
  channel_id     = nim_qchat_channel.news.id
  server_role_id = nim_qchat_role.mods.id
  permissions {
    send_message = %q
  }
}

resource "nim_qchat_server_member" "alice" {
  server_id = nim_qchat_server.guild.id
  accid     = "alice"
  nick      = %q
}

resource "nim_qchat_role_member" "alice_mods" {
  server_id = nim_qchat_server.guild.id
  role_id   = nim_qchat_role.mods.id
  accid     = nim_qchat_server_member.alice.accid
}

resource "nim_qchat_channel_member_permissions" "alice_news" {
  server_id  = nim_qchat_server.guild.id
  channel_id = nim_qchat_channel.news.id
  accid      = nim_qchat_server_member.alice.accid
  permissions {
    mention_member = %q
  }
}

resource "nim_qchat_channel_access_list" "staff" {
  server_id  = nim_qchat_server.guild.id
  channel_id = nim_qchat_channel.staff.id
  kind       = "allowlist"
  role_ids   = [nim_qchat_role.mods.id]
  accids     = %s
}
`,
		pick("Lobby", "Lobby, renamed"),
		pick("none", "member"),
		pick("Guild", "Guild, renamed"),
		pick("news", "news-renamed"),
		pick("first", "second"),
		pick("allow", "deny"),
		pick("deny", "allow"),
		pick("Al", "Alice"),
		pick("allow", "deny"),
		pick("[]", "[nim_qchat_server_member.alice.accid]"),
	)
}

// identityRecorder remembers the identities a step left in state, so a
// later step can check that they did not change.
type identityRecorder struct {
	cases []identityCase
	seen  map[string]map[string]any
}

func (r *identityRecorder) record() statecheck.StateCheck {
	return stateCheckFunc(func(req statecheck.CheckStateRequest) error {
		r.seen = map[string]map[string]any{}
		for _, res := range req.State.Values.RootModule.Resources {
			if len(res.IdentityValues) > 0 {
				r.seen[res.Address] = maps.Clone(res.IdentityValues)
			}
		}
		for _, c := range r.cases {
			if _, ok := r.seen[c.addr]; !ok {
				return fmt.Errorf("%s has no identity in state", c.addr)
			}
		}
		return nil
	})
}

func (r *identityRecorder) unchanged() statecheck.StateCheck {
	return stateCheckFunc(func(req statecheck.CheckStateRequest) error {
		var errs []string
		n := 0
		for _, res := range req.State.Values.RootModule.Resources {
			want, ok := r.seen[res.Address]
			if !ok {
				continue
			}
			n++
			if !maps.Equal(want, res.IdentityValues) {
				errs = append(errs, fmt.Sprintf("%s: identity %v became %v", res.Address, want, res.IdentityValues))
			}
		}
		if n != len(r.seen) {
			errs = append(errs, fmt.Sprintf("only %d of the %d recorded resources are in state", n, len(r.seen)))
		}
		if len(errs) > 0 {
			return fmt.Errorf("%s", strings.Join(errs, "; "))
		}
		return nil
	})
}

type stateCheckFunc func(statecheck.CheckStateRequest) error

func (f stateCheckFunc) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f(req)
}

// TestResourceIdentity checks every resource's identity through the CLI:
// it is in state after create with exactly the declared attributes, each
// equal to the state attribute it names; an update leaves it unchanged; and
// an `import` block with only the identity imports the object with an
// empty plan. Terraform before 1.12 knows no identity and skips the test.
func TestResourceIdentity(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	testResourceIdentity(t, identityCases, env.config(identityConfig(false)), env.config(identityConfig(true)))
}

// testResourceIdentity creates the resources of cases with config, checks
// their identities, applies updated, checks they did not change, and
// imports each resource by its identity with an empty plan.
func testResourceIdentity(t *testing.T, cases []identityCase, config, updated string) {
	t.Helper()
	rec := &identityRecorder{cases: cases}
	var createdChecks []statecheck.StateCheck
	var updates []plancheck.PlanCheck
	for _, c := range cases {
		want := map[string]knownvalue.Check{}
		for _, p := range c.spec {
			want[p.name] = knownvalue.NotNull()
			createdChecks = append(createdChecks, statecheck.ExpectIdentityValueMatchesStateAtPath(c.addr,
				tfjsonpath.New(p.name), tfjsonpath.New(p.state)))
		}
		createdChecks = append(createdChecks, statecheck.ExpectIdentity(c.addr, want))
		if c.updated {
			updates = append(updates, plancheck.ExpectResourceAction(c.addr, plancheck.ResourceActionUpdate))
		}
	}
	createdChecks = append(createdChecks, rec.record())

	steps := []tfresource.TestStep{
		{Config: config, ConfigStateChecks: createdChecks},
		{
			Config:            updated,
			ConfigPlanChecks:  tfresource.ConfigPlanChecks{PreApply: updates},
			ConfigStateChecks: []statecheck.StateCheck{rec.unchanged()},
		},
	}
	for _, c := range cases {
		steps = append(steps, tfresource.TestStep{
			ResourceName:    c.addr,
			ImportState:     true,
			ImportStateKind: tfresource.ImportBlockWithResourceIdentity,
		})
	}
	tfresource.UnitTest(t, tfresource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: testProviders,
		Steps:                    steps,
	})
}

// TestResourceIdentityImportBadValue: an identity with a malformed value
// fails the import with an error naming the identity attribute, before any
// API request.
func TestResourceIdentityImportBadValue(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	tfresource.UnitTest(t, tfresource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: testProviders,
		Steps: []tfresource.TestStep{{
			Config: env.config(`
import {
  to       = nim_qchat_role.mods
  identity = { server_id = "guild", role_id = "7" }
}

resource "nim_qchat_role" "mods" {
  server_id = "1"
  name      = "mods"
}
`),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Invalid import identity.*identity attribute server_id.*positive\s+integer`),
		}},
	})
	env.expectNoAPICalls(t)
}

// identityOf runs importID over an identity given as strings.
func identityOf(t *testing.T, spec identitySpec, values map[string]string) (string, []string) {
	t.Helper()
	ctx := context.Background()
	schema := spec.schema()
	attrs := map[string]tftypes.Value{}
	attrTypes := map[string]tftypes.Type{}
	for _, p := range spec {
		attrTypes[p.name] = tftypes.String
		if v, ok := values[p.name]; ok {
			attrs[p.name] = tftypes.NewValue(tftypes.String, v)
		} else {
			attrs[p.name] = tftypes.NewValue(tftypes.String, nil)
		}
	}
	req := resource.ImportStateRequest{Identity: &tfsdk.ResourceIdentity{
		Schema: schema,
		Raw:    tftypes.NewValue(tftypes.Object{AttributeTypes: attrTypes}, attrs),
	}}
	var diags diag.Diagnostics
	id := spec.importID(ctx, req, &diags)
	var errs []string
	for _, d := range diags.Errors() {
		errs = append(errs, d.Detail())
	}
	return id, errs
}

func TestIdentityImportID(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		spec   identitySpec
		values map[string]string
		id     string
		err    string
	}{
		{chatroomIdentity, map[string]string{"room_id": "42"}, "42", ""},
		{qchatRoleMemberIdentity, map[string]string{"server_id": "1", "role_id": "2", "accid": "alice"}, "1/2/alice", ""},
		{qchatAccessListIdentity, map[string]string{"server_id": "1", "channel_id": "2", "kind": "blocklist"}, "1/2/blocklist", ""},
		{qchatAccessListIdentity, map[string]string{"server_id": "1", "channel_id": "2", "kind": "greylist"}, "", "identity attribute kind: must be one of"},
		{qchatRoleIdentity, map[string]string{"server_id": "0", "role_id": "2"}, "", "identity attribute server_id: server_id must be a positive integer"},
		{qchatServerMemberIdentity, map[string]string{"server_id": "1", "accid": longString(33)}, "", "identity attribute accid: an accid is 1 to 32 characters"},
		{qchatServerMemberIdentity, map[string]string{"server_id": "1"}, "", "identity attribute accid: a value is required"},
		{easemobMemberIdentity, map[string]string{"room_id": "300000000000001", "username": "m01"}, "300000000000001/m01", ""},
		{easemobMemberIdentity, map[string]string{"room_id": "Hall!", "username": "m01"}, "", "identity attribute room_id: \"Hall!\" is not an Easemob chatroom id"},
		{easemobSuperAdminIdentity, map[string]string{"username": "Ops"}, "", "identity attribute username: \"Ops\" is not"},
	} {
		id, errs := identityOf(t, tc.spec, tc.values)
		switch {
		case tc.err == "" && (len(errs) > 0 || id != tc.id):
			t.Errorf("%v: got id %q, errors %v; want %q", tc.values, id, errs, tc.id)
		case tc.err != "" && (len(errs) != 1 || !strings.Contains(errs[0], tc.err)):
			t.Errorf("%v: got errors %v, want one containing %q", tc.values, errs, tc.err)
		}
	}
	// An import by id passes through untouched.
	if id := qchatRoleIdentity.importID(context.Background(), resource.ImportStateRequest{ID: "1/2"}, nil); id != "1/2" {
		t.Errorf("import by id: got %q", id)
	}
}

// TestIdentitySetFromState: the identity is copied from the state's
// attributes, and left alone while the state lacks one of them.
func TestIdentitySetFromState(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var schemaResp resource.SchemaResponse
	(&qchatRoleResource{}).Schema(ctx, resource.SchemaRequest{}, &schemaResp)
	state := tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(schemaResp.Schema.Type().TerraformType(ctx), nil)}
	newIdentity := func() *tfsdk.ResourceIdentity {
		s := qchatRoleIdentity.schema()
		return &tfsdk.ResourceIdentity{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), nil)}
	}

	var diags diag.Diagnostics
	id := newIdentity()
	qchatRoleIdentity.set(ctx, &state, id, &diags) // no state: nothing
	if !id.Raw.IsNull() || diags.HasError() {
		t.Fatalf("identity set from an empty state: %v %v", id.Raw, diags)
	}
	diags.Append(state.SetAttribute(ctx, path.Root("server_id"), types.StringValue("5"))...)
	qchatRoleIdentity.set(ctx, &state, id, &diags) // no role id yet: nothing
	if !id.Raw.IsNull() || diags.HasError() {
		t.Fatalf("identity set from a state without the role id: %v %v", id.Raw, diags)
	}
	diags.Append(state.SetAttribute(ctx, path.Root("id"), types.StringValue("9"))...)
	qchatRoleIdentity.set(ctx, &state, id, &diags)
	var server, role types.String
	diags.Append(id.GetAttribute(ctx, path.Root("server_id"), &server)...)
	diags.Append(id.GetAttribute(ctx, path.Root("role_id"), &role)...)
	if diags.HasError() || server.ValueString() != "5" || role.ValueString() != "9" {
		t.Fatalf("identity = server %s role %s (%v), want 5 and 9", server, role, diags)
	}
}

// TestIdentityAddedToOlderState: a state written before resources had an
// identity (by an older provider, or by Terraform before 1.12) gets one at
// the next refresh, and the plan stays empty.
func TestIdentityAddedToOlderState(t *testing.T) {
	t.Parallel()
	if !cliVersionAtLeast(t, "1.12.0") {
		t.Skip("resource identity needs Terraform 1.12 or later")
	}
	c := newCLIEnv(t, testAppSecret, `
resource "nim_qchat_server" "guild" {
  owner = "boss"
  name  = "Guild"
}

resource "nim_qchat_role" "mods" {
  server_id = nim_qchat_server.guild.id
  name      = "mods"
}
`)
	c.run(t, "apply", "-input=false", "-auto-approve")
	statePath := filepath.Join(c.dir, "terraform.tfstate")
	// Remove every identity, as a state written without them has none.
	var state map[string]json.RawMessage
	readJSON(t, statePath, &state)
	var resources []map[string]json.RawMessage
	if err := json.Unmarshal(state["resources"], &resources); err != nil {
		t.Fatal(err)
	}
	for _, r := range resources {
		var instances []map[string]json.RawMessage
		if err := json.Unmarshal(r["instances"], &instances); err != nil {
			t.Fatal(err)
		}
		for _, i := range instances {
			if len(i["identity"]) == 0 {
				t.Fatalf("the apply left no identity in state: %s", r["type"])
			}
			delete(i, "identity")
			delete(i, "identity_schema_version")
		}
		r["instances"] = mustJSON(t, instances)
	}
	state["resources"] = mustJSON(t, resources)
	if err := os.WriteFile(statePath, mustJSON(t, state), 0o600); err != nil {
		t.Fatal(err)
	}

	c.run(t, "apply", "-input=false", "-auto-approve", "-refresh-only")
	server := itoa(c.sim.Objects().QChatServers[0].ServerID)
	role := ""
	for _, r := range c.sim.Objects().QChatServerRoles {
		if r.Name == "mods" {
			role = itoa(r.RoleID)
		}
	}
	want := map[string]map[string]string{
		"nim_qchat_server": {"server_id": server},
		"nim_qchat_role":   {"server_id": server, "role_id": role},
	}
	var refreshed struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []struct {
				Identity map[string]string `json:"identity"`
			} `json:"instances"`
		} `json:"resources"`
	}
	readJSON(t, statePath, &refreshed)
	if len(refreshed.Resources) != len(want) {
		t.Fatalf("%d resources in state after the refresh, want %d", len(refreshed.Resources), len(want))
	}
	for _, r := range refreshed.Resources {
		if got := r.Instances[0].Identity; !maps.Equal(got, want[r.Type]) {
			t.Errorf("%s: identity after the refresh %v, want %v", r.Type, got, want[r.Type])
		}
	}
	c.output.Reset()
	c.run(t, "plan", "-input=false", "-no-color", "-detailed-exitcode")
	if !strings.Contains(c.output.String(), "No changes.") {
		t.Errorf("the plan after the refresh is not empty:\n%s", c.output.String())
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func mustJSON(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
