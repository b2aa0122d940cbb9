package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
)

// ServerRole is a server role ("identify" of createServerIdentify and co.).
// The answers carry no serverId; the client fills ServerID from the request.
type ServerRole struct {
	ID          int64 // roleId
	ServerID    int64
	Name        string
	Icon        string
	Ext         string
	Priority    int64 // smaller is higher; @everyone is 0
	Type        int   // 1 @everyone, 2 custom
	Auths       Permissions
	MemberCount int
	// IsMember is "ismember": whether the operator (or the queried account)
	// is in the role, where answered.
	IsMember   bool
	CreateTime int64
	UpdateTime int64
}

type wireServerRole struct {
	RoleID      flexInt     `json:"roleId"`
	ServerID    flexInt     `json:"serverId"`
	Name        flexString  `json:"name"`
	Icon        flexString  `json:"icon"`
	Ext         flexString  `json:"ext"`
	Priority    flexInt     `json:"priority"`
	Type        flexInt     `json:"type"`
	Auths       Permissions `json:"auths"`
	MemberCount flexInt     `json:"membercount"`
	IsMember    flexBool    `json:"ismember"`
	CreateTime  flexInt     `json:"createtime"`
	UpdateTime  flexInt     `json:"updatetime"`
}

func (w *wireServerRole) toRole(serverID int64) ServerRole {
	r := ServerRole{
		ID:          int64(w.RoleID),
		ServerID:    int64(w.ServerID),
		Name:        string(w.Name),
		Icon:        string(w.Icon),
		Ext:         string(w.Ext),
		Priority:    int64(w.Priority),
		Type:        int(w.Type),
		Auths:       w.Auths,
		MemberCount: int(w.MemberCount),
		IsMember:    bool(w.IsMember),
		CreateTime:  int64(w.CreateTime),
		UpdateTime:  int64(w.UpdateTime),
	}
	if r.ServerID == 0 {
		r.ServerID = serverID
	}
	if r.Auths == nil {
		r.Auths = Permissions{}
	}
	return r
}

func toServerRoles(ws []wireServerRole, serverID int64) []ServerRole {
	return convertAll(ws, func(w *wireServerRole) ServerRole { return w.toRole(serverID) })
}

// ChannelRole is a channel role: a server role's permissions overridden in
// one channel ("identify" of createChannelIdentify and co.).
type ChannelRole struct {
	ID           int64 // roleId of the channel role (not the server role)
	ServerID     int64
	ChannelID    int64
	ParentRoleID int64 // serverRoleId: the server role it derives from
	Name         string
	Icon         string
	Ext          string
	Type         int // type of the server role: 1 @everyone, 2 custom
	Auths        Permissions
	CreateTime   int64
	UpdateTime   int64
}

type wireChannelRole struct {
	RoleID       flexInt     `json:"roleId"`
	ServerID     flexInt     `json:"serverId"`
	ChannelID    flexInt     `json:"channelId"`
	ServerRoleID flexInt     `json:"serverRoleId"`
	ParentRoleID flexInt     `json:"parentRoleId"` // the SDK's name, accepted too
	Name         flexString  `json:"name"`
	Icon         flexString  `json:"icon"`
	Ext          flexString  `json:"ext"`
	Type         flexInt     `json:"type"`
	Auths        Permissions `json:"auths"`
	CreateTime   flexInt     `json:"createtime"`
	UpdateTime   flexInt     `json:"updatetime"`
}

func (w *wireChannelRole) toRole(serverID, channelID int64) ChannelRole {
	r := ChannelRole{
		ID:           int64(w.RoleID),
		ServerID:     int64(w.ServerID),
		ChannelID:    int64(w.ChannelID),
		ParentRoleID: int64(w.ServerRoleID),
		Name:         string(w.Name),
		Icon:         string(w.Icon),
		Ext:          string(w.Ext),
		Type:         int(w.Type),
		Auths:        w.Auths,
		CreateTime:   int64(w.CreateTime),
		UpdateTime:   int64(w.UpdateTime),
	}
	if r.ParentRoleID == 0 {
		r.ParentRoleID = int64(w.ParentRoleID)
	}
	if r.ServerID == 0 {
		r.ServerID = serverID
	}
	if r.ChannelID == 0 {
		r.ChannelID = channelID
	}
	if r.Auths == nil {
		r.Auths = Permissions{}
	}
	return r
}

