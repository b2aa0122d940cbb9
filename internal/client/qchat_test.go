package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// qcase is one QChat method: the request it must send, the stored answer
// replayed, and what it must decode.
type qcase struct {
	name     string
	endpoint string
	mode     CallMode
	form     map[string]string
	answer   string // testdata file, or inline JSON starting with {
	call     func(ctx context.Context, c *Client) (any, error)
	want     any
}

func serverFixture() Server {
	return Server{ID: 123, Name: "name", Icon: "icon", Custom: "custom", Owner: "zhangsan", MemberNumber: 1,
		ValidFlag: 1, CreateTime: 1234, UpdateTime: 1234}
}

func memberFixture() ServerMember {
	return ServerMember{ServerID: 123, Accid: "lisi", Nick: "nick", Avatar: "avatar", Custom: "custom",
		JoinTime: 1234, Inviter: "zhangsan", ValidFlag: 1, CreateTime: 1234, UpdateTime: 1234}
}

func channelFixture() Channel {
	return Channel{ID: 123, ServerID: 123, Name: "name", Topic: "topic", Custom: "custom", Owner: "zhangsan",
		ValidFlag: 1, CreateTime: 1234, UpdateTime: 1234}
}

func serverRoleFixture() ServerRole {
	return ServerRole{ID: 1, ServerID: 1513535, Name: "name", Icon: "icon", Ext: "ext", Priority: 1, Type: 1,
		Auths: Permissions{1: -1, 2: 1}, MemberCount: 1, CreateTime: 1, UpdateTime: 1}
}

func channelRoleFixture() ChannelRole {
	return ChannelRole{ID: 1, ServerID: 2, ChannelID: 1, ParentRoleID: 1, Name: "name", Icon: "icon", Ext: "ext",
		Type: 1, Auths: Permissions{1: -1, 2: 1}, CreateTime: 1, UpdateTime: 1}
}

func overrideFixture() MemberOverride {
	return MemberOverride{ServerID: 2, ChannelID: 1, Accid: "accid", Auths: Permissions{1: -1, 2: 1}, Nick: "icon",
		Avatar: "name", Custom: "icon", Inviter: "icon", MemberType: 1, JoinTime: 1, CreateTime: 1, UpdateTime: 1}
}

