package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Chatroom endpoint limits.
const (
	// MaxChatroomBatch is the largest number of ids one getBatch call takes.
	MaxChatroomBatch = 20
	// MaxQueryMembers is the largest number of accids one queryMembers call takes.
	MaxQueryMembers = 200
	// MaxMembersByPage is the largest limit of one membersByPage call.
	MaxMembersByPage = 100
)

// Chatroom member roles for SetMemberRole (opt).
const (
	ChatroomRoleManager   = 1
	ChatroomRoleCommon    = 2
	ChatroomRoleBlacklist = -1
	ChatroomRoleMute      = -2
)

// Delay-close policies.
const (
	DelayCloseNone  = 0
	DelayCloseFixed = 1
	DelayCloseIdle  = 2
)

// ChatroomService wraps the chatroom/* endpoints.
type ChatroomService struct{ client *Client }

// call makes the call to chatroom/<name> with the form f.
func (s *ChatroomService) call(ctx context.Context, name string, f form, mode CallMode, out any) error {
	return s.client.Call(ctx, "chatroom/"+name, f.values(), mode, out)
}

// Chatroom is a chatroom as answered by create, get and getBatch.
type Chatroom struct {
	ID           int64
	Creator      string
	Name         string
	Announcement string
	BroadcastURL string
	Ext          string
	QueueLevel   int
	Valid        bool
	Muted        bool
	// InOutNotification is the "ionotify" flag, nil when not answered.
	InOutNotification *bool
	OnlineUserCount   int
	Delay             *DelayInfo
}

// DelayInfo is the delay-close ("auto destroy") state of a chatroom.
type DelayInfo struct {
	Policy    int   // delayClosePolicy: 0 none, 1 fixed time, 2 when idle
	Seconds   int64 // delaySeconds
	Enabled   bool  // delayCloseEnable
	Status    int   // 1 started, 2 waiting, 3 done, 4 cancelled
	StartTime int64 // milliseconds
}

type wireDelayInfo struct {
	DelayClosePolicy flexInt  `json:"delayClosePolicy"`
	DelaySeconds     flexInt  `json:"delaySeconds"`
	DelayCloseEnable flexBool `json:"delayCloseEnable"`
	Status           flexInt  `json:"status"`
	StartTime        flexInt  `json:"startTime"`
}

// delayField decodes delayInfo given as an object or as a JSON string.
type delayField struct{ info *DelayInfo }

func (d *delayField) UnmarshalJSON(b []byte) error {
	d.info = nil
	var w jsonField[*wireDelayInfo]
	if err := w.UnmarshalJSON(b); err != nil || w.V == nil {
		return err
	}
	d.info = &DelayInfo{
		Policy:    int(w.V.DelayClosePolicy),
		Seconds:   int64(w.V.DelaySeconds),
		Enabled:   bool(w.V.DelayCloseEnable),
		Status:    int(w.V.Status),
		StartTime: int64(w.V.StartTime),
	}
	return nil
}

type wireChatroom struct {
	RoomID          flexInt    `json:"roomid"`
	Creator         flexString `json:"creator"`
	Name            flexString `json:"name"`
	Announcement    flexString `json:"announcement"`
	BroadcastURL    flexString `json:"broadcasturl"`
	Ext             flexString `json:"ext"`
	QueueLevel      flexInt    `json:"queuelevel"`
	Valid           optBool    `json:"valid"`
	Muted           flexBool   `json:"muted"`
	IONotify        optBool    `json:"ionotify"`
	OnlineUserCount flexInt    `json:"onlineusercount"`
	DelayInfo       delayField `json:"delayInfo"`
}

// complete reports whether the room answer has every field a chatroom
// needs that 000's getBatch example leaves out: valid, creator, ionotify.
func (w *wireChatroom) complete() bool {
	return w.Valid.set && w.Creator != "" && w.IONotify.set
}

