package easemob

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// MuteForever is the mute duration of a mute without end.
const MuteForever int64 = -1

// MutesService covers a room's mute list (members who may not speak).
type MutesService struct{ client *Client }

// Mute is one entry of the mute list.
type Mute struct {
	User string
	// Expire is when the mute ends. The answer for a mute without end is not
	// documented; a value ≤ 0 gives the zero time.
	Expire time.Time
	// ExpireMillis is the raw `expire` value (Unix milliseconds).
	ExpireMillis int64
}

// MuteList is a room's mute list.
type MuteList struct {
	Mutes []Mute
	// ServerTime is the server's clock when it answered (Response.ServerTime):
	// whether a mute missing from the list ran out is judged by it.
	ServerTime time.Time
}

// List returns the mute list: `GET /chatrooms/{id}/mute` (Read), whose data
// is `[{"user": u, "expire": ms}]`.
func (s *MutesService) List(ctx context.Context, room string) (*MuteList, error) {
	if err := checkRoomID(room); err != nil {
		return nil, err
	}
	path := "/chatrooms/" + PathEscape(room) + "/mute"
	resp, err := s.client.Call(ctx, http.MethodGet, path, nil, nil, Read)
	if err != nil {
		return nil, err
	}
	wires, err := decodeList[userResultWire](resp.Data)
	if err != nil {
		return nil, fmt.Errorf("easemob GET %s: decoding answer data: %w", path, err)
	}
	out := &MuteList{ServerTime: resp.ServerTime}
	for _, w := range wires {
		m := Mute{User: string(w.User), ExpireMillis: int64(w.Expire)}
		if w.Expire > 0 {
			m.Expire = time.UnixMilli(int64(w.Expire)).UTC()
		}
		out.Mutes = append(out.Mutes, m)
	}
	return out, nil
}

// Add mutes members for durationMillis milliseconds (MuteForever = until
// removed), at most 60 per `POST /chatrooms/{id}/mute` with
// `{"usernames": [...], "mute_duration": ms}` (Write; 002's table calls
// usernames a String, it is an array). Each result carries the mute's end;
// refused users (non-members) come back in a *BatchError.
func (s *MutesService) Add(ctx context.Context, room string, users []string, durationMillis int64) (*BatchResult, error) {
	if err := checkRoomID(room); err != nil {
		return nil, err
	}
	if durationMillis == 0 || durationMillis < MuteForever {
		return nil, errors.New("easemob: mute duration must be positive milliseconds or -1 (until removed); 0 would unmute")
	}
	path := "/chatrooms/" + PathEscape(room) + "/mute"
	return runBatches(ctx, "mute", room, users, func(ctx context.Context, chunk []string) ([]UserResult, error) {
		body := map[string]any{"usernames": chunk, "mute_duration": durationMillis}
		resp, err := s.client.Call(ctx, http.MethodPost, path, nil, body, Write)
		if err != nil {
			return nil, err
		}
		return decodeUserResults("POST "+path, resp.Data, chunk)
	})
}

// Remove unmutes members, at most 60 per
// `DELETE /chatrooms/{id}/mute/{u1,u2,...}` (Write), with one result per user.
func (s *MutesService) Remove(ctx context.Context, room string, users []string) (*BatchResult, error) {
	if err := checkRoomID(room); err != nil {
		return nil, err
	}
	return runBatches(ctx, "unmute", room, users, func(ctx context.Context, chunk []string) ([]UserResult, error) {
		path := "/chatrooms/" + PathEscape(room) + "/mute/" + joinPath(chunk)
		resp, err := s.client.Call(ctx, http.MethodDelete, path, nil, nil, Write)
		if err != nil {
			return nil, err
		}
		return decodeUserResults("DELETE "+path, resp.Data, chunk)
	})
}