func qchatCases() []qcase {
	srv, srv2 := serverFixture(), serverFixture()
	srv2.ChannelNumber = 1
	mem := memberFixture()
	ch := channelFixture()
	return []qcase{
		// servers
		{"CreateServer", "qchat/createServer", Write,
			map[string]string{"accid": "zhangsan", "name": "n", "icon": "i", "custom": "c", "inviteMode": "1", "applyMode": "0"},
			"qchat_createServer.json",
			func(ctx context.Context, c *Client) (any, error) {
				return c.QChat.CreateServer(ctx, &CreateServerRequest{Owner: "zhangsan", Name: ptr("n"), Icon: ptr("i"), Custom: ptr("c"), InviteMode: ptr(1), ApplyMode: ptr(0)})
			}, &srv},
		{"CreateServer minimal", "qchat/createServer", Write, map[string]string{"accid": "zhangsan"}, "qchat_createServer.json",
			func(ctx context.Context, c *Client) (any, error) {
				return c.QChat.CreateServer(ctx, &CreateServerRequest{Owner: "zhangsan"})
			}, &srv},
		{"RemoveServer", "qchat/removeServer", Idempotent, map[string]string{"accid": "zhangsan", "serverId": "1513535"}, `{"code":200}`,
			func(ctx context.Context, c *Client) (any, error) {
				return nil, c.QChat.RemoveServer(ctx, 1513535, "zhangsan")
			}, nil},
		{"UpdateServer", "qchat/updateServer", Idempotent, map[string]string{"accid": "zhangsan", "serverId": "1513535", "name": "update"},
			"qchat_updateServer.json",
			func(ctx context.Context, c *Client) (any, error) {
				return c.QChat.UpdateServer(ctx, &UpdateServerRequest{ServerID: 1513535, Operator: "zhangsan", Name: ptr("update")})
			}, &srv},
		{"GetServers", "qchat/getServers", Read, map[string]string{"serverIds": `["123","234"]`}, "qchat_getServers.json",
			func(ctx context.Context, c *Client) (any, error) { return c.QChat.GetServers(ctx, []int64{123, 234}) },
			[]Server{srv, srv2}},
		{"GetServer", "qchat/getServers", Read, map[string]string{"serverIds": `["123"]`}, "qchat_getServers.json",
			func(ctx context.Context, c *Client) (any, error) { return c.QChat.GetServer(ctx, 123) }, &srv},
		{"GetServerListPage", "qchat/getServerListPage", Read, map[string]string{"accid": "zhangsan", "timetag": "1558938768520", "limit": "10"},
			"qchat_getServerListPage.json",
			func(ctx context.Context, c *Client) (any, error) {
				s, p, err := c.QChat.GetServerListPage(ctx, "zhangsan", 1558938768520, 10)
				return []any{s, p}, err
			}, []any{[]Server{srv, srv2}, PageInfo{HasMore: true, NextTimetag: 1234}}},
		// members
		{"InviteServerMember", "qchat/inviteServerMember", Idempotent,
			map[string]string{"accid": "zhangsan", "serverId": "1513535", "invitedAccids": `["lisi","wangwu"]`, "msg": "invite"},
			"qchat_inviteServerMember.json",
			func(ctx context.Context, c *Client) (any, error) {
				return c.QChat.InviteServerMember(ctx, &InviteServerMemberRequest{ServerID: 1513535, Operator: "zhangsan", Accids: []string{"lisi", "wangwu"}, Msg: ptr("invite")})
			}, &InviteResult{FailedAccids: []string{"lisi"}, FailMsg: "user server count exceed"}},
		{"AcceptServerInvite", "qchat/acceptServerInvite", Write, map[string]string{"accid": "zhangsan", "serverId": "1513535", "inviteAccid": "lisi"}, `{"code":200}`,
			func(ctx context.Context, c *Client) (any, error) {
				return nil, c.QChat.AcceptServerInvite(ctx, 1513535, "zhangsan", "lisi")
			}, nil},
		{"RejectServerInvite", "qchat/rejectServerInvite", Write, map[string]string{"accid": "zhangsan", "serverId": "1513535", "inviteAccid": "lisi", "msg": "reject"}, `{"code":200}`,
			func(ctx context.Context, c *Client) (any, error) {
				return nil, c.QChat.RejectServerInvite(ctx, 1513535, "zhangsan", "lisi", ptr("reject"))
			}, nil},
		{"ApplyServer", "qchat/applyServer", Write, map[string]string{"accid": "zhangsan", "serverId": "1513535", "msg": "apply"}, `{"code":200}`,
			func(ctx context.Context, c *Client) (any, error) {
				return nil, c.QChat.ApplyServer(ctx, 1513535, "zhangsan", ptr("apply"))
			}, nil},
		{"AcceptServerApply", "qchat/acceptServerApply", Write, map[string]string{"accid": "zhangsan", "serverId": "1513535", "applyAccid": "lisi"}, `{"code":200}`,
			func(ctx context.Context, c *Client) (any, error) {
				return nil, c.QChat.AcceptServerApply(ctx, 1513535, "zhangsan", "lisi")
			}, nil},
		{"RejectServerApply", "qchat/rejectServerApply", Write, map[string]string{"accid": "zhangsan", "serverId": "1513535", "applyAccid": "lisi", "msg": "reject"}, `{"code":200}`,
			func(ctx context.Context, c *Client) (any, error) {
				return nil, c.QChat.RejectServerApply(ctx, 1513535, "zhangsan", "lisi", ptr("reject"))
			}, nil},
		{"KickServerMember", "qchat/kickServerMember", Idempotent, map[string]string{"accid": "zhangsan", "serverId": "1513535", "kickedAccids": `["lisi","wangwu"]`}, `{"code":200}`,
			func(ctx context.Context, c *Client) (any, error) {
				return nil, c.QChat.KickServerMember(ctx, 1513535, "zhangsan", []string{"lisi", "wangwu"})
			}, nil},
		{"LeaveServer", "qchat/leaveServer", Write, map[string]string{"accid": "zhangsan", "serverId": "1513535"}, `{"code":200}`,
			func(ctx context.Context, c *Client) (any, error) {
				return nil, c.QChat.LeaveServer(ctx, 1513535, "zhangsan")
			}, nil},
		{"UpdateServerMember", "qchat/updateServerMember", Idempotent, map[string]string{"accid": "zhangsan", "serverId": "1513535", "nick": "update", "avatar": "a", "custom": "c"},
			"qchat_updateServerMember.json",
			func(ctx context.Context, c *Client) (any, error) {
				return c.QChat.UpdateServerMember(ctx, &UpdateServerMemberRequest{ServerID: 1513535, Accid: "zhangsan", Nick: ptr("update"), Avatar: ptr("a"), Custom: ptr("c")})
			}, &mem},
		{"UpdateOtherServerMember", "qchat/updateOtherServerMember", Idempotent, map[string]string{"accid": "zhangsan", "serverId": "1513535", "otherAccid": "lisi", "nick": "update"},
			"qchat_updateOtherServerMember.json",
			func(ctx context.Context, c *Client) (any, error) {
				return c.QChat.UpdateOtherServerMember(ctx, &UpdateOtherServerMemberRequest{ServerID: 1513535, Operator: "zhangsan", Accid: "lisi", Nick: ptr("update")})
			}, &mem},
		{"GetServerMembers", "qchat/getServerMembers", Read, map[string]string{"serverIdAccids": `["123|lisi","234|wangwu"]`}, "qchat_getServerMembers.json",
			func(ctx context.Context, c *Client) (any, error) {
				return c.QChat.GetServerMembers(ctx, []ServerMemberKey{{123, "lisi"}, {234, "wangwu"}})
			}, []ServerMember{mem, mem}},
		{"GetServerMemberListPage", "qchat/getServerMemberListPage", Read, map[string]string{"serverId": "1513535", "timetag": "1558938768520", "limit": "10"},
			"qchat_getServerMemberListPage.json",
			func(ctx context.Context, c *Client) (any, error) {
				m, p, err := c.QChat.GetServerMemberListPage(ctx, 1513535, "", 1558938768520, 10)
				return []any{m, p}, err
			}, []any{[]ServerMember{mem, mem}, PageInfo{HasMore: true, NextTimetag: 1234}}},
		// channels
		{"CreateChannel", "qchat/createChannel", Write,
			map[string]string{"accid": "zhangsan", "serverId": "1513535", "type": "0", "name": "n", "topic": "t", "custom": "c", "viewMode": "1"},
			"qchat_createChannel.json",
			func(ctx context.Context, c *Client) (any, error) {
				return c.QChat.CreateChannel(ctx, &CreateChannelRequest{ServerID: 1513535, Operator: "zhangsan", Type: ChannelTypeMessage, Name: ptr("n"), Topic: ptr("t"), Custom: ptr("c"), ViewMode: ptr(1)})
			}, &ch},
		{"RemoveChannel", "qchat/removeChannel", Idempotent, map[string]string{"accid": "zhangsan", "channelId": "1513535"}, `{"code":200}`,
			func(ctx context.Context, c *Client) (any, error) {
				return nil, c.QChat.RemoveChannel(ctx, 1513535, "zhangsan")
			}, nil},
		{"UpdateChannel", "qchat/updateChannel", Idempotent, map[string]string{"accid": "zhangsan", "channelId": "1513535", "name": "update", "viewMode": "0"},
			"qchat_updateChannel.json",
			func(ctx context.Context, c *Client) (any, error) {
				return c.QChat.UpdateChannel(ctx, &UpdateChannelRequest{ChannelID: 1513535, Operator: "zhangsan", Name: ptr("update"), ViewMode: ptr(0)})
			}, &ch},
		{"GetChannels", "qchat/getChannels", Read, map[string]string{"channelIds": `["123","234"]`}, "qchat_getChannels.json",
			func(ctx context.Context, c *Client) (any, error) { return c.QChat.GetChannels(ctx, []int64{123, 234}) },
			[]Channel{ch, ch}},
		{"GetChannel", "qchat/getChannels", Read, map[string]string{"channelIds": `["123"]`}, "qchat_getChannels.json",
			func(ctx context.Context, c *Client) (any, error) { return c.QChat.GetChannel(ctx, 123) }, &ch},
		{"GetChannelListPage", "qchat/getChannelListPage", Read, map[string]string{"serverId": "1513535", "timetag": "1558938768520", "limit": "10", "accid": "a"},
			"qchat_getChannelListPage.json",
			func(ctx context.Context, c *Client) (any, error) {
				l, p, err := c.QChat.GetChannelListPage(ctx, 1513535, "a", 1558938768520, 10)
				return []any{l, p}, err
			}, []any{[]Channel{ch, ch}, PageInfo{HasMore: true, NextTimetag: 1234}}},
		{"GetChannelMemberListPage", "qchat/getChannelMemberListPage", Read, map[string]string{"serverId": "1", "channelId": "2", "timetag": "0", "limit": "10"},
			`{"code":200,"pageInfo":{"hasMore":false,"nextTimetag":0},"members":[]}`,
			func(ctx context.Context, c *Client) (any, error) {
				l, p, err := c.QChat.GetChannelMemberListPage(ctx, 1, 2, "", 0, 10)
				return []any{l, p}, err
			}, []any{[]ServerMember{}, PageInfo{}}},
		// white/black lists
		{"UpdateWhiteBlackRole", "qchat/updateWhiteBlackIdentify", Idempotent,
			map[string]string{"serverId": "1513535", "channelId": "12222", "type": "1", "opeType": "1", "roleid": "12", "accid": "acc"}, `{"code":200}`,
			func(ctx context.Context, c *Client) (any, error) {
				return nil, c.QChat.UpdateWhiteBlackRole(ctx, WhiteBlackListRef{ServerID: 1513535, ChannelID: 12222, Operator: "acc", Type: WhiteList}, OpeAdd, 12)
			}, nil},
		{"UpdateWhiteBlackUsers", "qchat/updateWhiteBlackIdentifyUser", Idempotent,
			map[string]string{"serverId": "1513535", "channelId": "12222", "type": "2", "opeType": "2", "toAccids": `["sasas"]`, "accid": "acc"}, `{"code":200}`,
			func(ctx context.Context, c *Client) (any, error) {
				return nil, c.QChat.UpdateWhiteBlackUsers(ctx, WhiteBlackListRef{ServerID: 1513535, ChannelID: 12222, Operator: "acc", Type: BlackList}, OpeRemove, []string{"sasas"})
			}, nil},
		{"QueryWhiteBlackRolesPage", "qchat/queryWhiteBlackIdentify", Read,
			map[string]string{"serverId": "1513535", "channelId": "12222", "type": "1", "timetag": "0", "limit": "10", "accid": "acc"},
			`{"code":200,"pageInfo":{"hasMore":false,"nextTimetag":0},"identifies":[{"roleId":"7","name":"r","auths":"{\"4\":1}","priority":3,"type":2}]}`,
			func(ctx context.Context, c *Client) (any, error) {
				r, p, err := c.QChat.QueryWhiteBlackRolesPage(ctx, WhiteBlackListRef{ServerID: 1513535, ChannelID: 12222, Operator: "acc", Type: WhiteList}, 0, 10)
				return []any{r, p}, err
			}, []any{[]ServerRole{{ID: 7, ServerID: 1513535, Name: "r", Auths: Permissions{4: 1}, Priority: 3, Type: 2}}, PageInfo{}}},
		{"QueryWhiteBlackUsersPage", "qchat/queryWhiteBlackIdentifyUser", Read,
			map[string]string{"serverId": "1513535", "channelId": "12222", "type": "1", "timetag": "0", "limit": "10", "accid": "acc"},
			"qchat_queryWhiteBlackIdentifyUser.json",
			func(ctx context.Context, c *Client) (any, error) {
				m, p, err := c.QChat.QueryWhiteBlackUsersPage(ctx, WhiteBlackListRef{ServerID: 1513535, ChannelID: 12222, Operator: "acc", Type: WhiteList}, 0, 10)
				return []any{m, p}, err
			}, []any{[]ServerMember{mem, mem}, PageInfo{HasMore: true, NextTimetag: 1234}}},
		{"BatchGetWhiteBlackRoles", "qchat/batchGetWhiteBlackIdentify", Read,
			map[string]string{"serverId": "1513535", "channelId": "12222", "type": "1", "roleids": `["10"]`, "accid": "acc"},
			`{"code":200,"identifies":[]}`,
			func(ctx context.Context, c *Client) (any, error) {
				return c.QChat.BatchGetWhiteBlackRoles(ctx, WhiteBlackListRef{ServerID: 1513535, ChannelID: 12222, Operator: "acc", Type: WhiteList}, []int64{10})
			}, []ServerRole{}},
		{"BatchGetWhiteBlackUsers", "qchat/batchGetWhiteBlackIdentifyUser", Read,
			map[string]string{"serverId": "1513535", "channelId": "12222", "type": "1", "accids": `["asas"]`, "accid": "acc"},
			"qchat_batchGetWhiteBlackIdentifyUser.json",
			func(ctx context.Context, c *Client) (any, error) {
				return c.QChat.BatchGetWhiteBlackUsers(ctx, WhiteBlackListRef{ServerID: 1513535, ChannelID: 12222, Operator: "acc", Type: WhiteList}, []string{"asas"})
			}, []ServerMember{mem, mem}},
		// server roles
		{"CreateServerRole", "qchat/createServerIdentify", Write,
			map[string]string{"serverId": "1513535", "accid": "accid", "type": "2", "name": "新身份组1", "icon": "iconurl", "ext": "ext", "priority": "12"},
			"qchat_createServerIdentify.json",
			func(ctx context.Context, c *Client) (any, error) {
				return c.QChat.CreateServerRole(ctx, &CreateServerRoleRequest{ServerID: 1513535, Operator: "accid", Name: "新身份组1", Icon: ptr("iconurl"), Ext: ptr("ext"), Priority: ptr(int64(12))})
			}, ptr(serverRoleFixture())},
		{"RemoveServerRole", "qchat/removeServerIdentify", Idempotent, map[string]string{"serverId": "1513535", "accid": "accid", "roleId": "2"}, `{"code":200}`,
			func(ctx context.Context, c *Client) (any, error) {
				return nil, c.QChat.RemoveServerRole(ctx, 1513535, 2, "accid")
			}, nil},
		{"UpdateServerRole", "qchat/updateServerIdentify", Idempotent,
			map[string]string{"serverId": "1513535", "accid": "accid", "roleId": "2", "name": "新身份组1", "auths": `{"1":1,"4":-1}`},
			"qchat_updateServerIdentify.json",
			func(ctx context.Context, c *Client) (any, error) {
				return c.QChat.UpdateServerRole(ctx, &UpdateServerRoleRequest{ServerID: 1513535, RoleID: 2, Operator: "accid", Name: ptr("新身份组1"), Auths: Permissions{4: -1, 1: 1}})
			}, ptr(serverRoleFixture())},
		{"GetServerRolesPage", "qchat/getServerIdentifyPages", Read,
			map[string]string{"serverId": "1513535", "accid": "accid", "priority": "1", "limit": "10"},
			"qchat_getServerIdentifyPages.json",
			func(ctx context.Context, c *Client) (any, error) {
				return c.QChat.GetServerRolesPage(ctx, 1513535, "accid", 1, 10)
			}, []ServerRole{serverRoleFixture()}},
		// channel roles
		{"CreateChannelRole", "qchat/createChannelIdentify", Write,
			map[string]string{"serverId": "1513535", "accid": "accid", "serverRoleId": "2", "channelId": "10001"},
			"qchat_createChannelIdentify.json",
			func(ctx context.Context, c *Client) (any, error) {
				return c.QChat.CreateChannelRole(ctx, &CreateChannelRoleRequest{ServerID: 1513535, ChannelID: 10001, ParentRoleID: 2, Operator: "accid"})
			}, ptr(channelRoleFixture())},
		{"DeleteChannelRole", "qchat/deleteChannelIdentify", Idempotent,
			map[string]string{"serverId": "1513535", "accid": "accid", "roleId": "2", "channelId": "10001"}, `{"code":200}`,
			func(ctx context.Context, c *Client) (any, error) {
				return nil, c.QChat.DeleteChannelRole(ctx, 1513535, 10001, 2, "accid")
			}, nil},
		{"UpdateChannelRole", "qchat/updateChannelIdentify", Idempotent,
			map[string]string{"serverId": "1513535", "accid": "accid", "roleId": "2", "channelId": "10010", "auths": `{"2":0,"4":1,"9":-1}`},
			"qchat_updateChannelIdentify.json",
			func(ctx context.Context, c *Client) (any, error) {
				return c.QChat.UpdateChannelRole(ctx, &UpdateChannelRoleRequest{ServerID: 1513535, ChannelID: 10010, RoleID: 2, Operator: "accid", Auths: Permissions{4: 1, 9: -1, 2: 0}})
			}, ptr(channelRoleFixture())},
		{"GetChannelRolesPage", "qchat/getChannelIdentifyPages", Read,
			map[string]string{"serverId": "1513535", "accid": "accid", "channelId": "10010", "timetag": "1111111111111", "limit": "10"},
			"qchat_getChannelIdentifyPages.json",
			func(ctx context.Context, c *Client) (any, error) {
				return c.QChat.GetChannelRolesPage(ctx, 1513535, 10010, "accid", 1111111111111, 10)
			}, []ChannelRole{channelRoleFixture()}},
		// member overrides
		{"CreateMemberOverride", "qchat/createUserIdentify", Write,
			map[string]string{"serverId": "1513535", "accid": "accid", "channelId": "10010", "faccid": "faccid"},
			"qchat_createUserIdentify.json",
			func(ctx context.Context, c *Client) (any, error) {
				return c.QChat.CreateMemberOverride(ctx, 1513535, 10010, "accid", "faccid")
			}, ptr(overrideFixture())},
		{"DeleteMemberOverride", "qchat/deleteUserIdentify", Idempotent,
			map[string]string{"serverId": "1513535", "accid": "accid", "channelId": "10010", "faccid": "faccid"}, `{"code":200}`,
			func(ctx context.Context, c *Client) (any, error) {
				return nil, c.QChat.DeleteMemberOverride(ctx, 1513535, 10010, "accid", "faccid")
			}, nil},
		{"UpdateMemberOverride", "qchat/updateUserIdentify", Idempotent,
			map[string]string{"serverId": "1513535", "accid": "accid", "channelId": "10010", "faccid": "faccid", "auths": `{"4":-1}`},
			"qchat_updateUserIdentify.json",
			func(ctx context.Context, c *Client) (any, error) {
				return c.QChat.UpdateMemberOverride(ctx, &UpdateMemberOverrideRequest{ServerID: 1513535, ChannelID: 10010, Operator: "accid", Accid: "faccid", Auths: Permissions{4: -1}})
			}, ptr(overrideFixture())},
		{"GetMemberOverridesPage", "qchat/getUserIdentifyPages", Read,
			map[string]string{"serverId": "1513535", "accid": "accid", "channelId": "10010", "timetag": "11111111111", "limit": "20"},
			"qchat_getUserIdentifyPages.json",
			func(ctx context.Context, c *Client) (any, error) {
				return c.QChat.GetMemberOverridesPage(ctx, 1513535, 10010, "accid", 11111111111, 20)
			}, []MemberOverride{overrideFixture()}},
		// role membership
		{"AddRoleMembers", "qchat/createServerIdentifyMember", Idempotent,
			map[string]string{"serverId": "1513535", "accid": "accid", "roleId": "1", "faccids": `["accid1","accid2"]`},
			"qchat_createServerIdentifyMember.json",
			func(ctx context.Context, c *Client) (any, error) {
				return c.QChat.AddRoleMembers(ctx, 1513535, 1, "accid", []string{"accid1", "accid2"})
			}, &RoleMembersResult{Succeeded: []string{"accid1"}, Failed: []string{"accid2"}}},
		{"RemoveRoleMembers", "qchat/deleteServerIdentifyMember", Idempotent,
			map[string]string{"serverId": "1513535", "accid": "accid", "roleId": "1", "faccids": `["accid1","accid2"]`},
			"qchat_deleteServerIdentifyMember.json",
			func(ctx context.Context, c *Client) (any, error) {
				return c.QChat.RemoveRoleMembers(ctx, 1513535, 1, "accid", []string{"accid1", "accid2"})
			}, &RoleMembersResult{Succeeded: []string{"accid1"}, Failed: []string{"accid2"}}},
		{"GetRoleMembersPage", "qchat/getServerIdentifyMemberPages", Read,
			map[string]string{"serverId": "1513535", "accid": "accid", "roleId": "1", "timetag": "1111111111111", "faccid": "accid1", "limit": "20"},
			"qchat_getServerIdentifyMemberPages.json",
			func(ctx context.Context, c *Client) (any, error) {
				return c.QChat.GetRoleMembersPage(ctx, 1513535, 1, "accid", 1111111111111, "accid1", 20)
			}, []ServerMember{mem}},
		{"GetMemberRolesPage", "qchat/getUserServerIdentify", Read,
			map[string]string{"serverId": "1513535", "accid": "accid", "timetag": "1111111111111", "faccid": "accid1", "limit": "20"},
			"qchat_getUserServerIdentify.json",
			func(ctx context.Context, c *Client) (any, error) {
				return c.QChat.GetMemberRolesPage(ctx, 1513535, "accid", "accid1", 1111111111111, 20)
			}, func() []ServerRole { r := serverRoleFixture(); r.Type = 2; return []ServerRole{r} }()},
	}
}

