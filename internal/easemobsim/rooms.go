package easemobsim

import (
	"net/http"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// Documented limits, in characters.
const (
	nameMax         = 128
	descriptionMax  = 512
	announcementMax = 512
	maxUsersMax     = 10000
	maxUsersDefault = 1000 // newer create page; 002 gives no default
	detailsMax      = 100  // ids per GET /chatrooms/{ids}
)

var (
	roomIDNew = regexp.MustCompile(`^[a-z0-9]{1,64}$`)   // "roomid", newer pages
	roomID002 = regexp.MustCompile(`^[1-9][0-9]{0,17}$`) // "groupid", 002
)

// roomCreate: POST /chatrooms {name, description, owner, maxusers?, members?, custom?}.
func roomCreate(c *call) (*result, error) {
	name, _, err := c.str("name", true)
	if err != nil {
		return nil, err
	}
	desc, _, err := c.str("description", true)
	if err != nil {
		return nil, err
	}
	owner, _, err := c.str("owner", true)
	if err != nil {
		return nil, err
	}
	// Whether an empty value counts as given is not documented: refusing
	// it is the reading a client can always satisfy.
	for k, v := range map[string]string{"name": name, "description": desc, "owner": owner} {
		if v == "" {
			return nil, badParam("%s must be provided", k)
		}
	}
	if err := checkLengths(name, desc); err != nil {
		return nil, err
	}
	maxUsers, given, err := c.integer("maxusers")
	if err != nil {
		return nil, err
	}
	if !given {
		maxUsers = maxUsersDefault
	}
	if err := checkMaxUsers(maxUsers); err != nil {
		return nil, err
	}
	custom, _, err := c.str("custom", false)
	if err != nil {
		return nil, err
	}
	if utf8.RuneCountInString(custom) > c.s.cfg.CustomMax {
		return nil, errf(http.StatusBadRequest, "invalid_parameter", "custom cannot exceed %d", c.s.cfg.CustomMax)
	}
	if owner, err = c.user(owner); err != nil {
		return nil, err
	}
	members, given, err := c.strList("members", false)
	if err != nil {
		return nil, err
	}
	if given && len(members) == 0 {
		return nil, badParam("members must hold at least one user id")
	}
	var ms []string
	for _, m := range dedupe(members) {
		f, err := c.user(m)
		if err != nil {
			return nil, err
		}
		if f != owner {
			ms = append(ms, f)
		}
	}
	if int64(len(ms)+1) > maxUsers {
		return nil, errf(http.StatusForbidden, "exceed_limit", "members size is greater than max user size !")
	}
	if limit := c.s.cfg.MaxRooms; limit > 0 && len(c.st.rooms) >= limit {
		return nil, errf(http.StatusForbidden, "exceed_limit", "appKey:%s#%s has create too many chatrooms!", c.s.cfg.Org, c.s.cfg.App)
	}
	id, err := c.customID()
	if err != nil {
		return nil, err
	}
	if id == "" {
		id = c.st.newRoomID()
	}
	r := newRoom(id)
	r.name, r.description, r.owner, r.maxUsers, r.custom, r.created = name, desc, owner, int(maxUsers), custom, c.nowMs
	for _, m := range ms {
		c.st.join(r, m, c.nowMs, true)
	}
	c.st.rooms[id] = r
	c.changed = true
	return &result{data: obj{"id": id}}, nil
}

// customID reads the custom room id when the feature is on: "roomid"
// (≤64 of a-z0-9, newer pages) or, with Docs002, "groupid" (≤18 digits,
// not starting with 0). When off, the fields are ignored like any other
// field create does not know (the vendor's SDK sends extra ones).
func (c *call) customID() (string, error) {
	if !c.s.cfg.CustomRoomIDs {
		return "", nil
	}
	key, re := "roomid", roomIDNew
	if c.docs {
		key, re = "groupid", roomID002
	}
	id, given, err := c.str(key, false)
	if err != nil || !given {
		return "", err
	}
	if !re.MatchString(id) {
		return "", badParam("%s %q is not a valid chatroom id", key, id)
	}
	if c.st.rooms[id] != nil {
		return "", errf(http.StatusBadRequest, "illegal_argument", "group ID %s already exists!", id)
	}
	return id, nil
}

func checkLengths(name, desc string) error {
	if utf8.RuneCountInString(name) > nameMax {
		return errf(http.StatusForbidden, "exceed_limit", "title cannot exceed to %d", nameMax)
	}
	if utf8.RuneCountInString(desc) > descriptionMax {
		return errf(http.StatusForbidden, "exceed_limit", "desc cannot exceed to %d", descriptionMax)
	}
	return nil
}

func checkMaxUsers(n int64) error {
	if n > maxUsersMax {
		return errf(http.StatusForbidden, "exceed_limit", "maxUsers cannot exceed %d", maxUsersMax)
	}
	if n < 1 {
		return badParam("maxusers must be 1 or more")
	}
	return nil
}

// roomDetails: GET /chatrooms/{id[,id...]} (≤100). Any unknown id fails
// the whole call with 404, naming it.
func roomDetails(c *call) (*result, error) {
	ids := splitList(c.vars["ids"])
	if len(ids) == 0 {
		return nil, badParam("chatroom_id must be provided")
	}
	if len(ids) > detailsMax {
		return nil, badParam("chatroom_id size is more than max limit : %d", detailsMax)
	}
	out := []any{}
	for _, id := range ids {
		r := c.st.rooms[id]
		if r == nil {
			return nil, errf(http.StatusNotFound, "service_resource_not_found", "do not find this group:%s", id)
		}
		out = append(out, c.details(r))
	}
	if c.docs && len(out) == 1 {
		return &result{data: out[0]}, nil // 002's example: one room, one object
	}
	return &result{data: out}, nil
}

func (c *call) details(r *room) obj {
	affs := []any{obj{"owner": r.owner}}
	for _, u := range r.membersNewestFirst() {
		affs = append(affs, obj{"member": u})
	}
	d := obj{
		"id": r.id, "name": r.name, "description": r.description, "membersonly": false, "allowinvites": false,
		"maxusers": r.maxUsers, "owner": r.owner, "created": r.created, "custom": r.custom,
		"affiliations_count": r.count(), "affiliations": affs, "public": true,
	}
	if !c.docs {
		d["mute"] = r.muteAll // read by the vendor's SDK; absent from 002
	}
	return d
}

// roomUpdate: PUT /chatrooms/{id}, a partial {name, description, maxusers}
// or {newowner} (transfer). Other fields: 400 "not valid fields".
func roomUpdate(c *call) (*result, error) {
	r, err := c.roomFor(false)
	if err != nil {
		return nil, err
	}
	valid := map[string]bool{"name": true, "description": true, "maxusers": true, "newowner": !c.docs}
	var bad []string
	for k := range c.body {
		if !valid[k] {
			bad = append(bad, k)
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		return nil, badParam("some of [%s] are not valid fields", strings.Join(bad, ", "))
	}
	if c.docs { // 002 marks all three as required
		for _, k := range []string{"name", "description", "maxusers"} {
			if _, ok := c.body[k]; !ok {
				return nil, badParam("%s must be provided", k)
			}
		}
	}
	if len(c.body) == 0 {
		return nil, badParam("name, description, maxusers or newowner must be provided")
	}
	name, hasName, err := c.str("name", false)
	if err != nil {
		return nil, err
	}
	desc, hasDesc, err := c.str("description", false)
	if err != nil {
		return nil, err
	}
	for k, v := range map[string]string{"name": name, "description": desc} {
		if strings.Contains(v, "/") {
			return nil, badParam("%s cannot contain '/'", k)
		}
	}
	if hasName && name == "" {
		return nil, badParam("name must be provided")
	}
	if hasDesc && desc == "" {
		return nil, badParam("description must be provided")
	}
	if err := checkLengths(name, desc); err != nil {
		return nil, err
	}
	maxUsers, hasMax, err := c.integer("maxusers")
	if err != nil {
		return nil, err
	}
	if hasMax {
		if err := checkMaxUsers(maxUsers); err != nil {
			return nil, err
		}
		if maxUsers < int64(r.count()) {
			return nil, errf(http.StatusForbidden, "exceed_limit", "maxusers %d is less than the current member count %d", maxUsers, r.count())
		}
	}
	newOwner, hasOwner, err := c.str("newowner", false)
	if err != nil {
		return nil, err
	}
	if hasOwner {
		if newOwner, err = c.user(newOwner); err != nil {
			return nil, err
		}
		if newOwner == r.owner {
			return nil, errf(http.StatusForbidden, "forbidden_op", "new owner and old owner are the same")
		}
		if r.members[newOwner] == nil {
			return nil, errf(http.StatusForbidden, "forbidden_op", "new owner %s is not a member of chatroom %s", newOwner, r.id)
		}
	}
	data := obj{}
	if hasName {
		r.name, data["groupname"] = name, true
	}
	if hasDesc {
		r.description, data["description"] = desc, true
	}
	if hasMax {
		r.maxUsers, data["maxusers"] = int(maxUsers), true
	}
	if hasOwner {
		// The old owner stays as an ordinary member who joined now.
		old := r.owner
		delete(r.members, newOwner)
		delete(r.admins, newOwner)
		r.owner = newOwner
		c.st.join(r, old, c.nowMs, false)
		data["newowner"] = true
	}
	c.changed = true
	return &result{data: data}, nil
}

// roomDelete: DELETE /chatrooms/{id} → {success, id}; unknown id → 404.
func roomDelete(c *call) (*result, error) {
	r, err := c.roomFor(false)
	if err != nil {
		return nil, err
	}
	delete(c.st.rooms, r.id)
	c.changed = true
	return &result{data: obj{"success": true, "id": r.id}}, nil
}

// roomList: GET /chatrooms, all rooms of the app by id, paged with
// limit (1..1000, default 10) and cursor, or with pagenum/pagesize.
func roomList(c *call) (*result, error) {
	ids := sortedKeys(c.st.rooms)
	item := func(id string) any {
		r := c.st.rooms[id]
		return obj{"id": r.id, "name": r.name, "owner": r.owner, "affiliations_count": r.count()}
	}
	var from, to int
	var next string
	if c.query.Has("pagenum") || c.query.Has("pagesize") {
		var err error
		if from, to, err = c.pageNum(len(ids), 10, 1); err != nil {
			return nil, err
		}
	} else {
		limit, err := c.queryInt("limit", 10)
		if err != nil {
			return nil, err
		}
		if limit < 1 {
			return nil, badParam("limit must be 1 or more")
		}
		limit = min(limit, 1000)
		off, err := decodeCursor(c.query.Get("cursor"))
		if err != nil {
			return nil, err
		}
		from = min(off, len(ids))
		to = min(from+limit, len(ids))
		if to < len(ids) {
			next = encodeCursor(to)
		}
	}
	out := []any{}
	for _, id := range ids[from:to] {
		out = append(out, item(id))
	}
	res := &result{data: out, count: intp(len(out))}
	if c.docs && len(out) == 1 {
		res.data = out[0]
	}
	res.cursor = next
	return res, nil
}

// roomsJoined: GET /users/{username}/joined_chatrooms → [{id, name}],
// pagenum/pagesize (default: the latest 500).
func roomsJoined(c *call) (*result, error) {
	u, err := c.user(c.vars["username"])
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, id := range sortedKeys(c.st.rooms) {
		if c.st.rooms[id].isMember(u) {
			ids = append(ids, id)
		}
	}
	// Newest rooms first: "the latest 500".
	for i, j := 0, len(ids)-1; i < j; i, j = i+1, j-1 {
		ids[i], ids[j] = ids[j], ids[i]
	}
	from, to, err := c.pageNum(len(ids), 500, 1)
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, id := range ids[from:to] {
		out = append(out, obj{"id": id, "name": c.st.rooms[id].name})
	}
	res := &result{data: out, count: intp(len(out))}
	if c.docs && len(out) == 1 {
		res.data = out[0]
	}
	return res, nil
}

// announcementGet: GET /chatrooms/{id}/announcement → {announcement}.
func announcementGet(c *call) (*result, error) {
	r, err := c.roomFor(true)
	if err != nil {
		return nil, err
	}
	return &result{data: obj{"announcement": r.announcement}}, nil
}

// announcementSet: POST /chatrooms/{id}/announcement {"announcement"} (≤512).
func announcementSet(c *call) (*result, error) {
	r, err := c.roomFor(false)
	if err != nil {
		return nil, err
	}
	a, _, err := c.str("announcement", true)
	if err != nil {
		return nil, err
	}
	if utf8.RuneCountInString(a) > announcementMax {
		return nil, errf(http.StatusForbidden, "forbidden_op", "announce info length exceeds limit!")
	}
	r.announcement = a
	c.changed = true
	return &result{data: obj{"id": r.id, "result": true}}, nil
}

// muteAllSet: POST /chatrooms/{id}/ban → {mute: true}; its action is "put".
func muteAllSet(c *call) (*result, error) { return muteAll(c, true, "put") }

// muteAllUnset: DELETE /chatrooms/{id}/ban → {mute: false}.
func muteAllUnset(c *call) (*result, error) { return muteAll(c, false, "delete") }

func muteAll(c *call, on bool, action string) (*result, error) {
	r, err := c.roomFor(false)
	if err != nil {
		return nil, err
	}
	r.muteAll = on
	c.changed = true
	return &result{data: obj{"mute": on}, action: action}, nil
}
