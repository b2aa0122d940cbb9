package client

import (
	"context"
	"errors"
	"fmt"
)

// MaxWhiteBlackBatch is the largest number of accounts or roles of one
// white/black-list call (toAccids, roleids, accids).
const MaxWhiteBlackBatch = 100

// WhiteBlackListRef names the white list or the black list of a channel.
// A public channel (viewMode 0) uses a black list, a private one a white list.
type WhiteBlackListRef struct {
	ServerID  int64
	ChannelID int64
	Operator  string // accid
	Type      int    // WhiteList (1) or BlackList (2)
}

func (r *WhiteBlackListRef) form() form {
	return newForm().setInt("serverId", r.ServerID).setInt("channelId", r.ChannelID).
		setInt("type", int64(r.Type)).set("accid", r.Operator)
}

// UpdateWhiteBlackRole adds (OpeAdd) or removes (OpeRemove) a server role
// on a channel's white/black list (qchat/updateWhiteBlackIdentify, Write; the
// role travels as "roleid").
func (s *QChatService) UpdateWhiteBlackRole(ctx context.Context, list WhiteBlackListRef, opeType int, roleID int64) error {
	f := list.form().setInt("opeType", int64(opeType)).setInt("roleid", roleID)
	return s.call(ctx, "updateWhiteBlackIdentify", f, Write, nil)
}

// UpdateWhiteBlackUsers adds (OpeAdd) or removes (OpeRemove) accounts on a
// channel's white/black list (qchat/updateWhiteBlackIdentifyUser, Write).
// More than MaxWhiteBlackBatch accounts are sent in several calls, in order;
// the first error stops (earlier calls stay applied).
func (s *QChatService) UpdateWhiteBlackUsers(ctx context.Context, list WhiteBlackListRef, opeType int, accids []string) error {
	if len(accids) == 0 {
		return errors.New("nim qchat/updateWhiteBlackIdentifyUser: no accounts")
	}
	for start := 0; start < len(accids); start += MaxWhiteBlackBatch {
		chunk := accids[start:min(start+MaxWhiteBlackBatch, len(accids))]
		f := list.form().setInt("opeType", int64(opeType)).set("toAccids", JSONArray(chunk))
		if err := s.call(ctx, "updateWhiteBlackIdentifyUser", f, Write, nil); err != nil {
			return err
		}
	}
	return nil
}

// QueryWhiteBlackRolesPage returns one page of the roles on a channel's
// white/black list (qchat/queryWhiteBlackIdentify, Read).
func (s *QChatService) QueryWhiteBlackRolesPage(ctx context.Context, list WhiteBlackListRef, timetag int64, limit int) ([]ServerRole, PageInfo, error) {
	f := list.form().setInt("timetag", timetag).setInt("limit", int64(limit))
	var out struct {
		PageInfo   jsonField[*wirePageInfo]    `json:"pageInfo"`
		Identifies jsonField[[]wireServerRole] `json:"identifies"`
	}
	if err := s.call(ctx, "queryWhiteBlackIdentify", f, Read, &out); err != nil {
		return nil, PageInfo{}, err
	}
	return toServerRoles(out.Identifies.V, list.ServerID), out.PageInfo.V.toPageInfo(), nil
}

// ListWhiteBlackRoles returns every role on a channel's white/black list,
// following queryWhiteBlackIdentify to the last page.
func (s *QChatService) ListWhiteBlackRoles(ctx context.Context, list WhiteBlackListRef) ([]ServerRole, error) {
	return followTimetag(ctx, "queryWhiteBlackIdentify",
		func(ctx context.Context, timetag int64) ([]ServerRole, PageInfo, error) {
			return s.QueryWhiteBlackRolesPage(ctx, list, timetag, MaxWhiteBlackBatch)
		},
		func(r ServerRole) string { return fmt.Sprint(r.ID) })
}

// QueryWhiteBlackUsersPage returns one page of the accounts on a channel's
// white/black list (qchat/queryWhiteBlackIdentifyUser, Read).
func (s *QChatService) QueryWhiteBlackUsersPage(ctx context.Context, list WhiteBlackListRef, timetag int64, limit int) ([]ServerMember, PageInfo, error) {
	f := list.form().setInt("timetag", timetag).setInt("limit", int64(limit))
	var out struct {
		PageInfo jsonField[*wirePageInfo]      `json:"pageInfo"`
		Members  jsonField[[]wireServerMember] `json:"members"`
	}
	if err := s.call(ctx, "queryWhiteBlackIdentifyUser", f, Read, &out); err != nil {
		return nil, PageInfo{}, err
	}
	return toMembers(out.Members.V), out.PageInfo.V.toPageInfo(), nil
}

// ListWhiteBlackUsers returns every account on a channel's white/black list,
// following queryWhiteBlackIdentifyUser to the last page.
func (s *QChatService) ListWhiteBlackUsers(ctx context.Context, list WhiteBlackListRef) ([]ServerMember, error) {
	return followTimetag(ctx, "queryWhiteBlackIdentifyUser",
		func(ctx context.Context, timetag int64) ([]ServerMember, PageInfo, error) {
			return s.QueryWhiteBlackUsersPage(ctx, list, timetag, MaxWhiteBlackBatch)
		},
		func(m ServerMember) string { return m.Accid })
}

// BatchGetWhiteBlackRoles returns which of the given roles are on a channel's
// white/black list (qchat/batchGetWhiteBlackIdentify, Read), split into calls
// of at most MaxWhiteBlackBatch ids.
func (s *QChatService) BatchGetWhiteBlackRoles(ctx context.Context, list WhiteBlackListRef, roleIDs []int64) ([]ServerRole, error) {
	all := []ServerRole{}
	for _, chunk := range chunkInt64(uniqueInt64(roleIDs), MaxWhiteBlackBatch) {
		f := list.form().set("roleids", JSONArray(chunk))
		var out struct {
			Identifies jsonField[[]wireServerRole] `json:"identifies"`
		}
		if err := s.call(ctx, "batchGetWhiteBlackIdentify", f, Read, &out); err != nil {
			return nil, err
		}
		all = append(all, toServerRoles(out.Identifies.V, list.ServerID)...)
	}
	return all, nil
}

// BatchGetWhiteBlackUsers returns which of the given accounts are on a
// channel's white/black list (qchat/batchGetWhiteBlackIdentifyUser, Read),
// split into calls of at most MaxWhiteBlackBatch accounts.
func (s *QChatService) BatchGetWhiteBlackUsers(ctx context.Context, list WhiteBlackListRef, accids []string) ([]ServerMember, error) {
	all := []ServerMember{}
	for start := 0; start < len(accids); start += MaxWhiteBlackBatch {
		chunk := accids[start:min(start+MaxWhiteBlackBatch, len(accids))]
		f := list.form().set("accids", JSONArray(chunk))
		var out struct {
			Members jsonField[[]wireServerMember] `json:"members"`
		}
		if err := s.call(ctx, "batchGetWhiteBlackIdentifyUser", f, Read, &out); err != nil {
			return nil, err
		}
		all = append(all, toMembers(out.Members.V)...)
	}
	return all, nil
}