func TestQChatEndpoints(t *testing.T) {
	for _, tc := range qchatCases() {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
				testPath(t, r, tc.endpoint)
				testFormValues(t, r, tc.form)
				if strings.HasPrefix(tc.answer, "{") {
					writeJSON(w, tc.answer)
				} else {
					replay(t, w, tc.answer)
				}
			})
			got, err := tc.call(context.Background(), e.c)
			if err != nil {
				t.Fatal(err)
			}
			if e.requests.Load() != 1 {
				t.Errorf("%d requests, want 1", e.requests.Load())
			}
			if tc.want == nil {
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				gb, _ := json.Marshal(got)
				wb, _ := json.Marshal(tc.want)
				t.Errorf("decoded\n got %s\nwant %s", gb, wb)
			}
		})
	}
}

func TestQChatModes(t *testing.T) {
	for _, tc := range qchatCases() {
		t.Run(tc.name, func(t *testing.T) {
			checkMode(t, tc.mode, func(c *Client) error {
				_, err := tc.call(context.Background(), c)
				return err
			})
		})
	}
}

func TestQChatNotFoundSynthesized(t *testing.T) {
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, `{"code":200,"serverInfos":[],"channelInfos":[]}`)
	})
	if _, err := e.c.QChat.GetServer(context.Background(), 9); !IsNotFound(err) {
		t.Errorf("GetServer err = %v, want IsNotFound", err)
	}
	if _, err := e.c.QChat.GetChannel(context.Background(), 9); !IsNotFound(err) {
		t.Errorf("GetChannel err = %v, want IsNotFound", err)
	}
}

