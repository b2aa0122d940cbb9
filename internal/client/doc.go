// Package client is a Go client for the NetEase Yunxin IM ("NIM") server API,
// covering the chatroom API and the QChat (圈组) API used by the Terraform
// provider.
//
// # Request path
//
// Every NIM endpoint is `POST {endpoint}/{area}/{name}.action` with an
// `application/x-www-form-urlencoded;charset=utf-8` body and a JSON answer
// that carries a `code` field (200 = success). All service methods go through
// [Client.Call], which signs the request (headers AppKey, Nonce, CurTime and
// CheckSum = lower-case hex SHA1(AppSecret+Nonce+CurTime)), throttles it,
// decodes the answer and retries it when that is safe. An answer whose code is
// not 200 is returned as an [*APIError]; helpers such as [IsNotFound] and
// [IsRateLimited] look through wrapping.
//
// JSON-array parameters travel as a JSON string inside a form field
// (`roomids=["6001","6003"]`); see [JSONArray]. Numbers in answers may arrive
// as JSON numbers or as strings and are decoded either way. Every array- or
// object-valued answer field the client reads (getBatch's succRooms,
// membersByPage's desc, every QChat list and object, ...) is decoded by one
// mechanism, jsonField, that accepts the value itself (the pages' examples)
// or a JSON string holding it (what the vendor's SDKs read). A getBatch
// entry without valid, creator or ionotify (the page's example has none of
// them) is read again with chatroom/get rather than given invented values.
//
// # Retries and outcome-unknown writes
//
// Each call is made in the [Read] or [Write] mode. Reads (get, getBatch,
// query*, membersByPage, the QChat get*/query*/batchGet* endpoints) can be
// repeated freely. Writes that set values or remove something (update*,
// toggleCloseStat, muteRoom, setMemberRole, kick, role membership, list
// entries, remove*/delete*) are idempotent: Call runs them in the
// [Idempotent] mode (the idempotentWrites table), because applying one twice
// leaves what applying it once does. The other writes, creates above all,
// must not be applied twice.
//
// Up to MaxRetries retries follow the first attempt ([WithMaxRetries], default
// 5), separated by exponential backoff with full jitter (a random delay in
// [0, min(max, min·2^n)], [WithBackoff], default 200ms and 10s). A cancelled
// or expired context stops the waiting at once and Call returns the context
// error, wrapped.
//
// What is retried, per mode:
//
//	outcome of an attempt                                 Read    Idempotent  Write
//	----------------------------------------------------  ------  ----------  ----------------
//	code 416 (rate limited; the request was refused)      retry   retry       retry
//	code 503, 514 (busy / unavailable; refused)           retry   retry       retry
//	code 500 (server internal error)                      retry   retry       ErrOutcomeUnknown
//	HTTP 5xx with no JSON code (gateway error)            retry   retry       ErrOutcomeUnknown
//	HTTP 429 with no JSON code                            retry   retry       retry
//	network error before a connection was obtained
//	  (DNS failure, dial error, connection refused)       retry   retry       retry
//	network error after the connection was obtained
//	  (reset, EOF, lost answer, per-attempt timeout)      retry   retry       ErrOutcomeUnknown
//	any other code (403, 404, 414, 417, 419, 13002, ...)  return  return      return
//
// ErrOutcomeUnknown marks a write that may or may not have been applied by the
// server. It is never retried automatically; the error wraps both
// [ErrOutcomeUnknown] and the cause (an [*APIError] for code 500, a network or
// context error otherwise), so errors.Is and errors.As work for both. A write
// cancelled by its context after the request may have been sent also wraps
// ErrOutcomeUnknown together with the context error.
//
// # Creates after an unknown outcome
//
// The rule for a create whose outcome is unknown: look the object up by its
// natural key before anything else, adopt it if it exists, and send the
// create again only if it does not ([CreateOrAdopt]). Chatrooms are looked
// up by creator and name (queryUserRoomIds, then getBatch), servers by owner
// (getServerListPage), channels by server (getChannelListPage), roles by
// server (getServerIdentifyPages), channel roles and member overrides by
// their unique key. Because names are not unique, the caller lists the
// existing objects before the first attempt and adopts only an object that
// was not there. A repeated removal answers 404, and a repeated
// toggleCloseStat 417; callers take both as done.
//
// # Throttling
//
// All attempts of one Client (including retries) take a token from one token
// bucket ([WithRequestsPerSecond], default 50 per second, burst 5; 0 means
// unlimited). A 416 answer pauses the whole bucket for the backoff delay, so
// every goroutine sharing the Client backs off, not only the one that was
// refused.
//
// # Read batching
//
// Terraform reads every resource of a plan concurrently. With batch reads on
// ([WithBatchReads], the default), concurrent single reads are gathered for a
// short window ([WithBatchWindow], default 50ms from the first caller, cut
// short when every read in progress has joined) and answered by one call: Chatrooms.Get by chatroom/getBatch (at most 20 rooms),
// QChat.GetServer by getServers and QChat.GetChannel by getChannels (at most
// 200), and ListServerRoles / ListChannelRoles calls for the same server or
// channel share one listing. A batch call is throttled and retried like any
// other; its failure fails only its callers. Callers join only a batch that
// has not been sent and nothing is kept afterwards, so a read that starts
// after a write sees it.
//
// # Secrets
//
// The AppSecret and the CheckSum never appear in errors, in log lines
// ([WithLogger]) or in the formatted Client.
package client
