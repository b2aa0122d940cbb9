package easemob

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// DefaultSuperAdminPageSize is the page size of super-admin listings.
const DefaultSuperAdminPageSize = 100

// SuperAdminsService covers the app-wide chatroom super admins (the users
// allowed to create rooms from clients).
type SuperAdminsService struct{ client *Client }

// List returns one page of super admins:
// `GET /chatrooms/super_admin?pagenum=&pagesize=` (Read; pagenum from 1,
// pagesize 0 = DefaultSuperAdminPageSize; the server's default is 10).
func (s *SuperAdminsService) List(ctx context.Context, pagenum, pagesize int) (*UserList, error) {
	if pagenum < 1 {
		pagenum = 1
	}
	if pagesize <= 0 {
		pagesize = DefaultSuperAdminPageSize
	}
	q := url.Values{"pagenum": {strconv.Itoa(pagenum)}, "pagesize": {strconv.Itoa(pagesize)}}
	return listUsers(ctx, s.client, "/chatrooms/super_admin", q)
}

// ListAll returns every super admin, page by page, until a page is short or
// brings nobody new.
func (s *SuperAdminsService) ListAll(ctx context.Context) (*UserList, error) {
	out := &UserList{}
	seen := map[string]bool{}
	for pagenum := 1; ; pagenum++ {
		page, err := s.List(ctx, pagenum, DefaultSuperAdminPageSize)
		if err != nil {
			return nil, err
		}
		fresh := 0
		for _, u := range page.Users {
			if k := strings.ToLower(u); !seen[k] {
				seen[k] = true
				fresh++
				out.Users = append(out.Users, u)
			}
		}
		if len(page.Users) < DefaultSuperAdminPageSize || fresh == 0 {
			return out, nil
		}
	}
}

// Add makes user a super admin: `POST /chatrooms/super_admin` with
// `{"superadmin": u}`, one user per call (Write). An unknown user answers 404.
func (s *SuperAdminsService) Add(ctx context.Context, user string) (*UserResult, error) {
	if err := checkUser(user); err != nil {
		return nil, err
	}
	const path = "/chatrooms/super_admin"
	resp, err := s.client.Call(ctx, http.MethodPost, path, nil, map[string]string{"superadmin": user}, Write)
	if err != nil {
		return nil, err
	}
	return resultOf(resp.Data, "POST "+path, "add_super_admin", "", user)
}

// Remove revokes a super admin: `DELETE /chatrooms/super_admin/{u}` (Write).
// The answer names the user in `newSuperAdmin` and carries no result flag.
func (s *SuperAdminsService) Remove(ctx context.Context, user string) (*UserResult, error) {
	if err := checkUser(user); err != nil {
		return nil, err
	}
	path := "/chatrooms/super_admin/" + PathEscape(user)
	resp, err := s.client.Call(ctx, http.MethodDelete, path, nil, nil, Write)
	if err != nil {
		return nil, err
	}
	var data struct {
		User flexString `json:"newSuperAdmin"`
	}
	if err := decodeData("DELETE "+path, resp, &data); err != nil {
		return nil, err
	}
	if !strings.EqualFold(string(data.User), user) {
		return nil, fmt.Errorf("easemob DELETE %s: the answer names %q, not %q", path, data.User, user)
	}
	return &UserResult{User: user, OK: true}, nil
}
