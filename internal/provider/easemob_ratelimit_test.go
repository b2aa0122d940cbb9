package provider

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
)

// TestEasemobRateLimitedApply applies several rooms against a simulator
// whose rate limit is far below the provider's ceiling: the simulator
// answers 429 reach_limit (creating at 2/s, everything else at 4/s), the
// client halves its rate and waits the refusals out, and with max_retries
// at 0 the apply still succeeds, because refusals are not retries. Exactly
// the rooms asked for exist (a refused create was not applied, so resending
// it makes no duplicate), and the next plan is empty.
func TestEasemobRateLimitedApply(t *testing.T) {
	t.Parallel()
	const rooms = 8
	env := newEmEnv(t, easemobsim.Config{RateLimit: 4})
	config := fmt.Sprintf(`
provider "nim" {
  max_retries         = 0
  request_timeout     = "10s"
  requests_per_second = 20
%s
}

resource "nim_easemob_chatroom" "room" {
  count       = %d
  name        = "Room ${count.index}"
  description = "Room number ${count.index}"
  owner       = "alice"
}
`, env.block(), rooms)

	checkRooms := func(*terraform.State) error {
		var names []string
		for _, r := range env.rooms() {
			names = append(names, r.Name)
		}
		sort.Strings(names)
		var want []string
		for i := 0; i < rooms; i++ {
			want = append(want, fmt.Sprintf("Room %d", i))
		}
		sort.Strings(want)
		if strings.Join(names, ",") != strings.Join(want, ",") {
			return fmt.Errorf("simulator rooms %q, want exactly %q", names, want)
		}
		if n := env.sim.Stats().RateLimited; n == 0 {
			return fmt.Errorf("the simulator refused no request: the test did not reach the rate limit")
		} else {
			t.Logf("the simulator answered 429 reach_limit %d times; %d creates sent for %d rooms",
				n, env.count("POST", `^/chatrooms$`), rooms)
		}
		if got := env.count("POST", `^/chatrooms$`); got <= rooms {
			return fmt.Errorf("%d create requests for %d rooms: no create was refused and resent", got, rooms)
		}
		return nil
	}

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             env.checkNoRooms,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check:  checkRooms,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{ // a plan of its own, against the rate-limited simulator too
				Config:   config,
				PlanOnly: true,
			},
		},
	})
}
