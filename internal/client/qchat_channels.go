package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/nimtf/terraform-provider-nim/internal/batch"
)

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

// CreateChannelRequest holds the parameters of qchat/createChannel.
type CreateChannelRequest struct {
	ServerID int64
	Operator string // accid
	Type     int    // 0 message channel, 100 custom channel (always sent)
	Name     *string
	Topic    *string
	Custom   *string
	ViewMode *int // 0 public (default), 1 private
}

// CreateChannel creates a channel (qchat/createChannel, Write).
func (s *QChatService) CreateChannel(ctx context.Context, req *CreateChannelRequest) (*Channel, error) {
	if req == nil {
		return nil, errors.New("nim qchat/createChannel: nil request")
	}
	f := newForm().set("accid", req.Operator).setInt("serverId", req.ServerID).setInt("type", int64(req.Type)).
		optString("name", req.Name).optString("topic", req.Topic).optString("custom", req.Custom).
		optInt("viewMode", req.ViewMode)
	return s.channelAnswer(ctx, "createChannel", f)
}

func (s *QChatService) channelAnswer(ctx context.Context, name string, f form) (*Channel, error) {
	return writeObject(ctx, s, name, f, "channelInfo",
		func(a *objectAnswer) json.RawMessage { return a.ChannelInfo }, (*wireChannel).toChannel)
}

// RemoveChannel deletes a channel (qchat/removeChannel, Write).
func (s *QChatService) RemoveChannel(ctx context.Context, channelID int64, operator string) error {
	f := newForm().set("accid", operator).setInt("channelId", channelID)
	return s.call(ctx, "removeChannel", f, Write, nil)
}

// UpdateChannelRequest holds the parameters of qchat/updateChannel. Only
// non-nil fields are sent.
type UpdateChannelRequest struct {
	ChannelID int64
	Operator  string // accid
	Name      *string
	Topic     *string
	Custom    *string
	ViewMode  *int
}

// UpdateChannel changes a channel (qchat/updateChannel, Write).
func (s *QChatService) UpdateChannel(ctx context.Context, req *UpdateChannelRequest) (*Channel, error) {
	if req == nil {
		return nil, errors.New("nim qchat/updateChannel: nil request")
	}
	f := newForm().set("accid", req.Operator).setInt("channelId", req.ChannelID).
		optString("name", req.Name).optString("topic", req.Topic).optString("custom", req.Custom).
		optInt("viewMode", req.ViewMode)
	return s.channelAnswer(ctx, "updateChannel", f)
}

// GetChannels returns the channels with the given ids (qchat/getChannels,
// Read), split into calls of at most MaxQChatBatch ids. Channels that do not
// exist are absent from the answer.
func (s *QChatService) GetChannels(ctx context.Context, ids []int64) ([]Channel, error) {
	return getByIDs(ctx, ids, s.getChannels)
}

// getChannels makes one getChannels call for at most MaxQChatBatch ids.
func (s *QChatService) getChannels(ctx context.Context, ids []int64) ([]Channel, error) {
	f := newForm().set("channelIds", JSONArray(ids))
	var out struct {
		ChannelInfos jsonField[[]wireChannel] `json:"channelInfos"`
	}
	if err := s.call(ctx, "getChannels", f, Read, &out); err != nil {
		return nil, err
	}
	return convertAll(out.ChannelInfos.V, (*wireChannel).toChannel), nil
}

// GetChannel returns one channel via getChannels; with batch reads on (the
// default) concurrent GetChannel calls share one getChannels call (see
// WithBatchReads). A channel missing from the answer gives an *APIError with
// code 404 (IsNotFound), synthesized by the client. A channel answered with
// ValidFlag 0 is returned as is.
func (s *QChatService) GetChannel(ctx context.Context, id int64) (*Channel, error) {
	var rounds *batch.Coalescer[struct{}, int64, Channel]
	if b := s.client.batch; b != nil {
		rounds = b.channels
	}
	return getOneByID(ctx, rounds, id, s.GetChannels, func(ch *Channel) int64 { return ch.ID }, channelNotFound)
}

// fetchChannels answers one round of batched GetChannel calls with one
// getChannels call.
func (s *QChatService) fetchChannels(ctx context.Context, _ struct{}, ids []int64) (map[int64]Channel, map[int64]error, error) {
	channels, err := s.getChannels(ctx, ids)
	return byID(channels, func(ch Channel) int64 { return ch.ID }), nil, err
}

func channelNotFound(id int64) error {
	return notFound("qchat/getChannels", "channel %d not found", id)
}

// GetChannelListPage returns one page of a server's channels
// (qchat/getChannelListPage, Read). accid, if not empty, restricts the answer
// to the channels that account can see.
func (s *QChatService) GetChannelListPage(ctx context.Context, serverID int64, accid string, timetag int64, limit int) ([]Channel, PageInfo, error) {
	f := newForm().setInt("serverId", serverID).setInt("timetag", timetag).setInt("limit", int64(limit))
	if accid != "" {
		f.set("accid", accid)
	}
	var out struct {
		PageInfo     jsonField[*wirePageInfo] `json:"pageInfo"`
		ChannelInfos jsonField[[]wireChannel] `json:"channelInfos"`
	}
	if err := s.call(ctx, "getChannelListPage", f, Read, &out); err != nil {
		return nil, PageInfo{}, err
	}
	channels := make([]Channel, 0, len(out.ChannelInfos.V))
	for i := range out.ChannelInfos.V {
		channels = append(channels, out.ChannelInfos.V[i].toChannel())
	}
	return channels, out.PageInfo.V.toPageInfo(), nil
}

// ListChannels returns every channel of a server, following
// getChannelListPage to the last page.
func (s *QChatService) ListChannels(ctx context.Context, serverID int64) ([]Channel, error) {
	return followTimetag(ctx, "getChannelListPage",
		func(ctx context.Context, timetag int64) ([]Channel, PageInfo, error) {
			return s.GetChannelListPage(ctx, serverID, "", timetag, MaxQChatBatch)
		},
		func(c Channel) string { return fmt.Sprint(c.ID) })
}

// GetChannelMemberListPage returns one page of the members who can see a
// channel (qchat/getChannelMemberListPage, Read). A page may hold fewer than
// limit members while HasMore is true.
func (s *QChatService) GetChannelMemberListPage(ctx context.Context, serverID, channelID int64, accid string, timetag int64, limit int) ([]ServerMember, PageInfo, error) {
	f := newForm().setInt("serverId", serverID).setInt("channelId", channelID).
		setInt("timetag", timetag).setInt("limit", int64(limit))
	if accid != "" {
		f.set("accid", accid)
	}
	var out struct {
		PageInfo jsonField[*wirePageInfo]      `json:"pageInfo"`
		Members  jsonField[[]wireServerMember] `json:"members"`
	}
	if err := s.call(ctx, "getChannelMemberListPage", f, Read, &out); err != nil {
		return nil, PageInfo{}, err
	}
	return toMembers(out.Members.V), out.PageInfo.V.toPageInfo(), nil
}

// ListChannelMembers returns every member who can see a channel, following
// getChannelMemberListPage to the last page.
func (s *QChatService) ListChannelMembers(ctx context.Context, serverID, channelID int64) ([]ServerMember, error) {
	return followTimetag(ctx, "getChannelMemberListPage",
		func(ctx context.Context, timetag int64) ([]ServerMember, PageInfo, error) {
			return s.GetChannelMemberListPage(ctx, serverID, channelID, "", timetag, MaxQChatBatch)
		},
		func(m ServerMember) string { return fmt.Sprintf("%d|%s", m.ServerID, m.Accid) })
}
