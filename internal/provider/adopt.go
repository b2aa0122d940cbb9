package provider

import (
	"context"
	"slices"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

// The finders below let client.CreateOrAdopt look up an object whose create
// had an unknown outcome. Names are not unique in NIM, so for chatrooms,
// servers, channels and roles the resource first lists the ids that exist
// (a snapshot) and a finder only considers ids that are not in it: an object
// that was there before this create is never adopted.

type idSnapshot map[int64]bool

func snapshotOf[T any](items []T, id func(T) int64) idSnapshot {
	s := idSnapshot{}
	for _, it := range items {
		s[id(it)] = true
	}
	return s
}

// firstNew returns the new item (lowest id, not in the snapshot) that
// matches; several concurrent identical creates are told apart by id order.
func firstNew[T any](items []T, before idSnapshot, id func(T) int64, match func(T) bool) (T, bool) {
	var best T
	found := false
	for _, it := range items {
		if before[id(it)] || !match(it) {
			continue
		}
		if !found || id(it) < id(best) {
			best, found = it, true
		}
	}
	return best, found
}

func snapshotRooms(ctx context.Context, c *client.Client, creator string) (idSnapshot, error) {
	ids, err := c.Chatrooms.ListIDsByCreator(ctx, creator)
	return snapshotOf(ids, func(id int64) int64 { return id }), err
}

func findNewRoom(c *client.Client, creator, name string, before idSnapshot) func(context.Context) (*client.Chatroom, bool, error) {
	return func(ctx context.Context) (*client.Chatroom, bool, error) {
		ids, err := c.Chatrooms.ListIDsByCreator(ctx, creator)
		if err != nil {
			return nil, false, err
		}
		ids = slices.DeleteFunc(ids, func(id int64) bool { return before[id] })
		if len(ids) == 0 {
			return nil, false, nil
		}
		res, err := c.Chatrooms.GetBatch(ctx, ids)
		if err != nil {
			return nil, false, err
		}
		rooms := make([]*client.Chatroom, 0, len(res.Rooms))
		for _, r := range res.Rooms {
			rooms = append(rooms, r)
		}
		room, ok := firstNew(rooms, before, func(r *client.Chatroom) int64 { return r.ID },
			func(r *client.Chatroom) bool { return r.Name == name && r.Creator == creator })
		return room, ok, nil
	}
}

func snapshotServers(ctx context.Context, c *client.Client, owner string) (idSnapshot, error) {
	servers, err := c.QChat.ListServers(ctx, owner)
	return snapshotOf(servers, func(s client.Server) int64 { return s.ID }), err
}

func findNewServer(c *client.Client, owner, name string, before idSnapshot) func(context.Context) (*client.Server, bool, error) {
	return func(ctx context.Context) (*client.Server, bool, error) {
		servers, err := c.QChat.ListServers(ctx, owner)
		if err != nil {
			return nil, false, err
		}
		s, ok := firstNew(servers, before, func(s client.Server) int64 { return s.ID },
			func(s client.Server) bool { return s.Owner == owner && s.Name == name && s.ValidFlag != 0 })
		return &s, ok, nil
	}
}

func snapshotChannels(ctx context.Context, c *client.Client, serverID int64) (idSnapshot, error) {
	channels, err := c.QChat.ListChannels(ctx, serverID)
	return snapshotOf(channels, func(ch client.Channel) int64 { return ch.ID }), err
}

func findNewChannel(c *client.Client, serverID int64, name string, typ int, before idSnapshot) func(context.Context) (*client.Channel, bool, error) {
	return func(ctx context.Context) (*client.Channel, bool, error) {
		channels, err := c.QChat.ListChannels(ctx, serverID)
		if err != nil {
			return nil, false, err
		}
		ch, ok := firstNew(channels, before, func(ch client.Channel) int64 { return ch.ID },
			func(ch client.Channel) bool { return ch.Name == name && ch.Type == typ && ch.ValidFlag != 0 })
		return &ch, ok, nil
	}
}

func snapshotRoles(ctx context.Context, c *client.Client, serverID int64, operator string) (idSnapshot, error) {
	roles, err := c.QChat.ListServerRoles(ctx, serverID, operator)
	return snapshotOf(roles, func(r client.ServerRole) int64 { return r.ID }), err
}

func findNewRole(c *client.Client, serverID int64, operator, name string, priority *int64, before idSnapshot) func(context.Context) (*client.ServerRole, bool, error) {
	return func(ctx context.Context) (*client.ServerRole, bool, error) {
		roles, err := c.QChat.ListServerRoles(ctx, serverID, operator)
		if err != nil {
			return nil, false, err
		}
		r, ok := firstNew(roles, before, func(r client.ServerRole) int64 { return r.ID },
			func(r client.ServerRole) bool {
				return r.Type == client.ServerRoleTypeCustom && r.Name == name && (priority == nil || r.Priority == *priority)
			})
		return &r, ok, nil
	}
}

// byKey adapts a lookup by a unique key (a channel role per server role, an
// override per account) to a finder: not found means not there.
func byKey[T any](lookup func(context.Context) (*T, error)) func(context.Context) (*T, bool, error) {
	return func(ctx context.Context) (*T, bool, error) {
		obj, err := lookup(ctx)
		if client.IsNotFound(err) {
			return nil, false, nil
		}
		return obj, err == nil, err
	}
}

// createUnique creates an object of which there can be only one per key (a
// channel role per server role, an override per account): after an unknown
// outcome, or a duplicate answer (417) because it already exists, the
// existing one is adopted.
func createUnique[T any](ctx context.Context, create func(context.Context) (*T, error), find func(context.Context) (*T, error)) (*T, error) {
	obj, err := client.CreateOrAdopt(ctx, client.DefaultCreateAttempts, create, byKey(find))
	if client.IsDuplicate(err) {
		return find(ctx)
	}
	return obj, err
}