// idsHandler answers getServers/getChannels with one item per id asked and
// records the batch sizes.
func idsHandler(t *testing.T, field, listKey, idKey string, sizes *[]int, mu *sync.Mutex) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		var ids []string
		if err := json.Unmarshal([]byte(r.PostForm.Get(field)), &ids); err != nil {
			t.Errorf("%s = %q: %v", field, r.PostForm.Get(field), err)
		}
		mu.Lock()
		*sizes = append(*sizes, len(ids))
		mu.Unlock()
		items := make([]string, len(ids))
		for i, id := range ids {
			items[i] = fmt.Sprintf(`{"%s":%s,"name":"n%s"}`, idKey, id, id)
		}
		writeJSON(w, fmt.Sprintf(`{"code":200,"%s":[%s]}`, listKey, strings.Join(items, ",")))
	}
}

func TestGetServersAndChannelsSplitAt200(t *testing.T) {
	ids := make([]int64, 450)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	var mu sync.Mutex
	var sizes []int
	e := newEnv(t, idsHandler(t, "serverIds", "serverInfos", "serverId", &sizes, &mu))
	servers, err := e.c.QChat.GetServers(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sizes, []int{200, 200, 50}) || len(servers) != 450 || servers[449].ID != 450 || servers[449].Name != "n450" {
		t.Errorf("sizes %v, %d servers", sizes, len(servers))
	}

	sizes = nil
	e = newEnv(t, idsHandler(t, "channelIds", "channelInfos", "channelId", &sizes, &mu))
	channels, err := e.c.QChat.GetChannels(context.Background(), ids[:401])
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sizes, []int{200, 200, 1}) || len(channels) != 401 || channels[400].ID != 401 {
		t.Errorf("sizes %v, %d channels", sizes, len(channels))
	}
}

