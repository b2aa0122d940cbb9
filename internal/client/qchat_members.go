package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

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
	return convertAll(ws, (*wireServerMember).toMember)
}

// InviteServerMemberRequest holds the parameters of qchat/inviteServerMember.
type InviteServerMemberRequest struct {
	ServerID int64
	Operator string   // accid of the inviter
	Accids   []string // invitedAccids, at most 200
	Msg      *string
}

// InviteResult is the answer of inviteServerMember: the invitees that could
// not be invited (e.g. they joined too many servers) and why.
type InviteResult struct {
	FailedAccids []string
	FailMsg      string
}

// InviteServerMember invites accounts to a server (qchat/inviteServerMember, Write).
func (s *QChatService) InviteServerMember(ctx context.Context, req *InviteServerMemberRequest) (*InviteResult, error) {
	if req == nil {
		return nil, errors.New("nim qchat/inviteServerMember: nil request")
	}
	f := newForm().set("accid", req.Operator).setInt("serverId", req.ServerID).
		set("invitedAccids", JSONArray(req.Accids)).optString("msg", req.Msg)
	var out struct {
		FailAccid jsonField[*struct {
			Accid flexStrings `json:"accid"`
			Msg   flexString  `json:"msg"`
		}] `json:"failAccid"`
	}
	if err := s.call(ctx, "inviteServerMember", f, Write, &out); err != nil {
		return nil, err
	}
	res := &InviteResult{FailedAccids: []string{}}
	if out.FailAccid.V != nil {
		if out.FailAccid.V.Accid != nil {
			res.FailedAccids = out.FailAccid.V.Accid
		}
		res.FailMsg = string(out.FailAccid.V.Msg)
	}
	return res, nil
}

// AcceptServerInvite makes accid accept inviter's invitation
// (qchat/acceptServerInvite, Write).
func (s *QChatService) AcceptServerInvite(ctx context.Context, serverID int64, accid, inviter string) error {
	f := newForm().set("accid", accid).setInt("serverId", serverID).set("inviteAccid", inviter)
	return s.call(ctx, "acceptServerInvite", f, Write, nil)
}

// RejectServerInvite makes accid reject inviter's invitation
// (qchat/rejectServerInvite, Write).
func (s *QChatService) RejectServerInvite(ctx context.Context, serverID int64, accid, inviter string, msg *string) error {
	f := newForm().set("accid", accid).setInt("serverId", serverID).set("inviteAccid", inviter).optString("msg", msg)
	return s.call(ctx, "rejectServerInvite", f, Write, nil)
}

// ApplyServer makes accid apply to join a server (qchat/applyServer, Write).
func (s *QChatService) ApplyServer(ctx context.Context, serverID int64, accid string, msg *string) error {
	f := newForm().set("accid", accid).setInt("serverId", serverID).optString("msg", msg)
	return s.call(ctx, "applyServer", f, Write, nil)
}

// AcceptServerApply accepts applicant's application (qchat/acceptServerApply, Write).
func (s *QChatService) AcceptServerApply(ctx context.Context, serverID int64, operator, applicant string) error {
	f := newForm().set("accid", operator).setInt("serverId", serverID).set("applyAccid", applicant)
	return s.call(ctx, "acceptServerApply", f, Write, nil)
}

// RejectServerApply rejects applicant's application (qchat/rejectServerApply, Write).
func (s *QChatService) RejectServerApply(ctx context.Context, serverID int64, operator, applicant string, msg *string) error {
	f := newForm().set("accid", operator).setInt("serverId", serverID).set("applyAccid", applicant).optString("msg", msg)
	return s.call(ctx, "rejectServerApply", f, Write, nil)
}

// KickServerMember removes accounts from a server (qchat/kickServerMember, Write).
func (s *QChatService) KickServerMember(ctx context.Context, serverID int64, operator string, accids []string) error {
	f := newForm().set("accid", operator).setInt("serverId", serverID).set("kickedAccids", JSONArray(accids))
	return s.call(ctx, "kickServerMember", f, Write, nil)
}

// LeaveServer makes accid leave a server (qchat/leaveServer, Write).
func (s *QChatService) LeaveServer(ctx context.Context, serverID int64, accid string) error {
	f := newForm().set("accid", accid).setInt("serverId", serverID)
	return s.call(ctx, "leaveServer", f, Write, nil)
}

// UpdateServerMemberRequest holds the parameters of qchat/updateServerMember
// (a member changing their own member info).
type UpdateServerMemberRequest struct {
	ServerID int64
	Accid    string
	Nick     *string
	Avatar   *string
	Custom   *string
}

// UpdateServerMember changes one's own member info (qchat/updateServerMember, Write).
func (s *QChatService) UpdateServerMember(ctx context.Context, req *UpdateServerMemberRequest) (*ServerMember, error) {
	if req == nil {
		return nil, errors.New("nim qchat/updateServerMember: nil request")
	}
	f := newForm().set("accid", req.Accid).setInt("serverId", req.ServerID).
		optString("nick", req.Nick).optString("avatar", req.Avatar).optString("custom", req.Custom)
	return s.memberAnswer(ctx, "updateServerMember", f)
}

