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

// Bad input fails at plan time (or import), before any API request.
func TestQChatChannelAccessListResource_badInput(t *testing.T) {
	t.Parallel()
	testBadInput(t, []badInput{
		{"access list bad kind", `resource "nim_qchat_channel_access_list" "l" {
  server_id  = "1"
  channel_id = "2"
  kind       = "greylist"
}`, `Attribute kind value must be one of`},
		{"access list role id not numeric", `resource "nim_qchat_channel_access_list" "l" {
  server_id  = "1"
  channel_id = "2"
  kind       = "allowlist"
  role_ids   = ["mods"]
}`, `(?s)Invalid id.*role_ids.*must be a positive integer`},
		{"access list accid too long", `resource "nim_qchat_channel_access_list" "l" {
  server_id  = "1"
  channel_id = "2"
  kind       = "blocklist"
  accids     = ["` + longString(33) + `"]
}`, `(?s)accids.*must be between 1 and 32`},
		{"access list too many roles", `resource "nim_qchat_channel_access_list" "l" {
  server_id  = "1"
  channel_id = "2"
  kind       = "allowlist"
  role_ids   = [` + strings.TrimSuffix(numbers(21), ",") + `]
}`, `Attribute role_ids set must contain at most 20 elements`},
	}, []badImport{
		{"access list with a bad kind", `resource "nim_qchat_channel_access_list" "x" {
  server_id  = "1"
  channel_id = "2"
  kind       = "allowlist"
}`, "1/2/greylist", `(?s)Invalid import id.*kind must be\s+allowlist or blocklist`},
	})
}
