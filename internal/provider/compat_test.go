package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// The compatibility pass. `make test` runs the whole suite on the newest
// Terraform, and the tests whose names end in _compat also on the oldest
// Terraform and on OpenTofu. Between them, these tests take every resource
// type and every data source through what each CLI must handle alike:
// create, update, import with an import block whose plan must be a no-op,
// import with `terraform import` reproducing the state, and destroy. How each
// resource behaves in detail is tested by its own tests.

// TestCompatPassCoversEveryType fails when a resource type or data source
// of the provider appears in no configuration of the compatibility pass,
// this file and every other compat*_test.go (one per vendor or family of
// types), so that a new one cannot skip the pass.
func TestCompatPassCoversEveryType(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("compat*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	var src []byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src = append(append(src, b...), '\n')
	}
	// Guards the pattern itself: this file and the Easemob one must be read.
	for _, want := range []string{"compat_test.go", "compat_easemob_test.go"} {
		if !slices.Contains(files, want) {
			t.Fatalf("compat*_test.go matched %v, not %s", files, want)
		}
	}
	ctx := context.Background()
	p := New("test")()
	var meta provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &meta)
	var missing []string
	for _, f := range p.Resources(ctx) {
		var resp fwresource.MetadataResponse
		f().Metadata(ctx, fwresource.MetadataRequest{ProviderTypeName: meta.TypeName}, &resp)
		if !strings.Contains(string(src), fmt.Sprintf("resource %q ", resp.TypeName)) {
			missing = append(missing, resp.TypeName)
		}
	}
	for _, f := range p.DataSources(ctx) {
		var resp datasource.MetadataResponse
		f().Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: meta.TypeName}, &resp)
		if !strings.Contains(string(src), fmt.Sprintf("data %q ", resp.TypeName)) {
			missing = append(missing, "data "+resp.TypeName)
		}
	}
	if len(missing) > 0 {
		t.Errorf("not in the compatibility pass: %s", strings.Join(missing, ", "))
	}
}

// compatCase is one configuration applied, updated, imported and destroyed.
type compatCase struct {
	create, update string // configurations without the provider block
	// changes is what the update must plan for each resource it touches.
	changes map[string]plancheck.ResourceActionType
	// created and updated check state and the simulator after each apply.
	createdState, updatedState []statecheck.StateCheck
	created, updated           resource.TestCheckFunc
	// imports are the resources imported after the update, each with the
	// state attributes whose values, joined by "/", make its import id.
	imports []compatImport
	// destroyed checks the simulator once everything is destroyed.
	destroyed resource.TestCheckFunc
}

type compatImport struct {
	addr    string
	idAttrs []string
	// verifyIgnore are state attributes `terraform import` may fill beyond
	// the applied state. An import cannot see the configuration, so it
	// records every permission of a permissions block, where the applied
	// state holds only the ones the block names; the import-block step
	// before it proves the plan after such an import changes nothing.
	verifyIgnore []string
}

// importWithPermissions imports a resource with a permissions block by id.
func importWithPermissions(addr string, idAttrs ...string) compatImport {
	if len(idAttrs) == 0 {
		idAttrs = []string{"id"}
	}
	return compatImport{addr: addr, idAttrs: idAttrs, verifyIgnore: []string{"permissions"}}
}

func importByID(addr string) compatImport { return compatImport{addr: addr, idAttrs: []string{"id"}} }

// compatEnv is a simulator behind its provider configuration: simEnv for
// NIM, emEnv for Easemob.
type compatEnv interface {
	// config prefixes a configuration with the provider block.
	config(body string) string
}

func runCompat(t *testing.T, env compatEnv, c compatCase) {
	t.Helper()
	var updatePlan []plancheck.PlanCheck
	for addr, action := range c.changes {
		updatePlan = append(updatePlan, plancheck.ExpectResourceAction(addr, action))
	}
	steps := []resource.TestStep{
		{Config: env.config(c.create), ConfigStateChecks: c.createdState, Check: c.created},
		{
			Config:            env.config(c.update),
			ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: updatePlan},
			ConfigStateChecks: c.updatedState,
			Check:             c.updated,
		},
	}
	for _, imp := range c.imports {
		idFunc := func(s *terraform.State) (string, error) {
			parts := make([]string, len(imp.idAttrs))
			for i, attr := range imp.idAttrs {
				v, err := stateAttr(s, imp.addr, attr)
				if err != nil {
					return "", err
				}
				parts[i] = v
			}
			return strings.Join(parts, "/"), nil
		}
		steps = append(steps,
			// An import block in the configuration: the plan must import the
			// object and change nothing.
			resource.TestStep{
				ResourceName:      imp.addr,
				ImportState:       true,
				ImportStateKind:   resource.ImportBlockWithID,
				ImportStateIdFunc: idFunc,
			},
			// `terraform import`: the imported state must equal the applied one.
			resource.TestStep{
				ResourceName:            imp.addr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: imp.verifyIgnore,
				ImportStateIdFunc:       idFunc,
			},
		)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             c.destroyed,
		Steps:                    steps,
	})
}