// MemberOverride is a per-member permission override in one channel
// ("identify" of createUserIdentify and co.).
type MemberOverride struct {
	ServerID   int64
	ChannelID  int64
	Accid      string
	Auths      Permissions
	Nick       string
	Avatar     string
	Custom     string
	Inviter    string
	MemberType int // 0 common member, 1 owner
	JoinTime   int64
	CreateTime int64
	UpdateTime int64
}

type wireMemberOverride struct {
	ServerID   flexInt     `json:"serverId"`
	ChannelID  flexInt     `json:"channelId"`
	Accid      flexString  `json:"accid"`
	Auths      Permissions `json:"auths"`
	Nick       flexString  `json:"nick"`
	Avatar     flexString  `json:"avatar"`
	Custom     flexString  `json:"custom"`
	Inviter    flexString  `json:"inviter"`
	MemberType flexInt     `json:"memberType"`
	JoinTime   flexInt     `json:"joinTime"`
	CreateTime flexInt     `json:"createtime"`
	UpdateTime flexInt     `json:"updatetime"`
}

func (w *wireMemberOverride) toOverride(serverID, channelID int64) MemberOverride {
	o := MemberOverride{
		ServerID:   int64(w.ServerID),
		ChannelID:  int64(w.ChannelID),
		Accid:      string(w.Accid),
		Auths:      w.Auths,
		Nick:       string(w.Nick),
		Avatar:     string(w.Avatar),
		Custom:     string(w.Custom),
		Inviter:    string(w.Inviter),
		MemberType: int(w.MemberType),
		JoinTime:   int64(w.JoinTime),
		CreateTime: int64(w.CreateTime),
		UpdateTime: int64(w.UpdateTime),
	}
	if o.ServerID == 0 {
		o.ServerID = serverID
	}
	if o.ChannelID == 0 {
		o.ChannelID = channelID
	}
	if o.Auths == nil {
		o.Auths = Permissions{}
	}
	return o
}

// ---- server roles (createServerIdentify, removeServerIdentify,
// updateServerIdentify, getServerIdentifyPages) ----

// CreateServerRoleRequest holds the parameters of qchat/createServerIdentify.
// The role type is always 2 (custom); the @everyone role exists already.
type CreateServerRoleRequest struct {
	ServerID int64
	Operator string // accid
	Name     string
	Icon     *string
	Ext      *string
	Priority *int64 // 1 is the highest custom priority
}

// CreateServerRole creates a custom server role (qchat/createServerIdentify,
// Write). New roles start from @everyone's permissions.
func (s *QChatService) CreateServerRole(ctx context.Context, req *CreateServerRoleRequest) (*ServerRole, error) {
	if req == nil {
		return nil, errors.New("nim qchat/createServerIdentify: nil request")
	}
	f := newForm().set("accid", req.Operator).setInt("serverId", req.ServerID).
		setInt("type", ServerRoleTypeCustom).set("name", req.Name).
		optString("icon", req.Icon).optString("ext", req.Ext).optInt64("priority", req.Priority)
	return s.serverRoleAnswer(ctx, "createServerIdentify", f, req.ServerID)
}

func (s *QChatService) serverRoleAnswer(ctx context.Context, name string, f form, serverID int64) (*ServerRole, error) {
	return writeObject(ctx, s, name, f, "identify", func(a *objectAnswer) json.RawMessage { return a.Identify },
		func(w *wireServerRole) ServerRole { return w.toRole(serverID) })
}

