// Package easemobsim is an in-memory simulator of the Easemob (环信) IM REST
// API for chatrooms, for the provider's tests, demos and users' own CI. It
// is an http.Handler that issues and checks app tokens, validates requests,
// keeps state, answers in the documented envelopes and error bodies, and
// injects latency, faults and rate limiting on demand. It is written from
// the vendor documents alone (the copied page 002 and the facts collected
// beside it) and uses only the standard library; it never imports a client.
//
// # Layout
//
//	server.go     Config, Server, New, controls (/_sim/easemob/...), stats
//	http.go       ServeHTTP, order of checks, envelope, error body, JSON body
//	registry.go   route table: every endpoint with its handler's file
//	auth.go       token issue and Bearer checks
//	faults.go     latency, injected faults, rate-limit classes
//	params.go     body fields, user ids, comma lists, paging
//	store.go      state, join/leave rules, time sweep, snapshot, state file
//	rooms.go      chatrooms, announcement, mute-all
//	members.go    members and admins
//	lists.go      block list, allow list, mutes
//	superadmin.go super admins
//
// # Endpoints
//
// All under /{org}/{app}/ (Config.Org, Config.App; wrong ones answer 404
// organization_application_not_found), with "Authorization: Bearer <token>"
// except the token request:
//
//	POST   token                                   {grant_type: client_credentials, client_id, client_secret, ttl?}
//	POST   chatrooms                               create {name, description, owner, maxusers?, members?, custom?}
//	GET    chatrooms                               all rooms: limit (1..1000, default 10) + cursor, or pagenum/pagesize
//	GET    users/{username}/joined_chatrooms       a user's rooms, pagenum/pagesize (default 500)
//	GET    chatrooms/{id[,id...]}                  details of up to 100 rooms (comma or %2C)
//	PUT    chatrooms/{id}                          partial update {name, description, maxusers} or transfer {newowner}
//	DELETE chatrooms/{id}
//	GET    chatrooms/{id}/announcement             POST with {announcement} (≤512)
//	POST   chatrooms/{id}/ban                      mute all; DELETE ends it
//	GET    chatrooms/{id}/users                    members: pagenum/pagesize, limit/cursor, version=v3
//	POST   chatrooms/{id}/users/{username}         add one; POST chatrooms/{id}/users {usernames} adds ≤60
//	DELETE chatrooms/{id}/users/{u[,u...]}         remove one (object) or several (per-user array)
//	GET    chatrooms/{id}/admin                    POST {newadmin}; DELETE chatrooms/{id}/admin/{username}
//	GET    chatrooms/{id}/blocks/users             POST .../{username} or {usernames} (≤60); DELETE .../{u[,u...]}
//	GET    chatrooms/{id}/white/users              POST .../{username} or {usernames} (≤60); DELETE .../{u[,u...]}
//	GET    chatrooms/{id}/mute                     POST {usernames, mute_duration ms}; DELETE chatrooms/{id}/mute/{u[,u...]}
//	GET    chatrooms/super_admin                   pagenum/pagesize; POST {superadmin}; DELETE chatrooms/super_admin/{username}
//
// # Controls
//
// Under /_sim/easemob/ (no token, not counted in the stats):
//
//	GET    /_sim/easemob/stats             requests by route ("POST chatrooms"), faults, rate-limited, statuses
//	GET    /_sim/easemob/objects           every stored object (Objects)
//	POST   /_sim/easemob/reset             drop objects, tokens, stats, online marks and clock offset
//	POST   /_sim/easemob/fail-rate?p=0.3   change the fault probability
//	GET    /_sim/easemob/clock             the simulated time
//	POST   /_sim/easemob/clock?advance=90s move the simulated time forward (mutes, tokens, idle members)
//	POST   /_sim/easemob/tokens/expire     expire every token issued so far
//	POST   /_sim/easemob/online?user=u&online=true   a user online never leaves by idling
//	DELETE /_sim/easemob/room?id=...       delete a room behind the API's back (drift tests)
//
// In Go the same: Stats, Objects, Reset, SetFailRate, Advance, ExpireTokens,
// SetOnline, DeleteRoom; Config.Now injects a clock. The nimsim program
// serves this handler beside the NIM simulator on one address: NIM under
// /nimserver/ and its controls under /_sim/, Easemob under /{org}/{app}/
// and /_sim/easemob/. Its flags: --easemob-org, --easemob-app,
// --easemob-client-id, --easemob-client-secret (defaults DefaultOrg,
// DefaultApp, DefaultClientID, DefaultClientSecret), --easemob-users,
// --easemob-token-ttl, --easemob-member-idle-leave, --easemob-docs-002,
// --easemob-lenient-content-type, --easemob-custom-room-ids,
// --easemob-max-rooms, --easemob-custom-max, --easemob-token-rate-limit;
// --fail-rate, --seed,
// --latency, --jitter and --rate-limit apply to both vendors; with
// --state-file F the Easemob state is kept in F with ".json" replaced by
// ".easemob.json".
//
// # Protocol
//
//   - Order of checks: org/app (404) → route (500
//     unsupported_service_operation, the documented status for an unknown
//     route: a 404 would look like a deleted room) → method (405, Allow) →
//     latency → token (401) → rate limit (429) → injected fault → body
//     (415, 413, 400 json_parse) → handler. Every request under /{org}/{app}
//     counts in Stats (unknown routes and methods under "unknown").
//   - Errors: the HTTP status and {error, exception, timestamp, duration,
//     properties, error_description}; success: {action, application,
//     applicationName, organization, uri, entities, data, timestamp,
//     duration} plus count, params (the query, values as arrays, as in
//     002), cursor or properties where 002 shows them. "action" is the
//     method, except "put" for POST .../ban (002's example). The exception
//     class names are plausible, not captured (one was).
//   - Bodies: a JSON object, at most 5 KiB (the older documented limit; 413
//     beyond), sent as application/json (415 otherwise; LenientContentType
//     accepts any type: some of 002's curl lines send none). Fields of the
//     wrong JSON type are 400 invalid_parameter naming the field.
//   - Tokens: "YWMt" + 43 base64url characters from crypto/rand. Missing,
//     not "Bearer ", or expired: 401 unauthorized "Unable to authenticate
//     due to expired access token"; another shape: 401
//     auth_bad_access_token "... corrupt access token"; the right shape but
//     not issued here: 401 auth_bad_access_token "Unable to authenticate".
//     ttl (seconds, a number or a numeric string, 0 = never) is honoured;
//     without it Config.TokenTTL applies (60 days, the console default).
//     Tokens are never written to the state file, so after a restart old
//     tokens get the last 401 and a client must fetch a new one. Secrets and
//     tokens never appear in answers, errors or logs.
//   - Rate limit (Config.RateLimit > 0): a token bucket per documented class
//     holding one second: create/list/joined at RateLimit/2, token at
//     3×RateLimit, everything else at RateLimit (documented: 50, 300, 100).
//     Over: 429 reach_limit "This request has reached api limit", no
//     Retry-After (none documented), no block period. Config.TokenRateLimit
//     (--easemob-token-rate-limit) sets the token class alone, to show a
//     client that asks for tokens too often.
//   - Faults (Config.FailRate, seeded): 500 web_application, 429
//     reach_limit, a connection dropped before the request is applied, or
//     after it was applied (the client cannot know the outcome).
//   - Ids: rooms get 15-digit numeric ids from a counter (300000000000001
//     up), never reused, not even after Reset or a restart.
//
// # Users and membership
//
//   - Users: Config.Users is the registry; empty means every well-formed id
//     (1..64 bytes of letters, digits, "_", "-", ".") exists. Ids are
//     case-insensitive and stored and answered in lower case. An unknown
//     user is 404 resource_not_found "username X doesn't exist!".
//   - Simulated users are offline. With Config.MemberIdleLeave > 0 an
//     ordinary member leaves that long after joining; the owner, allow-listed
//     users, members given at creation (never logged in) and users marked
//     online stay. Admins are not exempt (unconfirmed; the harsher reading).
//     Leaving happens lazily, before every request and snapshot.
//   - Leaving, being removed or being blocked ends admin rights and
//     allow-listing (both need membership); mutes survive (documented).
//   - Admins, the allow list and mutes need current membership: 400
//     forbidden_op "users [X] are not members of this group!" (mutes: the
//     whole call, naming every non-member; batch allow: per user).
//   - Blocking needs membership too (a blocked user, no member any more,
//     may be blocked again: success). It ends membership and bars joining
//     (403 forbidden_op) until unblocked. The owner can be neither blocked
//     nor muted nor made admin (403 forbidden_op "forbidden operation on
//     group owner!").
//   - Mutes: mute_duration in milliseconds, -1 permanent (listed with
//     expire -1: unconfirmed), 0 unmutes, below -1 is a 400. Expiry follows
//     the simulated clock; an expired mute is gone from the list.
//
// # Choices where the facts are unconfirmed or conflict
//
//   - Limits: name 128, description 512, announcement 512 (403 forbidden_op
//     "announce info length exceeds limit!"), custom 1024 (002; newer pages
//     say 8 KB: Config.CustomMax), maxusers 1..10000 with default 1000 and
//     counting the owner, admins ≤99, batches ≤60, details ≤100 ids. Over a
//     length or maxusers: 403 exceed_limit ("title/desc cannot exceed to N",
//     "maxUsers cannot exceed N"); create custom over: 400.
//   - Create: an empty name, description or owner is "must be provided";
//     members must hold at least one id; the owner and repeats in members
//     are dropped; unknown members are a 404; more than maxusers-1 members
//     is 403 "members size is greater than max user size !". Unknown fields
//     are ignored (the vendor's SDK sends some). Config.MaxRooms caps rooms
//     (403 "appKey:O#A has create too many chatrooms!"). Custom ids only
//     with Config.CustomRoomIDs.
//   - Details of several ids: one unknown id fails the whole call (404
//     service_resource_not_found "do not find this group:X").
//   - Update: unknown fields are 400 "some of [f] are not valid fields";
//     "/" in name or description is a 400; maxusers below the current count
//     is 403 exceed_limit. Transfer ({newowner}): 404 unknown user, 403 same
//     owner, 403 forbidden_op when the new owner is not a member; the new
//     owner stops being an admin; the old owner stays as an ordinary member
//     who joined at that moment.
//   - Reads of a missing room answer 404 service_resource_not_found "do not
//     find this group:X", writes 404 resource_not_found "grpID X does not
//     exist!"; a client keys "not found" on the status.
//   - Members: adding a member again or the owner is 400 forbidden_op;
//     adding to a full room is 403 exceed_limit; batch adds skip unknown,
//     blocked and present users and list only the added ones. A single
//     remove of a non-member is 400 forbidden_op, a batch remove answers
//     result false with "user: X doesn't exist in group: R"; removing the
//     owner is refused. The remove batch limit is 60 (its error text; the
//     prose says 100).
//   - Admins: adding an admin again is 400 forbidden_op; removing a
//     non-admin is 400 forbidden_op.
//   - Block/allow/mute removals of users not on the list: a single block
//     removal is 403 forbidden_op (the documented batch-remove error), lists
//     answer result false with a reason. The allow-list removal always
//     answers an array (002's only example).
//   - Super admins: adding one again is 400 forbidden_op; removing a user
//     who is not one is 404 resource_not_found.
//   - Details carry "mute" (the mute-all state, read by the vendor's SDK;
//     absent from 002) so that mute-all drift can be read.
//
// # Docs002: when 002 and the later documentation disagree
//
// By default the simulator follows the facts (newer pages, the vendor's
// SDK, live captures). Config.Docs002 (--easemob-docs-002) makes it follow
// what the copied page 002 states instead:
//
//   - Create, details, update, get all and joined rooms answer only
//     {"data": ...} (plus cursor), as printed; a one-room details, list or
//     joined answer is the object itself, not an array of one; details have
//     no "mute".
//   - Update takes only name, description and maxusers, all three required
//     (002's table); newowner is "not a valid field" (002 has no transfer).
//   - Adding a user who does not exist is a 400 (002's prose), not a 404.
//   - Removing members takes up to 100 users (002's prose), not 60.
//   - Mute's usernames may be a comma-separated string (002's table type).
//   - Custom room ids are "groupid" (≤18 digits, not starting with 0)
//     rather than "roomid" (≤64 of a-z0-9).
//
// # 002's garbled examples
//
// The conformance test replays all 33 examples of 002 and lists, in its
// comment and in each testdata/conformance file, how the garbled ones are
// read: the doubled slash in the add-super-admin URL; super admin list's
// three ids for pagesize 2; list/joined/details showing one object for an
// array; set-announcement without a body; members list mixing limit/cursor
// and pagenum/pagesize; curl lines without Content-Type; the batch block
// body missing its "]"; allow-list URLs keeping placeholder braces, and an
// answer naming two users for a request of one; the last answer cut off at
// the end of the page.
package easemobsim
