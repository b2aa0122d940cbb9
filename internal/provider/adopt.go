package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"

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
// channel role per server role, an override per account). The caller has
// looked it up first and found none; after an unknown outcome the object
// found by key is the one this create made, and is adopted. A duplicate
// answer (417) means someone else made it meanwhile: it is returned as
// the error, never adopted.
func createUnique[T any](ctx context.Context, create func(context.Context) (*T, error), find func(context.Context) (*T, error)) (*T, error) {
	return client.CreateOrAdopt(ctx, client.DefaultCreateAttempts, create, byKey(find))
}

// alreadyExists is the error of a create that found its object already in
// NIM before sending anything. A create never takes over an object it did
// not make: that would hide a second resource for the same object, or a
// renamed resource whose old address is about to be destroyed (and would
// then remove the object this create reported as made). The only objects
// adopted are those the provider's own create may have made, after an
// unknown outcome (client.CreateOrAdopt).
//
// typeName is the resource type, what names the object, importID is the
// id that imports it.
func alreadyExists(typeName, what, importID string) diag.Diagnostic {
	return diag.NewErrorDiagnostic(what+" already exists",
		fmt.Sprintf("%s already exists in NIM, and a new %s never takes over an object it did not create.\n\n"+
			"To manage the existing one, import it into this resource (ADDRESS is this resource's address, "+
			"such as %s.example):\n\n  terraform import ADDRESS %s\n\nor add an import block with id = %q.\n\n"+
			"If the resource was renamed in the configuration, add a moved block from its old address to its new "+
			"one instead (moved { from = OLD_ADDRESS, to = ADDRESS }), so that Terraform keeps it rather than "+
			"creating it again and destroying the old one. If two resources of the configuration stand for the "+
			"same object, keep one.",
			what, typeName, typeName, importID, importID))
}

// createLocks makes the look-up and the create of one object a single step
// within the provider: Terraform creates resources concurrently, and two
// resources for the same object would otherwise both look, both find
// nothing, and both create. Keys name the object, such as
// "qchat_server_member/<server_id>/<accid>".
var createLocks = keyedMutex{held: map[string]*keyedEntry{}}

type keyedMutex struct {
	mu   sync.Mutex
	held map[string]*keyedEntry
}

type keyedEntry struct {
	mu   sync.Mutex
	refs int
}

// lock takes the lock of key and returns its release.
func (k *keyedMutex) lock(key string) func() {
	k.mu.Lock()
	e := k.held[key]
	if e == nil {
		e = &keyedEntry{}
		k.held[key] = e
	}
	e.refs++
	k.mu.Unlock()
	e.mu.Lock()
	return func() {
		e.mu.Unlock()
		k.mu.Lock()
		if e.refs--; e.refs == 0 {
			delete(k.held, key)
		}
		k.mu.Unlock()
	}
}
