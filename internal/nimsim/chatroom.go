package nimsim

import (
	"slices"
	"strconv"
)

// Chatroom room-level endpoints: 000 (curl examples and answers) and 003
// (create's full parameter table).

const maxDelaySeconds = 2 * 3600 // 003 answer table: "最大时间(2*3600 秒)"

// Delay-close task status values (003).
const (
	delayStarted   = 1 // "开启任务,初始状态": set on a closed room, runs once it is reopened
	delayWaiting   = 2
	delayDone      = 3 // only ever set by tickDelays: the room closed itself
	delayCancelled = 4
)

// roomView is the chatroom object as create answers it (003's example).
// An empty announcement is null: both create examples send "announcement="
// and get null back, while an absent ext comes back as "".
func roomView(r *Chatroom) obj {
	o := obj{
		"roomid":       r.RoomID,
		"valid":        r.Valid,
		"announcement": nullIfEmpty(r.Announcement),
		"name":         r.Name,
		"broadcasturl": r.BroadcastURL,
		"ext":          r.Ext,
		"creator":      r.Creator,
		"muted":        r.Muted,
		"queuelevel":   r.QueueLevel,
	}
	// delayInfo only once a policy was set: 000's create example (no policy)
	// has none, 003's (policy 1) has it, as an object despite the table's
	// "String". A room whose policy was later set to 0 keeps it, with
	// delayCloseEnable false and its task's last status.
	if r.DelayStatus != 0 {
		o["delayInfo"] = delayInfo(r)
	}
	return o
}

func delayInfo(r *Chatroom) obj {
	return obj{
		"delaySeconds":     r.DelaySeconds,
		"delayCloseEnable": r.DelayClosePolicy != 0,
		"startTime":        r.DelayStartTime,
		"delayClosePolicy": r.DelayClosePolicy,
		"status":           r.DelayStatus,
	}
}

// roomGetView adds what get answers beyond create (api-facts: get adds
// onlineusercount, muted, ionotify). onlineusercount only when asked for with
// needOnlineUserCount=true, as in the example; nobody is ever online here.
func roomGetView(r *Chatroom, withCount bool) obj {
	o := roomView(r)
	o["ionotify"] = r.IONotify
	if withCount {
		o["onlineusercount"] = 0
	}
	return o
}