// UpdateServerRoleRequest holds the parameters of qchat/updateServerIdentify.
// Only non-nil fields are sent; Auths is sent as the "auths" JSON string and
// may hold only the permissions to change (1 allow, -1 deny). The document
// has no priority parameter for this endpoint.
type UpdateServerRoleRequest struct {
	ServerID int64
	RoleID   int64
	Operator string // accid
	Name     *string
	Icon     *string
	Ext      *string
	Auths    Permissions
}

// UpdateServerRole changes a server role (qchat/updateServerIdentify, Write).
func (s *QChatService) UpdateServerRole(ctx context.Context, req *UpdateServerRoleRequest) (*ServerRole, error) {
	if req == nil {
		return nil, errors.New("nim qchat/updateServerIdentify: nil request")
	}
	f := newForm().set("accid", req.Operator).setInt("serverId", req.ServerID).setInt("roleId", req.RoleID).
		optString("name", req.Name).optString("icon", req.Icon).optString("ext", req.Ext)
	if req.Auths != nil {
		f.set("auths", req.Auths.String())
	}
	return s.serverRoleAnswer(ctx, "updateServerIdentify", f, req.ServerID)
}

// RemoveServerRole deletes a custom server role (qchat/removeServerIdentify, Write).
func (s *QChatService) RemoveServerRole(ctx context.Context, serverID, roleID int64, operator string) error {
	f := newForm().set("accid", operator).setInt("serverId", serverID).setInt("roleId", roleID)
	return s.call(ctx, "removeServerIdentify", f, Write, nil)
}

// GetServerRolesPage returns one page of a server's roles
// (qchat/getServerIdentifyPages, Read), ordered by priority. priority is the
// anchor: the priority of the last role of the previous page, 0 for the first
// page (which starts with @everyone). limit is at most MaxQChatBatch.
func (s *QChatService) GetServerRolesPage(ctx context.Context, serverID int64, operator string, priority int64, limit int) ([]ServerRole, error) {
	f := newForm().set("accid", operator).setInt("serverId", serverID).
		setInt("priority", priority).setInt("limit", int64(limit))
	var out struct {
		Identify   jsonField[[]wireServerRole] `json:"identify"` // as documented
		Identifies jsonField[[]wireServerRole] `json:"identifies"`
	}
	if err := s.call(ctx, "getServerIdentifyPages", f, Read, &out); err != nil {
		return nil, err
	}
	ws := out.Identify.V
	if len(ws) == 0 {
		ws = out.Identifies.V
	}
	return toServerRoles(ws, serverID), nil
}

// ListServerRoles returns every role of a server (@everyone first), following
// getServerIdentifyPages with the priority anchor until a short page. With
// batch reads on (the default), concurrent calls for the same server and
// operator share one listing (see WithBatchReads).
func (s *QChatService) ListServerRoles(ctx context.Context, serverID int64, operator string) ([]ServerRole, error) {
	if b := s.client.batch; b != nil {
		return b.serverRoles.Get(ctx, serverRolesKey{serverID, operator}, struct{}{})
	}
	return s.listServerRoles(ctx, serverID, operator)
}

// serverRolesKey groups batched ListServerRoles calls: one listing per
// server and operator, since what a listing shows depends on who reads.
type serverRolesKey struct {
	serverID int64
	operator string
}

// fetchServerRoles answers one round of batched ListServerRoles calls with
// one listing.
func (s *QChatService) fetchServerRoles(ctx context.Context, k serverRolesKey, _ []struct{}) (map[struct{}][]ServerRole, map[struct{}]error, error) {
	return singleListing(s.listServerRoles(ctx, k.serverID, k.operator))
}

func (s *QChatService) listServerRoles(ctx context.Context, serverID int64, operator string) ([]ServerRole, error) {
	return followAnchor(ctx, "getServerIdentifyPages",
		func(ctx context.Context, anchor int64) ([]ServerRole, error) {
			return s.GetServerRolesPage(ctx, serverID, operator, anchor, MaxQChatBatch)
		},
		func(r ServerRole) string { return fmt.Sprint(r.ID) },
		func(r ServerRole) int64 { return r.Priority })
}

