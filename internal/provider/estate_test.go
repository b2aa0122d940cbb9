package provider

import (
	"fmt"
	"os"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// demoConfig is examples/demo without its terraform and provider blocks, so
// the estate that `make demo` applies is the one this test proves.
func demoConfig(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../examples/demo/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	s := regexp.MustCompile(`(?s)terraform \{.*?\n\}\n`).ReplaceAllString(string(b), "")
	return regexp.MustCompile(`provider "nim" \{\}\n`).ReplaceAllString(s, "")
}

func TestEstate(t *testing.T) {
	t.Parallel()
	for _, form := range answerForms {
		t.Run(form.name, func(t *testing.T) {
			t.Parallel()
			testEstate(t, form.cfg)
		})
	}
}

func testEstate(t *testing.T, cfg nimsim.Config) {
	env := newSimEnv(t, cfg)
	config := env.config(demoConfig(t))
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy: func(s *terraform.State) error {
			if err := env.checkNoQChatObjects(s); err != nil {
				return err
			}
			return env.checkAllRoomsClosed(s)
		},
		Steps: []resource.TestStep{
			{Config: config, Check: env.checkEstate},
			{Config: config, PlanOnly: true},
		},
	})
}

func (e *simEnv) checkEstate(s *terraform.State) error {
	o := e.sim.Objects()
	if len(o.QChatServers) != 1 || len(o.QChatChannels) != 3 || len(o.Chatrooms) != 2 {
		return fmt.Errorf("want 1 server, 3 channels, 2 chatrooms; got %d, %d, %d",
			len(o.QChatServers), len(o.QChatChannels), len(o.Chatrooms))
	}
	custom := 0
	for _, r := range o.QChatServerRoles {
		if r.Type == 2 {
			custom++
		}
	}
	if custom != 3 {
		return fmt.Errorf("want 3 custom roles, got %d", custom)
	}
	staff, _ := stateAttr(s, "nim_qchat_channel.staff", "id")
	if c, _ := e.channel(staff); c.ViewMode != 1 {
		return fmt.Errorf("staff channel is not private: %+v", c)
	}
	news, _ := stateAttr(s, "nim_qchat_channel.announcements", "id")
	everyone, _ := stateAttr(s, "nim_qchat_server.community", "everyone_role_id")
	mods, _ := stateAttr(s, "nim_qchat_role.moderators", "id")
	want := map[string]int{everyone: -1, mods: 1} // send_message in announcements
	for _, cr := range o.QChatChannelRoles {
		if itoa(cr.ChannelID) != news {
			return fmt.Errorf("unexpected channel role in channel %d", cr.ChannelID)
		}
		v, ok := want[itoa(cr.ServerRoleID)]
		if !ok || cr.Auths[4] != v {
			return fmt.Errorf("channel role for server role %d: send_message %d", cr.ServerRoleID, cr.Auths[4])
		}
		delete(want, itoa(cr.ServerRoleID))
	}
	if len(want) != 0 {
		return fmt.Errorf("announcements lacks channel roles for %v", want)
	}
	return e.checkEstateMembers(s, o)
}

// checkEstateMembers checks who is in the community and what they hold.
func (e *simEnv) checkEstateMembers(s *terraform.State, o nimsim.Objects) error {
	members := map[string]bool{}
	for _, m := range o.QChatServerMembers {
		members[m.Accid] = true
	}
	for _, a := range []string{"founder", "mod_ann", "mod_bo", "user_cy", "user_di", "user_ed"} {
		if !members[a] {
			return fmt.Errorf("%s is not a member of the community", a)
		}
	}
	mods, _ := stateAttr(s, "nim_qchat_role.moderators", "id")
	holders := map[string]int{}
	for _, rm := range o.QChatRoleMembers {
		holders[itoa(rm.RoleID)]++
	}
	if holders[mods] != 2 || len(o.QChatRoleMembers) != 5 {
		return fmt.Errorf("role memberships: %v (moderators %s)", holders, mods)
	}
	if len(o.QChatWhiteBlackRoles) != 1 || itoa(o.QChatWhiteBlackRoles[0].RoleID) != mods || o.QChatWhiteBlackRoles[0].Type != 1 {
		return fmt.Errorf("the staff allow list should hold the moderators role only: %+v", o.QChatWhiteBlackRoles)
	}
	if len(o.QChatUserOverrides) != 1 || o.QChatUserOverrides[0].Accid != "user_ed" || o.QChatUserOverrides[0].Auths[4] != -1 {
		return fmt.Errorf("user_ed's override in general: %+v", o.QChatUserOverrides)
	}
	if m, _ := e.roomMember("cohost01"); m.Role != "MANAGER" {
		return fmt.Errorf("cohost01 is not a manager of the lobby: %+v", m)
	}
	if m, _ := e.roomMember("guest042"); !m.Muted {
		return fmt.Errorf("guest042 is not muted in the lobby: %+v", m)
	}
	return nil
}
