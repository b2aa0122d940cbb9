package easemob

import (
	"context"
	"fmt"
	"time"

	"github.com/nimtf/terraform-provider-nim/internal/batch"
)

// DefaultBatchWindow is how long a batched room read waits, from its first
// caller, for more callers before it is sent (see WithBatchReads).
const DefaultBatchWindow = 50 * time.Millisecond

// WithBatchReads switches read batching on or off (default on). When on,
// concurrent Chatrooms.Get calls are gathered for at most the batch window
// and answered by one `GET /chatrooms/{id,id,...}` of at most 100 rooms.
//
// A batch is sent when it holds 100 rooms, when the window has passed since
// its first caller, or as soon as every read in progress waits in it and
// they are as many as ever ran at once (Terraform's -parallelism: nobody else
// can come before they are answered). Callers only join a batch that has not
// been sent, and its answer is dropped once handed out: nothing is cached,
// so a read that starts after a write sees the write. A batch call is
// throttled and retried like any other; its failure fails only its callers.
// A room missing from the answer, or a 404 of a batch of one, is "not found"
// for that caller only (see Chatrooms.GetMany for a 404 of a larger batch).
// A caller whose context ends returns at once; the batch is cancelled only
// when all its callers have gone.
func WithBatchReads(on bool) Option { return func(c *Client) { c.batchReads = on } }

// WithBatchWindow sets how long a batch read waits for more callers after its
// first one (default DefaultBatchWindow).
func WithBatchWindow(d time.Duration) Option { return func(c *Client) { c.batchWindow = d } }

// coalescer is the batching of Chatrooms.Get: one round holds the rooms of
// one `GET /chatrooms/{id,id,...}`; there is a single group.
type coalescer = batch.Coalescer[struct{}, string, *Chatroom]

func newRoomCoalescer(c *Client) *coalescer {
	return &coalescer{
		Window:  c.batchWindow,
		MaxKeys: MaxRoomsPerDetails,
		Fetch: func(ctx context.Context, _ struct{}, ids []string) (map[string]*Chatroom, map[string]error, error) {
			return c.Chatrooms.fetchRooms(ctx, ids)
		},
		Missing: func(_ struct{}, id string) error { return roomNotFound(id) },
		CtxErr: func(_ struct{}, id string, err error) error {
			return fmt.Errorf("easemob GET /chatrooms/%s: %w", id, err)
		},
		Clone: (*Chatroom).clone,
	}
}
