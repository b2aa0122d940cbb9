package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/nimtf/terraform-provider-nim/internal/client"
	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
)

// existingApp is an application made outside Terraform, as a team would
// bring it: what each list resource must find, and what it must not.
type existingApp struct {
	hostRooms  []int64 // open rooms created by host
	closedRoom int64   // created by host, then closed
	otherRoom  int64   // created by another account

	server      int64 // owned by boss
	rivalServer int64 // owned by rival; boss is only a member
	channels    []int64
	roles       []int64 // custom roles of server: mods, vips
	members     []string
	// roleMembers lists who holds which role of server.
	roleMembers map[int64][]string
}

func makeExistingApp(t *testing.T, c *client.Client) *existingApp {
	t.Helper()
	ctx := context.Background()
	app := &existingApp{roleMembers: map[int64][]string{}}
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("making the existing app: %s: %v", what, err)
		}
	}
	room := func(creator, name string) int64 {
		req := &client.CreateChatroomRequest{Creator: creator, Name: name, Announcement: ptr("Welcome to " + name)}
		if name == "Stage" { // closes itself when idle: generated configuration must not pin it open
			req.DelayClosePolicy, req.DelaySeconds = ptr(2), ptr(int64(3600))
		}
		r, err := c.Chatrooms.Create(ctx, req)
		must("create room "+name, err)
		return r.ID
	}
	app.hostRooms = []int64{room("host", "Lobby"), room("host", "Stage")}
	app.closedRoom = room("host", "Old hall")
	must("close a room", c.Chatrooms.SetOpen(ctx, app.closedRoom, "host", false))
	app.otherRoom = room("other", "Elsewhere")

	server := func(owner, name string) int64 {
		s, err := c.QChat.CreateServer(ctx, &client.CreateServerRequest{Owner: owner, Name: ptr(name), InviteMode: ptr(1)})
		must("create server "+name, err)
		return s.ID
	}
	app.server = server("boss", "Guild")
	app.rivalServer = server("rival", "Rivals")
	_, err := c.QChat.InviteServerMember(ctx, &client.InviteServerMemberRequest{ServerID: app.rivalServer, Operator: "rival", Accids: []string{"boss"}})
	must("invite boss to the rival server", err)

	for i, name := range []string{"general", "staff"} {
		ch, err := c.QChat.CreateChannel(ctx, &client.CreateChannelRequest{ServerID: app.server, Operator: "boss", Name: ptr(name), Topic: ptr("about " + name), ViewMode: ptr(i)})
		must("create channel "+name, err)
		app.channels = append(app.channels, ch.ID)
	}
	app.members = []string{"alice", "bob"}
	_, err = c.QChat.InviteServerMember(ctx, &client.InviteServerMemberRequest{ServerID: app.server, Operator: "boss", Accids: app.members})
	must("invite members", err)
	for _, name := range []string{"mods", "vips"} {
		r, err := c.QChat.CreateServerRole(ctx, &client.CreateServerRoleRequest{ServerID: app.server, Operator: "boss", Name: name, Ext: ptr(`{"n":"` + name + `"}`)})
		must("create role "+name, err)
		app.roles = append(app.roles, r.ID)
	}
	_, err = c.QChat.UpdateServerRole(ctx, &client.UpdateServerRoleRequest{ServerID: app.server, RoleID: app.roles[0], Operator: "boss", Auths: client.Permissions{7: 1}})
	must("set a permission", err)
	app.roleMembers[app.roles[0]] = []string{"alice", "bob"}
	app.roleMembers[app.roles[1]] = []string{"bob"}
	for role, accids := range app.roleMembers {
		_, err := c.QChat.AddRoleMembers(ctx, app.server, role, "boss", accids)
		must("give a role", err)
	}
	return app
}

// skipQueryBelow114 is the version check of every list resource test:
// Terraform has list resources from 1.14.
var skipQueryBelow114 = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}

// queryTest runs one `terraform query` through terraform-plugin-testing
// against an existing app: a first step gives the working directory its
// provider configuration, the second runs the query and its checks.
func queryTest(t *testing.T, env *simEnv, query string, checks ...querycheck.QueryResultCheck) {
	t.Helper()
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   skipQueryBelow114,
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{Config: env.config("")},
			{Query: true, Config: query, QueryResultChecks: checks},
		},
	})
}

// cliVersionAtLeast reports whether the Terraform CLI the tests run is of
// version least or newer.
func cliVersionAtLeast(t *testing.T, least string) bool {
	t.Helper()
	out, err := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), "version", "-json").Output()
	if err != nil {
		t.Fatalf("terraform version: %v", err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("terraform version -json: %v", err)
	}
	have, err := version.NewVersion(v.Version)
	if err != nil {
		t.Fatalf("terraform version %q: %v", v.Version, err)
	}
	return have.Core().GreaterThanOrEqual(version.Must(version.NewVersion(least)))
}