// compatExpect is a state check on one attribute, shortened for the tables below.
func compatExpect(addr string, path tfjsonpath.Path, want knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, path, want)
}

func compatPath(name string) tfjsonpath.Path { return tfjsonpath.New(name) }

func compatPermission(name string) tfjsonpath.Path {
	return tfjsonpath.New("permissions").AtMapKey(name)
}

// The NIM permission codes these tests look at in the simulator.
const (
	authSendMessage = 4
	authKickMember  = 7
)

func TestChatroom_compat(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	config := func(name, announcement, memberAttrs string) string {
		return fmt.Sprintf(`
resource "nim_chatroom" "room" {
  creator      = "host"
  name         = %q
  announcement = %q
}

resource "nim_chatroom_member" "alice" {
  room_id = nim_chatroom.room.id
  accid   = "alice"
%s
}

data "nim_chatroom" "room" {
  id         = nim_chatroom.room.id
  depends_on = [nim_chatroom.room]
}
`, name, announcement, memberAttrs)
	}
	simRoom := func(want func(nimsim.Chatroom) error) resource.TestCheckFunc {
		return func(*terraform.State) error {
			rooms := env.sim.Objects().Chatrooms
			if len(rooms) != 1 {
				return fmt.Errorf("the simulator holds %d rooms, want 1", len(rooms))
			}
			return want(rooms[0])
		}
	}
	alice := func(r nimsim.Chatroom) (nimsim.ChatroomMember, bool) {
		for _, m := range r.Members {
			if m.Accid == "alice" {
				return m, true
			}
		}
		return nimsim.ChatroomMember{}, false
	}
	runCompat(t, env, compatCase{
		create: config("Town hall", "", `  role = "manager"`),
		// Not muted: NIM reports a muted member as LIMITED, which an import
		// cannot tell from no role (see the resource's description).
		update: config("Town hall 2", "Welcome", `  role = "member"`),
		changes: map[string]plancheck.ResourceActionType{
			"nim_chatroom.room":         plancheck.ResourceActionUpdate,
			"nim_chatroom_member.alice": plancheck.ResourceActionUpdate,
		},
		createdState: []statecheck.StateCheck{
			compatExpect("data.nim_chatroom.room", compatPath("name"), knownvalue.StringExact("Town hall")),
			compatExpect("data.nim_chatroom.room", compatPath("open"), knownvalue.Bool(true)),
			compatExpect("nim_chatroom_member.alice", compatPath("role"), knownvalue.StringExact("manager")),
		},
		created: simRoom(func(r nimsim.Chatroom) error {
			if m, ok := alice(r); r.Name != "Town hall" || !r.Valid || !ok || m.Role != "MANAGER" {
				return fmt.Errorf("room %q valid=%v, alice %+v (found=%v)", r.Name, r.Valid, m, ok)
			}
			return nil
		}),
		updatedState: []statecheck.StateCheck{
			compatExpect("data.nim_chatroom.room", compatPath("name"), knownvalue.StringExact("Town hall 2")),
			compatExpect("data.nim_chatroom.room", compatPath("announcement"), knownvalue.StringExact("Welcome")),
			compatExpect("nim_chatroom_member.alice", compatPath("role"), knownvalue.StringExact("member")),
		},
		updated: simRoom(func(r nimsim.Chatroom) error {
			if m, ok := alice(r); r.Name != "Town hall 2" || r.Announcement != "Welcome" || !ok || m.Role != "COMMON" || m.Muted {
				return fmt.Errorf("room %q (%q), alice %+v (found=%v)", r.Name, r.Announcement, m, ok)
			}
			return nil
		}),
		imports: []compatImport{importByID("nim_chatroom.room"), importByID("nim_chatroom_member.alice")},
		// NIM cannot delete a room: destroy closes it, after taking alice's role away.
		destroyed: simRoom(func(r nimsim.Chatroom) error {
			if m, ok := alice(r); r.Valid || ok && (m.Role != "" || m.Muted || m.Blacklisted) {
				return fmt.Errorf("after destroy: room valid=%v, alice %+v", r.Valid, m)
			}
			return nil
		}),
	})
}

