package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/nimtf/terraform-provider-nim/internal/batch"
)

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

// CreateServerRequest holds the parameters of qchat/createServer.
type CreateServerRequest struct {
	Owner      string // accid: the account creating (and owning) the server
	Name       *string
	Icon       *string
	Custom     *string
	InviteMode *int // 0 invitation needs consent (default), 1 it does not
	ApplyMode  *int // 0 applications need no consent (default), 1 they do
}

// CreateServer creates a server (qchat/createServer, Write).
func (s *QChatService) CreateServer(ctx context.Context, req *CreateServerRequest) (*Server, error) {
	if req == nil {
		return nil, errors.New("nim qchat/createServer: nil request")
	}
	f := newForm().set("accid", req.Owner).
		optString("name", req.Name).optString("icon", req.Icon).optString("custom", req.Custom).
		optInt("inviteMode", req.InviteMode).optInt("applyMode", req.ApplyMode)
	return s.serverAnswer(ctx, "createServer", f)
}

func (s *QChatService) serverAnswer(ctx context.Context, name string, f form) (*Server, error) {
	return writeObject(ctx, s, name, f, "serverInfo",
		func(a *objectAnswer) json.RawMessage { return a.ServerInfo }, (*wireServer).toServer)
}

// RemoveServer deletes a server (qchat/removeServer, Write).
func (s *QChatService) RemoveServer(ctx context.Context, serverID int64, operator string) error {
	f := newForm().set("accid", operator).setInt("serverId", serverID)
	return s.call(ctx, "removeServer", f, Write, nil)
}

// UpdateServerRequest holds the parameters of qchat/updateServer. Only
// non-nil fields are sent.
type UpdateServerRequest struct {
	ServerID   int64
	Operator   string // accid
	Name       *string
	Icon       *string
	Custom     *string
	InviteMode *int
	ApplyMode  *int
}

// UpdateServer changes a server (qchat/updateServer, Write).
func (s *QChatService) UpdateServer(ctx context.Context, req *UpdateServerRequest) (*Server, error) {
	if req == nil {
		return nil, errors.New("nim qchat/updateServer: nil request")
	}
	f := newForm().set("accid", req.Operator).setInt("serverId", req.ServerID).
		optString("name", req.Name).optString("icon", req.Icon).optString("custom", req.Custom).
		optInt("inviteMode", req.InviteMode).optInt("applyMode", req.ApplyMode)
	return s.serverAnswer(ctx, "updateServer", f)
}

// GetServers returns the servers with the given ids (qchat/getServers, Read),
// split into calls of at most MaxQChatBatch ids. Servers that do not exist
// are simply absent from the answer.
func (s *QChatService) GetServers(ctx context.Context, ids []int64) ([]Server, error) {
	return getByIDs(ctx, ids, s.getServers)
}

// getServers makes one getServers call for at most MaxQChatBatch ids.
func (s *QChatService) getServers(ctx context.Context, ids []int64) ([]Server, error) {
	f := newForm().set("serverIds", JSONArray(ids))
	var out struct {
		ServerInfos jsonField[[]wireServer] `json:"serverInfos"`
	}
	if err := s.call(ctx, "getServers", f, Read, &out); err != nil {
		return nil, err
	}
	return convertAll(out.ServerInfos.V, (*wireServer).toServer), nil
}

// GetServer returns one server via getServers; with batch reads on (the
// default) concurrent GetServer calls share one getServers call (see
// WithBatchReads). A server missing from the answer gives an *APIError with
// code 404 (IsNotFound), synthesized by the client. A server answered with
// ValidFlag 0 is returned as is.
func (s *QChatService) GetServer(ctx context.Context, id int64) (*Server, error) {
	var rounds *batch.Coalescer[struct{}, int64, Server]
	if b := s.client.batch; b != nil {
		rounds = b.servers
	}
	return getOneByID(ctx, rounds, id, s.GetServers, func(srv *Server) int64 { return srv.ID }, serverNotFound)
}

// fetchServers answers one round of batched GetServer calls with one
// getServers call.
func (s *QChatService) fetchServers(ctx context.Context, _ struct{}, ids []int64) (map[int64]Server, map[int64]error, error) {
	servers, err := s.getServers(ctx, ids)
	return byID(servers, func(srv Server) int64 { return srv.ID }), nil, err
}

func serverNotFound(id int64) error {
	return notFound("qchat/getServers", "server %d not found", id)
}

// GetServerListPage returns one page of the servers an account belongs to
// (qchat/getServerListPage, Read). timetag 0 asks for the first page; limit
// is at most MaxQChatBatch.
func (s *QChatService) GetServerListPage(ctx context.Context, accid string, timetag int64, limit int) ([]Server, PageInfo, error) {
	f := newForm().set("accid", accid).setInt("timetag", timetag).setInt("limit", int64(limit))
	var out struct {
		PageInfo    jsonField[*wirePageInfo] `json:"pageInfo"`
		ServerInfos jsonField[[]wireServer]  `json:"serverInfos"`
	}
	if err := s.call(ctx, "getServerListPage", f, Read, &out); err != nil {
		return nil, PageInfo{}, err
	}
	servers := make([]Server, 0, len(out.ServerInfos.V))
	for i := range out.ServerInfos.V {
		servers = append(servers, out.ServerInfos.V[i].toServer())
	}
	return servers, out.PageInfo.V.toPageInfo(), nil
}

// ListServers returns every server an account belongs to, following
// getServerListPage to the last page.
func (s *QChatService) ListServers(ctx context.Context, accid string) ([]Server, error) {
	return followTimetag(ctx, "getServerListPage",
		func(ctx context.Context, timetag int64) ([]Server, PageInfo, error) {
			return s.GetServerListPage(ctx, accid, timetag, MaxQChatBatch)
		},
		func(v Server) string { return fmt.Sprint(v.ID) })
}

// followTimetag follows a pageInfo/nextTimetag pagination to its end,
// dropping items seen on an earlier page.
func followTimetag[T any](ctx context.Context, endpoint string,
	page func(ctx context.Context, timetag int64) ([]T, PageInfo, error),
	key func(T) string,
) ([]T, error) {
	all := []T{}
	seen := map[string]bool{}
	var timetag int64
	for n := 0; ; n++ {
		if n >= maxPages {
			return nil, errTooManyPages(endpoint)
		}
		items, info, err := page(ctx, timetag)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			k := key(it)
			if !seen[k] {
				seen[k] = true
				all = append(all, it)
			}
		}
		if !info.HasMore {
			return all, nil
		}
		if info.NextTimetag == timetag || info.NextTimetag <= 0 {
			return nil, errNoPagination(endpoint, timetag)
		}
		timetag = info.NextTimetag
	}
}
