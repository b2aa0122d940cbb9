package easemob

import (
	"context"
	"fmt"
	"net/http"
	"unicode/utf8"
)

// Announcement is a room's announcement.
type Announcement struct {
	Text string
}

// GetAnnouncement returns a room's announcement:
// `GET /chatrooms/{id}/announcement` (Read).
func (s *ChatroomsService) GetAnnouncement(ctx context.Context, id string) (*Announcement, error) {
	if err := checkRoomID(id); err != nil {
		return nil, err
	}
	path := "/chatrooms/" + PathEscape(id) + "/announcement"
	resp, err := s.client.Call(ctx, http.MethodGet, path, nil, nil, Read)
	if err != nil {
		return nil, err
	}
	var data struct {
		Announcement string `json:"announcement"`
	}
	if err := decodeData("GET "+path, resp, &data); err != nil {
		return nil, err
	}
	return &Announcement{Text: data.Announcement}, nil
}

// SetAnnouncement replaces a room's announcement (at most 512 characters;
// "" clears it): `POST /chatrooms/{id}/announcement` with
// `{"announcement": text}` (Idempotent; 002 omits the body, the newer pages
// document it). Too long an announcement answers 403 forbidden_op.
func (s *ChatroomsService) SetAnnouncement(ctx context.Context, id, text string) (*Announcement, error) {
	if err := checkRoomID(id); err != nil {
		return nil, err
	}
	if n := utf8.RuneCountInString(text); n > MaxAnnouncementLength {
		return nil, fmt.Errorf("easemob: announcement has %d characters, at most %d are allowed", n, MaxAnnouncementLength)
	}
	path := "/chatrooms/" + PathEscape(id) + "/announcement"
	resp, err := s.client.Call(ctx, http.MethodPost, path, nil, map[string]string{"announcement": text}, Idempotent)
	if err != nil {
		return nil, err
	}
	var data struct {
		Result flexBool `json:"result"`
	}
	if err := decodeData("POST "+path, resp, &data); err != nil {
		return nil, err
	}
	if !data.Result {
		return nil, fmt.Errorf("easemob POST %s: the server answered result false", path)
	}
	return &Announcement{Text: text}, nil
}
