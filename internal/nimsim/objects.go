package nimsim

// The exported types below are the simulator's stored state. They are what
// Objects() returns, what GET /_sim/objects answers and what the state file
// holds, so every field that influences an answer is exported and tagged.
// Answer shapes (the documented JSON) are built from them in the *_views.go
// helpers; the two are kept apart because the API's shapes are irregular
// (auths as a JSON string, announcement null when empty, ...).

// Chatroom is one chatroom and its fixed members.
type Chatroom struct {
	RoomID       int64  `json:"roomid"`
	Creator      string `json:"creator"`
	Name         string `json:"name"`
	Announcement string `json:"announcement"`
	BroadcastURL string `json:"broadcasturl"`
	Ext          string `json:"ext"`
	QueueLevel   int    `json:"queuelevel"`
	Bid          string `json:"bid,omitempty"` // raw JSON object as sent
	Valid        bool   `json:"valid"`
	Muted        bool   `json:"muted"`
	IONotify     bool   `json:"ionotify"`
	// Delay-close policy (003): 0 none, 1 fixed time, 2 when idle.
	DelayClosePolicy int   `json:"delayClosePolicy"`
	DelaySeconds     int64 `json:"delaySeconds"`
	DelayStartTime   int64 `json:"delayStartTime"` // ms
	// DelayStatus (003): 1 set up on a closed room (runs once reopened),
	// 2 waiting, 3 done (the room closed itself), 4 cancelled; 0 no policy
	// was ever set (no delayInfo in answers).
	DelayStatus int              `json:"delayStatus"`
	CreateTime  int64            `json:"createTime"`
	UpdateTime  int64            `json:"updateTime"`
	Members     []ChatroomMember `json:"members"` // the creator is implicit
}

// ChatroomMember is an account with a role or restriction in a room.
type ChatroomMember struct {
	Accid         string `json:"accid"`
	Role          string `json:"role"` // "MANAGER", "COMMON" or "" (no fixed role)
	Blacklisted   bool   `json:"blacklisted"`
	Muted         bool   `json:"muted"`
	TempMuteUntil int64  `json:"tempMuteUntil"` // ms; 0 = not temporarily muted
	Level         int    `json:"level"`
	UpdateTime    int64  `json:"updateTime"` // ms, distinct; membersByPage order
}

// QChatServer is a QChat (圈组) server.
type QChatServer struct {
	ServerID   int64  `json:"serverId"`
	Name       string `json:"name"`
	Icon       string `json:"icon"`
	Custom     string `json:"custom"`
	Owner      string `json:"owner"`
	InviteMode int    `json:"inviteMode"`
	ApplyMode  int    `json:"applyMode"`
	CreateTime int64  `json:"createTime"`
	UpdateTime int64  `json:"updateTime"`
}

// QChatServerMember is a member of a QChat server (type 1 = owner).
type QChatServerMember struct {
	ServerID   int64  `json:"serverId"`
	Accid      string `json:"accid"`
	Nick       string `json:"nick"`
	Avatar     string `json:"avatar"`
	Custom     string `json:"custom"`
	Type       int    `json:"type"`
	Inviter    string `json:"inviter"`
	JoinTime   int64  `json:"joinTime"`
	CreateTime int64  `json:"createTime"`
	UpdateTime int64  `json:"updateTime"`
}

// QChatPending is an open invitation (By = inviter) or application (By = "").
type QChatPending struct {
	ServerID   int64  `json:"serverId"`
	Accid      string `json:"accid"`
	By         string `json:"by,omitempty"`
	Msg        string `json:"msg"`
	CreateTime int64  `json:"createTime"`
}

