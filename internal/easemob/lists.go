package easemob

import (
	"context"
	"net/http"
)

// UserListService covers a room's block list (`/blocks/users`; blocking
// removes the user from the room and bars rejoining; the owner cannot be
// blocked) or its allow list (`/white/users`; allow-listed users may speak
// during mute-all and do not leave the room automatically; they must be
// members).
type UserListService struct {
	client                  *Client
	segment                 string // "blocks" or "white"
	addAction, removeAction string
}

func (s *UserListService) path(room string) string {
	return "/chatrooms/" + PathEscape(room) + "/" + s.segment + "/users"
}

// List returns the users on the list: `GET /chatrooms/{id}/blocks/users` or
// `.../white/users` (Read).
func (s *UserListService) List(ctx context.Context, room string) (*UserList, error) {
	if err := checkRoomID(room); err != nil {
		return nil, err
	}
	return listUsers(ctx, s.client, s.path(room), nil)
}

// Add puts one user on the list: `POST .../{username}` (Write). A refusal
// inside a 200 answer (`result: false`) comes back as a *BatchError with the
// server's reason.
func (s *UserListService) Add(ctx context.Context, room, user string) (*UserResult, error) {
	return s.one(ctx, http.MethodPost, s.addAction, room, user)
}

// Remove takes one user off the list: `DELETE .../{username}` (Write).
func (s *UserListService) Remove(ctx context.Context, room, user string) (*UserResult, error) {
	return s.one(ctx, http.MethodDelete, s.removeAction, room, user)
}

func (s *UserListService) one(ctx context.Context, method, op, room, user string) (*UserResult, error) {
	if err := checkRoomID(room); err != nil {
		return nil, err
	}
	if err := checkUser(user); err != nil {
		return nil, err
	}
	path := s.path(room) + "/" + PathEscape(user)
	resp, err := s.client.Call(ctx, method, path, nil, nil, Write)
	if err != nil {
		return nil, err
	}
	rs, err := decodeUserResults(method+" "+path, resp.Data, []string{user})
	if err != nil {
		return nil, err
	}
	return single(op, room, rs[0])
}

// AddMany puts users on the list, at most 60 per `POST .../users` with
// `{"usernames": [...]}` (Write). The answer has one result per user (a
// non-member gets `result: false`, "user: X doesn't exist in chatroom: R");
// refused users come back in a *BatchError with the server's reason,
// together with the full result.
func (s *UserListService) AddMany(ctx context.Context, room string, users []string) (*BatchResult, error) {
	if err := checkRoomID(room); err != nil {
		return nil, err
	}
	path := s.path(room)
	return runBatches(ctx, s.addAction, room, users, func(ctx context.Context, chunk []string) ([]UserResult, error) {
		resp, err := s.client.Call(ctx, http.MethodPost, path, nil, map[string][]string{"usernames": chunk}, Write)
		if err != nil {
			return nil, err
		}
		return decodeUserResults("POST "+path, resp.Data, chunk)
	})
}

// RemoveMany takes users off the list, at most 60 per
// `DELETE .../users/{u1,u2,...}` (Write), with one result per user.
func (s *UserListService) RemoveMany(ctx context.Context, room string, users []string) (*BatchResult, error) {
	if err := checkRoomID(room); err != nil {
		return nil, err
	}
	return runBatches(ctx, s.removeAction, room, users, func(ctx context.Context, chunk []string) ([]UserResult, error) {
		path := s.path(room) + "/" + joinPath(chunk)
		resp, err := s.client.Call(ctx, http.MethodDelete, path, nil, nil, Write)
		if err != nil {
			return nil, err
		}
		return decodeUserResults("DELETE "+path, resp.Data, chunk)
	})
}
