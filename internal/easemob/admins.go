package easemob

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// AdminsService covers a room's admins (at most 99; only members can be
// promoted; the owner is not an admin).
type AdminsService struct{ client *Client }

// UserList is a list of user ids.
type UserList struct {
	Users []string
}

// List returns a room's admins: `GET /chatrooms/{id}/admin` (Read).
func (s *AdminsService) List(ctx context.Context, room string) (*UserList, error) {
	if err := checkRoomID(room); err != nil {
		return nil, err
	}
	return listUsers(ctx, s.client, "/chatrooms/"+PathEscape(room)+"/admin", nil)
}

// Add promotes a member: `POST /chatrooms/{id}/admin` with
// `{"newadmin": u}` (Write). The answer's result is the string "success"
// (002's table says Bool); both are read.
func (s *AdminsService) Add(ctx context.Context, room, user string) (*UserResult, error) {
	if err := checkRoomID(room); err != nil {
		return nil, err
	}
	if err := checkUser(user); err != nil {
		return nil, err
	}
	path := "/chatrooms/" + PathEscape(room) + "/admin"
	resp, err := s.client.Call(ctx, http.MethodPost, path, nil, map[string]string{"newadmin": user}, Write)
	if err != nil {
		return nil, err
	}
	return resultOf(resp.Data, "POST "+path, "add_admin", room, user)
}

// Remove demotes an admin to member: `DELETE /chatrooms/{id}/admin/{u}`
// (Write).
func (s *AdminsService) Remove(ctx context.Context, room, user string) (*UserResult, error) {
	if err := checkRoomID(room); err != nil {
		return nil, err
	}
	if err := checkUser(user); err != nil {
		return nil, err
	}
	path := "/chatrooms/" + PathEscape(room) + "/admin/" + PathEscape(user)
	resp, err := s.client.Call(ctx, http.MethodDelete, path, nil, nil, Write)
	if err != nil {
		return nil, err
	}
	return resultOf(resp.Data, "DELETE "+path, "remove_admin", room, user)
}

// resultOf reads a `{"result": ..., ...}` answer about one user.
func resultOf(data json.RawMessage, what, op, room, user string) (*UserResult, error) {
	var d struct {
		Result flexBool `json:"result"`
		Reason string   `json:"reason"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("easemob %s: decoding answer data: %w", what, err)
	}
	r := UserResult{User: user, OK: bool(d.Result), Reason: d.Reason}
	if !r.OK && r.Reason == "" {
		r.Reason = "the server answered result false without a reason"
	}
	return single(op, room, r)
}

// listUsers reads an answer whose data is an array of user ids.
func listUsers(ctx context.Context, c *Client, path string, q map[string][]string) (*UserList, error) {
	resp, err := c.Call(ctx, http.MethodGet, path, q, nil, Read)
	if err != nil {
		return nil, err
	}
	users, err := decodeList[flexString](resp.Data)
	if err != nil {
		return nil, fmt.Errorf("easemob GET %s: decoding answer data: %w", path, err)
	}
	out := &UserList{Users: make([]string, 0, len(users))}
	for _, u := range users {
		out.Users = append(out.Users, string(u))
	}
	return out, nil
}