func TestListServersFollowsPages(t *testing.T) {
	var timetags []string
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		testPath(t, r, "qchat/getServerListPage")
		_ = r.ParseForm()
		if r.PostForm.Get("accid") != "zhangsan" || r.PostForm.Get("limit") != "200" {
			t.Errorf("form = %v", r.PostForm)
		}
		tt := r.PostForm.Get("timetag")
		timetags = append(timetags, tt)
		switch tt {
		case "0":
			writeJSON(w, `{"code":200,"pageInfo":{"hasMore":true,"nextTimetag":300},"serverInfos":[{"serverId":1},{"serverId":2}]}`)
		case "300":
			writeJSON(w, `{"code":200,"pageInfo":{"hasMore":"true","nextTimetag":"200"},"serverInfos":[{"serverId":2},{"serverId":3}]}`)
		case "200":
			writeJSON(w, `{"code":200,"pageInfo":{"hasMore":false,"nextTimetag":100},"serverInfos":[{"serverId":4}]}`)
		default:
			writeJSON(w, `{"code":414,"desc":"bad timetag"}`)
		}
	})
	servers, err := e.c.QChat.ListServers(context.Background(), "zhangsan")
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, s := range servers {
		got = append(got, s.ID)
	}
	if !reflect.DeepEqual(got, []int64{1, 2, 3, 4}) || !reflect.DeepEqual(timetags, []string{"0", "300", "200"}) {
		t.Errorf("ids %v, timetags %v", got, timetags)
	}
}