// compatNoQChat checks that destroy left no QChat object behind.
func compatNoQChat(env *simEnv) resource.TestCheckFunc {
	return func(*terraform.State) error {
		o := env.sim.Objects()
		if n := len(o.QChatServers) + len(o.QChatServerMembers) + len(o.QChatChannels) + len(o.QChatServerRoles) +
			len(o.QChatRoleMembers) + len(o.QChatChannelRoles) + len(o.QChatUserOverrides) +
			len(o.QChatWhiteBlackRoles) + len(o.QChatWhiteBlackUsers); n != 0 {
			return fmt.Errorf("destroy left %d QChat objects in the simulator: %+v", n, o)
		}
		return nil
	}
}

func TestQChatServer_compat(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	config := func(name, nick string) string {
		return fmt.Sprintf(`
resource "nim_qchat_server" "guild" {
  owner = "boss"
  name  = %q
}

resource "nim_qchat_server_member" "alice" {
  server_id = nim_qchat_server.guild.id
  accid     = "alice"
  nick      = %q
}

data "nim_qchat_server" "guild" {
  id         = nim_qchat_server.guild.id
  depends_on = [nim_qchat_server.guild]
}
`, name, nick)
	}
	simCheck := func(name, nick string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			o := env.sim.Objects()
			if len(o.QChatServers) != 1 || o.QChatServers[0].Name != name {
				return fmt.Errorf("want one server named %q, the simulator holds %+v", name, o.QChatServers)
			}
			for _, m := range o.QChatServerMembers {
				if m.Accid == "alice" && m.Nick == nick {
					return nil
				}
			}
			return fmt.Errorf("no member alice nicknamed %q: %+v", nick, o.QChatServerMembers)
		}
	}
	runCompat(t, env, compatCase{
		create: config("Guild", "Al"),
		update: config("Guild 2", "Alice"),
		changes: map[string]plancheck.ResourceActionType{
			"nim_qchat_server.guild":        plancheck.ResourceActionUpdate,
			"nim_qchat_server_member.alice": plancheck.ResourceActionUpdate,
		},
		createdState: []statecheck.StateCheck{
			compatExpect("data.nim_qchat_server.guild", compatPath("name"), knownvalue.StringExact("Guild")),
			compatExpect("data.nim_qchat_server.guild", compatPath("owner"), knownvalue.StringExact("boss")),
			statecheck.CompareValuePairs("data.nim_qchat_server.guild", compatPath("id"), "nim_qchat_server.guild", compatPath("id"), compareEqual),
		},
		created: simCheck("Guild", "Al"),
		updatedState: []statecheck.StateCheck{
			compatExpect("data.nim_qchat_server.guild", compatPath("name"), knownvalue.StringExact("Guild 2")),
			compatExpect("nim_qchat_server_member.alice", compatPath("nick"), knownvalue.StringExact("Alice")),
		},
		updated:   simCheck("Guild 2", "Alice"),
		imports:   []compatImport{importByID("nim_qchat_server.guild"), importByID("nim_qchat_server_member.alice")},
		destroyed: compatNoQChat(env),
	})
}

