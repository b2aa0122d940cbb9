package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
)

func NewEasemobChatroomAllowListResource() resource.Resource {
	return &userSetResource{kind: &easemobAllowList}
}

var easemobAllowList = userSetKind{
	typeSuffix: "_easemob_chatroom_allow_list",
	what:       "the allow list",
	description: fmt.Sprintf("The complete allow list of an Easemob chatroom (`GET/POST /chatrooms/{id}/white/users`, "+
		"`DELETE /chatrooms/{id}/white/users/{u,u,...}`), authoritative: users added outside Terraform show as drift "+
		"and are removed on apply. Changes go in batches of at most %d users. Allow-listed users may speak while the "+
		"whole room is muted and never leave the room by being offline. Only members can be allow-listed; a user "+
		"who leaves or is removed or blocked drops off the list. Destroy empties the list.", easemob.MaxUsersPerBatch),
	usersDesc:   "The allow-listed users; each must be a member of the room when added.",
	membersOnly: true,
	list: func(ctx context.Context, c *easemob.Client, room string) ([]string, error) {
		l, err := c.AllowList.List(ctx, room)
		if err != nil {
			return nil, err
		}
		return lowerAll(l.Users), nil
	},
	add: func(ctx context.Context, c *easemob.Client, room string, users []string) (*easemob.BatchResult, error) {
		return c.AllowList.AddMany(ctx, room, users)
	},
	remove: func(ctx context.Context, c *easemob.Client, room string, users []string) (*easemob.BatchResult, error) {
		return c.AllowList.RemoveMany(ctx, room, users)
	},
}
