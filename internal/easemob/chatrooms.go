package easemob

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of the chatroom API (002; see the package documentation for the
// conflicting ones and the reading chosen).
const (
	MaxNameLength         = 128   // characters of a room name
	MaxDescriptionLength  = 512   // characters of a room description
	MaxCustomLength       = 1024  // characters of a room's custom field (the smaller documented limit)
	MaxAnnouncementLength = 512   // characters of an announcement
	MaxMaxUsers           = 10000 // largest maxusers without a contract change
	MaxRoomsPerDetails    = 100   // room ids per GET /chatrooms/{ids}
	MaxUsersPerBatch      = 60    // users per batch call (members, block, allow, mute)
	MaxAdmins             = 99    // admins per room (owner + admins ≤ 100)
	// DefaultListLimit is the page size of room listings: the smaller of
	// the documented maxima (100 in the 2023 pages, 1000 in newer ones).
	DefaultListLimit = 100
)

// ChatroomsService covers rooms: create, details, listing, update, delete,
// ownership transfer, announcement and mute-all.
type ChatroomsService struct{ client *Client }

// Chatroom is a room as the details endpoint shows it.
type Chatroom struct {
	ID          string
	Name        string
	Description string
	Owner       string
	MaxUsers    int
	Custom      string
	// Created is the creation time (the API gives Unix milliseconds).
	Created time.Time
	// MemberCount is affiliations_count (owner included). Volatile.
	MemberCount int
	// Affiliations lists the owner and the members the answer carried.
	Affiliations []Member
	MembersOnly  bool
	AllowInvites bool
	Public       bool
	// MuteAll is the mute-all (ban) state from the `mute` field, nil when
	// the server did not send it (its presence is not documented in 002).
	MuteAll *bool
}

func (r *Chatroom) clone() *Chatroom {
	c := *r
	c.Affiliations = append([]Member(nil), r.Affiliations...)
	if r.MuteAll != nil {
		v := *r.MuteAll
		c.MuteAll = &v
	}
	return &c
}

// Member is one entry of a room's member list: `{"owner": u}` or `{"member": u}`.
type Member struct {
	Username string
	Owner    bool
}

func (m *Member) UnmarshalJSON(b []byte) error {
	var raw map[string]flexString
	if err := json.Unmarshal(b, &raw); err != nil {
		// The cursor form of the member list answers plain strings.
		var s string
		if err2 := json.Unmarshal(b, &s); err2 != nil {
			return err
		}
		*m = Member{Username: s}
		return nil
	}
	if u, ok := raw["owner"]; ok {
		*m = Member{Username: string(u), Owner: true}
	} else {
		*m = Member{Username: string(raw["member"])}
	}
	return nil
}

type roomWire struct {
	ID           flexString `json:"id"`
	Name         string     `json:"name"`
	Description  string     `json:"description"`
	Owner        string     `json:"owner"`
	MaxUsers     flexInt    `json:"maxusers"`
	Custom       string     `json:"custom"`
	Created      flexInt    `json:"created"`
	Count        flexInt    `json:"affiliations_count"`
	Affiliations []Member   `json:"affiliations"`
	MembersOnly  flexBool   `json:"membersonly"`
	AllowInvites flexBool   `json:"allowinvites"`
	Public       flexBool   `json:"public"`
	Mute         *flexBool  `json:"mute"`
}

func (w roomWire) room() *Chatroom {
	r := &Chatroom{
		ID: string(w.ID), Name: w.Name, Description: w.Description, Owner: w.Owner,
		MaxUsers: int(w.MaxUsers), Custom: w.Custom, MemberCount: int(w.Count),
		Affiliations: w.Affiliations, MembersOnly: bool(w.MembersOnly),
		AllowInvites: bool(w.AllowInvites), Public: bool(w.Public),
	}
	if w.Created > 0 {
		r.Created = time.UnixMilli(int64(w.Created)).UTC()
	}
	if w.Mute != nil {
		v := bool(*w.Mute)
		r.MuteAll = &v
	}
	return r
}

func roomNotFound(id string) error {
	return &APIError{StatusCode: http.StatusNotFound, Type: "service_resource_not_found",
		Description: "room " + id + " is not in the answer", Method: http.MethodGet, Path: "/chatrooms/" + PathEscape(id)}
}

func checkRoomID(id string) error {
	if strings.TrimSpace(id) == "" || strings.ContainsAny(id, ",/") {
		return fmt.Errorf("easemob: invalid room id %q", id)
	}
	return nil
}

// CreateRequest is the body of `POST /chatrooms`.
type CreateRequest struct {
	Name        string   `json:"name"`               // required, ≤128
	Description string   `json:"description"`        // required, ≤512
	Owner       string   `json:"owner"`              // required
	MaxUsers    int      `json:"maxusers,omitempty"` // 0 = server default; owner included, 1..10000
	Members     []string `json:"members,omitempty"`  // owner excluded
	Custom      string   `json:"custom,omitempty"`   // ≤1024
}

func (r *CreateRequest) validate() error {
	switch {
	case strings.TrimSpace(r.Name) == "":
		return errors.New("easemob: chatroom name is empty")
	case strings.TrimSpace(r.Description) == "":
		return errors.New("easemob: chatroom description is empty (the API requires it)")
	case strings.TrimSpace(r.Owner) == "":
		return errors.New("easemob: chatroom owner is empty")
	case r.MaxUsers < 0 || r.MaxUsers > MaxMaxUsers:
		return fmt.Errorf("easemob: maxusers %d is outside 1..%d", r.MaxUsers, MaxMaxUsers)
	case utf8.RuneCountInString(r.Name) > MaxNameLength:
		return fmt.Errorf("easemob: chatroom name is longer than %d characters", MaxNameLength)
	case utf8.RuneCountInString(r.Description) > MaxDescriptionLength:
		return fmt.Errorf("easemob: chatroom description is longer than %d characters", MaxDescriptionLength)
	case utf8.RuneCountInString(r.Custom) > MaxCustomLength:
		return fmt.Errorf("easemob: chatroom custom field is longer than %d characters", MaxCustomLength)
	}
	if err := checkUser(r.Owner); err != nil {
		return err
	}
	_, err := uniqueUsers(r.Members)
	return err
}

// Create makes a room: `POST /chatrooms` (Write: never resent after an
// unknown outcome; see CreateOrAdopt). It returns the new room's id.
func (s *ChatroomsService) Create(ctx context.Context, req *CreateRequest) (*CreateResult, error) {
	if req == nil {
		return nil, errors.New("easemob: nil CreateRequest")
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	resp, err := s.client.Call(ctx, http.MethodPost, "/chatrooms", nil, req, Write)
	if err != nil {
		return nil, err
	}
	var data struct {
		ID flexString `json:"id"`
	}
	if err := decodeData("POST /chatrooms", resp, &data); err != nil || data.ID == "" {
		// Created, most likely, but its id is unknown.
		return nil, newOutcomeUnknown("POST /chatrooms", fmt.Errorf("answer without a room id (%v)", err))
	}
	return &CreateResult{ID: string(data.ID)}, nil
}

// CreateResult is the answer of a create.
type CreateResult struct {
	ID string
}

// Get returns one room's details: `GET /chatrooms/{id}` (Read). With batch
// reads on, concurrent calls share one request. A missing room is an
// *APIError with HTTP 404 (IsNotFound).
func (s *ChatroomsService) Get(ctx context.Context, id string) (*Chatroom, error) {
	if err := checkRoomID(id); err != nil {
		return nil, err
	}
	if s.client.rooms != nil {
		return s.client.rooms.Get(ctx, struct{}{}, id)
	}
	rooms, err := s.details(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	for _, r := range rooms {
		if r.ID == id {
			return r, nil
		}
	}
	return nil, roomNotFound(id)
}

// GetMany returns the details of the rooms ids, at most 100 per
// `GET /chatrooms/{id,id,...}` (Read). Rooms that do not exist are left
// out of the map. Whether the API answers a batch holding a missing room
// with 404 or leaves the room out is not documented; on a 404 the batch is
// split in halves and asked again, so one missing room costs about
// 2·log2(n) extra requests and never hides the others.
func (s *ChatroomsService) GetMany(ctx context.Context, ids []string) (*RoomDetails, error) {
	rooms, err := s.getMany(ctx, ids)
	if err != nil {
		return nil, err
	}
	return &RoomDetails{Rooms: rooms}, nil
}

// RoomDetails holds the rooms found, by id.
type RoomDetails struct {
	Rooms map[string]*Chatroom
}

func (s *ChatroomsService) getMany(ctx context.Context, ids []string) (map[string]*Chatroom, error) {
	out := map[string]*Chatroom{}
	seen := map[string]bool{}
	var uniq []string
	for _, id := range ids {
		if err := checkRoomID(id); err != nil {
			return nil, err
		}
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	for start := 0; start < len(uniq); start += MaxRoomsPerDetails {
		chunk := uniq[start:min(start+MaxRoomsPerDetails, len(uniq))]
		if err := s.detailsSplitting(ctx, chunk, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *ChatroomsService) detailsSplitting(ctx context.Context, ids []string, out map[string]*Chatroom) error {
	rooms, err := s.details(ctx, ids)
	switch {
	case err == nil:
		want := map[string]bool{}
		for _, id := range ids {
			want[id] = true
		}
		for _, r := range rooms {
			if want[r.ID] {
				out[r.ID] = r
			}
		}
		return nil
	case IsNotFound(err) && len(ids) == 1:
		return nil
	case IsNotFound(err):
		half := len(ids) / 2
		if err := s.detailsSplitting(ctx, ids[:half], out); err != nil {
			return err
		}
		return s.detailsSplitting(ctx, ids[half:], out)
	}
	return err
}

// fetchRooms answers one round of batched Gets.
func (s *ChatroomsService) fetchRooms(ctx context.Context, ids []string) (map[string]*Chatroom, map[string]error, error) {
	rooms, err := s.getMany(ctx, ids)
	return rooms, nil, err
}

func (s *ChatroomsService) details(ctx context.Context, ids []string) ([]*Chatroom, error) {
	path := "/chatrooms/" + joinPath(ids)
	resp, err := s.client.Call(ctx, http.MethodGet, path, nil, nil, Read)
	if err != nil {
		return nil, err
	}
	wires, err := decodeList[roomWire](resp.Data)
	if err != nil {
		return nil, fmt.Errorf("easemob GET %s: decoding answer data: %w", path, err)
	}
	rooms := make([]*Chatroom, 0, len(wires))
	for _, w := range wires {
		rooms = append(rooms, w.room())
	}
	return rooms, nil
}

// RoomSummary is one entry of the room listing.
type RoomSummary struct {
	ID          string
	Name        string
	Owner       string
	MemberCount int // affiliations_count; volatile
}

// RoomPage is one page of the room listing.
type RoomPage struct {
	Rooms []RoomSummary
	// Cursor fetches the next page; "" on the last page.
	Cursor string
}

// List returns one page of the app's rooms: `GET /chatrooms?limit=&cursor=`
// (Read). limit 0 means DefaultListLimit; cursor "" starts at the first page.
// The answer's `data` is an array (002 shows one object; both are read).
func (s *ChatroomsService) List(ctx context.Context, limit int, cursor string) (*RoomPage, error) {
	if limit <= 0 {
		limit = DefaultListLimit
	}
	q := url.Values{"limit": {strconv.Itoa(limit)}}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	resp, err := s.client.Call(ctx, http.MethodGet, "/chatrooms", q, nil, Read)
	if err != nil {
		return nil, err
	}
	wires, err := decodeList[roomWire](resp.Data)
	if err != nil {
		return nil, fmt.Errorf("easemob GET /chatrooms: decoding answer data: %w", err)
	}
	page := &RoomPage{Cursor: resp.Cursor}
	for _, w := range wires {
		page.Rooms = append(page.Rooms, RoomSummary{ID: string(w.ID), Name: w.Name, Owner: w.Owner, MemberCount: int(w.Count)})
	}
	return page, nil
}

// ListAll follows the cursor through every page of the room listing. It
// stops with an error if the server hands back a cursor it already gave.
func (s *ChatroomsService) ListAll(ctx context.Context) (*RoomList, error) {
	out := &RoomList{}
	seen := map[string]bool{}
	cursor := ""
	for {
		page, err := s.List(ctx, DefaultListLimit, cursor)
		if err != nil {
			return nil, err
		}
		out.Rooms = append(out.Rooms, page.Rooms...)
		if page.Cursor == "" || len(page.Rooms) == 0 {
			return out, nil
		}
		if seen[page.Cursor] {
			return nil, fmt.Errorf("easemob GET /chatrooms: the server repeated cursor %q", page.Cursor)
		}
		seen[page.Cursor] = true
		cursor = page.Cursor
	}
}

// RoomList is every room of the app.
type RoomList struct {
	Rooms []RoomSummary
}

// UpdateRequest holds the fields `PUT /chatrooms/{id}` changes; nil fields
// are not sent. Name and description must not contain "/". The custom field
// is not here: 002 documents only these three as updatable.
type UpdateRequest struct {
	Name        *string `json:"name,omitempty"`
	Description *string `json:"description,omitempty"`
	MaxUsers    *int    `json:"maxusers,omitempty"`
}

// UpdateResult tells which fields the server reports as changed.
type UpdateResult struct {
	Name, Description, MaxUsers bool
}

// Update changes a room's name, description and/or member limit:
// `PUT /chatrooms/{id}` (Idempotent). An empty request sends nothing.
func (s *ChatroomsService) Update(ctx context.Context, id string, req *UpdateRequest) (*UpdateResult, error) {
	if err := checkRoomID(id); err != nil {
		return nil, err
	}
	if req == nil || (req.Name == nil && req.Description == nil && req.MaxUsers == nil) {
		return &UpdateResult{}, nil
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"name", req.Name}, {"description", req.Description}} {
		if f.v != nil && strings.Contains(*f.v, "/") {
			return nil, fmt.Errorf("easemob: chatroom %s must not contain '/' when updated", f.name)
		}
	}
	path := "/chatrooms/" + PathEscape(id)
	resp, err := s.client.Call(ctx, http.MethodPut, path, nil, req, Idempotent)
	if err != nil {
		return nil, err
	}
	var data struct {
		Groupname   flexBool `json:"groupname"`
		Description flexBool `json:"description"`
		MaxUsers    flexBool `json:"maxusers"`
	}
	if err := decodeData("PUT "+path, resp, &data); err != nil {
		return nil, err
	}
	return &UpdateResult{Name: bool(data.Groupname), Description: bool(data.Description), MaxUsers: bool(data.MaxUsers)}, nil
}

// DeleteResult is the answer of a room delete.
type DeleteResult struct {
	ID      string
	Success bool
}

// Delete removes a room: `DELETE /chatrooms/{id}` (Idempotent). A room that
// does not exist answers 404 (IsNotFound), also when a retried delete finds
// the room already gone: callers take 404 as done.
func (s *ChatroomsService) Delete(ctx context.Context, id string) (*DeleteResult, error) {
	if err := checkRoomID(id); err != nil {
		return nil, err
	}
	path := "/chatrooms/" + PathEscape(id)
	resp, err := s.client.Call(ctx, http.MethodDelete, path, nil, nil, Idempotent)
	if err != nil {
		return nil, err
	}
	var data struct {
		Success flexBool   `json:"success"`
		ID      flexString `json:"id"`
	}
	if err := decodeData("DELETE "+path, resp, &data); err != nil {
		return nil, err
	}
	return &DeleteResult{ID: string(data.ID), Success: bool(data.Success)}, nil
}

// TransferResult is the answer of an ownership transfer.
type TransferResult struct {
	NewOwner bool
}

// TransferOwner makes newOwner the room's owner: `PUT /chatrooms/{id}` with
// `{"newowner": u}` (Write: a repeated transfer answers 403 "new owner and old
// owner are the same", so an unknown outcome is returned for the caller to
// read the room). The new owner should be a member of the room. Errors: 404
// for a missing room or user, 403 forbidden_op when newOwner already owns it.
func (s *ChatroomsService) TransferOwner(ctx context.Context, id, newOwner string) (*TransferResult, error) {
	if err := checkRoomID(id); err != nil {
		return nil, err
	}
	if err := checkUser(newOwner); err != nil {
		return nil, err
	}
	path := "/chatrooms/" + PathEscape(id)
	resp, err := s.client.Call(ctx, http.MethodPut, path, nil, map[string]string{"newowner": newOwner}, Write)
	if err != nil {
		return nil, err
	}
	var data struct {
		NewOwner flexBool `json:"newowner"`
	}
	if err := decodeData("PUT "+path, resp, &data); err != nil {
		return nil, err
	}
	return &TransferResult{NewOwner: bool(data.NewOwner)}, nil
}

// MuteAllState is the answer of the mute-all endpoints.
type MuteAllState struct {
	Muted bool
}

// SetMuteAll turns mute-all on (`POST /chatrooms/{id}/ban`) or off
// (`DELETE /chatrooms/{id}/ban`) (Idempotent). While on, only allow-listed
// users may speak. There is no endpoint to read the state: Get reports it in
// Chatroom.MuteAll when the server sends the details' `mute` field.
func (s *ChatroomsService) SetMuteAll(ctx context.Context, id string, on bool) (*MuteAllState, error) {
	if err := checkRoomID(id); err != nil {
		return nil, err
	}
	method := http.MethodDelete
	if on {
		method = http.MethodPost
	}
	path := "/chatrooms/" + PathEscape(id) + "/ban"
	resp, err := s.client.Call(ctx, method, path, nil, nil, Idempotent)
	if err != nil {
		return nil, err
	}
	var data struct {
		Mute flexBool `json:"mute"`
	}
	if err := decodeData(method+" "+path, resp, &data); err != nil {
		return nil, err
	}
	return &MuteAllState{Muted: bool(data.Mute)}, nil
}