// TestListResourcesGenerateConfig brings an existing app under Terraform as
// the guide tells: `terraform query -generate-config-out` over every list
// resource writes resource and import blocks, the plan then only imports,
// and after the apply the plan is empty. It runs the real CLI with the
// provider binary, since terraform-plugin-testing cannot generate config
// from a query.
func TestListResourcesGenerateConfig(t *testing.T) {
	t.Parallel()
	if !cliVersionAtLeast(t, "1.14.0") {
		t.Skip("list resources need Terraform 1.14 or later")
	}
	c := newCLIEnv(t, testAppSecret, "")
	app := makeExistingApp(t, c.client)
	em := newEmEnv(t, easemobsim.Config{})
	c.env = append(c.env, EnvEasemobHost+"="+em.host, EnvEasemobOrgName+"="+testEasemobOrg,
		EnvEasemobAppName+"="+testEasemobApp, EnvEasemobClientID+"="+testEasemobClientID,
		EnvEasemobClientSecret+"="+testEasemobClientSecret)
	emRooms := makeEasemobRooms(t, em.client)
	query := fmt.Sprintf(`
list "nim_chatroom" "host" {
  provider = nim
  config {
    creator = "host"
  }
}

list "nim_qchat_server" "boss" {
  provider = nim
  config {
    owner = "boss"
  }
}

list "nim_qchat_channel" "guild" {
  provider = nim
  config {
    server_id = "%[1]d"
  }
}

list "nim_qchat_role" "guild" {
  provider = nim
  config {
    server_id = "%[1]d"
  }
}

list "nim_qchat_server_member" "guild" {
  provider = nim
  config {
    server_id = "%[1]d"
  }
}

list "nim_qchat_role_member" "guild" {
  provider = nim
  config {
    server_id = "%[1]d"
  }
}

list "nim_easemob_chatroom" "host" {
  provider = nim
  config {
    owner = "host"
  }
}
`, app.server)
	if err := os.WriteFile(filepath.Join(c.dir, "app.tfquery.hcl"), []byte(query), 0o600); err != nil {
		t.Fatal(err)
	}
	c.run(t, "init", "-input=false")
	c.run(t, "query", "-generate-config-out=generated.tf")
	gen, err := os.ReadFile(filepath.Join(c.dir, "generated.tf"))
	if err != nil {
		t.Fatalf("no generated configuration: %v\n%s", err, c.output.String())
	}
	generated := string(gen)
	t.Logf("generated configuration:\n%s", generated)

	// Every object the app holds, and nothing else, has an import block.
	want := map[string][]string{ // resource type -> the identity values each import names
		"nim_chatroom":            {`room_id = "` + itoa(app.hostRooms[0]) + `"`, `room_id = "` + itoa(app.hostRooms[1]) + `"`},
		"nim_qchat_server":        {`server_id = "` + itoa(app.server) + `"`},
		"nim_qchat_channel":       {`channel_id = "` + itoa(app.channels[0]) + `"`, `channel_id = "` + itoa(app.channels[1]) + `"`},
		"nim_qchat_role":          {`role_id   = "` + itoa(app.roles[0]) + `"`, `role_id   = "` + itoa(app.roles[1]) + `"`},
		"nim_qchat_server_member": {`accid     = "alice"`, `accid     = "bob"`},
		"nim_qchat_role_member":   {`accid     = "alice"`, `accid     = "bob"`, `accid     = "bob"`},
		"nim_easemob_chatroom":    {`room_id = "` + emRooms[0] + `"`, `room_id = "` + emRooms[1] + `"`},
	}
	total := 0
	for typ, identities := range want {
		total += len(identities)
		blocks := importBlocksOf(generated, typ)
		if len(blocks) != len(identities) {
			t.Errorf("%s: %d import blocks, want %d:\n%s", typ, len(blocks), len(identities), strings.Join(blocks, "\n"))
			continue
		}
		for _, id := range identities {
			if !containsAny(blocks, id) {
				t.Errorf("%s: no import block with %s:\n%s", typ, id, strings.Join(blocks, "\n"))
			}
		}
	}
	for _, absent := range []string{itoa(app.closedRoom), itoa(app.otherRoom), itoa(app.rivalServer), `"boss"`, `"` + emRooms[2] + `"`} {
		if strings.Contains(strings.Join(importBlocksOf(generated, ""), "\n"), absent) {
			t.Errorf("an import block names %s, which no list should find", absent)
		}
	}
	// A found room's open is left unset, so that the room with a delay-close
	// policy is not pinned open (which would reopen it after the policy
	// closes it).
	for _, b := range resourceBlocksOf(generated, "nim_chatroom") {
		if regexp.MustCompile(`\n\s*open\s*=`).MatchString(b) {
			t.Errorf("a generated nim_chatroom sets open:\n%s", b)
		}
		if strings.Contains(b, `"Stage"`) && !strings.Contains(b, "delay_close") {
			t.Errorf("the generated Stage room lacks its delay_close policy:\n%s", b)
		}
	}
	if t.Failed() {
		t.Fatalf("generated configuration:\n%s", generated)
	}

	// The generated configuration imports everything with no other change,
	// and touches nothing in NIM.
	writesBefore := c.writes()
	emWrites := func() int { return em.count("PUT", ".") + em.count("DELETE", ".") + em.count("POST", "/chatrooms") }
	emWritesBefore := emWrites()
	c.run(t, "plan", "-input=false", "-no-color", "-out=import.tfplan")
	if !strings.Contains(c.output.String(), fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", total)) {
		t.Fatalf("the plan does not only import %d objects:\n%s\ngenerated configuration:\n%s", total, c.output.String(), generated)
	}
	c.run(t, "apply", "-input=false", "import.tfplan")
	if w := c.writes(); w != writesBefore {
		t.Errorf("importing the generated configuration sent %d API writes", w-writesBefore)
	}
	if w := emWrites(); w != emWritesBefore {
		t.Errorf("importing the generated configuration sent %d Easemob writes", w-emWritesBefore)
	}
	c.output.Reset()
	c.run(t, "plan", "-input=false", "-no-color", "-detailed-exitcode")
	if !strings.Contains(c.output.String(), "No changes.") {
		t.Fatalf("after the import the plan is not empty:\n%s", c.output.String())
	}
}

