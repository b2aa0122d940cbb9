package provider

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/nimtf/terraform-provider-nim/internal/client"
	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// TestClientAndSimulatorConcurrently drives one client (batched reads on,
// throttle and retries as the provider uses them) against one simulator
// from many goroutines, mixing creates, coalesced reads, updates and
// listings, so that `go test -race` covers the two together. It then checks
// that every goroutine saw its own writes.
func TestClientAndSimulatorConcurrently(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{MaxRoles: 100})
	c, err := client.New(testAppKey, testAppSecret, client.WithEndpoint(env.endpoint),
		client.WithRequestsPerSecond(0), client.WithBatchReads(true))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	srv, err := c.QChat.CreateServer(ctx, &client.CreateServerRequest{Owner: "boss", Name: ptr("Guild")})
	if err != nil {
		t.Fatal(err)
	}
	const workers, rounds = 8, 6
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- raceWorker(ctx, c, srv.ID, w, rounds)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	o := env.sim.Objects()
	if len(o.Chatrooms) != workers*rounds || len(o.QChatChannels) != workers*rounds {
		t.Errorf("%d rooms and %d channels, want %d each", len(o.Chatrooms), len(o.QChatChannels), workers*rounds)
	}
}

func raceWorker(ctx context.Context, c *client.Client, serverID int64, w, rounds int) error {
	for i := 0; i < rounds; i++ {
		name := fmt.Sprintf("w%d-r%d", w, i)
		room, err := c.Chatrooms.Create(ctx, &client.CreateChatroomRequest{Creator: "host", Name: name})
		if err != nil {
			return err
		}
		if err := c.Chatrooms.Update(ctx, &client.UpdateChatroomRequest{ID: room.ID, Announcement: ptr(name)}); err != nil {
			return err
		}
		got, err := c.Chatrooms.Get(ctx, room.ID) // coalesced with the other workers' reads
		if err != nil {
			return err
		}
		if got.Name != name || got.Announcement != name {
			return fmt.Errorf("worker %d read room %d as %q/%q after writing %q", w, room.ID, got.Name, got.Announcement, name)
		}
		ch, err := c.QChat.CreateChannel(ctx, &client.CreateChannelRequest{ServerID: serverID, Operator: "boss", Name: &name})
		if err != nil {
			return err
		}
		if got, err := c.QChat.GetChannel(ctx, ch.ID); err != nil || got.Name != name {
			return fmt.Errorf("worker %d read channel %d as %+v (%v)", w, ch.ID, got, err)
		}
		role, err := c.QChat.CreateServerRole(ctx, &client.CreateServerRoleRequest{ServerID: serverID, Operator: "boss", Name: name})
		if err != nil {
			return err
		}
		roles, err := c.QChat.ListServerRoles(ctx, serverID, "boss") // shared with concurrent listings
		if err != nil {
			return err
		}
		found := false
		for _, r := range roles {
			found = found || r.ID == role.ID
		}
		if !found {
			return fmt.Errorf("worker %d: role %d missing from a listing made after its creation", w, role.ID)
		}
	}
	return nil
}