func TestListChannelsFollowsPagesAndStopsOnStuckAnchor(t *testing.T) {
	var calls int
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		testPath(t, r, "qchat/getChannelListPage")
		_ = r.ParseForm()
		calls++
		if r.PostForm.Get("serverId") != "5" {
			t.Errorf("serverId = %q", r.PostForm.Get("serverId"))
		}
		if _, ok := r.PostForm["accid"]; ok {
			t.Error("accid sent")
		}
		switch r.PostForm.Get("timetag") {
		case "0":
			writeJSON(w, `{"code":200,"pageInfo":{"hasMore":true,"nextTimetag":50},"channelInfos":[{"channelId":10,"serverId":5}]}`)
		case "50":
			writeJSON(w, `{"code":200,"pageInfo":{"hasMore":false},"channelInfos":[{"channelId":11,"serverId":5}]}`)
		}
	})
	channels, err := e.c.QChat.ListChannels(context.Background(), 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(channels) != 2 || channels[0].ID != 10 || channels[1].ID != 11 || calls != 2 {
		t.Errorf("channels %+v after %d calls", channels, calls)
	}

	stuck := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, `{"code":200,"pageInfo":{"hasMore":true,"nextTimetag":0},"channelInfos":[{"channelId":10}]}`)
	})
	if _, err := stuck.c.QChat.ListChannels(context.Background(), 5); err == nil || !strings.Contains(err.Error(), "did not advance") {
		t.Errorf("stuck pagination err = %v", err)
	}
	if stuck.requests.Load() != 1 {
		t.Errorf("stuck pagination made %d calls", stuck.requests.Load())
	}
}