// roomGetBatchExampleView is a getBatch entry with exactly the keys of
// 000's getBatch example (Config.GetBatchExampleFields): no valid, creator,
// ionotify nor delayInfo, which the example lacks; onlineusercount as in
// roomGetView.
func roomGetBatchExampleView(r *Chatroom, withCount bool) obj {
	o := obj{
		"roomid":       r.RoomID,
		"announcement": nullIfEmpty(r.Announcement),
		"muted":        r.Muted,
		"name":         r.Name,
		"broadcasturl": r.BroadcastURL,
		"ext":          r.Ext,
		"queuelevel":   r.QueueLevel,
	}
	if withCount {
		o["onlineusercount"] = 0
	}
	return o
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// room looks up a chatroom by the "roomid" parameter; 404 when unknown.
func (c *call) room() *Chatroom {
	id := c.id("roomid")
	if c.err != nil {
		return nil
	}
	r := c.st.rooms[id]
	if r == nil {
		c.fail(notFound("chatroom"))
	}
	return r
}

// noteDelay records a waiting delay-close deadline for tickDelays.
func (st *state) noteDelay(r *Chatroom) {
	if r.DelayStatus != delayWaiting {
		return
	}
	d := r.DelayStartTime + r.DelaySeconds*1000
	if st.delayCheckAt == 0 || d < st.delayCheckAt {
		st.delayCheckAt = d
	}
}

// tickDelays closes rooms whose delay-close deadline has passed. Policy 2
// ("close when idle") behaves like 1 because no client is ever connected to
// the simulator, so every room is idle from its creation on. It reports
// whether anything changed. Callers hold s.mu.
func (s *Server) tickDelays(nowMs int64) bool {
	st := s.st
	if st.delayCheckAt == 0 || nowMs < st.delayCheckAt {
		return false
	}
	st.delayCheckAt = 0
	changed := false
	for _, r := range st.rooms {
		if r.DelayStatus != delayWaiting {
			continue
		}
		if nowMs >= r.DelayStartTime+r.DelaySeconds*1000 {
			r.Valid, r.DelayStatus, r.UpdateTime = false, delayDone, nowMs
			changed = true
			continue
		}
		st.noteDelay(r)
	}
	return changed
}

// delayParams reads delayClosePolicy and delaySeconds for
// updateDelayClosePolicy (policy required) and toggleCloseStat (both
// optional; sent reports whether either was). Policy 1|2 needs delaySeconds
// 1..7200 as on create; with policy 0 a delaySeconds other than 0 is a 414
// rather than a value silently dropped, and delaySeconds without a policy is
// "missing delayClosePolicy".
func (c *call) delayParams(required bool) (policy int, secs int64, sent bool) {
	// An empty value counts as absent, as for create's optional parameters.
	given := func(name string) bool { v, ok := c.raw(name); return ok && v != "" }
	hasPolicy, hasSecs := given("delayClosePolicy"), given("delaySeconds")
	if !required && !hasPolicy && !hasSecs {
		return 0, 0, false
	}
	if hasSecs && !hasPolicy {
		c.fail(paramErr("missing delayClosePolicy"))
		return 0, 0, true
	}
	policy = c.enum("delayClosePolicy", true, 0, 0, 1, 2)
	if policy != 0 {
		secs = c.integer("delaySeconds", true, 0, 1, maxDelaySeconds)
	} else {
		c.integer("delaySeconds", false, 0, 0, 0)
	}
	return policy, secs, true
}

// featureDelayClose answers 13009 (003's code list: the app has not enabled
// timed close) when Config.DelayCloseDisabled says so and a timed policy is
// asked for.
func (c *call) featureDelayClose(policy int) error {
	if c.s.cfg.DelayCloseDisabled && policy != 0 {
		return errf(13009, "delay close not enabled for the app")
	}
	return nil
}

// setDelayPolicy replaces the room's delay-close task. A timed policy on an
// open room starts waiting now; on a closed room it is set up (status 1) and
// starts when the room is reopened. Policy 0 cancels whatever task there was
// (status 4; a room that never had one gets delayInfo from now on, with
// delayCloseEnable false). Either way a done task (3) is replaced, so status
// 3 always means "closed by its own policy, not reopened nor changed since".
func (c *call) setDelayPolicy(r *Chatroom, policy int, secs int64) {
	r.DelayClosePolicy, r.DelaySeconds, r.DelayStartTime = policy, secs, c.nowMs
	switch {
	case policy == 0:
		r.DelayStatus = delayCancelled
	case r.Valid:
		r.DelayStatus = delayWaiting
		c.st.noteDelay(r)
	default:
		r.DelayStatus = delayStarted
	}
}

func chatroomCreate(c *call) (obj, error) {
	creator := c.account("creator", true)
	name := c.str("name", 128, true)
	ann := c.str("announcement", 4096, false)
	burl := c.str("broadcasturl", 1024, false)
	ext := c.str("ext", 4096, false)
	ql := c.enum("queuelevel", false, 0, 0, 1)
	_, bid := c.jsonObject("bid", 0)
	policy := c.enum("delayClosePolicy", false, 0, 0, 1, 2)
	var secs int64
	if policy != 0 {
		// A timed close needs a time; 003 caps it at 2 hours.
		secs = c.integer("delaySeconds", true, 0, 1, maxDelaySeconds)
	}
	// 003: "0:关闭;1:开启(默认)".
	ionotify := c.enum("inOutNotification", false, 1, 0, 1) == 1
	if err := c.failed(); err != nil {
		return nil, err
	}
	if err := c.featureDelayClose(policy); err != nil {
		return nil, err
	}
	st := c.st
	tt := st.timetag(c.nowMs)
	r := &Chatroom{
		RoomID: nextID(&st.NextRoomID), Creator: creator, Name: name,
		Announcement: ann, BroadcastURL: burl, Ext: ext, QueueLevel: ql, Bid: bid,
		Valid: true, IONotify: ionotify, CreateTime: tt, UpdateTime: tt,
		Members: []ChatroomMember{},
	}
	if policy != 0 {
		r.DelayClosePolicy, r.DelaySeconds = policy, secs
		r.DelayStartTime, r.DelayStatus = c.nowMs, delayWaiting
		st.noteDelay(r)
	}
	st.rooms[r.RoomID] = r
	c.changed = true
	return obj{"chatroom": roomView(r)}, nil
}

func chatroomGet(c *call) (obj, error) {
	r := c.room()
	withCount := c.boolean("needOnlineUserCount", false, false)
	if err := c.failed(); err != nil {
		return nil, err
	}
	return obj{"chatroom": roomGetView(r, withCount)}, nil
}

// chatroomGetBatch: at most 20 ids (api-facts). failRooms lists ids whose
// lookup failed server-side; that never happens here, so it is always [].
func chatroomGetBatch(c *call) (obj, error) {
	ids := c.idArray("roomids", 20)
	withCount := c.boolean("needOnlineUserCount", false, false)
	if err := c.failed(); err != nil {
		return nil, err
	}
	succ, missing := []obj{}, []int64{}
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		if r := c.st.rooms[id]; r != nil {
			if c.s.cfg.GetBatchExampleFields {
				succ = append(succ, roomGetBatchExampleView(r, withCount))
			} else {
				succ = append(succ, roomGetView(r, withCount))
			}
		} else {
			missing = append(missing, id)
		}
	}
	return obj{"succRooms": succ, "noExistRooms": missing, "failRooms": []int64{}}, nil
}

