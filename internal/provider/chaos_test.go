package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// The chaos test applies the demo estate of both vendors against simulators
// that fail 30% of all requests (NIM: 500 and 416 answers; Easemob: 500 and
// 429 answers, token requests included; both: connections dropped before or
// after the change is applied) with latency spikes, applies again until the
// plan converges (three applies at most), and then checks that NIM and
// Easemob hold exactly the desired objects: nothing duplicated, nothing lost,
// an empty final plan, and a destroy that leaves nothing behind.
//
// `make test` runs a few seeds; `make chaos` runs NIM_CHAOS_SEEDS of them
// (50) and prints a table.

const chaosFailRate = 0.3

func chaosSeeds() []int64 {
	n := 3
	if v, err := strconv.Atoi(os.Getenv("NIM_CHAOS_SEEDS")); err == nil && v > 0 {
		n = v
	}
	seeds := make([]int64, n)
	for i := range seeds {
		seeds[i] = int64(i + 1)
	}
	return seeds
}

type chaosResult struct {
	seed       int64
	faults     map[string]int64
	emFaults   map[string]int64 // Easemob's
	applies    int
	duplicates []string
	lost       []string
	planEmpty  bool
	leftovers  []string
	err        error
}

func TestChaos(t *testing.T) {
	t.Parallel()
	seeds := chaosSeeds()
	results := make([]chaosResult, len(seeds))
	// Seeds run a few at a time: each one drives the terraform CLI.
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for i, seed := range seeds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = runChaos(t, seed)
		}()
	}
	wg.Wait()
	printChaosTable(results)
	for _, r := range results {
		switch {
		case r.err != nil:
			t.Errorf("seed %d: %v", r.seed, r.err)
		case len(r.duplicates) > 0 || len(r.lost) > 0 || !r.planEmpty || len(r.leftovers) > 0:
			t.Errorf("seed %d: duplicates %v, lost %v, final plan empty %v, left after destroy %v",
				r.seed, r.duplicates, r.lost, r.planEmpty, r.leftovers)
		}
	}
}

func runChaos(t *testing.T, seed int64) chaosResult {
	res := chaosResult{seed: seed}
	em := newEmEnv(t, easemobsim.Config{FailRate: chaosFailRate, Seed: seed, Jitter: 30 * time.Millisecond})
	c := newCLIEnvWith(t, testAppSecret, `
provider "nim" {
  max_retries     = 10
  request_timeout = "5s"
`+em.block()+`
}
`+demoConfig(t)+easemobDemoConfig(t), nimsim.Config{FailRate: chaosFailRate, Seed: seed, Jitter: 30 * time.Millisecond})

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	for res.applies < 3 {
		res.applies++
		err := c.command(ctx, "apply", "-input=false", "-auto-approve", "-no-color").Run()
		if err == nil {
			break
		}
		if res.applies == 3 {
			res.faults, res.emFaults = c.sim.Stats().Faults, em.sim.Stats().Faults
			res.err = fmt.Errorf("three applies did not converge: %v\n%s", err, tail(c.output.String()))
			return res
		}
	}
	res.faults, res.emFaults = c.sim.Stats().Faults, em.sim.Stats().Faults
	res.duplicates, res.lost = diffDemoObjects(c.sim.Objects())
	emDuplicates, emLost := diffEasemobDemoRooms(em.rooms())
	res.duplicates, res.lost = append(res.duplicates, emDuplicates...), append(res.lost, emLost...)
	emDuplicates, emLost = diffEasemobDemoAccess(em.sim.Objects())
	res.duplicates, res.lost = append(res.duplicates, emDuplicates...), append(res.lost, emLost...)

	// The final plan and the destroy run on a healthy API: they judge what
	// the faulty applies left.
	c.sim.SetFailRate(0)
	em.sim.SetFailRate(0)
	err := c.command(ctx, "plan", "-input=false", "-no-color", "-detailed-exitcode").Run()
	res.planEmpty = err == nil
	var exit *exec.ExitError
	if err != nil && (!errors.As(err, &exit) || exit.ExitCode() != 2) {
		res.err = fmt.Errorf("final plan failed: %v\n%s", err, tail(c.output.String()))
		return res
	}
	if err := c.command(ctx, "destroy", "-input=false", "-auto-approve", "-no-color").Run(); err != nil {
		res.err = fmt.Errorf("destroy failed: %v\n%s", err, tail(c.output.String()))
		return res
	}
	res.leftovers = leftovers(c.sim.Objects())
	for _, r := range em.rooms() {
		res.leftovers = append(res.leftovers, "Easemob room "+r.Name)
	}
	for _, u := range em.sim.Objects().SuperAdmins {
		res.leftovers = append(res.leftovers, "Easemob super admin "+u)
	}
	return res
}