// rolePages serves getServerIdentifyPages: @everyone plus n custom roles
// with priorities 1..n, each page holding the roles with priority >= anchor
// (inclusive, to exercise de-duplication), at most limit of them.
func TestListServerRolesFollowsPriorityAnchor(t *testing.T) {
	const n = 450
	var anchors []string
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		testPath(t, r, "qchat/getServerIdentifyPages")
		_ = r.ParseForm()
		if r.PostForm.Get("accid") != "owner" || r.PostForm.Get("serverId") != "9" || r.PostForm.Get("limit") != "200" {
			t.Errorf("form = %v", r.PostForm)
		}
		anchor, _ := strconv.Atoi(r.PostForm.Get("priority"))
		anchors = append(anchors, r.PostForm.Get("priority"))
		var items []string
		if anchor == 0 {
			items = append(items, `{"roleId":1000,"priority":0,"type":1,"name":"@everyone","auths":"{\"4\": 1}"}`)
		}
		for p := max(anchor, 1); p <= n && len(items) < 200; p++ {
			items = append(items, fmt.Sprintf(`{"roleId":%d,"priority":%d,"type":2,"name":"r%d","auths":""}`, 2000+p, p, p))
		}
		writeJSON(w, `{"code":200,"identify":[`+strings.Join(items, ",")+`]}`)
	})
	roles, err := e.c.QChat.ListServerRoles(context.Background(), 9, "owner")
	if err != nil {
		t.Fatal(err)
	}
	if len(roles) != n+1 {
		t.Fatalf("%d roles, want %d (anchors %v)", len(roles), n+1, anchors)
	}
	if roles[0].Type != ServerRoleTypeEveryone || roles[0].Auths[4] != 1 || roles[0].ServerID != 9 {
		t.Errorf("first role = %+v", roles[0])
	}
	seen := map[int64]bool{}
	for _, r := range roles {
		if seen[r.ID] {
			t.Errorf("role %d twice", r.ID)
		}
		seen[r.ID] = true
	}
	if !reflect.DeepEqual(anchors, []string{"0", "199", "398"}) {
		t.Errorf("anchors = %v", anchors)
	}
}

func TestListChannelRolesAndOverridesFollowTimetag(t *testing.T) {
	// 250 items with create times 1000..751 (newest first); the first page
	// holds @everyone in addition, like the document says.
	page := func(w http.ResponseWriter, r *http.Request, item func(i int, ct int64) string) {
		_ = r.ParseForm()
		tt, _ := strconv.ParseInt(r.PostForm.Get("timetag"), 10, 64)
		var items []string
		if tt == 0 {
			items = append(items, item(-1, 5000))
			tt = 1 << 62
		}
		count := 0
		for i := 0; i < 250 && count < 200; i++ {
			ct := int64(1000 - i)
			if ct < tt {
				items = append(items, item(i, ct))
				count++
			}
		}
		writeJSON(w, `{"code":200,"identifies":[`+strings.Join(items, ",")+`]}`)
	}
	var timetags []string
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		timetags = append(timetags, r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]+"@"+r.PostForm.Get("timetag"))
		if strings.HasSuffix(r.URL.Path, "getChannelIdentifyPages.action") {
			page(w, r, func(i int, ct int64) string {
				return fmt.Sprintf(`{"roleId":%d,"serverRoleId":%d,"createtime":%d,"auths":"{\"4\":0}"}`, 100+i, 500+i, ct)
			})
			return
		}
		page(w, r, func(i int, ct int64) string {
			return fmt.Sprintf(`{"accid":"u%d","createtime":%d,"auths":"{}"}`, i, ct)
		})
	})
	roles, err := e.c.QChat.ListChannelRoles(context.Background(), 1, 2, "owner")
	if err != nil {
		t.Fatal(err)
	}
	if len(roles) != 251 || roles[0].ID != 99 || roles[1].ParentRoleID != 500 || roles[1].ServerID != 1 || roles[1].ChannelID != 2 {
		t.Errorf("%d roles, first %+v", len(roles), roles[:2])
	}
	overrides, err := e.c.QChat.ListMemberOverrides(context.Background(), 1, 2, "owner")
	if err != nil {
		t.Fatal(err)
	}
	if len(overrides) != 251 {
		t.Errorf("%d overrides", len(overrides))
	}
	want := []string{"getChannelIdentifyPages.action@0", "getChannelIdentifyPages.action@801",
		"getUserIdentifyPages.action@0", "getUserIdentifyPages.action@801"}
	if !reflect.DeepEqual(timetags, want) {
		t.Errorf("calls = %v, want %v", timetags, want)
	}
}

func TestListRoleMembersAndMemberRoles(t *testing.T) {
	var calls []string
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		f := r.PostForm
		switch {
		case strings.HasSuffix(r.URL.Path, "getServerIdentifyMemberPages.action"):
			calls = append(calls, "members@"+f.Get("timetag")+"/"+f.Get("faccid"))
			if f.Get("roleId") != "3" || f.Get("serverId") != "1" {
				t.Errorf("form %v", f)
			}
			start := 0
			if f.Get("faccid") != "" {
				start, _ = strconv.Atoi(strings.TrimPrefix(f.Get("faccid"), "u"))
				start++
			}
			var items []string
			for i := start; i < 230 && len(items) < 200; i++ {
				items = append(items, fmt.Sprintf(`{"serverId":1,"accid":"u%d","createTime":%d}`, i, 10000-i/2))
			}
			writeJSON(w, `{"code":200,"serverMembers":[`+strings.Join(items, ",")+`]}`)
		case strings.HasSuffix(r.URL.Path, "getUserServerIdentify.action"):
			calls = append(calls, "roles@"+f.Get("timetag")+"/"+f.Get("faccid"))
			writeJSON(w, `{"code":200,"serverIdentifies":[{"roleId":"5","name":"mods","createtime":7,"ismember":1,"auths":"{\"1\":\"1\"}"}]}`)
		default:
			t.Errorf("path %s", r.URL.Path)
		}
	})
	members, err := e.c.QChat.ListRoleMembers(context.Background(), 1, 3, "owner")
	if err != nil {
		t.Fatal(err)
	}
	if len(members) != 230 || members[229].Accid != "u229" {
		t.Errorf("%d members", len(members))
	}
	roles, err := e.c.QChat.ListMemberRoles(context.Background(), 1, "owner", "lisi")
	if err != nil {
		t.Fatal(err)
	}
	if len(roles) != 1 || roles[0].ID != 5 || !roles[0].IsMember || roles[0].Auths[1] != 1 || roles[0].ServerID != 1 {
		t.Errorf("roles = %+v", roles)
	}
	want := []string{"members@0/", "members@9901/u199", "roles@0/lisi"}
	if !reflect.DeepEqual(calls, want) {
		t.Errorf("calls = %v, want %v", calls, want)
	}
}

