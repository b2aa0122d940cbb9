package client

import (
	"context"
	"fmt"
	"net/url"
)

// QChat limits.
const (
	// MaxQChatBatch is the largest number of ids of one getServers or
	// getChannels call, and the largest page of the paged QChat endpoints.
	MaxQChatBatch = 200
	// maxPages stops a pagination that does not end.
	maxPages = 10000
)

// QChat type codes.
const (
	ChannelTypeMessage = 0
	ChannelTypeCustom  = 100

	ViewModePublic  = 0
	ViewModePrivate = 1

	ServerRoleTypeEveryone = 1
	ServerRoleTypeCustom   = 2

	WhiteList = 1
	BlackList = 2

	OpeAdd    = 1
	OpeRemove = 2
)

// QChatService wraps the qchat/* endpoints (servers, members, channels,
// white/black lists and roles, called "identify" by the API).
type QChatService struct{ client *Client }

func (s *QChatService) call(ctx context.Context, name string, f form, mode CallMode, out any) error {
	return s.client.Call(ctx, "qchat/"+name, url.Values(f), mode, out)
}

// PageInfo is the pagination state answered by the *ListPage endpoints.
type PageInfo struct {
	HasMore     bool
	NextTimetag int64
}

type wirePageInfo struct {
	HasMore     flexBool `json:"hasMore"`
	NextTimetag flexInt  `json:"nextTimetag"`
}

func (w *wirePageInfo) toPageInfo() PageInfo {
	if w == nil {
		return PageInfo{}
	}
	return PageInfo{HasMore: bool(w.HasMore), NextTimetag: int64(w.NextTimetag)}
}

// Server is a QChat server ("serverInfo").
type Server struct {
	ID            int64
	Name          string
	Icon          string
	Custom        string
	Owner         string
	InviteMode    int // 0 invitation needs consent, 1 it does not
	ApplyMode     int // 0 applications need no consent, 1 they do
	MemberNumber  int
	ChannelNumber int
	ValidFlag     int // 0 invalid (deleted), 1 valid
	CreateTime    int64
	UpdateTime    int64
}

type wireServer struct {
	ServerID      flexInt    `json:"serverId"`
	Name          flexString `json:"name"`
	Icon          flexString `json:"icon"`
	Custom        flexString `json:"custom"`
	Owner         flexString `json:"owner"`
	MemberNumber  flexInt    `json:"memberNumber"`
	InviteMode    flexInt    `json:"inviteMode"`
	ApplyMode     flexInt    `json:"applyMode"`
	ChannelNumber flexInt    `json:"channelNumber"`
	ValidFlag     flexInt    `json:"validFlag"`
	CreateTime    flexInt    `json:"createTime"`
	UpdateTime    flexInt    `json:"updateTime"`
}

func (w *wireServer) toServer() Server {
	return Server{
		ID:            int64(w.ServerID),
		Name:          string(w.Name),
		Icon:          string(w.Icon),
		Custom:        string(w.Custom),
		Owner:         string(w.Owner),
		InviteMode:    int(w.InviteMode),
		ApplyMode:     int(w.ApplyMode),
		MemberNumber:  int(w.MemberNumber),
		ChannelNumber: int(w.ChannelNumber),
		ValidFlag:     int(w.ValidFlag),
		CreateTime:    int64(w.CreateTime),
		UpdateTime:    int64(w.UpdateTime),
	}
}

// ServerMember is a member of a QChat server ("serverMember").
type ServerMember struct {
	ServerID   int64
	Accid      string
	Nick       string
	Avatar     string
	Custom     string
	Type       int // 0 common member, 1 owner
	JoinTime   int64
	Inviter    string
	ValidFlag  int
	CreateTime int64
	UpdateTime int64
}

type wireServerMember struct {
	ServerID   flexInt    `json:"serverId"`
	Accid      flexString `json:"accid"`
	Nick       flexString `json:"nick"`
	Avatar     flexString `json:"avatar"`
	Custom     flexString `json:"custom"`
	Type       flexInt    `json:"type"`
	JoinTime   flexInt    `json:"joinTime"`
	Inviter    flexString `json:"inviter"`
	ValidFlag  flexInt    `json:"validFlag"`
	CreateTime flexInt    `json:"createTime"`
	UpdateTime flexInt    `json:"updateTime"`
}

func (w *wireServerMember) toMember() ServerMember {
	return ServerMember{
		ServerID:   int64(w.ServerID),
		Accid:      string(w.Accid),
		Nick:       string(w.Nick),
		Avatar:     string(w.Avatar),
		Custom:     string(w.Custom),
		Type:       int(w.Type),
		JoinTime:   int64(w.JoinTime),
		Inviter:    string(w.Inviter),
		ValidFlag:  int(w.ValidFlag),
		CreateTime: int64(w.CreateTime),
		UpdateTime: int64(w.UpdateTime),
	}
}

func toMembers(ws []wireServerMember) []ServerMember {
	out := make([]ServerMember, 0, len(ws))
	for i := range ws {
		out = append(out, ws[i].toMember())
	}
	return out
}

// Channel is a QChat channel ("channelInfo").
type Channel struct {
	ID         int64
	ServerID   int64
	Name       string
	Topic      string
	Custom     string
	Owner      string
	Type       int // 0 message channel, 100 custom channel
	ViewMode   int // 0 public, 1 private
	ValidFlag  int
	CreateTime int64
	UpdateTime int64
}

type wireChannel struct {
	ChannelID  flexInt    `json:"channelId"`
	ServerID   flexInt    `json:"serverId"`
	Name       flexString `json:"name"`
	Topic      flexString `json:"topic"`
	Custom     flexString `json:"custom"`
	Type       flexInt    `json:"type"`
	Owner      flexString `json:"owner"`
	ViewMode   flexInt    `json:"viewMode"`
	ValidFlag  flexInt    `json:"validFlag"`
	CreateTime flexInt    `json:"createTime"`
	UpdateTime flexInt    `json:"updateTime"`
}

func (w *wireChannel) toChannel() Channel {
	return Channel{
		ID:         int64(w.ChannelID),
		ServerID:   int64(w.ServerID),
		Name:       string(w.Name),
		Topic:      string(w.Topic),
		Custom:     string(w.Custom),
		Owner:      string(w.Owner),
		Type:       int(w.Type),
		ViewMode:   int(w.ViewMode),
		ValidFlag:  int(w.ValidFlag),
		CreateTime: int64(w.CreateTime),
		UpdateTime: int64(w.UpdateTime),
	}
}

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
	out := make([]ServerRole, 0, len(ws))
	for i := range ws {
		out = append(out, ws[i].toRole(serverID))
	}
	return out
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

// errNoPagination is returned when a paged endpoint keeps answering the same
// anchor.
func errNoPagination(endpoint string, anchor int64) error {
	return fmt.Errorf("nim qchat/%s: pagination did not advance (anchor %d)", endpoint, anchor)
}

func errTooManyPages(endpoint string) error {
	return fmt.Errorf("nim qchat/%s: more than %d pages", endpoint, maxPages)
}

func chunkInt64(ids []int64, size int) [][]int64 {
	var out [][]int64
	for start := 0; start < len(ids); start += size {
		out = append(out, ids[start:min(start+size, len(ids))])
	}
	return out
}