// GetServerRole returns one role of a server, read from the server's role
// listing (ListServerRoles; the API has no single-role read). A role that is
// not listed gives an *APIError with code 404 (IsNotFound), synthesized by the
// client; a missing server gives the listing's own error.
func (s *QChatService) GetServerRole(ctx context.Context, serverID, roleID int64, operator string) (*ServerRole, error) {
	roles, err := s.ListServerRoles(ctx, serverID, operator)
	return firstMatch(roles, err, func(r *ServerRole) bool { return r.ID == roleID },
		func() error { return notFound("qchat/getServerIdentifyPages", "role %d not found", roleID) })
}

// GetEveryoneRole returns a server's @everyone role: the first item of the
// first page of qchat/getServerIdentifyPages (Read), as documented. A page
// without it gives an *APIError with code 404 (IsNotFound), synthesized by the
// client.
func (s *QChatService) GetEveryoneRole(ctx context.Context, serverID int64, operator string) (*ServerRole, error) {
	roles, err := s.GetServerRolesPage(ctx, serverID, operator, 0, 1)
	return firstMatch(roles, err, func(r *ServerRole) bool { return r.Type == ServerRoleTypeEveryone },
		func() error { return notFound("qchat/getServerIdentifyPages", "server has no @everyone role") })
}

// followAnchor pages an endpoint without pageInfo: the next anchor is taken
// from the last item of a page, and a page shorter than MaxQChatBatch (or a
// page with nothing new) is the last one.
func followAnchor[T any](ctx context.Context, endpoint string,
	page func(ctx context.Context, anchor int64) ([]T, error),
	key func(T) string, anchorOf func(T) int64,
) ([]T, error) {
	all := []T{}
	seen := map[string]bool{}
	var anchor int64
	for n := 0; ; n++ {
		if n >= maxPages {
			return nil, errTooManyPages(endpoint)
		}
		items, err := page(ctx, anchor)
		if err != nil {
			return nil, err
		}
		added := 0
		for _, it := range items {
			k := key(it)
			if !seen[k] {
				seen[k] = true
				all = append(all, it)
				added++
			}
		}
		if len(items) < MaxQChatBatch || added == 0 {
			return all, nil
		}
		next := anchorOf(items[len(items)-1])
		if next == anchor {
			return nil, errNoPagination(endpoint, anchor)
		}
		anchor = next
	}
}

// ---- channel roles (createChannelIdentify, deleteChannelIdentify,
// updateChannelIdentify, getChannelIdentifyPages) ----

// CreateChannelRoleRequest holds the parameters of qchat/createChannelIdentify.
type CreateChannelRoleRequest struct {
	ServerID     int64
	ChannelID    int64
	ParentRoleID int64  // serverRoleId: the server role to override in the channel
	Operator     string // accid
}

// CreateChannelRole creates a channel role for a server role
// (qchat/createChannelIdentify, Write).
func (s *QChatService) CreateChannelRole(ctx context.Context, req *CreateChannelRoleRequest) (*ChannelRole, error) {
	if req == nil {
		return nil, errors.New("nim qchat/createChannelIdentify: nil request")
	}
	f := newForm().set("accid", req.Operator).setInt("serverId", req.ServerID).
		setInt("serverRoleId", req.ParentRoleID).setInt("channelId", req.ChannelID)
	return s.channelRoleAnswer(ctx, "createChannelIdentify", f, req.ServerID, req.ChannelID)
}

func (s *QChatService) channelRoleAnswer(ctx context.Context, name string, f form, serverID, channelID int64) (*ChannelRole, error) {
	return writeObject(ctx, s, name, f, "identify", func(a *objectAnswer) json.RawMessage { return a.Identify },
		func(w *wireChannelRole) ChannelRole { return w.toRole(serverID, channelID) })
}

// UpdateChannelRoleRequest holds the parameters of qchat/updateChannelIdentify.
type UpdateChannelRoleRequest struct {
	ServerID  int64
	ChannelID int64
	RoleID    int64  // the channel role's id, not the server role's
	Operator  string // accid
	Auths     Permissions
}

