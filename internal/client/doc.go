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
//	code 416 (rate limited; the request was refused)      wait    wait        wait
//	code 503, 514 (busy / unavailable; refused)           retry   retry       retry
//	code 500 (server internal error)                      retry   retry       ErrOutcomeUnknown
//	HTTP 5xx with no JSON code (gateway error)            retry   retry       ErrOutcomeUnknown
//	HTTP 429 with no JSON code                            wait    wait        wait
//	network error before a connection was obtained
//	  (DNS failure, dial error, connection refused)       retry   retry       retry
//	network error after the connection was obtained
//	  (reset, EOF, lost answer, per-attempt timeout)      retry   retry       ErrOutcomeUnknown
//	any other code (403, 404, 414, 417, 419, 13002, ...)  return  return      return
//
// "wait" is not a counted retry: the refused request was not processed, and
// NIM blocks the refused endpoint for about 10 seconds, so the call waits
// for the endpoint's pause to end (see Throttling) and sends the request
// again, for as long as its refusal budget allows ([WithRefusalBudget],
// default 2 minutes from the first refusal, at most 10 minutes). It gives up
// at once when the pause would outlast its context's deadline, and stops
// waiting as soon as its context is cancelled.
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
// was not there. Creates of one chatroom creator that run together share
// that listing ([ChatroomService.ListIDsByCreator]: concurrent calls join one
// request not yet sent, and while creates of the creator run, a listing at
// most a second old serves with the rooms they made since, until one ends
// with an unknown outcome), so each create costs about one call, not two;
// every snapshot is still taken before its create is sent, and a lookup
// after a lost answer always lists afresh. A repeated removal answers 404,
// and a repeated
// toggleCloseStat 417; callers take both as done.
//
// # Throttling
//
// All attempts of one Client (retries included) are paced by one rate
// controller (package internal/ratelimit). [WithRequestsPerSecond] is its
// ceiling (default 95 per second, burst 5; 0 means no ceiling): with that
// burst, no one-second window holds more than 100 requests, NIM's documented
// limit per application, whichever way the server counts them, so a lone
// client runs close to the limit without being refused.
//
// Below the ceiling the rate adapts, because the limit belongs to the
// application and other clients (pipelines, the application's own servers)
// spend it too. A refusal (416, or HTTP 429) halves the rate, once per burst
// of refusals; accepted requests raise it again, by a tenth of the ceiling
// per second, and slowly (1/400 of the ceiling per second) close below the
// rate at which the last refusal came. Clients that share a limit this way
// settle under it instead of refusing each other in turn.
//
// A refusal also pauses its endpoint, for every goroutine of the Client, for
// the block NIM documents after a 416: about 10 seconds
// ([WithRateLimitBlock]). Requests to the blocked endpoint wait instead of
// being refused again; other endpoints, which the server does not block, go
// on at the adapted rate. [Client.RequestRate] reports the current rate.
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
