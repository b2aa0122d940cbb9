package easemob

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// DefaultMemberPageSize is the page size of member listings (the documented
// maximum and default).
const DefaultMemberPageSize = 1000

// MembersService covers a room's members.
type MembersService struct{ client *Client }

// MemberPage is one page of a room's members: the owner as Owner, admins and
// ordinary members alike as members.
type MemberPage struct {
	Members []Member
}

// List returns one page of a room's members:
// `GET /chatrooms/{id}/users?pagenum=&pagesize=` (Read; pagenum from 1,
// pagesize 1..1000, 0 = DefaultMemberPageSize). 002's table documents
// limit/cursor but its example and the vendor's SDK use pagenum/pagesize,
// which this client sends.
func (s *MembersService) List(ctx context.Context, room string, pagenum, pagesize int) (*MemberPage, error) {
	if err := checkRoomID(room); err != nil {
		return nil, err
	}
	if pagenum < 1 {
		pagenum = 1
	}
	if pagesize <= 0 {
		pagesize = DefaultMemberPageSize
	}
	path := "/chatrooms/" + PathEscape(room) + "/users"
	q := url.Values{"pagenum": {strconv.Itoa(pagenum)}, "pagesize": {strconv.Itoa(pagesize)}}
	resp, err := s.client.Call(ctx, http.MethodGet, path, q, nil, Read)
	if err != nil {
		return nil, err
	}
	members, err := decodeList[Member](resp.Data)
	if err != nil {
		return nil, fmt.Errorf("easemob GET %s: decoding answer data: %w", path, err)
	}
	return &MemberPage{Members: members}, nil
}

// ListAll returns every member of a room, page by page, until a page is
// short or brings nobody new (a server that ignores pagenum cannot loop it).
func (s *MembersService) ListAll(ctx context.Context, room string) (*MemberPage, error) {
	out := &MemberPage{}
	seen := map[string]bool{}
	for pagenum := 1; ; pagenum++ {
		page, err := s.List(ctx, room, pagenum, DefaultMemberPageSize)
		if err != nil {
			return nil, err
		}
		fresh := 0
		for _, m := range page.Members {
			if k := strings.ToLower(m.Username); !seen[k] {
				seen[k] = true
				fresh++
				out.Members = append(out.Members, m)
			}
		}
		if len(page.Members) < DefaultMemberPageSize || fresh == 0 {
			return out, nil
		}
	}
}

// Add adds one user: `POST /chatrooms/{id}/users/{username}` (Write). A user
// who does not exist or is already a member answers 400 (002) or 404.
func (s *MembersService) Add(ctx context.Context, room, user string) (*UserResult, error) {
	return s.one(ctx, http.MethodPost, "add_member", room, user)
}

// Remove removes one member: `DELETE /chatrooms/{id}/users/{username}`
// (Write). A user who is not a member answers 400 forbidden_op.
func (s *MembersService) Remove(ctx context.Context, room, user string) (*UserResult, error) {
	return s.one(ctx, http.MethodDelete, "remove_member", room, user)
}

func (s *MembersService) one(ctx context.Context, method, op, room, user string) (*UserResult, error) {
	if err := checkRoomID(room); err != nil {
		return nil, err
	}
	if err := checkUser(user); err != nil {
		return nil, err
	}
	path := "/chatrooms/" + PathEscape(room) + "/users/" + PathEscape(user)
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

// AddMany adds users, at most 60 per `POST /chatrooms/{id}/users` with
// `{"usernames": [...]}` (Write). The answer lists only the users added
// (`newmembers`); any other user is reported failed. When some users are not
// added, the result comes with a *BatchError naming them.
func (s *MembersService) AddMany(ctx context.Context, room string, users []string) (*BatchResult, error) {
	if err := checkRoomID(room); err != nil {
		return nil, err
	}
	path := "/chatrooms/" + PathEscape(room) + "/users"
	return runBatches(ctx, "add_member", room, users, func(ctx context.Context, chunk []string) ([]UserResult, error) {
		resp, err := s.client.Call(ctx, http.MethodPost, path, nil, map[string][]string{"usernames": chunk}, Write)
		if err != nil {
			return nil, err
		}
		var data struct {
			NewMembers []string `json:"newmembers"`
		}
		if err := decodeData("POST "+path, resp, &data); err != nil {
			return nil, err
		}
		added := map[string]bool{}
		for _, u := range data.NewMembers {
			added[strings.ToLower(u)] = true
		}
		out := make([]UserResult, len(chunk))
		for i, u := range chunk {
			out[i] = UserResult{User: u, OK: added[strings.ToLower(u)]}
			if !out[i].OK {
				out[i].Reason = "not among the added members (unknown user, already a member, or blocked)"
			}
		}
		return out, nil
	})
}

// RemoveMany removes members, at most 60 per
// `DELETE /chatrooms/{id}/users/{u1,u2,...}` (Write; 002's text says 100,
// its error message 60: the smaller is used). The answer has one result per
// user; refused users come back in a *BatchError with the server's reason.
func (s *MembersService) RemoveMany(ctx context.Context, room string, users []string) (*BatchResult, error) {
	if err := checkRoomID(room); err != nil {
		return nil, err
	}
	return runBatches(ctx, "remove_member", room, users, func(ctx context.Context, chunk []string) ([]UserResult, error) {
		path := "/chatrooms/" + PathEscape(room) + "/users/" + joinPath(chunk)
		resp, err := s.client.Call(ctx, http.MethodDelete, path, nil, nil, Write)
		if err != nil {
			return nil, err
		}
		return decodeUserResults("DELETE "+path, resp.Data, chunk)
	})
}
