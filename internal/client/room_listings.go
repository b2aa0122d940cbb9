package client

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// SnapshotReuse is how long, from its request, a listing of a creator's
// chatrooms serves the snapshots of that creator's creates while they run
// (see ListIDsByCreator).
const SnapshotReuse = time.Second

// sharedListings lets chatroom listings of one creator share a request (see
// ListIDsByCreator): concurrent callers join one that has not been sent,
// and while creates of the creator run, a recent listing together with the
// rooms those creates made serves as the next snapshot.
type sharedListings struct {
	now func() time.Time

	mu      sync.Mutex
	open    map[string]*listing // creator -> the listing new callers join
	ledgers map[string]*ledger  // creator -> what this client knows
}

// ledger is what the client knows of one creator's rooms: the last listing
// and the creates since. Its listing serves snapshots while the creator's
// creates run, or ended less than SnapshotReuse ago (Terraform starts the
// next create of a large apply as one ends).
type ledger struct {
	ids         []int64   // the last listing that answered
	requested   time.Time // when it was asked for; zero: none
	created     []createdRoom
	lastUnknown time.Time // when a create last ended with an unknown outcome
	lastEnded   time.Time // when a create last ended
	creating    int       // creates in progress
}

type createdRoom struct {
	id int64
	at time.Time
}

// snapshot returns the ledger's listing with the rooms created since, if it
// may serve as the snapshot of a create asked for at now: creates of the
// creator are running, the listing is recent, and no create has ended with
// an unknown outcome since it was asked for (a lookup after a lost answer,
// and every create after it, then lists afresh). s.mu is held.
func (s *sharedListings) snapshot(creator string, now time.Time) ([]int64, bool) {
	led := s.ledgers[creator]
	if led == nil || led.requested.IsZero() || !s.reusable(creator, led.requested, now) {
		return nil, false
	}
	ids := slices.Clone(led.ids)
	for _, r := range led.created {
		if !slices.Contains(ids, r.id) {
			ids = append(ids, r.id)
		}
	}
	return ids, true
}

// reusable reports whether a listing of creator asked for at requested may
// serve a snapshot asked for at now. s.mu is held.
func (s *sharedListings) reusable(creator string, requested, now time.Time) bool {
	led := s.ledgers[creator]
	running := led != nil && (led.creating > 0 || now.Sub(led.lastEnded) <= SnapshotReuse)
	return running && now.Sub(requested) <= SnapshotReuse && requested.After(led.lastUnknown)
}

func (s *sharedListings) ledger(creator string) *ledger {
	if s.ledgers == nil {
		s.ledgers = map[string]*ledger{}
	}
	led := s.ledgers[creator]
	if led == nil {
		led = &ledger{}
		s.ledgers[creator] = led
	}
	return led
}

// createStarted records a create of creator; call the function it returns
// with the create's outcome.
func (s *sharedListings) createStarted(creator string) func(id int64, err error) {
	s.mu.Lock()
	s.ledger(creator).creating++
	s.mu.Unlock()
	return func(id int64, err error) {
		now := s.now()
		s.mu.Lock()
		defer s.mu.Unlock()
		led := s.ledger(creator)
		led.creating--
		led.lastEnded = now
		switch {
		case err == nil:
			led.created = append(led.created, createdRoom{id: id, at: now})
		case IsOutcomeUnknown(err):
			led.lastUnknown = now
		}
		if len(s.ledgers) > 1000 {
			// Creators whose creates ended long ago need no ledger.
			for c, l := range s.ledgers {
				if l.creating == 0 && now.Sub(l.lastEnded) > SnapshotReuse {
					delete(s.ledgers, c)
				}
			}
		}
	}
}

// listed records a listing asked for at requested.
func (s *sharedListings) listed(creator string, ids []int64, requested time.Time) {
	led := s.ledger(creator)
	if requested.Before(led.requested) {
		return
	}
	led.ids, led.requested = ids, requested
	// Rooms created well before the listing are in it.
	led.created = slices.DeleteFunc(led.created, func(r createdRoom) bool { return r.at.Before(requested.Add(-SnapshotReuse)) })
}

type listing struct {
	requested time.Time
	joinable  bool // no attempt of it is on the wire
	waiters   int
	cancel    context.CancelFunc
	done      chan struct{} // closed once ids and err are set
	ids       []int64
	err       error
}

func (s *sharedListings) get(ctx context.Context, creator string, fetch func(context.Context, string) ([]int64, error)) ([]int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("nim chatroom/queryUserRoomIds: %w", err)
	}
	for {
		s.mu.Lock()
		now := s.now()
		if ids, ok := s.snapshot(creator, now); ok {
			s.mu.Unlock()
			return ids, nil
		}
		if s.open == nil {
			s.open = map[string]*listing{}
		}
		l := s.open[creator]
		// A listing already on the wire may serve like a recent one,
		// once it has answered.
		onWire := l != nil && !l.joinable && s.reusable(creator, l.requested, now)
		if l == nil || (!l.joinable && !onWire) {
			l = s.start(ctx, creator, fetch)
		}
		l.waiters++
		s.mu.Unlock()

		select {
		case <-l.done:
			if onWire {
				continue // its answer is in the ledger now, if it may serve
			}
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
}

// start begins a listing for creator; s.mu is held. The request carries the
// first caller's context values but not its cancellation: it is cancelled
// only when every caller has gone.
func (s *sharedListings) start(ctx context.Context, creator string, fetch func(context.Context, string) ([]int64, error)) *listing {
	fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	l := &listing{requested: s.now(), joinable: true, cancel: cancel, done: make(chan struct{})}
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
		if err == nil {
			s.listed(creator, ids, l.requested)
		}
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
