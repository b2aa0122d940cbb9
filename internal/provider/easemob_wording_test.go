package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
)

// TestEasemobRoomTextOneError: an empty or blank name or description gets
// one error, not one per validator.
func TestEasemobRoomTextOneError(t *testing.T) {
	var sr resource.SchemaResponse
	(&easemobChatroomResource{}).Schema(context.Background(), resource.SchemaRequest{}, &sr)
	for _, attr := range []string{"name", "description"} {
		for _, v := range []string{"", "  "} {
			a, ok := sr.Schema.Attributes[attr].(schema.StringAttribute)
			if !ok {
				t.Fatalf("%s is not a string attribute", attr)
			}
			var diags diag.Diagnostics
			for _, val := range a.Validators {
				var resp validator.StringResponse
				val.ValidateString(context.Background(), validator.StringRequest{Path: path.Root(attr), ConfigValue: types.StringValue(v)}, &resp)
				diags.Append(resp.Diagnostics...)
			}
			if diags.ErrorsCount() != 1 {
				t.Errorf("%s = %q: %d errors, want 1: %v", attr, v, diags.ErrorsCount(), diags)
			}
		}
	}
}

// TestEasemobMemberReadWarnings: a member who left is told apart from one
// who became the owner, and each warning is a finished sentence.
func TestEasemobMemberReadWarnings(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	room := env.newRoom(t, "ann")
	env.change(t, "moving the owner to ann", func(ctx context.Context, c *easemob.Client) error {
		_, err := c.Chatrooms.TransferOwner(ctx, room, "ann")
		return err
	})
	ctx := context.Background()
	r := &easemobMemberResource{}
	r.client = env.client
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	read := func(user string) (diag.Diagnostics, bool) {
		state := tfsdk.State{Schema: sr.Schema}
		if d := state.Set(ctx, &easemobMemberModel{ID: types.StringValue(room + "/" + user),
			RoomID: types.StringValue(room), Username: types.StringValue(user)}); d.HasError() {
			t.Fatal(d)
		}
		resp := resource.ReadResponse{State: state}
		r.Read(ctx, resource.ReadRequest{State: state}, &resp)
		return resp.Diagnostics, !resp.State.Raw.IsNull()
	}
	d, kept := read("ann")
	if len(d) != 1 || d.WarningsCount() != 1 || !strings.Contains(d[0].Detail(), "ann is now the owner of chatroom "+room) ||
		strings.Contains(d[0].Detail(), "offline") || !kept {
		t.Errorf("the new owner: kept %v, diagnostics %v", kept, d)
	}
	d, kept = read("gone")
	if len(d) != 1 || d.WarningsCount() != 1 || kept ||
		!strings.HasSuffix(d[0].Detail(), "allow-listed users never leave by being offline.") {
		t.Errorf("a member who left: kept %v, diagnostics %v", kept, d)
	}
}

// TestEasemobMuteDurationWording: each refused duration says why.
func TestEasemobMuteDurationWording(t *testing.T) {
	for d, want := range map[int64]string{0: "(0 would unmute)", -2: "(no negative duration but -1)"} {
		var resp validator.Int64Response
		muteDuration{}.ValidateInt64(context.Background(), validator.Int64Request{Path: path.Root("duration_ms"),
			ConfigValue: types.Int64Value(d)}, &resp)
		if resp.Diagnostics.ErrorsCount() != 1 || !strings.Contains(resp.Diagnostics[0].Detail(), want) {
			t.Errorf("duration_ms = %d: %v, want %q", d, resp.Diagnostics, want)
		}
	}
}
