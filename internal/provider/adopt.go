package provider

import (
	"context"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

// The finders (snapshot* and findNew*, each in the file of its resource) let
// client.CreateOrAdopt look up an object whose create had an unknown
// outcome; this file holds what they share. Names are not unique in NIM, so for chatrooms,
// servers, channels and roles the resource first lists the ids that exist
// (a snapshot) and a finder only considers ids that are not in it: an object
// that was there before this create is never adopted.

type idSnapshot map[int64]bool

func snapshotOf[T any](items []T, id func(T) int64) idSnapshot {
	s := idSnapshot{}
	for _, it := range items {
		s[id(it)] = true
	}
	return s
}

// firstNew returns the new item (lowest id, not in the snapshot) that
// matches; several concurrent identical creates are told apart by id order.
func firstNew[T any](items []T, before idSnapshot, id func(T) int64, match func(T) bool) (T, bool) {
	var best T
	found := false
	for _, it := range items {
		if before[id(it)] || !match(it) {
			continue
		}
		if !found || id(it) < id(best) {
			best, found = it, true
		}
	}
	return best, found
}

// byKey adapts a lookup by a unique key (a channel role per server role, an
// override per account) to a finder: not found means not there.
func byKey[T any](lookup func(context.Context) (*T, error)) func(context.Context) (*T, bool, error) {
	return func(ctx context.Context) (*T, bool, error) {
		obj, err := lookup(ctx)
		if client.IsNotFound(err) {
			return nil, false, nil
		}
		return obj, err == nil, err
	}
}

// createUnique creates an object of which there can be only one per key (a
// channel role per server role, an override per account): after an unknown
// outcome, or a duplicate answer (417) because it already exists, the
// existing one is adopted.
func createUnique[T any](ctx context.Context, create func(context.Context) (*T, error), find func(context.Context) (*T, error)) (*T, error) {
	obj, err := client.CreateOrAdopt(ctx, client.DefaultCreateAttempts, create, byKey(find))
	if client.IsDuplicate(err) {
		return find(ctx)
	}
	return obj, err
}
