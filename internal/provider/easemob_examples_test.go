package provider

import (
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
)

// exampleConfig is an example of examples/resources, as the docs show it,
// after the declarations of the objects it refers to.
func exampleConfig(t *testing.T, env *emEnv, file, declarations string) string {
	t.Helper()
	b, err := os.ReadFile("../../examples/resources/" + file)
	if err != nil {
		t.Fatal(err)
	}
	return env.config(declarations + "\n" + string(b))
}

const exampleLobby = `
resource "nim_easemob_chatroom" "lobby" {
  name        = "lobby"
  description = "the example's room"
  owner       = "founder"
}
`

// TestEasemobMuteExampleApplies: the mute page's example applies as written.
func TestEasemobMuteExampleApplies(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	cfg := exampleConfig(t, env, "nim_easemob_chatroom_mute/resource.tf", exampleLobby)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: env.checkRoom("nim_easemob_chatroom.lobby", func(r easemobsim.Room) error {
					var muted []string
					for _, m := range r.Mutes {
						muted = append(muted, m.User)
					}
					return expectUsers("mutes", muted, "noisy42", "troll99")
				}),
			},
			{Config: cfg, PlanOnly: true},
		},
	})
}

// TestEasemobAccessExamplesCompose: the member, admins, allow list, block
// list and mute examples, copied into one configuration, apply together
// and then plan nothing.
func TestEasemobAccessExamplesCompose(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	cfg := exampleLobby
	for _, typ := range []string{"member", "admins", "allow_list", "block_list", "mute"} {
		b, err := os.ReadFile("../../examples/resources/nim_easemob_chatroom_" + typ + "/resource.tf")
		if err != nil {
			t.Fatal(err)
		}
		cfg += "\n" + string(b)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{
				Config: env.config(cfg),
				Check: env.checkRoom("nim_easemob_chatroom.lobby", func(r easemobsim.Room) error {
					if err := expectUsers("admins", r.Admins, "ann", "bob"); err != nil {
						return err
					}
					if err := expectUsers("allow list", r.Allow, "host01"); err != nil {
						return err
					}
					return expectUsers("block list", r.Blocks, "flooder02", "spammer01")
				}),
			},
			{Config: env.config(cfg), PlanOnly: true},
		},
	})
}
