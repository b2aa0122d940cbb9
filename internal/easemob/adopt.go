package easemob

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/nimtf/terraform-provider-nim/internal/adopt"
)

// DefaultCreateAttempts is how many times a create is sent in all when
// earlier attempts had an unknown outcome and left nothing behind.
const DefaultCreateAttempts = 3

// CreateOrAdopt runs a create that must never leave a duplicate behind.
//
// A create is a Write: when its outcome is unknown, sending it again could
// make a second object. So CreateOrAdopt first calls find, which looks for
// an object this create may have made; if there is one it is adopted as if
// the create had answered, and only if there is none is the create sent
// again, at most attempts times in all. find must ignore objects that existed
// before the first attempt (names are not unique). Any other error of create
// is returned as is; an error of find is returned together with the unknown
// outcome, so IsOutcomeUnknown still holds.
func CreateOrAdopt[T any](ctx context.Context, attempts int, create func(context.Context) (T, error), find func(context.Context) (T, bool, error)) (T, error) {
	return adopt.CreateOrAdopt(ctx, attempts, ErrOutcomeUnknown, "room", create, find)
}

// CreateOrAdopt creates a room like Create, without ever leaving a
// duplicate behind after an unknown outcome.
//
// The API has no way to find a room by a key of the caller's choosing: it
// lists all rooms of the app (`GET /chatrooms`, with id, name and owner) and
// the rooms a user joined (`GET /users/{u}/joined_chatrooms`, the latest 500
// by default, with no owner in 002's answer). The full listing is used,
// because it shows the owner and has no cap: before the first attempt the
// ids of the rooms with this name and owner are noted; after an unknown
// outcome the listing is read again, and only a room with this name and owner
// that was not there before, and that no other create of this Client has
// taken, is adopted. Creates of the same name and owner through one Client
// run one at a time, so two of them cannot adopt the same room. When several
// new rooms match, none is adopted and the error names them.
//
// The cost is one listing before each create (one request per 100 rooms of
// the app), and one more after an unknown outcome.
func (s *ChatroomsService) CreateOrAdopt(ctx context.Context, req *CreateRequest) (*CreateResult, error) {
	if req == nil {
		return nil, errors.New("easemob: nil CreateRequest")
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	st := s.client.adopt
	unlock, err := st.lock(ctx, strings.ToLower(req.Owner)+"\x00"+req.Name)
	if err != nil {
		return nil, fmt.Errorf("easemob POST /chatrooms: %w", err)
	}
	defer unlock()
	before, err := s.matching(ctx, req.Name, req.Owner)
	if err != nil {
		return nil, fmt.Errorf("easemob: listing rooms before creating %q (needed to recognise it after a lost answer): %w", req.Name, err)
	}
	create := func(ctx context.Context) (*CreateResult, error) {
		res, err := s.Create(ctx, req)
		if err == nil {
			st.claim(res.ID)
		}
		return res, err
	}
	find := func(ctx context.Context) (*CreateResult, bool, error) {
		now, err := s.matching(ctx, req.Name, req.Owner)
		if err != nil {
			return nil, false, err
		}
		var fresh []string
		for id := range now {
			if !before[id] && !st.claimed(id) {
				fresh = append(fresh, id)
			}
		}
		switch len(fresh) {
		case 0:
			return nil, false, nil
		case 1:
			st.claim(fresh[0])
			return &CreateResult{ID: fresh[0]}, true, nil
		}
		sort.Strings(fresh)
		return nil, false, fmt.Errorf("rooms %s named %q and owned by %q appeared since the create began; which one it made is unknown, none was adopted",
			strings.Join(fresh, ", "), req.Name, req.Owner)
	}
	return CreateOrAdopt(ctx, DefaultCreateAttempts, create, find)
}

// matching returns the ids of the app's rooms with this name (exact) and
// owner (user ids are case-insensitive).
func (s *ChatroomsService) matching(ctx context.Context, name, owner string) (map[string]bool, error) {
	all, err := s.ListAll(ctx)
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, r := range all.Rooms {
		if r.Name == name && strings.EqualFold(r.Owner, owner) {
			ids[r.ID] = true
		}
	}
	return ids, nil
}

// keyedMutex serialises creates of the same key and remembers the room ids
// this Client's creates made or adopted.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]chan struct{}
	taken map[string]bool
}

func (k *keyedMutex) lock(ctx context.Context, key string) (func(), error) {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]chan struct{}{}
	}
	ch := k.locks[key]
	if ch == nil {
		ch = make(chan struct{}, 1)
		k.locks[key] = ch
	}
	k.mu.Unlock()
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (k *keyedMutex) claim(id string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.taken == nil {
		k.taken = map[string]bool{}
	}
	k.taken[id] = true
}

func (k *keyedMutex) claimed(id string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.taken[id]
}
