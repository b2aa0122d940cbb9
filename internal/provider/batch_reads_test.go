package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// batchEstate is 8 chatrooms and a QChat server with 4 channels, 3 roles and
// 4 channel roles (2 channels x 2 roles): 20 resources, each read once by a
// refresh.
const batchEstate = `
resource "nim_chatroom" "r" {
  count   = 8
  creator = "host"
  name    = "room ${count.index}"
}

resource "nim_qchat_server" "s" {
  owner = "owner"
  name  = "batch"
}

resource "nim_qchat_channel" "c" {
  count     = 4
  server_id = nim_qchat_server.s.id
  name      = "channel ${count.index}"
}

resource "nim_qchat_role" "r" {
  count     = 3
  server_id = nim_qchat_server.s.id
  name      = "role ${count.index}"
}

resource "nim_qchat_channel_role" "cr" {
  count          = 4
  server_id      = nim_qchat_server.s.id
  channel_id     = nim_qchat_channel.c[count.index % 2].id
  server_role_id = nim_qchat_role.r[floor(count.index / 2)].id
}
`

func (e *simEnv) batchConfig(batchReads string) string {
	attr := ""
	if batchReads != "" {
		attr = "  batch_reads = " + batchReads + "\n"
	}
	return fmt.Sprintf(`
provider "nim" {
  endpoint   = %q
  app_key    = %q
  app_secret = %q
%s}
%s`, e.endpoint, testAppKey, testAppSecret, attr, batchEstate)
}

// answerForms are the two forms of the answers' array- and object-valued
// fields that acceptance tests run in: the values the pages' examples show,
// and JSON strings holding them, as the vendor's SDKs read them.
var answerForms = []struct {
	name string
	cfg  nimsim.Config
}{
	{"values", nimsim.Config{}},
	{"json_strings", nimsim.Config{JSONStringAnswers: true}},
}

// statsCheck runs check on the simulator's request counts of the step's
// refresh plan (the counts are reset before the step).
type statsCheck struct {
	env   *simEnv
	check func(requests map[string]int64) error
}

func (c statsCheck) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if err := c.check(c.env.sim.Stats().Requests); err != nil {
		resp.Error = err
	}
}

// A refresh plan with batch_reads on (the default) reads through the batch
// endpoints and never one chatroom at a time; with batch_reads = false it makes
// one call per resource.
//
// It runs with the answers in both forms (arrays and objects as values, or
// as JSON strings holding them), and with getBatch entries that have only
// the fields of the page's example, which are then read with chatroom/get.
func TestBatchReadsRefresh(t *testing.T) {
	t.Parallel()
	for _, form := range answerForms {
		t.Run(form.name, func(t *testing.T) {
			t.Parallel()
			testBatchReadsRefresh(t, form.cfg)
		})
	}
	t.Run("getbatch_example_fields", func(t *testing.T) {
		t.Parallel()
		testBatchReadsRefresh(t, nimsim.Config{GetBatchExampleFields: true, JSONStringAnswers: true})
	})
}

func testBatchReadsRefresh(t *testing.T, cfg nimsim.Config) {
	env := newSimEnv(t, cfg)
	refresh := func(batchReads string, check func(map[string]int64) error) resource.TestStep {
		return resource.TestStep{
			PreConfig: env.sim.ResetStats,
			Config:    env.batchConfig(batchReads),
			PlanOnly:  true,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{statsCheck{env, check}},
			},
		}
	}
	gets := int64(0)
	if cfg.GetBatchExampleFields { // every entry lacks valid, creator and ionotify
		gets = 8
	}
	batched := map[string][2]int64{
		"chatroom/get":                  {gets, gets},
		"chatroom/getBatch":             {1, 8},
		"qchat/getServers":              {1, 1},
		"qchat/getChannels":             {1, 4},
		"qchat/getServerIdentifyPages":  {1, 3},
		"qchat/getChannelIdentifyPages": {2, 4},
	}
	single := map[string][2]int64{
		"chatroom/get":                  {8, 8},
		"chatroom/getBatch":             {0, 0},
		"qchat/getServers":              {1, 1},
		"qchat/getChannels":             {4, 4},
		"qchat/getServerIdentifyPages":  {3, 3},
		"qchat/getChannelIdentifyPages": {4, 4},
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{Config: env.batchConfig("")},
			refresh("", func(n map[string]int64) error {
				t.Logf("refresh with batch_reads unset: %v", n)
				return expectCalls(n, batched)
			}),
			refresh("false", func(n map[string]int64) error {
				t.Logf("refresh with batch_reads = false: %v", n)
				return expectCalls(n, single)
			}),
			refresh("true", func(n map[string]int64) error { return expectCalls(n, batched) }),
		},
	})
}

// expectCalls checks that every endpoint of want was called between its
// bounds, and that nothing else was.
func expectCalls(got map[string]int64, want map[string][2]int64) error {
	var problems []string
	for ep, b := range want {
		if n := got[ep]; n < b[0] || n > b[1] {
			problems = append(problems, fmt.Sprintf("%s: %d calls, want %d..%d", ep, n, b[0], b[1]))
		}
	}
	for ep, n := range got {
		if _, ok := want[ep]; !ok && n > 0 {
			problems = append(problems, fmt.Sprintf("%s: %d unexpected calls", ep, n))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("API calls of the refresh: %s (all: %v)", strings.Join(problems, "; "), got)
	}
	return nil
}
