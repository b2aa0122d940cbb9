package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// existingCase is a resource whose create could land on an object that is
// already there.
type existingCase struct {
	name     string
	typ      string
	parents  string // the objects it needs
	body     string // its attributes, for one object
	creates  []string
	importID string // an HCL expression of its import id, "" when not known in configuration
	idShape  string // a pattern of the import id the error names
}

const existingGuild = `
resource "nim_qchat_server" "guild" {
  owner                    = "boss"
  name                     = "Guild"
  invite_requires_approval = false
}
resource "nim_qchat_channel" "news" {
  server_id  = nim_qchat_server.guild.id
  name       = "news"
  visibility = "private"
}
resource "nim_qchat_role" "mods" {
  server_id = nim_qchat_server.guild.id
  name      = "mods"
}
`

var existingCases = []existingCase{
	{
		name: "server_member", typ: "nim_qchat_server_member", parents: existingGuild,
		body:     "server_id = nim_qchat_server.guild.id\n  accid = \"alice\"",
		creates:  []string{"qchat/inviteServerMember", "qchat/acceptServerInvite"},
		importID: `"${nim_qchat_server.guild.id}/alice"`, idShape: `\d+/alice`,
	},
	{
		name: "role_member", typ: "nim_qchat_role_member", parents: existingGuild + `
resource "nim_qchat_server_member" "alice" {
  server_id = nim_qchat_server.guild.id
  accid     = "alice"
}`,
		body:     "server_id = nim_qchat_server.guild.id\n  role_id = nim_qchat_role.mods.id\n  accid = nim_qchat_server_member.alice.accid",
		creates:  []string{"qchat/addServerIdentifyMember"},
		importID: `"${nim_qchat_server.guild.id}/${nim_qchat_role.mods.id}/alice"`, idShape: `\d+/\d+/alice`,
	},
	{
		name: "channel_role", typ: "nim_qchat_channel_role", parents: existingGuild,
		body:    "server_id = nim_qchat_server.guild.id\n  channel_id = nim_qchat_channel.news.id\n  server_role_id = nim_qchat_role.mods.id",
		creates: []string{"qchat/createChannelIdentify"},
		idShape: `\d+/\d+/\d+`,
	},
	{
		name: "channel_member_permissions", typ: "nim_qchat_channel_member_permissions", parents: existingGuild + `
resource "nim_qchat_server_member" "alice" {
  server_id = nim_qchat_server.guild.id
  accid     = "alice"
}`,
		body:     "server_id = nim_qchat_server.guild.id\n  channel_id = nim_qchat_channel.news.id\n  accid = nim_qchat_server_member.alice.accid\n  permissions {\n    send_message = \"deny\"\n  }",
		creates:  []string{"qchat/createUserIdentify"},
		importID: `"${nim_qchat_server.guild.id}/${nim_qchat_channel.news.id}/alice"`, idShape: `\d+/\d+/alice`,
	},
	{
		name: "channel_access_list", typ: "nim_qchat_channel_access_list", parents: existingGuild,
		body:     "server_id = nim_qchat_server.guild.id\n  channel_id = nim_qchat_channel.news.id\n  kind = \"allowlist\"\n  role_ids = [nim_qchat_role.mods.id]",
		creates:  []string{"qchat/updateWhiteBlackIdentify", "qchat/updateWhiteBlackIdentifyUser"},
		importID: `"${nim_qchat_server.guild.id}/${nim_qchat_channel.news.id}/allowlist"`, idShape: `\d+/\d+/allowlist`,
	},
	{
		name: "chatroom_member", typ: "nim_chatroom_member", parents: `
resource "nim_chatroom" "room" {
  creator = "host"
  name    = "Town hall"
}`,
		body:     "room_id = nim_chatroom.room.id\n  accid = \"alice\"\n  role = \"manager\"",
		creates:  []string{"chatroom/setMemberRole"},
		importID: `"${nim_chatroom.room.id}/alice"`, idShape: `\d+/alice`,
	},
}

func (c existingCase) resource(label string) string {
	return fmt.Sprintf("\nresource %q %q {\n  %s\n}\n", c.typ, label, c.body)
}

// existsError matches the error of a create that found its object there:
// it names the import command with the id, and moved blocks.
func (c existingCase) existsError() *regexp.Regexp {
	return regexp.MustCompile(`(?s)already exists.*terraform import ADDRESS\s+` + c.idShape + `.*moved\s+block`)
}

func (e *simEnv) noRequestsSince(m requestMark, endpoints ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, ep := range endpoints {
			if n := len(e.sentSince(m, ep)); n != 0 {
				return fmt.Errorf("%d %s requests were sent", n, ep)
			}
		}
		return nil
	}
}

