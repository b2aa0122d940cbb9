package nimsim

// handler serves one endpoint. It runs with the state lock held; on success
// it returns the answer body without "code" (added as 200 when written).
type handler func(c *call) (obj, error)

// routes maps "{area}/{name}" of POST /nimserver/{area}/{name}.action to its
// handler. Everything not listed here answers HTTP 404 "unknown endpoint".
var routes = map[string]handler{
	// chatroom.go, chatroom_members.go (000 and 003)
	"chatroom/create":                  chatroomCreate,
	"chatroom/get":                     chatroomGet,
	"chatroom/getBatch":                chatroomGetBatch,
	"chatroom/update":                  chatroomUpdate,
	"chatroom/toggleCloseStat":         chatroomToggleCloseStat,
	"chatroom/muteRoom":                chatroomMuteRoom,
	"chatroom/updateInOutNotification": chatroomUpdateInOutNotification,
	"chatroom/updateDelayClosePolicy":  chatroomUpdateDelayClosePolicy,
	"chatroom/queryUserRoomIds":        chatroomQueryUserRoomIDs,
	"chatroom/sendMsg":                 chatroomSendMsg,
	"chatroom/setMemberRole":           chatroomSetMemberRole,
	"chatroom/temporaryMute":           chatroomTemporaryMute,
	"chatroom/membersByPage":           chatroomMembersByPage,
	"chatroom/queryMembers":            chatroomQueryMembers,

	// qchat_server.go (001)
	"qchat/createServer":      qchatCreateServer,
	"qchat/removeServer":      qchatRemoveServer,
	"qchat/updateServer":      qchatUpdateServer,
	"qchat/getServers":        qchatGetServers,
	"qchat/getServerListPage": qchatGetServerListPage,

	// qchat_member.go
	"qchat/inviteServerMember":      qchatInviteServerMember,
	"qchat/acceptServerInvite":      qchatAcceptServerInvite,
	"qchat/rejectServerInvite":      qchatRejectServerInvite,
	"qchat/applyServer":             qchatApplyServer,
	"qchat/acceptServerApply":       qchatAcceptServerApply,
	"qchat/rejectServerApply":       qchatRejectServerApply,
	"qchat/kickServerMember":        qchatKickServerMember,
	"qchat/leaveServer":             qchatLeaveServer,
	"qchat/updateServerMember":      qchatUpdateServerMember,
	"qchat/updateOtherServerMember": qchatUpdateOtherServerMember,
	"qchat/getServerMembers":        qchatGetServerMembers,
	"qchat/getServerMemberListPage": qchatGetServerMemberListPage,

	// qchat_channel.go
	"qchat/createChannel":            qchatCreateChannel,
	"qchat/removeChannel":            qchatRemoveChannel,
	"qchat/updateChannel":            qchatUpdateChannel,
	"qchat/getChannels":              qchatGetChannels,
	"qchat/getChannelListPage":       qchatGetChannelListPage,
	"qchat/getChannelMemberListPage": qchatGetChannelMemberListPage,

	// qchat_whiteblack.go
	"qchat/updateWhiteBlackIdentify":       qchatUpdateWhiteBlackIdentify,
	"qchat/updateWhiteBlackIdentifyUser":   qchatUpdateWhiteBlackIdentifyUser,
	"qchat/queryWhiteBlackIdentify":        qchatQueryWhiteBlackIdentify,
	"qchat/queryWhiteBlackIdentifyUser":    qchatQueryWhiteBlackIdentifyUser,
	"qchat/batchGetWhiteBlackIdentify":     qchatBatchGetWhiteBlackIdentify,
	"qchat/batchGetWhiteBlackIdentifyUser": qchatBatchGetWhiteBlackIdentifyUser,

	// qchat_identify.go (server roles and their members)
	"qchat/createServerIdentify":         qchatCreateServerIdentify,
	"qchat/removeServerIdentify":         qchatRemoveServerIdentify,
	"qchat/updateServerIdentify":         qchatUpdateServerIdentify,
	"qchat/getServerIdentifyPages":       qchatGetServerIdentifyPages,
	"qchat/createServerIdentifyMember":   qchatCreateServerIdentifyMember,
	"qchat/deleteServerIdentifyMember":   qchatDeleteServerIdentifyMember,
	"qchat/getServerIdentifyMemberPages": qchatGetServerIdentifyMemberPages,
	"qchat/getUserServerIdentify":        qchatGetUserServerIdentify,

	// qchat_channel_identify.go (channel roles and per-user overrides)
	"qchat/createChannelIdentify":   qchatCreateChannelIdentify,
	"qchat/deleteChannelIdentify":   qchatDeleteChannelIdentify,
	"qchat/updateChannelIdentify":   qchatUpdateChannelIdentify,
	"qchat/getChannelIdentifyPages": qchatGetChannelIdentifyPages,
	"qchat/createUserIdentify":      qchatCreateUserIdentify,
	"qchat/deleteUserIdentify":      qchatDeleteUserIdentify,
	"qchat/updateUserIdentify":      qchatUpdateUserIdentify,
	"qchat/getUserIdentifyPages":    qchatGetUserIdentifyPages,
}