func TestUpdateWhiteBlackUsersSplitsAt100(t *testing.T) {
	var sizes []int
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		var accids []string
		_ = json.Unmarshal([]byte(r.PostForm.Get("toAccids")), &accids)
		sizes = append(sizes, len(accids))
		writeJSON(w, `{"code":200}`)
	})
	accids := make([]string, 250)
	for i := range accids {
		accids[i] = fmt.Sprint("u", i)
	}
	list := WhiteBlackListRef{ServerID: 1, ChannelID: 2, Operator: "o", Type: WhiteList}
	if err := e.c.QChat.UpdateWhiteBlackUsers(context.Background(), list, OpeAdd, accids); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sizes, []int{100, 100, 50}) {
		t.Errorf("sizes = %v", sizes)
	}
}

// TestQChatSingleLookups checks the single-object reads built on listings:
// each returns the object the listing holds, and an *APIError with code 404
// naming the listing's endpoint for one it does not hold.
func TestQChatSingleLookups(t *testing.T) {
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/getServerIdentifyPages.action"):
			writeJSON(w, `{"code":200,"identify":[{"roleId":1,"serverId":5,"type":1,"priority":0},{"roleId":2,"serverId":5,"type":2,"priority":1}]}`)
		case strings.HasSuffix(r.URL.Path, "/getChannelIdentifyPages.action"):
			writeJSON(w, `{"code":200,"identifies":[{"roleId":10,"serverId":5,"channelId":7,"parentRoleId":2}]}`)
		case strings.HasSuffix(r.URL.Path, "/getUserIdentifyPages.action"):
			writeJSON(w, `{"code":200,"identifies":[{"serverId":5,"channelId":7,"accid":"a"}]}`)
		case strings.HasSuffix(r.URL.Path, "/getServerMembers.action"):
			writeJSON(w, `{"code":200,"serverMembers":[{"serverId":5,"accid":"a","validFlag":1},{"serverId":5,"accid":"gone","validFlag":0}]}`)
		default:
			t.Errorf("unexpected request %s", r.URL.Path)
		}
	}, WithBatchReads(false))
	ctx := context.Background()
	q := e.c.QChat
	notFound := func(what, endpoint string, err error) {
		t.Helper()
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Code != CodeNotFound || apiErr.Endpoint != endpoint {
			t.Errorf("%s: err = %v, want a 404 APIError from %s", what, err, endpoint)
		}
	}

	if r, err := q.GetServerRole(ctx, 5, 2, "o"); err != nil || r.ID != 2 {
		t.Errorf("GetServerRole(2) = %+v, %v", r, err)
	}
	_, err := q.GetServerRole(ctx, 5, 3, "o")
	notFound("GetServerRole(3)", "qchat/getServerIdentifyPages", err)
	if r, err := q.GetEveryoneRole(ctx, 5, "o"); err != nil || r.ID != 1 {
		t.Errorf("GetEveryoneRole = %+v, %v", r, err)
	}
	if r, err := q.GetChannelRole(ctx, 5, 7, 10, "o"); err != nil || r.ParentRoleID != 2 {
		t.Errorf("GetChannelRole(10) = %+v, %v", r, err)
	}
	_, err = q.GetChannelRole(ctx, 5, 7, 11, "o")
	notFound("GetChannelRole(11)", "qchat/getChannelIdentifyPages", err)
	if r, err := q.GetChannelRoleOf(ctx, 5, 7, 2, "o"); err != nil || r.ID != 10 {
		t.Errorf("GetChannelRoleOf(2) = %+v, %v", r, err)
	}
	_, err = q.GetChannelRoleOf(ctx, 5, 7, 1, "o")
	notFound("GetChannelRoleOf(1)", "qchat/getChannelIdentifyPages", err)
	if o, err := q.GetMemberOverride(ctx, 5, 7, "o", "a"); err != nil || o.Accid != "a" {
		t.Errorf("GetMemberOverride(a) = %+v, %v", o, err)
	}
	_, err = q.GetMemberOverride(ctx, 5, 7, "o", "b")
	notFound("GetMemberOverride(b)", "qchat/getUserIdentifyPages", err)
	if m, err := q.GetServerMember(ctx, 5, "a"); err != nil || m.Accid != "a" {
		t.Errorf("GetServerMember(a) = %+v, %v", m, err)
	}
	_, err = q.GetServerMember(ctx, 5, "gone")
	notFound("GetServerMember(gone)", "qchat/getServerMembers", err)
	_, err = q.GetServerMember(ctx, 6, "a")
	notFound("GetServerMember(other server)", "qchat/getServerMembers", err)
}