// QChatChannel is a channel of a server.
type QChatChannel struct {
	ChannelID  int64  `json:"channelId"`
	ServerID   int64  `json:"serverId"`
	Name       string `json:"name"`
	Topic      string `json:"topic"`
	Custom     string `json:"custom"`
	Type       int    `json:"type"`     // 0 message, 100 custom
	ViewMode   int    `json:"viewMode"` // 0 public (blacklist), 1 private (whitelist)
	Owner      string `json:"owner"`
	CreateTime int64  `json:"createTime"`
	UpdateTime int64  `json:"updateTime"`
}

// QChatServerRole is a server identify (身份组); Type 1 = @everyone, 2 = custom.
type QChatServerRole struct {
	RoleID     int64       `json:"roleId"`
	ServerID   int64       `json:"serverId"`
	Name       string      `json:"name"`
	Icon       string      `json:"icon"`
	Ext        string      `json:"ext"`
	Type       int         `json:"type"`
	Priority   int64       `json:"priority"`
	Auths      map[int]int `json:"auths"`
	CreateTime int64       `json:"createTime"`
	UpdateTime int64       `json:"updateTime"`
}

// QChatRoleMember records that Accid holds a custom server role.
type QChatRoleMember struct {
	RoleID   int64  `json:"roleId"`
	ServerID int64  `json:"serverId"`
	Accid    string `json:"accid"`
	JoinTime int64  `json:"joinTime"`
}

// QChatChannelRole is a channel identify derived from a server role.
type QChatChannelRole struct {
	RoleID       int64       `json:"roleId"`
	ServerID     int64       `json:"serverId"`
	ChannelID    int64       `json:"channelId"`
	ServerRoleID int64       `json:"serverRoleId"`
	Auths        map[int]int `json:"auths"`
	CreateTime   int64       `json:"createTime"`
	UpdateTime   int64       `json:"updateTime"`
}

// QChatUserOverride is a per-user channel permission set (user identify).
type QChatUserOverride struct {
	ServerID   int64       `json:"serverId"`
	ChannelID  int64       `json:"channelId"`
	Accid      string      `json:"accid"`
	Auths      map[int]int `json:"auths"`
	CreateTime int64       `json:"createTime"`
	UpdateTime int64       `json:"updateTime"`
}

// QChatWhiteBlackRole is a server role on a channel's white (1) or black (2) list.
type QChatWhiteBlackRole struct {
	ServerID   int64 `json:"serverId"`
	ChannelID  int64 `json:"channelId"`
	Type       int   `json:"type"`
	RoleID     int64 `json:"roleId"`
	CreateTime int64 `json:"createTime"`
}

// QChatWhiteBlackUser is an account on a channel's white (1) or black (2) list.
type QChatWhiteBlackUser struct {
	ServerID   int64  `json:"serverId"`
	ChannelID  int64  `json:"channelId"`
	Type       int    `json:"type"`
	Accid      string `json:"accid"`
	CreateTime int64  `json:"createTime"`
}

// Objects is a deep, sorted snapshot of everything the simulator stores.
type Objects struct {
	Chatrooms            []Chatroom            `json:"chatrooms"`
	QChatServers         []QChatServer         `json:"qchatServers"`
	QChatServerMembers   []QChatServerMember   `json:"qchatServerMembers"`
	QChatInvites         []QChatPending        `json:"qchatInvites"`
	QChatApplies         []QChatPending        `json:"qchatApplies"`
	QChatChannels        []QChatChannel        `json:"qchatChannels"`
	QChatServerRoles     []QChatServerRole     `json:"qchatServerRoles"`
	QChatRoleMembers     []QChatRoleMember     `json:"qchatRoleMembers"`
	QChatChannelRoles    []QChatChannelRole    `json:"qchatChannelRoles"`
	QChatUserOverrides   []QChatUserOverride   `json:"qchatUserOverrides"`
	QChatWhiteBlackRoles []QChatWhiteBlackRole `json:"qchatWhiteBlackRoles"`
	QChatWhiteBlackUsers []QChatWhiteBlackUser `json:"qchatWhiteBlackUsers"`
}