func TestQChatChannel_compat(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	config := func(topic, staffRoles, aliceNews string) string {
		return fmt.Sprintf(`
resource "nim_qchat_server" "guild" {
  owner = "boss"
  name  = "Guild"
}

resource "nim_qchat_server_member" "alice" {
  server_id = nim_qchat_server.guild.id
  accid     = "alice"
}

resource "nim_qchat_role" "mods" {
  server_id = nim_qchat_server.guild.id
  name      = "mods"
}

resource "nim_qchat_channel" "news" {
  server_id = nim_qchat_server.guild.id
  name      = "news"
  topic     = %q
}

resource "nim_qchat_channel" "staff" {
  server_id  = nim_qchat_server.guild.id
  name       = "staff"
  visibility = "private"
}

resource "nim_qchat_channel_access_list" "staff" {
  server_id  = nim_qchat_server.guild.id
  channel_id = nim_qchat_channel.staff.id
  kind       = "allowlist"
  role_ids   = %s
  accids     = [nim_qchat_server_member.alice.accid]
}

resource "nim_qchat_channel_member_permissions" "alice_news" {
  server_id  = nim_qchat_server.guild.id
  channel_id = nim_qchat_channel.news.id
  accid      = nim_qchat_server_member.alice.accid
  permissions {
    send_message = %q
  }
}

data "nim_qchat_channels" "guild" {
  server_id  = nim_qchat_server.guild.id
  depends_on = [nim_qchat_channel.news, nim_qchat_channel.staff]
}
`, topic, staffRoles, aliceNews)
	}
	simCheck := func(topic string, listedRoles, aliceSend int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			o := env.sim.Objects()
			var topics []string
			for _, c := range o.QChatChannels {
				if c.Name == "news" {
					topics = append(topics, c.Topic)
				}
			}
			if len(o.QChatChannels) != 2 || len(topics) != 1 || topics[0] != topic {
				return fmt.Errorf("want channels news (topic %q) and staff, the simulator holds %+v", topic, o.QChatChannels)
			}
			if len(o.QChatWhiteBlackRoles) != listedRoles || len(o.QChatWhiteBlackUsers) != 1 || o.QChatWhiteBlackUsers[0].Accid != "alice" {
				return fmt.Errorf("staff allow list: roles %+v (want %d), accounts %+v (want alice)", o.QChatWhiteBlackRoles, listedRoles, o.QChatWhiteBlackUsers)
			}
			if len(o.QChatUserOverrides) != 1 || o.QChatUserOverrides[0].Auths[authSendMessage] != aliceSend {
				return fmt.Errorf("alice's permissions in news: %+v, want send_message %d", o.QChatUserOverrides, aliceSend)
			}
			return nil
		}
	}
	runCompat(t, env, compatCase{
		create: config("Read only", "[nim_qchat_role.mods.id]", "deny"),
		update: config("News of the guild", "[]", "allow"),
		changes: map[string]plancheck.ResourceActionType{
			"nim_qchat_channel.news":                          plancheck.ResourceActionUpdate,
			"nim_qchat_channel.staff":                         plancheck.ResourceActionNoop,
			"nim_qchat_channel_access_list.staff":             plancheck.ResourceActionUpdate,
			"nim_qchat_channel_member_permissions.alice_news": plancheck.ResourceActionUpdate,
		},
		createdState: []statecheck.StateCheck{
			compatExpect("data.nim_qchat_channels.guild", compatPath("channels"), knownvalue.SetPartial([]knownvalue.Check{
				knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("news"), "topic": knownvalue.StringExact("Read only")}),
				knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("staff"), "visibility": knownvalue.StringExact("private")}),
			})),
			compatExpect("nim_qchat_channel_member_permissions.alice_news", compatPermission("send_message"), knownvalue.StringExact("deny")),
		},
		created: simCheck("Read only", 1, -1),
		updatedState: []statecheck.StateCheck{
			compatExpect("data.nim_qchat_channels.guild", compatPath("channels"), knownvalue.SetPartial([]knownvalue.Check{
				knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("news"), "topic": knownvalue.StringExact("News of the guild")}),
			})),
			compatExpect("nim_qchat_channel_access_list.staff", compatPath("role_ids"), knownvalue.SetExact(nil)),
		},
		updated: simCheck("News of the guild", 0, 1),
		imports: []compatImport{
			importByID("nim_qchat_channel.news"),
			importByID("nim_qchat_channel_access_list.staff"),
			importWithPermissions("nim_qchat_channel_member_permissions.alice_news"),
		},
		destroyed: compatNoQChat(env),
	})
}