// importBlocksOf returns the import blocks of generated configuration that
// import a resource of type typ (every import block when typ is empty).
func importBlocksOf(generated, typ string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`(?s)import \{.*?\n\}`).FindAllString(generated, -1) {
		if typ == "" || regexp.MustCompile(`to\s*=\s*`+regexp.QuoteMeta(typ)+`\.`).MatchString(m) {
			out = append(out, m)
		}
	}
	return out
}

// resourceBlocksOf returns the resource blocks of type typ in generated
// configuration.
func resourceBlocksOf(generated, typ string) []string {
	return regexp.MustCompile(`(?s)resource "`+regexp.QuoteMeta(typ)+`" "[^"]*" \{.*?\n\}`).FindAllString(generated, -1)
}

func containsAny(blocks []string, s string) bool {
	for _, b := range blocks {
		if strings.Contains(b, s) {
			return true
		}
	}
	return false
}

// writes counts the API requests that change something.
func (e *simEnv) writes() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, r := range e.sent {
		if !readEndpoint(r.endpoint) {
			n++
		}
	}
	return n
}

// readEndpoint tells the endpoints that only read.
func readEndpoint(endpoint string) bool {
	name := endpoint[strings.LastIndex(endpoint, "/")+1:]
	for _, prefix := range []string{"get", "query", "list", "batchGet", "membersByPage"} {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

// identity builds an exact identity from name, value pairs.
func identity(kv ...string) map[string]knownvalue.Check {
	m := map[string]knownvalue.Check{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = knownvalue.StringExact(kv[i+1])
	}
	return m
}

// expectFound checks that a list found the object with this identity, under
// this display name, and (when values is not nil) with these attributes.
func expectFound(addr string, id map[string]knownvalue.Check, displayName string, values map[string]knownvalue.Check) []querycheck.QueryResultCheck {
	checks := []querycheck.QueryResultCheck{
		querycheck.ExpectIdentity(addr, id),
		querycheck.ExpectResourceDisplayName(addr, queryfilter.ByResourceIdentity(id), knownvalue.StringExact(displayName)),
	}
	if values != nil {
		var kvs []querycheck.KnownValueCheck
		for attr, v := range values { // "a.b" is attribute a's key b
			steps := strings.Split(attr, ".")
			p := tfjsonpath.New(steps[0])
			for _, k := range steps[1:] {
				p = p.AtMapKey(k)
			}
			kvs = append(kvs, querycheck.KnownValueCheck{Path: p, KnownValue: v})
		}
		checks = append(checks, querycheck.ExpectResourceKnownValues(addr, queryfilter.ByResourceIdentity(id), kvs))
	}
	return checks
}

// listConfig is a list block with the given configuration.
func listConfig(typ, name, limit, config string) string {
	return fmt.Sprintf(`
list %q %q {
  provider         = nim
  include_resource = true
  %s
  config {
    %s
  }
}
`, typ, name, limit, config)
}
