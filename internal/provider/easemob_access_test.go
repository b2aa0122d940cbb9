// Helpers of the tests of the Easemob access resources (members, lists,
// mutes, super admins), on the shared Easemob simulator front, emEnv.
package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
)

// routeMatches tells whether a request matches "METHOD pattern", where a
// {name} segment matches any one segment.
func routeMatches(route, method, path string) bool {
	m, pattern, _ := strings.Cut(route, " ")
	ps, segs := strings.Split(pattern, "/"), strings.Split(strings.TrimPrefix(path, "/"), "/")
	if m != method || len(ps) != len(segs) {
		return false
	}
	for i := range ps {
		if !strings.HasPrefix(ps[i], "{") && ps[i] != segs[i] {
			return false
		}
	}
	return true
}

// beforeRequest runs f once, just before the next request on route is
// served: a change that happens while the provider is applying.
func (e *emEnv) beforeRequest(route string, f func()) {
	var once sync.Once
	e.mu.Lock()
	defer e.mu.Unlock()
	e.onServe = func(method, path string) {
		if routeMatches(route, method, path) {
			once.Do(f)
		}
	}
}

// sentOn returns the requests sent on a route ("POST chatrooms/{id}/admin")
// since the mark.
func (e *emEnv) sentOn(since int, route string) []emRequest {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []emRequest
	for _, r := range e.sent[since:] {
		if routeMatches(route, r.method, r.path) {
			out = append(out, r)
		}
	}
	return out
}

// mark is the position in the request log that later checks start from.
func (e *emEnv) mark() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.sent)
}

// writesSince lists the writes (anything but GET) sent since the mark.
func (e *emEnv) writesSince(since int) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, r := range e.sent[since:] {
		if r.method != http.MethodGet && r.path != "/token" {
			out = append(out, r.method+" "+strings.TrimPrefix(r.path, "/"))
		}
	}
	return out
}

// newRoom creates a room out of band, owned by "owner", with members who
// never leave (given at creation).
func (e *emEnv) newRoom(t *testing.T, members ...string) string {
	t.Helper()
	res, err := e.client.Chatrooms.Create(context.Background(), &easemob.CreateRequest{
		Name: "lobby", Description: "the lobby", Owner: "owner", Members: members,
	})
	if err != nil {
		t.Fatalf("creating a room: %v", err)
	}
	return res.ID
}

// roomNow is the simulator's room id, which must exist.
func (e *emEnv) roomNow(t *testing.T, id string) easemobsim.Room {
	t.Helper()
	r, ok := e.room(id)
	if !ok {
		t.Fatalf("room %s is not in the simulator", id)
	}
	return r
}

// change runs a change behind Terraform's back now, failing the test on
// error.
func (e *emEnv) change(t *testing.T, what string, f func(ctx context.Context, c *easemob.Client) error) {
	t.Helper()
	e.outOfBand(t, what, f)()
}

// expectUsers checks a list of the simulator's room against want.
func expectUsers(what string, got []string, want ...string) error {
	got, want = slices.Clone(got), slices.Clone(want)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		return fmt.Errorf("%s: got %v, want %v", what, got, want)
	}
	return nil
}

func memberNames(r easemobsim.Room) []string {
	var out []string
	for _, m := range r.Members {
		out = append(out, m.User)
	}
	return out
}

// inRoom asserts on the simulator's copy of a room during a step.
func (e *emEnv) inRoom(t *testing.T, id string, check func(easemobsim.Room) error) resource.TestCheckFunc {
	return func(*terraform.State) error { return check(e.roomNow(t, id)) }
}

// expectWrites checks the writes sent since the mark, in any order.
func (e *emEnv) expectWrites(since *int, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		return expectUsers("writes sent", e.writesSince(*since), want...)
	}
}

// users renders u1..un with a prefix, for sets in configurations and in
// the simulator's registry.
func users(prefix string, from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("%s%02d", prefix, i))
	}
	return out
}