func TestQChatRoles_compat(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	config := func(modsKick, everyoneSend, member, channelSend string) string {
		return fmt.Sprintf(`
resource "nim_qchat_server" "guild" {
  owner = "boss"
  name  = "Guild"
}

resource "nim_qchat_server_member" "alice" {
  server_id = nim_qchat_server.guild.id
  accid     = "alice"
}

resource "nim_qchat_server_member" "bob" {
  server_id = nim_qchat_server.guild.id
  accid     = "bob"
}

resource "nim_qchat_role" "mods" {
  server_id = nim_qchat_server.guild.id
  name      = "mods"
  permissions {
    kick_member = %q
  }
}

resource "nim_qchat_everyone_role" "everyone" {
  server_id = nim_qchat_server.guild.id
  permissions {
    send_message = %q
  }
}

resource "nim_qchat_role_member" "mod" {
  server_id = nim_qchat_server.guild.id
  role_id   = nim_qchat_role.mods.id
  accid     = nim_qchat_server_member.%s.accid
}

resource "nim_qchat_channel" "news" {
  server_id = nim_qchat_server.guild.id
  name      = "news"
}

resource "nim_qchat_channel_role" "mods_news" {
  server_id      = nim_qchat_server.guild.id
  channel_id     = nim_qchat_channel.news.id
  server_role_id = nim_qchat_role.mods.id
  permissions {
    send_message = %q
  }
}

data "nim_qchat_roles" "guild" {
  server_id  = nim_qchat_server.guild.id
  depends_on = [nim_qchat_role.mods, nim_qchat_everyone_role.everyone]
}

data "nim_qchat_role" "mods" {
  server_id  = nim_qchat_server.guild.id
  name       = nim_qchat_role.mods.name
  depends_on = [nim_qchat_role.mods]
}
`, modsKick, everyoneSend, member, channelSend)
	}
	simCheck := func(modsKick, everyoneSend int, member string, channelSend int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			o := env.sim.Objects()
			for _, r := range o.QChatServerRoles {
				switch {
				case r.Name == "mods" && r.Auths[authKickMember] != modsKick:
					return fmt.Errorf("mods: kick_member %d, want %d", r.Auths[authKickMember], modsKick)
				case r.Type == 1 && r.Auths[authSendMessage] != everyoneSend:
					return fmt.Errorf("@everyone: send_message %d, want %d", r.Auths[authSendMessage], everyoneSend)
				}
			}
			if len(o.QChatServerRoles) != 2 {
				return fmt.Errorf("want the roles @everyone and mods, the simulator holds %+v", o.QChatServerRoles)
			}
			if len(o.QChatRoleMembers) != 1 || o.QChatRoleMembers[0].Accid != member {
				return fmt.Errorf("mods members: %+v, want only %s", o.QChatRoleMembers, member)
			}
			if len(o.QChatChannelRoles) != 1 || o.QChatChannelRoles[0].Auths[authSendMessage] != channelSend {
				return fmt.Errorf("channel roles: %+v, want one with send_message %d", o.QChatChannelRoles, channelSend)
			}
			return nil
		}
	}
	runCompat(t, env, compatCase{
		create: config("allow", "allow", "alice", "deny"),
		update: config("deny", "deny", "bob", "allow"),
		changes: map[string]plancheck.ResourceActionType{
			"nim_qchat_role.mods":              plancheck.ResourceActionUpdate,
			"nim_qchat_everyone_role.everyone": plancheck.ResourceActionUpdate,
			"nim_qchat_channel_role.mods_news": plancheck.ResourceActionUpdate,
			// A role membership has nothing to change in place: another
			// account is another membership.
			"nim_qchat_role_member.mod": plancheck.ResourceActionReplace,
		},
		createdState: []statecheck.StateCheck{
			compatExpect("data.nim_qchat_role.mods", compatPermission("kick_member"), knownvalue.StringExact("allow")),
			compatExpect("data.nim_qchat_roles.guild", compatPath("roles"), knownvalue.ListExact([]knownvalue.Check{
				knownvalue.ObjectPartial(map[string]knownvalue.Check{"type": knownvalue.StringExact("everyone")}),
				knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("mods")}),
			})),
			statecheck.CompareValuePairs("data.nim_qchat_role.mods", compatPath("id"), "nim_qchat_role.mods", compatPath("id"), compareEqual),
		},
		created: simCheck(1, 1, "alice", -1),
		updatedState: []statecheck.StateCheck{
			compatExpect("data.nim_qchat_role.mods", compatPermission("kick_member"), knownvalue.StringExact("deny")),
			compatExpect("data.nim_qchat_roles.guild", compatPath("roles").AtSliceIndex(0).AtMapKey("permissions").AtMapKey("send_message"),
				knownvalue.StringExact("deny")),
			compatExpect("nim_qchat_role_member.mod", compatPath("accid"), knownvalue.StringExact("bob")),
		},
		updated: simCheck(-1, -1, "bob", 1),
		imports: []compatImport{
			importWithPermissions("nim_qchat_role.mods", "server_id", "id"),
			importWithPermissions("nim_qchat_everyone_role.everyone"),
			importByID("nim_qchat_role_member.mod"),
			importWithPermissions("nim_qchat_channel_role.mods_news"),
		},
		destroyed: compatNoQChat(env),
	})
}
