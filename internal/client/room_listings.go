package client

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// sharedListings lets concurrent chatroom listings of one creator share a
// request that has not been sent yet (see ListIDsByCreator).
type sharedListings struct {
	mu   sync.Mutex
	open map[string]*listing // creator -> the listing new callers join
}

type listing struct {
	joinable bool // no attempt of it is on the wire
	waiters  int
	cancel   context.CancelFunc
	done     chan struct{} // closed once ids and err are set
	ids      []int64
	err      error
}

func (s *sharedListings) get(ctx context.Context, creator string, fetch func(context.Context, string) ([]int64, error)) ([]int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("nim chatroom/queryUserRoomIds: %w", err)
	}
	s.mu.Lock()
	if s.open == nil {
		s.open = map[string]*listing{}
	}
	l := s.open[creator]
	if l == nil || !l.joinable {
		l = s.start(ctx, creator, fetch)
	}
	l.waiters++
	s.mu.Unlock()

	select {
	case <-l.done:
		return slices.Clone(l.ids), l.err
	case <-ctx.Done():
		s.mu.Lock()
		l.waiters--
		if l.waiters == 0 {
			// Nobody wants the answer any more.
			l.cancel()
			if s.open[creator] == l {
				delete(s.open, creator)
			}
		}
		s.mu.Unlock()
		return nil, fmt.Errorf("nim chatroom/queryUserRoomIds: %w", ctx.Err())
	}
}

// start begins a listing for creator; s.mu is held. The request carries the
// first caller's context values but not its cancellation: it is cancelled
// only when every caller has gone.
func (s *sharedListings) start(ctx context.Context, creator string, fetch func(context.Context, string) ([]int64, error)) *listing {
	fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	l := &listing{joinable: true, cancel: cancel, done: make(chan struct{})}
	s.open[creator] = l
	fctx = withSendingHook(fctx, func(sending bool) {
		s.mu.Lock()
		l.joinable = !sending
		s.mu.Unlock()
	})
	go func() {
		defer cancel()
		ids, err := fetch(fctx, creator)
		s.mu.Lock()
		if s.open[creator] == l {
			delete(s.open, creator)
		}
		l.ids, l.err = ids, err
		s.mu.Unlock()
		close(l.done)
	}()
	return l
}

type sendingHookKey struct{}

// withSendingHook makes Call report on ctx when an attempt is about to be
// sent (true) and when it will be sent again after a refusal or a failure
// (false).
func withSendingHook(ctx context.Context, hook func(sending bool)) context.Context {
	return context.WithValue(ctx, sendingHookKey{}, hook)
}

func notifySending(ctx context.Context, sending bool) {
	if hook, ok := ctx.Value(sendingHookKey{}).(func(bool)); ok {
		hook(sending)
	}
}