func (w *wireChatroom) toChatroom() *Chatroom {
	return &Chatroom{
		ID:                int64(w.RoomID),
		Creator:           string(w.Creator),
		Name:              string(w.Name),
		Announcement:      string(w.Announcement),
		BroadcastURL:      string(w.BroadcastURL),
		Ext:               string(w.Ext),
		QueueLevel:        int(w.QueueLevel),
		Valid:             w.Valid.val,
		Muted:             bool(w.Muted),
		InOutNotification: w.IONotify.ptr(),
		OnlineUserCount:   int(w.OnlineUserCount),
		Delay:             w.DelayInfo.info,
	}
}

// CreateChatroomRequest holds the parameters of chatroom/create. Nil
// pointers are not sent.
type CreateChatroomRequest struct {
	Creator           string // accid of the owner, required
	Name              string // required
	Announcement      *string
	BroadcastURL      *string
	Ext               *string
	QueueLevel        *int    // 0 anyone may change the queue, 1 only host/managers
	Bid               *string // anti-spam business ids, JSON
	DelayClosePolicy  *int    // 0 none, 1 fixed time, 2 when idle
	DelaySeconds      *int64
	InOutNotification *bool // sent as inOutNotification 1|0
}

// Create creates a chatroom (chatroom/create, Write).
func (s *ChatroomService) Create(ctx context.Context, req *CreateChatroomRequest) (*Chatroom, error) {
	if req == nil {
		return nil, errors.New("nim chatroom/create: nil request")
	}
	f := newForm().set("creator", req.Creator).set("name", req.Name).
		optString("announcement", req.Announcement).
		optString("broadcasturl", req.BroadcastURL).
		optString("ext", req.Ext).
		optInt("queuelevel", req.QueueLevel).
		optString("bid", req.Bid).
		optInt("delayClosePolicy", req.DelayClosePolicy).
		optInt64("delaySeconds", req.DelaySeconds)
	if req.InOutNotification != nil {
		v := 0
		if *req.InOutNotification {
			v = 1
		}
		f.setInt("inOutNotification", int64(v))
	}
	var out struct {
		Chatroom jsonField[*wireChatroom] `json:"chatroom"`
	}
	// The creator's ledger learns the room (or that the outcome is
	// unknown), so that snapshots shared by concurrent creates stay exact.
	done := s.client.roomLists.createStarted(req.Creator)
	if err := s.call(ctx, "create", f, Write, &out); err != nil {
		done(0, err)
		return nil, err
	}
	if out.Chatroom.V == nil {
		err := newOutcomeUnknown("chatroom/create", errors.New("answer without chatroom"))
		done(0, err)
		return nil, err
	}
	room := out.Chatroom.V.toChatroom()
	done(room.ID, nil)
	return room, nil
}

// Get returns one chatroom (Read). A room that does not exist gives an
// *APIError for which IsNotFound is true. With batch reads on (the default),
// concurrent Gets are served together by chatroom/getBatch (see
// WithBatchReads); otherwise each Get is one chatroom/get with
// needOnlineUserCount=false.
func (s *ChatroomService) Get(ctx context.Context, id int64) (*Chatroom, error) {
	if b := s.client.batch; b != nil {
		return b.rooms.Get(ctx, struct{}{}, id)
	}
	return s.get(ctx, id, false)
}

// GetWithOnlineUserCount is Get with needOnlineUserCount=true.
func (s *ChatroomService) GetWithOnlineUserCount(ctx context.Context, id int64) (*Chatroom, error) {
	return s.get(ctx, id, true)
}

func (s *ChatroomService) get(ctx context.Context, id int64, online bool) (*Chatroom, error) {
	f := newForm().setInt("roomid", id).setBool("needOnlineUserCount", online)
	var out struct {
		Chatroom jsonField[*wireChatroom] `json:"chatroom"`
	}
	if err := s.call(ctx, "get", f, Read, &out); err != nil {
		return nil, err
	}
	if out.Chatroom.V == nil {
		return nil, errors.New("nim chatroom/get: answer without chatroom")
	}
	room := out.Chatroom.V.toChatroom()
	if room.ID == 0 {
		room.ID = id
	}
	return room, nil
}

