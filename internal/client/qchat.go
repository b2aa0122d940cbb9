package client

import (
	"context"
	"fmt"
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

// call makes the call to qchat/<name> with the form f.
func (s *QChatService) call(ctx context.Context, name string, f form, mode CallMode, out any) error {
	return s.client.Call(ctx, "qchat/"+name, f.values(), mode, out)
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