// UpdateChannelRole changes a channel role's permissions
// (qchat/updateChannelIdentify, Write). Values: 1 allow, -1 deny, 0 inherit.
func (s *QChatService) UpdateChannelRole(ctx context.Context, req *UpdateChannelRoleRequest) (*ChannelRole, error) {
	if req == nil {
		return nil, errors.New("nim qchat/updateChannelIdentify: nil request")
	}
	f := newForm().set("accid", req.Operator).setInt("serverId", req.ServerID).
		setInt("roleId", req.RoleID).setInt("channelId", req.ChannelID)
	if req.Auths != nil {
		f.set("auths", req.Auths.String())
	}
	return s.channelRoleAnswer(ctx, "updateChannelIdentify", f, req.ServerID, req.ChannelID)
}

// DeleteChannelRole deletes a channel role (qchat/deleteChannelIdentify, Write).
func (s *QChatService) DeleteChannelRole(ctx context.Context, serverID, channelID, roleID int64, operator string) error {
	f := newForm().set("accid", operator).setInt("serverId", serverID).
		setInt("roleId", roleID).setInt("channelId", channelID)
	return s.call(ctx, "deleteChannelIdentify", f, Write, nil)
}

// GetChannelRolesPage returns one page of a channel's roles
// (qchat/getChannelIdentifyPages, Read), newest first. timetag is the anchor:
// the create time of the last role of the previous page, 0 for the first page
// (which also holds @everyone's channel role).
func (s *QChatService) GetChannelRolesPage(ctx context.Context, serverID, channelID int64, operator string, timetag int64, limit int) ([]ChannelRole, error) {
	return channelIdentifyPage(ctx, s, "getChannelIdentifyPages", serverID, channelID, operator, timetag, limit,
		func(w *wireChannelRole) ChannelRole { return w.toRole(serverID, channelID) })
}

// ListChannelRoles returns every role of a channel, following
// getChannelIdentifyPages with the create-time anchor until a short page.
// With batch reads on (the default), concurrent calls for the same channel
// and operator share one listing (see WithBatchReads).
func (s *QChatService) ListChannelRoles(ctx context.Context, serverID, channelID int64, operator string) ([]ChannelRole, error) {
	if b := s.client.batch; b != nil {
		return b.channelRoles.Get(ctx, channelRolesKey{serverID, channelID, operator}, struct{}{})
	}
	return s.listChannelRoles(ctx, serverID, channelID, operator)
}

// channelRolesKey groups batched ListChannelRoles calls: one listing per
// channel and operator.
type channelRolesKey struct {
	serverID, channelID int64
	operator            string
}

// fetchChannelRoles answers one round of batched ListChannelRoles calls with
// one listing.
func (s *QChatService) fetchChannelRoles(ctx context.Context, k channelRolesKey, _ []struct{}) (map[struct{}][]ChannelRole, map[struct{}]error, error) {
	return singleListing(s.listChannelRoles(ctx, k.serverID, k.channelID, k.operator))
}

func (s *QChatService) listChannelRoles(ctx context.Context, serverID, channelID int64, operator string) ([]ChannelRole, error) {
	return followAnchor(ctx, "getChannelIdentifyPages",
		func(ctx context.Context, anchor int64) ([]ChannelRole, error) {
			return s.GetChannelRolesPage(ctx, serverID, channelID, operator, anchor, MaxQChatBatch)
		},
		func(r ChannelRole) string { return fmt.Sprint(r.ID) },
		func(r ChannelRole) int64 { return r.CreateTime })
}

// GetChannelRole returns one channel role by its own id, read from the
// channel's role listing (ListChannelRoles; the API has no single-role read).
// A role that is not listed gives an *APIError with code 404 (IsNotFound),
// synthesized by the client.
func (s *QChatService) GetChannelRole(ctx context.Context, serverID, channelID, roleID int64, operator string) (*ChannelRole, error) {
	roles, err := s.ListChannelRoles(ctx, serverID, channelID, operator)
	return firstMatch(roles, err, func(r *ChannelRole) bool { return r.ID == roleID },
		func() error { return notFound("qchat/getChannelIdentifyPages", "channel role %d not found", roleID) })
}