// An object made outside this resource (here by another resource, which is
// then forgotten with a removed block) is never taken over: the create
// fails before any create call, naming the import command and id; importing
// it as told then plans no change.
func TestCreateNeverTakesOverAnExistingObject(t *testing.T) {
	t.Parallel()
	for _, c := range existingCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			env := newSimEnv(t, nimsim.Config{})
			var before requestMark
			forget := fmt.Sprintf("\nremoved {\n  from = %s.old\n  lifecycle {\n    destroy = false\n  }\n}\n", c.typ)
			steps := []resource.TestStep{
				{Config: env.config(c.parents + c.resource("old"))},
				{
					PreConfig:   func() { before = env.mark(c.creates...) },
					Config:      env.config(c.parents + forget + c.resource("new")),
					ExpectError: c.existsError(),
				},
				{ // the failed create sent nothing
					Config:   env.config(c.parents + c.resource("new")),
					PlanOnly: true, ExpectNonEmptyPlan: true,
					Check: env.noRequestsSince(before, c.creates...),
				},
			}
			if c.importID != "" {
				steps = append(steps, resource.TestStep{ // the import the error proposes
					Config: env.config(c.parents + c.resource("new") +
						fmt.Sprintf("\nimport {\n  to = %s.new\n  id = %s\n}\n", c.typ, c.importID)),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(c.typ+".new", plancheck.ResourceActionNoop)},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
				})
			}
			resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: testProviders, Steps: steps})
		})
	}
}

// Two resources of one configuration for the same object: one creates it,
// the other fails, even though Terraform creates them at the same time.
func TestCreateTwoResourcesForOneObject(t *testing.T) {
	t.Parallel()
	for _, c := range existingCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			env := newSimEnv(t, nimsim.Config{})
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps: []resource.TestStep{
					{Config: env.config(c.parents)},
					{
						Config:      env.config(c.parents + c.resource("one") + c.resource("two")),
						ExpectError: c.existsError(),
					},
				},
			})
		})
	}
}

// The server member case as reported: nick "Frank" and "Franky" for one
// account used to flip-flop on every plan.
func TestQChatServerMemberTwoNicks(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	member := func(label, nick string) string {
		return fmt.Sprintf(`
resource "nim_qchat_server_member" %q {
  server_id = nim_qchat_server.guild.id
  accid     = "frank"
  nick      = %q
}
`, label, nick)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:      env.config(existingGuild + member("a", "Frank") + member("b", "Franky")),
			ExpectError: regexp.MustCompile(`(?s)Account frank as a member of server \d+ already exists.*terraform import ADDRESS\s+\d+/frank`),
			Check: func(*terraform.State) error {
				if n := len(env.requests("qchat/inviteServerMember")); n != 1 {
					return fmt.Errorf("%d invitations sent, want 1", n)
				}
				return nil
			},
		}},
	})
	if n := len(env.requests("qchat/inviteServerMember")); n != 1 {
		t.Errorf("%d invitations sent, want 1", n)
	}
}

// Renaming a resource without a moved block (new -> new2 and back, one
// operation at a time) never ends with the object removed by an apply that
// reported success: either the create fails, naming moved blocks, or the
// old object is destroyed first and the new one made again. After each
// successful apply the object exists and the plan is empty.
func TestRenameWithoutMovedBlock(t *testing.T) {
	t.Parallel()
	for _, c := range existingCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			cli := newCLIEnv(t, "rename-secret-"+c.name, c.parents+c.resource("new"))
			cli.run(t, "apply", "-auto-approve", "-input=false", "-parallelism=1")
			for _, label := range []string{"new2", "new"} {
				writeMain(t, cli, c.parents+c.resource(label))
				for attempt := 1; ; attempt++ {
					cli.output.Reset()
					err := cli.command(t.Context(), "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=1").Run()
					out := cli.output.String()
					if err != nil {
						if !c.existsError().MatchString(out) || attempt > 1 {
							t.Fatalf("apply (%s, attempt %d) failed: %v\n%s", label, attempt, err, out)
						}
						continue // the old one is gone now; the next apply makes the new one
					}
					break
				}
				cli.output.Reset()
				err := cli.command(t.Context(), "plan", "-detailed-exitcode", "-input=false", "-no-color").Run()
				if err != nil {
					t.Fatalf("after renaming to %s the plan is not empty (%v):\n%s", label, err, cli.output.String())
				}
			}
		})
	}
}

func writeMain(t *testing.T, cli *cliEnv, config string) {
	t.Helper()
	main := "terraform {\n  required_providers {\n    nim = { source = \"nimtf/nim\" }\n  }\n}\n" + config
	if err := os.WriteFile(filepath.Join(cli.dir, "main.tf"), []byte(main), 0o600); err != nil {
		t.Fatal(err)
	}
}

// A blocked account's role is hidden by NIM, so the import id the error
// gives names the configured role, and that id imports with nothing to
// change.
func TestChatroomMemberExistsBlocked(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	room := `
resource "nim_chatroom" "room" {
  creator = "host"
  name    = "Town hall"
}
`
	member := func(label string) string {
		return fmt.Sprintf(`
resource "nim_chatroom_member" %q {
  room_id = nim_chatroom.room.id
  accid   = "troll99"
  blocked = true
}
`, label)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{Config: env.config(room + member("a"))},
			{
				Config:      env.config(room + member("a") + member("b")),
				ExpectError: regexp.MustCompile(`(?s)role hidden by NIM.*terraform import ADDRESS\s+\d+/troll99/none`),
			},
			{
				Config: env.config(room + member("b") + `
removed {
  from = nim_chatroom_member.a
  lifecycle {
    destroy = false
  }
}
import {
  to = nim_chatroom_member.b
  id = "${nim_chatroom.room.id}/troll99/none"
}
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("nim_chatroom_member.b", plancheck.ResourceActionNoop),
				}},
			},
		},
	})
}
