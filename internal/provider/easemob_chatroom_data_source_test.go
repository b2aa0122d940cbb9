package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
)

func TestEasemobChatroomDataSource(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	cfg := env.config(emRoomConfig(`
  name         = "Lobby"
  description  = "The lobby"
  owner        = "alice"
  max_users    = 30
  custom       = "k=v"
  announcement = "Hello"
  mute_all     = true
`) + `
data "nim_easemob_chatroom" "read" {
  id = nim_easemob_chatroom.test.id
}
`)
	const ds = "data.nim_easemob_chatroom.read"
	same := func(attr string) statecheck.StateCheck {
		return statecheck.CompareValuePairs(emRoomAddr, tfjsonpath.New(attr), ds, tfjsonpath.New(attr), compare.ValuesSame())
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             env.checkNoRooms,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					same("id"), same("name"), same("description"), same("max_users"), same("owner"),
					same("custom"), same("announcement"), same("mute_all"), same("created_at"),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("announcement"), knownvalue.StringExact("Hello")),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("mute_all"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("max_users"), knownvalue.Int64Exact(30)),
				},
			},
			{ // a room that does not exist is an error naming id
				Config:      env.config(`data "nim_easemob_chatroom" "read" { id = "399999999999999" }`),
				ExpectError: regexp.MustCompile(`(?s)Easemob chatroom not found.*399999999999999`),
			},
		},
	})
}
