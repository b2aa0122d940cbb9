package nimsim

import (
	"cmp"
	"slices"
)

// Chatroom member endpoints. The simulator has no client connections, so no
// one is ever online: "online" lists are empty and onlineStat is false.

const (
	roleManager = "MANAGER"
	roleCommon  = "COMMON"
)

func findMember(r *Chatroom, accid string) *ChatroomMember {
	for i := range r.Members {
		if r.Members[i].Accid == accid {
			return &r.Members[i]
		}
	}
	return nil
}

func isRoomAdmin(r *Chatroom, accid string) bool {
	if accid == r.Creator {
		return true
	}
	m := findMember(r, accid)
	return m != nil && m.Role == roleManager
}

// memberType is setMemberRole's and membersByPage's "type" string (000's
// list: LIMITED, COMMON, CREATOR, MANAGER, TEMPORARY). A role outranks a
// restriction, so a muted manager is still MANAGER.
func memberType(r *Chatroom, accid string, m *ChatroomMember) string {
	switch {
	case accid == r.Creator:
		return "CREATOR"
	case m == nil:
		return "TEMPORARY"
	case m.Role == roleManager:
		return roleManager
	case m.Blacklisted || m.Muted:
		return "LIMITED"
	case m.Role == roleCommon:
		return roleCommon
	}
	return "TEMPORARY"
}

// memberTypeCode is queryMembers' integer type (000's comment: 0 common,
// 1 creator, 2 manager, 3 temporary, 4 anonymous, -1 limited).
func memberTypeCode(t string) int {
	return map[string]int{"COMMON": 0, "CREATOR": 1, "MANAGER": 2, "TEMPORARY": 3, "LIMITED": -1}[t]
}

// isFixed: a fixed member (固定成员) has a role or a persistent restriction;
// a temporary mute alone does not make one.
func isFixed(m *ChatroomMember) bool {
	return m.Role != "" || m.Blacklisted || m.Muted
}

// upsertMember returns the member record for accid, creating it if needed.
func upsertMember(r *Chatroom, accid string) *ChatroomMember {
	if m := findMember(r, accid); m != nil {
		return m
	}
	r.Members = append(r.Members, ChatroomMember{Accid: accid})
	return &r.Members[len(r.Members)-1]
}

// pruneMembers drops records that carry nothing any more.
func pruneMembers(r *Chatroom, nowMs int64) {
	r.Members = slices.DeleteFunc(r.Members, func(m ChatroomMember) bool {
		return !isFixed(&m) && m.TempMuteUntil <= nowMs
	})
}

// checkRoomOperator applies the rules shared by setMemberRole and
// temporaryMute: the creator can act on anyone but himself; a manager only
// on members who are neither the creator nor managers.
func checkRoomOperator(r *Chatroom, op, target string) error {
	if !isRoomAdmin(r, op) {
		return forbidden("operator is not the creator or a manager")
	}
	if target == r.Creator {
		return forbidden("cannot change the creator")
	}
	if op != r.Creator {
		if m := findMember(r, target); m != nil && m.Role == roleManager {
			return forbidden("only the creator can act on a manager")
		}
	}
	return nil
}

// chatroomSetMemberRole: opt 1 manager (creator only), 2 common member,
// -1 blacklist, -2 mute; optvalue true sets, false removes (api-facts).
// Setting what is already set succeeds again (idempotent) rather than 417.
func chatroomSetMemberRole(c *call) (obj, error) {
	r := c.room()
	op := c.account("operator", true)
	target := c.account("target", true)
	opt := c.enum("opt", true, 0, 1, 2, -1, -2)
	val := c.boolean("optvalue", true, false)
	c.str("notifyExt", 2048, false)
	if err := c.failed(); err != nil {
		return nil, err
	}
	if !r.Valid {
		return nil, errf(13002, "chatroom closed") // in setMemberRole's code list
	}
	if opt == 1 && op != r.Creator {
		return nil, forbidden("only the creator can set managers")
	}
	if err := checkRoomOperator(r, op, target); err != nil {
		return nil, err
	}
	m := upsertMember(r, target)
	switch opt {
	case 1, 2:
		role := map[int]string{1: roleManager, 2: roleCommon}[opt]
		if val {
			m.Role = role
		} else if m.Role == role {
			m.Role = "" // removing the role leaves a temporary (non-fixed) user
		}
	case -1:
		m.Blacklisted = val
	case -2:
		m.Muted = val
	}
	m.UpdateTime = c.st.timetag(c.nowMs)
	level, typ := m.Level, memberType(r, target, m)
	pruneMembers(r, c.nowMs)
	c.changed = true
	return obj{"desc": obj{"roomid": r.RoomID, "level": level, "accid": target, "type": typ}}, nil
}