// chatroomUpdate answers the whole room: the example's chatroom object is
// visibly truncated (and garbled: "code" ended up inside it).
func chatroomUpdate(c *call) (obj, error) {
	r := c.room()
	name, hasName := c.str("name", 128, false), c.has("name")
	if hasName && name == "" && c.err == nil {
		c.fail(paramErr("invalid name")) // a room cannot lose its name
	}
	ann, hasAnn := c.str("announcement", 4096, false), c.has("announcement")
	burl, hasBurl := c.str("broadcasturl", 1024, false), c.has("broadcasturl")
	ext, hasExt := c.str("ext", 4096, false), c.has("ext")
	c.boolean("needNotify", false, true)
	c.str("notifyExt", 2048, false)
	ql, hasQl := c.enum("queuelevel", false, 0, 0, 1), c.has("queuelevel")
	_, bid := c.jsonObject("bid", 0)
	if err := c.failed(); err != nil {
		return nil, err
	}
	if !r.Valid {
		return nil, errf(13002, "chatroom closed") // 13002 is in update's code list
	}
	if hasName {
		r.Name = name
	}
	if hasAnn {
		r.Announcement = ann
	}
	if hasBurl {
		r.BroadcastURL = burl
	}
	if hasExt {
		r.Ext = ext
	}
	if hasQl {
		r.QueueLevel = ql
	}
	if bid != "" {
		r.Bid = bid
	}
	r.UpdateTime = c.st.timetag(c.nowMs)
	c.changed = true
	return obj{"chatroom": roomView(r)}, nil
}

// chatroomToggleCloseStat: only the creator (api-facts). Asking for the state
// the room is already in answers 417 (duplicate operation), which the page's
// code list includes; a client retrying a close must treat 417 as done.
//
// The optional delayClosePolicy/delaySeconds (in the vendor SDKs' request
// models, not in the page) are applied, validated as in
// updateDelayClosePolicy, after the state change: reopening with a timed
// policy starts its wait now, closing with one sets it up for the next
// reopen. Without them, reopening restarts the room's own timed policy
// (its task would otherwise stay "done" or "cancelled" on an open room) and
// closing cancels a waiting task.
func chatroomToggleCloseStat(c *call) (obj, error) {
	r := c.room()
	op := c.account("operator", true)
	valid := c.boolean("valid", true, false)
	policy, secs, withPolicy := c.delayParams(false)
	if err := c.failed(); err != nil {
		return nil, err
	}
	if op != r.Creator {
		return nil, forbidden("operator is not the creator")
	}
	if err := c.featureDelayClose(policy); err != nil {
		return nil, err
	}
	if r.Valid == valid {
		return nil, duplicate("chatroom already in that state")
	}
	r.Valid = valid
	switch {
	case withPolicy:
		c.setDelayPolicy(r, policy, secs)
	case valid && r.DelayClosePolicy != 0:
		c.setDelayPolicy(r, r.DelayClosePolicy, r.DelaySeconds)
	case !valid && (r.DelayStatus == delayWaiting || r.DelayStatus == delayStarted):
		r.DelayStatus = delayCancelled // closing by hand ends the timed-close task
	}
	r.UpdateTime = c.st.timetag(c.nowMs)
	c.changed = true
	// The example's desc is a (truncated, garbled) room object.
	return obj{"desc": roomView(r)}, nil
}

