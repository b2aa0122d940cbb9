// Package nimsim is an in-memory simulator of the NetEase Yunxin IM (NIM)
// server API — chatrooms and QChat (圈组) — for the provider's tests and
// benchmarks. It is an http.Handler that checks request signatures,
// validates parameters, keeps state, answers in the documented JSON shapes,
// and injects latency, faults and rate limiting on demand. It is written
// from the vendor documents alone (shared/api-docs: 000, 001, 003 and
// api-facts.md) and uses only the standard library.
//
// # Layout
//
//	server.go     Config, Server, ServeHTTP, admin paths, stats, state file
//	stringform.go the string form of answers (Config.JSONStringAnswers)
//	auth.go       request signing (AppKey, Nonce, CurTime, CheckSum)
//	faults.go     latency, injected faults, rate limit and endpoint blocks
//	params.go     parameter helpers; each error is a 414 naming the parameter
//	registry.go   "area/name" -> handler table
//	objects.go    exported stored types (Objects)
//	store.go      state maps, ids, timetags, snapshot/restore, cascades
//	chatroom*.go  chatroom endpoints
//	qchat_*.go    QChat endpoints (server, member, channel, whiteblack,
//	              identify, channel_identify; common = lookups, views,
//	              permissions, paging; auths = permission keys)
//
// Paths: POST /nimserver/{area}/{name}.action. Admin (unsigned, not
// counted): GET /_sim/health (200 {"ok":true} once serving), GET
// /_sim/stats, GET /_sim/objects, POST /_sim/reset, POST
// /_sim/fail-rate?p=0.3.
//
// # Decisions where the documents are silent or garbled
//
// Protocol:
//   - Order of checks: route (HTTP 404) → method (HTTP 405) → latency →
//     signature → rate limit/block → injected fault → content type and
//     body → handler. Every request to /nimserver counts in Stats (unknown
//     paths under the bounded key "unknown").
//   - Signature: only lower-case hex CheckSum is accepted (the documented
//     form; accepting more would hide a client bug). CurTime may be 5
//     minutes old and at most 60 s in the future ("CurTime is invalid"
//     beyond). Nonce 1..128 characters. Errors: 414 "appkey", "nonce",
//     "curtime", "CurTime is expired", "checksum".
//   - Content type: the media type must be application/x-www-form-urlencoded
//     (any case); its parameters (charset) are not looked at, malformed ones
//     included. Otherwise 414 "content-type ...", unless the body is empty:
//     an empty body is the empty form whatever its content type (none, as an
//     HTTP client sends for no body, or any other), because it holds no
//     parameter that could be misread; the handler then answers the first
//     missing parameter ("missing roomid"). The body is at most 1 MiB
//     (414 "body too large", chunked or not); one that is not a form (bad
//     escape, ';' separator) is 414 "invalid body".
//   - Parameters are read from the form body only, first value wins; the
//     query string is not even parsed (a malformed one changes nothing).
//     Values must be UTF-8 (the documented charset): one that is not is a
//     414 "invalid <name>" (stored as sent, it would be answered in JSON
//     with U+FFFD, a value the client never sent). Lengths count
//     characters (runes). A JSON-array parameter must be a JSON array (a
//     JSON string holding one is a 414).
//   - Rate limit: a token bucket per app holding one second of requests. The
//     request over the limit gets 416 and its endpoint is blocked for
//     Config.Block; injected 416 faults do not block (a single bad call).
//   - Faults are drawn from a seeded RNG (separate from the jitter RNG so
//     jitter does not shift the fault sequence). A dropped connection
//     hijacks and closes; where hijacking is impossible (HTTP/2,
//     ResponseRecorder) it panics with http.ErrAbortHandler.
//   - Ids: one counter per kind, starting above 2^31 in distinct ranges
//     (rooms 3e9+1, servers 4e9+1, channels 5e9+1, server roles 6e9+1,
//     channel roles 7e9+1); never reused, not even after Reset.
//   - Timetags (createTime, joinTime, ...) are milliseconds made strictly
//     increasing across all objects, so timetag paging never loses or
//     repeats an item even when many objects share a millisecond.
//
// Chatroom:
//   - create/update/get answer the room object of 003's create example;
//     an empty announcement is null (both create examples). delayInfo (an
//     object, despite 003's "String"; a string with JSONStringAnswers) only
//     once a delay policy was set.
//     get/getBatch add ionotify, and onlineusercount (always 0: nobody is
//     online) only when needOnlineUserCount=true, as in the example.
//   - delayClosePolicy 1|2 requires delaySeconds 1..7200. The task closes
//     the room lazily once its time has passed (status 2 → 3); policy 2
//     ("when idle") behaves like 1 because rooms are always idle here.
//     Closing by hand cancels a waiting task (status 4).
//   - Delay-close task status (003: 1 set up, 2 waiting, 3 done, 4
//     cancelled): 3 is set only when the task closes the room, and is
//     replaced when the room is reopened or its policy changed. So get on a
//     closed room (valid false) shows delayInfo.status 3 exactly when the
//     room closed itself by its policy; closed by hand it shows 4 (task
//     cancelled), 1 (a policy set while closed) or no delayInfo (never had a
//     policy). Reopening (toggleCloseStat valid=true) restarts the room's
//     timed policy from that moment (status 2, startTime now).
//   - delayInfo appears once a policy was set (create with 1|2,
//     updateDelayClosePolicy, toggleCloseStat with delayClosePolicy) and
//     stays; delayCloseEnable is policy != 0.
//   - updateDelayClosePolicy (roomid; delayClosePolicy 0|1|2 required;
//     delaySeconds 1..7200 for 1|2, absent or 0 for 0 — another value is a
//     414 rather than silently dropped; delaySeconds without
//     delayClosePolicy is 414 "missing delayClosePolicy") replaces the task:
//     on an open room 1|2 wait from now (2), on a closed room they are set
//     up (1) and start at reopening; 0 cancels (4). Works on closed rooms
//     (configuration, like updateInOutNotification); no operator
//     parameter, so no permission check. Answer: {"chatroom": room} with
//     delayInfo, the answer api-facts describes.
//   - toggleCloseStat: creator only (403); asking for the current state is
//     417 (in the page's code list) so a retried close must treat 417 as
//     done. Its desc is the room object (the example is a truncated one).
//     The optional delayClosePolicy/delaySeconds the vendor SDKs send are
//     applied (validated as for updateDelayClosePolicy) after the state
//     change — applied rather than refused because api-facts shows them in
//     both SDKs' request models, and refusing would break SDK users.
//   - 13009 (003: delay close not enabled for the app) only with
//     Config.DelayCloseDisabled: then a timed policy on create or
//     toggleCloseStat, and every updateDelayClosePolicy call, are 13009,
//     after parameter validation (414 first). Default: enabled.
//   - Closed rooms: update, setMemberRole, temporaryMute → 13002 (their code
//     lists have it); muteRoom and sendMsg → 403 (theirs do not; 403 is
//     there). get, toggleCloseStat, updateInOutNotification still work.
//   - updateInOutNotification (roomid, close) answers {"code":200}.
//   - setMemberRole: opt 1 creator only; 2/-1/-2 creator or manager; nobody
//     acts on the creator; a manager cannot act on a manager. Setting an
//     existing role again succeeds; removing a role leaves a temporary
//     user. Answer type: CREATOR > MANAGER > LIMITED (blacklisted or muted)
//     > COMMON > TEMPORARY; level is 0; accid is the target.
//   - membersByPage type 0 lists the creator and fixed members (a role, or
//     blacklisted/muted) newest first with endtime as anchor; types 1 and 2
//     (online) are always empty. Items carry the example's full key set.
//   - queryMembers lists only accounts the room knows (creator and fixed
//     members), offline, and adds accid (the example surely lost it).
//   - queryUserRoomIds lists open rooms only (the vendor's title says
//     "开启状态"; the copied page's description is garbled).
//   - sendMsg validates and answers as documented (nothing is stored);
//     highPriorityFlag only for highPriority=true.
//   - With Config.Accounts: an unknown creator is 414 "owner not register"
//     (003's example), any other unknown account 414 "<param> not register".
//
// Switches (Config fields, cmd/nimsim flags; all off by default, which is
// the documented examples' form):
//   - JSONStringAnswers (--json-string-answers): success answers carry, as
//     a JSON string holding the JSON, the fields whose form the sources do
//     not settle (api-facts: the pages show arrays/objects, the vendor's Go
//     SDK decodes only strings). Chatroom: getBatch succRooms, noExistRooms,
//     failRooms; membersByPage and queryMembers desc; queryUserRoomIds
//     desc.roomids; delayInfo in create, get, update, updateDelayClosePolicy
//     (chatroom.delayInfo) and toggleCloseStat (desc.delayInfo), since 003's
//     answer table types delayInfo "String". Entries inside a stringified
//     list keep their default form. The room objects (chatroom, desc of
//     toggleCloseStat/muteRoom/setMemberRole/temporaryMute/sendMsg) stay
//     objects: no source shows them as strings. QChat: every top-level
//     answer field whose value is an array or an object (serverInfo(s),
//     channelInfo(s), identify, identifies, serverIdentifies, serverMember(s),
//     members, pageInfo, successAccids, failAccids, ...): no SDK covers
//     QChat, so all of them, letting a client show it reads each in both
//     forms. auths is a JSON string in both modes, as 001 documents.
//   - GetBatchExampleFields (--getbatch-example-fields): a getBatch entry
//     has exactly the keys of 000's example (roomid, announcement, muted,
//     name, broadcasturl, ext, queuelevel, and onlineusercount when asked
//     for): no valid, creator, ionotify, nor delayInfo.
//   - DelayCloseDisabled (--delay-close-disabled): an app without timed
//     close; 13009 as described under Chatroom.
//
// QChat:
//   - Parameters that 001's curl examples omit are optional (server and
//     channel name); channel type is required (no default is marked, unlike
//     viewMode). Names ≤64, icon/custom/ext ≤1024, msg ≤150.
//   - Permission rule: the owner may do everything; others must be members
//     (403); a server permission is allowed if @everyone or any held role
//     allows it (union). Channel permissions then apply @everyone's channel
//     role, the held roles' channel roles (any allow wins, else any deny),
//     then the user's override. Keys used: updateServer 1, channels 2,
//     roles/channel roles/overrides/role members 3, updateServerMember 5,
//     invite 6, kick 7, updateOtherServerMember 8, lists 13, handling
//     applications 25. removeServer: owner only. Reading needs membership
//     when an operator accid is given.
//   - @everyone: created with the server (type 1, priority 0, all 26 keys;
//     members may send, @ others, edit their own info, invite and use RTC
//     for themselves, nothing else). Not removable (403), name/icon/ext not
//     changeable (403), auths only by the owner (403), membership implicit
//     (403 on create/deleteServerIdentifyMember).
//   - Custom roles: start from @everyone's auths; priority ≥1, unique per
//     server (414 "priority already used"), default lowest+1; no update of
//     priority (001's update has no such parameter). More than MaxRoles → 419.
//   - auths: JSON object string, keys written as plain decimal numbers
//     ("01" is a 414); server roles keys 1..26 with 1/-1; channel
//     roles and overrides keys 2,3,4,9,10,11,12,13 (001) and the RTC keys
//     15..24 (channel-scoped in the vendor SDK) with 1/-1/0, created at
//     0 for every key. Updates merge. Answers render all stored keys in
//     numeric order.
//   - Paging: timetag pages newest first with pageInfo{hasMore,
//     nextTimetag = last item's timetag}; limit 1..200, default 100 (200
//     where 001 says so). getServerIdentifyPages pages by priority with
//     @everyone first on the first page (extra item); getChannelIdentifyPages
//     likewise puts @everyone's channel role first; both, and the other
//     identify pages, have no pageInfo (as documented).
//   - Invitations wait unless inviteMode=1; applications wait only when
//     applyMode=1. Missing invitation/application → 404; applying when a
//     member → 417. failAccid is never sent (no per-user server limit).
//   - Duplicates: a second channel role for the same server role/channel or
//     a second user override → 417. List edits and role-member additions
//     are idempotent (existing members count as successes).
//   - White/black lists: both kept per channel; the one matching viewMode
//     decides visibility (public: blacklist hides; private: whitelist
//     shows; the owner sees all). Listed accounts must be server members
//     (414). 20 roles / 1000 accounts per list → 419.
//   - getChannelMemberListPage pages the members who can see the channel by
//     join time. getServerMembers allows 200 pairs; identify-member lists 100.
//   - Cascades: removing a server removes its channels, roles, channel
//     roles, overrides, lists, members, invitations and applications; a
//     channel its channel roles, overrides and lists; a role its channel
//     roles, list entries and memberships; a leaving/kicked member its role
//     memberships, overrides and list entries.
package nimsim