// GetChannelRoleOf returns the channel role that overrides the server role
// serverRoleID in a channel (a channel holds at most one per server role),
// read like GetChannelRole; none gives an *APIError with code 404
// (IsNotFound), synthesized by the client.
func (s *QChatService) GetChannelRoleOf(ctx context.Context, serverID, channelID, serverRoleID int64, operator string) (*ChannelRole, error) {
	roles, err := s.ListChannelRoles(ctx, serverID, channelID, operator)
	return firstMatch(roles, err, func(r *ChannelRole) bool { return r.ParentRoleID == serverRoleID },
		func() error {
			return notFound("qchat/getChannelIdentifyPages", "no channel role for server role %d", serverRoleID)
		})
}

// ---- per-member channel overrides (createUserIdentify, deleteUserIdentify,
// updateUserIdentify, getUserIdentifyPages) ----

// CreateMemberOverride creates a permission override for one member in one
// channel (qchat/createUserIdentify, Write).
func (s *QChatService) CreateMemberOverride(ctx context.Context, serverID, channelID int64, operator, accid string) (*MemberOverride, error) {
	f := newForm().set("accid", operator).setInt("serverId", serverID).
		setInt("channelId", channelID).set("faccid", accid)
	return s.overrideAnswer(ctx, "createUserIdentify", f, serverID, channelID)
}

func (s *QChatService) overrideAnswer(ctx context.Context, name string, f form, serverID, channelID int64) (*MemberOverride, error) {
	return writeObject(ctx, s, name, f, "identify", func(a *objectAnswer) json.RawMessage { return a.Identify },
		func(w *wireMemberOverride) MemberOverride { return w.toOverride(serverID, channelID) })
}

// UpdateMemberOverrideRequest holds the parameters of qchat/updateUserIdentify.
type UpdateMemberOverrideRequest struct {
	ServerID  int64
	ChannelID int64
	Operator  string // accid
	Accid     string // faccid: the member whose override changes
	Auths     Permissions
}

// UpdateMemberOverride changes a member override's permissions
// (qchat/updateUserIdentify, Write). Values: 1 allow, -1 deny, 0 inherit.
func (s *QChatService) UpdateMemberOverride(ctx context.Context, req *UpdateMemberOverrideRequest) (*MemberOverride, error) {
	if req == nil {
		return nil, errors.New("nim qchat/updateUserIdentify: nil request")
	}
	f := newForm().set("accid", req.Operator).setInt("serverId", req.ServerID).
		setInt("channelId", req.ChannelID).set("faccid", req.Accid)
	if req.Auths != nil {
		f.set("auths", req.Auths.String())
	}
	return s.overrideAnswer(ctx, "updateUserIdentify", f, req.ServerID, req.ChannelID)
}

// DeleteMemberOverride deletes a member override (qchat/deleteUserIdentify, Write).
func (s *QChatService) DeleteMemberOverride(ctx context.Context, serverID, channelID int64, operator, accid string) error {
	f := newForm().set("accid", operator).setInt("serverId", serverID).
		setInt("channelId", channelID).set("faccid", accid)
	return s.call(ctx, "deleteUserIdentify", f, Write, nil)
}

// GetMemberOverridesPage returns one page of a channel's member overrides
// (qchat/getUserIdentifyPages, Read), newest first; timetag is the create time
// of the last override of the previous page, 0 for the first page.
func (s *QChatService) GetMemberOverridesPage(ctx context.Context, serverID, channelID int64, operator string, timetag int64, limit int) ([]MemberOverride, error) {
	return channelIdentifyPage(ctx, s, "getUserIdentifyPages", serverID, channelID, operator, timetag, limit,
		func(w *wireMemberOverride) MemberOverride { return w.toOverride(serverID, channelID) })
}

