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