// fetchRooms answers one round of Chatrooms.Get with one getBatch call. A
// room the answer lists under failRooms (a server-side error for that room)
// is read again on its own with chatroom/get, which has its own retries.
func (s *ChatroomService) fetchRooms(ctx context.Context, _ struct{}, ids []int64) (map[int64]*Chatroom, map[int64]error, error) {
	res := &BatchResult{Rooms: make(map[int64]*Chatroom, len(ids))}
	if err := s.getBatch(ctx, ids, res); err != nil {
		return nil, nil, err
	}
	var errs map[int64]error
	for _, id := range res.Failed {
		room, err := s.get(ctx, id, false)
		switch {
		case err == nil:
			res.Rooms[id] = room
		case IsNotFound(err):
			delete(res.Rooms, id)
		default:
			if errs == nil {
				errs = map[int64]error{}
			}
			errs[id] = err
		}
	}
	return res.Rooms, errs, nil
}

// clone copies a room with its own pointer fields, so that each caller of a
// batched Get may change what it got.
func (r *Chatroom) clone() *Chatroom {
	c := *r
	if r.InOutNotification != nil {
		v := *r.InOutNotification
		c.InOutNotification = &v
	}
	if r.Delay != nil {
		d := *r.Delay
		c.Delay = &d
	}
	return &c
}

func roomNotFound(id int64) error {
	return notFound("chatroom/getBatch", "chatroom %d not found", id)
}

// BatchResult is the merged answer of GetBatch.
type BatchResult struct {
	Rooms    map[int64]*Chatroom // succRooms by id
	NotFound []int64             // noExistRooms
	Failed   []int64             // failRooms (e.g. a server error for that room)
}