// easemobDemoConfig is the Easemob part of examples/demo.
func easemobDemoConfig(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../examples/demo/easemob.tf")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// diffEasemobDemoRooms compares the Easemob rooms with those examples/demo
// declares, by name.
func diffEasemobDemoRooms(rooms []easemobsim.Room) (duplicates, lost []string) {
	count := map[string]int{}
	for _, r := range rooms {
		count[r.Name]++
	}
	for _, w := range []string{"Town hall", "Launch party"} {
		switch n := count[w]; {
		case n == 0:
			lost = append(lost, "Easemob room "+w)
		case n > 1:
			duplicates = append(duplicates, fmt.Sprintf("Easemob room %s ×%d", w, n))
		}
		delete(count, w)
	}
	for k, n := range count {
		duplicates = append(duplicates, fmt.Sprintf("unexpected Easemob room %s ×%d", k, n))
	}
	sort.Strings(duplicates)
	return duplicates, lost
}

// diffEasemobDemoAccess compares who is in the demo's town hall, and on
// its lists, with what examples/demo declares: an extra user counts as a
// duplicate, a missing one as lost.
func diffEasemobDemoAccess(o easemobsim.Objects) (duplicates, lost []string) {
	var room easemobsim.Room
	for _, r := range o.Rooms {
		if r.Name == "Town hall" {
			room = r
		}
	}
	var members, mutes []string
	for _, m := range room.Members {
		members = append(members, m.User)
	}
	for _, m := range room.Mutes {
		mutes = append(mutes, m.User)
	}
	for _, c := range []struct {
		what      string
		got, want []string
	}{
		{"member", members, []string{"mod_ann", "mod_bo", "speaker01", "noisy42"}},
		{"admin", room.Admins, []string{"mod_ann", "mod_bo"}},
		{"allow-listed", room.Allow, []string{"mod_ann", "speaker01"}},
		{"blocked", room.Blocks, []string{"spammer01", "troll99"}},
		{"muted", mutes, []string{"noisy42"}},
		{"super admin", o.SuperAdmins, []string{"ops01"}},
	} {
		count := map[string]int{}
		for _, u := range c.got {
			count[u]++
		}
		for _, u := range c.want {
			if count[u] == 0 {
				lost = append(lost, "Easemob "+c.what+" "+u)
			}
			delete(count, u)
		}
		for u := range count {
			duplicates = append(duplicates, "unexpected Easemob "+c.what+" "+u)
		}
	}
	sort.Strings(duplicates)
	return duplicates, lost
}

// diffDemoObjects compares what NIM holds with what examples/demo declares.
func diffDemoObjects(o nimsim.Objects) (duplicates, lost []string) {
	count := map[string]int{}
	for _, r := range o.Chatrooms {
		if r.Valid {
			count["chatroom "+r.Name]++
		}
		for _, m := range r.Members {
			count["chatroom member "+m.Accid]++
		}
	}
	for _, s := range o.QChatServers {
		count["server "+s.Name]++
	}
	for _, ch := range o.QChatChannels {
		count["channel "+ch.Name]++
	}
	roleNames := map[int64]string{}
	for _, r := range o.QChatServerRoles {
		roleNames[r.RoleID] = r.Name
		if r.Type == 2 {
			count["role "+r.Name]++
		}
	}
	for _, cr := range o.QChatChannelRoles {
		count["channel role "+roleNames[cr.ServerRoleID]]++
	}
	for _, m := range o.QChatServerMembers {
		count["server member "+m.Accid]++
	}
	for _, m := range o.QChatRoleMembers {
		count["role member "+roleNames[m.RoleID]+"/"+m.Accid]++
	}
	for _, w := range o.QChatWhiteBlackRoles {
		count["allow list role "+roleNames[w.RoleID]]++
	}
	for _, u := range o.QChatUserOverrides {
		count["override "+u.Accid]++
	}
	want := []string{
		"chatroom Lobby", "chatroom Launch live stream", "chatroom member cohost01", "chatroom member guest042",
		"server Acme Community", "channel general", "channel announcements", "channel staff",
		"role moderators", "role members", "role bots", "channel role @everyone", "channel role moderators",
		"server member founder", "server member mod_ann", "server member mod_bo",
		"server member user_cy", "server member user_di", "server member user_ed",
		"role member moderators/mod_ann", "role member moderators/mod_bo", "role member members/user_cy",
		"role member members/user_di", "role member members/user_ed", "allow list role moderators", "override user_ed",
	}
	for _, w := range want {
		switch n := count[w]; {
		case n == 0:
			lost = append(lost, w)
		case n > 1:
			duplicates = append(duplicates, fmt.Sprintf("%s ×%d", w, n))
		}
		delete(count, w)
	}
	for k, n := range count {
		duplicates = append(duplicates, fmt.Sprintf("unexpected %s ×%d", k, n))
	}
	sort.Strings(duplicates)
	return duplicates, lost
}

// leftovers lists what a destroy should have removed: every QChat object
// and every open chatroom (chatrooms can only be closed).
func leftovers(o nimsim.Objects) []string {
	var out []string
	for _, r := range o.Chatrooms {
		if r.Valid {
			out = append(out, "open chatroom "+r.Name)
		}
	}
	for _, s := range o.QChatServers {
		out = append(out, "server "+s.Name)
	}
	return out
}

func printChaosTable(results []chaosResult) {
	var b strings.Builder
	fmt.Fprintf(&b, "\n| seed | NIM 500 | 416 | dropped before | dropped after | Easemob 500 | 429 | dropped before | dropped after | applies | duplicates | lost | final plan empty | left after destroy |\n")
	fmt.Fprintf(&b, "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |\n")
	for _, r := range results {
		f, e := r.faults, r.emFaults
		fmt.Fprintf(&b, "| %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %v | %d |\n", r.seed,
			f["500"], f["416"], f["drop_before"], f["drop_after"], e["500"], e["429"], e["drop_before"], e["drop_after"],
			r.applies, len(r.duplicates), len(r.lost), r.planEmpty, len(r.leftovers))
	}
	fmt.Print(b.String())
}

// tail returns the last 3000 bytes of a CLI's output, enough for its
// error and the plan lines before it.
func tail(s string) string {
	const n = 3000
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}