// chatroomTemporaryMute: muteDuration 0..2592000 s (000), 0 lifts the mute.
func chatroomTemporaryMute(c *call) (obj, error) {
	r := c.room()
	op := c.account("operator", true)
	target := c.account("target", true)
	d := c.integer("muteDuration", true, 0, 0, 2592000)
	c.boolean("needNotify", false, true)
	c.str("notifyExt", 2048, false)
	if err := c.failed(); err != nil {
		return nil, err
	}
	if !r.Valid {
		return nil, errf(13002, "chatroom closed") // in temporaryMute's code list
	}
	if err := checkRoomOperator(r, op, target); err != nil {
		return nil, err
	}
	m := upsertMember(r, target)
	m.TempMuteUntil = 0
	if d > 0 {
		m.TempMuteUntil = c.nowMs + d*1000
	}
	m.UpdateTime = c.st.timetag(c.nowMs)
	pruneMembers(r, c.nowMs)
	c.changed = true
	return obj{"desc": obj{"muteDuration": d}}, nil
}

type roomEntry struct {
	accid string
	m     *ChatroomMember // nil for the creator
	time  int64
}

// fixedMembers returns the creator and every fixed member, newest first.
func fixedMembers(r *Chatroom) []roomEntry {
	out := []roomEntry{{accid: r.Creator, time: r.CreateTime}}
	for i := range r.Members {
		m := &r.Members[i]
		if isFixed(m) && m.Accid != r.Creator {
			out = append(out, roomEntry{m.Accid, m, m.UpdateTime})
		}
	}
	slices.SortFunc(out, func(a, b roomEntry) int { return cmp.Compare(b.time, a.time) })
	return out
}

func (c *call) memberItem(r *Chatroom, e roomEntry) obj {
	o := obj{
		"roomid": r.RoomID, "accid": e.accid, "nick": "", "avator": "", "ext": "",
		"type": memberType(r, e.accid, e.m), "level": 0, "onlineStat": false,
		"enterTime": e.time, "blacklisted": false, "muted": false,
		"tempMuted": false, "tempMuteTtl": 0, "isRobot": false, "robotExpirAt": 0,
	}
	if m := e.m; m != nil {
		o["level"], o["blacklisted"], o["muted"] = m.Level, m.Blacklisted, m.Muted
		if m.TempMuteUntil > c.nowMs {
			o["tempMuted"], o["tempMuteTtl"] = true, (m.TempMuteUntil-c.nowMs+999)/1000
		}
	}
	return o
}

// chatroomMembersByPage: type 0 fixed members, 1 online fixed, 2 online
// temporary; endtime is the anchor (ms, newest first, 0 = now), limit ≤100.
// Every item carries the example's full key set.
func chatroomMembersByPage(c *call) (obj, error) {
	r := c.room()
	typ := c.enum("type", true, 0, 0, 1, 2)
	end := c.integer("endtime", false, 0, 0, 1<<62)
	lim := int(c.integer("limit", true, 0, 1, 100))
	if err := c.failed(); err != nil {
		return nil, err
	}
	data := []obj{}
	if typ == 0 {
		for _, e := range fixedMembers(r) {
			if len(data) == lim {
				break
			}
			if end == 0 || e.time < end {
				data = append(data, c.memberItem(r, e))
			}
		}
	}
	return obj{"desc": obj{"data": data}}, nil
}

// chatroomQueryMembers: at most 200 accids (api-facts). Only accounts the
// room knows (creator and fixed members) are listed, offline; the example's
// item lacks accid, which is surely a truncation, so accid is included.
func chatroomQueryMembers(c *call) (obj, error) {
	r := c.room()
	accids := c.strArray("accids", 200, 32)
	if err := c.failed(); err != nil {
		return nil, err
	}
	data := []obj{}
	for _, a := range accids {
		m := findMember(r, a)
		if a != r.Creator && (m == nil || !isFixed(m)) {
			continue
		}
		data = append(data, obj{
			"roomid": r.RoomID, "accid": a, "nick": "",
			"type": memberTypeCode(memberType(r, a, m)), "onlineStat": false,
		})
	}
	return obj{"desc": obj{"data": data}}, nil
}
