package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
)

func NewEasemobChatroomAdminsResource() resource.Resource {
	return &userSetResource{kind: &easemobAdmins}
}

// easemobAdmins: GET /chatrooms/{id}/admin lists them; the API adds and
// removes one admin per request, so the changes are sent one by one.
var easemobAdmins = userSetKind{
	typeSuffix: "_easemob_chatroom_admins",
	what:       "the admin set",
	description: fmt.Sprintf("The complete set of admins of an Easemob chatroom (`GET/POST /chatrooms/{id}/admin`, "+
		"`DELETE /chatrooms/{id}/admin/{username}`), authoritative: admins added outside Terraform show as drift and "+
		"are removed on apply. At most %d admins (owner and admins together at most 100). Admins must be members "+
		"of the room, and the owner cannot be one. Destroy removes every admin.", easemob.MaxAdmins),
	usersDesc:    fmt.Sprintf("The admins, at most %d; each must be a member of the room, and the owner cannot be one.", easemob.MaxAdmins),
	max:          easemob.MaxAdmins,
	ownerRefused: true,
	membersOnly:  true,
	list: func(ctx context.Context, c *easemob.Client, room string) ([]string, error) {
		l, err := c.Admins.List(ctx, room)
		if err != nil {
			return nil, err
		}
		return lowerAll(l.Users), nil
	},
	add: func(ctx context.Context, c *easemob.Client, room string, users []string) (*easemob.BatchResult, error) {
		return oneByOne(ctx, "add_admin", room, users, func(ctx context.Context, u string) (*easemob.UserResult, error) {
			return c.Admins.Add(ctx, room, u)
		})
	},
	remove: func(ctx context.Context, c *easemob.Client, room string, users []string) (*easemob.BatchResult, error) {
		return oneByOne(ctx, "remove_admin", room, users, func(ctx context.Context, u string) (*easemob.UserResult, error) {
			return c.Admins.Remove(ctx, room, u)
		})
	},
}

// oneByOne runs a one-user call for each user and reports like a batch
// call: a refused user, or one whose answer was lost, is recorded and the
// others still go; any other failure stops, and that user and those after
// it are reported as not applied.
func oneByOne(ctx context.Context, op, room string, users []string, call func(context.Context, string) (*easemob.UserResult, error)) (*easemob.BatchResult, error) {
	res := &easemob.BatchResult{}
	var unknown []string
	var lastCause error
	for i, u := range users {
		r, err := call(ctx, u)
		if be, ok := easemob.AsBatchError(err); ok && be.Cause == nil && r != nil {
			res.Results = append(res.Results, *r)
			continue
		}
		// A lost answer concerns this user only: go on with the others.
		if easemob.IsOutcomeUnknown(err) {
			unknown = append(unknown, u)
			lastCause = err
			continue
		}
		// A 400, 403 or 404 refuses this user only (not a member, the
		// owner, an unknown user): record it and go on with the others.
		var apiErr *easemob.APIError
		if errors.As(err, &apiErr) && (apiErr.StatusCode == 400 || apiErr.StatusCode == 403 || apiErr.StatusCode == 404) {
			res.Results = append(res.Results, easemob.UserResult{User: u, Reason: fmt.Sprintf("HTTP %d %s: %s", apiErr.StatusCode, apiErr.Type, apiErr.Description)})
			continue
		}
		if err != nil {
			return res, &easemob.BatchError{Op: op, Room: room, Failed: res.Failed(), Unknown: unknown,
				NotSent: users[i:], Cause: err}
		}
		res.Results = append(res.Results, *r)
	}
	if failed := res.Failed(); len(failed) > 0 || len(unknown) > 0 {
		return res, &easemob.BatchError{Op: op, Room: room, Failed: failed, Unknown: unknown, Cause: lastCause}
	}
	return res, nil
}
