package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
)

func NewEasemobChatroomBlockListResource() resource.Resource {
	return &userSetResource{kind: &easemobBlockList}
}

var easemobBlockList = userSetKind{
	typeSuffix: "_easemob_chatroom_block_list",
	what:       "the block list",
	description: fmt.Sprintf("The complete block list of an Easemob chatroom (`GET/POST /chatrooms/{id}/blocks/users`, "+
		"`DELETE /chatrooms/{id}/blocks/users/{u,u,...}`), authoritative: users blocked outside Terraform show as "+
		"drift and are unblocked on apply. Changes go in batches of at most %d users. Blocking ends a user's "+
		"membership (and with it admin rights and allow-listing) and bars rejoining until unblocked. The API blocks "+
		"only current members, so a user who is not a member is added to the room first and then blocked. The owner "+
		"cannot be blocked. Destroy unblocks everyone on the list.", easemob.MaxUsersPerBatch),
	usersDesc:    "The blocked users; the owner cannot be one.",
	ownerRefused: true,
	joinFirst:    true,
	list: func(ctx context.Context, c *easemob.Client, room string) ([]string, error) {
		l, err := c.BlockList.List(ctx, room)
		if err != nil {
			return nil, err
		}
		return lowerAll(l.Users), nil
	},
	add: func(ctx context.Context, c *easemob.Client, room string, users []string) (*easemob.BatchResult, error) {
		return c.BlockList.AddMany(ctx, room, users)
	},
	remove: func(ctx context.Context, c *easemob.Client, room string, users []string) (*easemob.BatchResult, error) {
		return c.BlockList.RemoveMany(ctx, room, users)
	},
}
