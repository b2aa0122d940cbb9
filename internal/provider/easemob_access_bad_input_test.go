package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
)

// TestEasemobAccessBadInput: every bad value fails at plan time naming its
// attribute, and every bad import id is refused, with no API request.
func TestEasemobAccessBadInput(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	res := func(typ, body string) string {
		return fmt.Sprintf("resource %q \"x\" {\n%s\n}\n", typ, body)
	}
	badUser := `Attribute\s+usernames?(\[.*\])?\s+must\s+be\s+an\s+Easemob\s+user\s+id`
	cases := []struct{ name, config, err string }{
		{"member room id", res("nim_easemob_chatroom_member", `room_id = "Room 1"
username = "ann"`), `Attribute\s+room_id\s+must\s+be\s+an\s+Easemob\s+chatroom\s+id`},
		{"member upper case", res("nim_easemob_chatroom_member", `room_id = "300000000000001"
username = "Ann"`), badUser},
		{"member too long", res("nim_easemob_chatroom_member", `room_id = "300000000000001"
username = "`+strings.Repeat("a", 65)+`"`), badUser},
		{"member slash", res("nim_easemob_chatroom_member", `room_id = "300000000000001"
username = "a/b"`), badUser},
		{"admins over 99", res("nim_easemob_chatroom_admins", `room_id = "300000000000001"
usernames = `+hclList(users("u", 1, 100))), `usernames\s+set\s+must\s+contain\s+at\s+most\s+99\s+elements`},
		{"admins upper case", res("nim_easemob_chatroom_admins", `room_id = "300000000000001"
usernames = ["ann", "Bob"]`), badUser},
		{"block list comma", res("nim_easemob_chatroom_block_list", `room_id = "300000000000001"
usernames = ["a,b"]`), badUser},
		{"allow list empty room", res("nim_easemob_chatroom_allow_list", `room_id = ""
usernames = []`), `Attribute\s+room_id\s+must\s+be\s+an\s+Easemob\s+chatroom\s+id`},
		{"mute zero", res("nim_easemob_chatroom_mute", `room_id = "300000000000001"
username = "ann"
duration_ms = 0`), `duration_ms\s+must\s+be\s+-1\s+\(until\s+removed\)\s+or\s+a\s+positive\s+number\s+of\s+milliseconds,\s+got\s+0`},
		{"mute below -1", res("nim_easemob_chatroom_mute", `room_id = "300000000000001"
username = "ann"
duration_ms = -2`), `duration_ms\s+must\s+be.*got\s+-2\s+\(no\s+negative\s+duration\s+but\s+-1\)`},
		{"super admin", res("nim_easemob_super_admin", `username = "Bad Name"`), `Attribute\s+username\s+must\s+be`},
		{"members data source", `data "nim_easemob_chatroom_members" "x" {
  room_id = "../1"
}`, `Attribute\s+room_id\s+must\s+be\s+an\s+Easemob\s+chatroom\s+id`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps: []resource.TestStep{{
					Config:      env.config(tc.config),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`(?s)` + tc.err),
				}},
			})
		})
	}
	imports := []struct{ name, typ, body, id, err string }{
		{"member without user", "nim_easemob_chatroom_member", `room_id = "300000000000001"
username = "ann"`, "300000000000001", `<room_id>/<username>`},
		{"mute bad room", "nim_easemob_chatroom_mute", `room_id = "300000000000001"
username = "ann"`, "Room!/ann", `room\s+id\s+"Room!"\s+is\s+not`},
		{"admins bad room", "nim_easemob_chatroom_admins", `room_id = "300000000000001"
usernames = []`, "300000000000001/ann", `by\s+the\s+room\s+id`},
		{"block list bad room", "nim_easemob_chatroom_block_list", `room_id = "300000000000001"
usernames = []`, "bad id!", `by\s+the\s+room\s+id`},
		{"super admin", "nim_easemob_super_admin", `username = "ann"`, "Ann", `Import\s+a\s+super\s+admin\s+by\s+the\s+username`},
	}
	for _, tc := range imports {
		t.Run("import "+tc.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps: []resource.TestStep{{
					Config:        env.config(res(tc.typ, tc.body)),
					ResourceName:  tc.typ + ".x",
					ImportState:   true,
					ImportStateId: tc.id,
					ExpectError:   regexp.MustCompile(`(?s)` + tc.err),
				}},
			})
		})
	}
	if st := env.sim.Stats(); st.Total != 0 {
		t.Errorf("expected no API request, the simulator counted %d: %v", st.Total, st.Requests)
	}
}