// UpdateOtherServerMemberRequest holds the parameters of
// qchat/updateOtherServerMember (changing someone else's member info).
type UpdateOtherServerMemberRequest struct {
	ServerID int64
	Operator string // accid
	Accid    string // otherAccid: the member changed
	Nick     *string
	Avatar   *string
}

// UpdateOtherServerMember changes another member's info
// (qchat/updateOtherServerMember, Write).
func (s *QChatService) UpdateOtherServerMember(ctx context.Context, req *UpdateOtherServerMemberRequest) (*ServerMember, error) {
	if req == nil {
		return nil, errors.New("nim qchat/updateOtherServerMember: nil request")
	}
	f := newForm().set("accid", req.Operator).setInt("serverId", req.ServerID).set("otherAccid", req.Accid).
		optString("nick", req.Nick).optString("avatar", req.Avatar)
	return s.memberAnswer(ctx, "updateOtherServerMember", f)
}

func (s *QChatService) memberAnswer(ctx context.Context, name string, f form) (*ServerMember, error) {
	return writeObject(ctx, s, name, f, "serverMember",
		func(a *objectAnswer) json.RawMessage { return a.ServerMember }, (*wireServerMember).toMember)
}

// ServerMemberKey names one member of one server.
type ServerMemberKey struct {
	ServerID int64
	Accid    string
}

// GetServerMembers returns the given server members (qchat/getServerMembers,
// Read; serverIdAccids sent as ["serverId|accid", ...]), split into calls of
// at most MaxQChatBatch keys.
func (s *QChatService) GetServerMembers(ctx context.Context, keys []ServerMemberKey) ([]ServerMember, error) {
	all := []ServerMember{}
	for start := 0; start < len(keys); start += MaxQChatBatch {
		chunk := keys[start:min(start+MaxQChatBatch, len(keys))]
		pairs := make([]string, len(chunk))
		for i, k := range chunk {
			pairs[i] = fmt.Sprintf("%d|%s", k.ServerID, k.Accid)
		}
		f := newForm().set("serverIdAccids", JSONArray(pairs))
		var out struct {
			ServerMembers jsonField[[]wireServerMember] `json:"serverMembers"`
		}
		if err := s.call(ctx, "getServerMembers", f, Read, &out); err != nil {
			return nil, err
		}
		all = append(all, toMembers(out.ServerMembers.V)...)
	}
	return all, nil
}

// GetServerMember returns one membership via qchat/getServerMembers (Read).
// An account that is not a member, or whose membership is removed
// (ValidFlag 0), gives an *APIError with code 404 (IsNotFound), synthesized
// by the client.
func (s *QChatService) GetServerMember(ctx context.Context, serverID int64, accid string) (*ServerMember, error) {
	members, err := s.GetServerMembers(ctx, []ServerMemberKey{{ServerID: serverID, Accid: accid}})
	return firstMatch(members, err,
		func(m *ServerMember) bool { return m.Accid == accid && m.ServerID == serverID && m.ValidFlag != 0 },
		func() error {
			return notFound("qchat/getServerMembers", "%s is not a member of server %d", accid, serverID)
		})
}

// GetServerMemberListPage returns one page of a server's members
// (qchat/getServerMemberListPage, Read). accid, if not empty, is checked to be
// a member.
func (s *QChatService) GetServerMemberListPage(ctx context.Context, serverID int64, accid string, timetag int64, limit int) ([]ServerMember, PageInfo, error) {
	f := newForm().setInt("serverId", serverID).setInt("timetag", timetag).setInt("limit", int64(limit))
	if accid != "" {
		f.set("accid", accid)
	}
	var out struct {
		PageInfo      jsonField[*wirePageInfo]      `json:"pageInfo"`
		ServerMembers jsonField[[]wireServerMember] `json:"serverMembers"`
	}
	if err := s.call(ctx, "getServerMemberListPage", f, Read, &out); err != nil {
		return nil, PageInfo{}, err
	}
	return toMembers(out.ServerMembers.V), out.PageInfo.V.toPageInfo(), nil
}

// ListServerMembers returns every member of a server, following
// getServerMemberListPage to the last page.
func (s *QChatService) ListServerMembers(ctx context.Context, serverID int64) ([]ServerMember, error) {
	return followTimetag(ctx, "getServerMemberListPage",
		func(ctx context.Context, timetag int64) ([]ServerMember, PageInfo, error) {
			return s.GetServerMemberListPage(ctx, serverID, "", timetag, MaxQChatBatch)
		},
		func(m ServerMember) string { return fmt.Sprintf("%d|%s", m.ServerID, m.Accid) })
}