// chatroomUpdateDelayClosePolicy is the newer endpoint api-facts describes
// (roomid, delayClosePolicy, delaySeconds; not in the pages). It answers
// {"chatroom": room} with delayInfo always present. It is configuration,
// so it works on a closed room too (status 1 until reopened). Setting the
// same policy again restarts its wait (a retry only moves startTime).
// With Config.DelayCloseDisabled every call is 13009, policy 0 included:
// the endpoint is the feature.
func chatroomUpdateDelayClosePolicy(c *call) (obj, error) {
	r := c.room()
	policy, secs, _ := c.delayParams(true)
	if err := c.failed(); err != nil {
		return nil, err
	}
	if c.s.cfg.DelayCloseDisabled {
		return nil, errf(13009, "delay close not enabled for the app")
	}
	c.setDelayPolicy(r, policy, secs)
	r.UpdateTime = c.st.timetag(c.nowMs)
	c.changed = true
	return obj{"chatroom": roomView(r)}, nil // setDelayPolicy always leaves a delayInfo
}

// chatroomMuteRoom: creator or manager (api-facts). The page's code list has
// no 13002, so a closed room answers 403 (illegal operation), which it has.
func chatroomMuteRoom(c *call) (obj, error) {
	r := c.room()
	op := c.account("operator", true)
	mute := c.boolean("mute", true, false)
	c.boolean("needNotify", false, true)
	c.str("notifyExt", 2048, false)
	if err := c.failed(); err != nil {
		return nil, err
	}
	if !isRoomAdmin(r, op) {
		return nil, forbidden("operator is not the creator or a manager")
	}
	if !r.Valid {
		return nil, forbidden("chatroom closed")
	}
	if r.Muted != mute {
		r.Muted = mute
		r.UpdateTime = c.st.timetag(c.nowMs)
		c.changed = true
	}
	return obj{"desc": obj{"success": true}}, nil
}

// chatroomUpdateInOutNotification is the newer endpoint api-facts names
// (roomid, close); not in the pages, so its answer is the bare
// {"code":200} that setting endpoints without a payload use. It is pure
// configuration, so it also works on a closed room.
func chatroomUpdateInOutNotification(c *call) (obj, error) {
	r := c.room()
	closeIt := c.boolean("close", true, false)
	if err := c.failed(); err != nil {
		return nil, err
	}
	if r.IONotify == closeIt {
		r.IONotify = !closeIt
		r.UpdateTime = c.st.timetag(c.nowMs)
		c.changed = true
	}
	return obj{}, nil
}

// chatroomQueryUserRoomIDs lists the creator's rooms as strings (as the
// example does). Only open rooms: the vendor's title for this endpoint is
// "查询用户创建的开启状态聊天室列表" (the copied page's description is a
// copy-paste of the queue endpoint's and says nothing).
func chatroomQueryUserRoomIDs(c *call) (obj, error) {
	creator := c.account("creator", true)
	if err := c.failed(); err != nil {
		return nil, err
	}
	var ids []int64
	for _, r := range c.st.rooms {
		if r.Creator == creator && r.Valid {
			ids = append(ids, r.RoomID)
		}
	}
	slices.Sort(ids)
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.FormatInt(id, 10)
	}
	return obj{"desc": obj{"roomids": out}}, nil
}

// chatroomSendMsg accepts a message and answers as documented; messages are
// not stored. The page's code list has no 13002/13003/13004, so a closed
// room and a blocked sender get 403.
func chatroomSendMsg(c *call) (obj, error) {
	r := c.room()
	msgID := c.str("msgId", 64, true)
	from := c.account("fromAccid", true)
	typ := c.enum("msgType", true, 0, 0, 1, 2, 3, 4, 6, 10, 100)
	c.enum("resendFlag", false, 0, 0, 1)
	attach := c.str("attach", 4096, false) // the one limit that survived: 4096
	c.str("ext", 4096, false)
	high := c.boolean("highPriority", false, false)
	if err := c.failed(); err != nil {
		return nil, err
	}
	if !r.Valid {
		return nil, forbidden("chatroom closed")
	}
	m := findMember(r, from)
	if m != nil && (m.Blacklisted || m.Muted || m.TempMuteUntil > c.nowMs) {
		return nil, forbidden("sender blacklisted or muted")
	}
	if r.Muted && !isRoomAdmin(r, from) {
		return nil, forbidden("chatroom muted")
	}
	d := obj{
		"time": strconv.FormatInt(c.nowMs, 10), "fromAvator": "", "msgid_client": msgID,
		"fromClientType": "REST", "attach": attach, "roomId": strconv.FormatInt(r.RoomID, 10),
		"fromAccount": from, "fromNick": "", "type": strconv.Itoa(typ),
	}
	if high {
		d["highPriorityFlag"] = 1 // "不带此标记表示非高优先级"
	}
	return obj{"desc": d}, nil
}