// ListMemberOverrides returns every member override of a channel, following
// getUserIdentifyPages until a short page.
func (s *QChatService) ListMemberOverrides(ctx context.Context, serverID, channelID int64, operator string) ([]MemberOverride, error) {
	return followAnchor(ctx, "getUserIdentifyPages",
		func(ctx context.Context, anchor int64) ([]MemberOverride, error) {
			return s.GetMemberOverridesPage(ctx, serverID, channelID, operator, anchor, MaxQChatBatch)
		},
		func(o MemberOverride) string { return o.Accid },
		func(o MemberOverride) int64 { return o.CreateTime })
}

// GetMemberOverride returns the permission override of one account in one
// channel, read from the channel's override listing (ListMemberOverrides,
// qchat/getUserIdentifyPages). An account without an override gives an
// *APIError with code 404 (IsNotFound), synthesized by the client.
func (s *QChatService) GetMemberOverride(ctx context.Context, serverID, channelID int64, operator, accid string) (*MemberOverride, error) {
	all, err := s.ListMemberOverrides(ctx, serverID, channelID, operator)
	return firstMatch(all, err, func(o *MemberOverride) bool { return o.Accid == accid },
		func() error { return notFound("qchat/getUserIdentifyPages", "no override for %s", accid) })
}

// channelIdentifyPage reads one page of a channel's channel roles
// (getChannelIdentifyPages) or member overrides (getUserIdentifyPages): the
// two endpoints take the same parameters and answer an "identifies" list.
func channelIdentifyPage[W, T any](ctx context.Context, s *QChatService, name string, serverID, channelID int64,
	operator string, timetag int64, limit int, conv func(*W) T) ([]T, error) {
	f := newForm().set("accid", operator).setInt("serverId", serverID).setInt("channelId", channelID).
		setInt("timetag", timetag).setInt("limit", int64(limit))
	var out struct {
		Identifies jsonField[[]W] `json:"identifies"`
	}
	if err := s.call(ctx, name, f, Read, &out); err != nil {
		return nil, err
	}
	return convertAll(out.Identifies.V, conv), nil
}

// ---- role membership (createServerIdentifyMember,
// deleteServerIdentifyMember, getServerIdentifyMemberPages,
// getUserServerIdentify) ----

// RoleMembersResult is the answer of AddRoleMembers and RemoveRoleMembers.
type RoleMembersResult struct {
	Succeeded []string // successAccids
	Failed    []string // failAccids
}

func (s *QChatService) roleMembers(ctx context.Context, name string, serverID, roleID int64, operator string, accids []string) (*RoleMembersResult, error) {
	f := newForm().set("accid", operator).setInt("serverId", serverID).
		setInt("roleId", roleID).set("faccids", JSONArray(accids))
	var out struct {
		SuccessAccids flexStrings `json:"successAccids"`
		FailAccids    flexStrings `json:"failAccids"`
	}
	if err := s.call(ctx, name, f, Write, &out); err != nil {
		return nil, err
	}
	res := &RoleMembersResult{Succeeded: []string(out.SuccessAccids), Failed: []string(out.FailAccids)}
	if res.Succeeded == nil {
		res.Succeeded = []string{}
	}
	if res.Failed == nil {
		res.Failed = []string{}
	}
	return res, nil
}

// AddRoleMembers puts accounts into a server role
// (qchat/createServerIdentifyMember, Write).
func (s *QChatService) AddRoleMembers(ctx context.Context, serverID, roleID int64, operator string, accids []string) (*RoleMembersResult, error) {
	return s.roleMembers(ctx, "createServerIdentifyMember", serverID, roleID, operator, accids)
}

// RemoveRoleMembers takes accounts out of a server role
// (qchat/deleteServerIdentifyMember, Write).
func (s *QChatService) RemoveRoleMembers(ctx context.Context, serverID, roleID int64, operator string, accids []string) (*RoleMembersResult, error) {
	return s.roleMembers(ctx, "deleteServerIdentifyMember", serverID, roleID, operator, accids)
}

