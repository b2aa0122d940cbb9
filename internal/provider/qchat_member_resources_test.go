package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/nimtf/terraform-provider-nim/internal/client"
	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

func (e *simEnv) serverMember(serverID, accid string) (nimsim.QChatServerMember, bool) {
	for _, m := range e.sim.Objects().QChatServerMembers {
		if itoa(m.ServerID) == serverID && m.Accid == accid {
			return m, true
		}
	}
	return nimsim.QChatServerMember{}, false
}

const memberAddr = "nim_qchat_server_member.alice"

func TestQChatServerMemberResource(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	var before requestMark
	cfg := func(attrs string) string {
		return env.config(guild + fmt.Sprintf(`
resource "nim_qchat_server_member" "alice" {
  server_id = nim_qchat_server.guild.id
  accid     = "alice"
%s
}
`, attrs))
	}
	serverID := func(s *terraform.State) string { id, _ := stateAttr(s, "nim_qchat_server.guild", "id"); return id }
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             env.checkNoQChatObjects,
		Steps: []resource.TestStep{
			{ // the server wants invitations accepted: the provider accepts for alice
				Config: cfg(`  nick = "Al"
  custom = "{\"team\":\"red\"}"`),
				Check: func(s *terraform.State) error {
					m, ok := env.serverMember(serverID(s), "alice")
					if !ok || m.Nick != "Al" || m.Custom != `{"team":"red"}` {
						return fmt.Errorf("alice is not a member with her profile: %+v (member=%v)", m, ok)
					}
					if n := len(env.sim.Objects().QChatInvites); n != 0 {
						return fmt.Errorf("%d invitations left pending", n)
					}
					if len(env.requests("qchat/acceptServerInvite")) != 1 {
						return fmt.Errorf("the invitation was not accepted exactly once")
					}
					return nil
				},
			},
			{ // nick and avatar go through updateOtherServerMember, custom through updateServerMember
				PreConfig: func() { before = env.mark("qchat/updateOtherServerMember", "qchat/updateServerMember") },
				Config: cfg(`  nick   = "Alice"
  avatar = "https://cdn.example.com/alice.png"
  custom = "{\"team\":\"blue\"}"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changes(memberAddr, map[string][2]any{
						"nick": {"Al", "Alice"}, "avatar": {"", "https://cdn.example.com/alice.png"},
						"custom": {`{"team":"red"}`, `{"team":"blue"}`},
					}),
				}},
				Check: func(s *terraform.State) error {
					other, self := env.sentSince(before, "qchat/updateOtherServerMember"), env.sentSince(before, "qchat/updateServerMember")
					if len(other) != 1 || other[0].Get("otherAccid") != "alice" || other[0].Get("accid") != "boss" || other[0].Has("custom") {
						return fmt.Errorf("updateOtherServerMember calls: %v", other)
					}
					if len(self) != 1 || self[0].Get("accid") != "alice" || self[0].Get("custom") != `{"team":"blue"}` || self[0].Has("nick") {
						return fmt.Errorf("updateServerMember calls: %v", self)
					}
					m, _ := env.serverMember(serverID(s), "alice")
					if m.Nick != "Alice" || m.Avatar != "https://cdn.example.com/alice.png" || m.Custom != `{"team":"blue"}` {
						return fmt.Errorf("profile not updated: %+v", m)
					}
					return nil
				},
			},
			{ResourceName: memberAddr, ImportState: true, ImportStateVerify: true},
			{Config: cfg(`  nick   = "Alice"
  avatar = "https://cdn.example.com/alice.png"
  custom = "{\"team\":\"blue\"}"`), PlanOnly: true},
			{ // drift in the profile
				PreConfig: env.outOfBand(t, "rename alice", func(ctx context.Context, c *client.Client) error {
					_, err := c.QChat.UpdateServerMember(ctx, &client.UpdateServerMemberRequest{
						ServerID: mustParse(env.mustStateServerID()), Accid: "alice", Nick: ptr("ally"),
					})
					return err
				}),
				Config: cfg(`  nick   = "Alice"
  avatar = "https://cdn.example.com/alice.png"
  custom = "{\"team\":\"blue\"}"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changes(memberAddr, map[string][2]any{"nick": {"ally", "Alice"}}),
				}},
			},
			{ // kicked behind Terraform's back: invited again
				PreConfig: env.outOfBand(t, "kick alice", func(ctx context.Context, c *client.Client) error {
					return c.QChat.KickServerMember(ctx, mustParse(env.mustStateServerID()), "boss", []string{"alice"})
				}),
				Config: cfg(`  nick   = "Alice"
  avatar = "https://cdn.example.com/alice.png"
  custom = "{\"team\":\"blue\"}"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(memberAddr, plancheck.ResourceActionCreate),
				}},
				Check: func(s *terraform.State) error {
					if m, ok := env.serverMember(serverID(s), "alice"); !ok || m.Nick != "Alice" {
						return fmt.Errorf("alice was not added back: %+v", m)
					}
					return nil
				},
			},
			{ // destroy kicks
				Config: env.config(guild),
				Check: func(s *terraform.State) error {
					if _, ok := env.serverMember(serverID(s), "alice"); ok {
						return fmt.Errorf("alice is still a member after destroy")
					}
					return nil
				},
			},
		},
	})
}

// roleMembership is a server with members, a role and the role given to alice.
func roleMembership(env *simEnv, who string) string {
	return env.config(guild + fmt.Sprintf(`
resource "nim_qchat_server_member" "alice" {
  server_id = nim_qchat_server.guild.id
  accid     = "alice"
}

resource "nim_qchat_role" "mods" {
  server_id = nim_qchat_server.guild.id
  name      = "mods"
}

resource "nim_qchat_role_member" "test" {
  server_id = nim_qchat_server.guild.id
  role_id   = nim_qchat_role.mods.id
  accid     = %s
}
`, who))
}

func TestQChatRoleMemberResource(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	holds := func(accid string) bool {
		return slices.ContainsFunc(env.sim.Objects().QChatRoleMembers, func(m nimsim.QChatRoleMember) bool { return m.Accid == accid })
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             env.checkNoQChatObjects,
		Steps: []resource.TestStep{
			{
				Config: roleMembership(env, "nim_qchat_server_member.alice.accid"),
				Check: func(*terraform.State) error {
					if !holds("alice") {
						return fmt.Errorf("alice does not hold the role")
					}
					return nil
				},
			},
			{ResourceName: "nim_qchat_role_member.test", ImportState: true, ImportStateVerify: true},
			{Config: roleMembership(env, "nim_qchat_server_member.alice.accid"), PlanOnly: true},
			{ // removed behind Terraform's back: given again
				PreConfig: func() {
					var roleID int64
					for _, r := range env.sim.Objects().QChatServerRoles {
						if r.Name == "mods" {
							roleID = r.RoleID
						}
					}
					env.outOfBand(t, "take the role away", func(ctx context.Context, c *client.Client) error {
						_, err := c.QChat.RemoveRoleMembers(ctx, mustParse(env.mustStateServerID()), roleID, "boss", []string{"alice"})
						return err
					})()
				},
				Config: roleMembership(env, "nim_qchat_server_member.alice.accid"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("nim_qchat_role_member.test", plancheck.ResourceActionCreate),
				}},
				Check: func(*terraform.State) error {
					if !holds("alice") {
						return fmt.Errorf("alice did not get the role back")
					}
					return nil
				},
			},
			{ // an account NIM refuses (not a member) is an error naming it, not a silent success
				Config:      roleMembership(env, `"mallory"`),
				ExpectError: regexp.MustCompile(`(?s)accid.*NIM refused to give role \d+ of server \d+ to mallory`),
			},
			{ // destroy removes the membership
				Config: roleMembership(env, "nim_qchat_server_member.alice.accid"),
				Check: func(*terraform.State) error {
					if holds("mallory") {
						return fmt.Errorf("mallory holds the role")
					}
					return nil
				},
			},
		},
	})
}

const overrideAddr = "nim_qchat_channel_member_permissions.test"

func TestQChatChannelMemberPermissionsResource(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	var before requestMark
	cfg := func(perms string) string {
		return env.config(guild + fmt.Sprintf(`
resource "nim_qchat_channel" "news" {
  server_id = nim_qchat_server.guild.id
  name      = "news"
}

resource "nim_qchat_server_member" "alice" {
  server_id = nim_qchat_server.guild.id
  accid     = "alice"
}

resource "nim_qchat_channel_member_permissions" "test" {
  server_id  = nim_qchat_server.guild.id
  channel_id = nim_qchat_channel.news.id
  accid      = nim_qchat_server_member.alice.accid
  permissions {
%s
  }
}
`, perms))
	}
	override := func() (nimsim.QChatUserOverride, error) {
		o := env.sim.Objects().QChatUserOverrides
		if len(o) != 1 || o[0].Accid != "alice" {
			return nimsim.QChatUserOverride{}, fmt.Errorf("want one override for alice, got %+v", o)
		}
		return o[0], nil
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             env.checkNoQChatObjects,
		Steps: []resource.TestStep{
			{
				Config: cfg(`    send_message   = "deny"
    mention_member = "allow"`),
				Check: func(*terraform.State) error {
					o, err := override()
					if err != nil {
						return err
					}
					return expectAuths(o.Auths, map[int]int{4: -1, 11: 1, 12: 0})
				},
			},
			{
				PreConfig: func() { before = env.mark("qchat/updateUserIdentify") },
				Config: cfg(`    send_message   = "allow"
    mention_member = "allow"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					permissionChanges(overrideAddr, map[string][2]string{"send_message": {"deny", "allow"}}),
				}},
				Check: func(*terraform.State) error {
					sent := env.sentSince(before, "qchat/updateUserIdentify")
					if len(sent) != 1 || sent[0].Get("auths") != `{"4":1}` {
						return fmt.Errorf("want one update with auths {\"4\":1}, got %v", sent)
					}
					o, err := override()
					if err != nil {
						return err
					}
					return expectAuths(o.Auths, map[int]int{4: 1, 11: 1})
				},
			},
			{ResourceName: overrideAddr, ImportState: true, ImportStateVerify: true},
			{Config: cfg(`    send_message   = "allow"
    mention_member = "allow"`), PlanOnly: true},
			{ // managed drift
				PreConfig: env.outOfBand(t, "deny alice @member", func(ctx context.Context, c *client.Client) error {
					ch := env.sim.Objects().QChatChannels[0]
					_, err := c.QChat.UpdateMemberOverride(ctx, &client.UpdateMemberOverrideRequest{
						ServerID: ch.ServerID, ChannelID: ch.ChannelID, Operator: "boss", Accid: "alice", Auths: client.Permissions{11: -1},
					})
					return err
				}),
				Config: cfg(`    send_message   = "allow"
    mention_member = "allow"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					permissionChanges(overrideAddr, map[string][2]string{"mention_member": {"deny", "allow"}}),
				}},
			},
			{ // deleted behind Terraform's back: created again
				PreConfig: env.outOfBand(t, "delete the override", func(ctx context.Context, c *client.Client) error {
					ch := env.sim.Objects().QChatChannels[0]
					return c.QChat.DeleteMemberOverride(ctx, ch.ServerID, ch.ChannelID, "boss", "alice")
				}),
				Config: cfg(`    send_message   = "allow"
    mention_member = "allow"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(overrideAddr, plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}

const accessAddr = "nim_qchat_channel_access_list.test"

func TestQChatChannelAccessListResource(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	var before requestMark
	accounts := func(prefix string, n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("%s%03d", prefix, i)
		}
		return out
	}
	hcl := func(xs []string) string {
		if len(xs) == 0 {
			return "[]"
		}
		return `["` + strings.Join(xs, `", "`) + `"]`
	}
	cfg := func(visibility, kind, roles string, accids []string) string {
		return env.config(fmt.Sprintf(`
resource "nim_qchat_server" "guild" {
  owner                    = "boss"
  name                     = "Guild"
  invite_requires_approval = false
}

resource "nim_qchat_channel" "staff" {
  server_id  = nim_qchat_server.guild.id
  name       = "staff"
  visibility = %q
}

resource "nim_qchat_role" "mods" {
  server_id = nim_qchat_server.guild.id
  name      = "mods"
}

resource "nim_qchat_channel_access_list" "test" {
  server_id  = nim_qchat_server.guild.id
  channel_id = nim_qchat_channel.staff.id
  kind       = %q
  role_ids   = %s
  accids     = %s
}
`, visibility, kind, roles, hcl(accids)))
	}
	listed := func(typ int) (roles int, users []string) {
		o := env.sim.Objects()
		for _, r := range o.QChatWhiteBlackRoles {
			if r.Type == typ {
				roles++
			}
		}
		for _, u := range o.QChatWhiteBlackUsers {
			if u.Type == typ {
				users = append(users, u.Accid)
			}
		}
		slices.Sort(users)
		return roles, users
	}
	joinAll := func() {
		// 250 members, made outside Terraform, so that lists need batches.
		env.outOfBand(t, "invite members", func(ctx context.Context, c *client.Client) error {
			sid := mustParse(env.mustStateServerID())
			all := accounts("user", 250)
			for start := 0; start < len(all); start += 200 {
				if _, err := c.QChat.InviteServerMember(ctx, &client.InviteServerMemberRequest{
					ServerID: sid, Operator: "boss", Accids: all[start:min(start+200, len(all))],
				}); err != nil {
					return err
				}
			}
			return nil
		})()
	}
	three := accounts("user", 3)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             env.checkNoQChatObjects,
		Steps: []resource.TestStep{
			{ // the wrong list for the channel's visibility fails at apply, naming kind
				Config: env.config(`
resource "nim_qchat_server" "guild" {
  owner                    = "boss"
  name                     = "Guild"
  invite_requires_approval = false
}
`),
			},
			{
				PreConfig:   joinAll,
				Config:      cfg("private", "blocklist", "[]", nil),
				ExpectError: regexp.MustCompile(`(?s)Access list does not fit the channel.*is private.*kind\s+=\s+"allowlist"`),
			},
			{
				Config: cfg("private", "allowlist", "[nim_qchat_role.mods.id]", three[:2]),
				Check: func(*terraform.State) error {
					roles, users := listed(client.WhiteList)
					if roles != 1 || !slices.Equal(users, three[:2]) {
						return fmt.Errorf("allow list holds %d roles and %v", roles, users)
					}
					return nil
				},
			},
			{ // only the differences are sent
				PreConfig: func() {
					before = env.mark("qchat/updateWhiteBlackIdentifyUser", "qchat/updateWhiteBlackIdentify")
				},
				Config: cfg("private", "allowlist", "[nim_qchat_role.mods.id]", []string{three[0], three[2]}),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(accessAddr, plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					sent := env.sentSince(before, "qchat/updateWhiteBlackIdentifyUser")
					if len(sent) != 2 || sent[0].Get("opeType") != "2" || sent[0].Get("toAccids") != `["user001"]` ||
						sent[1].Get("opeType") != "1" || sent[1].Get("toAccids") != `["user002"]` {
						return fmt.Errorf("unexpected list updates: %v", sent)
					}
					if n := len(env.sentSince(before, "qchat/updateWhiteBlackIdentify")); n != 0 {
						return fmt.Errorf("%d role updates for an unchanged role set", n)
					}
					return nil
				},
			},
			{ResourceName: accessAddr, ImportState: true, ImportStateVerify: true},
			{Config: cfg("private", "allowlist", "[nim_qchat_role.mods.id]", []string{three[0], three[2]}), PlanOnly: true},
			{ // an entry added outside Terraform is drift, removed on apply
				PreConfig: env.outOfBand(t, "allow user100", func(ctx context.Context, c *client.Client) error {
					ch := env.sim.Objects().QChatChannels[0]
					return c.QChat.UpdateWhiteBlackUsers(ctx, client.WhiteBlackListRef{
						ServerID: ch.ServerID, ChannelID: ch.ChannelID, Operator: "boss", Type: client.WhiteList,
					}, client.OpeAdd, []string{"user100"})
				}),
				Config: cfg("private", "allowlist", "[nim_qchat_role.mods.id]", []string{three[0], three[2]}),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(accessAddr, plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					if _, users := listed(client.WhiteList); slices.Contains(users, "user100") {
						return fmt.Errorf("user100 is still allowed")
					}
					return nil
				},
			},
			{ // 250 accounts go out in batches of at most 100
				PreConfig: func() { before = env.mark("qchat/updateWhiteBlackIdentifyUser") },
				Config:    cfg("private", "allowlist", "[]", accounts("user", 250)),
				Check: func(*terraform.State) error {
					sent := env.sentSince(before, "qchat/updateWhiteBlackIdentifyUser")
					var sizes []int
					for _, f := range sent {
						var ids []string
						if err := json.Unmarshal([]byte(f.Get("toAccids")), &ids); err != nil {
							return err
						}
						sizes = append(sizes, len(ids))
					}
					if !slices.Equal(sizes, []int{100, 100, 48}) {
						return fmt.Errorf("batches of %v, want [100 100 48] (248 additions)", sizes)
					}
					if roles, users := listed(client.WhiteList); roles != 0 || len(users) != 250 {
						return fmt.Errorf("allow list holds %d roles and %d accounts", roles, len(users))
					}
					return nil
				},
			},
			{ // destroy empties the list
				Config: env.config(`
resource "nim_qchat_server" "guild" {
  owner                    = "boss"
  name                     = "Guild"
  invite_requires_approval = false
}
`),
				Check: func(*terraform.State) error {
					if roles, users := listed(client.WhiteList); roles != 0 || len(users) != 0 {
						return fmt.Errorf("destroy left %d roles and %d accounts", roles, len(users))
					}
					return nil
				},
			},
		},
	})
}
