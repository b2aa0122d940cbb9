package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// A create whose answer is lost must neither duplicate the object (when it
// was applied) nor lose it (when it was not): the provider looks it up
// before sending the create again.
func TestCreateAfterLostAnswer(t *testing.T) {
	t.Parallel()
	config := `
resource "nim_chatroom" "lobby" {
  creator = "host"
  name    = "Lobby"
}

resource "nim_chatroom" "decoy" { # same creator and name, made before: never adopted
  creator = "host"
  name    = "Lobby"
}

resource "nim_qchat_server" "guild" {
  owner = "boss"
  name  = "Guild"
}

resource "nim_qchat_channel" "general" {
  server_id = nim_qchat_server.guild.id
  name      = "general"
}

resource "nim_qchat_role" "mods" {
  server_id = nim_qchat_server.guild.id
  name      = "mods"
}

resource "nim_qchat_channel_role" "mods_general" {
  server_id      = nim_qchat_server.guild.id
  channel_id     = nim_qchat_channel.general.id
  server_role_id = nim_qchat_role.mods.id
}
`
	creates := []string{"chatroom/create", "qchat/createServer", "qchat/createChannel",
		"qchat/createServerIdentify", "qchat/createChannelIdentify"}
	for _, drop := range []struct {
		name string
		kind int
	}{{"applied", dropAfter}, {"not applied", dropBefore}} {
		t.Run(drop.name, func(t *testing.T) {
			t.Parallel()
			env := newSimEnv(t, nimsim.Config{})
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps: []resource.TestStep{
					{Config: env.config(`
resource "nim_chatroom" "decoy" {
  creator = "host"
  name    = "Lobby"
}
`)},
					{
						PreConfig: func() {
							for _, ep := range creates {
								env.failOnce(ep, drop.kind)
							}
						},
						Config: env.config(config),
						Check: func(*terraform.State) error {
							o := env.sim.Objects()
							custom := 0
							for _, r := range o.QChatServerRoles {
								if r.Type == 2 {
									custom++
								}
							}
							got := fmt.Sprint(len(o.Chatrooms), len(o.QChatServers), len(o.QChatChannels), custom, len(o.QChatChannelRoles))
							if got != "2 1 1 1 1" {
								return fmt.Errorf("rooms, servers, channels, roles, channel roles = %s, want 2 1 1 1 1", got)
							}
							for _, ep := range creates {
								if n := len(env.requests(ep)); ep != "chatroom/create" && n != map[int]int{dropAfter: 1, dropBefore: 2}[drop.kind] {
									return fmt.Errorf("%d %s requests", n, ep)
								}
							}
							return nil
						},
					},
					{Config: env.config(config), PlanOnly: true},
				},
			})
		})
	}
}
