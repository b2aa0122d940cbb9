// Package easemob is a Go client for the Easemob (环信) IM REST API for
// chatroom management, used by the Terraform provider.
//
// # Endpoints
//
// Every URL is {host}/{org_name}/{app_name}/...; host is the app's data
// centre, e.g. https://a1.easemob.com. Bodies are JSON, every call but the
// token request carries `Authorization: Bearer <app token>`.
//
//	POST   /token                               app token (client credentials)
//	POST   /chatrooms                           Chatrooms.Create, CreateOrAdopt
//	GET    /chatrooms/{id[,id...]}              Chatrooms.Get, GetMany (≤100 ids)
//	GET    /chatrooms?limit=&cursor=            Chatrooms.List, ListAll
//	PUT    /chatrooms/{id}                      Chatrooms.Update (name, description, maxusers)
//	PUT    /chatrooms/{id} {"newowner"}         Chatrooms.TransferOwner
//	DELETE /chatrooms/{id}                      Chatrooms.Delete
//	GET    /chatrooms/{id}/announcement         Chatrooms.GetAnnouncement
//	POST   /chatrooms/{id}/announcement         Chatrooms.SetAnnouncement
//	POST   /chatrooms/{id}/ban, DELETE .../ban  Chatrooms.SetMuteAll
//	GET    /chatrooms/{id}/users?pagenum=&pagesize=  Members.List, ListAll
//	POST   /chatrooms/{id}/users[/{u}]          Members.Add, AddMany (≤60)
//	DELETE /chatrooms/{id}/users/{u[,u...]}     Members.Remove, RemoveMany (≤60)
//	GET, POST /chatrooms/{id}/admin, DELETE .../admin/{u}    Admins.List, Add, Remove
//	.../blocks/users[/{u[,u...]}]               BlockList.List, Add, AddMany, Remove, RemoveMany
//	.../white/users[/{u[,u...]}]                AllowList.List, Add, AddMany, Remove, RemoveMany
//	GET, POST /chatrooms/{id}/mute, DELETE .../mute/{u[,u...]}  Mutes.List, Add, Remove
//	GET, POST /chatrooms/super_admin, DELETE .../super_admin/{u}  SuperAdmins.List, ListAll, Add, Remove
//
// A non-2xx answer is an [*APIError] with the HTTP status and the body's
// `error` and `error_description`. "Not found" is keyed on HTTP 404 ([IsNotFound],
// errors.Is(err, [ErrNotFound])), never on the `error` string, which differs
// between endpoints for the same missing room. Calls on several users answer
// 200 with one result per user; refused users come back in a [*BatchError]
// naming each user and the server's reason, together with the full
// [BatchResult].
//
// # App token
//
// The token is requested on first use only, with `{"grant_type":
// "client_credentials", "client_id", "client_secret"}` and no `ttl`, so the
// lifetime set in the console applies. It is kept in memory only and shared:
// concurrent callers wait for one token request. It is renewed once half of
// its `expires_in` has passed (the vendor does not promise validity up to
// expires_in; its own server SDK renews at half-life too); until it expires
// the old token keeps being used while the renewal runs. `expires_in: 0`
// never expires and is renewed only after a 401.
//
// A 401 on a call drops the token and renews it once for that call; if the
// renewed request is refused again, its 401 is returned (never a loop).
// Because the vendor bans accounts that request tokens too often, token
// requests are never made in a tight loop: after a failed token request (or
// a new token refused at once with 401) the next one waits 1s, then 2s, 4s,
// ... up to 30s ([WithTokenBackoff]); callers arriving in that time get a
// retryable error (or keep using a still valid token) instead of a request.
// A token request refused with 400/401/403/404 (wrong client id or secret,
// wrong org/app or data centre) is final for the Client: every later call
// returns that error without another request.
//
// The client secret and the tokens never appear in errors, in log lines
// ([WithLogger]) or in the formatted Client or Config.
//
// # Retries and outcome-unknown writes
//
// Each call runs in the [Read], [Write] or [Idempotent] mode. Reads are the
// GETs. Idempotent writes leave the same state and the same kind of answer
// when applied twice: room update, announcement, mute-all on/off, and room
// delete (a repeat answers 404, which callers take as done). Every other
// write is a Write: the create (a repeat makes a second room), ownership
// transfer (a repeat answers 403), and the member, admin, block, allow,
// mute and super-admin changes (a repeat answers per-user failures such as
// "already a member", which would be reported as errors). Up to MaxRetries
// retries follow the first attempt ([WithMaxRetries], default 5), separated
// by exponential backoff with full jitter (a random delay in
// [0, min(max, min·2^n)], [WithBackoff], default 200ms and 10s). Refusals
// for the rate (429 reach_limit) are not retries: see Throttling.
//
//	outcome of an attempt                               Read    Idempotent  Write
//	--------------------------------------------------  ------  ----------  ----------------
//	429 reach_limit (or no body): refused, not applied  wait    wait        wait
//	429 resource_limited (plan quota used up)           return  return      return
//	401: token refused                                  renew the token once, resend, then return
//	500 unsupported_service_operation (no such route)   return  return      return
//	other 5xx (500, 502, 503, 504)                      retry   retry       ErrOutcomeUnknown
//	network error before a connection was obtained      retry   retry       retry
//	network error after it (reset, EOF, lost answer,
//	  per-attempt timeout)                              retry   retry       ErrOutcomeUnknown
//	2xx with an unreadable body                         return  return      ErrOutcomeUnknown
//	token request refused with 429 reach_limit          wait    wait        wait
//	token request failed with 5xx/network error         retry   retry       retry
//	any other 4xx                                       return  return      return
//
// "wait": the request is sent again after the pause of its rate class (see
// Throttling), for up to the refusal budget ([WithRefusalBudget], default
// 2 minutes, bounded by the context's deadline), and these attempts are not
// counted against MaxRetries. When the budget runs out, the error wraps the
// last 429 ([IsRateLimited]) and says how long the call waited. A cancelled
// context ends the wait at once. After a refused token request the wait is
// the token gate's (see App token): a token is never requested in a loop.
//
// [ErrOutcomeUnknown] marks a write that may or may not have been applied.
// It is never resent automatically; the error wraps both ErrOutcomeUnknown
// and the cause. For creates, [ChatroomsService.CreateOrAdopt] looks the room
// up first and adopts only a room that did not exist before the create (see
// there for the listing used and why); see also the generic [CreateOrAdopt].
//
// # Throttling
//
// All requests of one Client, token requests and retries included, pass one
// [Throttle]: by default an adaptive rate controller (package
// internal/ratelimit) whose ceiling is 40 requests per second with a burst
// of 5 ([WithRequestsPerSecond]), below the strictest documented limit,
// 50/s per app key for creating and listing rooms (100/s for the other
// chatroom calls, 300/s for tokens). The limit
// belongs to the app, and other clients of it (pipelines, the app's own
// servers) spend it too, so the ceiling is not the rate; on a 429
// reach_limit:
//
//   - the client's rate halves (one cut per burst of refusals), and grows
//     back towards the ceiling while requests are accepted;
//   - the refused rate class ([RateClass]: create/list, token, or any other
//     call, the classes the vendor gives limits for) is paused for 1 second
//     ([WithRateLimitBlock]), or for Retry-After when the answer carries one.
//     The vendor documents per-second limits and no block period or
//     Retry-After (unconfirmed): a second is one whole window of the limit.
//     The other classes go on at the reduced rate;
//   - the refused request waits out the pause and is sent again (see the
//     retry table), within the refusal budget.
//
// A 429 resource_limited is the plan's quota, not a rate: it neither slows
// the client nor is retried. [WithThrottle] plugs in another Throttle, such
// as a Controller shared with other clients; [Client.RequestRate] tells the
// current rate.
//
// # Read batching
//
// With [WithBatchReads] on (the default), concurrent Chatrooms.Get calls are
// answered by one `GET /chatrooms/{id,id,...}` of up to 100 rooms; nothing
// is cached. See WithBatchReads.
//
// # Limits, and the readings chosen where the documents disagree
//
// Room name ≤128 characters, description ≤512 (both required; no "/" on
// update), maxusers 1..10000 including the owner, announcement ≤512, admins
// ≤99, batch calls ≤60 users, room details ≤100 ids per call, mute
// durations in milliseconds (-1 = until removed). Where sources conflict or
// are silent, the safer reading is used:
//
//   - custom: ≤1024 characters (002) rather than 8 KB (newer pages); it is
//     not offered by Update, since 002 lists only name, description and
//     maxusers as updatable and the vendor's SDK sending it is undocumented.
//   - removing members: 60 per call (the error message), not 100 (the text).
//   - room listing: `data` is read as an array or as one object (002 shows
//     one object), page size 100 (the 2023 maximum; newer pages allow 1000),
//     cursor paging.
//   - room details: `data` read as an array or one object; the mute-all
//     state comes from its `mute` field, which 002 does not document:
//     Chatroom.MuteAll is nil when absent. A 404 for a batch of several ids
//     is split until the missing room is found (GetMany).
//   - member list: pagenum/pagesize (002's example and the vendor's SDK),
//     not the limit/cursor of 002's table; owner shown as {"owner": u}.
//   - `result` fields read as booleans or the string "success".
//   - announcement body `{"announcement": ...}` (missing from 002).
//   - mute `usernames` sent as an array (002's table says String).
//   - the `expire` of a mute without end is undocumented: a value ≤ 0 reads
//     as no end time.
//   - 429 reach_limit without Retry-After: the rate class pauses 1 second
//     (one window of the per-second limits; no block period is documented).
//   - rate classes read as one budget per class, not per endpoint (the
//     documents list "everything else" under one limit): a 429 pauses the
//     whole class.
package easemob
