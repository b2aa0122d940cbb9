package client

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/nimtf/terraform-provider-nim/internal/batch"
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

// objectAnswer is the answer of a QChat write that returns the object it
// wrote, under the key its document names.
type objectAnswer struct {
	ServerInfo   json.RawMessage `json:"serverInfo"`
	ChannelInfo  json.RawMessage `json:"channelInfo"`
	ServerMember json.RawMessage `json:"serverMember"`
	Identify     json.RawMessage `json:"identify"`
}

// writeObject makes the Write call qchat/<name> and converts the object its
// answer holds under key (field picks it); an answer without it is an error.
func writeObject[W, T any](ctx context.Context, s *QChatService, name string, f form, key string,
	field func(*objectAnswer) json.RawMessage, conv func(*W) T) (*T, error) {
	var out objectAnswer
	if err := s.call(ctx, name, f, Write, &out); err != nil {
		return nil, err
	}
	raw, err := jsonInField(field(&out))
	if err != nil {
		return nil, fmt.Errorf("nim qchat/%s: %s: %w", name, key, err)
	}
	if raw == nil {
		return nil, fmt.Errorf("nim qchat/%s: answer without %s", name, key)
	}
	var w W
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, fmt.Errorf("nim qchat/%s: %s: %w", name, key, err)
	}
	v := conv(&w)
	return &v, nil
}

// convertAll converts every wire item of an answer.
func convertAll[W, T any](ws []W, conv func(*W) T) []T {
	out := make([]T, 0, len(ws))
	for i := range ws {
		out = append(out, conv(&ws[i]))
	}
	return out
}

// getByIDs makes the calls of a get-by-ids endpoint (getServers,
// getChannels): at most MaxQChatBatch distinct ids a call, answers joined.
func getByIDs[T any](ctx context.Context, ids []int64, get func(context.Context, []int64) ([]T, error)) ([]T, error) {
	all := []T{}
	for _, chunk := range chunkInt64(uniqueInt64(ids), MaxQChatBatch) {
		items, err := get(ctx, chunk)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
	}
	return all, nil
}

// getOneByID reads one object of a get-by-ids endpoint: through rounds when
// batch reads are on, otherwise with a call of its own. An id missing from
// the answer is notFound(id).
func getOneByID[T any](ctx context.Context, rounds *batch.Coalescer[struct{}, int64, T], id int64,
	getAll func(context.Context, []int64) ([]T, error), idOf func(*T) int64, notFound func(int64) error) (*T, error) {
	if rounds != nil {
		v, err := rounds.Get(ctx, struct{}{}, id)
		if err != nil {
			return nil, err
		}
		return &v, nil
	}
	items, err := getAll(ctx, []int64{id})
	return firstMatch(items, err, func(v *T) bool { return idOf(v) == id }, func() error { return notFound(id) })
}