// GetBatch returns many chatrooms (chatroom/getBatch, Read), split into calls
// of at most MaxChatroomBatch ids; duplicate ids are asked once. An error of
// any call fails the whole batch.
func (s *ChatroomService) GetBatch(ctx context.Context, ids []int64) (*BatchResult, error) {
	res := &BatchResult{Rooms: map[int64]*Chatroom{}}
	uniq := uniqueInt64(ids)
	for start := 0; start < len(uniq); start += MaxChatroomBatch {
		end := min(start+MaxChatroomBatch, len(uniq))
		if err := s.getBatch(ctx, uniq[start:end], res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// getBatch makes one chatroom/getBatch call for at most MaxChatroomBatch
// distinct ids and adds its answer to res.
func (s *ChatroomService) getBatch(ctx context.Context, ids []int64, res *BatchResult) error {
	f := newForm().set("roomids", JSONArray(ids)).setBool("needOnlineUserCount", false)
	var out struct {
		SuccRooms    jsonField[[]wireChatroom] `json:"succRooms"`
		NoExistRooms flexInts                  `json:"noExistRooms"`
		FailRooms    flexInts                  `json:"failRooms"`
	}
	if err := s.call(ctx, "getBatch", f, Read, &out); err != nil {
		return err
	}
	for i := range out.SuccRooms.V {
		w := &out.SuccRooms.V[i]
		room := w.toChatroom()
		if !w.complete() {
			// The page's getBatch example has no valid, creator or ionotify:
			// an entry without them is read with chatroom/get rather than
			// given invented values.
			full, err := s.get(ctx, room.ID, false)
			if IsNotFound(err) {
				res.NotFound = append(res.NotFound, room.ID)
				continue
			}
			if err != nil {
				return err
			}
			room = full
		}
		res.Rooms[room.ID] = room
	}
	res.NotFound = append(res.NotFound, out.NoExistRooms...)
	res.Failed = append(res.Failed, out.FailRooms...)
	return nil
}

func uniqueInt64(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// UpdateChatroomRequest holds the parameters of chatroom/update. Only
// non-nil fields are sent.
type UpdateChatroomRequest struct {
	ID           int64
	Name         *string
	Announcement *string
	BroadcastURL *string
	Ext          *string
	QueueLevel   *int
	NeedNotify   *bool // server default true
	NotifyExt    *string
	Bid          *string
}

// Update changes a chatroom (chatroom/update, Write).
func (s *ChatroomService) Update(ctx context.Context, req *UpdateChatroomRequest) error {
	if req == nil {
		return errors.New("nim chatroom/update: nil request")
	}
	f := newForm().setInt("roomid", req.ID).
		optString("name", req.Name).
		optString("announcement", req.Announcement).
		optString("broadcasturl", req.BroadcastURL).
		optString("ext", req.Ext).
		optInt("queuelevel", req.QueueLevel).
		optBool("needNotify", req.NeedNotify).
		optString("notifyExt", req.NotifyExt).
		optString("bid", req.Bid)
	return s.call(ctx, "update", f, Write, nil)
}

// SetOpen opens (valid=true) or closes (valid=false) a chatroom
// (chatroom/toggleCloseStat, an idempotent write). operator must be the
// creator. Closing kicks everyone online; there is no delete. A room that is
// already in the asked state answers 417 (duplicate operation, in the page's
// code list), which is the goal reached, so SetOpen returns nil for it: this
// also makes a repeat after a lost answer harmless.
func (s *ChatroomService) SetOpen(ctx context.Context, id int64, operator string, open bool) error {
	f := newForm().setInt("roomid", id).set("operator", operator).setBool("valid", open)
	err := s.call(ctx, "toggleCloseStat", f, Write, nil)
	if IsDuplicate(err) {
		return nil
	}
	return err
}

// SetMuted mutes or unmutes the whole chatroom (chatroom/muteRoom, Write).
// operator is the creator or a manager.
func (s *ChatroomService) SetMuted(ctx context.Context, id int64, operator string, muted bool) error {
	f := newForm().setInt("roomid", id).set("operator", operator).setBool("mute", muted)
	return s.call(ctx, "muteRoom", f, Write, nil)
}

// SetInOutNotification switches the join/leave notifications of a chatroom
// (chatroom/updateInOutNotification with roomid and close=!enabled, Write).
func (s *ChatroomService) SetInOutNotification(ctx context.Context, id int64, enabled bool) error {
	f := newForm().setInt("roomid", id).setBool("close", !enabled)
	return s.call(ctx, "updateInOutNotification", f, Write, nil)
}

// UpdateDelayClosePolicy replaces the delay-close policy of an existing
// chatroom (chatroom/updateDelayClosePolicy, an idempotent write): policy 0
// (none; seconds is then not sent), 1 (close seconds after now) or 2 (close
// seconds after the room became idle), seconds 1 to 7200. It works on
// closed rooms too, where a timed policy starts when the room is reopened.
// It returns the room of the answer's chatroom field, with its delayInfo.
// Errors: 414 for a bad parameter, 13009 when the application does not have
// delay close enabled.
func (s *ChatroomService) UpdateDelayClosePolicy(ctx context.Context, id int64, policy int, seconds int64) (*Chatroom, error) {
	f := newForm().setInt("roomid", id).setInt("delayClosePolicy", int64(policy))
	if policy != 0 {
		f = f.setInt("delaySeconds", seconds)
	}
	var out struct {
		Chatroom jsonField[wireChatroom] `json:"chatroom"`
	}
	if err := s.call(ctx, "updateDelayClosePolicy", f, Write, &out); err != nil {
		return nil, err
	}
	return out.Chatroom.V.toChatroom(), nil
}

// ListIDsByCreator returns the ids of the chatrooms created by an account
// (chatroom/queryUserRoomIds, Read). The ids arrive as strings.
//
// Calls for the same creator share requests, in two ways that keep the
// listing good as the snapshot a create takes before it is sent (the rooms
// that a lost answer must never adopt, see CreateOrAdopt):
//
//   - concurrent calls join one request while it has not been sent (it waits
//     for its turn under the rate limit, or for a retry), so each gets a
//     listing requested after it called;
//   - while Creates of that creator run in this client (or ended less than
//     SnapshotReuse ago), a listing asked for at most SnapshotReuse (1 s)
//     ago serves the next calls without a request, together with every room
//     those Creates made since; a call may also wait for such a listing
//     already on the wire. Not after
//     a Create of the creator ended with an unknown outcome: the lookup that
//     follows (and every call after it) lists afresh, so it sees the room
//     the lost answer was about.
//
// Creates of one creator made together, as in a large apply, thus cost about
// one call each instead of two. A room that another client created with the
// same creator and name during that second is the one the reuse could miss;
// it would matter only if this create's answer were also lost.
func (s *ChatroomService) ListIDsByCreator(ctx context.Context, creator string) ([]int64, error) {
	return s.client.roomLists.get(ctx, creator, s.listIDsByCreator)
}

func (s *ChatroomService) listIDsByCreator(ctx context.Context, creator string) ([]int64, error) {
	f := newForm().set("creator", creator)
	var out struct {
		Desc jsonField[struct {
			RoomIDs flexInts `json:"roomids"`
		}] `json:"desc"`
	}
	if err := s.call(ctx, "queryUserRoomIds", f, Read, &out); err != nil {
		return nil, err
	}
	if out.Desc.V.RoomIDs == nil {
		return []int64{}, nil
	}
	return out.Desc.V.RoomIDs, nil
}

// SetMemberRoleRequest holds the parameters of chatroom/setMemberRole.
type SetMemberRoleRequest struct {
	RoomID   int64
	Operator string
	Target   string
	// Opt: 1 manager (creator only), 2 common member, -1 blacklist, -2 mute.
	Opt int
	// OptValue true sets the role, false removes it (sent "true"/"false").
	OptValue  bool
	NotifyExt *string
}

// MemberRole is the answer of setMemberRole.
type MemberRole struct {
	RoomID int64
	Accid  string
	Level  int
	// Type is LIMITED, COMMON, CREATOR, MANAGER or TEMPORARY.
	Type string
}

// SetMemberRole sets or removes a member's role (chatroom/setMemberRole, Write).
func (s *ChatroomService) SetMemberRole(ctx context.Context, req *SetMemberRoleRequest) (*MemberRole, error) {
	if req == nil {
		return nil, errors.New("nim chatroom/setMemberRole: nil request")
	}
	f := newForm().setInt("roomid", req.RoomID).set("operator", req.Operator).
		set("target", req.Target).setInt("opt", int64(req.Opt)).setBool("optvalue", req.OptValue).
		optString("notifyExt", req.NotifyExt)
	var out struct {
		Desc jsonField[*struct {
			RoomID flexInt    `json:"roomid"`
			Level  flexInt    `json:"level"`
			Accid  flexString `json:"accid"`
			Type   memberType `json:"type"`
		}] `json:"desc"`
	}
	if err := s.call(ctx, "setMemberRole", f, Write, &out); err != nil {
		return nil, err
	}
	role := &MemberRole{RoomID: req.RoomID, Accid: req.Target}
	if out.Desc.V != nil {
		if out.Desc.V.RoomID != 0 {
			role.RoomID = int64(out.Desc.V.RoomID)
		}
		if out.Desc.V.Accid != "" {
			role.Accid = string(out.Desc.V.Accid)
		}
		role.Level = int(out.Desc.V.Level)
		role.Type = string(out.Desc.V.Type)
	}
	return role, nil
}

// ChatroomMember is a member as answered by membersByPage and queryMembers.
type ChatroomMember struct {
	RoomID int64
	Accid  string
	Nick   string
	Avatar string
	Ext    string
	// Type is CREATOR, MANAGER, COMMON, TEMPORARY, ANONYMOUS or LIMITED
	// (queryMembers' numeric types are mapped to these names).
	Type          string
	Level         int
	Online        bool
	EnterTime     int64
	Blacklisted   bool
	Muted         bool
	TempMuted     bool
	TempMuteTTL   int64
	IsRobot       bool
	RobotExpireAt int64
}

// memberType decodes a member type given as a name or as the numeric code of
// queryMembers (0 common, 1 creator, 2 manager, 3 temporary, 4 anonymous,
// -1 limited).
type memberType string

func (m *memberType) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*m = ""
		return nil
	}
	s := string(b)
	if b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil {
		switch n {
		case 0:
			s = "COMMON"
		case 1:
			s = "CREATOR"
		case 2:
			s = "MANAGER"
		case 3:
			s = "TEMPORARY"
		case 4:
			s = "ANONYMOUS"
		case -1:
			s = "LIMITED"
		}
	}
	*m = memberType(strings.ToUpper(s))
	return nil
}

type wireChatroomMember struct {
	RoomID       flexInt    `json:"roomid"`
	Accid        flexString `json:"accid"`
	Nick         flexString `json:"nick"`
	Avator       flexString `json:"avator"` // sic, as documented
	Avatar       flexString `json:"avatar"`
	Ext          flexString `json:"ext"`
	Type         memberType `json:"type"`
	Level        flexInt    `json:"level"`
	OnlineStat   flexBool   `json:"onlineStat"`
	EnterTime    flexInt    `json:"enterTime"`
	Blacklisted  flexBool   `json:"blacklisted"`
	Muted        flexBool   `json:"muted"`
	TempMuted    flexBool   `json:"tempMuted"`
	TempMuteTtl  flexInt    `json:"tempMuteTtl"`
	IsRobot      flexBool   `json:"isRobot"`
	RobotExpirAt flexInt    `json:"robotExpirAt"`
}

func (w *wireChatroomMember) toMember() ChatroomMember {
	avatar := string(w.Avator)
	if avatar == "" {
		avatar = string(w.Avatar)
	}
	return ChatroomMember{
		RoomID:        int64(w.RoomID),
		Accid:         string(w.Accid),
		Nick:          string(w.Nick),
		Avatar:        avatar,
		Ext:           string(w.Ext),
		Type:          string(w.Type),
		Level:         int(w.Level),
		Online:        bool(w.OnlineStat),
		EnterTime:     int64(w.EnterTime),
		Blacklisted:   bool(w.Blacklisted),
		Muted:         bool(w.Muted),
		TempMuted:     bool(w.TempMuted),
		TempMuteTTL:   int64(w.TempMuteTtl),
		IsRobot:       bool(w.IsRobot),
		RobotExpireAt: int64(w.RobotExpirAt),
	}
}

type membersAnswer struct {
	Desc jsonField[struct {
		Data jsonField[[]wireChatroomMember] `json:"data"`
	}] `json:"desc"`
}

func (a *membersAnswer) members() []ChatroomMember {
	out := make([]ChatroomMember, 0, len(a.Desc.V.Data.V))
	for i := range a.Desc.V.Data.V {
		out = append(out, a.Desc.V.Data.V[i].toMember())
	}
	return out
}

// MembersByPage lists one page of members (chatroom/membersByPage, Read).
// typ: 0 fixed members, 1 online temporary members, 2 online fixed members;
// endTime: the enterTime (ms) to page back from, 0 for now; limit ≤ 100.
func (s *ChatroomService) MembersByPage(ctx context.Context, roomID int64, typ int, endTime int64, limit int) ([]ChatroomMember, error) {
	if limit <= 0 || limit > MaxMembersByPage {
		return nil, fmt.Errorf("nim chatroom/membersByPage: limit must be 1..%d, got %d", MaxMembersByPage, limit)
	}
	f := newForm().setInt("roomid", roomID).setInt("type", int64(typ)).
		setInt("endtime", endTime).setInt("limit", int64(limit))
	var out membersAnswer
	if err := s.call(ctx, "membersByPage", f, Read, &out); err != nil {
		return nil, err
	}
	return out.members(), nil
}

// QueryMembers returns the given members of a chatroom
// (chatroom/queryMembers, Read), split into calls of at most MaxQueryMembers
// accids.
func (s *ChatroomService) QueryMembers(ctx context.Context, roomID int64, accids []string) ([]ChatroomMember, error) {
	all := []ChatroomMember{}
	for start := 0; start < len(accids); start += MaxQueryMembers {
		end := min(start+MaxQueryMembers, len(accids))
		f := newForm().setInt("roomid", roomID).set("accids", JSONArray(accids[start:end]))
		var out membersAnswer
		if err := s.call(ctx, "queryMembers", f, Read, &out); err != nil {
			return nil, err
		}
		all = append(all, out.members()...)
	}
	return all, nil
}