func hclList(us []string) string {
	q := make([]string, len(us))
	for i, u := range us {
		q[i] = fmt.Sprintf("%q", u)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// unescapedUsers are the users of a comma path segment as sent.
func unescapedUsers(path string) []string {
	last := path[strings.LastIndex(path, "/")+1:]
	if s, err := url.PathUnescape(last); err == nil {
		last = s
	}
	return strings.Split(last, ",")
}

// batchUsers are the users of a request's "usernames" body.
func batchUsers(r emRequest) []string {
	var b struct {
		Usernames []string `json:"usernames"`
	}
	_ = json.Unmarshal(r.body, &b)
	return b.Usernames
}

// existsError is the refusal of a create that would take over an object.
func existsError(id string) *regexp.Regexp {
	return errorText("already exists", "terraform import ADDRESS "+id, "moved block")
}

// TestEasemobAccessLostAnswers: writes whose answers are lost after the
// simulator applied them are settled by reading back, neither repeated nor
// reported; a list change the server failed is sent again.
func TestEasemobAccessLostAnswers(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	room := env.newRoom(t, "m01", "m02")
	env.failOnce("POST", `^/chatrooms/\d+/users/alice$`, dropAfter, "")
	env.failOnce("POST", `^/chatrooms/\d+/admin$`, dropAfter, "")
	env.failOnce("POST", `^/chatrooms/\d+/mute$`, dropAfter, "")
	env.failOnce("POST", `^/chatrooms/super_admin$`, dropAfter, "")
	// A server failure before the change: the list reads back without it,
	// and the remainder is sent again.
	env.failOnce("POST", `^/chatrooms/\d+/white/users$`, 500, "web_application")
	// The block list's join of a non-member, answer lost after it was applied.
	env.failOnce("POST", `^/chatrooms/\d+/users$`, dropAfter, "")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config: env.config(fmt.Sprintf(`
resource "nim_easemob_chatroom_member" "alice" {
  room_id  = %q
  username = "alice"
}

resource "nim_easemob_chatroom_admins" "mods" {
  room_id   = %[1]q
  usernames = ["m01", "m02"]
}

resource "nim_easemob_chatroom_mute" "m02" {
  room_id  = %[1]q
  username = "m02"
}

resource "nim_easemob_super_admin" "ops" {
  username = "ops01"
}

resource "nim_easemob_chatroom_allow_list" "vips" {
  room_id   = %[1]q
  usernames = ["m01"]
}

resource "nim_easemob_chatroom_block_list" "trolls" {
  room_id   = %[1]q
  usernames = ["troll"]
}
`, room)),
			Check: resource.ComposeAggregateTestCheckFunc(
				env.inRoom(t, room, func(r easemobsim.Room) error {
					if err := expectUsers("members", memberNames(r), "m01", "m02", "alice"); err != nil {
						return err
					}
					if len(r.Mutes) != 1 || r.Mutes[0].User != "m02" {
						return fmt.Errorf("mutes %+v, want m02", r.Mutes)
					}
					if err := expectUsers("allow list", r.Allow, "m01"); err != nil {
						return err
					}
					if err := expectUsers("block list", r.Blocks, "troll"); err != nil {
						return err
					}
					return expectUsers("admins", r.Admins, "m01", "m02")
				}),
				func(*terraform.State) error {
					env.mu.Lock()
					left := len(env.faults)
					env.mu.Unlock()
					if left != 0 {
						return fmt.Errorf("%d of the 6 faults were not injected", left)
					}
					for pattern, want := range map[string]int{
						`^/chatrooms/\d+/users/alice$`: 1, `^/chatrooms/\d+/admin$`: 2,
						`^/chatrooms/\d+/mute$`: 1, `^/chatrooms/super_admin$`: 1,
						`^/chatrooms/\d+/white/users$`: 2, `^/chatrooms/\d+/users$`: 1, `^/chatrooms/\d+/blocks/users$`: 1,
					} {
						if n := env.count("POST", pattern); n != want {
							return fmt.Errorf("POST %s sent %d times, want %d", pattern, n, want)
						}
					}
					return nil
				},
			),
		}},
	})
}