// GetRoleMembersPage returns one page of the members of a server role
// (qchat/getServerIdentifyMemberPages, Read), newest first. timetag and
// faccid are the anchor: the create time and accid of the last member of the
// previous page (0 and "" for the first page).
func (s *QChatService) GetRoleMembersPage(ctx context.Context, serverID, roleID int64, operator string, timetag int64, faccid string, limit int) ([]ServerMember, error) {
	f := newForm().set("accid", operator).setInt("serverId", serverID).setInt("roleId", roleID).
		setInt("timetag", timetag).setInt("limit", int64(limit))
	if faccid != "" {
		f.set("faccid", faccid)
	}
	var out struct {
		ServerMembers jsonField[[]wireServerMember] `json:"serverMembers"`
	}
	if err := s.call(ctx, "getServerIdentifyMemberPages", f, Read, &out); err != nil {
		return nil, err
	}
	return toMembers(out.ServerMembers.V), nil
}

// ListRoleMembers returns every member of a server role, following
// getServerIdentifyMemberPages until a short page.
func (s *QChatService) ListRoleMembers(ctx context.Context, serverID, roleID int64, operator string) ([]ServerMember, error) {
	all := []ServerMember{}
	seen := map[string]bool{}
	var timetag int64
	var faccid string
	for n := 0; ; n++ {
		if n >= maxPages {
			return nil, errTooManyPages("getServerIdentifyMemberPages")
		}
		page, err := s.GetRoleMembersPage(ctx, serverID, roleID, operator, timetag, faccid, MaxQChatBatch)
		if err != nil {
			return nil, err
		}
		added := 0
		for _, m := range page {
			if !seen[m.Accid] {
				seen[m.Accid] = true
				all = append(all, m)
				added++
			}
		}
		if len(page) < MaxQChatBatch || added == 0 {
			return all, nil
		}
		last := page[len(page)-1]
		timetag, faccid = last.CreateTime, last.Accid
	}
}

// GetMemberRolesPage returns one page of the server roles an account is in
// (qchat/getUserServerIdentify, Read); timetag is the create time of the last
// role of the previous page, 0 for the first page.
func (s *QChatService) GetMemberRolesPage(ctx context.Context, serverID int64, operator, accid string, timetag int64, limit int) ([]ServerRole, error) {
	f := newForm().set("accid", operator).setInt("serverId", serverID).set("faccid", accid).
		setInt("timetag", timetag).setInt("limit", int64(limit))
	var out struct {
		ServerIdentifies jsonField[[]wireServerRole] `json:"serverIdentifies"`
	}
	if err := s.call(ctx, "getUserServerIdentify", f, Read, &out); err != nil {
		return nil, err
	}
	return toServerRoles(out.ServerIdentifies.V, serverID), nil
}

// ListMemberRoles returns every server role an account is in, following
// getUserServerIdentify until a short page.
func (s *QChatService) ListMemberRoles(ctx context.Context, serverID int64, operator, accid string) ([]ServerRole, error) {
	return followAnchor(ctx, "getUserServerIdentify",
		func(ctx context.Context, anchor int64) ([]ServerRole, error) {
			return s.GetMemberRolesPage(ctx, serverID, operator, accid, anchor, MaxQChatBatch)
		},
		func(r ServerRole) string { return fmt.Sprint(r.ID) },
		func(r ServerRole) int64 { return r.CreateTime })
}

// clone copies a role with its own Auths, so that each caller of a batched
// listing may change what it got.
func (r ServerRole) clone() ServerRole { //nolint:unused // called through cloneAll[ServerRole]
	r.Auths = maps.Clone(r.Auths)
	return r
}

// clone copies a channel role with its own Auths.
func (r ChannelRole) clone() ChannelRole { //nolint:unused // called through cloneAll[ChannelRole]
	r.Auths = maps.Clone(r.Auths)
	return r
}
